r"""The energy-resolved multichannel S-matrix (Fisher-Lee), sector by sector.

For total energy ``E`` and each total-``S^z`` sector ``m``, the retarded
Green's function of the scattering region (``L_s`` sites holding the spins)
with both leads folded in exactly is

.. math::

    G_m(E) = \left[E - H_m - \Sigma^L_m(E) - \Sigma^R_m(E)\right]^{-1},
    \qquad \Sigma^{L,R}_m = U_m \,\mathrm{diag}(-\gamma\lambda_c)\, U_m^\dagger
    \ \text{on the first / last region site},

and the S-matrix between open channels ``a = (p, c)``, ``b = (q, c')``
(leads ``p, q`` in ``{L, R}``) is (Fisher-Lee)

.. math::

    S_{ab} = -\delta_{ab} + i \sqrt{\Gamma_a}\,
        \langle p, a | G_m | q, b\rangle \sqrt{\Gamma_b},
    \qquad \Gamma_c = 2\gamma\sin k_c .

``|S_ab|^2`` is the probability that an electron arriving in ``b`` leaves in
``a`` (flux normalised). Each energy costs one dense LU solve per sector of
size ``L_s n_m`` (batched over energies with numpy), so the cost grows
linearly with the number of energies.
"""

from dataclasses import dataclass, field

import numpy as np

from .._util.blas_threads import one_blas_thread
from ..errors import ConfigError
from ..states.spin import spinor
from .._util.validation import check_real
from .channels import ChannelBasis
from .leads import lead_modes, momentum

__all__ = ["scattering_matrix", "scattering_probabilities",
           "ScatteringMatrix", "ScatteringProbabilities", "incoming_channels"]

#: Complex entries per batched solve (energies x region^2): about 64 MiB.
_BATCH_ENTRIES = 4_000_000


def _sector_smatrix(basis, m, energies):
    """``S`` of sector ``m`` at each energy over its ``2 n_m`` channels ``[L..., R...]``.

    Rows and columns of closed channels are zero. Returns ``S`` of shape
    ``(E, 2 n_m, 2 n_m)`` and the open mask ``(E, n_m)``.
    """
    # Many small dense solves: one BLAS thread, since on problems this small
    # the threads' synchronisation costs more than the work they share
    with one_blas_thread():
        return _sector_smatrix_serial(basis, m, energies)


