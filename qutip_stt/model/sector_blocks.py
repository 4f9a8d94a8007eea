r"""The blocks of H on one total-S^z sector, built from the model's terms.

Every coupling and field of :class:`~qutip_stt.model.STTModel`
(:mod:`qutip_stt.model.terms`) has a spin block on a sector
(:func:`coupling_blocks`, from ladder matrix elements); with the hopping and
the site potential on the orbital factor they give the sector block of H
(:func:`sector_hamiltonian`) without the full space. :func:`sector_block`
cuts the block of any full-space ``Qobj`` operator instead: the independent
route the tests hold the first against.
"""

import numpy as np
import scipy.sparse

from ..errors import ConfigError
from .sectors import lowering_rows, sector_configurations, sector_indices

__all__ = ["sector_block", "coupling_blocks", "sector_terms",
           "sector_hamiltonian"]


def sector_block(model, m, operator=None):
    """The block of ``operator`` (default H) on the sector ``S^z_tot = m``.

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar.
    operator : qutip.Qobj, optional
        Any full-space operator that conserves total S^z; default
        ``model.hamiltonian`` (refused, ``ConfigError``, when a transverse
        field breaks the conservation).

    Returns
    -------
    scipy.sparse.csr_matrix
        The block, in the operator's units (eV for H), rows and columns in
        the order of :func:`sector_indices`.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sector_block(STTModel(Lx=40, N=2), 1.5).shape      # all spins up
    (40, 40)
    """
    if operator is None:
        _check_conserved(model)
    op = model.hamiltonian if operator is None else operator
    idx = sector_indices(model, m)
    return op.data_as("csr_matrix")[idx][:, idx].tocsr()


def _check_conserved(model):
    """Refuse H's sector blocks when a transverse field couples the sectors."""
    if not model.conserves_sz:
        raise ConfigError("local_spins.field", "a transverse field (x or y) "
                          "breaks total-S^z conservation: H has no sector "
                          "blocks; use a full-space method (sesolve)")


def coupling_blocks(model, m):
    r"""Spin part of every coupling and field of the model on sector ``m``.

    The terms of :attr:`~qutip_stt.model.hamiltonian.STTModel.couplings`, then those of
    :attr:`~qutip_stt.model.hamiltonian.STTModel.fields` (``-h_z Sigma^z_k``, diagonal
    ``-2 h_z m_k``; a transverse field has no sector block and raises
    :class:`~qutip_stt.errors.ConfigError`).

    Coupling ``c`` is ``-[Jxy (Sigma^x_a Sigma^x_b + Sigma^y_a Sigma^y_b)
    + Jz Sigma^z_a Sigma^z_b] = -[2 Jxy (J^+_a J^-_b + J^-_a J^+_b)
    + 4 Jz m_a m_b]`` (``Sigma = 2 J``); its block is built from the ladder
    matrix elements ``sqrt(s(s+1) - m(m+-1))`` between the sector's
    configurations, all at once with numpy.

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar.

    Returns
    -------
    list of (Coupling or Field, scipy.sparse.csr_matrix)
        Each term with its real ``(n_m, n_m)`` block, eV, rows and
        columns in the order of :func:`sector_configurations`.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> c, block = coupling_blocks(STTModel(Lx=10, N=1), 0.0)[0]
    >>> block.toarray()          # -J_sd sigma.Sigma on |up,down>, |down,up>
    array([[ 0.1, -0.2],
           [-0.2,  0.1]])
    """
    _check_conserved(model)
    rows = lowering_rows(model, m)
    n_c = rows.shape[0]
    mz = sector_configurations(model, m)
    size = np.full(model.N + 1, model.S)
    size[0] = 0.5
    top = np.rint(2 * size).astype(np.uint8)           # largest k per factor
    keys = rows.view(np.dtype((np.void, rows.shape[1]))).ravel()
    out = []
    for c in model.couplings:
        diag = -4.0 * c.Jz * mz[:, c.a] * mz[:, c.b]
        r_, c_, v_ = [np.arange(n_c)], [np.arange(n_c)], [diag]
        for up, down in ((c.a, c.b), (c.b, c.a)):
            # J+_up J-_down: raise factor `up` (k - 1), lower `down` (k + 1)
            ok = np.flatnonzero((rows[:, up] > 0) & (rows[:, down] < top[down]))
            new = rows[ok].copy()
            new[:, up] -= 1
            new[:, down] += 1
            new_keys = new.view(np.dtype((np.void, rows.shape[1]))).ravel()
            j = np.searchsorted(keys, new_keys)
            m_up, m_down = mz[ok, up], mz[ok, down]
            amp = np.sqrt(size[up] * (size[up] + 1) - m_up * (m_up + 1)) * \
                np.sqrt(size[down] * (size[down] + 1) - m_down * (m_down - 1))
            r_.append(j)
            c_.append(ok)
            v_.append(-2.0 * c.Jxy * amp)
        block = scipy.sparse.csr_matrix(
            (np.concatenate(v_), (np.concatenate(r_), np.concatenate(c_))),
            shape=(n_c, n_c))
        out.append((c, block))
    for f in model.fields:
        # -h_z Sigma^z = -2 h_z m (Sigma = 2 J; sigma^z = 2 m_e), diagonal
        out.append((f, scipy.sparse.diags(-2.0 * f.hz * mz[:, f.k],
                                          format="csr")))
    return out


