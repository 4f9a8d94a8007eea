r"""Running a sweep: QuTiP map functions, MPI detection, checkpoints, resume.

Every point is one :func:`qutip_stt.simulation.simulate` run of its
resolved config, dispatched by :func:`qutip.serial_map`,
:func:`qutip.parallel_map`, :func:`qutip.loky_pmap` or
:func:`qutip.mpi_pmap` (:mod:`~qutip_stt.sweep.maps`).

Resuming: the resolved config of a point (:func:`point_key`) is its key.
Run the same command again and the points whose key is already in the
output file are kept, not recomputed, wherever they sit in the new sweep
(another order, grid or zip, an added one-value axis): the file is rebuilt
in the new shape (:func:`qutip_stt.io.sweep_files.write_sweep_file`). A
file holding finished points the new sweep lacks is refused before any
work. While a sweep runs it holds a lock on its output
(:func:`qutip_stt.io.locks.output_lock`): a second writer is refused.

Finished points are collected and the whole file is rewritten atomically
at most every ``checkpoint`` seconds, at the end, and on an interruption or
error, so the file on disk is always a complete, readable sweep file; no
file is created before a point has finished. A point whose run raises (in
any worker) is reported by :class:`PointFailed` after every other point has
run; a worker that dies ends the map, and every point finished before is
kept.
"""

import os
import threading
import time
import warnings

import numpy as np

from .._util.blas_threads import one_blas_thread
from ..errors import ConfigError
from ..io import check_output_path
from ..io.locks import output_lock
from ..io.sweep_files import (check_sweep_file, done_points,
                              open_sweep_file, write_sweep_file)
from ..io.sweep_schema import LABELS
from ..io.results import DATASETS
from .._util.progress import bar_options
from ..simulation import check_memory
from ..solvers.evolution import ReflectionWarning
from ..simulation import check_reflections, simulate
from .maps import map_setup, mpi_map
from .spec import point_key

__all__ = ["run_point", "point_summary", "run_sweep", "PointFailed"]

class PointFailed(RuntimeError):
    """Some points of a sweep failed; every other finished point is saved.

    The message (one line) names the first failed point, its coordinates
    and the reason, and how many points the file holds.

    Examples
    --------
    >>> str(PointFailed("point 2 failed"))
    'point 2 failed'
    """


def run_point(config):
    """Run one point (the task handed to the QuTiP map functions).

    The point runs with one BLAS thread
    (:func:`~qutip_stt._util.blas_threads.one_blas_thread`), so that its numbers
    are the same bit for bit under every map function. An error raised by
    the run is returned, not raised, so that one bad point does not stop a
    parallel map (nor end in a pool traceback).

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    dict
        ``key`` (:func:`point_key`) and either ``arrays`` (HDF5 dataset
        name -> numpy array, the layout of a single run), ``wall``
        (``evolution_wall_s``) and ``summary`` (:func:`point_summary`), or
        ``error`` (one line: the exception's type and message).

    Examples
    --------
    >>> from qutip_stt.config import apply_overrides
    >>> out = run_point(apply_overrides({}, ["chain.length=40",
    ...     "local_spins.count=1", "evolution.t_max=5", "evolution.n_times=3"]))
    >>> out["arrays"]["local/spin"].shape
    (3, 1, 3)
    """
    key = point_key(config)
    try:
        # one BLAS thread per point, whatever map runs it: threaded BLAS
        # sums in another order, and parallel workers would oversubscribe
        with one_blas_thread():
            # reflections are checked once per geometry in the main process
            result = simulate(config, warn_reflections=False)
        arrays = {name: np.asarray(getattr(result, attr))
                  for name, attr in DATASETS.items()}
        arrays[LABELS] = np.array(result.labels, dtype=object)
        return {"key": key, "arrays": arrays, "wall": float(result.wall_time),
                "summary": point_summary(arrays)}
    except Exception as exc:            # noqa: BLE001 - reported per point
        text = " ".join(str(exc).split()) or "no message"
        return {"key": key, "error": f"{type(exc).__name__}: {text}"}


def point_summary(arrays):
    """The scalars of ``SUMMARY`` (:mod:`qutip_stt.io.sweep_schema`) for one point.

    The spin-flip probability is that of the electron: with ``n`` its initial
    Bloch vector (``<sigma>(0)``, a unit vector for the product initial
    state), ``P_flip = (1 - n . <sigma>(t_max)) / 2``, the probability that a
    measurement along ``n`` finds the spin reversed. For the collinear case
    (electron -z, local spins +z) it equals, by conservation of total S^z,
    the probability that one local-spin quantum has been flipped; for a
    tilted start it also counts the precession of the electron spin about
    the local spins.

    Parameters
    ----------
    arrays : dict
        Dataset name -> array of one run (``electron/spin``, ``local/spin``,
        ``purity/local``).

    Returns
    -------
    dict
        ``name -> float``.

    Examples
    --------
    >>> spin = np.array([[0, 0, -1.0], [0, 0, -0.6]])
    >>> point_summary({"electron/spin": spin, "local/spin": np.ones((2, 1, 3)),
    ...                "purity/local": np.ones(2)})["spin_flip_probability"]
    0.2
    """
    e = np.asarray(arrays["electron/spin"])
    s = np.asarray(arrays["local/spin"])[-1]
    n = e[0] / np.linalg.norm(e[0])
    return {
        "purity_local": float(np.asarray(arrays["purity/local"])[-1]),
        "spin_length": float(np.mean(np.linalg.norm(s, axis=1))),
        "magnetization_length": float(np.linalg.norm(s.sum(axis=0))),
        "spin_flip_probability": float(np.clip((1 - n @ e[-1]) / 2, 0, 1)),
    }


