r"""The one-electron scattering channel on the local spins, as a QuTiP superoperator.

An electron prepared in the Eq. (4) packet ``|psi_e> = |phi> (x) |chi>``
scatters off the local spins for one ``interval`` ``T`` and is then traced out:

.. math::

    \Phi(\rho) = \mathrm{Tr}_e\left[U(T)\,(|\psi_e\rangle\langle\psi_e|
        \otimes\rho)\,U(T)^\dagger\right]
      = \sum_{x,s} K_{x,s}\,\rho\,K_{x,s}^\dagger,\qquad
    K_{x,s} = \langle x, s|\,U(T)\,|\psi_e\rangle ,

with ``U(T) = exp(-i H T / hbar)`` for the full Hamiltonian of Eq. (3)
(so the XXZ precession between electrons is inside ``Phi``). Column ``j``
of every ``K_{x,s}`` is the state ``U(T) |phi, chi, j>`` for the spin basis
state ``|j>``: ``D = (2S+1)^N`` evolutions give the channel exactly. Each
``|phi, s_e, j>`` lies in one total-S^z sector (``[H, S^z_tot] = 0``), so the
runs are grouped by sector and every sector evolves all its inputs at once
with the exact propagators of :mod:`qutip_stt.solvers.chebyshev`, to ``t = T``
only. A tilted electron spin ``chi = a|up> + b|down>`` needs the runs of
both ``s_e`` (``U`` is linear); a partially polarized current
``rho_chi = w+ |chi><chi| + w- |chi_perp><chi_perp|`` gives the weighted sum of two
channels, whose Kraus operators are the union of both sets.

The Choi matrix ``sum_r vec(K_r) vec(K_r)^dagger`` has rank at most
``D^2``: its eigenvectors give the compressed Kraus list. Whatever is exactly
zero by total-S^z conservation stays exactly zero in the superoperator, so
the iteration (:mod:`qutip_stt.trains.iteration`) can use it sparsely.
"""

import concurrent.futures
import os
import threading
import time
import warnings

import numpy as np
import qutip
import scipy.linalg
import scipy.sparse
import scipy.sparse.csgraph
from qutip.ui.progressbar import progress_bars

from .._util.blas_threads import one_blas_thread
from ..errors import ConfigError
from ..solvers.methods.chebyshev import DEFAULT_TOL
from ..solvers.sector_propagators import sector_propagator
from ..states.spin import spin_coherent
from ..states.packet import wave_packet
from .._util.validation import check_int, check_real
from ..model.parameters import default_x0
from .packet import (DEFAULT_MARGIN, arrival_time, free_leftover,
                     group_velocity)

__all__ = ["ElectronChannel", "electron_channel", "LeftoverWarning",
           "channel_memory", "trace_error", "DEFAULT_LEFTOVER_TOLERANCE"]

#: Leftover probability (near the spins plus at the chain ends) above which
#: :func:`electron_channel` warns.
DEFAULT_LEFTOVER_TOLERANCE = 0.05

#: Choi eigenvalues below this fraction of the largest are dropped from the
#: compressed Kraus list (round-off of the evolutions is about 1e-13).
KRAUS_CUTOFF = 1e-14


class LeftoverWarning(UserWarning):
    """Part of the electron is still near the spins (or reached a chain end) after the interval.

    Then the next electron meets spins that the previous one still acts on,
    and the channel iteration is approximate. A longer ``train.interval``
    lowers the part near the spins, a longer ``chain.length`` the part at
    the ends, a smaller momentum spread ``electron.dk`` both.

    Examples
    --------
    >>> issubclass(LeftoverWarning, UserWarning)
    True
    """