def _sector_smatrix_serial(basis, m, energies):
    reg = basis.region(m)
    H, U, eps = reg["H"], reg["U"], reg["eps"]
    nm = U.shape[0]
    dim = H.shape[0]
    gamma = basis.gamma
    energies = np.atleast_1d(np.asarray(energies, dtype=float))
    lam, _, Gamma, is_open = lead_modes(energies[:, None], eps[None, :], gamma)
    # boundary columns in the channel basis: [site 0 (x) U, site L_s-1 (x) U]
    B = np.zeros((dim, 2 * nm), dtype=complex)
    B[:nm, :nm] = U
    B[dim - nm:, nm:] = U
    S = np.empty((energies.size, 2 * nm, 2 * nm), dtype=complex)
    batch = max(1, _BATCH_ENTRIES // dim ** 2)
    eye = np.eye(dim)
    for start in range(0, energies.size, batch):
        sl = slice(start, start + batch)
        E = energies[sl]
        sigma = np.einsum("ic,ec,jc->eij", U, -gamma * lam[sl], U.conj())
        A = E[:, None, None] * eye - H
        A[:, :nm, :nm] -= sigma
        A[:, dim - nm:, dim - nm:] -= sigma
        X = np.linalg.solve(A, np.broadcast_to(B, (E.size,) + B.shape))
        Gb = B.conj().T @ X
        root = np.sqrt(np.concatenate([Gamma[sl], Gamma[sl]], axis=1))
        S[sl] = 1j * root[:, :, None] * Gb * root[:, None, :]
        S[sl] -= np.eye(2 * nm)
    both = np.concatenate([is_open, is_open], axis=1)
    S *= both[:, :, None] & both[:, None, :]
    return S, is_open


def _unitarity_error(S, is_open):
    """``max |S^dagger S - 1|`` on the open block, per energy."""
    both = np.concatenate([is_open, is_open], axis=1)
    err = np.abs(np.conj(np.swapaxes(S, 1, 2)) @ S
                 - both[:, :, None] * np.eye(S.shape[1]))
    return err.reshape(S.shape[0], -1).max(axis=1)


@dataclass
class ScatteringMatrix:
    """The S-matrix at one energy, over every channel of both leads.

    Attributes
    ----------
    energy : float
        Total energy ``E``, eV.
    S : numpy.ndarray
        ``(2D, 2D)`` complex; index ``p D + c`` is channel ``c`` in lead
        ``p`` (0 = left, 1 = right). Rows and columns of closed channels are
        zero; the open block is unitary. Block diagonal in total ``S^z``.
    lead : numpy.ndarray
        ``"L"`` or ``"R"`` per index.
    labels, m_e, M, n, channel_energy : numpy.ndarray
        Channel data per index (see :class:`ChannelBasis`).
    is_open : numpy.ndarray of bool
        ``|E - e_n| < 2 gamma``.
    k : numpy.ndarray
        Wave number of each open channel (``nan`` when closed).
    unitarity_error : float
        ``max |S_o^dagger S_o - 1|`` over the open block ``S_o``.
    """

    energy: float
    S: np.ndarray
    lead: np.ndarray
    labels: list
    m_e: np.ndarray
    M: np.ndarray
    n: np.ndarray
    channel_energy: np.ndarray
    is_open: np.ndarray
    k: np.ndarray
    unitarity_error: float

    @property
    def open_block(self):
        """The unitary block of :attr:`S` between open channels."""
        idx = np.flatnonzero(self.is_open)
        return self.S[np.ix_(idx, idx)]


def _basis(model, padding):
    if isinstance(model, ChannelBasis):
        return model
    return ChannelBasis(model, padding)


def scattering_matrix(model, E, *, padding=0):
    """The multichannel S-matrix of the spin chain at total energy ``E``.

    Parameters
    ----------
    model : STTModel or ChannelBasis
        The model (its ``Lx`` and ``first_site`` are not used: the leads
        are semi-infinite chains). A :class:`ChannelBasis` reuses the
        channels and region blocks already built.
    E : float
        Total energy, eV: electron kinetic energy plus XXZ energy.
    padding : int, default: 0
        Free sites added to the region on each side of the spins.

    Returns
    -------
    ScatteringMatrix

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sm = scattering_matrix(STTModel(N=5), -2.3)
    >>> sm.S.shape, bool(sm.unitarity_error < 1e-12)
    ((128, 128), True)
    """
    basis = _basis(model, padding)
    E = check_real("E", E)
    D = basis.size
    S = np.zeros((2 * D, 2 * D), dtype=complex)
    is_open = np.zeros(D, dtype=bool)
    err = 0.0
    for m in basis.sectors():
        Sm, op = _sector_smatrix(basis, m, [E])
        ch = basis.region(m)["channels"]
        glob = np.concatenate([ch, D + ch])
        S[np.ix_(glob, glob)] = Sm[0]
        is_open[ch] = op[0]
        err = max(err, float(_unitarity_error(Sm, op)[0]))
    k = np.where(is_open, momentum(E, basis.energy, basis.gamma), np.nan)
    return ScatteringMatrix(
        energy=E, S=S, lead=np.array(["L"] * D + ["R"] * D),
        labels=basis.labels * 2, m_e=np.tile(basis.m_e, 2),
        M=np.tile(basis.M, 2), n=np.tile(basis.n, 2),
        channel_energy=np.tile(basis.energy, 2),
        is_open=np.tile(is_open, 2), k=np.tile(k, 2), unitarity_error=err)


def incoming_channels(basis, electron="-z", chain="+z"):
    """Amplitudes of the incoming state ``chi_e (x) |M, n>`` on the lead channels.

    Parameters
    ----------
    basis : ChannelBasis
    electron : str, dict or tuple, default: "-z"
        Electron spin direction (forms of :func:`qutip_stt.states.parse_direction`).
    chain : str or tuple, default: "+z"
        ``"+z"`` (every spin ``m = S``), ``"-z"`` (every ``m = -S``), or
        ``(M, n)``: the ``n``-th XXZ eigenstate (ascending) of local
        ``S^z = M`` (hbar).

    Returns
    -------
    amplitudes : dict
        ``{channel index: amplitude}`` (one or two channels).
    eps : float
        The incoming XXZ energy ``e_n``, eV.
    label : str
        Human description.
    """
    model = basis.model
    if isinstance(chain, str):
        if chain not in ("+z", "-z"):
            raise ConfigError("chain", "expected \"+z\", \"-z\" or (M, n) "
                              f"for an XXZ eigenstate, got {chain!r}")
        M = model.N * model.S * (1 if chain == "+z" else -1)
        n = 0
    elif isinstance(chain, (tuple, list)) and len(chain) == 2:
        M, n = chain
    else:
        raise ConfigError("chain", "expected \"+z\", \"-z\" or (M, n) for "
                          f"an XXZ eigenstate, got {chain!r}")
    chi = spinor(electron).full().ravel()
    amps = {}
    for me, c in zip((0.5, -0.5), chi):
        idx = basis.find(me, M, n)
        if abs(c) > 1e-15:
            amps[idx] = c
    eps = float(basis.energy[basis.find(0.5, M, n)])
    label = basis.labels[basis.find(-0.5, M, n)].split(";", 1)[1]
    return amps, eps, label


@dataclass
class ScatteringProbabilities:
    """Outgoing probabilities per energy for one incoming state.

    Attributes
    ----------
    energy, k : numpy.ndarray
        ``(E,)`` total energy (eV) and incoming wave number ``k a``.
    probabilities : numpy.ndarray
        ``(E, C)``, ``C = 2D``: probability to leave in lead ``p`` and channel
        ``c`` (index ``p D + c``, left lead first). Rows sum to 1.
    channels : list of str
        ``C`` labels ``"L ↑;M=3/2,n=0"``, ``"R ↓;↑↑↑↑↑"``, ...
    channel_energy : numpy.ndarray
        ``(C,)`` XXZ energy ``e_n`` of each channel, eV.
    is_open : numpy.ndarray
        ``(E, C)`` open mask.
    spin_flip : numpy.ndarray
        ``(E,)`` probability that the electron leaves with its ``S^z``
        flipped (both leads); equal to the probability that the chain's
        total ``S^z`` changed.
    transmission, reflection : numpy.ndarray
        ``(E,)`` total probability to leave right / left.
    unitarity_error : numpy.ndarray
        ``(E,)`` ``max |S^dagger S - 1|`` on the open block of every sector
        the incoming state touches.
    incoming : dict
        ``electron`` (theta, phi in degrees), ``chain``, ``eps`` (eV).
    thresholds : numpy.ndarray
        Energies ``e_n +- 2 gamma`` (eV) where a channel of the touched
        sectors opens or closes.
    wall_time : float
        Seconds spent computing.
    """

    energy: np.ndarray
    k: np.ndarray
    probabilities: np.ndarray
    channels: list
    channel_energy: np.ndarray
    is_open: np.ndarray
    spin_flip: np.ndarray
    transmission: np.ndarray
    reflection: np.ndarray
    unitarity_error: np.ndarray
    incoming: dict = field(default_factory=dict)
    thresholds: np.ndarray = None
    wall_time: float = 0.0


def _incoming(incoming, electron, chain):
    """``incoming`` as ``(electron, chain)`` or a dict with those keys."""
    if incoming is None:
        return electron, chain
    if isinstance(incoming, dict):
        unknown = set(incoming) - {"electron", "chain"}
        if unknown:
            raise ConfigError(f"incoming.{sorted(unknown)[0]}", "unknown key; "
                              "allowed: electron, chain")
        return incoming.get("electron", electron), incoming.get("chain", chain)
    if isinstance(incoming, (tuple, list)) and len(incoming) == 2:
        return tuple(incoming)
    raise ConfigError("incoming", "expected (electron, chain) or {electron: "
                      f"..., chain: ...}}, got {incoming!r}")


def scattering_probabilities(model, energies, incoming=None, *,
                             electron="-z", chain="+z", padding=0):
    """Probability of every outgoing (lead, channel) for an electron from the left.

    The incoming state is ``chi_e (x) |chain>`` arriving from the left lead
    at total energy ``E``; with ``chi_e = -z`` on the all-up chain this is
    the paper's collinear case.

    Parameters
    ----------
    model : STTModel or ChannelBasis
    energies : array_like
        Total energies, eV; each inside the band
        ``(e_in - 2 gamma, e_in + 2 gamma)`` of the incoming channel.
    incoming : tuple or dict, optional
        ``(electron, chain)`` or ``{"electron": ..., "chain": ...}``, the
        same as giving ``electron`` and ``chain``.
    electron : str, dict or tuple, default: "-z"
        Incoming electron spin direction.
    chain : str or tuple, default: "+z"
        ``"+z"``, ``"-z"`` or ``(M, n)`` (see :func:`incoming_channels`).
    padding : int, default: 0
        Free sites in the region on each side of the spins.

    Returns
    -------
    ScatteringProbabilities

    Raises
    ------
    ConfigError
        ``energies`` empty or outside the incoming band.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> res = scattering_probabilities(STTModel(N=5), [-2.3, -1.0])
    >>> res.probabilities.shape, bool(abs(res.probabilities.sum(1) - 1).max() < 1e-12)
    ((2, 128), True)
    """
    import time
    start = time.perf_counter()
    basis = _basis(model, padding)
    electron, chain = _incoming(incoming, electron, chain)
    energies = np.atleast_1d(np.asarray(energies, dtype=float))
    if energies.ndim != 1 or energies.size == 0:
        raise ConfigError("energies", "expected at least one energy (eV)")
    if not np.all(np.isfinite(energies)):
        raise ConfigError("energies", "expected finite energies (eV)")
    amps, eps_in, chain_label = incoming_channels(basis, electron, chain)
    gamma = basis.gamma
    low, high = eps_in - 2 * gamma, eps_in + 2 * gamma
    bad = energies[(energies <= low) | (energies >= high)]
    if bad.size:
        raise ConfigError(
            "energies", f"E = {bad[0]:g} eV is outside the open band "
            f"({low:g}, {high:g}) eV of the incoming channel (chain "
            f"{chain_label}, e_n = {eps_in:g} eV): the electron cannot arrive")
    D = basis.size
    nE = energies.size
    P = np.zeros((nE, 2 * D))
    is_open = np.zeros((nE, 2 * D), dtype=bool)
    err = np.zeros(nE)
    flip = np.zeros(nE)
    thresholds = []
    for m in {float(basis.sector[c]) for c in amps}:
        Sm, op = _sector_smatrix(basis, m, energies)
        ch = basis.region(m)["channels"]
        glob = np.concatenate([ch, D + ch])
        a = np.zeros(2 * ch.size, dtype=complex)
        for c, amp in amps.items():
            if basis.sector[c] == m:          # one incoming component per sector
                a[np.flatnonzero(ch == c)[0]] = amp      # left lead
                me_in = basis.m_e[c]
        out = np.abs(Sm @ a) ** 2
        P[:, glob] += out
        flip += out[:, np.tile(basis.m_e[ch], 2) != me_in].sum(axis=1)
        is_open[:, glob] = np.concatenate([op, op], axis=1)
        err = np.maximum(err, _unitarity_error(Sm, op))
        eps = basis.energy[ch]
        thresholds.extend(np.concatenate([eps - 2 * gamma, eps + 2 * gamma]))
    thresholds = np.unique(np.round(thresholds, 12))
    labels = [f"{p} {lab}" for p in "LR" for lab in basis.labels]
    return ScatteringProbabilities(
        energy=energies, k=momentum(energies, eps_in, gamma), probabilities=P,
        channels=labels, channel_energy=np.tile(basis.energy, 2),
        is_open=is_open, spin_flip=flip,
        transmission=P[:, D:].sum(axis=1), reflection=P[:, :D].sum(axis=1),
        unitarity_error=err,
        incoming={"electron": _angles(electron), "chain": chain_label,
                  "eps": eps_in},
        thresholds=thresholds, wall_time=time.perf_counter() - start)


def _angles(direction):
    from ..states.forms import parse_direction
    return tuple(float(a) for a in parse_direction(direction, "electron"))
