"""Checks shared by the Python API and the config reader.

Every check names the parameter and the allowed range in its message, so the
same text reaches a Python user (as :class:`~qutip_stt.errors.ConfigError`)
and a command-line user (as one line on stderr).
"""

import math
import numbers
from fractions import Fraction

from ..errors import ConfigError, ConfigTypeError

__all__ = ["did_you_mean", "check_int", "check_real", "check_energy", "check_wave_number",
           "check_bool",
           "check_name",
           "check_spin", "check_ket", "check_table_keys", "spin_label"]


def check_int(key, value, minimum=None, maximum=None):
    """Return ``value`` as an ``int``, or raise naming ``key``.

    Booleans and non-integral floats are refused; an integral float such as
    ``400.0`` is accepted.

    Parameters
    ----------
    key : str
        Name for the error message (config key or argument name).
    value : object
        The value to check.
    minimum, maximum : int, optional
        Inclusive bounds.

    Returns
    -------
    int

    Raises
    ------
    ConfigError
        Out of range (a :class:`~qutip_stt.errors.ConfigTypeError` for a
        wrong type).

    Examples
    --------
    >>> check_int("chain.length", 400.0, minimum=2)
    400
    >>> check_int("chain.length", 1, minimum=2)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: chain.length: expected an integer at least 2, got 1
    """
    allowed = _range_text("an integer", minimum, maximum)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigTypeError(key, f"expected {allowed}, got {value!r}")
    if isinstance(value, numbers.Integral):
        out = int(value)
    else:
        if not math.isfinite(value) or value != int(value):
            raise ConfigTypeError(key, f"expected {allowed}, got {value!r}")
        out = int(value)
    if (minimum is not None and out < minimum) or (
        maximum is not None and out > maximum
    ):
        raise ConfigError(key, f"expected {allowed}, got {out}")
    return out


