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

from .validation import check_int

__all__ = ["sector_values", "sector_indices", "sector_block",
           "lowest_levels", "xxz_levels", "ground_states"]

#: Blocks up to this size are diagonalized densely (LAPACK), larger ones with
#: ARPACK (scipy.sparse.linalg.eigsh).
DENSE_LIMIT = 1000


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
    spin = np.flatnonzero(np.isclose(model.sector_labels, m))
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
        ``model.hamiltonian``.

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
    op = model.hamiltonian if operator is None else operator
    idx = sector_indices(model, m)
    return op.data_as("csr_matrix")[idx][:, idx].tocsr()


def gershgorin_lower_bound(block):
    """A lower bound of the spectrum of a Hermitian sparse matrix (Gershgorin discs).

    Parameters
    ----------
    block : scipy.sparse matrix
        Hermitian.

    Returns
    -------
    float
        ``min_i (H_ii - sum_{j != i} |H_ij|)``.

    Examples
    --------
    >>> import scipy.sparse
    >>> gershgorin_lower_bound(scipy.sparse.csr_matrix([[0.0, 1.0], [1.0, 0.0]]))
    -1.0
    """
    block = block.tocsr()
    diag = block.diagonal().real
    radius = np.asarray(abs(block).sum(axis=1)).ravel() - np.abs(diag)
    return float(np.min(diag - radius))


def _lowest_of_block(block, k, vectors=False):
    """The k lowest eigenpairs of a Hermitian block.

    Small blocks: LAPACK. Large ones: ARPACK in shift-invert mode with the
    shift just below the Gershgorin bound, so the wanted levels are the
    largest of ``(H - sigma)^-1`` and converge in a few iterations.
    """
    n = block.shape[0]
    k = min(k, n)
    if n <= DENSE_LIMIT or k >= n - 1:
        vals, vecs = scipy.linalg.eigh(block.toarray(),
                                       subset_by_index=[0, k - 1])
    else:
        sigma = gershgorin_lower_bound(block) - 1e-3
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
        vals = _lowest_of_block(sector_block(model, m), k)
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
        vals, vecs = _lowest_of_block(sector_block(model, m), k, vectors=True)
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


def xxz_levels(model, k=6, return_states=False):
    """The ``k`` lowest levels of the isolated XXZ chain (eV), dense diagonalization.

    The XXZ chain acts on ``(2S+1)^N`` states only; for larger chains
    ARPACK is used.

    Parameters
    ----------
    model : STTModel
    k : int, default: 6
    return_states : bool, default: False
        Also return the eigenvectors as kets on the local-spins space.
        Degenerate levels come as an arbitrary orthonormal basis of their
        eigenspace (add a small field ``-h sum Sigma^z`` to pick states of
        definite total S^z).

    Returns
    -------
    levels : numpy.ndarray
        eV, ascending.
    states : list of qutip.Qobj
        Only if ``return_states``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> xxz_levels(STTModel(Lx=10, N=5), k=2).round(6)
    array([-0.402, -0.402])
    """
    k = check_int("k", k, minimum=1)
    H = model.xxz_chain
    n = H.shape[0]
    k = min(k, n)
    if n <= DENSE_LIMIT:
        vals, vecs = scipy.linalg.eigh(H.full(), subset_by_index=[0, k - 1])
    else:
        vals, vecs = _lowest_of_block(H.data_as("csr_matrix"), k, vectors=True)
    if not return_states:
        return vals
    dims = [[model.spin_dim] * model.N, [1] * model.N]
    return vals, [qutip.Qobj(vecs[:, j], dims=dims) for j in range(k)]
