"""Parameter sweeps: many configs, one resumable HDF5 file (``qutip-stt sweep``).

* :mod:`~qutip_stt.sweep.spec`: the sweep TOML, its axes and every point's
  resolved config (:func:`read_sweep`, :func:`make_sweep`, :class:`Sweep`);
* :mod:`~qutip_stt.sweep.runner`: checkpoints, resume and failures
  (:func:`run_sweep`, :func:`run_point`) on the QuTiP map functions of
  :mod:`~qutip_stt.sweep.maps` (serial, parallel, loky, MPI);
* the file layout is :mod:`qutip_stt.io.sweep_files`, the figure
  :mod:`qutip_stt.viz.sweep_plots`; their public names are importable from
  here too.

Every name loads on first use; :data:`MAP_FUNCTIONS` and
:data:`MAX_POINTS` are plain data for the command line.
"""

import importlib

#: ``--map`` choice -> name of the QuTiP map function that runs the points.
MAP_FUNCTIONS = {"serial": "serial_map", "parallel": "parallel_map",
                 "loky": "loky_pmap", "mpi": "mpi_pmap"}

#: Default largest number of points of one sweep (``--max-grid`` raises it).
MAX_POINTS = 10_000

#: Public name -> module that defines it (loaded on first use).
_WHERE = {
    "Sweep": ".spec", "read_sweep": ".spec", "make_sweep": ".spec",
    "point_key": ".spec", "DIRECTION_KEYS": ".spec",
    "MAPS": ".maps", "run_point": ".runner", "point_summary": ".runner",
    "run_sweep": ".runner", "PointFailed": ".runner",
    "read_sweep_result": "..io.sweep_files",
    "read_sweep_summary": "..io.sweep_files",
    "read_sweep_point": "..io.sweep_files",
    "SWEEP_FORMAT": "..io.sweep_files", "SUMMARY": "..io.sweep_files",
    "sweep_plot": "..viz.sweep_plots",
}


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute "
                             f"{name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


__all__ = ["MAP_FUNCTIONS", "MAX_POINTS", *_WHERE]
