r"""Exact propagation of a ket under a sparse Hermitian block: Chebyshev series.

The Tal-Ezer-Kosloff scheme expands the propagator over one output interval
``dt`` in Chebyshev polynomials of the rescaled block
``H' = (H - b) / a`` (spectrum inside [-1, 1]):

.. math::

    e^{-i H dt/\hbar} = e^{-i b dt/\hbar}
        \sum_k (2 - \delta_{k0}) (-i)^k J_k(a\,dt/\hbar)\, T_k(H').

The Bessel coefficients (:mod:`qutip_stt.solvers.chebyshev_series`) fall
off super-exponentially once ``k > a dt/hbar``, so the series is cut where
they drop below the tolerance:
the error is controlled by that one number and every output time is reached
exactly (no step-size rounding). The spectral bounds ``[b - a, b + a]`` are
computed, not guessed: exact extremal eigenvalues (LAPACK) for small blocks,
Gershgorin discs (rigorous, O(nnz)) for large ones.

Blocks of at most :data:`EIGEN_LIMIT` states (for example the one state per
site of the all-up sector) are propagated by their eigendecomposition
instead (:class:`~qutip_stt.solvers.eigen.EigenPropagator`): one LAPACK
call, then dense products, where the series would cost ~50 matrix-vector
products of Python overhead per interval. :func:`propagator_for` picks one.

Why not :func:`scipy.sparse.linalg.expm_multiply`: it chooses its own
truncation from 1-norm estimates, repeats that estimate at every call, and
targets double precision only, while the Chebyshev series re-uses one set
of coefficients for equally spaced outputs (the comparison is in
``benchmarks/``).
"""

import numpy as np
import scipy.linalg
import scipy.sparse
import scipy.sparse.linalg

from ..constants import HBAR_EV_FS
from ..model.bounds import EIGEN_LIMIT, gershgorin_bounds, spectral_bounds
from .._util.validation import check_real
from . import kernels
from .chebyshev_combine import RELEASED, Combination, accumulate, released
from .chebyshev_series import (DEFAULT_TOL, chebyshev_coefficients,
                               chebyshev_table, series_length)
from .eigen import EigenPropagator

__all__ = ["ChebyshevPropagator", "EigenPropagator", "propagator_for",
           "Cancelled"]


class Cancelled(Exception):
    """A propagation stopped because its run was given up (its ``cancel``
    event was set by the thread that waits for it)."""



#: Kets up to this many states stay in a core's cache (for the cost model
#: of :meth:`ChebyshevPropagator.group_size`).
CACHE_STATES = 16_384

#: Memory the Chebyshev vectors kept for one combination may take, bytes:
#: a series longer than that is combined into its outputs in pieces.
GROUP_BYTES = 64 * 2 ** 20

#: A series is combined into its outputs in about this many pieces per
#: parity (each piece into the outputs that still need it: output ``j`` of
#: a group needs only the first ``~a t_j / hbar`` terms), of at least
#: :data:`MIN_PIECE` vectors (a matrix product per piece).
PIECES = 8
MIN_PIECE = 8

