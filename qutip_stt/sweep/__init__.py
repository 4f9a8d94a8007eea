"""Parameter sweeps: many configs, one resumable HDF5 file (``qutip-stt sweep``).

The machinery lives in :mod:`~qutip_stt.sweep.core` and loads on first use;
:data:`MAP_FUNCTIONS` is plain data for the command line.
"""

import importlib

#: ``--map`` choice -> name of the QuTiP map function that runs the points.
MAP_FUNCTIONS = {"serial": "serial_map", "parallel": "parallel_map",
                 "loky": "loky_pmap", "mpi": "mpi_pmap"}


def __getattr__(name):
    core = importlib.import_module(f"{__name__}.core")
    try:
        value = getattr(core, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute "
                             f"{name!r}") from None
    globals()[name] = value
    return value


__all__ = ["MAP_FUNCTIONS", "Sweep", "MAPS", "read_sweep", "make_sweep",
           "point_key", "run_point", "point_summary", "run_sweep",
           "read_sweep_result", "read_sweep_point", "sweep_plot",
           "SWEEP_FORMAT"]
