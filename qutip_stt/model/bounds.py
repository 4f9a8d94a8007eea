r"""Rigorous bounds of the spectrum of H and of its sector blocks, from the terms.

A Chebyshev series needs an interval that contains the spectrum of the
block it expands; the number of terms grows with the interval's width, so
the bounds should be tight as well as rigorous. Every sector block is

.. math::

    H_m = (T + V) \otimes 1 + \sum_x |x\rangle\langle x| \otimes U_x,
    \qquad U_x = H_{\rm spin} + V_x,

hopping ``T``, site potential ``V``, the orbital-identity spin terms
``H_spin`` (XXZ chain, fields) and the on-site terms ``V_x`` (s-d
exchange, zero off the spin sites). With ``u_lo(x) <= U_x <= u_hi(x)``
(extremal eigenvalues), the spectrum lies between the least eigenvalue of
the chain ``T + V + diag(u_lo)`` and the largest of ``T + V + diag(u_hi)``.
:func:`sector_bounds` bounds a sector block this way, :func:`hamiltonian_bounds`
the whole Hamiltonian (every spin term by its two-spin spectrum), both
without forming a matrix of the full space.
"""

import functools

import numpy as np
import scipy.linalg
import scipy.sparse

from .operators import dense_spin_operators
from .sector_blocks import coupling_blocks, sector_terms

__all__ = ["gershgorin_bounds", "spectral_bounds", "sector_bounds",
           "hamiltonian_bounds", "EIGEN_LIMIT", "DENSE_EIGH_LIMIT",
           "SPIN_EIGEN_LIMIT", "SITE_EIGEN_LIMIT"]

#: Blocks up to this size are diagonalized densely: for their spectral
#: bounds, and by :func:`propagator_for` for
#: :class:`~qutip_stt.solvers.eigen.EigenPropagator`.
EIGEN_LIMIT = 400

#: Blocks up to this size give their lowest levels by LAPACK
#: (:func:`qutip_stt.model.spectrum.lowest_eigenpairs`), larger ones by
#: ARPACK in shift-invert mode.
DENSE_EIGH_LIMIT = 1000

#: Spin blocks up to this size are diagonalized (LAPACK) by
#: :func:`sector_bounds`; above it their bound is the sum of the bonds'.
SPIN_EIGEN_LIMIT = 2048

#: Sum of the spin block and one site's on-site block diagonalized by
#: :func:`sector_bounds` up to this size (one LAPACK call per spin site);
#: above it the site's terms are bounded by their two-spin spectra. The
#: calls grow as the cube of the size and the terms they save only
#: linearly, so above this size they cost more than they save.
SITE_EIGEN_LIMIT = 256


def gershgorin_bounds(block):
    """Bounds of the spectrum of a Hermitian sparse matrix from Gershgorin discs.

    Rigorous and O(nnz): every eigenvalue lies in
    ``[min_i (H_ii - r_i), max_i (H_ii + r_i)]`` with ``r_i = sum_{j != i} |H_ij|``.

    Parameters
    ----------
    block : scipy.sparse matrix
        Hermitian.

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> import scipy.sparse
    >>> gershgorin_bounds(scipy.sparse.csr_matrix([[0.0, 1.0], [1.0, 0.0]]))
    (-1.0, 1.0)
    """
    block = scipy.sparse.csr_matrix(block)
    diag = block.diagonal().real
    radius = np.asarray(abs(block).sum(axis=1)).ravel() - np.abs(diag)
    return float(np.min(diag - radius)), float(np.max(diag + radius))


