r"""A sector block of H applied from its tensor structure, without its sparse matrix.

On total ``S^z = m`` the Hamiltonian is (:func:`qutip_stt.sectors.sector_hamiltonian`)

.. math::

    H_m = (T + V) \otimes 1 + 1 \otimes H_{\rm spin}
          + \sum_s |s\rangle\langle s| \otimes V_s,

hopping ``T`` and potential ``V`` on the ``Lx`` sites, ``H_spin`` the
orbital-identity spin terms (the XXZ chain, uniform fields) and ``V_s`` the
on-site terms (s-d exchange) on the ``n_c x n_c`` configurations of the
sector. :class:`SectorOperator` keeps a ket as the ``(n_c, Lx)`` matrix
(configuration major) and applies the three parts with three compiled
kernels: the real ``H_spin`` on all ``2 Lx`` real columns at once
(``csr_matvecs``: the small spin matrix is read once per product, not once
per site as in the ``Lx n_c`` sparse block), the hopping as two shifted BLAS
``axpy`` along the rows, the on-site terms on the few columns of the
spin sites. On generic states at N = 10 this is ~3x faster than the sparse
block's complex product (see ``benchmarks/bench_speed.py``); the
Chebyshev series of :class:`~qutip_stt.solvers.chebyshev.ChebyshevPropagator`
uses it for large sectors (:data:`OPERATOR_MIN_STATES`).
"""

import numpy as np
import scipy.sparse
from scipy.linalg.blas import zaxpy

from ..sectors import sector_terms
from .kernels import csr_matvecs as _csr_matvecs

__all__ = ["SectorOperator", "OPERATOR_MIN_STATES"]

#: Sectors with at least this many states are propagated with
#: :class:`SectorOperator` (below it, a few kernel calls per product cost
#: more than the one sparse product they replace).
OPERATOR_MIN_STATES = 20_000


class SectorOperator:
    """``y += s * 2 (H_m - b) / a  x`` for kets in ``(n_c, Lx)`` layout.

    Parameters
    ----------
    model : STTModel
    blocks : list
        :func:`qutip_stt.sectors.coupling_blocks` ``(model, m)``.

    Examples
    --------
    >>> import numpy as np
    >>> from qutip_stt import STTModel
    >>> from qutip_stt.sectors import coupling_blocks, sector_hamiltonian
    >>> model = STTModel(Lx=30, N=3)
    >>> blocks = coupling_blocks(model, 0.0)
    >>> op = SectorOperator(model, blocks)
    >>> op.prepare(center=0.0, half_width=2.0)     # y += H x
    >>> x = np.random.default_rng(0).standard_normal(op.size) + 0j
    >>> y = np.zeros_like(x)
    >>> op.add(op.to_layout(x), y, 1)
    >>> bool(np.allclose(op.from_layout(y), sector_hamiltonian(model, 0.0, blocks) @ x))
    True
    """

    def __init__(self, model, blocks):
        self.Lx = int(model.Lx)
        self.n_c = blocks[0][1].shape[0] if blocks else 1
        self.size = self.Lx * self.n_c
        self._gamma = float(model.gamma)
        self._potential = (None if model.potential is None
                           else np.asarray(model.potential, dtype=float))
        spin, onsite = sector_terms(blocks)
        self._spin = (scipy.sparse.csr_matrix((self.n_c, self.n_c))
                      if spin is None else spin)
        self.sites = np.array(list(onsite), dtype=int)
        self._onsite = (scipy.sparse.block_diag(list(onsite.values()),
                                                format="csr")
                        if onsite else None)
        #: About the stored entries of the sparse block this operator
        #: stands for (its cost in
        #: :meth:`~qutip_stt.solvers.chebyshev.ChebyshevPropagator.group_size`):
        #: exact when every diagonal entry of the spin terms is stored.
        self.nonzeros = (self.Lx * self._spin.nnz
                         + 2 * self.n_c * (self.Lx - 1)
                         + (0 if self._onsite is None else
                            self._onsite.nnz - self._onsite.diagonal().astype(
                                bool).sum()))
        self._prepared = None

    def prepare(self, center, half_width):
        """Fold ``2 (H - center) / half_width`` into the kernels' data."""
        f = 2.0 / half_width
        eye = scipy.sparse.identity(self.n_c, format="csr")
        spin = ((self._spin - center * eye) * f).tocsr()
        spin.sort_indices()
        data = np.asarray(spin.data, dtype=float)
        self._spin_csr = (spin.indptr, spin.indices, {1: data, -1: -data})
        self._hop = {1: complex(-self._gamma * f), -1: complex(self._gamma * f)}
        if self._potential is not None:
            self._pot = {1: self._potential * f, -1: -self._potential * f}
        if self._onsite is not None:
            onsite = (self._onsite * f).tocsr()
            onsite.sort_indices()
            data = np.asarray(onsite.data, dtype=float)
            self._onsite_csr = (onsite.indptr, onsite.indices,
                                {1: data, -1: -data})
        self._prepared = (center, half_width)

    def to_layout(self, psi):
        """A ket in sector order (site major) as a flat ``(n_c, Lx)`` copy."""
        return psi.reshape(self.Lx, self.n_c).T.copy().ravel()

    def from_layout(self, kets):
        """Flat ``(n_c, Lx)`` kets (rows of ``kets``) back to sector order."""
        lead = kets.shape[:-1]
        return np.ascontiguousarray(np.swapaxes(
            kets.reshape(lead + (self.n_c, self.Lx)), -1, -2)).reshape(
            lead + (self.size,))

    def add(self, x, y, sign):
        """``y += sign * 2 (H - center) / half_width  x`` (flat, layout
        :meth:`to_layout`, complex, contiguous; ``sign`` is 1 or -1)."""
        c, L = self.n_c, self.Lx
        indptr, indices, data = self._spin_csr
        _csr_matvecs(c, c, 2 * L, indptr, indices, data[sign],
                     x.view(float), y.view(float))
        a = self._hop[sign]
        if L > 1:
            # hopping along each row: y[k+1] += a x[k], y[k] += a x[k+1] on
            # the flat array, then the couplings across rows taken back out
            zaxpy(x, y, n=c * L - 1, a=a, offx=0, offy=1)
            zaxpy(x, y, n=c * L - 1, a=a, offx=1, offy=0)
            if c > 1:
                y[L::L] -= a * x[L - 1:-1:L]
                y[L - 1:-1:L] -= a * x[L::L]
        if self._potential is not None:
            y.reshape(c, L)[...] += self._pot[sign] * x.reshape(c, L)
        if self._onsite is not None:
            n_s = self.sites.size
            local = np.ascontiguousarray(x.reshape(c, L)[:, self.sites].T)
            out = np.zeros((n_s, c), dtype=complex)
            indptr, indices, data = self._onsite_csr
            _csr_matvecs(n_s * c, n_s * c, 2, indptr, indices, data[sign],
                         local.view(float).ravel(), out.view(float).ravel())
            y.reshape(c, L)[:, self.sites] += out.T
