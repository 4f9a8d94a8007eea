r"""The sector route: each total-S^z piece of a ket propagated exactly.

``[H, S^z_tot] = 0``, so a ket splits into pieces (:func:`qutip_stt.model.sectors.decompose`)
that evolve independently under the sector blocks of H, built from the
model's terms (:func:`qutip_stt.model.sector_blocks.sector_hamiltonian`; the full
``Qobj`` Hamiltonian is never formed on this route). Each block gets the
exact propagator the one rule of :mod:`~qutip_stt.solvers.sector_propagators`
gives it (eigenbasis for small sectors, else a Chebyshev series, applied
from the sector's tensor structure); in one thread the sectors are
propagated together, as their direct sum with one series. Every output time
is hit exactly. The outputs go in
chunks of 8-64: each sector is propagated to all times of a chunk in one
call (one Chebyshev series spans several outputs), and the chunk's
populated amplitude columns
(:func:`qutip_stt.model.sectors.compact_amplitudes`) are reduced at once by
:func:`qutip_stt.measures.reducer.reduce_amplitudes`. Runs of
:data:`THREAD_MIN_STATES` or more use two threads (:func:`sector_workers`).

The loop is the same for the many-electron model: what depends on the model
(its sector pieces, a group's propagator, the reduction of a chunk, the
amplitudes the pair measures read, the ket of a time) is a *sector system*,
:class:`OneElectronSectors` here and
:class:`~qutip_stt.solvers.fermion_route.FermionSectors` for ``Ne``
electrons, handed to :func:`evolve_sectors`.
"""

import concurrent.futures
import os
import threading
import time

import numpy as np

from .._util.progress import make_bar
from ..measures.reducer import FLUSH_BELOW, OBSERVABLES, reduce_amplitudes
from ..model.sectors import (amplitude_matrix, compact_amplitudes, decompose,
                             reassemble)
from .chebyshev import ChebyshevPropagator
from .methods.chebyshev import DEFAULT_TOL
from .sector_propagators import sector_groups, sector_propagator

__all__ = ["evolve_sectors", "OneElectronSectors", "sector_workers"]

#: Memory of the amplitude matrices reduced at once (one chunk of outputs).
CHUNK_BYTES = 64 * 2 ** 20

#: Fewest outputs per chunk, whatever their size: one Chebyshev series
#: spans several outputs (:meth:`~qutip_stt.solvers.chebyshev.ChebyshevPropagator.group_size`).
MIN_CHUNK = 8

#: Most outputs per chunk (the progress bar and ``on_time`` advance per chunk).
MAX_CHUNK = 64

#: Runs with at least this many states in all use two threads
#: (:func:`sector_workers`).
THREAD_MIN_STATES = 50_000


