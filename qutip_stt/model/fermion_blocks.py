r"""The many-electron Hamiltonian on one sector, built from the terms; its bounds.

On a block of ``n_up`` up and ``n_down`` down electrons
(:class:`~qutip_stt.model.fermion_sectors.FermionBlock`, basis
``(u, d, c)``) the Hamiltonian of
:class:`~qutip_stt.model.many_electron.ManyElectronModel` is

.. math::

    h_\uparrow \otimes 1 \otimes 1 + 1 \otimes h_\downarrow \otimes 1
    + 1 \otimes 1 \otimes H_{\rm loc} + \mathrm{diag}\Big(U\, n_{\uparrow\downarrow}
      - h_e (n_\uparrow - n_\downarrow)
      - \sum_n J^z_n (n_{j_n\uparrow} - n_{j_n\downarrow})\, 2 m_n\Big)

with ``h_s = -gamma`` (hops of one species,
:func:`~qutip_stt.model.fock.hopping_matrix`) ``+ sum_i V_i n_{i s}``,
``H_loc`` the local spins' own terms (XXZ bonds and fields, the
model's ``local_hamiltonian`` on the configurations of the block), and the
transverse s-d terms ``-2 J^{xy}_n (c^dagger_{j up} c_{j down} J^-_n + h.c.)``
joining the block to the one of ``n_up + 1`` (:func:`~qutip_stt.model.fock.spin_flip_map`
for the Jordan-Wigner sign, the ladder element of ``J^-_n``). Each s-d term
is a :class:`~qutip_stt.model.terms.Coupling` of the model
(``Coupling(0, n, J_sd, J_sd, j_n)``), the same list as the one-electron
model's. The result is a real sparse CSR matrix; nothing of the full Fock
space is formed.

:func:`fermion_sector_bounds` bounds its spectrum from the same terms: the
one-body part by the sums of the lowest (highest) orbital energies of each
species, with each s-d term as an on-site potential ``a n_j <= . <= b n_j``
(``[a, b]`` its two-spin spectrum; zero on an empty or doubly occupied
site), plus the local spins' block and ``U`` (Weyl's inequality).
"""

import numpy as np
import scipy.linalg
import scipy.sparse

from .bounds import _two_spin_bounds
from .fock import hopping_matrix, occupations, pair_overlaps, spin_flip_map

__all__ = ["fermion_sector_hamiltonian", "fermion_sector_bounds",
           "local_block"]


def _sd_couplings(model):
    return [c for c in model.couplings if c.site is not None]


def local_block(model, local):
    """The local spins' own Hamiltonian on the configurations ``local`` (dense, eV)."""
    cache = model.__dict__.setdefault("_local_matrix", [])
    if not cache:
        H = model.local_hamiltonian.data_as("csr_matrix")
        # dense while small (fancy indexing of a sparse matrix costs more)
        cache.append(H.toarray().real if H.shape[0] <= 2048 else H)
    H = cache[0]
    if scipy.sparse.issparse(H):
        return H[local][:, local].toarray().real
    return H[np.ix_(local, local)]


def _species(model, n):
    """``h_s`` on the determinants of ``n`` electrons of one species: hops
    times ``-gamma`` plus the site potential (cached on the model)."""
    cache = model.__dict__.setdefault("_species", {})
    if n not in cache:
        cache[n] = _species_block(model, n)
    return cache[n]


def _species_block(model, n):
    h = -model.gamma * hopping_matrix(model.Lx, n)
    if model.potential is not None:
        h = h + scipy.sparse.diags(occupations(model.Lx, n) @ model.potential)
    return h.tocsr()


