r"""Entanglement between spins: pair and block measures from the amplitudes.

The spins of the model are numbered as subsystems ``0`` (the electron spin)
and ``1 .. N`` (local spin ``n``). A state is handed over as the ``(L, D)``
amplitude matrix ``A`` (``L`` environment states, ``D = prod(d_k)`` spin
configurations in QuTiP's basis order), so that the density matrix of all
spins is ``rho = A^T A^*``; for the model ``L = Lx`` is the electron orbital
and ``D = 2 (2S+1)^N`` (the layout of the sector route). No full density
matrix is formed: the two-spin density matrix of a pair ``(i, j)`` is one
contraction of ``A`` over everything else, ``rho_ij = X X^dagger`` with
``X`` the ``(d_i d_j, L D / (d_i d_j))`` matrix of ``A`` with the axes ``i``,
``j`` moved to the front. When ``L > D`` (the paper: 400 sites, 64 spin
states) ``A`` is first replaced by the ``(D, D)`` factor ``R`` of its QR
decomposition, which has the same ``A^T A^*``.

Measures (see the theory page, "Entanglement between spins"):

``mutual_information``
    ``I(i:j) = S(rho_i) + S(rho_j) - S(rho_ij)``, natural log (nats; divide by
    ``ln 2`` for bits), as :func:`qutip.entropy_mutual`.
``concurrence``
    Wootters' concurrence of a pair of spin-1/2 (``NaN`` for larger spins),
    as :func:`qutip.concurrence`.
``log_negativity``
    ``E_N = log2 || rho_ij^{T_j} ||_1`` (base 2, so a Bell pair has 1), as
    :func:`qutip.negativity` with ``logarithmic=True``.
``correlation``
    ``<Sigma_i . Sigma_j> - <Sigma_i> . <Sigma_j>`` in units of ``(hbar/2)^2``
    (``Sigma = 2 jmat(S)``; Pauli matrices for spin 1/2).
``block_entropy``
    von Neumann entropy (nats) of a contiguous block of spins ``a .. b``,
    from the smaller of the block and its complement (a pure state's two
    sides share their non-zero spectrum).
"""

import itertools
import math
from functools import lru_cache

import numpy as np
import qutip

from .errors import ConfigError, ConfigTypeError

__all__ = ["MEASURES", "resolve_pairs", "resolve_blocks", "resolve_measures",
           "spin_sizes", "compress_amplitudes", "amplitudes_from_density_matrix",
           "pair_density_matrix", "block_entropy", "entropy",
           "mutual_information", "concurrence", "log_negativity",
           "correlation", "spin_measures", "pair_measures", "PairRecorder"]

#: Pair measures, in the order they are stored.
MEASURES = ("mutual_information", "concurrence", "log_negativity",
            "correlation")

#: Amplitudes below this are set to 0 before any product: their squares are
#: subnormal floats that make BLAS/LAPACK ~100x slower (see sectors.py), and
#: they move no measure above 1e-290.
_TINY = 1e-150


def spin_sizes(model):
    """Spin size of every subsystem, ``[1/2] + [S] * N`` (electron first).

    Parameters
    ----------
    model : STTModel

    Returns
    -------
    list of float

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> spin_sizes(STTModel(Lx=10, N=2, S=1))
    [0.5, 1.0, 1.0]
    """
    return [0.5] + [model.S] * model.N


