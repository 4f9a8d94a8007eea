r"""Modes and exact self-energy of a semi-infinite tight-binding lead.

A lead is the chain ``-gamma sum_<ij> |i><j|`` continued to infinity, with
the XXZ chain acting on the spins as everywhere else. In channel ``c``
(electron spin (x) XXZ eigenstate ``|n>`` of energy ``e_n``) an electron of
total energy ``E`` has kinetic energy ``E - e_n = -2 gamma cos k``. With
``lambda = e^{i k}`` the root of ``lambda + 1/lambda = -(E - e_n)/gamma``
that is either on the unit circle with ``Im lambda > 0`` (open channel,
right-moving in the right lead) or inside it (closed, evanescent), the lead's
retarded self-energy on the site it is attached to is exactly

.. math::

    \Sigma_c(E) = -\gamma \lambda_c(E), \qquad
    \Gamma_c = i(\Sigma_c - \Sigma_c^*) = 2 \gamma \sin k_c ,

and the group velocity is ``v_c = 2 gamma sin k_c / hbar`` (sites per fs).
See the theory page, section "Energy-resolved scattering".
"""

import numpy as np

from ..constants import HBAR_EV_FS

__all__ = ["lead_modes", "kinetic_energy", "momentum", "velocity"]


def lead_modes(E, eps, gamma):
    r"""``lambda = e^{ik}``, ``k``, broadening and open mask of lead channels.

    Parameters
    ----------
    E : float or array_like
        Total energy, eV; broadcast against ``eps``.
    eps : float or array_like
        Channel energies ``e_n`` (eV), the XXZ level left behind.
    gamma : float
        Hopping, eV, > 0.

    Returns
    -------
    lam : numpy.ndarray
        ``lambda_c``, complex; ``|lambda| = 1`` for open channels, ``< 1``
        for closed ones (``|lambda| = 1``, real, exactly at a threshold).
    k : numpy.ndarray
        Wave number ``k_c`` in ``(0, pi)`` for open channels, ``nan`` else.
    Gamma : numpy.ndarray
        ``2 gamma sin k_c`` (eV), zero for closed channels.
    is_open : numpy.ndarray of bool
        ``|E - e_n| < 2 gamma`` strictly; a channel exactly at its
        threshold carries no flux and counts as closed.

    Examples
    --------
    >>> lam, k, Gamma, is_open = lead_modes(0.0, 0.0, 1.0)    # band centre
    >>> bool(abs(lam - 1j) < 1e-15), float(k), float(Gamma), bool(is_open)
    (True, 1.5707963267948966, 2.0, True)
    """
    x = -(np.asarray(E, dtype=float) - np.asarray(eps, dtype=float)) / (
        2.0 * gamma)
    x, = np.broadcast_arrays(x)
    is_open = np.abs(x) < 1.0
    inside = np.where(is_open, x, 0.0)
    root_in = inside + 1j * np.sqrt(1.0 - inside ** 2)
    outside = np.where(is_open, 2.0, x)
    # |lambda| <= 1 root of lambda^2 - 2 x lambda + 1 = 0 for |x| >= 1
    root_out = outside - np.sign(outside) * np.sqrt(outside ** 2 - 1.0)
    lam = np.where(is_open, root_in, root_out + 0j)
    k = np.where(is_open, np.arccos(inside), np.nan)
    Gamma = np.where(is_open, 2.0 * gamma * lam.imag, 0.0)
    return lam, k, Gamma, is_open


def kinetic_energy(k, eps, gamma):
    """Total energy ``E = e_n - 2 gamma cos k`` (eV) of wave number ``k`` in channel ``e_n``.

    Parameters
    ----------
    k : float or array_like
        Wave number ``k a``.
    eps : float
        Channel energy, eV.
    gamma : float
        Hopping, eV.

    Returns
    -------
    numpy.ndarray or float

    Examples
    --------
    >>> round(float(kinetic_energy(np.pi / 2, -0.402, 1.0)), 12)
    -0.402
    """
    return eps - 2.0 * gamma * np.cos(k)


def momentum(E, eps, gamma):
    """Wave number ``k = arccos(-(E - e_n) / 2 gamma)`` in ``[0, pi]``.

    Parameters
    ----------
    E : float or array_like
        Total energy, eV, within ``[e_n - 2 gamma, e_n + 2 gamma]``.
    eps : float
        Channel energy, eV.
    gamma : float
        Hopping, eV.

    Returns
    -------
    numpy.ndarray or float

    Examples
    --------
    >>> round(float(momentum(-2.0 + 0.01, 0.0, 1.0)), 6)
    0.100042
    """
    return np.arccos(np.clip(-(np.asarray(E) - eps) / (2.0 * gamma), -1, 1))


def velocity(k, gamma):
    """Group velocity ``2 gamma sin k / hbar`` in sites per fs.

    Parameters
    ----------
    k : float or array_like
    gamma : float
        Hopping, eV.

    Returns
    -------
    numpy.ndarray or float

    Examples
    --------
    >>> round(float(velocity(0.1, 1.0)), 4)
    0.3033
    """
    return 2.0 * gamma * np.sin(k) / HBAR_EV_FS
