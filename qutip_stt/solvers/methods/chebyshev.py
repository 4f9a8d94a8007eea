"""Method ``"chebyshev"``: the exact sector route (the default of ``"auto"``).

The ket is split into its total-S^z sectors, each propagated exactly to
every output time (:mod:`qutip_stt.solvers.sector_route`: Chebyshev series
or eigenbasis, from the sector's tensor structure), and the pieces reduced
together by the one reducer. The full ``Qobj`` Hamiltonian is never built.
"""

from ..registry import Method, Option, Outcome, register_method
from ._checks import (full_space_bytes, positive, route_options,
                      sector_method)

__all__ = ["METHOD"]

#: Default tolerance of the Chebyshev series (largest dropped coefficient
#: per output interval).
DEFAULT_TOL = 1e-12


def _run(request):
    from ..sector_route import evolve_sectors

    times, arrays, states, stats = evolve_sectors(
        request.model, request.state, request.times, **route_options(request))
    return Outcome(times, arrays, states, stats=stats)


def _limits(model, state, times, options):
    from ..limits import chebyshev_limits
    limits = chebyshev_limits(model, times)
    if hasattr(state, "pieces"):        # a SectorState: its sectors' memory
        from ..._util.resources import check_allocation
        from ..memory import sector_memory
        need = sector_memory(model, state.sizes, len(times))["total"]
        check_allocation("N", need, f"the sector route on {state.sizes}",
                         "reduce N or chain length")
        limits["memory estimate"] = need
    return limits


def _memory(Lx, N, S):
    from ..._util.resources import VECTOR_BYTES
    dim, _, H = full_space_bytes(Lx, N, S)
    # sector blocks (one more H) and the Chebyshev recursion's vectors
    return {"hamiltonian": 3 * H, "solver": H + 8 * dim * VECTOR_BYTES}


METHOD = register_method(Method(
    name="chebyshev",
    summary="exact Chebyshev propagator on each total-S^z sector",
    run=_run,
    options=(Option("tol", DEFAULT_TOL, positive,
                    "truncation of the Chebyshev series per output "
                    "interval; > 0; default 1e-12"),),
    requires=sector_method, auto=0, limits=_limits, memory=_memory,
    reflections="background", one_blas_thread=True, array_states=True,
    sector_states=True))