class ChebyshevPropagator:
    """Propagates kets of one Hermitian block exactly between output times.

    Parameters
    ----------
    block : scipy.sparse matrix or None
        The Hamiltonian block, eV (Hermitian). None when ``operator`` and
        ``bounds`` are given: the sparse matrix is then never built (the
        sector route's large sectors).
    tol : float, default: :data:`~qutip_stt.solvers.methods.chebyshev.DEFAULT_TOL`
        Truncation of the Chebyshev series per interval.
    bounds : (float, float), optional
        Rigorous bounds of the block's spectrum, eV (for example
        :func:`qutip_stt.model.bounds.sector_bounds`, from the model's terms);
        intersected with the Gershgorin bounds and padded as in
        :func:`spectral_bounds`. Default: :func:`spectral_bounds`.
    operator : qutip_stt.solvers.sector_operator.SectorOperator, optional
        The same block applied from its tensor structure:
        :meth:`evolve_many` then uses it instead of the sparse matrix
        (each product reads the small spin matrices, not every stored entry
        of a large sector's block).
    max_group : int, optional
        The most output intervals one series spans (:meth:`group_size`);
        default no limit but the cost model's. The many-electron blocks,
        cheap per product, cap it: their series' Bessel tables and
        combinations, which the model does not weigh, grow with it.
    concurrent : bool, default: False
        Another thread propagates beside this one (the sector route's
        threads). Without the compiled module the series' vectors are then
        combined without holding the GIL
        (:class:`~qutip_stt.solvers.chebyshev_combine.Combination`)
        instead of by SciPy's ``dgemm``
        (:func:`~qutip_stt.solvers.chebyshev_combine.accumulate`), faster
        alone but holding it; with it, always by ``dgemm`` without the GIL
        (:func:`~qutip_stt.solvers.chebyshev_combine.released`).

    Notes
    -----
    A propagator keeps its series' vectors between calls: use one
    propagator per thread (the sector route gives each sector its own).

    Examples
    --------
    >>> import numpy as np, scipy.sparse
    >>> prop = ChebyshevPropagator(scipy.sparse.diags([0.0, 1.0]).tocsr())
    >>> psi = prop.step(np.array([1.0, 1.0]) / np.sqrt(2), 1.0)
    >>> round(float(np.vdot(psi, psi).real), 12)
    1.0
    """

    def __init__(self, block, tol=DEFAULT_TOL, bounds=None, operator=None,
                 concurrent=False, max_group=None):
        self.tol = check_real("tol", tol, minimum=0, strict_minimum=True)
        if block is None:
            if operator is None or bounds is None:
                raise ValueError("block: a sparse matrix is needed unless "
                                 "both operator and bounds are given")
            lo, hi = bounds
        else:
            block = scipy.sparse.csr_matrix(block)
            if bounds is None:
                lo, hi = spectral_bounds(block)
            else:
                g_lo, g_hi = gershgorin_bounds(block)
                lo, hi = max(bounds[0], g_lo), min(bounds[1], g_hi)
        if bounds is not None:
            pad = 1e-6 * (hi - lo) + 1e-9
            lo, hi = lo - pad, hi + pad
        self.center = 0.5 * (hi + lo)
        self.half_width = max(0.5 * (hi - lo), 1e-12)
        #: States of a ket.
        self.size = operator.size if block is None else block.shape[0]
        self._scaled = None
        if block is not None:
            n = block.shape[0]
            # complex once: scipy would convert a real block at every
            # matvec with a complex ket (and a complex CSR matvec is faster
            # than the real one on the (n, 2) real view)
            self._scaled = ((block - self.center * scipy.sparse.identity(
                n, format="csr")) / self.half_width).tocsr().astype(complex)
            self._scaled.sort_indices()
        self._tables = {}
        self._operator = operator
        if operator is not None:
            operator.prepare(self.center, self.half_width)
        # what the series runs on (a kernels.RecursionForm): the structured
        # form when there is one, else the block's recursion
        self._form = (operator if operator is not None
                      else kernels.Recursion(2.0 * self._scaled))
        self._coeffs = {}
        #: Products of the recursion applied so far (for the run's stats).
        self.terms = 0
        #: A :class:`threading.Event`: once set, the series stops between
        #: two pieces with :class:`Cancelled` (a run another thread gave up).
        self.cancel = None
        self._group = None
        self._max_group = max_group
        self._stored = None
        if kernels.COMPILED and RELEASED:
            self._combine = released
        else:
            self._combine = Combination() if concurrent else accumulate

    def _coefficients(self, dt):
        key = round(dt, 12)
        if key not in self._coeffs:
            c = chebyshev_coefficients(self.half_width, dt, self.tol)
            phase = np.exp(-1j * self.center * dt / HBAR_EV_FS)
            self._coeffs[key] = c * phase
        return self._coeffs[key]

    def propagate(self, kets, dt):
        """``exp(-i H dt / hbar)`` applied to every column of ``kets``.

        From the structured form one ket at a time (:meth:`evolve_many`),
        from the sparse block all at once (:meth:`step`).

        Parameters
        ----------
        kets : numpy.ndarray
            ``(n, k)`` complex, one ket per column.
        dt : float
            fs, >= 0.

        Returns
        -------
        numpy.ndarray
            ``(n, k)``.
        """
        kets = np.asarray(kets, dtype=complex)
        if self._scaled is None:
            return np.column_stack([self.evolve_many(x, [0.0, dt])[1]
                                    for x in kets.T])
        return self.step(kets, dt)

    def step(self, psi, dt):
        """``exp(-i H dt / hbar) psi`` for one interval ``dt`` (fs, >= 0)."""
        psi = np.asarray(psi, dtype=complex)
        if dt == 0:
            return psi.copy()
        if self._scaled is None:                 # only the structured form
            return self.evolve_many(psi, [0.0, dt])[1]
        c = self._coefficients(dt)
        A = self._scaled
        out = c[0] * psi
        if len(c) == 1:
            return out
        t_prev, t_cur = psi, A @ psi
        out += c[1] * t_cur
        for ck in c[2:]:
            t_prev, t_cur = t_cur, 2.0 * (A @ t_cur) - t_prev
            out += ck * t_cur
        return out

    def evolve(self, psi, times):
        """Kets at every time of ``times`` (fs), the first being ``psi``.

        Yields
        ------
        (float, numpy.ndarray)
            Each output time and the ket there.
        """
        times = np.asarray(times, dtype=float)
        kets = self.evolve_many(psi, times)
        for t, ket in zip(times, kets):
            yield t, ket

    def expectations(self, kets):
        """``<psi|H|psi>`` (eV, real) of every ket (row) of ``kets``.

        One compiled product with the rescaled block per ket:
        ``<H> = b |psi|^2 + a <psi|H'|psi>`` (from the structured form when
        the propagator has one).
        """
        kets = np.asarray(kets, dtype=complex).reshape(-1, self.size)
        op = self._operator
        return self._energies(kets if op is None else op.to_layout(kets))

    def _energies(self, kets):
        """:meth:`expectations` of kets already in the operator's layout."""
        values = self._form.expectations(kets)    # <k|2 H'|k>, <k|k>
        return self.center * values[:, 1] + 0.5 * self.half_width * values[:, 0]

    def group_size(self, dt):
        """How many output intervals of length ``dt`` (fs) one series spans.

        One series of ``K`` terms reaching ``m`` outputs costs ``K`` sparse
        products plus an ``m x K`` by ``K x n`` real matrix product; a longer
        series has fewer terms per output (the Bessel tail beyond ``a t /
        hbar`` is paid once) but a larger product. The ``m`` minimising the
        cost per output is chosen once per ``dt`` from the block's nonzeros
        per row (memory does not limit it: the vectors are combined in
        pieces of :data:`GROUP_BYTES`).
        """
        key = round(dt, 12)
        if self._group is not None and self._group[0] == key:
            return self._group[1]
        if self._operator is not None:
            n = self._operator.size
            # the structured product, weighted at 0.4 of the sparse block's
            # cost per stored entry (this cost model's calibration)
            per_row = 0.4 * self._operator.nonzeros / max(n, 1)
        else:
            n = self._scaled.shape[0]
            per_row = self._scaled.nnz / max(n, 1)
        best, best_cost = 1, np.inf
        first = series_length(self.half_width, dt, self.tol)
        for m in (1, 2, 3, 4, 6, 8, 12, 16, 24, 32):
            if self._max_group is not None and m > self._max_group:
                break
            K = series_length(self.half_width, m * dt, self.tol)
            # a complex CSR product costs ~(4 per_row + 4) flops per row,
            # each weighted at 3 flops of the real matrix product (4 flops
            # per output and term; output j takes only its own series, ~K_1
            # + (j - 1)(K - K_1)/(m - 1) terms); once a vector outgrows the
            # cache, that product is bound by reading the stored vectors,
            # whatever m
            combine = (2 * m * (first + K) if n < CACHE_STATES
                       else 4 * K * min(m, 4))
            cost = (K * 3 * (4 * per_row + 4) + combine) / m
            if cost < best_cost:
                best, best_cost = m, cost
        self._group = (key, best)
        return best

    def evolve_many(self, psi, times, energies=False):
        """Kets at every time of ``times`` (fs) as one array, the first ``psi``.

        The outputs are taken in groups (:meth:`group_size`); each group is
        one Chebyshev series from the last ket of the previous group, its
        vectors combined for every output of the group at once
        (:func:`~qutip_stt.solvers.chebyshev_series.chebyshev_table`).
        Exact at every time to the tolerance, as
        :meth:`step` is.

        Parameters
        ----------
        psi : numpy.ndarray
            1-D ket at ``times[0]``.
        times : array_like
            Increasing times, fs.
        energies : bool, default: False
            Also return ``<psi|H|psi>`` at every time (as
            :meth:`expectations`, computed in the operator's layout before
            the kets leave it).

        Returns
        -------
        numpy.ndarray
            ``(len(times), n)`` complex.
        numpy.ndarray
            ``(len(times),)`` eV, with ``energies=True`` only.
        """
        times = np.asarray(times, dtype=float)
        psi = np.asarray(psi, dtype=complex)
        out = np.empty((times.size, psi.size), dtype=complex)
        energy = np.empty(times.size)
        out[0] = psi
        if energies:
            energy[:1] = self.expectations(psi[None])
        i = 0
        while i < times.size - 1:
            m = self.group_size(times[i + 1] - times[i])
            j = min(i + m, times.size - 1)
            out[i + 1:j + 1] = self._group_kets(
                out[i], times[i + 1:j + 1] - times[i],
                energy[i + 1:j + 1] if energies else None)
            i = j
        return (out, energy) if energies else out

    def _table(self, offsets):
        """:func:`~qutip_stt.solvers.chebyshev_series.chebyshev_table` for
        ``offsets``, cached: equally spaced
        outputs ask for the same few tables over and over."""
        key = tuple(np.round(offsets, 12))
        table = self._tables.get(key)
        if table is None:
            if len(self._tables) >= 8:
                self._tables.clear()
            even, odd = chebyshev_table(self.half_width, offsets, self.tol)
            # the stored vectors carry the sign (-1)^(k//2) of the recursion
            # below, the same sign as the real part of (-i)^k: remove both
            even[:, 1::2] *= -1.0
            odd[:, 1::2] *= -1.0
            # output j needs only its own series (every later weight is
            # below tol): zero them, and count the vectors of each parity
            # it needs, non-decreasing in j, so that a piece of the series
            # is combined into a suffix of the outputs only
            needed = np.maximum.accumulate(
                [series_length(self.half_width, tau, self.tol)
                 for tau in offsets])
            n_even, n_odd = (needed + 1) // 2, needed // 2
            even[np.arange(even.shape[1]) >= n_even[:, None]] = 0.0
            odd[np.arange(odd.shape[1]) >= n_odd[:, None]] = 0.0
            phases = np.exp(-1j * self.center * np.asarray(offsets)
                            / HBAR_EV_FS)
            table = self._tables[key] = (even, odd, phases, n_even, n_odd)
        return table

    def _buffers(self, size, n):
        """The two parity buffers of ``size`` vectors of ``n`` states, kept
        from one group to the next (not allocated anew for every series);
        every row is written before it is read."""
        if self._stored is None or self._stored[0].shape != (size, n):
            self._stored = (np.empty((size, n), dtype=complex),
                            np.empty((size, n), dtype=complex))
        return self._stored

    def _group_kets(self, psi, offsets, energy=None):
        """Kets at ``offsets`` (fs, > 0) after ``psi``: one series, its
        vectors kept by parity in two buffers of at most :data:`GROUP_BYTES`
        and combined into every output by real matrix products each time the
        buffers fill; their energies into ``energy`` when given."""
        even_w, odd_w, phases, even_len, odd_len = self._table(offsets)
        n, K = psi.size, even_w.shape[1] + odd_w.shape[1]
        self.terms += K - 1
        m = len(offsets)
        # w_k = (-1)^(k//2) v_k obeys w_k = w_{k-2} -/+ 2 H' w_{k-1}
        # (RecursionForm.terms: no negation); the series is combined in about
        # PIECES pieces, each into the outputs that still need it
        size = int(max(2, min(even_w.shape[1], GROUP_BYTES // (32 * n),
                              max(MIN_PIECE, -(-even_w.shape[1] // PIECES)))))
        even, odd = self._buffers(size, n)
        real = np.zeros((m, 2 * n))
        imag = np.zeros((m, 2 * n))
        op, recursion = self._operator, self._form
        if op is not None:
            psi = op.to_layout(psi)
        combine = self._combine
        even[0] = psi
        if K > 1:
            recursion.apply(even[0], odd[0], 0.5)    # w_1 = H' w_0
        n_even, n_odd = even_w.shape[1], odd_w.shape[1]
        # the pairs (w_2i, w_2i+1) of piece [start, stop) sit in rows
        # i % size; the first pair of a piece is computed from the last of
        # the previous piece, whose rows are combined by then
        for start in range(0, n_even, size):
            if self.cancel is not None and self.cancel.is_set():
                raise Cancelled("the propagation was cancelled")
            stop = min(start + size, n_even)
            recursion.terms(even, odd, max(start, 1), stop, n_odd)
            first = int(np.searchsorted(even_len, start, side="right"))
            combine(real[first:], even_w[first:, start:stop],
                    even[:stop - start])
            done = min(stop, n_odd)
            if done > start:
                first = int(np.searchsorted(odd_len, start, side="right"))
                combine(imag[first:], odd_w[first:, start:done],
                        odd[:done - start])
        kets = real.view(complex) - 1j * imag.view(complex)
        kets *= phases[:, None]
        if energy is not None:
            energy[:] = self._energies(kets)
        return kets if op is None else op.from_layout(kets)


def propagator_for(block, tol=DEFAULT_TOL, bounds=None, operator=None,
                   concurrent=False, max_group=None):
    """The exact propagator suited to a block's size.

    :class:`~qutip_stt.solvers.eigen.EigenPropagator` for at most
    :data:`EIGEN_LIMIT` states,
    :class:`ChebyshevPropagator` (tolerance ``tol``) above.

    Parameters
    ----------
    block : scipy.sparse matrix or None
        Hermitian, eV; None for a :class:`ChebyshevPropagator` from
        ``operator`` and ``bounds`` alone.
    tol : float, default: :data:`~qutip_stt.solvers.methods.chebyshev.DEFAULT_TOL`
    bounds : (float, float), optional
        Spectral bounds for :class:`ChebyshevPropagator`.
    operator : SectorOperator, optional
        The block's structured form, for :class:`ChebyshevPropagator`.
    concurrent : bool, default: False
        Other threads propagate beside it (:class:`ChebyshevPropagator`).
    max_group : int, optional
        :class:`ChebyshevPropagator`'s cap on the outputs of one series.

    Returns
    -------
    EigenPropagator or ChebyshevPropagator
    """
    check_real("tol", tol, minimum=0, strict_minimum=True)  # for both kinds
    if block is None:                                   # structured form only
        return ChebyshevPropagator(None, tol, bounds, operator, concurrent,
                                   max_group)
    if block.shape[0] <= EIGEN_LIMIT:
        return EigenPropagator(block)
    return ChebyshevPropagator(block, tol, bounds, operator, concurrent,
                               max_group)
