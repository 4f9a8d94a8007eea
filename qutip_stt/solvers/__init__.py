"""Solvers: from an initial ket to observables at every output time.

:func:`evolve` is the one entry point; it dispatches to

* :mod:`~qutip_stt.solvers.sector_route` (``"chebyshev"``, the default
  ``"auto"``): exact propagation of each total-S^z sector with the
  propagators of :mod:`~qutip_stt.solvers.chebyshev` (large sectors
  applied from their tensor structure by
  :mod:`~qutip_stt.solvers.sector_operator`);
* :func:`qutip.sesolve` with QuTiP's ``dop853`` (``"sesolve"``) or with our
  registered :class:`~qutip_stt.solvers.crank_nicolson.CrankNicolson`
  (``"crank-nicolson"``).

Every route returns an :class:`~qutip_stt.solvers.result.STTResult` whose
observables come from :func:`qutip_stt.reducer.reduce_amplitudes`.
:mod:`~qutip_stt.solvers.methods` (plain data) names the methods; the rest
loads on first use, so reading the method names imports no QuTiP.
"""

import importlib

__all__ = ["evolve", "STTResult", "build_result", "METHODS", "DEFAULT_DT",
           "SESOLVE_OPTIONS", "ReflectionWarning", "FullSpaceWarning",
           "check_reflections",
           "output_times", "resolve_method", "CrankNicolson"]

_WHERE = {
    "evolve": "evolution", "ReflectionWarning": "evolution",
    "FullSpaceWarning": "evolution",
    "check_reflections": "evolution", "output_times": "evolution",
    "resolve_method": "evolution", "STTResult": "result",
    "build_result": "result", "METHODS": "methods", "DEFAULT_DT": "methods",
    "SESOLVE_OPTIONS": "methods", "CrankNicolson": "crank_nicolson",
}


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"),
                        name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