def channel_memory(Lx, N, S, both_spins=True):
    """Estimated peak memory (bytes) of :func:`electron_channel`.

    Parameters
    ----------
    Lx, N : int
    S : float
    both_spins : bool, default: True
        Runs for both electron spin states (tilted or partially polarized
        electron) rather than one.

    Returns
    -------
    int
        Bytes: the evolved columns (``2 Lx D`` amplitudes per input), the
        Kraus tensor, three ``D^2 x D^2`` matrices (Choi, superoperator and
        its Qobj) and the model's Hamiltonian.

    Examples
    --------
    >>> round(channel_memory(400, 5, 0.5) / 2**20)
    134
    """
    from .._util.resources import hamiltonian_bytes
    d = int(round(2 * S)) + 1
    D = d ** N
    runs = 2 if both_spins else 1
    columns = 3 * runs * 2 * Lx * D * D * 16
    return columns + 3 * D ** 4 * 16 + 2 * hamiltonian_bytes(2 * Lx * D, N)


class ElectronChannel:
    r"""The CPTP map one electron applies to the local spins.

    Built by :func:`electron_channel`; do not construct directly.

    Attributes
    ----------
    superop : qutip.Qobj
        ``D^2 x D^2`` superoperator (``superrep="super"``, column stacking as
        QuTiP), dims of the local spins.
    kraus : list of qutip.Qobj
        Compressed Kraus operators (eigenvectors of the Choi matrix).
    kraus_array : numpy.ndarray
        The same, ``(R, D, D)``.
    choi_eigenvalues : numpy.ndarray
        Every eigenvalue of the Choi matrix (``D^2``), ascending.
    interval : float
        fs.
    leftover : dict
        ``near_spins``: largest probability, over all local-spin states, of
        finding the electron within ``margin`` sites of the spin region at
        ``t = interval`` (the largest eigenvalue of ``sum_{x near} K^dag K``);
        ``at_chain_ends``: the same within ``margin`` sites of either end;
        ``reached_chain_end``: probability the free packet has travelled
        beyond the chain ends by then (what the ends reflected);
        ``margin`` (sites).
    model : STTModel
    electron : dict
        ``k``, ``dk``, ``x0``, ``spin`` (direction) and ``polarization``.
    wall_time : float
        Seconds spent building it.
    """

    def __init__(self, model, superop, kraus_array, choi_eigenvalues,
                 interval, leftover, electron, tp_error, wall_time):
        self.model = model
        self.superop = superop
        self.kraus_array = kraus_array
        self.choi_eigenvalues = choi_eigenvalues
        self.interval = float(interval)
        self.leftover = leftover
        self.electron = electron
        self._tp_error = float(tp_error)
        self.wall_time = float(wall_time)

    @property
    def dims(self):
        """Dims of the local spins, ``[2S+1] * N``."""
        return [self.model.spin_dim] * self.model.N

    @property
    def kraus(self):
        """The compressed Kraus operators as a list of ``qutip.Qobj``."""
        return [qutip.Qobj(k, dims=[self.dims, self.dims])
                for k in self.kraus_array]

    def __call__(self, rho):
        """``Phi(rho)`` for a density matrix (or ket) of the local spins.

        Parameters
        ----------
        rho : qutip.Qobj
            Density matrix or ket with the dims of the local spins.

        Returns
        -------
        qutip.Qobj
            Density matrix.
        """
        if rho.isket:
            rho = qutip.ket2dm(rho)
        if rho.dims != [self.dims, self.dims]:
            raise ConfigError("rho", f"expected dims {[self.dims, self.dims]}"
                              f", got {rho.dims}")
        return qutip.vector_to_operator(
            self.superop @ qutip.operator_to_vector(rho))

    def cptp_errors(self):
        """How far the channel is from CPTP (each 0 for an exact channel).

        Returns
        -------
        dict
            ``trace_preservation``: largest entry of ``|sum_r K_r^dag K_r - 1|``
            over the uncompressed Kraus operators; ``choi_negativity``:
            ``max(0, -smallest Choi eigenvalue)``; ``choi_hermiticity``:
            largest ``|C - C^dag|`` of the Choi matrix from
            :func:`qutip.to_choi`; ``compressed_trace_preservation``: the
            first for the compressed list.
        """
        K = self.kraus_array
        D = K.shape[1]
        tp_c = np.abs(np.einsum("rai,raj->ij", K.conj(), K) - np.eye(D)).max()
        choi = qutip.to_choi(self.superop).full()
        return {"trace_preservation": self._tp_error,
                "choi_negativity": max(0.0, -float(self.choi_eigenvalues[0])),
                "choi_hermiticity": float(np.abs(choi - choi.conj().T).max()),
                "compressed_trace_preservation": float(tp_c)}

    def __repr__(self):
        return (f"ElectronChannel(D={self.kraus_array.shape[1]}, "
                f"kraus={self.kraus_array.shape[0]}, interval="
                f"{self.interval:g} fs, leftover near spins="
                f"{self.leftover['near_spins']:.2g})")


