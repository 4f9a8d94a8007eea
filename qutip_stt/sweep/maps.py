"""The QuTiP map functions a sweep runs on, and MPI detection.

``--map serial | parallel | loky | mpi`` selects :func:`qutip.serial_map`,
:func:`qutip.parallel_map`, :func:`qutip.loky_pmap` or
:func:`qutip.mpi_pmap` (:data:`MAPS`). MPI runs under ``mpiexec -n K python
-m mpi4py.futures -m qutip_stt sweep ...``: rank 0 runs the command and the
K-1 other ranks are the workers.
"""

import numbers
import os

import qutip

from ..errors import ConfigError
from . import MAP_FUNCTIONS

__all__ = ["MAPS", "map_setup"]

#: ``--map`` choice -> QuTiP map function (names in ``MAP_FUNCTIONS``).
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
        try:
            # qutip.mpi_pmap stops loky's resource tracker through this
            # attribute, which `import loky` alone does not set (qutip 5.3.1)
            import loky.backend.resource_tracker  # noqa: F401
        except ImportError:
            pass
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
        # workers import qutip_stt.sweep.run_point; they must not re-run the
        # command line (the main module)
        map_kw["main"] = False
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
