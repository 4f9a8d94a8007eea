"""Compiled kernels of the propagators: SciPy's sparse products and our recursion.

``csr_matvec(rows, cols, indptr, indices, data, x, y)`` does ``y += A x`` and
``csr_matvecs(rows, cols, n_vecs, indptr, indices, data, x, y)`` does
``Y += A X`` for row-major ``X`` of ``n_vecs`` columns, in place, for CSR
arrays ``A`` whose data has the dtype of ``x`` and ``y``. Going through
``A @ x`` adds Python-level dispatch to every product, a fixed cost that
counts on small blocks such as the paper's one-flip block, and allocates
the result.
They live in a private SciPy module (``scipy.sparse._sparsetools``, stable
since SciPy 0.14); should it move, the same operations fall back to the
public API.

:class:`Recursion` runs the Chebyshev recursion of
:class:`~qutip_stt.solvers.chebyshev.ChebyshevPropagator` for one block.
On a real block (every sector block is real) it uses the package's one
compiled module, ``_chebyshev_kernel`` (C, built by ``pip install``; see
:data:`COMPILED`): a whole run of terms in one call without the GIL, each
term one pass over the block with real data. Without that module, or for a
complex block, the same recursion runs through :func:`csr_matvec`, a copy and
a Python call per term. Both give the same kets to rounding (the tests
compare them). The same module (:data:`extension`) runs the recursion of a
sector's tensor structure
(:class:`~qutip_stt.solvers.sector_operator.SectorOperator`, a
:class:`RecursionForm` like :class:`Recursion`) and
SciPy's BLAS ``dgemm`` without the GIL
(:func:`~qutip_stt.solvers.chebyshev_combine.released`).
"""

import os

import numpy as np
import scipy.sparse

__all__ = ["csr_matvec", "csr_matvecs", "Recursion", "RecursionForm",
           "recursion_terms", "COMPILED", "extension"]

try:
    from scipy.sparse._sparsetools import csr_matvec, csr_matvecs
except ImportError:                                  # pragma: no cover
    def csr_matvec(rows, cols, indptr, indices, data, x, y):
        """``y += A x`` through the public API."""
        y += scipy.sparse.csr_matrix((data, indices, indptr),
                                     shape=(rows, cols)) @ x

    def csr_matvecs(rows, cols, n_vecs, indptr, indices, data, x, y):
        """``Y += A X`` through the public API (``x``, ``y`` flat, row-major)."""
        A = scipy.sparse.csr_matrix((data, indices, indptr), shape=(rows, cols))
        y += (A @ x.reshape(cols, n_vecs)).ravel()

try:
    #: The compiled module (None where it is not built).
    from . import _chebyshev_kernel as extension
except ImportError:                                  # pragma: no cover
    extension = None

#: True when the compiled recursion is built and not switched off by the
#: environment variable ``QUTIP_STT_KERNEL=scipy`` (read at import).
COMPILED = (extension is not None
            and os.environ.get("QUTIP_STT_KERNEL", "").lower() != "scipy")

_INT32_MAX = np.iinfo(np.int32).max


def recursion_terms(add, even, odd, first, stop, n_odd):
    """The terms ``first <= i < stop`` of the Chebyshev recursion, one
    Python call per product.

    ``even`` and ``odd`` are ``(size, n)`` complex ring buffers; with
    ``j = i % size`` and ``p = (i - 1) % size``: ``even[j] = even[p] -
    A odd[p]``, then, when ``i < n_odd``, ``odd[j] = odd[p] + A even[j]``,
    where ``add(x, y, sign)`` does ``y += sign * A x``. (The compiled
    module does the same in one call: :meth:`RecursionForm.terms`.)

    Examples
    --------
    >>> even, odd = np.zeros((2, 1), complex), np.zeros((2, 1), complex)
    >>> even[0], odd[0] = 1.0, 0.5            # T_0(h) and T_1(h) at h = 0.5
    >>> def add(x, y, sign):                  # A = 2 h = 1
    ...     y += sign * x
    >>> recursion_terms(add, even, odd, 1, 2, 2)
    >>> even[1], odd[1]            # -T_2(h) = -(2 h^2 - 1), -T_3(h) = -(4 h^3 - 3 h)
    (array([0.5+0.j]), array([1.+0.j]))
    """
    size, copyto = even.shape[0], np.copyto
    ev, od = list(even), list(odd)              # row views made once
    for i in range(first, stop):
        j, p = i % size, (i - 1) % size
        copyto(ev[j], ev[p])
        add(od[p], ev[j], -1)
        if i < n_odd:
            copyto(od[j], od[p])
            add(ev[j], od[j], 1)


