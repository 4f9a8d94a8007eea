r"""Total-S^z sectors: the basis in which H is block diagonal.

``[H, S^z_tot] = 0`` (Eq. 3 conserves ``m = m_e + sum_n m_n``), so the full
basis splits into sectors of fixed total ``m``. The full basis index of
orbital site ``x`` and spin configuration ``c`` is ``x * D + c`` with
``D = 2 (2S+1)^N`` (the model's tensor order); a sector keeps the spin
configurations ``c`` with total ``m`` on every site, so a ket's piece in
sector ``m`` is an ``(Lx, n_m)`` amplitude matrix.

This module holds the bookkeeping only: which sectors exist
(:func:`sector_values`), their basis indices (:func:`sector_indices`), the
block of an operator (:func:`sector_block`, cut from a full-space ``Qobj``;
:func:`sector_hamiltonian`, built from the model's terms without the full
space), and the split of a ket into pieces and back (:func:`decompose`,
:func:`reassemble`, :func:`amplitude_matrix`). The blocks' spectral bounds
are :mod:`qutip_stt.spectral_bounds`. Propagating the pieces is
:mod:`qutip_stt.solvers.sector_route`; reducing them to observables is
:func:`qutip_stt.reducer.reduce_amplitudes`.
"""

import numpy as np
import qutip
import scipy.linalg
import scipy.sparse

from .errors import ConfigError
from .validation import check_ket

__all__ = ["sector_values", "sector_indices", "sector_block", "decompose",
           "reassemble", "amplitude_matrix", "compact_amplitudes", "sector_configurations",
           "coupling_blocks", "sector_terms", "sector_hamiltonian"]

#: Names that moved to :mod:`qutip_stt.spectral_bounds` and are still
#: importable from here (that module imports this one, so they are looked
#: up when first asked for).
_MOVED = ("sector_bounds", "hamiltonian_bounds", "SPIN_EIGEN_LIMIT")


