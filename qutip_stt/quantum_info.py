r"""Information measures of spin states: entropies, mutual information, entanglement.

Pure functions of a density matrix (a NumPy array), each equal to QuTiP's own
function where QuTiP has one (tested to 1e-10 in ``tests/test_entanglement.py``):

- :func:`entropy`: ``-Tr rho ln rho`` (or log2), as :func:`qutip.entropy_vn`;
- :func:`mutual_information`: ``S(rho_a) + S(rho_b) - S(rho_ab)``, as
  :func:`qutip.entropy_mutual`;
- :func:`concurrence`: Wootters, two spin-1/2, as :func:`qutip.concurrence`;
- :func:`log_negativity`: ``log2 ||rho^{T_b}||_1`` in bits, as
  :func:`qutip.negativity` with ``logarithmic=True``;
- :func:`correlation`: ``<Sigma_a . Sigma_b> - <Sigma_a> . <Sigma_b>`` with
  ``Sigma = 2 jmat(S)``, from :func:`qutip.expect` in the tests.

:func:`spin_measures` computes all of them for chosen pairs and blocks of any
set of spins from the ``(L, D)`` amplitudes of a pure state of spins and an
environment (``rho_spins = A^T A^*``), through :func:`pair_density_matrix` and
:func:`block_entropy`, without forming the density matrix of all spins.
The underscored helpers evaluate a stack ``(P, d, d)`` of pair matrices at
once (one LAPACK call per measure), which :mod:`qutip_stt.entanglement` uses at
every output time.
"""

import math
from functools import lru_cache

import numpy as np
import qutip

from .errors import ConfigError

__all__ = ["MEASURES", "entropy", "mutual_information", "concurrence",
           "log_negativity", "correlation", "compress_amplitudes",
           "amplitudes_from_density_matrix", "pair_density_matrix",
           "block_entropy", "spin_measures"]

#: Pair measures, in the order they are stored.
MEASURES = ("mutual_information", "concurrence", "log_negativity",
            "correlation")

#: Amplitudes below this are set to 0 before any product: their squares are
#: subnormal floats that make BLAS/LAPACK ~100x slower (as in observables), and
#: they move no measure above 1e-290.
_TINY = 1e-150


def _entropies(rho):
    """Entropies (nats) of a stack of density matrices ``(P, d, d)``."""
    w = np.linalg.eigvalsh(rho)
    logs = np.log(np.where(w > 1e-17, w, 1.0))
    return -np.sum(np.where(w > 1e-17, w, 0.0) * logs, axis=1)


def _concurrences(rho):
    """Concurrence of a stack of two-qubit density matrices, as :func:`concurrence`."""
    w, v = np.linalg.eigh(rho)
    f = v * np.sqrt(np.clip(w, 0, None))[:, None, :]
    tau = np.swapaxes(f, 1, 2) @ _YY @ f
    lam = np.linalg.svd(tau, compute_uv=False)
    return np.maximum(0.0, lam[:, 0] - lam[:, 1] - lam[:, 2] - lam[:, 3])


def _spectrum_entropy(w):
    w = w[w > 1e-17]
    return float(-np.sum(w * np.log(w)))


def entropy(rho, base=math.e):
    """von Neumann entropy ``-Tr rho ln rho`` (as :func:`qutip.entropy_vn`).

    Parameters
    ----------
    rho : numpy.ndarray
        Density matrix.
    base : {e, 2}, default: e
        Logarithm base (nats or bits).

    Returns
    -------
    float

    Examples
    --------
    >>> entropy(np.eye(2) / 2, base=2)
    1.0
    """
    return _spectrum_entropy(np.linalg.eigvalsh(rho)) / math.log(base)


def _partial(rho, da, db):
    """Both one-spin density matrices of a ``(da db)`` square pair matrix."""
    r = rho.reshape(da, db, da, db)
    return np.einsum("ajbj->ab", r), np.einsum("iaib->ab", r)


def mutual_information(rho, da, db, base=math.e):
    """``I = S(rho_a) + S(rho_b) - S(rho_ab)`` of a pair density matrix.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(da db, da db)`` density matrix, ``a`` first.
    da, db : int
        Dimensions of the two spins.
    base : {e, 2}, default: e

    Returns
    -------
    float

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]).T / np.sqrt(2)
    >>> round(mutual_information(bell @ bell.T, 2, 2, base=2), 12)
    2.0
    """
    ra, rb = _partial(rho, da, db)
    return (entropy(ra, base) + entropy(rb, base) - entropy(rho, base))


