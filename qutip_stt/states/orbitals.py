r"""One-electron orbitals of a many-electron start, checked (NumPy only, no QuTiP).

A Slater determinant of ``Ne`` electrons is given by their spin-orbitals
``phi_k(x) chi_k``: the lowest orbitals of a segment of the free chain
(:func:`lead_orbitals`, the released lead) or Eq. (4) packets
(:func:`packet_amplitudes`), each with a spinor (:func:`spinor_components`,
``chi = (cos(theta/2), e^{i phi} sin(theta/2))``). They must be linearly
independent (:func:`check_independent`): two electrons of the same spin in
the same orbital are forbidden by the Pauli principle, and the determinant
vanishes. The config reader checks these with this module before any
physics is loaded; :mod:`qutip_stt.states.fermions` builds the ket.
"""

import math

import numpy as np

from ..errors import ConfigError
from .forms import parse_direction
from ..model.parameters import default_x0

__all__ = ["packet_amplitudes", "lead_orbitals", "lead_energies", "check_lead",
           "spinor_components", "spin_orbitals", "check_independent",
           "PAULI_TOLERANCE"]

#: Spin-orbitals whose smallest singular value (after normalising each) is
#: below this are linearly dependent: refused (Pauli).
PAULI_TOLERANCE = 1e-8


def packet_amplitudes(Lx, k=0.1, dk=0.2, x0=None):
    r"""The normalised Eq. (4) packet ``C exp(i k x - dk^2 (x - x0)^2 / 4)`` on the sites of the chain.

    Parameters
    ----------
    Lx : int
    k, dk, x0 : float
        Mean wave number, momentum width (> 0), centre (site, may be
        fractional; default 0.4 Lx,
        :func:`~qutip_stt.model.parameters.default_x0`).

    Returns
    -------
    numpy.ndarray
        ``(Lx,)`` complex, unit norm.

    Examples
    --------
    >>> psi = packet_amplitudes(40, 0.5, 0.3, 10)
    >>> round(float(np.vdot(psi, psi).real), 12), int(np.argmax(abs(psi)))
    (1.0, 10)
    """
    if x0 is None:
        x0 = default_x0(Lx)
    x = np.arange(Lx, dtype=float)
    # the Gaussian relative to its largest value on the sites: C absorbs the
    # factor, and a packet narrower than a site (dk^2 overflowing included)
    # keeps its weight on the site(s) nearest x0 instead of underflowing
    d2 = (x - x0) ** 2
    above = d2 - d2.min()
    with np.errstate(over="ignore", invalid="ignore"):
        exponent = np.where(above > 0, -(dk * dk / 4) * above, 0.0)
    amp = np.exp(1j * k * x + exponent)
    return amp / np.linalg.norm(amp)


def lead_energies(start, stop, gamma=1.0):
    """Orbital energies ``-2 gamma cos(n pi / (L + 1))``, ``n`` from 1 to ``L``, of the open segment ``[start, stop)``.

    Examples
    --------
    >>> lead_energies(0, 2).round(12).tolist()
    [-1.0, 1.0]
    """
    L = stop - start
    return -2.0 * gamma * np.cos(np.arange(1, L + 1) * math.pi / (L + 1))


def lead_orbitals(Lx, start, stop, count, gamma=1.0, key="electrons"):
    r"""The ``count`` lowest orbitals of the free chain segment ``[start, stop)``, on the whole chain.

    ``phi_n(x) = sqrt(2/(L+1)) sin(n pi (x - start + 1)/(L+1))`` on the
    ``L = stop - start`` sites of the segment, zero elsewhere: the
    eigenstates of the hopping restricted to it (open ends), energies
    :func:`lead_energies`, lowest first.

    Parameters
    ----------
    Lx : int
        Chain length.
    start, stop : int
        The segment, ``0 <= start < stop <= Lx``.
    count : int
        Orbitals, ``1 .. L``.
    gamma : float, default: 1.0
    key : str, default: "electrons"
        Config table named in errors.

    Returns
    -------
    numpy.ndarray
        ``(Lx, count)`` real, orthonormal columns.

    Examples
    --------
    >>> phi = lead_orbitals(10, 2, 5, 2)
    >>> np.allclose(phi.T @ phi, np.eye(2)), np.flatnonzero(phi[:, 0]).tolist()
    (True, [2, 3, 4])
    """
    L = stop - start
    check_lead(start, stop, count, key)
    order = np.argsort(lead_energies(start, stop, gamma), kind="stable")
    n = order[:count] + 1
    x = np.arange(1, L + 1)
    out = np.zeros((Lx, count))
    out[start:stop] = (math.sqrt(2.0 / (L + 1))
                       * np.sin(np.outer(x, n) * math.pi / (L + 1)))
    return out


