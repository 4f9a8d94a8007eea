r"""The sector route: each total-S^z piece of a ket propagated exactly.

``[H, S^z_tot] = 0``, so a ket splits into pieces (:func:`qutip_stt.sectors.decompose`)
that evolve independently under the sector blocks of H, built from the
model's terms (:func:`qutip_stt.sectors.sector_hamiltonian`; the full
``Qobj`` Hamiltonian is never formed on this route). Each block gets the
exact propagator suited to its size (:func:`~qutip_stt.solvers.chebyshev.propagator_for`:
eigenbasis up to 400 states, Chebyshev series above, applied from the
block's tensor structure by the compiled recursion, or, without the
compiled module, from 20,000 states); in one thread the sectors are
propagated together, as their direct sum with one series
(``_propagators``). Every output time is hit exactly. The outputs go in
chunks of 8-64: each sector is propagated to all times of a chunk in one
call (one Chebyshev series spans several outputs), and the chunk's
populated amplitude columns
(:func:`qutip_stt.sectors.compact_amplitudes`) are reduced at once by
:func:`qutip_stt.reducer.reduce_amplitudes`. Runs of
:data:`THREAD_MIN_STATES` or more use two threads (:func:`sector_workers`).
"""

import concurrent.futures
import os
import time

import numpy as np
import scipy.sparse

from ..blas_threads import one_blas_thread
from ..progress import make_bar
from ..reducer import FLUSH_BELOW, OBSERVABLES, reduce_amplitudes
from ..sectors import (amplitude_matrix, compact_amplitudes,
                       coupling_blocks, decompose,
                       reassemble, sector_hamiltonian)
from ..spectral_bounds import sector_bounds
from . import kernels
from .chebyshev import DEFAULT_TOL, EIGEN_LIMIT, propagator_for
from .sector_operator import OPERATOR_MIN_STATES, SectorOperator

__all__ = ["evolve_sectors"]

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


