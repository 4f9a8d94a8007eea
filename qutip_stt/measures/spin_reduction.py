r"""The spin side of the one reducer: Bloch vectors, purity and entropy from spin density matrices.

Both evolution routes reduce their kets the same way once they hold the
density matrices of the spin configurations: the one-electron reducer
(:func:`qutip_stt.measures.reducer.reduce_amplitudes`, spin factors the
electron spin and the local spins) and the many-electron one
(:func:`qutip_stt.measures.fermion_observables.reduce_fermions`, the local
spins alone). Given ``flat`` (``(T, n, n)``: the density matrices over ``n``
spin configurations of a grid of spin factors, QuTiP's basis order),

* :func:`spin_side` gives every factor's Bloch vector (``<Sigma^z>`` from
  the configuration probabilities, ``<Sigma^+>`` from the one-flip elements
  of ``flat``, :func:`ladder_pairs`) and the density matrices of the
  factors that are kept (the electron spin traced out when asked);
* :func:`mixedness` gives their purity ``Tr rho^2`` and von Neumann entropy
  (natural log) after dropping empty configurations and flushing entries
  below :data:`FLUSH_BELOW`.

Spin expectation values are in units of hbar/2 (``Sigma = 2 jmat(S)``).
"""

import functools

import numpy as np

from ..model.sectors import spin_grid
from .quantum_info import entropies

__all__ = ["FLUSH_BELOW", "ladder_pairs", "configuration_pairs", "spin_side",
           "mixedness"]

#: Amplitudes below this are set to zero before any dense algebra. Gaussian
#: tails reach 1e-250; their products are subnormal floats, which
#: BLAS/LAPACK handle on a slow path, and dropping them changes no observable
#: by more than ~D * 1e-300.
FLUSH_BELOW = 1e-150


@functools.lru_cache(maxsize=32)
def ladder_pairs(sizes):
    """The one-flip configuration pairs of every spin factor of a grid.

    Parameters
    ----------
    sizes : tuple of float
        The spin of each factor, in tensor order.

    Returns
    -------
    lo, hi : numpy.ndarray
        ``(F, W)`` configurations: ``hi`` is ``lo`` raised by one on factor
        ``f`` (padded with zero amplitude to a common width ``W``).
    amp : numpy.ndarray
        ``(F, W)`` the ``J^+`` element ``sqrt(s(s+1) - m(m+1))``.
    mz2 : numpy.ndarray
        ``(F, D)``: ``2 m`` of every configuration on every factor.

    Examples
    --------
    >>> lo, hi, amp, mz2 = ladder_pairs((0.5, 0.5))
    >>> lo.tolist(), hi.tolist(), mz2.tolist()
    ([[2, 3], [1, 3]], [[0, 1], [0, 2]], [[1.0, 1.0, -1.0, -1.0], [1.0, -1.0, 1.0, -1.0]])
    """
    conf = spin_grid(list(sizes))
    dims = [int(round(2 * s)) + 1 for s in sizes]
    rows = []
    for f, s in enumerate(sizes):
        stride = int(np.prod(dims[f + 1:], dtype=int))
        lo = np.flatnonzero(conf[:, f] < s - 1e-9)
        m = conf[lo, f]
        rows.append((lo, lo - stride, np.sqrt(s * (s + 1) - m * (m + 1))))
    width = max(r[0].size for r in rows)
    F = len(sizes)
    lo, hi, amp = (np.zeros((F, width), dtype=t) for t in (int, int, float))
    for f, (a, b, c) in enumerate(rows):
        lo[f, :a.size], hi[f, :a.size], amp[f, :a.size] = a, b, c
    out = (lo, hi, amp, 2 * conf.T)
    for array in out:
        array.setflags(write=False)
    return out


def configuration_pairs(configurations, sizes):
    """The one-flip pairs among the given configurations of a grid of spin factors.

    :func:`ladder_pairs` for a subset of the configurations, found from
    their m values (the sector route's populated columns; for ``N = 50`` the
    grid itself could not be listed).

    Parameters
    ----------
    configurations : numpy.ndarray
        ``(n, F)`` m of every factor in each configuration.
    sizes : tuple of float
        The spin of each factor.

    Returns
    -------
    lo, hi, amp : numpy.ndarray
        As :func:`ladder_pairs`, positions in ``configurations``; pairs whose
        raised configuration is absent have zero amplitude.

    Examples
    --------
    >>> conf = np.array([[0.5, 0.5], [0.5, -0.5], [-0.5, 0.5]])
    >>> [a.tolist() for a in configuration_pairs(conf, (0.5, 0.5))]
    [[[2], [1]], [[0], [0]], [[1.0], [1.0]]]
    """
    key = (np.ascontiguousarray(configurations, dtype=float).tobytes(),
           configurations.shape, tuple(float(s) for s in sizes))
    return _pairs_cached(key)


