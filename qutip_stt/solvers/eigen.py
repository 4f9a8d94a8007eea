r"""Exact propagation of a ket under a small Hermitian block: its eigenbasis.

``exp(-i H t / hbar) psi = V exp(-i E t / hbar) V^+ psi`` from one LAPACK
diagonalization (the tridiagonal solver for a chain with one spin state per
site, the banded one for a few, dense otherwise): exact to round-off for any
time, every output time of a run in one matrix product. Used by
:func:`qutip_stt.solvers.chebyshev.propagator_for` for blocks of at most
:data:`~qutip_stt.model.bounds.EIGEN_LIMIT` states, where a Chebyshev
series would cost more in Python overhead than the diagonalization.
"""

import numpy as np
import scipy.linalg
import scipy.sparse

from ..constants import HBAR_EV_FS

__all__ = ["EigenPropagator"]


class EigenPropagator:
    """Propagates kets of a small Hermitian block through its eigenbasis.

    ``exp(-i H dt / hbar) psi = V exp(-i E dt / hbar) V^+ psi`` with
    ``H = V diag(E) V^+`` from one dense LAPACK diagonalization: exact to
    round-off for any ``dt``, unitary to round-off.

    Parameters
    ----------
    block : scipy.sparse matrix or numpy.ndarray
        The Hamiltonian block, eV (Hermitian), small enough to be dense.

    Examples
    --------
    >>> import numpy as np, scipy.sparse
    >>> prop = EigenPropagator(scipy.sparse.diags([0.0, 1.0]))
    >>> psi = prop.step(np.array([1.0, 1.0]) / np.sqrt(2), 1.0)
    >>> round(float(np.vdot(psi, psi).real), 12)
    1.0
    """

    def __init__(self, block):
        n = block.shape[0]
        if scipy.sparse.issparse(block):
            coo = block.tocoo()
            width = int(np.max(np.abs(coo.row - coo.col))) if coo.nnz else 0
            real = not np.iscomplexobj(block) or not np.any(block.data.imag)
        else:
            rows, cols = np.nonzero(block)
            width = int(np.max(np.abs(rows - cols))) if rows.size else 0
            real = not np.iscomplexobj(block) or not np.any(block.imag)
        if n > 32 and width <= 1 and real:
            # a real tridiagonal block (a chain with one spin state per
            # site, e.g. the all-up sector): LAPACK's tridiagonal solver,
            # straight from the two diagonals
            diagonal = np.real(block.diagonal()).astype(float)
            off = (np.real(block.diagonal(-1)) if scipy.sparse.issparse(block)
                   else np.real(np.diagonal(block, -1))).astype(float)
            self.energies, vectors = scipy.linalg.eigh_tridiagonal(diagonal,
                                                                   off)
        else:
            dense = block.toarray() if scipy.sparse.issparse(block) else block
            if real:
                dense = np.real(dense)   # real symmetric: real LAPACK
            if n > 32 and width < n // 8:
                # banded (a chain with few spin states per site): LAPACK's
                # banded solver, O(n^2 w)
                band = np.zeros((width + 1, n), dtype=dense.dtype)
                for k in range(width + 1):
                    band[k, :n - k] = np.diagonal(dense, -k)
                self.energies, vectors = scipy.linalg.eig_banded(band,
                                                                 lower=True)
            else:
                self.energies, vectors = scipy.linalg.eigh(dense)
        self._real = not np.iscomplexobj(vectors)
        self._transposed = np.ascontiguousarray(vectors.T)
        # V^+ (complex for the products with complex kets)
        self._adjoint = np.ascontiguousarray(vectors.conj().T, dtype=complex)
        self._unitaries = {}
        # <H> from the block itself when it is sparse: a few products per
        # ket instead of a dense projection on the eigenbasis (n^2 per ket)
        self._sparse = (scipy.sparse.csr_matrix(block)
                        if scipy.sparse.issparse(block) else None)

    @property
    def vectors(self):
        """The eigenvectors, columns, complex."""
        return self._transposed.T.astype(complex)

    def expectations(self, kets):
        """``<psi|H|psi>`` (eV, real) of every ket (row) of ``kets``: from
        the sparse block when one was given, else from the eigenbasis,
        ``sum_n E_n |<n|psi>|^2``."""
        kets = np.asarray(kets)
        if self._sparse is not None:
            products = (self._sparse @ kets.T).T
            return np.einsum("tn,tn->t", kets.conj(), products).real
        weights = np.abs(kets @ self._adjoint.T) ** 2
        return weights @ self.energies

    def evolve_many(self, psi, times, energies=False):
        """Kets at every time of ``times`` (fs) as one array, the first ``psi``.

        ``psi(t_j) = V (e^{-i E (t_j - t_0)/hbar} * V^+ psi)`` for all ``j``
        at once: one matrix product (a real one, on the real and imaginary
        parts, when the block is real symmetric).

        Parameters
        ----------
        psi : numpy.ndarray
            1-D ket at ``times[0]``.
        times : array_like
            Increasing times, fs.
        energies : bool, default: False
            Also return :meth:`expectations` of the kets.

        Returns
        -------
        numpy.ndarray
            ``(len(times), n)`` complex.
        numpy.ndarray
            ``(len(times),)`` eV, with ``energies=True`` only.
        """
        times = np.asarray(times, dtype=float)
        psi = np.asarray(psi, dtype=complex)
        coeff = self._adjoint @ psi
        phased = np.exp(np.outer(times - times[0], -1j * self.energies
                                 / HBAR_EV_FS)) * coeff
        if self._real:
            T = times.size
            parts = np.concatenate([phased.real, phased.imag]) @ self._transposed
            out = parts[:T] + 1j * parts[T:]
        else:
            out = phased @ self._transposed
        out[0] = psi
        return (out, self.expectations(out)) if energies else out

    def propagate(self, kets, dt):
        """``exp(-i H dt / hbar)`` applied to every column of ``kets`` ``(n, k)``."""
        return self.step(kets, dt)

    def step(self, psi, dt):
        """``exp(-i H dt / hbar) psi`` for one interval ``dt`` (fs); ``psi``
        may hold several kets as columns."""
        psi = np.asarray(psi, dtype=complex)
        key = round(dt, 12)
        if key not in self._unitaries:
            # equally spaced outputs reuse one dense propagator: one
            # matrix-vector product per interval instead of two
            if len(self._unitaries) >= 8:
                self._unitaries.clear()
            phases = np.exp(-1j * self.energies * dt / HBAR_EV_FS)
            self._unitaries[key] = (self._transposed.T * phases) @ self._adjoint
        return self._unitaries[key] @ psi
