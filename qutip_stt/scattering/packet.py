r"""The Eq. (4) wave packet as an average over energies, and the same weights read off a ket.

The packet ``psi(x) = C exp(i k x - dk^2 (x - x0)^2 / 4)`` has, on the
lattice, the momentum amplitude ``phi(q) = sum_x psi(x) e^{-i q x} / sqrt(2 pi)``
(``int_{-pi}^{pi} |phi|^2 dq = 1``; a Gaussian of standard deviation
``dk / 2`` around ``k``). A component ``q > 0`` arrives at total energy
``E(q) = e_in - 2 gamma cos q``; a component ``q < 0`` moves away from the
spins and leaves on the left in the incoming channel. Long after the packet
has left, the probability to be found in lead ``p`` and channel ``c`` is

.. math::

    P_{pc} = \int_0^\pi |\phi(q)|^2 \, |S_{pc,\mathrm{in}}(E(q))|^2 \, dq
        + \delta_{pc,(L,\mathrm{in})} \int_{-\pi}^0 |\phi(q)|^2 dq .

The integral is done by Gauss-Legendre quadrature on pieces between channel
thresholds, with a smoothstep change of variable that removes the
square-root kinks where channels open.
"""

from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError
from .._util.validation import check_int, check_real
from .leads import kinetic_energy, momentum
from .smatrix import (_basis, _incoming, incoming_channels,
                      scattering_probabilities)

__all__ = ["momentum_density", "packet_average", "PacketAverage",
           "channel_weights"]


def momentum_density(q, k=0.1, dk=0.2, x0=0.0):
    """``|phi(q)|^2`` of the Eq. (4) packet on the lattice (per unit ``q``).

    Parameters
    ----------
    q : array_like
        Wave numbers in ``[-pi, pi]``.
    k : float, default: 0.1
        Mean wave number ``k a``.
    dk : float, default: 0.2
        Momentum width ``delta k a`` (> 0).
    x0 : float, default: 0.0
        Packet centre (site); only its fractional part matters.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> q = np.linspace(-np.pi, np.pi, 4001)
    >>> rho = momentum_density(q)
    >>> bool(abs(np.sum(rho[:-1]) * (q[1] - q[0]) - 1) < 1e-12)
    True
    """
    k = check_real("k", k)
    dk = check_real("dk", dk, minimum=0, strict_minimum=True)
    x0 = check_real("x0", x0)
    half = int(np.ceil(14.0 / dk))
    x = np.arange(-half, half + 1) + np.round(x0)
    g = np.exp(-dk ** 2 * (x - x0) ** 2 / 4)
    g /= np.linalg.norm(g)
    q = np.asarray(q, dtype=float)
    amp = np.exp(-1j * np.multiply.outer(q - k, x)) @ g
    return np.abs(amp) ** 2 / (2 * np.pi)


@dataclass
class PacketAverage:
    """Packet-averaged outgoing probabilities (see :func:`packet_average`).

    Attributes
    ----------
    probabilities : numpy.ndarray
        ``(C,)`` probability of each (lead, channel), as
        :attr:`ScatteringProbabilities.probabilities` columns.
    channels : list of str
        Their labels.
    spin_flip, transmission, reflection : float
        Totals, as in :class:`ScatteringProbabilities`.
    missed : float
        Weight of the packet's ``q <= 0`` components (they move away and
        are counted as reflected without change).
    energy, density : numpy.ndarray
        Quadrature energies (eV) and the packet's energy density
        ``|phi(q)|^2 dq/dE`` (1/eV) there, for plots.
    nodes : int
        Number of energies the S-matrix was evaluated at.
    """

    probabilities: np.ndarray
    channels: list
    spin_flip: float
    transmission: float
    reflection: float
    missed: float
    energy: np.ndarray
    density: np.ndarray
    nodes: int


