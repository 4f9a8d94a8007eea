"""The forms a spin state is written in, checked (no QuTiP import).

A direction is a name (``"+x"``) or ``{theta, phi}`` in degrees
(:func:`parse_direction`); the local spins' many-spin states have names
(:data:`LOCAL_STATES`). The config reader checks every direction and state
name with this module before any physics is loaded; the kets are built by
:mod:`qutip_stt.states.spin` and :mod:`qutip_stt.states.local`.
"""

import numbers

import numpy as np

from ..errors import ConfigError, ConfigTypeError
from .._util.validation import check_real

__all__ = ["DIRECTIONS", "LOCAL_STATES", "parse_direction",
           "opposite_direction", "along_z", "is_number_sequence"]

#: Named many-spin initial states of the local spins (``[local_spins] state``).
LOCAL_STATES = {
    "product": "every spin along local_spins.direction",
    "neel": "spin 1 along direction, then alternately opposite and along it",
    "ground": "ground state of the XXZ chain, in the total-S^z sector "
              "local_spins.sector or the lowest overall",
    "random": "product of spin-coherent states with directions uniform on the "
              "sphere, drawn with local_spins.seed",
}

#: Named Bloch directions as (theta, phi) in degrees.
DIRECTIONS = {
    "+z": (0.0, 0.0), "-z": (180.0, 0.0),
    "+x": (90.0, 0.0), "-x": (90.0, 180.0),
    "+y": (90.0, 90.0), "-y": (90.0, 270.0),
}


def parse_direction(direction, key="direction"):
    """Return ``(theta, phi)`` in degrees for a named direction or a dict.

    Accepts ``"+z" "-z" "+x" "-x" "+y" "-y"`` or a mapping
    ``{"theta": 60, "phi": 30}`` (degrees, ``phi`` optional). A pair of
    numbers is *not* read as angles (``(0, 1)`` is the spinor "down"
    everywhere in the package: see :func:`spin_state`).

    Parameters
    ----------
    direction : str or dict
        The direction.
    key : str, default: "direction"
        Name used in error messages (the config key).

    Returns
    -------
    (float, float)
        Polar and azimuthal angles in degrees.

    Examples
    --------
    >>> parse_direction("-x"), parse_direction({"theta": 60})
    ((90.0, 180.0), (60.0, 0.0))
    """
    if isinstance(direction, str):
        if direction not in DIRECTIONS:
            raise ConfigError(key, f"expected one of {', '.join(DIRECTIONS)} "
                              f"or {{theta, phi}} in degrees, got {direction!r}")
        return DIRECTIONS[direction]
    if isinstance(direction, dict):
        unknown = set(direction) - {"theta", "phi"}
        if unknown:
            raise ConfigError(f"{key}.{sorted(unknown)[0]}",
                              "unknown key; allowed: theta, phi (degrees)")
        if "theta" not in direction:
            raise ConfigError(f"{key}.theta", "missing; a polar angle in "
                              "degrees from 0 to 180 is required")
        theta = check_real(f"{key}.theta", direction["theta"], 0, 180)
        phi = check_real(f"{key}.phi", direction.get("phi", 0.0), -360, 360)
        return theta, phi
    raise ConfigTypeError(key, "expected one of " + ", ".join(DIRECTIONS)
                          + f" or {{theta, phi}} in degrees, got {direction!r}")


def opposite_direction(direction, key="direction"):
    """The direction opposite ``direction``: ``(180 - theta, phi + 180)``.

    At a pole ``phi`` means nothing, and the opposite pole is given with
    ``phi = 0`` (so a spin-``S`` state along it is ``|m = -S>`` exactly).

    Parameters
    ----------
    direction : str or dict
        See :func:`parse_direction`.
    key : str, default: "direction"
        Name used in error messages.

    Returns
    -------
    dict
        ``{"theta": ..., "phi": ...}`` in degrees.

    Examples
    --------
    >>> opposite_direction("+z"), opposite_direction("+x")
    ({'theta': 180.0, 'phi': 0.0}, {'theta': 90.0, 'phi': 180.0})
    """
    theta, phi = parse_direction(direction, key)
    if theta in (0.0, 180.0):      # a pole: phi means nothing, keep |m = -+S>
        return {"theta": 180.0 - theta, "phi": 0.0}
    return {"theta": 180.0 - theta, "phi": (phi + 180.0) % 360.0}


def along_z(direction, key="direction"):
    """Whether a direction is ``+z`` or ``-z`` (a state of definite ``S^z``).

    Parameters
    ----------
    direction : str or dict
        As :func:`parse_direction`.
    key : str, default: "direction"

    Returns
    -------
    bool

    Examples
    --------
    >>> along_z("-z"), along_z({"theta": 180}), along_z("+x")
    (True, True, False)
    """
    theta = parse_direction(direction, key)[0]
    return theta in (0.0, 180.0)


def is_number_sequence(value):
    """Whether ``value`` is a non-empty sequence (or array) of numbers: the
    components of a ket rather than a list of directions.

    Examples
    --------
    >>> is_number_sequence([0, 1]), is_number_sequence(["+z", "-z"])
    (True, False)
    """
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iufc"
    return (isinstance(value, (list, tuple)) and len(value) > 0 and all(
        isinstance(a, numbers.Number) and not isinstance(a, bool)
        for a in value))
