r"""Electron after electron: ``rho_{n+1} = Phi(rho_n)`` and what the spins do on the way.

The iteration multiplies ``vec(rho_n)`` by the superoperator of
:class:`~qutip_stt.trains.channel.ElectronChannel`. Total-S^z conservation
leaves most of its entries exactly zero, and a start that is diagonal in
total ``S^z`` (all spins along ``+z``) only ever reaches the entries of a
few ``Delta m`` blocks: the iteration runs on the smallest set of entries
closed under the channel that contains ``vec(rho_0)`` (found from the
sparsity pattern, exact), as a sparse matrix-vector product.
"""

import time
from dataclasses import dataclass, field

import numpy as np
import qutip
import scipy.sparse
import scipy.sparse.csgraph

from ..errors import ConfigError
from .._util.validation import check_int
from ..measures.quantum_info import (bloch_vectors, concurrences, entropies,
                                     mutual_information, partial_trace,
                                     purities)
from ..measures.selection import all_pairs
from ..solvers.summary import local_spin_lines
from ..model.sectors import configuration_labels, spin_grid

__all__ = ["TrainResult", "iterate", "local_observables", "electrons_needed",
           "reversal_bound"]


@dataclass
class TrainResult:
    """Local spins after each electron of a train, ``n = 0..K``.

    Attributes
    ----------
    n : numpy.ndarray
        ``(K+1,)`` electron numbers.
    states : list of qutip.Qobj
        ``rho_n``, density matrices with the dims of the local spins.
    local_spin : numpy.ndarray
        ``(K+1, N, 3)``: ``<Sigma_x,y,z>`` of each spin, hbar/2.
    total_sz : numpy.ndarray
        ``(K+1,)``: sum of ``<Sigma_z>``, hbar/2.
    purity_local, entropy_local : numpy.ndarray
        ``(K+1,)``: ``Tr rho_n^2`` and von Neumann entropy (natural log).
    probabilities : numpy.ndarray
        ``(K+1, D)``: probability of each local-spin configuration
        (diagonal of ``rho_n``), columns as ``configurations``.
    configurations : numpy.ndarray
        ``(D, N)``: m of each local spin per column.
    labels : list of str
        ``"↑↑↓"`` (spin-1/2) or ``"5/2"``, ``"3/2,1/2"``.
    pairs : numpy.ndarray
        ``(P, 2)``: pairs of local spins, numbered from 1.
    concurrence : numpy.ndarray or None
        ``(K+1, P)`` for spin-1/2, else None.
    mutual_information : numpy.ndarray
        ``(K+1, P)``, natural log.
    channel : ElectronChannel
    wall_time : float
        Seconds of the iteration and observables (not the channel).
    steady : SteadyState or None
        The fixed point of the channel (:func:`qutip_stt.trains.steady.steady_state`),
        when computed (a train with a bath).
    """

    n: np.ndarray
    states: list = field(repr=False)
    local_spin: np.ndarray
    total_sz: np.ndarray
    purity_local: np.ndarray
    entropy_local: np.ndarray
    probabilities: np.ndarray
    configurations: np.ndarray
    labels: list
    pairs: np.ndarray
    concurrence: object
    mutual_information: np.ndarray
    channel: object = field(repr=False)
    wall_time: float = 0.0
    steady: object = field(default=None, repr=False)

    @property
    def electrons_needed(self):
        """:func:`electrons_needed` of ``total_sz`` (dict)."""
        return electrons_needed(self.total_sz)

    def summary(self):
        """A few lines on the train: channel, leftover, reversal."""
        ch = self.channel
        need = self.electrons_needed
        lo = ch.leftover

        zero = ("does not cross zero within this train"
                if need["zero"] is None else f"crosses zero at n = {need['zero']}")
        ninety = ("is not 90% reversed within this train"
                  if need["ninety"] is None
                  else f"is 90% reversed at n = {need['ninety']}")

        lines = [] if self.steady is None else [
            f"fixed point: total S^z {self.steady.total_sz:.4g}, purity "
            f"{self.steady.purity:.4g}; gap {self.steady.gap:.4g} electrons "
            "(-1/ln|lambda_1|)"]
        return "\n".join([
            f"{len(self.n) - 1} electrons, interval {ch.interval:g} fs, "
            f"channel with {ch.kraus_array.shape[0]} Kraus operators "
            f"built in {ch.wall_time:.2f} s",
            f"leftover: {lo['near_spins']:.3g} near the spins, "
            f"{max(lo['at_chain_ends'], lo['reached_chain_end']):.3g} "
            "at the chain ends",
            *local_spin_lines(self.local_spin[-1],
                              float(np.max(self.configurations)),
                              when="after"),
            f"total S^z (hbar/2): {self.total_sz[0]:.4g} -> "
            f"{self.total_sz[-1]:.4g}; it {zero} and {ninety}",
            *lines])