def _diagonal(model, block):
    """The diagonal terms of ``block``: U, electron field, s-d ``zz``."""
    C_u, C_d, n_c = block.shape
    diag = np.zeros((C_u, C_d, n_c))
    if model.hubbard_U:
        diag += model.hubbard_U * pair_overlaps(model.Lx, block.n_up,
                                                block.n_down).reshape(
            C_u, C_d, 1)
    h_e = sum(f.hz for f in model.fields if f.k == 0)
    if h_e:
        diag -= h_e * (block.n_up - block.n_down)
    couplings = _sd_couplings(model)
    sites = [c.site for c in couplings]
    # the occupation of every spin site in every determinant of a species
    occ_u = occupations(model.Lx, block.n_up)[:, sites].toarray()
    occ_d = occupations(model.Lx, block.n_down)[:, sites].toarray()
    m_loc = model.spin_configurations[block.local]          # (n_c, N)
    for k, c in enumerate(couplings):
        zz = -2.0 * c.Jz * m_loc[:, c.b - 1]                 # per local config
        diag += ((occ_u[:, k, None, None] - occ_d[None, :, k, None])
                 * zz[None, None, :])
    return diag.ravel()


def _flips(model, sector, block, target):
    """COO parts of the transverse s-d terms from ``block`` to ``target``
    (``n_up + 1``) and back."""
    rows, cols, vals = [], [], []
    S, d, N = model.S, model.spin_dim, model.N
    position = np.full(d ** N, -1)
    position[target.local] = np.arange(target.local.size)
    for c in _sd_couplings(model):
        n = c.b - 1
        stride = d ** (N - 1 - n)
        m_n = model.spin_configurations[block.local, n]
        lowerable = np.flatnonzero(m_n > -S + 1e-9)
        if not lowerable.size or block.n_down == 0:
            continue
        # J^- on local spin n: the next level, index + stride in QuTiP order
        new_local = position[block.local[lowerable] + stride]
        ladder = np.sqrt(S * (S + 1) - m_n[lowerable] * (m_n[lowerable] - 1))
        src, dst, sign = spin_flip_map(model.Lx, block.n_up, block.n_down,
                                       c.site)
        r = (target.offset + dst[:, None] * target.local.size
             + new_local[None, :]).ravel()
        q = (block.offset + src[:, None] * block.local.size
             + lowerable[None, :]).ravel()
        v = (-2.0 * c.Jxy * sign[:, None] * ladder[None, :]).ravel()
        rows += [r, q]
        cols += [q, r]
        vals += [v, v]
    return rows, cols, vals


def _embedded(A, left, right, offset):
    """COO triplets of ``1_left (x) A (x) 1_right`` shifted by ``offset``
    (index arithmetic, no intermediate sparse products)."""
    A = scipy.sparse.coo_matrix(A)
    n = A.shape[0]
    L = np.arange(left)[:, None, None] * n
    R = np.arange(right)[None, None, :]
    rows = ((L + A.row[None, :, None]) * right + R + offset).ravel()
    cols = ((L + A.col[None, :, None]) * right + R + offset).ravel()
    vals = np.broadcast_to(A.data[None, :, None],
                           (left, A.nnz, right)).ravel()
    return rows, cols, vals


def _sector_triplets(model, sector, offset=0):
    """COO triplets of the block of H on ``sector``, shifted by ``offset``."""
    rows, cols, vals = [], [], []
    for i, block in enumerate(sector.blocks):
        C_u, C_d, n_c = block.shape
        start = offset + block.offset
        parts = [_embedded(_species(model, block.n_up), 1, C_d * n_c, start),
                 _embedded(_species(model, block.n_down), C_u, n_c, start),
                 _embedded(local_block(model, block.local), C_u * C_d, 1,
                           start)]
        index = np.arange(block.size) + start
        parts.append((index, index, _diagonal(model, block)))
        for r, c, v in parts:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        if i + 1 < len(sector.blocks) and \
                sector.blocks[i + 1].n_up == block.n_up + 1:
            r, c, v = _flips(model, sector, block, sector.blocks[i + 1])
            rows += [x + offset for x in r]
            cols += [x + offset for x in c]
            vals += v
    return rows, cols, vals