def _check_points(sweep, todo):
    """Before any work: memory of every point, one warning for reflections."""
    hits, seen, sizes = [], {}, set()
    for i in todo:
        c = sweep.configs[i]
        size = (c["chain"]["length"], c["local_spins"]["count"],
                c["local_spins"]["spin"], c["evolution"]["method"],
                c["evolution"]["n_times"])
        if size not in sizes:
            check_memory(c)
            sizes.add(size)
        # what reflection_times depends on: the check, which grows with the
        # chain, runs once per geometry
        geometry = (c["chain"]["length"], c["chain"]["hopping"],
                    c["local_spins"]["count"], c["local_spins"]["first_site"],
                    c["electron"]["k"], c["electron"]["dk"],
                    c["electron"]["x0"], c["evolution"]["t_max"])
        if geometry not in seen:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ReflectionWarning)
                check_reflections(c)
            seen[geometry] = str(caught[0].message) if caught else None
        if seen[geometry] is not None:
            hits.append((i, seen[geometry]))
    if hits:
        i, text = hits[0]
        warnings.warn(f"{len(hits)} of {len(todo)} points: reflections "
                      f"within t_max (point {i}: {text})", ReflectionWarning,
                      stacklevel=4)


def _describe(sweep, index):
    return ", ".join(f"{k} = {v!r}" for k, v in
                     sweep.coordinates(index).items())


def run_sweep(sweep, path, map="serial", *, num_workers=None,
              progress_bar=None, max_points=None, checkpoint=10.0,
              overwrite=False, inputs=()):
    """Run the points of a sweep not yet in ``path`` and write them there.

    Parameters
    ----------
    sweep : Sweep
        From :func:`~qutip_stt.sweep.read_sweep` or
        :func:`~qutip_stt.sweep.make_sweep`.
    path : str or os.PathLike
        Output HDF5 file. If it is a sweep file already, its finished points
        whose resolved config (:func:`point_key`) is in ``sweep`` are kept
        and not recomputed, wherever they sit in ``sweep``; a file holding
        finished points that ``sweep`` lacks is refused
        (:class:`ConfigError`) rather than overwritten. Locked while the
        sweep runs: a second writer is refused.
    map : {"serial", "parallel", "loky", "mpi"}
        The map function (:mod:`~qutip_stt.sweep.maps`). ``"mpi"`` runs on
        mpi4py's executors (:func:`~qutip_stt.sweep.maps.mpi_map`): call it
        on every rank of ``mpiexec -n K`` (rank 0 leads, the K-1 others
        serve), or on rank 0 of ``mpiexec -n K python -m mpi4py.futures``.
    num_workers : int, optional
        Worker processes (``map_kw["num_cpus"]``); default QuTiP's
        (the CPU count), or the MPI world size minus one.
    progress_bar : str, optional
        QuTiP progress bar name (``"tqdm"``, ``"text"``, ``""``).
    max_points : int, optional
        Run at most this many new points (the rest on a later call).
    checkpoint : float, default: 10.0
        Rewrite the file after a finished point when this many seconds have
        passed since the last write (0: after every point). It is always
        written at the end and on interruption or error.
    overwrite : bool, default: False
        ``--force``: a file at ``path`` that is not a qutip-stt sweep file
        (another program's file, a result file) is replaced instead of
        refused; a sweep file is still resumed.
    inputs : sequence of str, optional
        Files the sweep reads (its spec), never replaced.

    Returns
    -------
    dict or None
        ``n_points``, ``n_skipped`` (already in the file), ``n_run``,
        ``n_done`` (in the file now), ``wall_s``; None on an MPI rank that
        served the points of rank 0 (which writes the file).

    Raises
    ------
    ConfigError
        Bad arguments, an output that is locked or not a sweep file, or a
        point that does not fit in memory: before any work.
    PointFailed
        After the map, if a point raised or a worker died; every point that
        finished is in the file.

    Examples
    --------
    >>> from qutip_stt.sweep import make_sweep
    >>> s = make_sweep({"chain": {"length": 40}, "local_spins": {"count": 1},
    ...                 "evolution": {"t_max": 5.0, "n_times": 3}},
    ...                {"local_spins.J_sd": [0.1, 0.2]})
    >>> run_sweep(s, "scan.h5")["n_done"]                    # doctest: +SKIP
    2
    """
    path = check_output_path(path, inputs=inputs, overwrite=overwrite,
                             formats=(".h5", ".hdf5"))
    map_func, map_kw = map_setup(map, num_workers)
    if max_points is not None and (isinstance(max_points, bool) or int(
            max_points) != max_points or max_points < 0):
        raise ConfigError("--max-points", f"expected an integer >= 0, got "
                          f"{max_points!r}")
    if map == "mpi":
        with mpi_map(num_workers) as map_func:
            if map_func is None:        # a serving rank: rank 0 writes
                return None
            return _run(sweep, path, map_func, map_kw, progress_bar,
                        max_points, checkpoint, overwrite)
    return _run(sweep, path, map_func, map_kw, progress_bar, max_points,
                checkpoint, overwrite)