def electrons_needed(total_sz, fraction=0.9):
    """First electron numbers at which total S^z crosses zero and reaches ``fraction`` reversal.

    Reversal of a start ``Sz_0 != 0`` is ``(Sz_0 - Sz_n) / (2 Sz_0)``
    (1 when ``Sz_n = -Sz_0``).

    Parameters
    ----------
    total_sz : array_like
        ``(K+1,)``, starting at ``n = 0``.
    fraction : float, default: 0.9

    Returns
    -------
    dict
        ``zero``: first ``n`` with ``Sz_n`` of opposite sign to ``Sz_0`` (or 0);
        ``ninety``: first ``n`` with reversal at least ``fraction``; None
        when it does not happen within the train (or ``Sz_0 = 0``).

    Examples
    --------
    >>> electrons_needed([5.0, 3.0, 1.0, -1.0, -3.0, -4.5])
    {'zero': 3, 'ninety': 5}
    """
    sz = np.asarray(total_sz, dtype=float)
    s0 = sz[0]
    if abs(s0) < 1e-12:
        return {"zero": None, "ninety": None}
    rev = (s0 - sz) / (2 * s0)
    crossed = np.flatnonzero(sz * np.sign(s0) <= 0)
    ninety = np.flatnonzero(rev >= fraction - 1e-12)
    return {"zero": int(crossed[0]) if crossed.size else None,
            "ninety": int(ninety[0]) if ninety.size else None}


def reversal_bound(channel, total_sz0, n):
    """Lowest total S^z angular-momentum conservation allows after ``n`` electrons.

    Each electron gives the spins at most ``1 - <sigma_z>_in`` (hbar/2 units;
    2 for a spin-down electron: one quantum), and they cannot go below
    ``-2 N S``.

    Parameters
    ----------
    channel : ElectronChannel
    total_sz0 : float
        Total S^z of the spins before the first electron, hbar/2.
    n : array_like
        Electron numbers.

    Returns
    -------
    numpy.ndarray
    """
    from ..states.forms import parse_direction
    theta, _ = parse_direction(channel.electron["spin"], "electron.spin")
    sz_in = channel.electron["polarization"] * np.cos(np.radians(theta))
    floor = -2 * channel.model.N * channel.model.S
    return np.maximum(total_sz0 - (1 - sz_in) * np.asarray(n, float), floor)


def _rho0(channel, rho0):
    model = channel.model
    dims = [model.spin_dim] * model.N
    if not isinstance(rho0, qutip.Qobj):
        from ..states.local import local_spins_state
        rho0 = local_spins_state(model, rho0)
    if rho0.isket:
        rho0 = qutip.ket2dm(rho0)
    if rho0.dims != [dims, dims]:
        raise ConfigError("rho0", f"expected a state of the local spins with "
                          f"dims {dims}, got {rho0.dims}")
    return rho0.full()


