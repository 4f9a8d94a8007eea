r"""Spin measures from amplitudes: pair density matrices, block entropies.

A pure state of some spins and an environment is handed over as its
``(L, D)`` amplitude matrix ``A`` (``L`` environment states, ``D =
prod(2 s_k + 1)`` spin configurations in QuTiP's basis order), so that the
density matrix of all spins is ``rho = A^T A^*``. No such matrix is formed:
the two-spin density matrix of a pair is one contraction of ``A``
(:func:`pair_density_matrix`), a block's entropy comes from the smaller of
the block and its complement (:func:`block_entropy`), and
:func:`spin_measures` evaluates the kernels of
:mod:`qutip_stt.measures.quantum_info` on every chosen pair at once. When
``L > D`` ``A`` is first replaced by the ``(D, D)`` factor of its QR
decomposition (:func:`compress_amplitudes`), which has the same
``A^T A^*``.
"""

import math

import numpy as np

from .._util.lazy import lazy_module
from ..errors import ConfigError
from .quantum_info import (concurrences, correlation, entropies,
                           log_negativity, mutual_information)
from .selection import MEASURES

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["compress_amplitudes", "amplitudes_from_density_matrix",
           "pair_density_matrix", "block_entropy", "spin_measures"]

#: Amplitudes below this are set to 0 before any product: their squares are
#: subnormal floats, which BLAS/LAPACK handle on a slow path, and they move
#: no measure above 1e-290.
_TINY = 1e-150


def compress_amplitudes(A):
    """A smaller ``A'`` with the same spin density matrix ``A'^T A'^* = A^T A^*``.

    When the environment is larger than the spin space (``L > D``) the
    ``(D, D)`` triangular factor ``R`` of ``A = Q R`` replaces ``A``
    (``Q^T Q^* = 1``); otherwise ``A`` is returned. Amplitudes below
    ``1e-150`` are set to zero first (on a copy).

    Parameters
    ----------
    A : numpy.ndarray
        ``(L, D)`` complex amplitudes.

    Returns
    -------
    numpy.ndarray
        ``(min(L, D), D)``.

    Examples
    --------
    >>> A = np.random.default_rng(1).normal(size=(50, 4))
    >>> R = compress_amplitudes(A)
    >>> R.shape, np.allclose(R.T @ R.conj(), A.T @ A.conj())
    ((4, 4), True)
    """
    A = np.array(A, dtype=complex, copy=True)
    if A.ndim != 2:
        raise ConfigError("A", f"expected an (L, D) amplitude matrix, got "
                          f"shape {A.shape}")
    A[np.abs(A) < _TINY] = 0.0
    if A.shape[0] > A.shape[1]:
        A = np.linalg.qr(A, mode="r")
    return A


def amplitudes_from_density_matrix(rho):
    """An amplitude matrix ``A`` with ``A^T A^* = rho`` (eigen-decomposition).

    Lets every function of this module take a spin density matrix instead of
    amplitudes.

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        ``(D, D)`` density matrix (a ket is accepted too).

    Returns
    -------
    numpy.ndarray
        ``(r, D)`` with ``r`` the number of non-zero eigenvalues.

    Examples
    --------
    >>> A = amplitudes_from_density_matrix(qutip.qeye(2) / 2)
    >>> np.allclose(A.T @ A.conj(), np.eye(2) / 2)
    True
    """
    if isinstance(rho, qutip.Qobj):
        rho = rho.full() if not rho.isket else rho.full().reshape(1, -1)
        if rho.shape[0] == 1:
            return rho
    rho = np.asarray(rho, dtype=complex)
    w, v = np.linalg.eigh((rho + rho.conj().T) / 2)
    keep = w > 0
    # rho = sum_k w_k |v_k><v_k| = A^T A^*  with  A[k, :] = sqrt(w_k) v_k^*
    return (v[:, keep] * np.sqrt(w[keep])).T.conj()


def _check_amplitudes(A, sizes):
    dims = [int(round(2 * s)) + 1 for s in sizes]
    if A.shape[1] != math.prod(dims):
        raise ConfigError("A", f"expected {math.prod(dims)} columns (spins "
                          f"of dimensions {dims}), got {A.shape[1]}")
    return dims