def __getattr__(name):
    if name in _MOVED:
        from . import spectral_bounds
        return getattr(spectral_bounds, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def sector_values(model):
    """The total-S^z values (units of hbar) present in the model, highest first.

    Parameters
    ----------
    model : STTModel

    Returns
    -------
    numpy.ndarray
        ``m_e + sum_n m_n`` from ``1/2 + N S`` down to ``-(1/2 + N S)``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sector_values(STTModel(Lx=10, N=2))
    array([ 1.5,  0.5, -0.5, -1.5])
    """
    return np.unique(model.sector_labels)[::-1]


def sector_indices(model, m):
    """Full-space basis indices of the sector with total ``S^z = m`` (hbar).

    The full basis index of orbital site ``x`` and spin configuration ``c``
    is ``x * D + c`` with ``D = 2 (2S+1)^N`` (the tensor order of the model).

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar (one of :func:`sector_values`).

    Returns
    -------
    numpy.ndarray
        Increasing integer indices into the full basis.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sector_indices(STTModel(Lx=3, N=1), 1.0)      # |x; up, up> on 3 sites
    array([0, 4, 8])
    """
    spin = _sector_columns(model, m)
    if spin.size == 0:
        raise ValueError(f"m: no sector with total S^z = {m}; allowed: "
                         f"{', '.join(f'{v:g}' for v in sector_values(model))}")
    D = model.spin_space_dimension
    return (np.arange(model.Lx)[:, None] * D + spin[None, :]).ravel()


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


def decompose(state, model):
    """Split a ket into its non-zero total-S^z pieces.

    Parameters
    ----------
    state : qutip.Qobj
        Ket with the model's dims.
    model : STTModel

    Returns
    -------
    dict
        ``{m: amplitudes}`` with ``m`` the total S^z (hbar) and
        ``amplitudes`` a 1-D complex array over :func:`sector_indices`
        ``(model, m)``; sectors where the ket is exactly zero are left out.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> sorted(decompose(initial_state(model, x0=10), model))
    [0.5]
    """
    state = check_ket("state", state, model.dims)
    full = state.full().ravel()
    pieces = {}
    for m in sector_values(model):
        vec = full[sector_indices(model, m)]
        if np.any(vec != 0):
            pieces[float(m)] = vec.copy()
    return pieces


def reassemble(pieces, model):
    """The full ket (``qutip.Qobj``) from its sector pieces (inverse of :func:`decompose`).

    Parameters
    ----------
    pieces : dict
        ``{m: amplitudes}`` as from :func:`decompose`.
    model : STTModel

    Returns
    -------
    qutip.Qobj
        Ket with the model's dims.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> psi = initial_state(model, x0=10, electron="+x")
    >>> (reassemble(decompose(psi, model), model) - psi).norm() < 1e-15
    True
    """
    full = np.zeros(model.dimension, dtype=complex)
    for m, vec in pieces.items():
        full[sector_indices(model, m)] = vec
    return qutip.Qobj(full, dims=[model.dims, [1] * len(model.dims)])


def amplitude_matrix(pieces, model):
    """The ``(Lx, D)`` amplitude matrix of the ket whose sector pieces are given.

    Parameters
    ----------
    pieces : dict
        ``{m: amplitudes}`` as from :func:`decompose`, or ``{m: (T, n_m)}``
        stacks of them (several output times).
    model : STTModel

    Returns
    -------
    numpy.ndarray
        Complex ``(Lx, D)``: orbital site x spin configuration, the input of
        :func:`qutip_stt.reducer.reduce_amplitudes` (``(T, Lx, D)`` for
        stacks).

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> amplitude_matrix(decompose(initial_state(model, x0=10), model), model).shape
    (40, 8)
    """
    D = model.spin_space_dimension
    lead = next(iter(pieces.values())).shape[:-1] if pieces else ()
    A = np.zeros(lead + (model.Lx, D), dtype=complex)
    for m, vec in pieces.items():
        cols = _sector_columns(model, m)
        A[..., cols] = vec.reshape(lead + (model.Lx, cols.size))
    return A


def compact_amplitudes(pieces, model):
    """The populated columns of the amplitude matrix, and which they are.

    :func:`amplitude_matrix` without the columns of the sectors absent from
    ``pieces`` (all zero): the input of
    :func:`qutip_stt.reducer.reduce_amplitudes` with its ``columns``.

    Parameters
    ----------
    pieces : dict
        ``{m: amplitudes}`` or ``{m: (T, n_m)}`` stacks, as for
        :func:`amplitude_matrix`.
    model : STTModel

    Returns
    -------
    A : numpy.ndarray
        Complex ``(..., Lx, n)``.
    columns : numpy.ndarray
        The ``n`` spin configurations of ``A``'s columns.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> A, columns = compact_amplitudes(decompose(initial_state(model, x0=10), model), model)
    >>> A.shape, columns.tolist()
    ((40, 3), [1, 2, 4])
    """
    parts, columns = [], []
    for m, vec in pieces.items():
        cols = _sector_columns(model, m)
        parts.append(vec.reshape(vec.shape[:-1] + (model.Lx, cols.size)))
        columns.append(cols)
    return np.concatenate(parts, axis=-1), np.concatenate(columns)


def _sector_columns(model, m):
    """Spin-configuration columns of sector ``m`` (cached on the model: the
    sector route asks at every output time)."""
    cache = model.__dict__.setdefault("_sector_columns", {})
    if m not in cache:
        cache[m] = np.flatnonzero(np.isclose(model.sector_labels, m))
    return cache[m]


def _lowering_rows(model, m):
    """Rows ``(k_e, k_1 .. k_N)`` of lowering steps from the top (``m_e = 1/2 -
    k_e``, ``m_n = S - k_n``) with total S^z ``m``, in QuTiP basis order
    (lexicographic); never enumerates the other sectors."""
    d = model.spin_dim
    target = int(round(model.N * model.S + 0.5 - m))
    if not np.isclose(model.N * model.S + 0.5 - m, target) or not (
            0 <= target <= 1 + (d - 1) * model.N):
        raise ValueError(f"m: no sector with total S^z = {m} for N = "
                         f"{model.N}, S = {model.S}")
    rows = [[e] for e in (0, 1) if target - e >= 0]
    left = [target - e for e in (0, 1) if target - e >= 0]
    for remaining in range(model.N, 0, -1):
        new_rows, new_left = [], []
        for r, rest in zip(rows, left):
            for k in range(min(d - 1, rest) + 1):
                if rest - k <= (d - 1) * (remaining - 1):
                    new_rows.append(r + [k])
                    new_left.append(rest - k)
        rows, left = new_rows, new_left
    return np.array(rows, dtype=np.uint8).reshape(-1, model.N + 1)


def sector_configurations(model, m):
    """The m quantum numbers of the spin configurations of sector ``m``.

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar.

    Returns
    -------
    numpy.ndarray
        ``(n_m, N+1)``: electron first (``+-1/2``), then each local spin's
        ``m``; rows in basis order, equal to the rows of
        ``model.spin_configurations`` with total ``m`` (without building
        those for every sector).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sector_configurations(STTModel(Lx=10, N=2), 0.5)
    array([[ 0.5,  0.5, -0.5],
           [ 0.5, -0.5,  0.5],
           [-0.5,  0.5,  0.5]])
    """
    rows = _lowering_rows(model, m)
    mz = model.S - rows.astype(float)
    mz[:, 0] = 0.5 - rows[:, 0]
    return mz


def coupling_blocks(model, m):
    r"""Spin part of every coupling and field of the model on sector ``m``.

    The terms of :attr:`~qutip_stt.model.STTModel.couplings`, then those of
    :attr:`~qutip_stt.model.STTModel.fields` (``-h_z Sigma^z_k``, diagonal
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
    rows = _lowering_rows(model, m)
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
    :attr:`~qutip_stt.model.STTModel.couplings` and every field of
    :attr:`~qutip_stt.model.STTModel.fields`, its spin block ``V_c``
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