def spectral_bounds(block):
    """Bounds of the spectrum of a Hermitian sparse block, padded outward.

    Exact extremal eigenvalues (LAPACK) for blocks up to 400 states,
    Gershgorin bounds above.

    Parameters
    ----------
    block : scipy.sparse matrix
        Hermitian, eV.

    Returns
    -------
    (float, float)
        ``(E_min, E_max)`` in eV, each pushed outward by ``1e-6`` of the
        width (plus ``1e-9`` eV), so the rescaled spectrum stays in [-1, 1].

    Examples
    --------
    >>> import scipy.sparse
    >>> lo, hi = spectral_bounds(scipy.sparse.diags([1.0, 2.0, 3.0]))
    >>> round(lo, 4), round(hi, 4)
    (1.0, 3.0)
    """
    n = block.shape[0]
    if n <= EIGEN_LIMIT:
        dense = block.toarray() if scipy.sparse.issparse(block) else block
        vals = scipy.linalg.eigvalsh(dense)
        lo, hi = float(vals[0]), float(vals[-1])
    else:
        # Gershgorin discs: rigorous and O(nnz). Lanczos (eigsh) is tighter
        # but converges slowly on the clustered band edges of long chains,
        # the slower the longer the chain; the looser bound costs only a few
        # more terms.
        lo, hi = gershgorin_bounds(block)
    pad = 1e-6 * (hi - lo) + 1e-9
    return lo - pad, hi + pad


def _two_spin_bounds(c, S):
    """Extremal eigenvalues of coupling ``c`` on its two spins alone (of
    field ``c`` on its spin)."""
    if not hasattr(c, "b"):       # a field, any direction: -h . Sigma
        reach = np.hypot(np.hypot(c.hx, c.hy), c.hz) * (1.0 if c.k == 0
                                                         else 2 * S)
        return -reach, reach
    return _exchange_bounds(0.5 if c.a == 0 else S, 0.5 if c.b == 0 else S,
                            float(c.Jxy), float(c.Jz))


@functools.lru_cache(maxsize=256)
def _exchange_bounds(s_a, s_b, Jxy, Jz):
    """Extremal eigenvalues of ``-(Jxy (X X + Y Y) + Jz Z Z)`` on spins
    ``s_a, s_b`` (``X = 2 J_x``, ...): a few distinct values per model, cached
    (every sector of a run asks for the same bonds)."""
    ops = [dense_spin_operators(s) for s in (s_a, s_b)]
    op = -sum(coeff * np.kron(ops[0][i], ops[1][i])
              for i, coeff in enumerate((Jxy, Jxy, Jz)))
    vals = np.linalg.eigvalsh(op)
    return float(vals[0]), float(vals[-1])


def sector_bounds(model, m, blocks=None):
    """Rigorous and tight bounds of the spectrum of a sector block, from its terms.

    The block (:func:`~qutip_stt.model.sector_blocks.sector_hamiltonian`) is
    ``(T + V) (x) 1 + sum_x |x><x| (x) U_x``, hopping ``T``,
    potential ``V`` and on each site ``U_x = H_spin + V_x``, the
    orbital-identity spin terms plus that site's on-site terms (s-d
    exchange; none off the spin sites). Since ``u_lo(x) <= U_x <= u_hi(x)``
    (extremal eigenvalues, LAPACK, for configuration spaces up to
    :data:`SITE_EIGEN_LIMIT`), the spectrum lies between the least
    eigenvalue of the chain ``T + V + diag(u_lo)`` and the largest of ``T +
    V + diag(u_hi)``: two tridiagonal eigenvalues (bisection, O(Lx)). That
    keeps the bound state an on-site term pulls out of the band, and the
    spin terms it cannot reach at the same time, so the bounds are within
    ~1e-4 eV of the exact ones on the paper's sectors; the Chebyshev series
    needs as many terms as the spectrum's true width. Larger spaces bound
    ``H_spin`` by its eigenvalues (up to :data:`SPIN_EIGEN_LIMIT`
    configurations) or bond by bond, and each site's terms by their
    two-spin spectra (Weyl's inequality).

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar.
    blocks : list, optional
        :func:`~qutip_stt.model.sector_blocks.coupling_blocks` ``(model, m)``, if already computed.

    Returns
    -------
    (float, float)
        Lower and upper bound, eV (not padded).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> lo, hi = sector_bounds(STTModel(Lx=40, N=1), 1.0)   # all up
    >>> round(lo, 4), round(hi, 4)      # exact: -2.0002, 1.9901
    (-2.0002, 1.9901)
    """
    if blocks is None:
        blocks = coupling_blocks(model, m)
    return _chain_bounds(model, blocks)


