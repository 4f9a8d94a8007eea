"""Checks and sizes shared by the method declarations (plain functions)."""

from ..._util.validation import check_int, check_real

__all__ = ["positive", "non_negative", "integer", "conserved_sz",
           "one_electron", "closed_system", "sector_method", "ket_method",
           "route_options", "full_space_bytes", "qutip_solver_options"]


def positive(key, value):
    """A finite real number > 0."""
    return check_real(key, value, minimum=0, strict_minimum=True)


def non_negative(key, value):
    """A finite real number >= 0."""
    return check_real(key, value, minimum=0)


def integer(key, value):
    """An integer."""
    return check_int(key, value)


def conserved_sz(model):
    """Why a sector method cannot run ``model``: a transverse field, or None."""
    if not model.conserves_sz:
        return ("the transverse field (local_spins.field x or y) breaks "
                "total-S^z conservation")
    return None


def one_electron(model):
    """Why a one-electron method cannot run ``model``: several electrons, or None."""
    if getattr(model, "many_electrons", False):
        return ("the model has several electrons ([electrons], a "
                "ManyElectronModel): its exact route is method \"exact\"")
    return None


def closed_system(model):
    """Why a method of kets cannot run ``model``: a bath on its local spins
    (an open system, :class:`~qutip_stt.model.open_model.OpenSTTModel`
    with a nonzero rate), or None."""
    bath = getattr(model, "bath", None)
    if bath is not None and bath.active:
        return ("the local spins are in contact with a bath (bath.relaxation "
                "or bath.dephasing > 0), an open system: method \"mesolve\" "
                "evolves it on the full space, qutip-stt train with the "
                "bath between electrons")
    return None


def sector_method(model):
    """Why a total-S^z sector method of one electron cannot run ``model``
    (several electrons, a bath, a transverse field), or None."""
    return one_electron(model) or closed_system(model) or conserved_sz(model)


def ket_method(model):
    """Why a method of one electron's kets cannot run ``model`` (several
    electrons, a bath), or None."""
    return one_electron(model) or closed_system(model)


def route_options(request):
    """The keywords of the sector route (``evolve_sectors`` and
    ``evolve_fermions``) from a method's :class:`~qutip_stt.solvers.registry.Run`."""
    return dict(tol=request.options["tol"], store_states=request.store_states,
                progress_bar=request.progress_bar,
                progress_stage=request.progress_stage, on_time=request.on_time,
                pair_recorder=request.pair_recorder)


def full_space_bytes(Lx, N, S):
    """``(dimension, spin-space dimension, bytes of one sparse H)`` of the
    full space, for the memory estimates of the methods."""
    from ..._util.resources import hamiltonian_bytes, hilbert_dimension
    dim, spin_dim, _ = hilbert_dimension(Lx, N, S)
    return dim, spin_dim, hamiltonian_bytes(dim, N)


def qutip_solver_options(defaults, solver, integrators):
    """The options of a method that a QuTiP solver runs: its integrator,
    ``atol``, ``rtol`` and ``nsteps``, with ``defaults`` (keyed as the
    solver's options, ``method`` naming the integrator).

    Parameters
    ----------
    defaults : dict
        ``method``, ``atol``, ``rtol``, ``nsteps``.
    solver : str
        ``"qutip.sesolve"``, for the documentation.
    integrators : tuple of str
        The integrators allowed.

    Returns
    -------
    tuple of Option
    """
    from ..registry import Option

    def integrator(key, value):
        from ..._util.validation import check_name
        return check_name(key, value, integrators)

    return (
        Option("integrator", defaults["method"], integrator,
               f"the QuTiP integrator ({solver}'s option method); default "
               f"\"{defaults['method']}\""),
        Option("atol", defaults["atol"], positive,
               f"absolute tolerance; > 0; default {_short(defaults['atol'])}"),
        Option("rtol", defaults["rtol"], positive,
               f"relative tolerance; > 0; default {_short(defaults['rtol'])}"),
        Option("nsteps", defaults["nsteps"], integer,
               "largest number of steps per output interval; default "
               f"{defaults['nsteps']}"),
    )


def _short(x):
    """A number as ``1e-8`` (Python's ``:g`` writes ``1e-08``)."""
    mantissa, exponent = f"{x:e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"