def _closed_support(S, start):
    """Smallest index set containing ``start`` that ``S`` maps into itself."""
    graph = scipy.sparse.csr_matrix(S.T != 0)   # edge j -> i when S[i, j] != 0
    seen = np.zeros(S.shape[0], dtype=bool)
    for s in start:
        if not seen[s]:
            order = scipy.sparse.csgraph.breadth_first_order(
                graph, s, directed=True, return_predecessors=False)
            seen[order] = True
    return np.flatnonzero(seen)


def iterate(channel, rho0="+z", electrons=10):
    """Send ``electrons`` electrons through the spins: ``rho_n = Phi^n(rho_0)``.

    Parameters
    ----------
    channel : ElectronChannel
    rho0 : qutip.Qobj, str, dict, tuple or list, default: "+z"
        Initial state of the local spins: a density matrix or ket with their
        dims, or directions as :func:`qutip_stt.states.local_spins_state`.
    electrons : int, default: 10
        ``K >= 0``.

    Returns
    -------
    TrainResult

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> from qutip_stt.trains import electron_channel
    >>> model = STTModel(Lx=80, N=2)
    >>> phi = electron_channel(model, 12.0, k=1.2, dk=0.4, x0=24)
    >>> train = iterate(phi, "+z", 3)
    >>> train.total_sz.shape, bool(train.total_sz[-1] < train.total_sz[0])
    ((4,), True)
    """
    start = time.perf_counter()
    K = check_int("train.electrons", electrons, minimum=0)
    model = channel.model
    N, S, d = model.N, model.S, model.spin_dim
    D = d ** N
    r0 = _rho0(channel, rho0)
    v0 = r0.T.ravel()                                 # column stacking
    Smat = channel.superop.full()
    support = _closed_support(Smat, np.flatnonzero(v0 != 0))
    sub = scipy.sparse.csr_matrix(Smat[np.ix_(support, support)])
    vecs = np.zeros((K + 1, support.size), dtype=complex)
    vecs[0] = v0[support]
    for i in range(K):
        vecs[i + 1] = sub @ vecs[i]
    full = np.zeros((K + 1, D * D), dtype=complex)
    full[:, support] = vecs
    rho = full.reshape(K + 1, D, D).transpose(0, 2, 1)
    dims = [[d] * N, [d] * N]
    states = [qutip.Qobj(r, dims=dims) for r in rho]
    configs = spin_grid([S] * N)
    labels = configuration_labels(configs, S, electron=False)
    return TrainResult(
        n=np.arange(K + 1), states=states, configurations=configs,
        labels=labels, channel=channel, **local_observables(rho, N, S),
        wall_time=time.perf_counter() - start)


def local_observables(rho, N, S):
    """What a train stores of each local-spins density matrix.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(K, D, D)`` density matrices of the ``N`` local spins of size ``S``.
    N : int
    S : float

    Returns
    -------
    dict
        ``local_spin`` (K, N, 3), ``total_sz``, ``purity_local``,
        ``entropy_local`` (natural log), ``probabilities`` (K, D),
        ``pairs`` (P, 2) numbered from 1, ``concurrence`` (K, P; spin-1/2,
        else None) and ``mutual_information`` (K, P; natural log).

    Examples
    --------
    >>> out = local_observables(np.eye(4)[None] / 4, 2, 0.5)
    >>> out["purity_local"], out["mutual_information"]
    (array([0.25]), array([[0.]]))
    """
    d = int(round(2 * S)) + 1
    local = bloch_vectors(rho, N, S)
    pairs = all_pairs(N)
    pair_rho = np.zeros((rho.shape[0], len(pairs), d * d, d * d),
                        dtype=complex)
    for p, (i, j) in enumerate(pairs):
        pair_rho[:, p] = partial_trace(rho, [d] * N, [i - 1, j - 1])
    return {"local_spin": local, "total_sz": local[:, :, 2].sum(axis=1),
            "purity_local": purities(rho), "entropy_local": entropies(rho),
            "probabilities": np.einsum("kii->ki", rho).real.copy(),
            "pairs": pairs,
            "concurrence": concurrences(pair_rho) if S == 0.5 else None,
            "mutual_information": mutual_information(pair_rho, d, d)}
