"""Method ``"sesolve"``: :func:`qutip.sesolve` on the full space (``dop853``).

QuTiP's adaptive 8th-order Runge-Kutta integrator with tolerances tightened
to ``atol = 1e-10``, ``rtol = 1e-8``. ``"auto"`` picks it when a transverse
field breaks total-S^z conservation, so the sector route does not apply.
Options not declared below go to :func:`qutip.sesolve`, which checks them.
"""

from ..registry import Method, register_method
from ._checks import full_space_bytes, ket_method, qutip_solver_options

__all__ = ["METHOD", "SESOLVE_OPTIONS"]

#: What method "sesolve" hands qutip.sesolve by default.
SESOLVE_OPTIONS = {"method": "dop853", "atol": 1e-10, "rtol": 1e-8,
                   "nsteps": 100_000}


def _run(request):
    from ..qutip_route import run_sesolve
    options = dict(request.options)
    options["method"] = options.pop("integrator")
    return run_sesolve(request, options)


def _limits(model, state, times, options):
    from ..limits import sesolve_limits
    return sesolve_limits(model, times, options)


def _memory(Lx, N, S):
    from ..._util.resources import VECTOR_BYTES
    dim, _, H = full_space_bytes(Lx, N, S)
    # H / hbar and dop853's 13 stages plus error and state vectors
    return {"hamiltonian": 3 * H, "solver": H + 16 * dim * VECTOR_BYTES}


METHOD = register_method(Method(
    name="sesolve",
    summary="qutip.sesolve on the full space (dop853, atol 1e-10, rtol 1e-8)",
    run=_run,
    options=qutip_solver_options(SESOLVE_OPTIONS, "qutip.sesolve",
                                 ("dop853", "adams", "bdf", "lsoda", "vern7",
                                  "vern9", "diag", "krylov")),
    pass_through="qutip.sesolve", requires=ket_method, auto=10,
    limits=_limits, memory=_memory,
    full_space_fallback=True))
