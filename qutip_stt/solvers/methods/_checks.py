"""Option checks shared by the method declarations (plain functions)."""

from ..._util.validation import check_int, check_real

__all__ = ["positive", "non_negative", "integer", "conserved_sz"]


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
