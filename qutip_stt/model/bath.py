r"""A bath on the local spins, as data: rates, temperature, axes (no QuTiP).

Each local spin ``n`` of size ``S`` relaxes into its own bath (a lattice at
temperature ``T``) along the axis ``a_n`` of its Zeeman term
``-h_n . Sigma_n`` (``a_n = h_n / |h_n|``; with no field, along
``direction``). With ``J = jmat(S)`` (``Sigma = 2 J``) and ``(e_1, e_2,
a_n)`` right-handed, ``J_a = a_n . J`` and ``J^{+-} = (e_1 +- i e_2) . J``,
the Lindblad operators of spin ``n`` (rates in 1/fs) are

.. math::

    L_{n\downarrow} = \sqrt{\Gamma_\downarrow / 2S}\; J^+_n, \qquad
    L_{n\uparrow} = \sqrt{\Gamma_\uparrow / 2S}\; J^-_n, \qquad
    L_{n\phi} = \sqrt{2\gamma_\phi}\; J_{a,n},

    \Gamma_\downarrow = \frac{\gamma_1}{1 + e^{-x_n}}, \quad
    \Gamma_\uparrow = \frac{\gamma_1}{1 + e^{x_n}}, \quad
    x_n = \frac{2|\mathbf h_n|}{k_B T},

``2|h_n|`` being the Zeeman energy between neighbouring levels ``m`` and
``m + 1``. ``J^+`` lowers the Zeeman energy (it turns the spin towards the
field). The rates obey detailed balance, ``Gamma_down / Gamma_up =
exp(x_n)``, so the stationary state of a spin alone is its Gibbs state
``exp(-H_Z / k_B T) / Z``; for spin 1/2, ``<Sigma_a>`` relaxes at ``gamma_1``
at every temperature (``T_1 = 1 / gamma_1``) to ``tanh(|h_n| / k_B T)``, and
the transverse components decay at ``gamma_1 / 2 + gamma_phi``. With no
field the Gibbs state is the maximally mixed one at any ``T > 0``
(``x_n = 0``); at ``T = 0`` the spin relaxes towards ``direction``. The
Liouvillian and the operators themselves are built with QuTiP in
:mod:`qutip_stt.model.open_model`; the theory page has the derivation.
"""

import dataclasses
import math

import numpy as np

from ..constants import HBAR_EV_FS, K_B_EV_PER_K
from ..errors import ConfigError
from .._util.validation import check_real

__all__ = ["Bath", "SpinBath", "relaxation_rates", "spin_baths",
           "thermal_polarization", "matching_alpha"]


@dataclasses.dataclass(frozen=True)
class Bath:
    """The bath of the local spins: relaxation, dephasing, temperature.

    Parameters
    ----------
    relaxation : float, default: 0
        ``gamma_1``, 1/fs, >= 0 (config ``bath.relaxation``).
    dephasing : float, default: 0
        ``gamma_phi``, 1/fs, >= 0 (``bath.dephasing``).
    temperature : float, default: 0
        K, >= 0 (``bath.temperature``).
    direction : sequence of 3 floats, default: (0, 0, 1)
        Axis of a spin without a field (any nonzero length; kept as a unit
        vector). The config's ``bath.direction`` names it (``"+z"``).

    Examples
    --------
    >>> Bath(relaxation=1e-3, temperature=4.0).active
    True
    >>> Bath(relaxation=-1.0)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: bath.relaxation: expected a finite real number at least 0, got -1.0
    """

    relaxation: float = 0.0
    dephasing: float = 0.0
    temperature: float = 0.0
    direction: tuple = (0.0, 0.0, 1.0)

    def __post_init__(self):
        for name in ("relaxation", "dephasing", "temperature"):
            value = check_real(f"bath.{name}", getattr(self, name), minimum=0)
            object.__setattr__(self, name, value)
        try:
            axis = np.asarray(self.direction, dtype=float).reshape(3)
        except (TypeError, ValueError):
            raise ConfigError("bath.direction", "expected a direction (three "
                              f"numbers), got {self.direction!r}") from None
        norm = float(np.linalg.norm(axis))
        if not np.all(np.isfinite(axis)) or norm == 0:
            raise ConfigError("bath.direction", "expected a nonzero finite "
                              f"vector, got {self.direction!r}")
        object.__setattr__(self, "direction",
                           tuple(float(a) for a in axis / norm))

    @property
    def active(self):
        """True when a rate is nonzero: the spins are an open system."""
        return self.relaxation > 0 or self.dephasing > 0

    def as_dict(self):
        """The parameters as a dict (``Bath(**d)`` rebuilds it)."""
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class SpinBath:
    """The bath of one local spin: its axis and its three rates (1/fs).

    Attributes
    ----------
    spin : int
        Local spin, numbered from 1.
    axis : tuple of float
        Unit vector ``a_n`` (the field's direction, or the bath's).
    splitting : float
        ``2 |h_n|``, eV: the Zeeman energy between neighbouring levels.
    down, up : float
        ``Gamma_down`` (towards the field) and ``Gamma_up``, 1/fs.
    dephasing : float
        ``gamma_phi``, 1/fs.
    """

    spin: int
    axis: tuple
    splitting: float
    down: float
    up: float
    dephasing: float


