"""Method ``"exact"``: ``Ne`` electrons at once, every (``Ne``, total-S^z) sector propagated exactly.

What ``"auto"`` runs for a :class:`~qutip_stt.model.many_electron.ManyElectronModel`
(a config's ``[electrons]`` table). The ket's sector pieces
(:class:`~qutip_stt.states.fermions.ManyElectronState`) are propagated by
the exact propagators of the one-electron route (eigenbasis or Chebyshev
series on each sector's sparse block, the compiled recursion) in chunks of
output times, every time hit exactly, and reduced by
:func:`~qutip_stt.measures.fermion_observables.reduce_fermions`
(:mod:`qutip_stt.solvers.fermion_route`). Before any work its limits refuse
a run whose sectors do not fit in memory, naming both numbers and the MPS
method (``method = "mps"``, :mod:`qutip_stt.solvers.methods.mps`).
"""

from ..registry import Method, Option, Outcome, register_method
from ._checks import closed_system, conserved_sz, positive, route_options
from .chebyshev import DEFAULT_TOL

__all__ = ["METHOD", "STORES"]

#: The datasets the method adds to the observables.
STORES = ("electrons/spin_density", "electrons/spin",
          "electrons/count_right")


def _requires(model):
    if not getattr(model, "many_electrons", False):
        return ("it propagates several electrons ([electrons], a "
                "ManyElectronModel); the one-electron model's exact route is "
                "\"chebyshev\"")
    return closed_system(model) or conserved_sz(model)


def _limits(model, state, times, options):
    from ..limits import exact_limits
    return exact_limits(model, state, times)


def _run(request):
    from ..fermion_route import evolve_fermions

    times, arrays, states, stats = evolve_fermions(
        request.model, request.state, request.times, **route_options(request))
    extra = {key: arrays.pop(key) for key in STORES}
    units = {key: {"unit": "hbar/2"} for key in STORES[:2]}
    return Outcome(times, arrays, states, stats=stats, extra=extra,
                   dataset_attrs=units, file_attrs={"electrons":
                                                    request.model.Ne})


METHOD = register_method(Method(
    name="exact",
    summary="Ne electrons at once: exact propagator on each (Ne, total "
            "S^z) sector of the many-electron model",
    run=_run,
    options=(Option("tol", DEFAULT_TOL, positive,
                    "truncation of the Chebyshev series per output "
                    "interval; > 0; default 1e-12"),),
    requires=_requires, auto=5, limits=_limits, reflections="background",
    one_blas_thread=True, stores=STORES))