class RecursionForm:
    """``apply``, ``terms`` and ``expectations`` of a block ``A = 2 H'``,
    by the compiled module or, without it, one Python call per product.

    A subclass sets ``size`` (states of a ket), ``compiled``, and, when
    compiled, ``_args`` (the block's tuple for :data:`extension`), and
    defines ``_scipy_add(x, y, sign)``: ``y += sign * A x`` through SciPy's
    kernels. :class:`Recursion` (a sparse block) and
    :class:`~qutip_stt.solvers.sector_operator.SectorOperator` (a sector's
    tensor structure) are the two.
    """

    def apply(self, x, y, s):
        """``y = s A x`` (complex, contiguous, ``y`` not sharing ``x``)."""
        if self.compiled:
            extension.apply(self._args, x, y, float(s))
            return
        y[:] = 0.0
        self._scipy_add(x, y, 1)
        y *= s

    def terms(self, even, odd, first, stop, n_odd):
        """The terms ``first <= i < stop`` of the recursion, in place.

        ``even`` and ``odd`` are ``(size, n)`` complex ring buffers; with
        ``j = i % size`` and ``p = (i - 1) % size``: ``even[j] = even[p] -
        A odd[p]``, then, when ``i < n_odd``, ``odd[j] = odd[p] + A even[j]``
        (:func:`recursion_terms` without the compiled module).
        """
        if self.compiled:
            extension.terms(self._args, even, odd, even.shape[0], first,
                            stop, n_odd)
            return
        recursion_terms(self._scipy_add, even, odd, first, stop, n_odd)

    def expectations(self, kets):
        """``Re <k|A|k>`` and ``<k|k>`` of every row ``k`` of ``kets``
        (complex, C order), as the columns of an ``(m, 2)`` array."""
        kets = np.ascontiguousarray(kets, dtype=complex).reshape(-1,
                                                                 self.size)
        out = np.empty((kets.shape[0], 2))
        if self.compiled:
            extension.expectations(self._args, kets, out)
            return out
        scratch = np.empty(self.size, dtype=complex)
        for i, ket in enumerate(kets):
            scratch[:] = 0.0
            self._scipy_add(ket, scratch, 1)
            out[i] = np.vdot(ket, scratch).real, np.vdot(ket, ket).real
        return out


class Recursion(RecursionForm):
    """The Chebyshev recursion of one square sparse block ``A``.

    ``A`` is the rescaled block times two, ``2 H'``; the kets are complex.

    Parameters
    ----------
    matrix : scipy.sparse matrix
        Square, real or complex.
    compiled : bool, optional
        Use the compiled module. Default: :data:`COMPILED`, when ``matrix``
        is real (or has a zero imaginary part) and has fewer than 2**31
        entries; ``True`` where that is not possible raises ``ValueError``.

    Attributes
    ----------
    compiled : bool
        Whether this block runs through the compiled module.
    size : int
        States of a ket.

    Examples
    --------
    >>> import numpy as np, scipy.sparse
    >>> rec = Recursion(scipy.sparse.csr_matrix([[0.0, 2.0], [2.0, 0.0]]))
    >>> y = np.empty(2, dtype=complex)
    >>> rec.apply(np.array([1.0, 1j]), y, 0.5)          # y = A x / 2
    >>> y
    array([0.+1.j, 1.+0.j])
    >>> rec.expectations(np.array([[1.0, 1.0]]) / np.sqrt(2))   # <x|A|x>, <x|x>
    array([[2., 1.]])
    """

    def __init__(self, matrix, compiled=None):
        A = scipy.sparse.csr_matrix(matrix)
        if A.shape[0] != A.shape[1]:
            raise ValueError(f"matrix: must be square, got shape {A.shape}")
        self.size = A.shape[0]
        real = (not np.iscomplexobj(A.data)) or not np.any(A.data.imag)
        possible = (extension is not None and real
                    and A.nnz <= _INT32_MAX)
        if compiled is None:
            compiled = COMPILED and possible
        elif compiled and not possible:
            raise ValueError("compiled: the compiled recursion needs the "
                             "built module and a real matrix of < 2**31 "
                             "entries")
        self.compiled = bool(compiled)
        if self.compiled:
            nnz = A.nnz
            # copies: the compiled loops trust these indices once checked
            self._args = (np.array(A.indptr, dtype=np.int32),
                          np.array(A.indices[:nnz], dtype=np.int32),
                          np.array(A.data[:nnz].real, dtype=float))
            extension.check(self._args)      # once: indices in range
        else:
            data = np.asarray(A.data, dtype=complex)
            self._csr = (self.size, self.size, A.indptr, A.indices)
            self._plus, self._minus = data, -data

    def _scipy_add(self, x, y, sign):
        """``y += sign * A x`` through :func:`csr_matvec`."""
        csr_matvec(*self._csr, self._plus if sign > 0 else self._minus, x, y)