def relaxation_rates(gamma1, splitting, temperature):
    """Detailed-balance rates ``(Gamma_down, Gamma_up)`` of one spin, 1/fs.

    ``Gamma_down + Gamma_up = gamma1`` and ``Gamma_down / Gamma_up =
    exp(splitting / (k_B T))``; at ``T = 0`` only ``Gamma_down``.

    Parameters
    ----------
    gamma1 : float
        1/fs.
    splitting : float
        Energy between neighbouring levels, eV (``2 |h|``), >= 0.
    temperature : float
        K.

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> relaxation_rates(1.0, 0.0, 4.0)          # no field: equal rates
    (0.5, 0.5)
    >>> relaxation_rates(1.0, 0.01, 0.0)
    (1.0, 0.0)
    """
    if temperature == 0:
        return float(gamma1), 0.0
    x = splitting / (K_B_EV_PER_K * temperature)
    # gamma / (1 + e^-x) and gamma / (1 + e^x), without overflow
    return (float(gamma1 / (1.0 + math.exp(-x))),
            float(gamma1 * math.exp(-x) / (1.0 + math.exp(-x))))


def _unit(axis):
    return tuple(float(a) for a in np.asarray(axis, float) /
                 np.linalg.norm(axis))


def spin_baths(bath, field):
    """The :class:`SpinBath` of every local spin.

    Parameters
    ----------
    bath : Bath
    field : array_like
        ``(N, 3)`` fields ``h_n``, eV (``STTModel.field``).

    Returns
    -------
    tuple of SpinBath

    Examples
    --------
    >>> b = spin_baths(Bath(relaxation=0.01), [[0, 0, -0.05], [0, 0, 0]])
    >>> b[0].axis, b[0].splitting, b[1].axis
    ((0.0, 0.0, -1.0), 0.1, (0.0, 0.0, 1.0))
    """
    out = []
    for n, h in enumerate(np.asarray(field, dtype=float).reshape(-1, 3)):
        size = float(np.linalg.norm(h))
        axis = _unit(h) if size > 0 else bath.direction
        down, up = relaxation_rates(bath.relaxation, 2 * size,
                                    bath.temperature)
        out.append(SpinBath(n + 1, axis, 2 * size, down, up, bath.dephasing))
    return tuple(out)


def thermal_polarization(S, field, temperature):
    """``<Sigma_a>`` (units hbar/2) of a free spin ``S`` in its Gibbs state.

    The Brillouin function of ``exp(x J_a) / Z``, ``x = 2|h| / (k_B T)``:
    ``tanh(|h| / k_B T)`` for spin 1/2, ``2S`` at ``T = 0``.

    Parameters
    ----------
    S : float
    field : float
        ``|h|``, eV.
    temperature : float
        K.

    Returns
    -------
    float

    Examples
    --------
    >>> round(thermal_polarization(0.5, 1e-3, 10.0), 6)   # tanh(1.16)
    0.821187
    """
    if temperature == 0:
        return 2.0 * S
    m = S - np.arange(int(round(2 * S)) + 1)
    x = 2 * abs(field) / (K_B_EV_PER_K * temperature)
    w = np.exp(x * (m - S))                    # shifted: no overflow
    return float(2 * np.dot(m, w) / w.sum())


def matching_alpha(gamma1, field):
    r"""The Gilbert damping that relaxes a classical spin as ``gamma_1`` does.

    Near the field axis a quantum spin's transverse components decay at
    ``gamma_1 / 2`` and its ``2S - <Sigma_a>`` at ``gamma_1`` (``T = 0``,
    every ``S``: the Holstein-Primakoff magnon of ``L = sqrt(gamma_1/2S)
    J^+`` decays at ``gamma_1``). A classical spin under the LLG equation of
    method ``"classical"`` makes a small angle ``theta`` to the field decay
    at ``alpha omega``, ``omega = 2|h| / (hbar (1 + alpha^2))``, so
    ``sin theta`` at ``alpha omega`` and ``1 - cos theta`` at twice that.
    Both match when

    .. math:: \frac{\alpha}{1 + \alpha^2} = \frac{\hbar\gamma_1}{4|\mathbf h|},

    the smaller root. Far from the axis the two relax differently (the
    quantum spin also shrinks).

    Parameters
    ----------
    gamma1 : float
        1/fs, >= 0.
    field : float
        ``|h|``, eV, > 0.

    Returns
    -------
    float

    Raises
    ------
    ConfigError
        No field (a classical spin without one has nothing to relax
        towards), or ``hbar gamma_1 / 4|h| > 1/2`` (faster than any
        Gilbert damping relaxes).

    Examples
    --------
    >>> round(matching_alpha(1e-3, 0.01), 6)
    0.01646
    """
    gamma1 = check_real("bath.relaxation", gamma1, minimum=0)
    field = check_real("local_spins.field", abs(field))
    if field == 0:
        raise ConfigError("local_spins.field", "a Gilbert damping matching "
                          "bath.relaxation needs a field: without one the "
                          "classical spin has no axis to relax towards")
    c = HBAR_EV_FS * gamma1 / (4 * field)
    if c > 0.5:
        raise ConfigError("bath.relaxation", f"gamma_1 = {gamma1:g} /fs "
                          f"relaxes faster than any Gilbert damping in a "
                          f"field of {field:g} eV (at most "
                          f"{2 * field / HBAR_EV_FS:.3g} /fs, alpha = 1)")
    if c == 0:
        return 0.0
    return float((1 - math.sqrt(1 - 4 * c * c)) / (2 * c))