def hamiltonian_bounds(model):
    """Rigorous bounds of the spectrum of the whole Hamiltonian, from its terms.

    :func:`sector_bounds` without any matrix: every spin term bounded by its
    two-spin spectrum, the on-site ones on their site of the chain. What
    :func:`qutip_stt.solvers.limits.check_limits` needs to size a Chebyshev
    run, without building the ``Qobj`` Hamiltonian (its Gershgorin discs
    would need every entry of the full space).

    Parameters
    ----------
    model : STTModel

    Returns
    -------
    (float, float)
        Lower and upper bound, eV (not padded).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> lo, hi = hamiltonian_bounds(STTModel(Lx=40, N=1))
    >>> round(lo, 4), round(hi, 4)      # exact: -2.0002, 2.0222
    (-2.0002, 2.0222)
    """
    terms = model.couplings + model.fields
    return _chain_bounds(model, [(c, None) for c in terms])


def _chain_bounds(model, blocks):
    """Bounds of ``(T + V) x 1 + 1 x H_spin + sum_s |s><s| x V_s`` from its
    terms, written as ``(T + V) x 1 + sum_x |x><x| x U_x`` with ``U_x =
    H_spin + V_x`` (``V_x = 0`` off the spin sites): since ``u_lo(x) 1 <=
    U_x <= u_hi(x) 1`` (its extremal eigenvalues), the spectrum lies between
    the least eigenvalue of ``T + V + diag(u_lo)`` and the largest of ``T +
    V + diag(u_hi)``, two tridiagonal ``Lx x Lx`` problems. ``U_x`` is
    diagonalized exactly for blocks up to :data:`SPIN_EIGEN_LIMIT`
    (:data:`SITE_EIGEN_LIMIT` on the spin sites); otherwise, and without
    blocks, each term is bounded by its two-spin spectrum and the bounds
    are summed (Weyl)."""
    spin = [(c, b) for c, b in blocks if c.site is None]
    n_c = blocks[0][1].shape[0] if blocks and blocks[0][1] is not None else None
    if n_c is not None and n_c <= SPIN_EIGEN_LIMIT:
        H_spin, onsite = sector_terms(blocks)
        H_spin = (np.zeros((n_c, n_c)) if H_spin is None
                  else H_spin.toarray())
        vals = scipy.linalg.eigvalsh(H_spin)
        lo, hi = vals[0], vals[-1]
    else:
        lo = sum(_two_spin_bounds(c, model.S)[0] for c, _ in spin)
        hi = sum(_two_spin_bounds(c, model.S)[1] for c, _ in spin)
        onsite = None
    V = (np.zeros(model.Lx) if model.potential is None
         else np.asarray(model.potential, dtype=float))
    u_lo, u_hi = V + lo, V + hi
    site_terms = {}
    for c, _ in blocks:
        if c.site is not None:
            b_lo, b_hi = _two_spin_bounds(c, model.S)
            s_lo, s_hi = site_terms.get(c.site, (0.0, 0.0))
            site_terms[c.site] = (s_lo + b_lo, s_hi + b_hi)
    for site, (s_lo, s_hi) in site_terms.items():
        if onsite is not None and n_c <= SITE_EIGEN_LIMIT:
            vals = scipy.linalg.eigvalsh(H_spin + onsite[site].toarray())
            s_lo, s_hi = vals[0] - lo, vals[-1] - hi
        u_lo[site] += s_lo
        u_hi[site] += s_hi
    return (_chain_extreme(u_lo, model.gamma, 0),
            _chain_extreme(u_hi, model.gamma, model.Lx - 1))


def _chain_extreme(diagonal, gamma, index):
    """Eigenvalue ``index`` (0: least) of the chain ``-gamma`` hopping plus
    ``diag(diagonal)``, by bisection (LAPACK ``stebz``), pushed outward by
    its error bound."""
    if diagonal.size == 1:
        return float(diagonal[0])
    off = np.full(diagonal.size - 1, -float(gamma))
    val = scipy.linalg.eigvalsh_tridiagonal(
        diagonal, off, select="i", select_range=(index, index))[0]
    slack = 8 * np.finfo(float).eps * (np.abs(diagonal).max() + 2 * abs(gamma))
    return float(val - slack if index == 0 else val + slack)