class OneElectronSectors:
    """The sector system of :class:`~qutip_stt.model.STTModel`: what
    :func:`evolve_sectors` needs of the model.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj or SectorState
        The initial ket (a :class:`~qutip_stt.states.sector_state.SectorState`
        is taken as its pieces). For a model made without the full space
        (``full_space=False``) the spin space is never listed: the chunks are
        reduced from their populated configurations' m values, and stored
        states are SectorStates.

    Attributes
    ----------
    pieces : dict
        ``{m: amplitudes}``, :func:`~qutip_stt.model.sectors.decompose`.
    bytes_per_time : int
        Memory of one output time's amplitudes (for the chunks).
    """

    def __init__(self, model, state):
        self.model = model
        self.compact = not getattr(model, "full_space", True)
        if hasattr(state, "pieces"):
            self.pieces = dict(state.pieces)
        else:
            self.pieces = decompose(state, model)
        if self.compact:
            from ..model.sectors import sector_configurations
            self.order = list(self.pieces)
            self.configurations = np.concatenate(
                [sector_configurations(model, m) for m in self.order])
            n = self.configurations.shape[0]
            self.bytes_per_time = (model.Lx * n + 2 * n * n) * 16
        else:
            self.bytes_per_time = model.Lx * model.spin_space_dimension * 16

    def groups(self, sizes, workers):
        """:func:`~qutip_stt.solvers.sector_propagators.sector_groups`."""
        return sector_groups(sizes, workers)

    def propagator(self, group, tol, concurrent):
        """:func:`~qutip_stt.solvers.sector_propagators.sector_propagator`."""
        return sector_propagator(self.model, group, tol,
                                 concurrent=concurrent)

    def reduce(self, stacks, energy):
        """:func:`~qutip_stt.measures.reducer.reduce_amplitudes` of the
        stacks' populated columns."""
        if self.compact:
            Lx = self.model.Lx
            A = np.concatenate([stacks[m].reshape(-1, Lx, stacks[m].shape[-1]
                                                  // Lx)
                                for m in self.order], axis=-1)
            return reduce_amplitudes(A, self.model, energy,
                                     configurations=self.configurations)
        A, columns = compact_amplitudes(stacks, self.model)
        return reduce_amplitudes(A, self.model, energy, columns)

    def amplitudes(self, stacks):
        """The ``(T, Lx, D)`` amplitude matrices the pair measures read."""
        full = amplitude_matrix(stacks, self.model)
        full[np.abs(full) < FLUSH_BELOW] = 0.0        # as the reducer
        return full

    def state(self, pieces):
        """The ket of one time's pieces: a ``qutip.Qobj``, or a
        :class:`~qutip_stt.states.sector_state.SectorState` for a model
        without the full space."""
        if self.compact:
            from ..states.sector_state import SectorState
            return SectorState(self.model, {m: pieces[m].copy()
                                            for m in self.order})
        return reassemble(pieces, self.model)


def evolve_sectors(model, state, times, *, tol=DEFAULT_TOL,
                   store_states=False, progress_bar=None, progress_stage=None,
                   on_time=None, pair_recorder=None, system=None):
    """Evolve each total-S^z piece of ``state`` exactly and reduce at each time.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Initial ket.
    times : array_like
        Increasing output times, fs; every one is hit exactly.
    tol : float, default: :data:`qutip_stt.solvers.methods.chebyshev.DEFAULT_TOL`
        Truncation of the Chebyshev series per output interval.
    store_states : bool, default: False
        Also return the reassembled ket at every time.
    progress_bar : str, optional
        A QuTiP progress bar (``"text"``, ``"enhanced"``, ``"tqdm"``,
        ``"html"``), advanced once per output time.
    progress_stage : str, optional
        What the bar measures, printed in each line of the text bar
        (:func:`qutip_stt._util.progress.make_bar`), e.g. ``"run 2 of 4"``.
    on_time : callable, optional
        Called with each output time (fs) once its observables are computed,
        so a caller can tell where an interrupted run stopped.
    pair_recorder : qutip_stt.measures.pairs.PairRecorder, optional
        Also records the pair and block measures of every output state (from
        the same amplitude matrix as the other observables).
    system : object, optional
        The sector system (:class:`OneElectronSectors` of ``model`` and
        ``state`` by default;
        :class:`~qutip_stt.solvers.fermion_route.FermionSectors` for the
        many-electron model).

    Returns
    -------
    times : numpy.ndarray
    arrays : dict
        Observables keyed as
        :data:`~qutip_stt.measures.reducer.OBSERVABLES` (and whatever else
        the system's reduction returns), time first.
    states : list of qutip.Qobj or None
    stats : dict
        ``"preparation time"`` (splitting into sectors, propagators),
        ``"run time"`` (propagation), ``"reduce time"`` (observables), all in
        seconds; ``"sectors"`` (``{m: states}`` of the populated sectors),
        ``"threads"`` and ``"series terms"`` (products of the Chebyshev
        recursion in all).

    The caller sets one BLAS thread (the method declares
    ``one_blas_thread``): the dense products here are small, and a second
    BLAS thread only adds hand-over cost.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> t, obs, _, stats = evolve_sectors(model, initial_state(model, x0=10),
    ...                                   [0, 5])
    >>> obs["local_spin"].shape, stats["sectors"]
    ((2, 2, 3), {0.5: 120})
    """
    start = time.perf_counter()
    times = np.asarray(times, dtype=float)
    data = {key: [] for key in OBSERVABLES}
    states = [] if store_states else None
    bar = make_bar(progress_bar, len(times), progress_stage)
    system = OneElectronSectors(model, state) if system is None else system
    pieces = system.pieces
    sizes = {m: v.size for m, v in pieces.items()}
    workers = sector_workers(sum(sizes.values()))
    groups = system.groups(sizes, workers)
    props = {g: system.propagator(g, tol, workers > 1) for g in groups}
    cancel = threading.Event()       # set when the run is given up
    for prop in props.values():
        prop.cancel = cancel
    # outputs are taken in chunks: each sector is propagated to every time
    # of the chunk in one call, and the chunk is reduced at once
    chunk = int(min(MAX_CHUNK, max(MIN_CHUNK,
                                   CHUNK_BYTES // system.bytes_per_time)))
    # largest group first, so that threads finish together
    order = sorted(groups, key=lambda g: -sum(sizes[m] for m in g))
    pool = (concurrent.futures.ThreadPoolExecutor(workers)
            if workers > 1 else None)
    prepared = time.perf_counter()
    reducing = 0.0
    try:
        first = 0
        while first < len(times):
            last = min(first + chunk, len(times))
            # the chunk starts from the last ket of the previous one
            origin = max(first - 1, 0)

            def advance(group):
                psi = (pieces[group[0]] if len(group) == 1 else
                       np.concatenate([pieces[m] for m in group]))
                stack, energy = props[group].evolve_many(
                    psi, times[origin:last], energies=True)
                return (group, stack[first - origin:],
                        energy[first - origin:])

            runs = list(pool.map(advance, order) if pool
                        else map(advance, order))
            tick = time.perf_counter()
            stacks = {}
            for group, stack, _ in runs:
                offset = 0
                for m in group:       # a group's ket is its sectors' in turn
                    # a view: the reducer gathers the columns anyway
                    stacks[m] = stack[:, offset:offset + sizes[m]]
                    offset += sizes[m]
            energy = sum(e for _, _, e in runs)
            pieces = {m: stack[-1] for m, stack in stacks.items()}
            values = _reduce(system, stacks, energy, pool, workers)
            for key, value in values.items():
                data.setdefault(key, []).append(value)
            if pair_recorder is not None:
                full = system.amplitudes(stacks)
            for i, t in enumerate(times[first:last]):
                if pair_recorder is not None:
                    pair_recorder.record(full[i])
                if store_states:
                    states.append(system.state({m: stack[i] for m, stack
                                                in stacks.items()}))
                if on_time is not None:
                    on_time(float(t))
                bar.update()
            reducing += time.perf_counter() - tick
            first = last
    except BaseException:
        cancel.set()        # the other thread stops between two pieces
        raise
    finally:
        if pool is not None:
            # an interrupted run does not wait for the other sector
            pool.shutdown(wait=False, cancel_futures=True)
    bar.finished()
    arrays = {key: np.concatenate(vals) for key, vals in data.items()}
    stats = {"preparation time": prepared - start,
             "run time": time.perf_counter() - prepared - reducing,
             "reduce time": reducing, "sectors": sizes, "threads": workers,
             "series terms": sum(p.terms for p in props.values()
                                 if isinstance(p, ChebyshevPropagator))}
    return times, arrays, states, stats


def sector_workers(states):
    """Threads for a run whose sectors hold ``states`` states in all.

    The sparse products and dense algebra release the GIL, so independent
    sectors (and halves of a chunk's reduction) run in two threads on two
    cores; below :data:`THREAD_MIN_STATES` the hand-over costs more than it
    gives (the paper's 2,800 states are below it).
    """
    if states < THREAD_MIN_STATES:
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0))
                      if hasattr(os, "sched_getaffinity")
                      else (os.cpu_count() or 1)))


def _reduce(system, stacks, energy, pool, workers):
    """The system's reduction of the chunk (:meth:`OneElectronSectors.reduce`),
    its times split between the threads of ``pool`` when there is one (each
    thread gathers its own times' amplitudes)."""
    energy = np.asarray(energy)

    def reduce_times(times):
        return system.reduce({m: stack[times] for m, stack in stacks.items()},
                             energy[times])

    T = len(energy)
    if pool is None or T < 2:
        return reduce_times(slice(None))
    bounds = np.linspace(0, T, workers + 1).round().astype(int)
    results = list(pool.map(reduce_times, [
        slice(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]))
    return {key: np.concatenate([r[key] for r in results])
            for key in results[0]}