def resolve_pairs(pairs, n_spins, key="analysis.pairs"):
    """The pairs ``(i, j)``, ``i < j``, that a pair specification stands for.

    Parameters
    ----------
    pairs : {"all", "nearest", "none"} or list of (int, int)
        ``"all"``: every pair among subsystems ``0 .. n_spins-1`` (electron
        spin 0 included); ``"nearest"``: neighbouring local spins ``(n, n+1)``,
        ``n = 1 .. n_spins-2``; ``"none"``: no pair; or explicit pairs of
        distinct subsystem indices.
    n_spins : int
        Number of subsystems, ``N + 1`` for the model.
    key : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
        ``(P, 2)`` integers, each row sorted.

    Examples
    --------
    >>> resolve_pairs("nearest", 4).tolist(), resolve_pairs([[3, 1]], 4).tolist()
    ([[1, 2], [2, 3]], [[1, 3]])
    >>> resolve_pairs([[1, 5]], 4)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: analysis.pairs: pair [1, 5]: indices must be 0 (electron spin) .. 3 (local spins 1..3) and distinct
    """
    if isinstance(pairs, str):
        if pairs == "all":
            out = list(itertools.combinations(range(n_spins), 2))
        elif pairs == "nearest":
            out = [(n, n + 1) for n in range(1, n_spins - 1)]
        elif pairs == "none":
            out = []
        else:
            raise ConfigError(key, f"expected \"all\", \"nearest\", \"none\" "
                              f"or a list of [i, j] pairs, got {pairs!r}")
    elif isinstance(pairs, (list, tuple, np.ndarray)):
        out = []
        for pair in pairs:
            if (not isinstance(pair, (list, tuple, np.ndarray)) or len(pair) != 2
                    or not all(isinstance(v, (int, np.integer))
                               and not isinstance(v, bool) for v in pair)):
                raise ConfigTypeError(key, f"expected pairs [i, j] of integers,"
                                      f" got {pair!r}")
            i, j = (int(v) for v in pair)
            if not (0 <= i < n_spins and 0 <= j < n_spins) or i == j:
                raise ConfigError(key, f"pair [{pair[0]}, {pair[1]}]: indices "
                                  f"must be 0 (electron spin) .. {n_spins - 1} "
                                  f"(local spins 1..{n_spins - 1}) and distinct")
            out.append((min(i, j), max(i, j)))
    else:
        raise ConfigTypeError(key, f"expected \"all\", \"nearest\", \"none\" "
                              f"or a list of [i, j] pairs, got {pairs!r}")
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def resolve_blocks(blocks, n_spins, key="analysis.blocks"):
    """Contiguous blocks ``(a, b)`` of local spins (subsystems ``a`` to ``b``, 1-based).

    Parameters
    ----------
    blocks : bool or list of (int, int)
        ``True``: every contiguous block of the local spins ``1 .. n_spins-1``
        (the half chain ``1 .. N//2`` and the whole chain included);
        ``False``: none; or explicit ``[a, b]`` with ``1 <= a <= b``.
    n_spins : int
        Number of subsystems, ``N + 1`` for the model.
    key : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
        ``(B, 2)`` integers: first and last local spin of each block.

    Examples
    --------
    >>> resolve_blocks(True, 4).tolist()
    [[1, 1], [1, 2], [1, 3], [2, 2], [2, 3], [3, 3]]
    """
    N = n_spins - 1
    if isinstance(blocks, bool):
        out = ([(a, b) for a in range(1, N + 1) for b in range(a, N + 1)]
               if blocks else [])
    elif isinstance(blocks, (list, tuple, np.ndarray)):
        out = []
        for block in blocks:
            if (not isinstance(block, (list, tuple, np.ndarray))
                    or len(block) != 2 or not all(
                        isinstance(v, (int, np.integer))
                        and not isinstance(v, bool) for v in block)):
                raise ConfigTypeError(key, f"expected [first, last] local "
                                      f"spins, got {block!r}")
            a, b = (int(v) for v in block)
            if not 1 <= a <= b <= N:
                raise ConfigError(key, f"block [{a}, {b}]: expected "
                                  f"1 <= first <= last <= {N}")
            out.append((a, b))
    else:
        raise ConfigTypeError(key, f"expected true, false or a list of "
                              f"[first, last] blocks, got {blocks!r}")
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def resolve_measures(measures, sizes, pairs, key="analysis.measures"):
    """Check a list of pair measures against the spins of the pairs.

    Parameters
    ----------
    measures : "all" or list of str
        Names from :data:`MEASURES`. ``"all"`` stores concurrence as ``NaN``
        where it is undefined; naming ``"concurrence"`` explicitly for a pair
        that is not two spin-1/2 is an error.
    sizes : list of float
        Spin size of each subsystem (:func:`spin_sizes`).
    pairs : numpy.ndarray
        ``(P, 2)`` from :func:`resolve_pairs`.
    key : str
        Name used in error messages.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> resolve_measures(["concurrence"], [0.5, 1.0], [[0, 1]])
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: analysis.measures: concurrence is defined for two spin-1/2 only; pair [0, 1] has spins 1/2 and 1.0 (use "all" to store NaN there)
    """
    if isinstance(measures, str) and measures == "all":
        return MEASURES
    if not isinstance(measures, (list, tuple)) or not all(
            isinstance(m, str) for m in measures):
        raise ConfigTypeError(key, "expected \"all\" or a list of "
                              + ", ".join(MEASURES) + f", got {measures!r}")
    for m in measures:
        if m not in MEASURES:
            raise ConfigError(key, f"unknown measure {m!r}; allowed: "
                              + ", ".join(MEASURES))
    if "concurrence" in measures:
        for i, j in np.asarray(pairs).reshape(-1, 2):
            if sizes[i] != 0.5 or sizes[j] != 0.5:
                raise ConfigError(
                    key, f"concurrence is defined for two spin-1/2 only; pair "
                    f"[{i}, {j}] has spins {_spin_text(sizes[i])} and "
                    f"{_spin_text(sizes[j])} (use \"all\" to store NaN there)")
    return tuple(m for m in MEASURES if m in measures)


