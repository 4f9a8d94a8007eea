r"""Spinful fermions on the chain: the determinant basis and its Jordan-Wigner signs.

The ``2 Lx`` spin-orbitals ``(i, s)`` are numbered in *species-major* order,
mode ``p = i`` for ``(i, up)`` and ``p = Lx + i`` for ``(i, down)``, and a
basis state of ``n_up`` up and ``n_down`` down electrons is the determinant

.. math::

    |u; d\rangle = c^\dagger_{u_1\uparrow} \cdots c^\dagger_{u_{n_\uparrow}\uparrow}
                   c^\dagger_{d_1\downarrow} \cdots c^\dagger_{d_{n_\downarrow}\downarrow}
                   |0\rangle, \qquad u_1 < u_2 < \dots,\quad d_1 < d_2 < \dots

(the Jordan-Wigner order of QuTiP's :func:`qutip.fdestroy` on those modes).
The occupied sites of one species are a row of :func:`combinations`, in
colexicographic order, so that a set's row is its rank
(:func:`rank`: ``sum_k C(o_k, k + 1)``) and no table of states is searched.

Two Jordan-Wigner facts make the Hamiltonian's matrix elements simple:

* a hop ``c^dagger_{i s} c_{i+1, s}`` joins two modes with no mode between
  them: its sign is always ``+1`` (:func:`hopping_matrix`);
* a spin flip ``c^dagger_{i up} c_{i down}`` (modes ``i < Lx + i``) has the
  sign ``(-1)^n`` with ``n`` the electrons on the modes between, the up
  electrons right of ``i`` and the down electrons left of it
  (:func:`spin_flip_map`).
"""

import functools
import math

import numpy as np
import scipy.sparse

__all__ = ["combinations", "rank", "occupations", "hopping_matrix",
           "spin_flip_map", "pair_overlaps"]


@functools.lru_cache(maxsize=64)
def combinations(L, n):
    """Every set of ``n`` of the sites ``0`` to ``L - 1``, one per row, in colex order.

    Row ``r`` holds the sorted sites of the set of rank ``r``
    (:func:`rank`); sets are ordered by their largest site first
    (colexicographic order), so the sets of ``range(t)`` are the first
    ``C(t, n)`` rows.

    Parameters
    ----------
    L : int
        Number of sites.
    n : int
        Electrons of one species, ``0 <= n <= L``.

    Returns
    -------
    numpy.ndarray
        ``(C(L, n), n)`` read-only int64 array.

    Examples
    --------
    >>> combinations(4, 2).tolist()
    [[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]]
    """
    if not 0 <= n <= L:
        raise ValueError(f"n: expected 0 <= n <= L = {L}, got {n}")
    if n == 0:
        out = np.zeros((1, 0), dtype=np.int64)
    else:
        prev = combinations(L, n - 1)
        parts = []
        for top in range(n - 1, L):
            # the (n-1)-sets of range(top) are the first C(top, n-1) rows
            count = math.comb(top, n - 1)
            part = np.empty((count, n), dtype=np.int64)
            part[:, :n - 1] = prev[:count]
            part[:, n - 1] = top
            parts.append(part)
        out = np.concatenate(parts)
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=64)
def _binomials(L, n):
    """``table[x, j] = C(x, j)`` for ``0 <= x <= L``, ``0 <= j <= n``."""
    return np.array([[math.comb(x, j) for j in range(n + 1)]
                     for x in range(L + 1)], dtype=np.int64)


def rank(sets, L):
    """Row of each set in :func:`combinations` ``(L, n)``.

    Parameters
    ----------
    sets : array_like
        ``(m, n)`` sorted sites, one set per row.
    L : int
        Number of sites.

    Returns
    -------
    numpy.ndarray
        ``(m,)`` int64: ``sum_k C(o_k, k + 1)``.

    Examples
    --------
    >>> rank([[0, 3], [2, 3]], 4).tolist()
    [3, 5]
    """
    sets = np.asarray(sets, dtype=np.int64)
    n = sets.shape[1]
    if n == 0:
        return np.zeros(sets.shape[0], dtype=np.int64)
    table = _binomials(L, n)
    return table[sets, np.arange(1, n + 1)].sum(axis=1)


