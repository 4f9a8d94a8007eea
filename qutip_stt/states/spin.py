"""Single-spin kets: Bloch directions, spinors and spin coherent states.

One job: turn the forms the package accepts for one spin (a named direction
``"+x"``, ``{theta, phi}`` in degrees, the ``2S+1`` components of a ket)
into a normalised ket. :func:`parse_direction` reads a direction (the config
reader checks directions with it), :func:`spin_state` any form,
:func:`spinor` the electron's spin 1/2 and :func:`spin_coherent` a spin
``S`` along a direction. The many-spin states built from them are in
:mod:`qutip_stt.states.local`; :mod:`qutip_stt.states` re-exports all.
"""

import math

import numpy as np

from .._util.lazy import lazy_module
from ..errors import ConfigError, ConfigTypeError
from .._util.validation import check_ket, spin_label
from .forms import DIRECTIONS, is_number_sequence, parse_direction

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["spin_state", "spinor", "spin_coherent", "coherent_amplitudes"]


def spin_state(S, value, key="direction"):
    """One spin-``S`` ket from any of the forms the package accepts.

    * a direction: ``"+z" "-z" "+x" "-x" "+y" "-y"`` or a mapping
      ``{"theta": 60, "phi": 30}`` in degrees (a spin coherent state,
      :func:`spin_coherent`);
    * the ``2S+1`` components of a ket, as a sequence or array in QuTiP's
      basis order (``m = S`` first), or a ``qutip.Qobj`` ket: normalised.
      So ``(0, 1)`` is spin down, as the paper writes ``chi_e = (0, 1)``.

    Parameters
    ----------
    S : float
        Spin size.
    value : str, dict, sequence, numpy.ndarray or qutip.Qobj
    key : str, default: "direction"
        Name used in error messages.

    Returns
    -------
    qutip.Qobj
        Normalised ket of dimension ``2S+1``.

    Examples
    --------
    >>> spin_state(0.5, [0, 1]).full().ravel().real
    array([0., 1.])
    >>> spin_state(0.5, {"theta": 90}).full().ravel().real.round(4)
    array([0.7071, 0.7071])
    """
    d = int(round(2 * S)) + 1
    if isinstance(value, qutip.Qobj):
        return check_ket(key, value, [d], normalize=True)
    if isinstance(value, (str, dict)):
        return spin_coherent(S, value, key)
    if is_number_sequence(value):
        vec = np.asarray(value, dtype=complex).ravel()
        if vec.size != d:
            raise ConfigError(key, f"a ket of a spin {spin_label(S)} has "
                              f"{d} components, got {vec.size}; for angles "
                              f"write {{\"theta\": ..., \"phi\": ...}} in "
                              f"degrees")
        return check_ket(key, qutip.Qobj(vec.reshape(d, 1)), [d],
                         normalize=True)
    raise ConfigTypeError(key, "expected one of " + ", ".join(DIRECTIONS)
                          + ", {theta, phi} in degrees, or the "
                          f"{d} components of a ket, got {value!r}")


def spinor(direction="-z"):
    """Spin-1/2 state along a Bloch direction: ``(cos(theta/2), e^{i phi} sin(theta/2))``.

    Parameters
    ----------
    direction : str, dict, sequence or qutip.Qobj
        See :func:`spin_state`; ``"-z"`` is ``theta = 180``,
        ``"+x"`` is ``theta = 90, phi = 0``, ``(0, 1)`` is down.

    Returns
    -------
    qutip.Qobj
        Two-component ket in QuTiP's basis order (``basis(2, 0)`` is up).

    Examples
    --------
    >>> spinor("+x").full().ravel().round(4)
    array([0.7071+0.j, 0.7071+0.j])
    """
    return spin_state(0.5, direction, "electron.spin")


def spin_coherent(S, direction="+z", key="direction"):
    """Spin-``S`` coherent state pointing along a Bloch direction.

    The state ``exp(-i phi J_z) exp(-i theta J_y) |m = S>``, whose
    expectation value of ``Sigma = 2 J`` is ``2S (sin th cos ph, sin th sin ph, cos th)``.
    The components of :func:`coherent_amplitudes` (those of
    :func:`qutip.spin_coherent`, computed in NumPy).

    Parameters
    ----------
    S : float
        Spin size, a positive half-integer.
    direction : str, dict or tuple, default: "+z"
        See :func:`parse_direction`.
    key : str, default: "direction"
        Name used in error messages.

    Returns
    -------
    qutip.Qobj
        Ket of dimension ``2S+1`` in QuTiP's basis order (``m = S`` first).

    Examples
    --------
    >>> from qutip_stt import spin_operators
    >>> psi = spin_coherent(2.5, {"theta": 90, "phi": 0})
    >>> [round(abs(qutip.expect(op, psi)), 6) for op in spin_operators(2.5)]
    [5.0, 0.0, 0.0]
    """
    vec = coherent_amplitudes(S, direction, key)
    return qutip.Qobj(vec.reshape(-1, 1), dims=[[vec.size], [1]])


def coherent_amplitudes(S, direction="+z", key="direction"):
    r"""The components of :func:`spin_coherent`, in NumPy (no QuTiP).

    ``c_k = sqrt(binom(2S, k)) cos(theta/2)^(2S-k) (e^{i phi} sin(theta/2))^k``
    for ``m = S - k``, the components of :func:`qutip.spin_coherent`
    (``exp(theta/2 (e^{i phi} J_- - e^{-i phi} J_+)) |S, S>``, the same
    phase); ``"+z"`` and ``"-z"`` are the basis vectors exactly.

    Parameters
    ----------
    S, direction, key
        As for :func:`spin_coherent`.

    Returns
    -------
    numpy.ndarray
        ``2S+1`` complex components, ``m = S`` first.

    Examples
    --------
    >>> coherent_amplitudes(0.5, "+x").round(4)
    array([0.7071+0.j, 0.7071+0.j])
    >>> coherent_amplitudes(1, "-z")
    array([0.+0.j, 0.+0.j, 1.+0.j])
    """
    theta, phi = parse_direction(direction, key)
    d = int(round(2 * S)) + 1
    vec = np.zeros(d, dtype=complex)
    if theta == 0.0:
        vec[0] = 1.0
        return vec
    if theta == 180.0 and phi == 0.0:
        vec[-1] = 1.0
        return vec
    half, phase = math.radians(theta) / 2, np.exp(1j * math.radians(phi))
    k = np.arange(d)
    binom = np.array([math.comb(d - 1, j) for j in k], dtype=float)
    return (np.sqrt(binom) * math.cos(half) ** (d - 1 - k)
            * (phase * math.sin(half)) ** k)
