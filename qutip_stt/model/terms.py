r"""The terms of the Hamiltonian as data, checked (no QuTiP import).

:class:`Coupling` (a spin-spin term: s-d exchange or an XXZ bond) and
:class:`Field` (a Zeeman term) are the list every form of H is built from:
the ``Qobj`` Hamiltonian of :class:`~qutip_stt.model.STTModel` and the
sector blocks of :mod:`qutip_stt.model.sector_blocks`. Beyond Eq. (3) of the
paper the model takes (docs/theory.md, "Fields and
potentials")

.. math::

    H_Z = -\sum_n \mathbf{h}_n\cdot\boldsymbol{\Sigma}_n
          - h_e \sigma^z_e, \qquad
    H_V = \sum_x V_x |x\rangle\langle x| \otimes 1

(eV; ``h > 0`` favours spin up). This module checks the user's forms of the
field and the potential and turns them into the model's arrays; both the
config reader (:mod:`qutip_stt.config`, keys ``local_spins.field``,
``electron.field``, ``chain.potential``) and
:class:`~qutip_stt.model.STTModel` (arguments ``field``, ``electron_field``,
``potential``) call it, so an error names whichever key the user wrote.
"""

import numbers
from typing import NamedTuple

import numpy as np

from ..errors import ConfigError, ConfigTypeError
from .._util.validation import check_energy, check_int, check_table_keys

__all__ = ["Coupling", "Field", "local_fields", "potential_profile",
           "normalize_potential", "check_potential"]


class Coupling(NamedTuple):
    r"""One spin-spin term of Eq. (3), as data.

    The term is ``-[Jxy (Sigma^x_a Sigma^x_b + Sigma^y_a Sigma^y_b)
    + Jz Sigma^z_a Sigma^z_b]`` between spin factors ``a`` and ``b``
    (0 is the electron spin, ``n`` local spin ``n``; ``sigma`` for the
    electron), times ``|site><site|`` on the orbital factor, or the orbital
    identity when ``site`` is None. The s-d exchange is
    ``Coupling(0, n, J_sd, J_sd, site_n)``, the XXZ bond
    ``Coupling(n, n+1, J, Jz, None)``. :attr:`STTModel.couplings` lists
    them; :attr:`STTModel.hamiltonian` (QuTiP ``tensor``) and
    :func:`qutip_stt.model.sector_blocks.sector_hamiltonian` (ladder matrix elements on
    one sector) are both built from that one list.
    """

    a: int
    b: int
    Jxy: float
    Jz: float
    site: int | None


class Field(NamedTuple):
    r"""One single-spin (Zeeman) term, as data.

    The term is ``-(hx Sigma^x_k + hy Sigma^y_k + hz Sigma^z_k)`` on spin
    factor ``k`` (0 the electron spin, ``n`` local spin ``n``), orbital
    identity. :attr:`STTModel.fields` lists them beside
    :attr:`STTModel.couplings`; the ``Qobj`` Hamiltonian and the sector
    blocks (:func:`qutip_stt.model.sector_blocks.coupling_blocks`) are built from that
    one list. ``site`` is always None (the orbital identity), as for an XXZ
    bond.
    """

    k: int
    hx: float
    hy: float
    hz: float

    @property
    def site(self):
        """None: a field acts on every orbital site alike."""
        return None

    @property
    def transverse(self):
        """True when ``hx`` or ``hy`` is nonzero (total S^z not conserved)."""
        return self.hx != 0 or self.hy != 0