def evolve_sectors(model, state, times, *, tol=DEFAULT_TOL,
                   store_states=False, progress_bar=None, progress_stage=None,
                   on_time=None, pair_recorder=None):
    """Evolve each total-S^z piece of ``state`` exactly and reduce at each time.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Initial ket.
    times : array_like
        Increasing output times, fs; every one is hit exactly.
    tol : float, default: :data:`qutip_stt.solvers.chebyshev_series.DEFAULT_TOL`
        Truncation of the Chebyshev series per output interval.
    store_states : bool, default: False
        Also return the reassembled ket at every time.
    progress_bar : str, optional
        A QuTiP progress bar (``"text"``, ``"enhanced"``, ``"tqdm"``,
        ``"html"``), advanced once per output time.
    progress_stage : str, optional
        What the bar measures, printed in each line of the text bar
        (:func:`qutip_stt.progress.make_bar`), e.g. ``"run 2 of 4"``.
    on_time : callable, optional
        Called with each output time (fs) once its observables are computed,
        so a caller can tell where an interrupted run stopped.
    pair_recorder : qutip_stt.entanglement.PairRecorder, optional
        Also records the pair and block measures of every output state (from
        the same amplitude matrix as the other observables).

    Returns
    -------
    times : numpy.ndarray
    arrays : dict
        Observables keyed as :data:`qutip_stt.reducer.OBSERVABLES`, time first.
    states : list of qutip.Qobj or None
    wall_time : float
        Seconds.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> t, obs, _, _ = evolve_sectors(model, initial_state(model, x0=10), [0, 5])
    >>> obs["local_spin"].shape
    (2, 2, 3)
    """
    start = time.perf_counter()
    times = np.asarray(times, dtype=float)
    data = {key: [] for key in OBSERVABLES}
    states = [] if store_states else None
    bar = make_bar(progress_bar, len(times), progress_stage)
    # The dense products here are small (spin-space matrices, blocks of at
    # most EIGEN_LIMIT states): a second BLAS thread only adds hand-over
    # cost, measured 2x slower on N = 8 generic states, 1.3x on the paper's
    # noncollinear case (the sparse matvecs are single-threaded anyway).
    with one_blas_thread():
        pieces = decompose(state, model)
        workers = sector_workers(sum(v.size for v in pieces.values()))
        groups, props = _propagators(model, pieces, tol, workers)
        # outputs are taken in chunks: each sector is propagated to every
        # time of the chunk in one call, and the chunk is reduced at once
        per_time = model.Lx * model.spin_space_dimension * 16
        chunk = int(min(MAX_CHUNK, max(MIN_CHUNK, CHUNK_BYTES // per_time)))
        # largest group first, so that threads finish together
        order = sorted(groups, key=lambda g: -sum(pieces[m].size for m in g))
        pool = (concurrent.futures.ThreadPoolExecutor(workers)
                if workers > 1 else None)
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
                stacks = {}
                for group, stack, _ in runs:
                    offset = 0
                    for m in group:       # a group's ket is its sectors' in turn
                        # a view: the reducer gathers the columns anyway
                        size = pieces[m].size
                        stacks[m] = stack[:, offset:offset + size]
                        offset += size
                energy = sum(e for _, _, e in runs)
                pieces = {m: stack[-1] for m, stack in stacks.items()}
                values = _reduce(stacks, model, energy, pool, workers)
                for key, value in values.items():
                    data[key].append(value)
                if pair_recorder is not None:
                    full = amplitude_matrix(stacks, model)
                    full[np.abs(full) < FLUSH_BELOW] = 0.0   # as the reducer
                for i, t in enumerate(times[first:last]):
                    if pair_recorder is not None:
                        pair_recorder.record(full[i])
                    if store_states:
                        states.append(reassemble({m: stack[i] for m, stack
                                                  in stacks.items()}, model))
                    if on_time is not None:
                        on_time(float(t))
                    bar.update()
                first = last
        finally:
            if pool is not None:
                # an interrupted run does not wait for the other sector
                pool.shutdown(wait=False, cancel_futures=True)
    bar.finished()
    arrays = {key: np.concatenate(vals) for key, vals in data.items()}
    return times, arrays, states, time.perf_counter() - start


def _propagators(model, pieces, tol, workers):
    """The exact propagators of the populated sectors.

    Each sector is bounded from the model's terms
    (:func:`~qutip_stt.spectral_bounds.sector_bounds`). In one thread the
    sectors go into one group, propagated by one series over the union of
    their bounds: their spectra nearly coincide (the chain's band plus a
    little spin energy), so the series is hardly longer, and each term is
    one product instead of one per sector (the paper's noncollinear run:
    the 400-state sector rides along with the 2,400-state one for ~10% of
    its products, instead of its own diagonalization). In two threads each
    sector is a group of its own.

    With the compiled module (:data:`~qutip_stt.solvers.kernels.COMPILED`)
    a group is applied from its tensor structure
    (:meth:`SectorOperator.direct_sum`), its sparse block never built, but
    for a sector alone of at most
    :data:`~qutip_stt.solvers.chebyshev.EIGEN_LIMIT` states (its
    eigenbasis). Without it, sectors of
    :data:`~qutip_stt.solvers.sector_operator.OPERATOR_MIN_STATES` states
    or more get their structured operator and a group of their own, the
    others their sparse block (a group's: the block-diagonal matrix).

    Returns
    -------
    groups : list of tuple
        The sectors (``m``) propagated together; a group's ket is its
        sectors' pieces one after the other.
    props : dict
        Group -> propagator.
    """
    terms = {m: coupling_blocks(model, m) for m in pieces}
    bounds = {m: sector_bounds(model, m, terms[m]) for m in pieces}
    if kernels.COMPILED:
        structured, alone = set(pieces), set()
    else:                   # the large sectors structured, each on its own
        structured = alone = {m for m in pieces
                              if pieces[m].size >= OPERATOR_MIN_STATES}
    merged = tuple(m for m in pieces if m not in alone)
    groups = [(m,) for m in pieces if m in alone]
    if workers == 1 and len(merged) > 1:
        groups.append(merged)
    else:
        groups += [(m,) for m in merged]
    props = {}
    for group in groups:
        lo = min(bounds[m][0] for m in group)
        hi = max(bounds[m][1] for m in group)
        small = len(group) == 1 and pieces[group[0]].size <= EIGEN_LIMIT
        if all(m in structured for m in group) and not small:
            operator = SectorOperator.direct_sum(model,
                                                 [terms[m] for m in group])
            props[group] = propagator_for(None, tol, (lo, hi), operator,
                                          workers > 1)
            continue
        blocks = [sector_hamiltonian(model, m, terms[m]) for m in group]
        block = (blocks[0] if len(group) == 1 else
                 scipy.sparse.block_diag(blocks, format="csr"))
        props[group] = propagator_for(block, tol, (lo, hi), None, workers > 1)
    return groups, props


def sector_workers(states):
    """Threads for a run whose sectors hold ``states`` states in all.

    The sparse products and dense algebra release the GIL, so independent
    sectors (and halves of a chunk's reduction) run in two threads on two
    cores; below :data:`THREAD_MIN_STATES` the hand-over costs more than it
    gives (the paper's 2,800 states take ~0.1 s in all).
    """
    if states < THREAD_MIN_STATES:
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0))
                      if hasattr(os, "sched_getaffinity")
                      else (os.cpu_count() or 1)))


def _reduce(stacks, model, energy, pool, workers):
    """:func:`reduce_amplitudes` of the chunk's populated columns
    (:func:`~qutip_stt.sectors.compact_amplitudes` of the sectors' stacks),
    its times split between the threads of ``pool`` when there is one (each
    thread gathers its own times' columns)."""
    energy = np.asarray(energy)

    def reduce_times(times):
        A, columns = compact_amplitudes(
            {m: stack[times] for m, stack in stacks.items()}, model)
        return reduce_amplitudes(A, model, energy[times], columns)

    T = len(energy)
    if pool is None or T < 2:
        return reduce_times(slice(None))
    bounds = np.linspace(0, T, workers + 1).round().astype(int)
    results = list(pool.map(reduce_times, [
        slice(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]))
    return {key: np.concatenate([r[key] for r in results])
            for key in results[0]}
