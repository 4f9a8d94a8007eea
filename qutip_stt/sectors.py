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
:func:`reassemble`, :func:`amplitude_matrix`). Propagating the pieces is
:mod:`qutip_stt.solvers.sector_route`; reducing them to observables is
:func:`qutip_stt.observables.reduce_amplitudes`.
"""

import numpy as np
import qutip
import scipy.sparse

from .errors import ConfigError
from .validation import check_int, check_ket, check_real, check_spin

__all__ = ["sector_values", "sector_indices", "sector_block", "decompose",
           "reassemble", "amplitude_matrix", "sector_hamiltonian"]


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
        ``{m: amplitudes}`` as from :func:`decompose`.
    model : STTModel

    Returns
    -------
    numpy.ndarray
        Complex ``(Lx, D)``: orbital site x spin configuration, the input of
        :func:`qutip_stt.observables.reduce_amplitudes`.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> amplitude_matrix(decompose(initial_state(model, x0=10), model), model).shape
    (40, 8)
    """
    D = model.spin_space_dimension
    A = np.zeros((model.Lx, D), dtype=complex)
    for m, vec in pieces.items():
        cols = np.flatnonzero(np.isclose(model.sector_labels, m))
        A[:, cols] = vec.reshape(model.Lx, cols.size)
    return A


def _sector_configurations(m, N, S):
    """Index rows ``(e, k_1 .. k_N)`` (``m_e = 1/2 - e``, ``m_n = S - k_n``) with
    total S^z ``m``, in QuTiP basis order (lexicographic)."""
    d = int(round(2 * S)) + 1
    target = int(round(N * S + 0.5 - m))  # total lowering steps from the top
    rows = []

    def fill(prefix, left, remaining):
        if remaining == 0:
            if left == 0:
                rows.append(prefix)
            return
        for k in range(min(d - 1, left) + 1):
            if left - k <= (d - 1) * (remaining - 1):
                fill(prefix + [k], left - k, remaining - 1)

    for e in (0, 1):
        if target - e >= 0:
            fill([e], target - e, N)
    return np.array(rows, dtype=np.int64).reshape(-1, N + 1)


def sector_hamiltonian(m, Lx=400, N=5, S=0.5, gamma=1.0, J_sd=0.1, J=0.1,
                       Jz=0.1005, first_site=None):
    """The block of H on total ``S^z = m`` built without the full space.

    ``H_m = T (x) 1 + sum_n |site_n><site_n| (x) V_n + 1 (x) X`` with the
    hopping ``T`` (Lx x Lx), ``V_n = -J_sd sigma . Sigma_n`` and the XXZ term
    ``X`` restricted to the sector's spin configurations from the ``jmat``
    ladder matrix elements. Equal to
    :func:`sector_block` of :class:`STTModel` with the
    same parameters (tested), and usable where the full space cannot be
    built (for example N = 50 in the one-flip sector).

    Parameters
    ----------
    m : float
        Total S^z, hbar.
    Lx, N, S, gamma, J_sd, J, Jz, first_site
        As :class:`qutip_stt.model.STTModel` (energies in eV).

    Returns
    -------
    configurations : numpy.ndarray
        ``(n_m, N+1)`` m values (electron first), in basis order.
    block : scipy.sparse.csr_matrix
        ``(Lx n_m, Lx n_m)``, eV; basis index ``x * n_m + c``.

    Examples
    --------
    >>> conf, H = sector_hamiltonian(24.5, Lx=400, N=50)
    >>> conf.shape, H.shape
    ((51, 51), (20400, 20400))
    """
    Lx = check_int("Lx", Lx, minimum=2)
    N = check_int("N", N, minimum=1, maximum=Lx)
    S = check_spin("S", S)
    gamma, J_sd = check_real("gamma", gamma), check_real("J_sd", J_sd)
    J, Jz = check_real("J", J), check_real("Jz", Jz)
    if first_site is None:
        first_site = Lx // 2 - N // 2
    first_site = check_int("first_site", first_site, minimum=0,
                           maximum=Lx - N)
    rows = _sector_configurations(m, N, S)
    if rows.shape[0] == 0:
        raise ConfigError("m", f"no configuration with total S^z = {m} for "
                          f"N = {N}, S = {S}")
    n_c = rows.shape[0]
    index = {tuple(r): i for i, r in enumerate(rows)}
    mz = np.empty(rows.shape)
    mz[:, 0] = 0.5 - rows[:, 0]
    mz[:, 1:] = S - rows[:, 1:]

    def flips(i, a, b):
        """(j, amplitude) of J+_a J-_b |row i> (a raised, b lowered)."""
        r = rows[i].copy()
        r[a] -= 1
        r[b] += 1
        j = index.get(tuple(r))
        if j is None:
            return None
        sa = 0.5 if a == 0 else S
        amp_a = np.sqrt(sa * (sa + 1) - mz[i, a] * (mz[i, a] + 1))
        sb = 0.5 if b == 0 else S
        amp_b = np.sqrt(sb * (sb + 1) - mz[i, b] * (mz[i, b] - 1))
        return j, amp_a * amp_b

    def term(a, b, coeff):
        """coeff * 4 (s_a . s_b) restricted to the sector (sparse n_c x n_c)."""
        r_, c_, v_ = list(range(n_c)), list(range(n_c)), \
            list(4 * coeff * mz[:, a] * mz[:, b])
        for i in range(n_c):
            for x, y in ((a, b), (b, a)):
                if rows[i, x] > 0 and (rows[i, y] < (1 if y == 0 else
                                                     2 * S)):
                    hit = flips(i, x, y)
                    if hit is not None:
                        r_.append(hit[0])
                        c_.append(i)
                        v_.append(2 * coeff * hit[1])
        return scipy.sparse.csr_matrix((v_, (r_, c_)), shape=(n_c, n_c))

    X = scipy.sparse.csr_matrix((n_c, n_c))
    for n in range(1, N):
        # -J (Sx Sx + Sy Sy) - Jz Sz Sz with Sigma = 2 jmat
        zz = scipy.sparse.diags(-4 * Jz * mz[:, n] * mz[:, n + 1])
        xy = term(n, n + 1, -J) - scipy.sparse.diags(
            4 * -J * mz[:, n] * mz[:, n + 1])
        X = X + zz + xy
    T = scipy.sparse.diags([-gamma * np.ones(Lx - 1)] * 2, [1, -1])
    H = scipy.sparse.kron(T, scipy.sparse.identity(n_c)) + \
        scipy.sparse.kron(scipy.sparse.identity(Lx), X)
    for n in range(N):
        V = term(0, n + 1, -J_sd)
        P = scipy.sparse.csr_matrix(([1.0], ([first_site + n],
                                             [first_site + n])),
                                    shape=(Lx, Lx))
        H = H + scipy.sparse.kron(P, V)
    return mz, H.tocsr().astype(complex)
