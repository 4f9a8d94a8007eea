"""SciPy's compiled sparse kernels, called without the ``@`` dispatch.

``csr_matvec(rows, cols, indptr, indices, data, x, y)`` does ``y += A x`` and
``csr_matvecs(rows, cols, n_vecs, indptr, indices, data, x, y)`` does
``Y += A X`` for row-major ``X`` of ``n_vecs`` columns, in place, for CSR
arrays ``A`` whose data has the dtype of ``x`` and ``y``. Going through
``A @ x`` adds ~4 us of Python-level dispatch per product, a third of the
product itself on the paper's one-flip block, and allocates the result.
They live in a private SciPy module (``scipy.sparse._sparsetools``, stable
since SciPy 0.14); should it move, the same operations fall back to the
public API.
"""

import scipy.sparse

__all__ = ["csr_matvec", "csr_matvecs"]

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