def concurrence(rho):
    """Wootters' concurrence of two spin-1/2 (as :func:`qutip.concurrence`).

    ``C = max(0, l1 - l2 - l3 - l4)`` with ``l_k`` the decreasing singular
    values of ``sqrt(w) V^T (sigma_y x sigma_y) V sqrt(w)`` for
    ``rho = V w V^dagger``; these are the square roots of the eigenvalues of
    ``rho (sigma_y x sigma_y) rho^* (sigma_y x sigma_y)``, computed without a
    non-Hermitian eigenproblem.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(4, 4)`` density matrix.

    Returns
    -------
    float

    Raises
    ------
    ConfigError
        If ``rho`` is not 4 x 4 (concurrence needs two spin-1/2).

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]).T / np.sqrt(2)
    >>> round(concurrence(bell @ bell.T), 12)
    1.0
    """
    rho = np.asarray(rho)
    if rho.shape != (4, 4):
        raise ConfigError("concurrence", f"defined for two spin-1/2 (a 4 x 4 "
                          f"density matrix), got shape {rho.shape}")
    w, v = np.linalg.eigh(rho)
    f = v * np.sqrt(np.clip(w, 0, None))
    tau = f.T @ _YY @ f
    lam = np.linalg.svd(tau, compute_uv=False)
    return float(max(0.0, lam[0] - lam[1] - lam[2] - lam[3]))


_YY = np.kron(np.array([[0, -1j], [1j, 0]]), np.array([[0, -1j], [1j, 0]]))


def log_negativity(rho, da, db):
    """Logarithmic negativity ``log2 ||rho^{T_b}||_1`` in bits.

    As :func:`qutip.negativity` with ``logarithmic=True``.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(da db, da db)`` density matrix.
    da, db : int

    Returns
    -------
    float
        0 for separable states with a positive partial transpose; 1 for a
        Bell pair; ``log2(d)`` for a maximally entangled pair of ``d`` levels.

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]).T / np.sqrt(2)
    >>> round(log_negativity(bell @ bell.T, 2, 2), 12)
    1.0
    """
    pt = rho.reshape(da, db, da, db).transpose(0, 3, 2, 1).reshape(
        da * db, da * db)
    return float(np.log2(np.sum(np.abs(np.linalg.eigvalsh(pt)))))


@lru_cache(maxsize=None)
def _sigma(S):
    """``Sigma = 2 jmat(S)`` as a dense ``(3, d, d)`` array."""
    return np.array([2 * qutip.jmat(S, c).full() for c in "xyz"])


def correlation(rho, Sa, Sb):
    """Connected correlator of two spins, units ``(hbar/2)^2``.

    ``C = <Sigma_a . Sigma_b> - <Sigma_a> . <Sigma_b>`` with ``Sigma = 2 jmat(S)``.

    Parameters
    ----------
    rho : numpy.ndarray
        Pair density matrix, ``a`` first.
    Sa, Sb : float
        Spin sizes (``Sigma = 2 jmat(S)``).

    Returns
    -------
    float

    Examples
    --------
    >>> singlet = np.array([[0, 1, -1, 0]]).T / np.sqrt(2)
    >>> round(correlation(singlet @ singlet.T, 0.5, 0.5), 12)
    -3.0
    """
    sa, sb = _sigma(Sa), _sigma(Sb)
    da, db = sa.shape[1], sb.shape[1]
    r = rho.reshape(da, db, da, db)
    both = np.einsum("ijkl,cki,clj->", r, sa, sb).real
    ra, rb = _partial(rho, da, db)
    va = np.einsum("ij,cji->c", ra, sa).real
    vb = np.einsum("ij,cji->c", rb, sb).real
    return float(both - va @ vb)


# -- from amplitudes -----------------------------------------------------------
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
    return _spectrum_entropy(np.linalg.eigvalsh(rho))


# -- everything at one time ---------------------------------------------------
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
    # instead of one small call per pair (3-4x faster for the paper's N = 5)
    groups = {}
    for p, (i, j) in enumerate(pairs):
        groups.setdefault((dims[i], dims[j], sizes[i], sizes[j]), []).append(p)
    for (da, db, Sa, Sb), members in groups.items():
        rho = np.array([pair_density_matrix(A, dims, *pairs[p])
                        for p in members])
        r4 = rho.reshape(-1, da, db, da, db)
        if "mutual_information" in out:
            ra = np.einsum("pajbj->pab", r4)
            rb = np.einsum("piaib->pab", r4)
            out["mutual_information"][members] = (
                _entropies(ra) + _entropies(rb) - _entropies(rho))
        if "concurrence" in out:
            out["concurrence"][members] = (_concurrences(rho) if da == db == 2
                                           else np.nan)
        if "log_negativity" in out:
            pt = r4.transpose(0, 1, 4, 3, 2).reshape(rho.shape)
            out["log_negativity"][members] = np.log2(
                np.abs(np.linalg.eigvalsh(pt)).sum(axis=1))
        if "correlation" in out:
            sa, sb = _sigma(Sa), _sigma(Sb)
            both = np.einsum("pijkl,cki,clj->p", r4, sa, sb).real
            va = np.einsum("pijkj,cki->pc", r4, sa).real
            vb = np.einsum("pijil,clj->pc", r4, sb).real
            out["correlation"][members] = both - np.sum(va * vb, axis=1)
    blocks = np.asarray(blocks, dtype=np.int64).reshape(-1, 2)
    if len(blocks):
        out["block_entropy"] = np.array([block_entropy(A, dims, a, b)
                                         for a, b in blocks])
    return out
