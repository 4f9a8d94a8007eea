"""Solvers: from an initial ket to observables at every output time.

:func:`evolve` is the one entry point. It looks the method up in the
registry (:mod:`~qutip_stt.solvers.registry`), where every method declares
its name, options, limits, memory estimate and run; the package's methods
are the modules of :mod:`~qutip_stt.solvers.methods`:

* ``"chebyshev"`` (the default ``"auto"``): the sector route
  (:mod:`~qutip_stt.solvers.sector_route`), each total-S^z sector
  propagated exactly (:mod:`~qutip_stt.solvers.sector_propagators` chooses
  its propagator: :mod:`~qutip_stt.solvers.chebyshev`,
  :mod:`~qutip_stt.solvers.eigen`, applied from the sector's tensor
  structure by :mod:`~qutip_stt.solvers.sector_operator` and the compiled
  :mod:`~qutip_stt.solvers.kernels`);
* ``"sesolve"`` and ``"crank-nicolson"``: :func:`qutip.sesolve` with
  QuTiP's ``dop853`` or our registered
  :class:`~qutip_stt.solvers.crank_nicolson.CrankNicolson`
  (:mod:`~qutip_stt.solvers.qutip_route`);
* ``"classical"``: the mean-field limit (:mod:`~qutip_stt.solvers.classical`);
* ``"exact"`` (what ``"auto"`` runs for several electrons): the
  many-electron sectors (:mod:`~qutip_stt.solvers.fermion_route`).

Every method returns an :class:`~qutip_stt.solvers.result.STTResult` whose
observables come from :func:`qutip_stt.measures.reducer.reduce_amplitudes`.
The names load on first use, so reading the method names imports no QuTiP.
"""

from .._util.lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "evolution": ["evolve", "output_times", "ReflectionWarning",
                  "check_reflections"],
    "registry": ["Method", "Option", "Run", "Outcome", "register_method",
                 "unregister_method", "get_method", "method_names",
                 "METHODS", "resolve_method", "FullSpaceWarning"],
    "result": ["STTResult", "build_result"],
    "memory": ["run_memory"],
    "crank_nicolson": ["CrankNicolson"],
    "sector_propagators": ["sector_propagator"],
}, modules=("methods", "limits", "sector_route", "fermion_route",
            "chebyshev", "eigen",
            "sector_operator", "kernels", "classical", "mean_field"))
