"""Spin operators in the package's units: ``Sigma = 2 * qutip.jmat(S)``.

Spin operators are in units of hbar/2: ``sigma`` are Pauli matrices and a
local spin ``S`` uses ``Sigma = 2 * qutip.jmat(S)`` (the conventions of the
theory page). Every model, reducer and measure takes its spin matrices from
:func:`spin_operators` (``Qobj``) or :func:`dense_spin_operators` (their
NumPy matrices, computed without QuTiP from the ladder elements
``<m+1|J_+|m> = sqrt(S(S+1) - m(m+1))`` that :func:`qutip.jmat` uses; the
tests hold them against ``qutip.jmat``), so the sector route never imports
QuTiP.
"""

from functools import lru_cache

import numpy as np

from .._util.lazy import lazy_module
from .._util.validation import check_spin

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["spin_operators", "dense_spin_operators"]


def spin_operators(S):
    """Spin operators ``(Sigma_x, Sigma_y, Sigma_z) = 2 * jmat(S)``, units hbar/2.

    For ``S = 1/2`` these are the Pauli matrices; the eigenvalues of
    ``Sigma_z`` are ``2m`` for ``m = S, S-1, ..., -S`` (basis order of
    :func:`qutip.jmat`).

    Parameters
    ----------
    S : float
        Spin quantum number, a positive half-integer.

    Returns
    -------
    tuple of qutip.Qobj
        The three CSR operators, each of dimension ``2S+1``.

    Examples
    --------
    >>> sx, sy, sz = spin_operators(0.5)
    >>> (sx - qutip.sigmax()).norm() < 1e-15
    True
    """
    return _spin_operators(check_spin("S", S))


@lru_cache(maxsize=None)
def _spin_operators(S):
    return tuple(qutip.Qobj(op).to("CSR") for op in _dense(S))


def dense_spin_operators(S):
    """The three ``Sigma`` of :func:`spin_operators` as one dense array.

    Parameters
    ----------
    S : float
        Spin quantum number, a positive half-integer.

    Returns
    -------
    numpy.ndarray
        ``(3, 2S+1, 2S+1)`` complex: ``Sigma_x, Sigma_y, Sigma_z``.

    Examples
    --------
    >>> dense_spin_operators(0.5)[2].real
    array([[ 1.,  0.],
           [ 0., -1.]])
    """
    return _dense(check_spin("S", S))


@lru_cache(maxsize=None)
def _dense(S):
    m = S - np.arange(int(round(2 * S)) + 1)          # m = S .. -S
    plus = np.diag(np.sqrt(S * (S + 1) - m[1:] * (m[1:] + 1)), 1)  # J_+
    out = np.array([plus + plus.T, -1j * (plus - plus.T),
                    2 * np.diag(m)], dtype=complex)
    out.setflags(write=False)
    return out