def packet_average(model, k=0.1, dk=0.2, incoming=None, *, electron="-z",
                   chain="+z", x0=0.0, padding=0, order=128):
    """S-matrix probabilities averaged over the Eq. (4) packet's momenta.

    Parameters
    ----------
    model : STTModel or ChannelBasis
    k, dk : float
        Packet mean wave number, ``0 < k <= pi`` (towards the spins), and
        width ``> 0`` (Eq. 4; paper 0.1 and 0.2).
    incoming : tuple or dict, optional
        ``(electron, chain)`` or a dict with those keys, as
        :func:`~qutip_stt.scattering.smatrix.scattering_probabilities`.
    electron : str, dict or tuple, default: "-z"
        Incoming electron spin direction.
    chain : str or tuple, default: "+z"
        Incoming chain eigenstate (see
        :func:`~qutip_stt.scattering.smatrix.incoming_channels`).
    x0 : float, default: 0.0
        Packet centre; only its fractional part changes ``|phi(q)|^2``.
    padding : int, default: 0
        Free region sites on each side of the spins.
    order : int, default: 128
        Gauss-Legendre nodes per piece between channel thresholds.

    Returns
    -------
    PacketAverage

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> avg = packet_average(STTModel(N=1, S=2.5))
    >>> bool(abs(avg.reflection + avg.transmission - 1) < 1e-12)
    True
    """
    k = check_real("k", k)
    if not 0 < k <= np.pi:
        raise ConfigError("k", "expected a packet moving towards the spins, "
                          f"0 < k <= pi, got {k:g}")
    dk = check_real("dk", dk, minimum=0, strict_minimum=True)
    order = check_int("order", order, minimum=4, maximum=10_000)
    basis = _basis(model, padding)
    electron, chain = _incoming(incoming, electron, chain)
    amps, eps_in, _ = incoming_channels(basis, electron, chain)
    gamma = basis.gamma
    sigma = dk / 2
    lo, hi = max(0.0, k - 12 * sigma), min(np.pi, k + 12 * sigma)
    sectors = {float(basis.sector[c]) for c in amps}
    eps = basis.energy[np.isin(basis.sector, list(sectors))]
    th = np.concatenate([eps - 2 * gamma, eps + 2 * gamma])
    th = th[(th > eps_in - 2 * gamma) & (th < eps_in + 2 * gamma)]
    breaks = np.unique(np.concatenate([[lo, hi], momentum(th, eps_in, gamma)]))
    breaks = breaks[(breaks >= lo) & (breaks <= hi)]
    u, w = np.polynomial.legendre.leggauss(order)
    u, w = (u + 1) / 2, w / 2
    q, wq = [], []
    for a, b in zip(breaks[:-1], breaks[1:]):
        if b - a < 1e-14:
            continue
        q.append(a + (b - a) * (3 * u ** 2 - 2 * u ** 3))
        wq.append((b - a) * 6 * u * (1 - u) * w)
    q, wq = np.concatenate(q), np.concatenate(wq)
    E = kinetic_energy(q, eps_in, gamma)
    # a node that rounds onto a band edge carries no flux (and no weight)
    keep = (E > eps_in - 2 * gamma) & (E < eps_in + 2 * gamma)
    q, wq, E = q[keep], wq[keep], E[keep]
    rho = momentum_density(q, k, dk, x0)
    res = scattering_probabilities(basis, E, electron=electron, chain=chain)
    weights = rho * wq
    P = weights @ res.probabilities
    missed = 1.0 - float(weights.sum())
    norm = sum(abs(a) ** 2 for a in amps.values())
    for c, a in amps.items():
        P[c] += missed * abs(a) ** 2 / norm        # left lead, unchanged
    D = basis.size
    return PacketAverage(
        probabilities=P, channels=res.channels,
        spin_flip=float(weights @ res.spin_flip),
        transmission=float(P[D:].sum()), reflection=float(P[:D].sum()),
        missed=missed, energy=E,
        density=rho / (2 * gamma * np.sin(q)), nodes=q.size)


def channel_weights(model, state, basis=None, *, split=None):
    """Probability of each (side, channel) in a ket: the time-dependent route.

    The chain is cut at the spins: sites left of the first spin count as the
    left lead, sites right of the last spin as the right lead. The spin part
    on each side is projected on the channels of :class:`ChannelBasis`.

    Parameters
    ----------
    model : STTModel
        The finite-chain model the ket belongs to.
    state : qutip.Qobj
        A ket with the model's dims (long after the packet has left).
    basis : ChannelBasis, optional
        Built from ``model`` when not given.
    split : tuple of int, optional
        ``(last_left_site, first_right_site)``; default just outside the
        spins.

    Returns
    -------
    probabilities : numpy.ndarray
        ``(2D,)``, left lead first, as :func:`packet_average`.
    inside : float
        Weight still on the spins' sites.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> P, inside = channel_weights(model, initial_state(model, x0=10))
    >>> round(float(P.sum() + inside), 12)
    1.0
    """
    from .channels import ChannelBasis
    basis = basis or ChannelBasis(model)
    if split is None:
        split = (model.first_site - 1, model.first_site + model.N)
    A = state.full().reshape(model.Lx, model.spin_space_dimension)
    C = A @ basis.vectors.conj()          # amplitude of each channel per site
    W = np.abs(C) ** 2
    left = W[:split[0] + 1].sum(axis=0)
    right = W[split[1]:].sum(axis=0)
    inside = float(W[split[0] + 1:split[1]].sum())
    return np.concatenate([left, right]), inside