@functools.lru_cache(maxsize=64)
def occupations(L, n):
    """Which sites each set of :func:`combinations` ``(L, n)`` occupies.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(C(L, n), L)`` of ones at the occupied sites.

    Examples
    --------
    >>> occupations(3, 2).toarray().tolist()
    [[1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]
    """
    sets = combinations(L, n)
    rows = np.repeat(np.arange(sets.shape[0]), n)
    return scipy.sparse.csr_matrix(
        (np.ones(rows.size), (rows, sets.ravel())), shape=(sets.shape[0], L))


@functools.lru_cache(maxsize=64)
def hopping_matrix(L, n):
    r"""``sum_i (c^dagger_i c_{i+1} + h.c.)`` on :func:`combinations` ``(L, n)``.

    The nearest-neighbour hops of ``n`` electrons of one species on an open
    chain of ``L`` sites, without the factor ``-gamma``. Every matrix
    element is ``+1``: the two modes of a hop are neighbours in the
    Jordan-Wigner order.

    Returns
    -------
    scipy.sparse.csr_matrix
        Real symmetric ``(C(L, n), C(L, n))``.

    Examples
    --------
    >>> hopping_matrix(3, 1).toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    sets = combinations(L, n)
    size = sets.shape[0]
    rows, cols = [], []
    for k in range(n):
        target = sets[:, k] + 1
        free = target < L
        if k + 1 < n:
            free &= sets[:, k + 1] != target
        moved = sets[free].copy()
        moved[:, k] += 1            # still sorted: the next site was free
        src = np.flatnonzero(free)
        dst = rank(moved, L)
        rows += [dst, src]
        cols += [src, dst]
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    return scipy.sparse.csr_matrix((np.ones(rows.size), (rows, cols)),
                                   shape=(size, size))


def spin_flip_map(L, n_up, n_down, site):
    r"""Matrix elements of ``c^dagger_{site, up} c_{site, down}`` between determinant blocks.

    The operator takes a determinant of ``n_up`` up and ``n_down`` down
    electrons to one of ``n_up + 1`` and ``n_down - 1``. Both blocks are
    indexed ``u * C(L, n_down) + d`` (``u``, ``d`` rows of
    :func:`combinations`).

    Parameters
    ----------
    L : int
    n_up, n_down : int
        Electrons of the source block; ``n_down >= 1``, ``n_up < L``.
    site : int

    Returns
    -------
    source, target : numpy.ndarray
        int64 indices into the source and the target block.
    sign : numpy.ndarray
        ``+-1.0``: ``(-1)^n``, ``n`` the up electrons right of ``site`` plus
        the down electrons left of it (the modes between the two).

    Examples
    --------
    >>> spin_flip_map(2, 0, 1, 1)        # |; 1> -> |1; >
    (array([1]), array([1]), array([1.]))
    >>> spin_flip_map(2, 1, 1, 0)[2]     # |1; 0>: the up electron on site 1 lies between
    array([-1.])
    """
    ups, downs = combinations(L, n_up), combinations(L, n_down)
    up_ok = np.flatnonzero(~np.any(ups == site, axis=1))
    down_ok = np.flatnonzero(np.any(downs == site, axis=1))
    new_up = np.sort(np.concatenate(
        [ups[up_ok], np.full((up_ok.size, 1), site)], axis=1), axis=1)
    new_down = downs[down_ok][downs[down_ok] != site].reshape(
        down_ok.size, n_down - 1)
    up_sign = 1 - 2 * ((ups[up_ok] > site).sum(axis=1) % 2)
    down_sign = 1 - 2 * ((downs[down_ok] < site).sum(axis=1) % 2)
    n_d, n_d_new = downs.shape[0], math.comb(L, n_down - 1)
    source = (up_ok[:, None] * n_d + down_ok[None, :]).ravel()
    target = (rank(new_up, L)[:, None] * n_d_new
              + rank(new_down, L)[None, :]).ravel()
    sign = (up_sign[:, None] * down_sign[None, :]).ravel().astype(float)
    return source, target, sign


def pair_overlaps(L, n_up, n_down):
    """Doubly occupied sites ``sum_i n_{i up} n_{i down}`` of every determinant.

    Returns
    -------
    numpy.ndarray
        ``(C(L, n_up) * C(L, n_down),)`` float, index ``u * C(L, n_down) + d``.

    Examples
    --------
    >>> pair_overlaps(2, 1, 1).tolist()      # |0;0>, |0;1>, |1;0>, |1;1>
    [1.0, 0.0, 0.0, 1.0]
    """
    counts = (occupations(L, n_up) @ occupations(L, n_down).T).toarray()
    return counts.ravel()