def _existing(path, overwrite):
    """The sweep file at ``path`` to resume, or None (none, or replaced)."""
    try:
        return open_sweep_file(path, "--out", missing_ok=True)
    except ConfigError:
        if overwrite and os.path.isfile(path):
            return None
        raise


def _run(sweep, path, map_func, map_kw, progress_bar, max_points,
         checkpoint, overwrite=False):
    start = time.perf_counter()
    with output_lock(path):
        state = {"old": _existing(path, overwrite), "overwrite": overwrite}
        try:
            return _run_locked(sweep, path, map_func, map_kw, progress_bar,
                               max_points, checkpoint, state, start)
        finally:
            if state["old"] is not None:
                state["old"].close()


def _run_locked(sweep, path, map_func, map_kw, progress_bar, max_points,
                checkpoint, state, start):
    found, damaged = {}, []
    if state["old"] is not None:
        info = check_sweep_file(state["old"], path, "--out")
        found, damaged = done_points(state["old"], info)
    keys = sweep.point_keys
    lost = len(set(found) - set(keys))
    if lost:
        raise ConfigError("--out", f"{path} holds {lost} finished points "
                          "that are not in this sweep and would be lost; "
                          "choose another --out or remove the file")
    if damaged:
        warnings.warn(f"{path}: {len(damaged)} point(s) marked done hold no "
                      f"data (first: point {damaged[0]}); they are run again",
                      RuntimeWarning, stacklevel=3)
    todo = [i for i, k in enumerate(keys) if k not in found]
    n_skipped = len(keys) - len(todo)
    if max_points is not None:
        todo = todo[:int(max_points)]
    _check_points(sweep, todo)
    index = {keys[i]: i for i in todo}
    pending, failed, collected = {}, {}, set()
    lock = threading.Lock()
    state.update(last=time.monotonic(), n_done=n_skipped, error=None)

    def flush(final=False):
        # no file before a point has finished; at the end, an existing file
        # is rewritten even with nothing new, into the shape of this sweep
        if pending or (final and state["old"] is not None
                       and not state.get("wrote")):
            state["wrote"] = True
            state["n_done"] = write_sweep_file(path, sweep, dict(pending),
                                               state["old"],
                                               overwrite=state["overwrite"])
            pending.clear()
            if state["old"] is not None:
                state["old"].close()
            state["old"] = None
            state["old"] = open_sweep_file(path, "--out")
        state["last"] = time.monotonic()

    def collect(out):
        # called in the map's threads: never raise here (an exception in a
        # future's callback is only logged); keep it for after the map
        with lock:
            i = index[out["key"]]
            collected.add(i)
            if "error" in out:
                failed[i] = out["error"]
                return
            pending[i] = (out["key"], out["arrays"], out["wall"],
                          out["summary"])
            if time.monotonic() - state["last"] >= checkpoint:
                try:
                    flush()
                except Exception as exc:     # noqa: BLE001 - raised below
                    state["error"] = state["error"] or exc

    crash = None
    try:
        if todo:
            bar_name, bar_kwargs = bar_options(
                progress_bar, f"sweep: {len(todo)} points")
            try:
                map_func(run_point, [sweep.configs[i] for i in todo],
                         reduce_func=collect, map_kw=map_kw,
                         progress_bar=bar_name, progress_bar_kwargs=bar_kwargs)
            except Exception as exc:        # noqa: BLE001 - a worker died
                crash = exc
    finally:
        with lock:
            flush(final=True)
    if state["error"] is not None:
        raise state["error"]
    saved = f"{state['n_done']} of {len(sweep)} points are saved in {path}"
    if crash is not None:
        lost = [i for i in todo if i not in collected]
        where = ", ".join(map(str, lost[:5])) + (", ..." if len(lost) > 5
                                                  else "")
        text = " ".join(str(crash).split()) or "no message"
        raise PointFailed(
            f"a sweep worker stopped ({type(crash).__name__}: {text}) while "
            f"running point(s) {where}; {saved}; run the same command to "
            "continue")
    if failed:
        i = min(failed)
        raise PointFailed(
            f"{len(failed)} point(s) failed; point {i} ({_describe(sweep, i)})"
            f": {failed[i]}; {saved}")
    return {"n_points": len(sweep), "n_skipped": n_skipped,
            "n_run": len(todo), "n_done": state["n_done"],
            "wall_s": time.perf_counter() - start}
