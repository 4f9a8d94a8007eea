"""Checks and sizes shared by the method declarations (plain functions)."""

from ..._util.validation import check_int, check_real

__all__ = ["positive", "non_negative", "integer", "conserved_sz",
           "one_electron", "one_electron_sectors", "route_options",
           "full_space_bytes"]


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


def one_electron_sectors(model):
    """Why the one-electron sector route cannot run ``model`` (several
    electrons, or a transverse field), or None."""
    return one_electron(model) or conserved_sz(model)


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
