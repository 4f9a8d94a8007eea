r"""The lines a person reads about a run: spins with units, lengths and purities.

One place builds them, from arrays, for :meth:`STTResult.summary
<qutip_stt.solvers.result.STTResult.summary>` (what ``qutip-stt simulate``
prints), the train's summary and ``qutip-stt info FILE`` (the same lines from
a file). Spin expectation values are in units of hbar/2 (``Sigma = 2 S``);
the quantum shrink of a local spin is its length ``|<Sigma_n>|`` below
``2S``. For spin 1/2 the purity of one spin is ``(1 + |<Sigma>|^2) / 2``; a
larger spin's own purity is not fixed by its Bloch vector and is not
printed, nor is it for a classical run (pure by definition).
"""

import numpy as np

__all__ = ["local_spin_lines", "flip_line", "run_summary"]


def local_spin_lines(local, S, *, when="final", purity=True):
    """One line per local spin: components, ``|<Sigma_n>|`` of ``2S``, purity.

    Parameters
    ----------
    local : array_like
        ``(N, 3)`` ``<Sigma_n>``, units of hbar/2.
    S : float
        Local spin size.
    when : str, default: "final"
    purity : bool, default: True
        Print a spin 1/2's own purity.

    Returns
    -------
    list of str

    Examples
    --------
    >>> local_spin_lines([[0, 0, 0.94]], 0.5)
    ['final local spin 1   (x, y, z) = +0.00000 +0.00000 +0.94000   |<Sigma>| = 0.94000 of 1, purity 0.94180']
    """
    lines = []
    for n, v in enumerate(np.asarray(local, dtype=float), start=1):
        size = float(np.linalg.norm(v))
        text = (f"{when} local spin {n:<3d} (x, y, z) = "
                + " ".join(f"{c:+.5f}" for c in v)
                + f"   |<Sigma>| = {size:.5f} of {2 * S:g}")
        if S == 0.5 and purity:
            text += f", purity {(1 + size ** 2) / 2:.5f}"
        lines.append(text)
    return lines


def flip_line(electron_spin):
    """The probability that the electron's spin is found opposite its start.

    ``(1 - n_0 . <sigma>(T)) / 2`` with ``n_0`` the start's direction.

    Parameters
    ----------
    electron_spin : array_like
        ``(T, 3)`` ``<sigma>`` over the times.

    Returns
    -------
    str or None
        None when the electron starts unpolarised.

    Examples
    --------
    >>> flip_line([[0, 0, -1.0], [0, 0, -0.8]])
    'electron spin-flip probability (found opposite to its initial direction) 0.10000'
    """
    s = np.asarray(electron_spin, dtype=float)
    length = float(np.linalg.norm(s[0]))
    if length == 0:
        return None
    flip = 0.5 * (1 - float(np.dot(s[0] / length, s[-1])))
    return ("electron spin-flip probability (found opposite to its initial "
            f"direction) {flip:.5f}")


def run_summary(method, times, wall_time, electron_spin, local_spin, S,
                purity_local, purity_electron, norm, energy, *, total_sz=None,
                count_right=None, many=False):
    """The summary of a run (``qutip-stt simulate``, ``qutip-stt info``).

    Parameters
    ----------
    method : str
    times : array_like
        Output times, fs.
    wall_time : float
        Seconds of the evolution.
    electron_spin, local_spin : array_like
        ``(T, 3)`` and ``(T, N, 3)``, units of hbar/2.
    S : float
    purity_local, purity_electron, norm, energy : array_like
        ``(T,)`` each.
    total_sz : array_like, optional
        ``(T,)``: its drift is printed for a classical run.
    count_right : array_like, optional
        Several electrons: the number beyond the last local spin.
    many : bool, default: False
        The electron spin is that of several electrons.

    Returns
    -------
    str
    """
    lines = [
        f"method {method}: t = {times[0]:g}..{times[-1]:g} fs,"
        f" {len(times)} outputs, {wall_time:.2f} s; spins in units of hbar/2",
        ("final spin of the electrons (x, y, z) = " if many else
         "final electron spin  (x, y, z) = ")
        + " ".join(f"{v:+.5f}" for v in electron_spin[-1])]
    if count_right is not None:
        lines.append("final electrons beyond the last local spin: "
                     f"{count_right[-1]:.5f}")
    elif not many:
        flip = flip_line(electron_spin)
        if flip:
            lines.append(flip)
    lines += local_spin_lines(local_spin[-1], S,
                              purity=method != "classical")
    purity = (f"final purity: local spins {purity_local[-1]:.6f}, "
              f"electron{'s' if many else ''} {purity_electron[-1]:.6f}")
    if method == "classical" and total_sz is not None:
        purity = ("classical run: local spins pure by definition; total S^z "
                  f"drift {np.max(np.abs(total_sz - total_sz[0])):.2e}")
    norm, energy = np.asarray(norm), np.asarray(energy)
    lines += [purity,
              f"norm drift {np.max(np.abs(norm - norm[0])):.2e}, energy "
              f"drift {np.max(np.abs(energy - energy[0])):.2e} eV"]
    return "\n".join(lines)
