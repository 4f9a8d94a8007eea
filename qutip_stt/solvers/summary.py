r"""The lines a person reads about a run: spins with units, lengths and purities.

One place builds them, from arrays, for :meth:`STTResult.summary
<qutip_stt.solvers.result.STTResult.summary>` (what ``qutip-stt simulate``
prints) and for ``qutip-stt info FILE`` (the same lines from a file). Spin
expectation values are in units of hbar/2 (``Sigma = 2 S``); the quantum
shrink of a local spin is its length ``|<Sigma_n>|`` below ``2S``. For spin
1/2 the purity of one spin is ``(1 + |<Sigma>|^2) / 2``; a larger spin's
own purity is not fixed by its Bloch vector and is not printed.
"""

import numpy as np

__all__ = ["spin_lines", "flip_line"]


def _purity(vector, S):
    return (1 + float(np.dot(vector, vector))) / 2 if S == 0.5 else None


def spin_lines(electron, local, S, *, electrons=False, when="final"):
    """One line per spin: components, length and (spin 1/2) purity.

    Parameters
    ----------
    electron : array_like or None
        ``(3,)`` ``<sigma>`` of the electron (or of all electrons); None
        for no electron line (after a train).
    local : array_like
        ``(N, 3)`` ``<Sigma_n>``.
    S : float
        Local spin size.
    electrons : bool, default: False
        The first line is the spin of several electrons.
    when : str, default: "final"

    Returns
    -------
    list of str

    Examples
    --------
    >>> print("\n".join(spin_lines([0, 0, -0.8], [[0, 0, 0.94]], 0.5)))
    spins in units of hbar/2 (x, y, z)  |<Sigma>|  (2S = 1)  purity Tr rho^2
    final electron spin   +0.00000 +0.00000 -0.80000  |S| = 0.80000  purity 0.82000
    final local spin 1    +0.00000 +0.00000 +0.94000  |S| = 0.94000  purity 0.94180
    """
    def line(name, v, spin):
        v = np.asarray(v, dtype=float)
        p = _purity(v, spin)
        return (f"{when} {name:<15s} " + " ".join(f"{c:+.5f}" for c in v)
                + f"  |S| = {np.linalg.norm(v):.5f}"
                + ("" if p is None else f"  purity {p:.5f}"))

    head = (f"spins in units of hbar/2 (x, y, z)  |<Sigma>|  (2S = "
            f"{2 * S:g})  purity Tr rho^2"
            + ("" if S == 0.5 else " (spin 1/2 only)"))
    lines = [head] + ([] if electron is None else [
        line("electrons' spin" if electrons else "electron spin", electron,
             None if electrons else 0.5)])
    lines += [line(f"local spin {n}", v, S)
              for n, v in enumerate(local, start=1)]
    return lines


def flip_line(electron_spin):
    """The probability that the electron's spin is found opposite its start.

    ``(1 - n_0 . <sigma>(t)) / 2`` with ``n_0`` the start's direction.

    Parameters
    ----------
    electron_spin : array_like
        ``(T, 3)`` ``<sigma>`` over the times.

    Returns
    -------
    str

    Examples
    --------
    >>> flip_line([[0, 0, -1.0], [0, 0, -0.8]])
    'electron spin-flip probability (opposite its start): 0.10000'
    """
    s = np.asarray(electron_spin, dtype=float)
    n0 = s[0] / max(np.linalg.norm(s[0]), 1e-300)
    return ("electron spin-flip probability (opposite its start): "
            f"{(1 - float(np.dot(n0, s[-1]))) / 2:.5f}")