def pair_density_matrix(A, dims, i, j):
    """Two-spin reduced density matrix of subsystems ``i`` and ``j`` (``i`` first).

    Parameters
    ----------
    A : numpy.ndarray
        ``(L, D)`` amplitudes, ``D = prod(dims)``.
    dims : list of int
        Dimension of every spin subsystem, in tensor order.
    i, j : int
        Distinct subsystem indices.

    Returns
    -------
    numpy.ndarray
        ``(d_i d_j, d_i d_j)``, basis ``|a>_i (x) |b>_j``; equal to
        ``ptrace([i, j])`` of the spin state for ``i < j``.

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]) / np.sqrt(2)
    >>> pair_density_matrix(bell, [2, 2], 0, 1).real.round(2)[0]
    array([0.5, 0. , 0. , 0.5])
    """
    T = A.reshape([A.shape[0]] + list(dims))
    X = np.moveaxis(T, (i + 1, j + 1), (0, 1)).reshape(dims[i] * dims[j], -1)
    return X @ X.conj().T


def block_entropy(A, dims, first, last):
    """Entropy (nats) of the contiguous block of subsystems ``first`` to ``last``.

    The block's reduced density matrix, or that of its complement (the
    environment row of ``A`` and all other spins) when that is smaller:
    for the pure state described by ``A`` both have the same non-zero
    spectrum.

    Parameters
    ----------
    A : numpy.ndarray
        ``(L, D)`` amplitudes.
    dims : list of int
    first, last : int
        Subsystem indices, inclusive.

    Returns
    -------
    float

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]) / np.sqrt(2)
    >>> round(block_entropy(bell, [2, 2], 1, 1) / math.log(2), 12)
    1.0
    """
    before = A.shape[0] * math.prod(dims[:first])
    inside = math.prod(dims[first:last + 1])
    after = math.prod(dims[last + 1:])
    X = A.reshape(before, inside, after)
    if inside <= before * after:
        X = X.transpose(1, 0, 2).reshape(inside, -1)
        rho = X @ X.conj().T
    else:  # the complement is smaller: (before*after) square
        X = X.transpose(0, 2, 1).reshape(before * after, inside)
        rho = X @ X.conj().T
    return float(entropies(rho[None])[0])


def spin_measures(A, sizes, pairs, blocks=(), measures=MEASURES):
    """Pair and block measures of any set of spins from amplitudes.

    Parameters
    ----------
    A : numpy.ndarray
        ``(L, D)`` amplitudes (``L`` environment states, ``D = prod(2 s_k + 1)``);
        a 1-D array is a pure spin state (``L = 1``).
    sizes : list of float
        Spin size of every subsystem, tensor order.
    pairs : array_like
        ``(P, 2)`` subsystem indices.
    blocks : array_like, optional
        ``(B, 2)`` first and last subsystem of contiguous blocks.
    measures : tuple of str, default: all of :data:`MEASURES`

    Returns
    -------
    dict
        ``{measure: (P,) array}`` for each measure, plus ``"block_entropy"``
        ``(B,)`` (nats) when blocks are given. Concurrence is ``NaN`` for
        pairs that are not two spin-1/2.

    Examples
    --------
    >>> bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
    >>> out = spin_measures(bell, [0.5, 0.5], [[0, 1]])
    >>> [round(float(out[k][0]), 12) for k in MEASURES]
    [1.38629436112, 1.0, 1.0, 1.0]
    """
    A = np.atleast_2d(np.asarray(A))
    dims = _check_amplitudes(A, sizes)
    A = compress_amplitudes(A)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out = {m: np.empty(len(pairs)) for m in measures}
    # pairs of equal (d_i, d_j) are evaluated together: stacked LAPACK calls
    # instead of one small call per pair, so a call's fixed overhead is paid
    # once per group
    groups = {}
    for p, (i, j) in enumerate(pairs):
        groups.setdefault((dims[i], dims[j], sizes[i], sizes[j]), []).append(p)
    for (da, db, Sa, Sb), members in groups.items():
        rho = np.array([pair_density_matrix(A, dims, *pairs[p])
                        for p in members])
        if "mutual_information" in out:
            out["mutual_information"][members] = mutual_information(rho, da,
                                                                    db)
        if "concurrence" in out:
            out["concurrence"][members] = (concurrences(rho) if da == db == 2
                                           else np.nan)
        if "log_negativity" in out:
            out["log_negativity"][members] = log_negativity(rho, da, db)
        if "correlation" in out:
            out["correlation"][members] = correlation(rho, Sa, Sb)
    blocks = np.asarray(blocks, dtype=np.int64).reshape(-1, 2)
    if len(blocks):
        out["block_entropy"] = np.array([block_entropy(A, dims, a, b)
                                         for a, b in blocks])
    return out
