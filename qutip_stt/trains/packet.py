r"""Kinematics of the free Eq. (4) packet: when it reaches the spins, what stays behind.

On the tight-binding chain a plane wave ``e^{ikx}`` has energy
``-2 gamma cos k`` and group velocity ``v(k) = 2 gamma sin(k) / hbar``
(sites per fs). The Eq. (4) packet has momentum spread ``dk / 2``; for the
paper (``k = dk / 2 = 0.1``) that spread is as large as ``k`` itself, so a
sixth of the packet moves backwards and much of it is slow: whatever
interval separates two electrons, part of the first is still near the spins.

:func:`free_leftover` measures that part for the packet on an infinite chain
(exact: the free propagator is diagonal in ``k``, evaluated with an FFT on a
ring longer than the packet can travel); the s-d coupling hardly changes the
orbital motion (``J_sd << gamma``), so these numbers choose the default
interval (:func:`default_interval`) before any many-body run. The channel
itself measures the leftover exactly (:class:`~qutip_stt.trains.channel.ElectronChannel`).
"""

import math

import numpy as np

from ..constants import HBAR_EV_FS
from ..errors import ConfigError

__all__ = ["group_velocity", "arrival_time", "free_leftover",
           "default_interval", "DEFAULT_MARGIN"]

#: Sites on each side of the spin region (and at each chain end) counted as
#: "near" when the leftover probability is measured.
DEFAULT_MARGIN = 10


def group_velocity(k, gamma=1.0):
    """Group velocity ``2 gamma sin(k) / hbar`` of the packet centre, sites/fs.

    Parameters
    ----------
    k : float
        Mean wave number ``k_x a``.
    gamma : float, default: 1.0
        Hopping, eV.

    Returns
    -------
    float

    Examples
    --------
    >>> round(group_velocity(0.1), 4)
    0.3033
    """
    return 2.0 * gamma * math.sin(k) / HBAR_EV_FS


def arrival_time(x0, sites, k, gamma=1.0, key="train.interval"):
    """Time (fs) for the packet centre to move from ``x0`` past the last spin it meets.

    Parameters
    ----------
    x0 : float
        Packet centre, site.
    sites : array_like of int
        Sites of the local spins.
    k, gamma : float
        Mean wave number and hopping (eV).
    key : str
        Name used in the error message.

    Returns
    -------
    float

    Raises
    ------
    ConfigError
        When the packet moves away from the spins (or does not move).

    Examples
    --------
    >>> round(arrival_time(160, range(198, 203), 0.1), 1)
    138.5
    """
    sites = np.asarray(sites, dtype=float)
    v = group_velocity(k, gamma)
    lo, hi = sites.min(), sites.max()
    if v > 0 and x0 < lo:
        return float((hi - x0) / v)
    if v < 0 and x0 > hi:
        return float((x0 - lo) / -v)
    raise ConfigError(key, f"the packet (x0 = {x0:g}, group velocity "
                      f"{v:.3g} sites/fs) never reaches the local spins on "
                      f"sites {int(lo)}..{int(hi)}: put x0 upstream of them "
                      "with k of the right sign")


def free_leftover(Lx, k, dk, x0, sites, times, gamma=1.0,
                  margin=DEFAULT_MARGIN):
    """Probability of the free packet near the spins, and beyond the chain ends.

    The packet of Eq. (4) (amplitudes on sites ``0..Lx-1``) evolves under
    the hopping alone on an infinite chain, exactly.

    Parameters
    ----------
    Lx : int
        Chain length.
    k, dk, x0 : float
        Packet, as :func:`qutip_stt.states.wave_packet`.
    sites : array_like of int
        Sites of the local spins.
    times : array_like of float
        Times, fs.
    gamma : float, default: 1.0
    margin : int, default: :data:`DEFAULT_MARGIN`
        Sites on each side of the spins counted as near them.

    Returns
    -------
    near : numpy.ndarray
        Probability within ``margin`` sites of the spin region, per time.
    beyond : numpy.ndarray
        Probability beyond either end of the chain (``x < 0`` or
        ``x >= Lx``): what has reached an end by then.

    Examples
    --------
    >>> near, beyond = free_leftover(400, 0.1, 0.2, 160, range(198, 203), [0, 250])
    >>> near.round(3), beyond.round(3)
    (array([0.   , 0.117]), array([0.   , 0.015]))
    """
    times = np.atleast_1d(np.asarray(times, dtype=float))
    sites = np.asarray(sites)
    reach = 2.0 * abs(gamma) / HBAR_EV_FS * float(times.max()) + 50
    size = 1 << int(math.ceil(math.log2(Lx + 2 * reach + 1)))
    pad = (size - Lx) // 2
    x = np.arange(size) - pad                       # chain site of each point
    psi = np.where((x >= 0) & (x < Lx),
                   np.exp(1j * k * x - dk ** 2 * (x - x0) ** 2 / 4), 0)
    psi /= np.linalg.norm(psi)
    q = 2 * np.pi * np.fft.fftfreq(size)
    phi = np.fft.fft(psi)
    energy = -2 * gamma * np.cos(q)
    lo, hi = sites.min() - margin, sites.max() + margin
    near_mask = (x >= lo) & (x <= hi)
    out_mask = (x < 0) | (x >= Lx)
    near, beyond = [], []
    for t in times:
        dens = np.abs(np.fft.ifft(phi * np.exp(-1j * energy * t
                                               / HBAR_EV_FS))) ** 2
        near.append(dens[near_mask].sum())
        beyond.append(dens[out_mask].sum())
    return np.array(near), np.array(beyond)


def default_interval(Lx, k, dk, x0, sites, gamma=1.0, margin=DEFAULT_MARGIN):
    """The interval (fs) that leaves least of the free packet near the spins or at the ends.

    Scans ``T`` from :func:`arrival_time` to four times it in 1 fs steps
    and takes the ``T`` minimising ``near(T) + beyond(T)`` of
    :func:`free_leftover`: a short interval leaves the slow part of the
    packet on the spins, a long one sends the fast part into the chain ends.

    Parameters
    ----------
    Lx, k, dk, x0, sites, gamma, margin
        As :func:`free_leftover`.

    Returns
    -------
    interval : float
        fs, a whole number.
    near, beyond : float
        :func:`free_leftover` at that interval.

    Examples
    --------
    >>> T, near, beyond = default_interval(400, 0.1, 0.2, 160, range(198, 203))
    >>> T, round(near + beyond, 3)
    (256.0, 0.131)
    """
    t0 = math.ceil(arrival_time(x0, sites, k, gamma))
    grid = np.arange(t0, 4 * t0 + 1, 1.0)
    near, beyond = free_leftover(Lx, k, dk, x0, sites, grid, gamma, margin)
    i = int(np.argmin(near + beyond))
    return float(grid[i]), float(near[i]), float(beyond[i])
