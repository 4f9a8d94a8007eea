"""Spectrum of the model, block by block in total S^z.

``[H, S^z_tot] = 0``, so H is block diagonal in the sectors of fixed total
``m = m_e + sum_n m_n``. Every block is cut from the one sparse ``Qobj``
Hamiltonian of :class:`~qutip_stt.model.STTModel` (one source of truth) and
diagonalized on its own: the 25,600 x 25,600 paper Hamiltonian is never
diagonalized densely.
"""

import numpy as np
import qutip
import scipy.linalg
import scipy.sparse.linalg

from .sector_blocks import sector_block
from .sectors import sector_indices, sector_values
from .bounds import DENSE_EIGH_LIMIT, gershgorin_bounds
from .._util.validation import check_int

__all__ = ["lowest_eigenpairs", "lowest_levels", "xxz_levels", "ground_states"]


def lowest_eigenpairs(block, k, vectors=False):
    """The ``k`` lowest eigenpairs of a Hermitian sparse block.

    Blocks up to :data:`~qutip_stt.model.bounds.DENSE_EIGH_LIMIT` states:
    LAPACK. Larger ones: ARPACK in shift-invert mode with the shift just
    below the Gershgorin bound, so the wanted levels are the largest of
    ``(H - sigma)^-1`` and converge in a few iterations.

    Parameters
    ----------
    block : scipy.sparse matrix
        Hermitian.
    k : int
        Number of levels (at most the block's size).
    vectors : bool, default: False
        Also return the eigenvectors.

    Returns
    -------
    numpy.ndarray
        The ``k`` lowest eigenvalues, ascending.
    numpy.ndarray
        ``(n, k)`` eigenvectors (columns), only with ``vectors``.

    Examples
    --------
    >>> import scipy.sparse
    >>> lowest_eigenpairs(scipy.sparse.diags([3.0, 1.0, 2.0]).tocsr(), 2)
    array([1., 2.])
    """
    n = block.shape[0]
    k = min(k, n)
    if n <= DENSE_EIGH_LIMIT or k >= n - 1:
        vals, vecs = scipy.linalg.eigh(block.toarray(),
                                       subset_by_index=[0, k - 1])
    else:
        sigma = gershgorin_bounds(block)[0] - 1e-3
        vals, vecs = scipy.sparse.linalg.eigsh(block.tocsc(), k=k,
                                               sigma=sigma, which="LM",
                                               tol=1e-13)
        order = np.argsort(vals)
        vals, vecs = vals[order], vecs[:, order]
    return (vals, vecs) if vectors else vals


def lowest_levels(model, k=7, return_sectors=False):
    """The ``k`` lowest eigenvalues of the full Hamiltonian (eV).

    Each total-S^z block contributes its own ``k`` lowest levels; the merged
    list is cut to ``k``.

    Parameters
    ----------
    model : STTModel
    k : int, default: 7
    return_sectors : bool, default: False
        Also return the total ``S^z`` (hbar) of each level.

    Returns
    -------
    levels : numpy.ndarray
        The ``k`` lowest eigenvalues, eV, ascending.
    sectors : numpy.ndarray
        Their total ``S^z`` (hbar), only if ``return_sectors``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> lowest_levels(STTModel(Lx=40, N=2), k=2).shape
    (2,)
    """
    k = check_int("k", k, minimum=1)
    levels, sectors = [], []
    for m in sector_values(model):
        vals = lowest_eigenpairs(sector_block(model, m), k)
        levels.extend(vals)
        sectors.extend([m] * len(vals))
    order = np.argsort(levels, kind="stable")[:k]
    levels = np.asarray(levels)[order]
    return (levels, np.asarray(sectors)[order]) if return_sectors else levels