def _spin_text(s):
    return "1/2" if s == 0.5 else repr(float(s))


# -- states ---------------------------------------------------------------------
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


def _entropies(rho):
    """Entropies (nats) of a stack of density matrices ``(P, d, d)``."""
    w = np.linalg.eigvalsh(rho)
    logs = np.log(np.where(w > 1e-17, w, 1.0))
    return -np.sum(np.where(w > 1e-17, w, 0.0) * logs, axis=1)


def _concurrences(rho):
    """Concurrence of a stack of two-qubit density matrices (see :func:`concurrence`)."""
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
    """Logarithmic negativity ``log2 ||rho^{T_b}||_1`` (bits; as :func:`qutip.negativity`).

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
    """``<Sigma_a . Sigma_b> - <Sigma_a> . <Sigma_b>``, units ``(hbar/2)^2``.

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


def pair_measures(A, model, pairs="all", blocks=False, measures="all"):
    """Pair measures between the electron spin and the local spins, and block entropies.

    The hook the evolution's reducer calls at every output time.

    Parameters
    ----------
    A : numpy.ndarray or qutip.Qobj
        ``(Lx, 2 (2S+1)^N)`` amplitudes (orbital site x spin configuration,
        the layout of :func:`qutip_stt.sectors.sector_snapshot`), or a ket
        with the model's dims.
    model : STTModel
    pairs : {"all", "nearest", "none"} or list of (int, int), default: "all"
        See :func:`resolve_pairs`; 0 is the electron spin, ``n`` local spin n.
    blocks : bool or list of (int, int), default: False
        Contiguous blocks of local spins, see :func:`resolve_blocks`.
    measures : "all" or list of str, default: "all"
        See :func:`resolve_measures`.

    Returns
    -------
    dict
        ``{measure: (P,) array}`` and ``"block_entropy"`` ``(B,)`` as
        :func:`spin_measures`; mutual information and entropies in nats,
        log-negativity in bits, correlation in ``(hbar/2)^2``.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=3)
    >>> out = pair_measures(initial_state(model, x0=10), model, blocks=True)
    >>> out["mutual_information"].shape, out["block_entropy"].shape
    ((6,), (6,))
    """
    if isinstance(A, qutip.Qobj):
        A = A.full()
    A = np.asarray(A).reshape(model.Lx, model.spin_space_dimension)
    sizes = spin_sizes(model)
    pairs = resolve_pairs(pairs, model.N + 1)
    return spin_measures(A, sizes, pairs, resolve_blocks(blocks, model.N + 1),
                         resolve_measures(measures, sizes, pairs))


class PairRecorder:
    """Collects :func:`pair_measures` at each output time of an evolution.

    The evolution routes call :meth:`record` with the amplitudes of every
    output state; :meth:`arrays` stacks them with the time first.

    Parameters
    ----------
    model : STTModel
    pairs, blocks, measures
        As :func:`pair_measures`; checked once here.

    Attributes
    ----------
    pairs : numpy.ndarray
        ``(P, 2)`` subsystem indices (0 electron spin, n local spin n).
    blocks : numpy.ndarray
        ``(B, 2)`` first and last local spin of each block.
    measures : tuple of str

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> rec = PairRecorder(model, pairs="all", blocks=True)
    >>> rec.record(initial_state(model, x0=10))
    >>> out = rec.arrays()
    >>> out["pairs_index"].tolist(), out["mutual_information"].shape
    ([[0, 1], [0, 2], [1, 2]], (1, 3))
    """

    def __init__(self, model, pairs="all", blocks=False, measures="all"):
        self.model = model
        sizes = spin_sizes(model)
        self.pairs = resolve_pairs(pairs, model.N + 1)
        self.blocks = resolve_blocks(blocks, model.N + 1)
        self.measures = resolve_measures(measures, sizes, self.pairs)
        self._data = []

    def record(self, A):
        """Compute and keep the measures of one state (amplitudes or ket)."""
        self._data.append(pair_measures(A, self.model, self.pairs, self.blocks,
                                        self.measures))

    def arrays(self):
        """``pairs_index``, ``blocks_index`` and every measure as ``(T, P)`` / ``(T, B)``."""
        out = {"pairs_index": self.pairs, "blocks_index": self.blocks}
        keys = list(self.measures) + (["block_entropy"] if len(self.blocks)
                                      else [])
        for key in keys:
            out[key] = np.array([d[key] for d in self._data]).reshape(
                len(self._data), -1)
        return out
