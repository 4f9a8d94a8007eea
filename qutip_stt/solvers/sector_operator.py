r"""A sector block of H applied from its tensor structure, without its sparse matrix.

On total ``S^z = m`` the Hamiltonian is (:func:`qutip_stt.model.sector_blocks.sector_hamiltonian`)

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
spin sites. A product thus reads far fewer matrix entries than the sparse
block's complex product (compared in ``benchmarks/bench_speed.py``).

With the package's compiled module (:data:`qutip_stt.solvers.kernels.COMPILED`)
the same three parts are one fused pass per configuration row, and a whole
run of Chebyshev terms is one call without the GIL
(``SectorOperator.terms``); the sector route then applies every
Chebyshev sector this way, several sectors at once as their direct sum
(:meth:`SectorOperator.direct_sum`). Without it, the three SciPy kernels
above serve the sectors of :data:`OPERATOR_MIN_STATES` states or more.
"""

import numpy as np
import scipy.sparse
from scipy.linalg.blas import zaxpy

from ..model.sector_blocks import sector_terms
from . import kernels
from .kernels import RecursionForm
from .kernels import csr_matvecs as _csr_matvecs

__all__ = ["SectorOperator", "OPERATOR_MIN_STATES"]

#: Without the compiled module, sectors with at least this many states are
#: propagated with :class:`SectorOperator` (below it, a few kernel calls
#: per product cost more than the one sparse product they replace).
OPERATOR_MIN_STATES = 20_000