def ground_states(model, k=7):
    """The ``k`` lowest eigenstates of H as full-space kets.

    Parameters
    ----------
    model : STTModel
    k : int, default: 7

    Returns
    -------
    energies : numpy.ndarray
        eV, ascending.
    states : list of qutip.Qobj
        Kets with the model's dims, each inside one total-S^z sector.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> energies, states = ground_states(STTModel(Lx=20, N=2), k=2)
    >>> states[0].dims[0], bool(energies[0] <= energies[1])
    ([20, 2, 2, 2], True)
    """
    k = check_int("k", k, minimum=1)
    found = []
    for m in sector_values(model):
        vals, vecs = lowest_eigenpairs(sector_block(model, m), k, vectors=True)
        idx = sector_indices(model, m)
        found.extend((v, idx, vecs[:, j]) for j, v in enumerate(vals))
    found.sort(key=lambda item: item[0])
    energies, states = [], []
    for v, idx, vec in found[:k]:
        full = np.zeros(model.dimension, dtype=complex)
        full[idx] = vec
        energies.append(v)
        states.append(qutip.Qobj(full, dims=[model.dims, [1] * len(model.dims)]))
    return np.array(energies), states


def xxz_levels(model, k=6, return_states=False, return_sectors=False):
    """The ``k`` lowest levels of the isolated XXZ chain (eV), sector by sector.

    The local spins' Hamiltonian :attr:`~qutip_stt.model.hamiltonian.STTModel.local_hamiltonian`:
    the XXZ bonds plus the local spins' Zeeman term (model ``field``; the
    electron's field does not enter). Without a transverse field it
    conserves the local total ``S^z = sum_n m_n``; each sector is
    diagonalized apart (LAPACK, or ARPACK for large sectors) and the levels
    merged, so every eigenvector has a definite local ``S^z`` (degenerate
    ``+-m`` doublets are never mixed) and its spins definite Bloch vectors.
    A transverse field mixes the sectors: the whole space is one block and
    every sector is NaN.

    Parameters
    ----------
    model : STTModel
    k : int, default: 6
        Number of levels; ``None`` for all ``(2S+1)^N``.
    return_states : bool, default: False
        Also return the eigenvectors as kets on the local-spins space (dims
        ``[[2S+1]*N, [1]*N]``).
    return_sectors : bool, default: False
        Also return the local total ``S^z`` (hbar) of each level.

    Returns
    -------
    levels : numpy.ndarray
        eV, ascending (ties: higher ``S^z`` first).
    states : list of qutip.Qobj
        Only if ``return_states``.
    sectors : numpy.ndarray
        Only if ``return_sectors``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> xxz_levels(STTModel(Lx=10, N=5), k=2).round(6)
    array([-0.402, -0.402])
    >>> e, m = xxz_levels(STTModel(Lx=10, N=2), k=None, return_sectors=True)
    >>> e.round(4).tolist(), m.tolist()
    ([-0.1005, -0.1005, -0.0995, 0.3005], [1.0, -1.0, 0.0, 0.0])
    """
    n_local = model.spin_dim ** model.N
    k = n_local if k is None else min(check_int("k", k, minimum=1), n_local)
    H = model.local_hamiltonian.data_as("csr_matrix")
    # rows with the electron up enumerate the local basis in QuTiP order
    local_m = model.spin_configurations[:n_local, 1:].sum(axis=1)
    # a transverse field mixes the sectors: one block, S^z NaN
    sectors = (np.unique(local_m)[::-1] if model.conserves_sz
               else [np.nan])
    found = []
    for m in sectors:
        idx = (np.arange(n_local) if np.isnan(m)
               else np.flatnonzero(np.isclose(local_m, m)))
        vals, vecs = lowest_eigenpairs(H[idx][:, idx], k, vectors=True)
        found.extend((v, -m, m, idx, vecs[:, j]) for j, v in enumerate(vals))
    found.sort(key=lambda item: (round(item[0], 12), item[1]))
    found = found[:k]
    levels = np.array([f[0] for f in found])
    out = [levels]
    if return_states:
        dims = [[model.spin_dim] * model.N, [1] * model.N]
        states = []
        for *_, idx, vec in found:
            full = np.zeros(n_local, dtype=complex)
            full[idx] = vec
            states.append(qutip.Qobj(full, dims=dims))
        out.append(states)
    if return_sectors:
        out.append(np.array([f[2] for f in found]))
    return out[0] if len(out) == 1 else tuple(out)