def local_fields(value, N, key="field"):
    """The field on each local spin as an ``(N, 3)`` array ``(h_x, h_y, h_z)``, eV.

    Parameters
    ----------
    value : float, sequence of N floats, or mapping
        A number (uniform ``h_z``), one ``h_z`` per local spin, or a table
        ``{"x": ..., "y": ..., "z": ...}`` (uniform, any component may be
        left out; a nonzero ``x`` or ``y`` breaks total-S^z conservation).
    N : int
        Number of local spins.
    key : str, default: "field"
        Name for error messages (``local_spins.field`` from a config).

    Returns
    -------
    numpy.ndarray
        ``(N, 3)`` float array.

    Examples
    --------
    >>> local_fields(0.01, 2)
    array([[0.  , 0.  , 0.01],
           [0.  , 0.  , 0.01]])
    >>> local_fields({"x": 0.02}, 1)
    array([[0.02, 0.  , 0.  ]])
    >>> local_fields([0.1, 0.2, 0.3], 2)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: field: a list needs one value per local spin (count = 2), got 3
    """
    out = np.zeros((N, 3))
    if isinstance(value, dict):
        for comp in value:
            if comp not in ("x", "y", "z"):
                raise ConfigError(f"{key}.{comp}", "unknown component; "
                                  "allowed: x, y, z")
            out[:, "xyz".index(comp)] = check_energy(f"{key}.{comp}",
                                                   value[comp])
        return out
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        out[:, 2] = check_energy(key, value)
        return out
    if isinstance(value, (list, tuple, np.ndarray)):
        if len(value) != N:
            raise ConfigError(key, f"a list needs one value per local spin "
                              f"(count = {N}), got {len(value)}")
        out[:, 2] = [check_energy(f"{key}[{n}]", v) for n, v in enumerate(value)]
        return out
    raise ConfigTypeError(key, "expected a number (eV), a list of one number "
                          "per local spin, or a table {x, y, z}, got "
                          f"{value!r}")


def check_potential(value, Lx, key="potential"):
    """A site potential as an ``(Lx,)`` float array (eV), or None for none.

    Parameters
    ----------
    value : array_like or None
        One value per chain site.
    Lx : int
        Chain length.
    key : str, default: "potential"

    Returns
    -------
    numpy.ndarray or None
        None when ``value`` is None or all zero.
    """
    if value is None:
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ConfigTypeError(key, f"expected {Lx} numbers (eV), one per site")
    if arr.shape != (Lx,):
        raise ConfigError(key, f"expected one value per site, shape ({Lx},), "
                          f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ConfigError(key, "values must be finite (eV)")
    return arr if np.any(arr) else None


def potential_profile(tables, Lx, key="chain.potential"):
    """The ``(Lx,)`` potential (eV) of a list of ``{start, stop, height}`` tables.

    Each table adds ``height`` on the sites ``start <= x < stop`` (``stop``
    excluded, as in ``range``): a barrier for ``height > 0``, a well for
    ``height < 0``; overlapping tables add up.

    Parameters
    ----------
    tables : dict or list of dict
        ``{"start": int, "stop": int, "height": float}``, or several.
    Lx : int
        Chain length; ``0 <= start < stop <= Lx``.
    key : str, default: "chain.potential"

    Returns
    -------
    numpy.ndarray or None
        None for no tables (or only zero heights).

    Examples
    --------
    >>> potential_profile({"start": 2, "stop": 4, "height": 0.5}, 6)
    array([0. , 0. , 0.5, 0.5, 0. , 0. ])
    """
    tables = normalize_potential(tables, Lx, key)
    V = np.zeros(Lx)
    for t in tables:
        V[t["start"]:t["stop"]] += t["height"]
    return V if np.any(V) else None


def normalize_potential(tables, Lx, key="chain.potential"):
    """Check ``chain.potential`` and return it as a list of checked tables."""
    if isinstance(tables, dict):
        tables = [tables]
    if not isinstance(tables, list):
        raise ConfigTypeError(key, "expected a table {start, stop, height} or "
                              f"a list of such tables, got {tables!r}")
    out = []
    for i, t in enumerate(tables):
        k = f"{key}[{i}]" if len(tables) > 1 else key
        if not isinstance(t, dict):
            raise ConfigTypeError(k, "expected a table {start, stop, height}, "
                                  f"got {t!r}")
        check_table_keys(k, t, ("start", "stop", "height"), "a potential")
        start = check_int(f"{k}.start", t["start"], minimum=0,
                          maximum=Lx - 1)
        stop = check_int(f"{k}.stop", t["stop"], minimum=start + 1,
                         maximum=Lx)
        out.append({"start": start, "stop": stop,
                    "height": check_energy(f"{k}.height", t["height"])})
    return out
