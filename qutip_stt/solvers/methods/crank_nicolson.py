"""Method ``"crank-nicolson"``: our Crank-Nicolson integrator through :func:`qutip.sesolve`.

:class:`~qutip_stt.solvers.crank_nicolson.CrankNicolson` is registered with
:class:`qutip.SESolver`; this method runs it on the full ``Qobj``
Hamiltonian with a fixed step ``dt`` (fs), the sparse LU factorized once.
Its phase-error bound is checked before the run
(:func:`qutip_stt.solvers.limits.crank_nicolson_limits`).
"""

from ..registry import Method, Option, register_method
from ._checks import full_space_bytes, ket_method, positive

__all__ = ["METHOD", "DEFAULT_DT"]

#: Default Crank-Nicolson step, fs (also the largest step of "classical").
DEFAULT_DT = 0.1


def _bool(key, value):
    from ..._util.validation import check_bool
    return check_bool(key, value)


def _run(request):
    from ..qutip_route import run_sesolve
    return run_sesolve(request, {"method": "crank-nicolson",
                                 **request.options})


def _limits(model, state, times, options):
    from ..limits import crank_nicolson_limits
    return crank_nicolson_limits(model, state, times, options["dt"])


def _memory(Lx, N, S):
    from ..._util.resources import ENTRY_BYTES
    dim, spin_dim, H = full_space_bytes(Lx, N, S)
    # 1 +- i H dt / 2 and the LU factors of the first
    fill = 150 + 0.15 * spin_dim
    return {"hamiltonian": 3 * H,
            "solver": 2 * H + int(dim * fill * ENTRY_BYTES)}


#: The step option, shared (same key, same default) with "classical".
DT_OPTION = Option(
    "dt", DEFAULT_DT, positive,
    f"largest step of the fixed-step methods crank-nicolson and classical, "
    f"fs; > 0 (a longer step than an output interval is shortened to it); "
    f"default {DEFAULT_DT}", config=True)

METHOD = register_method(Method(
    name="crank-nicolson",
    summary="Crank-Nicolson, sparse LU factorized once, fixed step dt",
    run=_run,
    options=(DT_OPTION,
             Option("energy_shift", True, _bool,
                    "measure H from <H> of the initial state (smaller phase "
                    "error, same observables); default true")),
    pass_through="qutip.sesolve", requires=ket_method, limits=_limits,
    memory=_memory))