@functools.lru_cache(maxsize=64)
def _pairs_cached(key):
    data, shape, sizes = key
    conf = np.frombuffer(data).reshape(shape)
    steps = np.rint(np.asarray(sizes) - conf).astype(np.int64)
    where = {row.tobytes(): i for i, row in enumerate(steps)}
    rows = []
    for f, s in enumerate(sizes):
        lo, hi, amp = [], [], []
        for i in np.flatnonzero(steps[:, f] > 0):      # m_f below s: raisable
            raised = steps[i].copy()
            raised[f] -= 1
            j = where.get(raised.tobytes())
            if j is not None:
                m = conf[i, f]
                lo.append(i)
                hi.append(j)
                amp.append(np.sqrt(s * (s + 1) - m * (m + 1)))
        rows.append((lo, hi, amp))
    width = max(1, max(len(r[0]) for r in rows))
    out = tuple(np.zeros((len(sizes), width), dtype=t)
                for t in (int, int, float))
    for f, r in enumerate(rows):
        for array, values in zip(out, r):
            array[f, :len(values)] = values
    for array in out:
        array.setflags(write=False)
    return out


def _trace_first(flat, configurations):
    """Density matrices of the factors after the first (a spin 1/2), over the
    configurations present: the sum of its two diagonal blocks."""
    sigma = configurations[:, 0] < 0
    present, index = np.unique(configurations[:, 1:], axis=0,
                               return_inverse=True)
    index = index.ravel()
    rho = np.zeros((flat.shape[0], present.shape[0], present.shape[0]),
                   dtype=complex)
    for s in (False, True):
        sel = np.flatnonzero(sigma == s)
        at = index[sel]
        rho[:, at[:, None], at[None, :]] += flat[:, sel[:, None], sel[None, :]]
    return rho


def spin_side(flat, probabilities, sizes, columns=None, trace_first=False,
              configurations=None):
    """Bloch vectors of every spin factor and the density matrices of the kept ones.

    Parameters
    ----------
    flat : numpy.ndarray
        ``(T, n, n)`` density matrices over the configurations ``columns``
        (default: all ``D = prod(2 s + 1)``, in order).
    probabilities : numpy.ndarray
        ``(T, D)`` configuration probabilities (the diagonal of ``flat`` on
        its columns, zero elsewhere); ``(T, n)`` with ``configurations``.
    sizes : tuple of float
        Spin of each factor, tensor order.
    columns : array_like of int, optional
        Which configurations ``flat`` holds; every other entry is zero.
    trace_first : bool, default: False
        Trace the first factor (a spin 1/2: the electron) out of the
        density matrices returned.
    configurations : numpy.ndarray, optional
        ``(n, F)`` m values of ``flat``'s configurations, instead of
        ``columns`` (for grids too large to list).

    Returns
    -------
    bloch : numpy.ndarray
        ``(T, F, 3)``: ``<Sigma_x,y,z>`` of every factor, hbar/2.
    rho : numpy.ndarray
        ``(T, k, k)`` density matrices of the kept factors (over the
        configurations present).

    Examples
    --------
    >>> plus = np.full((1, 2, 2), 0.5)                  # one spin along +x
    >>> bloch, rho = spin_side(plus, np.array([[0.5, 0.5]]), (0.5,))
    >>> bloch.round(12).tolist()
    [[[1.0, 0.0, 0.0]]]
    """
    sizes = tuple(float(s) for s in sizes)
    T = flat.shape[0]
    if columns is None and configurations is None:
        lo, hi, amp, mz2 = ladder_pairs(sizes)
        nl = mz2.shape[1] // 2 if trace_first else mz2.shape[1]
        rho = (flat.reshape(T, 2, nl, 2, nl).trace(axis1=1, axis2=3)
               if trace_first else flat)
    else:
        if configurations is None:
            configurations = spin_grid(list(sizes))[np.asarray(columns)]
            probabilities = probabilities[:, np.asarray(columns)]
        lo, hi, amp = configuration_pairs(configurations, sizes)
        mz2 = 2 * configurations.T
        rho = _trace_first(flat, configurations) if trace_first else flat
    plus = (flat[:, lo, hi] * amp).sum(axis=2)           # <Sigma^+>/2
    bloch = np.stack([2 * plus.real, 2 * plus.imag, probabilities @ mz2.T],
                     axis=2)
    return bloch, rho


def mixedness(rho):
    """Purity ``Tr rho^2`` and entropy ``-Tr rho ln rho`` of a stack of density matrices.

    Configurations empty at every time are dropped first (the same spectrum;
    LAPACK is far slower on the near-underflow entries they carry), and
    entries below :data:`FLUSH_BELOW` set to zero (on ``rho``, in place).

    Parameters
    ----------
    rho : numpy.ndarray
        ``(T, k, k)`` Hermitian.

    Returns
    -------
    purity, entropy : numpy.ndarray
        ``(T,)`` each; entropy in nats, as :func:`qutip.entropy_vn`.

    Examples
    --------
    >>> [v.round(6).tolist() for v in mixedness(np.eye(2)[None] / 2)]
    [[0.5], [0.693147]]
    """
    diagonal = rho.diagonal(axis1=1, axis2=2).real
    keep = np.flatnonzero((diagonal > 1e-280).any(axis=0))
    if keep.size < rho.shape[1]:
        rho = rho[:, keep[:, None], keep[None, :]]
    rho[np.abs(rho) < FLUSH_BELOW] = 0.0
    purity = (rho.real ** 2 + rho.imag ** 2).sum(axis=(1, 2))
    return purity, entropies(rho)
