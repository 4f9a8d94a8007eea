"""Spin operators in the package's units, from QuTiP's operator library.

Spin operators are in units of hbar/2: ``sigma`` are Pauli matrices and a
local spin ``S`` uses ``Sigma = 2 * qutip.jmat(S)`` (the conventions of the
theory page). Every model, reducer and measure takes its spin matrices from
:func:`spin_operators`.
"""

from functools import lru_cache

import numpy as np
import qutip

from .._util.validation import check_spin

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
    return tuple((2 * qutip.jmat(S, c)).to("CSR") for c in "xyz")


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
    out = np.array([op.full() for op in _spin_operators(S)])
    out.setflags(write=False)
    return out
