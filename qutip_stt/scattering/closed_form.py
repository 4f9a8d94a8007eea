r"""Closed form: one spin ``S`` on one site (the single-impurity limit).

For ``N = 1`` the XXZ term vanishes, every channel has ``e_n = 0`` and the
s-d term ``-J_sd sigma . Sigma = -4 J_sd s . S`` is diagonal in the total
spin ``j = S +- 1/2`` with eigenvalues

.. math::

    V_+ = -2 J_{sd} S, \qquad V_- = +2 J_{sd} (S + 1).

In each ``j`` the electron sees a one-site potential ``V_j`` on the chain:
``r_j = V_j / (2 i gamma sin k - V_j)``, ``t_j = 1 + r_j``. An electron
``|down>`` on the spin state ``|m>`` projects onto ``j = S + 1/2`` with
weight ``a = (S - m + 1) / (2S + 1)`` and flips through the Clebsch-Gordan
element ``f = sqrt((S + m)(S - m + 1)) / (2S + 1)``:

.. math::

    R_{nf} = |a r_+ + (1-a) r_-|^2, \quad T_{nf} = |a t_+ + (1-a) t_-|^2,
    \quad R_{f} = T_{f} = f^2 |r_+ - r_-|^2 .

The derivation is on the theory page ("The single-impurity closed form").
"""

import numpy as np

from .._util.validation import check_spin

__all__ = ["single_impurity"]


def single_impurity(E, S=2.5, J_sd=0.1, gamma=1.0, m=None):
    """Exact probabilities for ``|down> (x) |m>`` scattering off one spin ``S`` on one site.

    Parameters
    ----------
    E : float or array_like
        Energy, eV, inside the band ``(-2 gamma, 2 gamma)``.
    S : float, default: 2.5
        Spin of the impurity.
    J_sd : float, default: 0.1
        s-d exchange, eV.
    gamma : float, default: 1.0
        Hopping, eV.
    m : float, optional
        ``S^z`` of the impurity before scattering (hbar), default ``S``.

    Returns
    -------
    dict
        ``reflection_noflip``, ``transmission_noflip``,
        ``reflection_flip``, ``transmission_flip``, ``spin_flip``.

    Examples
    --------
    >>> p = single_impurity(-1.0, S=0.5)
    >>> total = sum(p[key] for key in ("reflection_noflip", "transmission_noflip",
    ...                                "reflection_flip", "transmission_flip"))
    >>> bool(abs(total - 1) < 1e-14)
    True
    """
    S = check_spin("S", S)
    m = S if m is None else float(m)
    E = np.asarray(E, dtype=float)
    sin_k = np.sqrt(1.0 - (E / (2.0 * gamma)) ** 2)
    ik = 2j * gamma * sin_k
    v_plus, v_minus = -2.0 * J_sd * S, 2.0 * J_sd * (S + 1.0)
    r_plus, r_minus = v_plus / (ik - v_plus), v_minus / (ik - v_minus)
    a = (S - m + 1.0) / (2.0 * S + 1.0)
    f2 = (S + m) * (S - m + 1.0) / (2.0 * S + 1.0) ** 2
    out = {
        "reflection_noflip": np.abs(a * r_plus + (1 - a) * r_minus) ** 2,
        "transmission_noflip": np.abs(a * (1 + r_plus)
                                      + (1 - a) * (1 + r_minus)) ** 2,
        "reflection_flip": f2 * np.abs(r_plus - r_minus) ** 2,
        "transmission_flip": f2 * np.abs(r_plus - r_minus) ** 2,
    }
    out["spin_flip"] = out["reflection_flip"] + out["transmission_flip"]
    return out