def _orbital(model):
    """Hopping plus the site potential ``model.potential``, ``Lx x Lx``."""
    off = -model.gamma * np.ones(model.Lx - 1)
    V = np.zeros(model.Lx) if model.potential is None else model.potential
    return scipy.sparse.diags([off, V, off], [1, 0, -1], format="csr")


def sector_hamiltonian(model, m, blocks=None):
    """The block of H on total ``S^z = m``, built from the model's terms.

    ``H_m = (T + V) (x) 1 + sum_c P_c (x) V_c`` with the hopping ``T``
    and the site potential ``V = diag(model.potential)`` (``Lx x Lx``)
    and, for every coupling ``c`` of
    :attr:`~qutip_stt.model.hamiltonian.STTModel.couplings` and every field of
    :attr:`~qutip_stt.model.hamiltonian.STTModel.fields`, its spin block ``V_c``
    (:func:`coupling_blocks`) times ``P_c = |site><site|`` or the orbital
    identity. Equal to :func:`sector_block` of the full ``Qobj``
    Hamiltonian (tested to 1e-14) without building the full space, so it
    also works where the full space is out of reach (a model with
    ``full_space=False``, for example N = 100 in the one-flip sector).

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar.
    blocks : list, optional
        :func:`coupling_blocks` ``(model, m)``, if already computed.

    Returns
    -------
    scipy.sparse.csr_matrix
        Real ``(Lx n_m, Lx n_m)`` block, eV; basis index ``x * n_m + c``
        with ``c`` a row of :func:`sector_configurations` (the order of
        :func:`sector_indices`).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> model = STTModel(Lx=400, N=50, full_space=False)
    >>> sector_hamiltonian(model, 24.5).shape       # one flip: 51 configurations
    (20400, 20400)
    """
    blocks = coupling_blocks(model, m) if blocks is None else blocks
    n_c = blocks[0][1].shape[0] if blocks else 1
    spin, onsite = sector_terms(blocks)
    parts = [scipy.sparse.kron(_orbital(model),
                               scipy.sparse.identity(n_c, format="csr"),
                               format="coo")]
    if spin is not None:
        parts.append(scipy.sparse.kron(scipy.sparse.identity(model.Lx), spin,
                                       format="coo"))
    rows = [p.row for p in parts]
    cols = [p.col for p in parts]
    data = [p.data for p in parts]
    for site, b in onsite.items():       # |site><site| (x) V_site, in place
        b = b.tocoo()
        rows.append(b.row + site * n_c)
        cols.append(b.col + site * n_c)
        data.append(b.data)
    # one conversion sums the terms (instead of a sparse sum per site)
    size = model.Lx * n_c
    H = scipy.sparse.coo_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
        shape=(size, size)).tocsr()
    H.eliminate_zeros()
    return H


def sector_terms(blocks):
    """The spin side of ``H_m = (T + V) (x) 1 + 1 (x) H_spin + sum_s |s><s| (x) V_s``.

    Parameters
    ----------
    blocks : list
        :func:`coupling_blocks` ``(model, m)``.

    Returns
    -------
    spin : scipy.sparse.csr_matrix or None
        ``H_spin``, the sum of the terms on every site (the XXZ chain,
        fields), or None without any.
    onsite : dict
        ``{site: V_s}``, the terms of each site (s-d exchange) summed, in
        increasing site order.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> spin, onsite = sector_terms(coupling_blocks(STTModel(Lx=10, N=2), 0.5))
    >>> spin.shape, sorted(onsite)
    ((3, 3), [4, 5])
    """
    spin = [b for c, b in blocks if c.site is None]
    onsite = {}
    for c, b in blocks:
        if c.site is not None:
            onsite[c.site] = onsite[c.site] + b if c.site in onsite else b
    return ((sum(spin[1:], spin[0]).tocsr() if spin else None),
            {site: onsite[site].tocsr() for site in sorted(onsite)})
