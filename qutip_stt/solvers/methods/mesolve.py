"""Method ``"mesolve"``: the open system, :func:`qutip.mesolve` on the full space.

One electron scatters off local spins that are in contact with a bath
(:class:`~qutip_stt.model.open_model.OpenSTTModel`): the density matrix of
electron + local spins follows the Lindblad equation of the theory page,
integrated by QuTiP's ``dop853`` with ``atol = 1e-10``, ``rtol = 1e-8`` on
the ``(Lx D)^2`` entries of ``rho``, and every output is reduced by the one
reducer (:func:`~qutip_stt.measures.reducer.reduce_density_matrix`): the
same datasets as any other method, the purity of the local spins now lost
to the bath as well as to the electron. ``"auto"`` picks it when the model
has a bath. Without one it evolves ``|psi><psi|`` unitarily (the closed
system, an independent check of the ket methods).

The density matrix and its Liouvillian grow as the square of the dimension
and more, so this is for small systems: at most
:data:`MAX_DIMENSION` states (a chain of tens of sites and a few spins).
For a bath on a larger system, ``qutip-stt train`` lets the spins relax
between electrons (:mod:`qutip_stt.trains.bath`).
"""

from ..registry import Method, register_method
from ._checks import full_space_bytes, one_electron, qutip_solver_options

__all__ = ["METHOD", "MESOLVE_OPTIONS", "MAX_DIMENSION"]

#: What method "mesolve" hands qutip.mesolve by default.
MESOLVE_OPTIONS = {"method": "dop853", "atol": 1e-10, "rtol": 1e-8,
                   "nsteps": 100_000}

#: Largest full-space dimension (``Lx * 2 * (2S+1)^N``) method "mesolve"
#: runs: its Liouvillian has about ``7 dim^2`` entries.
MAX_DIMENSION = 2048


def _run(request):
    from ..qutip_route import run_mesolve
    options = dict(request.options)
    options["method"] = options.pop("integrator")
    return run_mesolve(request, options)


def _requires(model):
    reason = one_electron(model)
    if reason:
        return reason
    dim = model.dimension
    if dim > MAX_DIMENSION:
        return (f"the density matrix of electron + local spins on the full "
                f"space of {dim:,} states (Lx * 2 * (2S+1)^N) is beyond "
                f"method \"mesolve\" (at most {MAX_DIMENSION:,} states: a "
                "shorter chain.length or fewer spins); for a bath on this "
                "system use qutip-stt train, where the spins relax between "
                "electrons")
    return None


def _memory(Lx, N, S):
    from ..._util.resources import VECTOR_BYTES
    dim, _, H = full_space_bytes(Lx, N, S)
    # the Liouvillian (spre(H), spost(H) and their sum: 3 dim copies of H),
    # dop853's 16 vectors of dim^2 entries and the recorder's dense copy
    return {"hamiltonian": 3 * dim * H,
            "solver": 18 * dim * dim * VECTOR_BYTES}


METHOD = register_method(Method(
    name="mesolve",
    summary="qutip.mesolve on the full space: the local spins in contact "
            "with a bath (dop853, atol 1e-10, rtol 1e-8; small systems)",
    run=_run,
    options=qutip_solver_options(MESOLVE_OPTIONS, "qutip.mesolve",
                                 ("dop853", "adams", "bdf", "lsoda", "vern7",
                                  "vern9", "diag")),
    pass_through="qutip.mesolve", requires=_requires, auto=20,
    memory=_memory))