def check_real(key, value, minimum=None, maximum=None, *,
               strict_minimum=False):
    """Return ``value`` as a finite ``float``, or raise naming ``key``.

    Parameters
    ----------
    key : str
        Name for the error message.
    value : object
        The value to check.
    minimum, maximum : float, optional
        Bounds, inclusive unless ``strict_minimum``.
    strict_minimum : bool, default: False
        Make the lower bound exclusive (``value > minimum``).

    Returns
    -------
    float

    Raises
    ------
    ConfigError
        Not finite or out of range (:class:`~qutip_stt.errors.ConfigTypeError`
        for a wrong type).

    Examples
    --------
    >>> check_real("electron.dk", 0.2, minimum=0, strict_minimum=True)
    0.2
    >>> check_real("electron.dk", 0, minimum=0, strict_minimum=True)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: electron.dk: expected a finite real number greater than 0, got 0
    """
    low = "greater than" if strict_minimum else "at least"
    allowed = _range_text("a finite real number", minimum, maximum, low)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigTypeError(key, f"expected {allowed}, got {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ConfigError(key, f"expected {allowed}, got {value!r}")
    too_low = minimum is not None and (
        out <= minimum if strict_minimum else out < minimum
    )
    if too_low or (maximum is not None and out > maximum):
        raise ConfigError(key, f"expected {allowed}, got {value!r}")
    return out


#: Largest energy parameter (eV) the package accepts: far beyond any
#: physical hopping, exchange or field of this model (eV scale), and far
#: below where products of them overflow double precision.
MAX_ENERGY = 1e4


def check_energy(key, value):
    """Return an energy parameter (eV) as a float of magnitude at most :data:`MAX_ENERGY`.

    Examples
    --------
    >>> check_energy("chain.hopping", 1.0)
    1.0
    >>> check_energy("chain.hopping", 1e300)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: chain.hopping: expected a finite real number from -10000.0 to 10000.0, got 1e+300 (eV)
    """
    try:
        return check_real(key, value, -MAX_ENERGY, MAX_ENERGY)
    except ConfigTypeError:
        raise
    except ConfigError as exc:
        raise ConfigError(key, f"{str(exc).split(': ', 1)[1]} (eV)") from None


def check_wave_number(key, value):
    """Return a wave number (1/a) as a float in the Brillouin zone -pi..pi.

    A value outside is refused naming the same packet inside the zone.

    Examples
    --------
    >>> check_wave_number("electron.k", 0.5)
    0.5
    >>> check_wave_number("electron.k", 7.0)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: electron.k: expected a wave number in the Brillouin zone -pi..pi, got 7 (the same packet as k = 0.716815)
    """
    k = check_real(key, value)
    if abs(k) > math.pi:
        same = math.remainder(k, 2 * math.pi)
        raise ConfigError(key, f"expected a wave number in the Brillouin "
                          f"zone -pi..pi, got {k:g} (the same packet as "
                          f"k = {same:.6g})")
    return k


def check_bool(key, value):
    """Return ``value`` if it is a bool, or raise naming ``key``.

    Examples
    --------
    >>> check_bool("store_states", True)
    True
    >>> check_bool("store_states", 1)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigTypeError: store_states: expected true or false, got 1
    """
    if not isinstance(value, bool):
        raise ConfigTypeError(key, f"expected true or false, got {value!r}")
    return value


def check_name(key, value, allowed):
    """Return ``value`` if it is one of the strings ``allowed``, or raise naming ``key``.

    Examples
    --------
    >>> check_name("integrator", "adams", ("dop853", "adams"))
    'adams'
    >>> check_name("integrator", "rk4", ("dop853", "adams"))
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: integrator: expected one of "dop853", "adams", got 'rk4'
    """
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(key, "expected one of " + ", ".join(
            f'"{a}"' for a in allowed) + f", got {value!r}")
    return value


def did_you_mean(name, choices):
    """A hint naming the closest of ``choices`` to a mistyped ``name`` (difflib), or ``""``.

    The one place the package's "unknown key/table/preset/command" messages
    get their suggestion from.

    Examples
    --------
    >>> did_you_mean("lenght", ["length", "hopping", "potential"])
    " (did you mean 'length'?)"
    >>> did_you_mean("chian.length", ["chain.length", "chain.hopping"])
    " (did you mean 'chain.length'?)"
    >>> did_you_mean("zzz", ["length", "hopping"])
    ''
    """
    import difflib

    close = difflib.get_close_matches(str(name), [str(c) for c in choices],
                                      n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_table_keys(key, table, names, what):
    """Check that ``table`` has exactly the keys ``names`` (a config table).

    Parameters
    ----------
    key : str
        Dotted name of the table, e.g. ``"scatter.k"``.
    table : dict
    names : sequence of str
        The keys it must have, no others.
    what : str
        What the table is, for the message: ``"a grid"``.

    Raises
    ------
    ConfigError
        Naming the first unknown or missing key.

    Examples
    --------
    >>> check_table_keys("k", {"start": 0, "stop": 1}, ("start", "stop", "num"),
    ...                  "a grid")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: k.num: missing; a grid needs start, stop and num
    """
    for name in table:
        if name not in names:
            raise ConfigError(f"{key}.{name}",
                              f"unknown key{did_you_mean(name, names)}; "
                              f"allowed: {', '.join(names)}")
    for name in names:
        if name not in table:
            raise ConfigError(f"{key}.{name}", f"missing; {what} needs "
                              f"{', '.join(names[:-1])} and {names[-1]}")


def check_spin(key, value):
    """Return a spin quantum number ``S`` (1/2, 1, 3/2, ...) as a float.

    Accepts numbers and strings such as ``"5/2"``; refuses anything whose
    double is not a positive integer (``S = 0.3``) or that is larger than 20.

    Parameters
    ----------
    key : str
        Name for the error message.
    value : float, int or str
        The spin.

    Returns
    -------
    float

    Examples
    --------
    >>> check_spin("local_spins.spin", "5/2"), check_spin("S", 1)
    (2.5, 1.0)
    """
    allowed = "a positive half-integer spin (0.5, 1, 1.5, ... up to 20)"
    if isinstance(value, str):
        try:
            value = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ConfigError(key, f"expected {allowed}, got {value!r}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigTypeError(key, f"expected {allowed}, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(key, f"expected {allowed}, got {value!r}")
    twice = 2 * value
    if twice != round(twice) or round(twice) < 1 or round(twice) > 40:
        raise ConfigError(key, f"expected {allowed}, got {value!r}")
    return round(twice) / 2


#: A ket whose norm differs from 1 by more than this is refused where a
#: normalized state is required (round-off of a built state is ~1e-15).
UNIT_TOLERANCE = 1e-10


def check_ket(key, state, dims, *, normalize=False, unit=False):
    """Check that ``state`` is a ket (``qutip.Qobj``) of the tensor structure ``dims``.

    The one state check of the package: the model's solvers and reducers
    call it with ``dims = model.dims``, the state builders with the dims of
    one factor (and ``normalize=True``).

    Parameters
    ----------
    key : str
        Name for the error message (``"state"``, ``"electron.spin"``, ...).
    state : qutip.Qobj or numpy.ndarray
        The ket. A ket of the right total size but flat dims is accepted and
        given ``dims``. A NumPy vector of ``prod(dims)`` amplitudes (the
        basis order of ``qutip.tensor``) is checked the same way without
        importing QuTiP, and returned as a flat complex array.
    dims : list of int
        Expected ``state.dims[0]``.
    normalize : bool, default: False
        Return the state divided by its norm (refusing zero or non-finite
        norms).
    unit : bool, default: False
        Refuse a ket whose norm differs from 1 by more than
        :data:`UNIT_TOLERANCE` (an evolution's initial state: observables of
        an unnormalized ket are not expectation values).

    Returns
    -------
    qutip.Qobj or numpy.ndarray
        Of the kind given.

    Raises
    ------
    ConfigTypeError
        Not a ket.
    ConfigError
        Wrong dimensions, or (with ``normalize``) zero or non-finite norm.

    Examples
    --------
    >>> import qutip
    >>> check_ket("electron.spin", qutip.basis(2, 1) * 2, [2], normalize=True).norm()
    1.0
    >>> import numpy as np
    >>> check_ket("state", np.array([0, 2j]), [2], normalize=True)
    array([0.+0.j, 0.+1.j])
    """
    import numpy as np

    if isinstance(state, np.ndarray):
        return _check_ket_array(key, state, dims, normalize, unit)
    import qutip

    if not isinstance(state, qutip.Qobj) or not state.isket:
        raise ConfigTypeError(key, f"expected a ket (qutip.Qobj) with dims "
                              f"{dims}, got {type(state).__name__}"
                              + ("" if not isinstance(state, qutip.Qobj)
                                 else f" of type {state.type!r}"))
    if state.dims[0] != list(dims):
        if state.shape[0] != int(np.prod(dims)):
            raise ConfigError(key, f"expected a ket with dims {list(dims)}, "
                              f"got {state.dims[0]}")
        state = qutip.Qobj(state.full(), dims=[list(dims), [1] * len(dims)])
    if unit:
        norm = state.norm()
        if not np.isfinite(norm) or abs(norm - 1) > UNIT_TOLERANCE:
            raise ConfigError(key, f"the ket has norm {norm:.6g}, not 1: "
                              "normalize it first (psi.unit())")
    if normalize:
        norm = state.norm()
        if not np.isfinite(norm) or norm == 0:
            raise ConfigError(key, "the state has zero or non-finite norm")
        state = state / norm
    return state


def _check_ket_array(key, state, dims, normalize, unit):
    """:func:`check_ket` of a NumPy vector of amplitudes."""
    import numpy as np

    size = int(np.prod(dims))
    if state.ndim == 2 and state.shape[1] == 1:
        state = state[:, 0]
    if state.ndim != 1 or state.size != size:
        raise ConfigError(key, f"expected a ket of {size} amplitudes (dims "
                          f"{list(dims)}), got an array of shape "
                          f"{state.shape}")
    state = np.asarray(state, dtype=complex)
    if unit or normalize:
        norm = float(np.linalg.norm(state))
        if unit and (not np.isfinite(norm) or abs(norm - 1) > UNIT_TOLERANCE):
            raise ConfigError(key, f"the ket has norm {norm:.6g}, not 1: "
                              "normalize it first")
        if normalize:
            if not np.isfinite(norm) or norm == 0:
                raise ConfigError(key, "the state has zero or non-finite "
                                  "norm")
            state = state / norm
    return state


def spin_label(m):
    """Text for a magnetic quantum number: ``1.5 -> "3/2"``, ``-1 -> "-1"``.

    Parameters
    ----------
    m : float
        A multiple of 1/2.

    Returns
    -------
    str

    Examples
    --------
    >>> spin_label(1.5), spin_label(-1), spin_label(-0.5)
    ('3/2', '-1', '-1/2')
    """
    f = Fraction(m).limit_denominator(2)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/2"


def _range_text(kind, minimum, maximum, low="at least"):
    if minimum is not None and maximum is not None:
        return f"{kind} from {minimum} to {maximum}"
    if minimum is not None:
        return f"{kind} {low} {minimum}"
    if maximum is not None:
        return f"{kind} at most {maximum}"
    return kind