def _spin_inputs(electron, polarization):
    """Weighted electron spinors ``[(w, (a, b)), ...]`` (up, down amplitudes)."""
    chi = spin_coherent(0.5, electron, "electron.spin").full().ravel()
    perp = np.array([-np.conj(chi[1]), np.conj(chi[0])])
    out = [((1 + polarization) / 2, chi)]
    if polarization < 1:
        out.append(((1 - polarization) / 2, perp))
    return [(w, c) for w, c in out if w > 0]


def _sector_runs(model, phi, spins_in, interval, tol, bar, reached):
    """``V[s_in][x, s, a, j] = <x, s, a| U(T) |phi, s_in, j>`` for each ``s_in``.

    Sectors are independent: two run at a time in threads (the sparse
    products release the GIL), largest first, each with the propagator
    :func:`~qutip_stt.solvers.sector_propagators.sector_propagator` gives it
    (from the sector's tensor structure input by input, or from its sparse
    block or eigenbasis on all inputs at once).
    """
    D = model.spin_dim ** model.N
    Lx = model.Lx
    labels = model.sector_labels
    V = {s: np.zeros((Lx, 2, D, D), dtype=complex) for s in spins_in}
    inputs = {}
    for s in spins_in:
        for j in range(D):
            inputs.setdefault(round(float(labels[s * D + j]), 6), []).append(
                (s, j))

    def run(m):
        configs = np.flatnonzero(np.isclose(labels, m))
        n = configs.size
        position = {c: p for p, c in enumerate(configs)}
        X = np.zeros((Lx, n, len(inputs[m])), dtype=complex)
        for col, (s, j) in enumerate(inputs[m]):
            X[:, position[s * D + j], col] = phi
        X = X.reshape(Lx * n, -1)
        prop = sector_propagator(model, (m,), tol)
        prop.cancel = cancel
        Y = prop.propagate(X, interval)
        return m, configs, Y.reshape(Lx, n, -1)

    order = sorted(inputs, key=lambda m: -np.isclose(labels, m).sum()
                   * len(inputs[m]))
    workers = max(1, min(2, os.cpu_count() or 1))
    # an interrupted train does not wait for the sector runs under way:
    # they stop between two pieces of their series
    cancel = threading.Event()
    pool = concurrent.futures.ThreadPoolExecutor(workers)
    futures = [pool.submit(run, m) for m in order]
    try:
        for future in concurrent.futures.as_completed(futures):
            m, configs, Y = future.result()
            spin_out, local_out = np.divmod(configs, D)
            for col, (s, j) in enumerate(inputs[m]):
                V[s][:, spin_out, local_out, j] = Y[:, :, col]
                bar.update()
            if reached is not None:
                reached.append(len(inputs[m]))
    except BaseException:
        cancel.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return V


