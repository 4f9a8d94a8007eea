"""The map functions a sweep runs on, and MPI.

``--map serial | parallel | loky`` selects :func:`qutip.serial_map`,
:func:`qutip.parallel_map` or :func:`qutip.loky_pmap` (:data:`MAPS`).
``--map mpi`` runs on mpi4py's executors (:func:`mpi_map`), in either of
the two ways users launch it:

* ``mpiexec -n K qutip-stt sweep ... --map mpi``: every rank runs the
  command; rank 0 leads (:class:`mpi4py.futures.MPICommExecutor`) and the
  K-1 others serve its points, then end with status 0 without writing;
* ``mpiexec -n K python -m mpi4py.futures -m qutip_stt sweep ...``: rank 0
  runs the command on mpi4py's shared pool of the K-1 others.

Without ``mpiexec``, ``--workers K`` spawns K workers where MPI supports it.
"""

import concurrent.futures
import contextlib
import numbers
import os

import qutip
from qutip.ui.progressbar import progress_bars

from ..errors import ConfigError
from . import MAP_FUNCTIONS

__all__ = ["MAPS", "map_setup", "mpi_map"]

#: ``--map`` choice -> QuTiP map function (names in ``MAP_FUNCTIONS``; the
#: ``"mpi"`` one runs through :func:`mpi_map`).
MAPS = {key: getattr(qutip, name) for key, name in MAP_FUNCTIONS.items()}


def map_setup(map_name, num_workers):
    """The QuTiP map function and its ``map_kw`` for a ``--map`` choice.

    Parameters
    ----------
    map_name : {"serial", "parallel", "loky", "mpi"}
    num_workers : int or None
        Worker processes; None for QuTiP's default (the MPI world size
        minus one under ``mpiexec``).

    Returns
    -------
    map_func : callable
    map_kw : dict

    Raises
    ------
    ConfigError
        Unknown map, a bad worker count, or a map whose package (loky,
        mpi4py) or launcher (``mpiexec``) is missing.

    Examples
    --------
    >>> func, kw = map_setup("parallel", 2)
    >>> func.__name__, kw["num_cpus"]
    ('parallel_map', 2)
    """
    if map_name not in MAPS:
        raise ConfigError("--map", f"expected one of {', '.join(MAPS)}, got "
                          f"{map_name!r}")
    map_kw = {}
    if num_workers is not None:
        if isinstance(num_workers, bool) or not isinstance(
                num_workers, numbers.Integral) or num_workers < 1:
            raise ConfigError("--workers", f"expected an integer >= 1, got "
                              f"{num_workers!r}")
        map_kw["num_cpus"] = int(num_workers)
    if map_name == "loky":
        try:
            import loky  # noqa: F401
        except ImportError:
            raise ConfigError("--map", "loky needs the loky package: pip "
                              "install loky (or qutip-stt[parallel])")
    if map_name == "mpi":
        # decide before importing mpi4py, which initializes MPI
        if _mpi_launched() is None and num_workers is None:
            raise ConfigError("--map", "mpi runs under mpiexec: mpiexec -n K "
                              "python -m mpi4py.futures -m qutip_stt sweep ... "
                              "(K-1 workers), or give --workers to spawn "
                              "workers where MPI supports spawning")
        try:
            from mpi4py import MPI
        except ImportError:
            raise ConfigError("--map", "mpi needs mpi4py and an MPI library: "
                              "apt-get install openmpi-bin libopenmpi-dev; "
                              "pip install mpi4py (or qutip-stt[mpi])")
        size = MPI.COMM_WORLD.Get_size()
        if size > 1:
            map_kw["num_cpus"] = size - 1
    # run_point returns a point's error instead of raising it, so an error
    # the map sees is a broken pool (a worker died): stop at once
    map_kw["fail_fast"] = True
    return MAPS[map_name], map_kw


def _mpi_launched():
    """World size announced by mpiexec (Open MPI, MPICH/Hydra, PMIx), or None."""
    for var in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                "MPI_LOCALNRANKS"):
        if var in os.environ:
            return int(os.environ[var])
    return None


@contextlib.contextmanager
def mpi_map(num_workers=None):
    """The map function of ``--map mpi`` on this rank, or None on a worker rank.

    On every rank of ``mpiexec -n K`` (K > 1, without ``-m
    mpi4py.futures``) :class:`mpi4py.futures.MPICommExecutor` splits the
    world: rank 0 gets the map function, the other ranks serve the tasks
    rank 0 submits while inside the ``with`` block and then get None. Under
    ``python -m mpi4py.futures`` only rank 0 runs this and its map runs on
    the shared pool; alone (no ``mpiexec``), ``num_workers`` workers are
    spawned.

    Parameters
    ----------
    num_workers : int, optional
        Workers to spawn when the world has one rank.

    Yields
    ------
    callable or None
        A map function with the signature of :func:`qutip.parallel_map`
        (``task, values, task_args, task_kwargs, reduce_func, map_kw,
        progress_bar, progress_bar_kwargs``), or None on a serving rank.
    """
    from mpi4py import MPI
    from mpi4py.futures import MPICommExecutor, MPIPoolExecutor
    from mpi4py.futures import _core

    alone = MPI.COMM_WORLD.Get_size() == 1 and _core.SharedPool is None
    executor = (MPIPoolExecutor(max_workers=num_workers) if alone
                else MPICommExecutor(MPI.COMM_WORLD, root=0))
    with executor as pool:
        yield None if pool is None else _executor_map(pool)


def _executor_map(executor):
    """QuTiP's map signature on a :class:`concurrent.futures.Executor`."""

    def map_func(task, values, task_args=(), task_kwargs=None,
                 reduce_func=None, map_kw=None, progress_bar=None,
                 progress_bar_kwargs=None):
        bar = progress_bars[progress_bar or ""](len(values),
                                                **(progress_bar_kwargs or {}))
        futures = [executor.submit(task, value, *task_args,
                                   **(task_kwargs or {})) for value in values]
        try:
            for future in concurrent.futures.as_completed(futures):
                out = future.result()       # raises if a worker died
                if reduce_func is not None:
                    reduce_func(out)
                bar.update()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        bar.finished()

    return map_func