def fermion_sector_hamiltonian(model, sector):
    """The block of H on one sector (or the direct sum of several), from the model's terms (real CSR, eV).

    Parameters
    ----------
    model : ManyElectronModel
    sector : FermionSector or list of FermionSector
        :meth:`~qutip_stt.model.many_electron.ManyElectronModel.sector`; a
        list gives the block-diagonal matrix of its sectors in turn (what a
        thread of the sector route propagates as one).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(size, size)``, basis as
        :class:`~qutip_stt.model.fermion_sectors.FermionSector`.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=4, N=1, Ne=2)
    >>> H = fermion_sector_hamiltonian(model, model.sector(0.5))
    >>> H.shape, bool(abs(H - H.T).max() == 0)
    ((22, 22), True)
    """
    sectors = sector if isinstance(sector, (list, tuple)) else [sector]
    rows, cols, vals = [], [], []
    offset = 0
    for sec in sectors:
        r, c, v = _sector_triplets(model, sec, offset)
        rows += r
        cols += c
        vals += v
        offset += sec.size
    H = scipy.sparse.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(offset, offset)).tocsr()
    H.eliminate_zeros()
    return H


def fermion_sector_bounds(model, sector):
    """Rigorous bounds of the spectrum of a sector block, from the terms.

    For every block the sum of four operator bounds (Weyl): the electrons'
    one-body part ``T + V + diag(a)`` (lowest) or ``diag(b)`` (highest),
    with ``[a_j, b_j]`` the summed two-spin spectra of the s-d terms of site
    ``j`` (an s-d term vanishes on an empty or doubly occupied site, so it
    lies between ``a_j n_j`` and ``b_j n_j``), filled with ``n_up`` and
    ``n_down`` electrons (sums of its lowest, or highest, eigenvalues); the
    local spins' block (exact eigenvalues); the Hubbard term between 0 and
    ``U min(n_up, n_down)``; the electron field (a constant). The sector's
    bounds are the extremes over its blocks.

    Parameters
    ----------
    model : ManyElectronModel
    sector : FermionSector

    Returns
    -------
    (float, float)
        eV, not padded.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=6, N=1, Ne=2, J_sd=0.0)
    >>> [round(b, 4) for b in fermion_sector_bounds(model, model.sector(0.5))]
    [-3.6039, 3.6039]
    """
    Lx = model.Lx
    V = (np.zeros(Lx) if model.potential is None
         else np.asarray(model.potential, dtype=float))
    a, b = np.zeros(Lx), np.zeros(Lx)
    for c in _sd_couplings(model):
        lo, hi = _two_spin_bounds(c, model.S)
        a[c.site] += min(lo, 0.0)
        b[c.site] += max(hi, 0.0)
    off = np.full(Lx - 1, -float(model.gamma))
    eps_lo = np.sort(scipy.linalg.eigvalsh_tridiagonal(V + a, off)) \
        if Lx > 1 else V + a
    eps_hi = np.sort(scipy.linalg.eigvalsh_tridiagonal(V + b, off)) \
        if Lx > 1 else V + b
    h_e = sum(f.hz for f in model.fields if f.k == 0)
    U = model.hubbard_U
    slack = 64 * np.finfo(float).eps * (np.abs(V).max(initial=0.0)
                                        + 2 * abs(model.gamma) + 1.0) * model.Ne
    lows, highs = [], []
    for block in sector.blocks:
        vals = np.linalg.eigvalsh(local_block(model, block.local))
        pairs = min(block.n_up, block.n_down)
        zeeman = -h_e * (block.n_up - block.n_down)
        lows.append(eps_lo[:block.n_up].sum() + eps_lo[:block.n_down].sum()
                    + vals[0] + min(0.0, U * pairs) + zeeman)
        highs.append(eps_hi[Lx - block.n_up:].sum()
                     + eps_hi[Lx - block.n_down:].sum()
                     + vals[-1] + max(0.0, U * pairs) + zeeman)
    return float(min(lows) - slack), float(max(highs) + slack)