def electron_channel(model, interval, k=0.1, dk=0.2, x0=None, electron="-z",
                     polarization=1.0, *, margin=DEFAULT_MARGIN,
                     tol=DEFAULT_TOL,
                     leftover_tolerance=DEFAULT_LEFTOVER_TOLERANCE,
                     progress_bar=None, reached=None):
    """Build the one-electron channel ``Phi`` exactly from ``D`` sector runs.

    Parameters
    ----------
    model : STTModel
    interval : float
        Time between electrons, fs: each electron evolves with the full
        Hamiltonian for ``interval`` and is then traced out. Must be at least
        the time the packet centre needs to pass the spins
        (:func:`qutip_stt.trains.packet.arrival_time`).
    k, dk, x0 : float
        Packet of Eq. (4), as :func:`qutip_stt.states.wave_packet`.
    electron : str, dict or tuple, default: "-z"
        Electron spin direction (see :func:`qutip_stt.states.parse_direction`).
    polarization : float, default: 1.0
        1 for every electron along ``electron``, 0 for an unpolarized
        current; in between the mixture ``(1+p)/2`` along and ``(1-p)/2``
        against it.
    margin : int, default: :data:`~qutip_stt.trains.packet.DEFAULT_MARGIN`
        Sites around the spin region (and at each chain end) where probability
        left at ``t = interval`` counts as leftover.
    tol : float, default: :data:`qutip_stt.solvers.methods.chebyshev.DEFAULT_TOL`
        Chebyshev series tolerance.
    leftover_tolerance : float, default: :data:`DEFAULT_LEFTOVER_TOLERANCE`
        Warn (:class:`LeftoverWarning`) when ``near_spins + max(at_chain_ends,
        reached_chain_end)`` exceeds it.
    progress_bar : str, optional
        QuTiP progress bar advanced once per run (``D`` or ``2D`` runs).
    reached : list, optional
        The number of runs finished is appended sector by sector.

    Returns
    -------
    ElectronChannel

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> model = STTModel(Lx=80, N=1)
    >>> phi = electron_channel(model, 12.0, k=1.2, dk=0.4, x0=24)
    >>> phi.superop.superrep, phi.superop.shape
    ('super', (4, 4))
    >>> bool(phi.cptp_errors()["trace_preservation"] < 1e-10)
    True
    """
    if x0 is None:
        x0 = default_x0(model.Lx)
    start = time.perf_counter()
    D = model.spin_dim ** model.N
    polarization = check_real("train.polarization", polarization, 0, 1)
    margin = check_int("margin", margin, minimum=0)
    x0 = check_real("electron.x0", x0, 0, model.Lx - 1)
    dk = check_real("electron.dk", dk, minimum=0, strict_minimum=True)
    t_min = arrival_time(x0, model.sites, k, model.gamma)
    interval = check_real("train.interval", interval, minimum=0,
                          strict_minimum=True)
    if interval < t_min:
        raise ConfigError("train.interval", f"{interval:g} fs is shorter than "
                          f"the {t_min:.1f} fs the packet centre needs to pass "
                          f"the local spins (x0 = {x0:g}, group velocity "
                          f"{group_velocity(k, model.gamma):.3g} sites/fs)")
    mixture = _spin_inputs(electron, polarization)
    spins_in = sorted({s for _, chi in mixture for s in (0, 1) if chi[s] != 0})
    phi = wave_packet(model.Lx, k, dk, x0).full().ravel()
    phi[np.abs(phi) < 1e-150] = 0.0          # no subnormal arithmetic
    bar = progress_bars[progress_bar or ""](len(spins_in) * D)
    with one_blas_thread():
        V = _sector_runs(model, phi, spins_in, interval, tol, bar, reached)
    bar.finished()
    # raw Kraus operators K_{w,x,s} = sqrt(w) (a V_up + b V_down)[x, s]
    parts = []
    for w, chi in mixture:
        K = sum(chi[s] * V[s] for s in spins_in)
        parts.append(np.sqrt(w) * K.reshape(2 * model.Lx, D, D))
    K = np.concatenate(parts)
    sites_of = np.tile(np.repeat(np.arange(model.Lx), 2), len(parts))
    del V, parts
    keep = (K.real ** 2 + K.imag ** 2).sum(axis=(1, 2)) > 1e-300
    K, sites_of = K[keep], sites_of[keep]
    leftover = _leftover(model, K, sites_of, margin, k, dk, x0, interval)
    choi_vals, kraus, superop = _choi_and_kraus(K, D)
    tp_error = trace_error(superop)
    dims = [model.spin_dim] * model.N
    S = qutip.Qobj(superop, dims=[[dims, dims], [dims, dims]],
                   superrep="super", copy=False)
    total = leftover["near_spins"] + max(leftover["at_chain_ends"],
                                         leftover["reached_chain_end"])
    if total > leftover_tolerance:
        warnings.warn(_leftover_advice(leftover, interval, model),
                      LeftoverWarning, stacklevel=2)
    info = {"k": float(k), "dk": float(dk), "x0": float(x0),
            "spin": electron, "polarization": polarization}
    return ElectronChannel(model, S, kraus, choi_vals, interval, leftover,
                           info, tp_error, time.perf_counter() - start)


