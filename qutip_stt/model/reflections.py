"""When the free packet reaches the chain's ends, and when their echo matters.

One job: :func:`reflection_times`, the exact free propagation of the
orbital packet on the open chain and on one three times longer, which
:func:`qutip_stt.solvers.check_reflections` and
:func:`qutip_stt.simulation.simulate` use to warn before a run whose
packet comes back from an end to the local spins. Needs numpy and scipy
only (no QuTiP).
"""

import numpy as np

from .parameters import default_x0

__all__ = ["MODE_CUTOFF", "reflection_times"]

#: Chain modes whose amplitude is below this fraction of the largest are
#: left out of :func:`reflection_times` (densities change by < 1e-12).
MODE_CUTOFF = 1e-13


def reflection_times(Lx, k=0.1, dk=0.2, x0=None, gamma=1.0, sites=None,
                     t_max=500.0, edge_probability=0.01, tolerance=1e-3, *,
                     orbitals=None):
    """When the free packet reaches the chain ends, and when their echo matters.

    The orbital packet is propagated exactly on the chain of ``Lx`` sites
    and, for comparison, on a chain three times longer with the same packet
    in its middle third, where the ends are out of reach. Both are open
    hopping chains, whose eigenvectors are known in closed form,
    ``v_n(j) = sqrt(2/(L+1)) sin(pi n (j+1)/(L+1))`` with energies
    ``-2 gamma cos(pi n/(L+1))``: the packet enters the eigenbasis with one
    fast sine transform (:func:`scipy.fft.dst`, type I) and only the
    densities on the end and local-spin sites are evaluated at each step.
    Memory is O(Lx) (no dense eigenvector matrix); the steps stop as soon as
    both times are known, or when the packet reaches the ends of the longer
    chain (after which no echo can be told apart).

    Parameters
    ----------
    Lx, k, dk, x0, gamma
        Chain and packet, as in :func:`~qutip_stt.states.wave_packet`
        (``gamma`` in eV).
    sites : array_like of int, optional
        Sites of the local spins; default the middle site.
    t_max : float
        Last time to look at, fs.
    edge_probability : float, default: 0.01
        Probability within 10 sites of an end that counts as "reached".
    tolerance : float, default: 1e-3
        Change of the density summed over ``sites`` that counts as the echo
        "mattering".
    orbitals : numpy.ndarray, optional
        ``(Lx, r)`` orbital amplitudes whose densities add up to the
        electron's (its Schmidt components, as
        :func:`qutip_stt.solvers.check_reflections` passes them); replaces
        the packet ``k, dk, x0``.

    Returns
    -------
    (float or None, float or None)
        ``t_edge``: first time (fs; 1 fs resolution, or ``t_max / 20000`` for
        longer runs) the packet has ``edge_probability`` within 10 sites of
        an end; ``t_echo``: first time the density on the local-spin sites
        differs from the infinite-chain one by ``tolerance``. ``None`` when
        it does not happen by ``t_max``.

    Examples
    --------
    >>> reflection_times(400, x0=160, t_max=50)       # too short to reach an end
    (None, None)
    >>> reflection_times(400, x0=160, sites=range(198, 203))   # the paper's
    (248.0, 327.0)
    """
    if x0 is None:
        x0 = default_x0(Lx)
    import scipy.fft

    from ..constants import HBAR_EV_FS

    Lx = int(Lx)
    t_max = float(t_max)
    sites = np.array([Lx // 2] if sites is None else sites, dtype=int)
    if orbitals is None:
        x = np.arange(Lx, dtype=float)
        amp = np.exp(1j * k * x - dk ** 2 * (x - x0) ** 2 / 4)
        orbitals = (amp / np.linalg.norm(amp))[:, None]
    orbitals = np.asarray(orbitals, dtype=complex).reshape(Lx, -1)
    orbitals = orbitals / np.sqrt(np.sum(np.abs(orbitals) ** 2))
    ends = np.r_[0:10, Lx - 10:Lx] if Lx > 20 else np.arange(Lx)

    def chain(length, offset, rows):
        """Energies and, for every orbital, its eigencomponents times the
        eigenvectors on ``rows`` (``(modes, orbitals * rows)``), so that
        the amplitudes on the rows at all times are one complex product."""
        amp = np.zeros((length, orbitals.shape[1]), dtype=complex)
        amp[offset:offset + Lx] = orbitals
        n = np.arange(1, length + 1)
        energies = -2.0 * gamma * np.cos(np.pi * n / (length + 1))
        coeffs = scipy.fft.dst(amp, type=1, axis=0, norm="ortho")
        # a packet fills a narrow band of modes: the others (amplitude below
        # 1e-13 of the largest, so densities change by < 1e-12) are dropped
        weight = np.abs(coeffs).max(axis=1)
        used = np.flatnonzero(weight > MODE_CUTOFF * weight.max())
        n = n[used]
        vectors = np.sqrt(2.0 / (length + 1)) * np.sin(
            np.pi * np.outer(n, np.asarray(rows) + 1) / (length + 1))
        weighted = np.concatenate([coeffs[used, j, None] * vectors
                                   for j in range(coeffs.shape[1])], axis=1)
        return energies[used] / HBAR_EV_FS, weighted, len(rows)

    def densities(model, times):
        """Density on the chain's rows at each time: (len(times), rows)."""
        w, weighted, rows = model
        # exp(-i w t) on the equally spaced times: the powers z^j of one
        # step's phases (_powers: one product per entry, on whole blocks of
        # rows, where a cumulative product goes row by row and exp computes
        # a complex exponential per entry), the first time's phases folded
        # into the weights; then the amplitudes of every orbital on the
        # rows at all times are one complex matrix product (BLAS)
        start = np.exp(-1j * times[0] * w)
        amp = _powers(np.exp(-1j * step * w), times.size) @ (
            start[:, None] * weighted)
        dens = amp.real ** 2 + amp.imag ** 2
        return dens.reshape(times.size, -1, rows).sum(axis=1)

    far = np.r_[0:10, 3 * Lx - 10:3 * Lx]
    finite = chain(Lx, 0, np.r_[ends, sites])
    infinite = chain(3 * Lx, Lx, np.r_[sites + Lx, far])
    step = max(1.0, t_max / 20_000)
    n_steps = int(np.floor(t_max / step + 1e-9)) + 1
    largest = max(1, 2 ** 20 // (3 * Lx))     # at most ~16 MiB of phases
    t_edge = t_echo = None
    first, batch = 0, min(64, largest)
    while first < n_steps:
        times = step * np.arange(first, min(first + batch, n_steps))
        first, batch = first + batch, min(2 * batch, largest)
        fin = densities(finite, times)
        inf = densities(infinite, times)
        edge = fin[:, :ends.size].sum(axis=1) >= edge_probability
        echo = np.abs(fin[:, ends.size:] - inf[:, :sites.size]).sum(
            axis=1) >= tolerance
        if t_edge is None and edge.any():
            t_edge = float(times[np.argmax(edge)])
        if t_echo is None and echo.any():
            t_echo = float(times[np.argmax(echo)])
        if t_edge is not None and t_echo is not None:
            break
        if np.any(inf[:, sites.size:].sum(axis=1) >= edge_probability):
            break           # the reference chain's own ends are reached
    return t_edge, t_echo


def _powers(z, count):
    """``z**j`` for ``j = 0 .. count - 1`` as rows of a ``(count, z.size)``
    complex array, by doubling: rows ``[n, 2n)`` are rows ``[0, n)`` times
    ``z**n`` (``z**n`` by repeated squaring), so each entry is a product of
    at most ~2 log2(count) factors (error a few 1e-16 for unit ``|z|``).

    Examples
    --------
    >>> z = np.exp(1j * np.array([0.3, -1.1]))
    >>> bool(np.allclose(_powers(z, 5), z[None, :] ** np.arange(5)[:, None]))
    True
    """
    out = np.empty((count, z.size), dtype=complex)
    if count == 0:
        return out
    out[0] = 1.0
    filled, factor = 1, np.asarray(z, dtype=complex)
    while filled < count:
        n = min(filled, count - filled)
        np.multiply(out[:n], factor, out=out[filled:filled + n])
        filled += n
        factor = factor * factor
    return out