class SectorOperator(RecursionForm):
    """``y += s * 2 (H_m - b) / a  x`` for kets in ``(n_c, Lx)`` layout.

    Parameters
    ----------
    model : STTModel
    blocks : list
        :func:`qutip_stt.model.sector_blocks.coupling_blocks` ``(model, m)``.

    Attributes
    ----------
    compiled : bool
        Whether ``apply``, ``terms`` and ``expectations``
        (:class:`~qutip_stt.solvers.kernels.RecursionForm`) run in the
        compiled module (:data:`qutip_stt.solvers.kernels.COMPILED` when the
        operator is made).
    size : int
        States of the sector (of all sectors, for a direct sum).

    Examples
    --------
    >>> import numpy as np
    >>> from qutip_stt import STTModel
    >>> from qutip_stt.model.sector_blocks import coupling_blocks, sector_hamiltonian
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
        self._build(model, [blocks])

    @classmethod
    def direct_sum(cls, model, sectors):
        """The operator of several sectors at once (block diagonal).

        Parameters
        ----------
        model : STTModel
        sectors : list of list
            :func:`qutip_stt.model.sector_blocks.coupling_blocks` of each sector.

        Notes
        -----
        A ket of the sum is the sectors' kets (sector order) one after the
        other; in the layout, their ``(n_c, Lx)`` matrices are stacked:
        every sector shares the chain, so the sum has the same form with
        ``n_c`` the sectors' configurations together.

        Examples
        --------
        >>> import numpy as np, scipy.sparse
        >>> from qutip_stt import STTModel
        >>> from qutip_stt.model.sector_blocks import coupling_blocks, sector_hamiltonian
        >>> model = STTModel(Lx=20, N=2)
        >>> op = SectorOperator.direct_sum(model, [coupling_blocks(model, m)
        ...                                        for m in (0.5, 1.5)])
        >>> op.prepare(center=0.0, half_width=2.0)
        >>> x = np.random.default_rng(0).standard_normal(op.size) + 0j
        >>> y = np.zeros_like(x)
        >>> op.add(op.to_layout(x), y, 1)
        >>> H = scipy.sparse.block_diag([sector_hamiltonian(model, m)
        ...                              for m in (0.5, 1.5)])
        >>> bool(np.allclose(op.from_layout(y), H @ x))
        True
        """
        op = cls.__new__(cls)
        op._build(model, list(sectors))
        return op

    def _build(self, model, sectors):
        self.Lx = int(model.Lx)
        spins, onsites, parts = [], [], []
        for blocks in sectors:
            n_c = blocks[0][1].shape[0] if blocks else 1
            spin, onsite = sector_terms(blocks)
            spins.append(scipy.sparse.csr_matrix((n_c, n_c))
                         if spin is None else spin)
            onsites.append(onsite)
            parts.append(n_c)
        #: Configurations of each sector of the sum, in order.
        self.parts = tuple(parts)
        self.n_c = sum(parts)
        self.size = self.Lx * self.n_c
        self._gamma = float(model.gamma)
        self._potential = (None if model.potential is None
                           else np.asarray(model.potential, dtype=float))
        self._spin = scipy.sparse.block_diag(spins, format="csr")
        sites = sorted(set().union(*onsites))
        self.sites = np.array(sites, dtype=int)
        self._onsite = (scipy.sparse.block_diag(
            [scipy.sparse.block_diag(
                [o.get(site, scipy.sparse.csr_matrix((n_c, n_c)))
                 for o, n_c in zip(onsites, parts)]) for site in sites],
            format="csr") if sites else None)
        #: About the stored entries of the sparse block this operator
        #: stands for (its cost in
        #: :meth:`~qutip_stt.solvers.chebyshev.ChebyshevPropagator.group_size`):
        #: exact when every diagonal entry of the spin terms is stored.
        self.nonzeros = (self.Lx * self._spin.nnz
                         + 2 * self.n_c * (self.Lx - 1)
                         + (0 if self._onsite is None else
                            self._onsite.nnz - self._onsite.diagonal().astype(
                                bool).sum()))
        self.compiled = kernels.COMPILED
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
        onsite = None
        if self._onsite is not None:
            onsite = (self._onsite * f).tocsr()
            onsite.sort_indices()
            data = np.asarray(onsite.data, dtype=float)
            self._onsite_csr = (onsite.indptr, onsite.indices,
                                {1: data, -1: -data})
        if self.compiled:
            self._args = self._kernel_args(spin, onsite, f)
        self._prepared = (center, half_width)

    def _kernel_args(self, spin, onsite, f):
        """The compiled module's description of ``2 (H - center) / a``
        (``spin`` and ``onsite`` already scaled, as :meth:`prepare` made
        them)."""
        int32 = np.int32
        if onsite is None:
            sites = np.zeros(0, int32)
            site_ptr, site_idx = np.zeros(1, int32), np.zeros(0, int32)
            site_data = np.zeros(0)
        else:
            rows = np.repeat(np.arange(onsite.shape[0]), np.diff(onsite.indptr))
            sites = self.sites.astype(int32)
            site_ptr = onsite.indptr.astype(int32)
            # block s of the block-diagonal matrix acts on configurations
            # s n_c .. (s + 1) n_c - 1 of its own site
            site_idx = (onsite.indices - (rows // self.n_c) * self.n_c
                        ).astype(int32)
            site_data = np.asarray(onsite.data, dtype=float)
        pot = (np.zeros(0) if self._potential is None
               else np.ascontiguousarray(self._potential * f))
        return (self.Lx, self.n_c, -self._gamma * f, pot,
                spin.indptr.astype(int32), spin.indices.astype(int32),
                np.asarray(spin.data, dtype=float), sites, site_ptr,
                site_idx, site_data)

    def to_layout(self, psi):
        """Kets in sector order (site major; the sectors' one after the
        other for a direct sum) as flat ``(n_c, Lx)`` copies; ``psi`` is
        one ket or a stack of them (last axis)."""
        psi = np.asarray(psi)
        lead = psi.shape[:-1]
        out, offset = [], 0
        for n_c in self.parts:
            piece = psi[..., offset:offset + self.Lx * n_c]
            out.append(np.swapaxes(piece.reshape(lead + (self.Lx, n_c)),
                                   -1, -2))
            offset += self.Lx * n_c
        if len(out) == 1:
            return out[0].copy().reshape(lead + (self.size,))   # C order
        return np.concatenate(out, axis=-2).reshape(lead + (self.size,))

    def from_layout(self, kets):
        """Flat ``(n_c, Lx)`` kets (rows of ``kets``) back to sector order."""
        lead = kets.shape[:-1]
        rows = kets.reshape(lead + (self.n_c, self.Lx))
        out, offset = [], 0
        for n_c in self.parts:
            out.append(np.swapaxes(rows[..., offset:offset + n_c, :], -1, -2
                                   ).reshape(lead + (self.Lx * n_c,)))
            offset += n_c
        return np.ascontiguousarray(
            out[0] if len(out) == 1 else np.concatenate(out, axis=-1))

    def add(self, x, y, sign):
        """``y += sign * 2 (H - center) / half_width  x`` (flat, layout
        :meth:`to_layout`, complex, contiguous; ``sign`` is 1 or -1),
        through SciPy's kernels."""
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

    #: :class:`~qutip_stt.solvers.kernels.RecursionForm`'s route without
    #: the compiled module (its ``apply``, ``terms`` and ``expectations``
    #: act on kets in the layout of :meth:`to_layout`).
    _scipy_add = add