def _leftover(model, K, sites_of, margin, k, dk, x0, interval):
    """Largest electron probabilities near the spins and at the ends at t = T."""
    lo, hi = model.sites.min() - margin, model.sites.max() + margin

    def worst(mask):
        if not np.any(mask):
            return 0.0
        B = K[mask].reshape(-1, K.shape[2])
        E = B.conj().T @ B
        return float(max(scipy.linalg.eigvalsh(E)[-1], 0.0))

    near = worst((sites_of >= lo) & (sites_of <= hi))
    ends = worst((sites_of < margin) | (sites_of >= model.Lx - margin))
    _, beyond = free_leftover(model.Lx, k, dk, x0, model.sites, [interval],
                              model.gamma, margin)
    return {"near_spins": near, "at_chain_ends": ends,
            "reached_chain_end": float(beyond[0]), "margin": int(margin)}


def _leftover_advice(leftover, interval, model):
    near = leftover["near_spins"]
    ends = max(leftover["at_chain_ends"], leftover["reached_chain_end"])
    text = (f"after interval = {interval:g} fs up to {near:.3g} of the "
            f"electron is still within {leftover['margin']} sites of the "
            f"local spins and {ends:.3g} has reached a chain end, so the next "
            "electron meets spins the previous one still acts on")
    if near >= ends:
        return text + ("; a longer train.interval (with chain.length long "
                       "enough for it) or a smaller electron.dk reduces it")
    return text + (f"; a longer chain.length (now {model.Lx}) or a shorter "
                   "train.interval reduces it")


def trace_error(superop):
    """Largest ``|Tr Phi(|l><j|) - delta_lj|`` of a ``(D^2, D^2)`` superoperator.

    ``sum_r K_r^dag K_r`` is the partial trace of the Choi matrix over the
    output: 0 for a trace-preserving map.

    Examples
    --------
    >>> float(trace_error(np.eye(4)))
    0.0
    """
    superop = np.asarray(superop)
    D = int(round(np.sqrt(superop.shape[0])))
    return float(np.abs(np.einsum("aalj->lj", superop.reshape(D, D, D, D))
                        - np.eye(D)).max())


def _choi_and_kraus(K, D):
    """Choi spectrum, compressed Kraus tensor and superoperator from raw Kraus ``K``."""
    M = K.reshape(K.shape[0], D * D)
    used = np.flatnonzero(np.any(M != 0, axis=0))
    Mu = M[:, used]
    G = Mu.conj().T @ Mu               # Choi matrix on the used entries
    G = 0.5 * (G + G.conj().T)
    # total-S^z conservation makes G block diagonal: diagonalize block by block
    n_blocks, block_of = scipy.sparse.csgraph.connected_components(
        scipy.sparse.csr_matrix(G != 0), directed=False)
    vals_all, kraus = [], []
    for b in range(n_blocks):
        idx = np.flatnonzero(block_of == b)
        vals, vecs = scipy.linalg.eigh(G[np.ix_(idx, idx)])
        vals_all.append(vals)
        for lam, v in zip(vals, vecs.T):
            if lam > KRAUS_CUTOFF * max(1.0, float(np.max(np.abs(vals)))):
                vec = np.zeros(D * D, dtype=complex)
                vec[used[idx]] = np.sqrt(lam) * v.conj()
                kraus.append(vec.reshape(D, D))
    vals_all.append(np.zeros(D * D - used.size))
    choi_vals = np.sort(np.concatenate(vals_all))
    full = np.zeros((D * D, D * D), dtype=complex)
    full[np.ix_(used, used)] = G
    # S[(b,a),(l,j)] = G[(b,l),(a,j)]: column stacking, vec index col * D + row
    superop = full.reshape(D, D, D, D).transpose(0, 2, 1, 3).reshape(D * D,
                                                                     D * D)
    return choi_vals, np.array(kraus), np.ascontiguousarray(superop)