def check_lead(start, stop, per_spin, key="electrons"):
    """Refuse more electrons of one spin than the lead ``[start, stop)`` has orbitals (Pauli).

    Examples
    --------
    >>> check_lead(0, 4, 5)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: electrons.count: 5 electrons of one spin need 5 orbitals, but the lead [0, 4) has 4: at most 4 per spin (Pauli)
    """
    L = stop - start
    if per_spin > L:
        raise ConfigError(f"{key}.count", f"{per_spin} electrons of one spin "
                          f"need {per_spin} orbitals, but the lead [{start}, "
                          f"{stop}) has {L}: at most {L} per spin (Pauli)")


def spinor_components(direction, key="spin"):
    """``(cos(theta/2), e^{i phi} sin(theta/2))`` of a direction (any form of :func:`~qutip_stt.states.forms.parse_direction`).

    Examples
    --------
    >>> spinor_components("+z").real.tolist(), spinor_components("+x").round(4).tolist()
    ([1.0, 0.0], [(0.7071+0j), (0.7071+0j)])
    """
    theta, phi = (math.radians(a) for a in parse_direction(direction, key))
    return np.array([math.cos(theta / 2),
                     np.exp(1j * phi) * math.sin(theta / 2)])


def spin_orbitals(orbitals, spinors):
    """The ``(2 Lx, Ne)`` spin-orbitals: rows ``(s, x)``, up sites first.

    Parameters
    ----------
    orbitals : array_like
        ``(Lx, Ne)`` spatial orbitals.
    spinors : array_like
        ``(Ne, 2)`` (up, down) components.

    Examples
    --------
    >>> spin_orbitals(np.eye(2)[:, :1], [[0, 1]]).real.ravel().tolist()
    [0.0, 0.0, 1.0, 0.0]
    """
    orbitals = np.asarray(orbitals, dtype=complex)
    spinors = np.asarray(spinors, dtype=complex)
    return np.concatenate([orbitals * spinors[:, 0], orbitals * spinors[:, 1]])


def check_independent(vectors, key="electrons.packets"):
    """Refuse linearly dependent spin-orbitals: the Pauli principle.

    Parameters
    ----------
    vectors : numpy.ndarray
        ``(2 Lx, Ne)`` spin-orbitals (:func:`spin_orbitals`).
    key : str
        Named in the error.

    Raises
    ------
    ConfigError
        When the smallest singular value of the normalised columns is below
        :data:`PAULI_TOLERANCE`: the Slater determinant vanishes.

    Examples
    --------
    >>> phi = packet_amplitudes(20, 0.5, 0.3, 8)[:, None]
    >>> check_independent(spin_orbitals(np.hstack([phi, phi]), [[0, 1], [0, 1]]))
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: electrons.packets: the electrons' spin-orbitals are linearly dependent (smallest singular value ... of their normalised set, below 1e-08): two electrons of the same spin in the same orbital are forbidden by the Pauli principle; move a packet (x0, k) or change its spin
    """
    v = np.asarray(vectors, dtype=complex)
    norms = np.linalg.norm(v, axis=0)
    if np.any(norms == 0):
        raise ConfigError(key, "an electron's orbital vanishes on the chain")
    sv = np.linalg.svd(v / norms, compute_uv=False)
    if v.shape[1] > v.shape[0] or sv[-1] < PAULI_TOLERANCE:
        smallest = 0.0 if v.shape[1] > v.shape[0] else float(sv[-1])
        raise ConfigError(key, f"the electrons' spin-orbitals are linearly "
                          f"dependent (smallest singular value "
                          f"{smallest:.2g} of their normalised set, below "
                          f"{PAULI_TOLERANCE:g}): two electrons of the same "
                          "spin in the same orbital are forbidden by the "
                          "Pauli principle; move a packet (x0, k) or change "
                          "its spin")
