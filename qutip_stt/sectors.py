r"""Total-S^z sectors of a ket: decomposition, reassembly, evolution, observables.

``[H, S^z_tot] = 0``: a ket splits into pieces, one per total-``S^z`` sector
``m``, that evolve independently under the sector blocks of the one Qobj
Hamiltonian (:func:`qutip_stt.spectrum.sector_block`). A piece of sector
``m`` is stored as an ``(Lx, n_m)`` amplitude matrix (orbital site x the
``n_m`` spin configurations of the sector, in the order of
:attr:`STTModel.spin_configurations`), which is how
:func:`qutip_stt.spectrum.sector_indices` orders the basis.

Observables come straight from the pieces: with ``A`` the ``(Lx, D)`` matrix
of all amplitudes (``D = 2 (2S+1)^N``, O(state) memory), configuration
probabilities and the electron density are column and row sums of ``|A|^2``.
When ``D <= Lx`` (the paper: 64 spin states, 400 sites) every spin-side
quantity is a partial trace of the ``D x D`` spin density matrix
``A^T A*``, and the orbital purity is its squared Frobenius norm; otherwise
each single-spin density matrix is one contraction of ``A``, the
local-spins purity and entropy come from the smaller of the electron
(``2 Lx`` square) and local-spins (``(2S+1)^N`` square) reduced density
matrices, which share their non-zero spectrum, and the orbital purity from
``A A^dagger`` (``Lx`` square). No full density matrix, no full-space dense
matrix.
"""

import time

import numpy as np
import qutip
import scipy.sparse
import scipy.sparse.linalg
from qutip.ui.progressbar import progress_bars
from threadpoolctl import threadpool_limits

from .analysis import OBSERVABLES, bloch_vector, purity
from .constants import HBAR_EV_FS
from .errors import ConfigError
from .propagators import DEFAULT_TOL, propagator_for
from .spectrum import sector_block, sector_indices, sector_values
from .validation import check_int, check_real, check_spin

__all__ = ["decompose", "reassemble", "sector_snapshot", "evolve_sectors",
           "sector_hamiltonian", "PROPAGATORS"]

#: Propagators available to :func:`evolve_sectors`.
PROPAGATORS = ("chebyshev", "expm_multiply")


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
    if not isinstance(state, qutip.Qobj) or not state.isket:
        raise ConfigError("state", "expected a ket (qutip.Qobj)")
    if state.dims[0] != model.dims:
        raise ConfigError("state", f"dims {state.dims[0]} do not match the "
                          f"model's {model.dims}")
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


def _amplitude_matrix(pieces, model):
    D = model.spin_space_dimension
    A = np.zeros((model.Lx, D), dtype=complex)
    for m, vec in pieces.items():
        cols = np.flatnonzero(np.isclose(model.sector_labels, m))
        A[:, cols] = vec.reshape(model.Lx, cols.size)
    return A


def _single_factor_rho(A, before, d, after):
    """Reduced density matrix of the middle factor of ``A`` seen as
    ``(before, d, after)``: ``rho_ij = sum_ab A[a,i,b] A*[a,j,b]``, one matmul."""
    X = A.reshape(before, d, after).transpose(1, 0, 2).reshape(d, -1)
    return X @ X.conj().T


def sector_snapshot(pieces, model, blocks=None):
    """Every observable of :data:`qutip_stt.analysis.OBSERVABLES` from sector pieces.

    Equal to :func:`qutip_stt.analysis.snapshot` of :func:`reassemble`
    ``(pieces, model)`` but computed on the ``(Lx, D)`` amplitudes and the
    ``D x D`` spin density matrix only.

    Parameters
    ----------
    pieces : dict
        ``{m: amplitudes}`` as from :func:`decompose`.
    model : STTModel
    blocks : dict, optional
        ``{m: sparse block of H}`` (eV) for the energy; cut from the model's
        Hamiltonian when not given.

    Returns
    -------
    dict
        Keys and units as :data:`qutip_stt.analysis.OBSERVABLES`.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> values = sector_snapshot(decompose(initial_state(model, x0=10), model), model)
    >>> float(round(values["purity_local"], 12)), values["local_spin"][0]
    (1.0, array([0., 0., 1.]))
    """
    if blocks is None:
        blocks = {m: sector_block(model, m) for m in pieces}
    A = _amplitude_matrix(pieces, model)
    # Gaussian tails reach 1e-250; their products are subnormal floats that
    # make BLAS/LAPACK ~100x slower. Amplitudes below 1e-150 change no
    # observable above 1e-300.
    A[np.abs(A) < 1e-150] = 0.0
    weights = (A.conj() * A).real
    norm2 = float(weights.sum())
    out = {"norm": np.sqrt(norm2)}
    out["probabilities"] = weights.sum(axis=0)
    out["density"] = weights.sum(axis=1)
    Lx, d, N = model.Lx, model.spin_dim, model.N
    nl = d ** N
    if A.shape[1] <= Lx:
        # few spin states (the paper: 64 vs 400 sites): everything spin-side
        # is a partial trace of the D x D spin density matrix A^T A*
        rho_s = (A.T @ A.conj()).reshape(2, nl, 2, nl)
        rho_e = np.einsum("iaja->ij", rho_s)
        rho_l = rho_s[0, :, 0, :] + rho_s[1, :, 1, :]
        single = [np.einsum("aibajb->ij", rho_l.reshape(
            d ** n, d, d ** (N - n - 1), d ** n, d, d ** (N - n - 1)))
            for n in range(N)]
        # orbital purity: Tr rho_orb^2 = Tr (A^+ A)^2 = ||rho_s||^2
        out["purity_orbital"] = float(np.vdot(rho_s, rho_s).real)
    else:
        # many spin states: contract the (Lx, D) amplitudes directly
        rho_e = _single_factor_rho(A, Lx, 2, nl)
        single = [_single_factor_rho(A, Lx * 2 * d ** n, d, d ** (N - n - 1))
                  for n in range(N)]
        # local spins vs electron (orbital + spin) share their non-zero
        # spectrum: build the smaller of the two reduced density matrices
        B = A.reshape(2 * Lx, nl)
        rho_l = B @ B.conj().T if 2 * Lx <= nl else B.T @ B.conj()
        gram = A @ A.conj().T
        out["purity_orbital"] = float(np.vdot(gram, gram).real)
    out["electron_spin"] = bloch_vector(rho_e, 0.5)
    out["local_spin"] = np.array([bloch_vector(r, model.S) for r in single])
    # drop empty rows/columns (unpopulated sectors): same spectrum, and
    # LAPACK is far slower on the near-underflow entries they carry
    keep = np.flatnonzero(rho_l.diagonal().real > 1e-280)
    rho_l = rho_l[np.ix_(keep, keep)]
    # entries below 1e-150 move no eigenvalue by more than D * 1e-150 but,
    # squared inside LAPACK, turn subnormal and make it ~25x slower
    rho_l[np.abs(rho_l) < 1e-150] = 0.0
    rho = qutip.Qobj(rho_l)
    out["purity_local"] = purity(rho)
    out["entropy_local"] = float(qutip.entropy_vn(rho))
    out["purity_electron"] = out["purity_local"]
    out["total_sz"] = float(np.dot(out["probabilities"],
                                   2 * model.sector_labels))
    energy = sum(np.vdot(vec, blocks[m] @ vec).real
                 for m, vec in pieces.items())
    out["energy"] = float(energy) / norm2
    return out


class _ExpmMultiply:
    """``scipy.sparse.linalg.expm_multiply`` step by step (comparison route)."""

    def __init__(self, block):
        self._gen = (-1j / HBAR_EV_FS) * scipy.sparse.csr_matrix(block)

    def step(self, psi, dt):
        if dt == 0:
            return psi.copy()
        return scipy.sparse.linalg.expm_multiply(self._gen * dt, psi)


def evolve_sectors(model, state, times, *, tol=DEFAULT_TOL,
                   propagator="chebyshev", store_states=False,
                   progress_bar=None, reached=None, pair_recorder=None):
    """Evolve each total-S^z piece of ``state`` exactly and reduce at each time.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Initial ket.
    times : array_like
        Increasing output times, fs; every one is hit exactly.
    tol : float, default: :data:`qutip_stt.propagators.DEFAULT_TOL`
        Truncation of the Chebyshev series per output interval.
    propagator : {"chebyshev", "expm_multiply"}, default: "chebyshev"
        ``"chebyshev"``: :func:`qutip_stt.propagators.propagator_for` (the
        Chebyshev series, or the eigenbasis for blocks of at most
        :data:`~qutip_stt.propagators.DENSE_LIMIT` states).
    store_states : bool, default: False
        Also return the reassembled ket at every time.
    progress_bar : str, optional
        A QuTiP progress bar (``"text"``, ``"enhanced"``, ``"tqdm"``,
        ``"html"``), advanced once per output time.
    reached : list, optional
        Each output time (fs) is appended once its observables are computed,
        so a caller can tell where an interrupted run stopped.
    pair_recorder : qutip_stt.entanglement.PairRecorder, optional
        Also records the pair and block measures of every output state.

    Returns
    -------
    times : numpy.ndarray
    arrays : dict
        Observables keyed as :data:`qutip_stt.analysis.OBSERVABLES`, time first.
    states : list of qutip.Qobj or None
    wall_time : float
        Seconds.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> t, obs, _, _ = evolve_sectors(model, initial_state(model, x0=10), [0, 5])
    >>> obs["local_spin"].shape
    (2, 2, 3)
    """
    if propagator not in PROPAGATORS:
        raise ConfigError("propagator", f"expected one of "
                          f"{', '.join(PROPAGATORS)}, got {propagator!r}")
    start = time.perf_counter()
    times = np.asarray(times, dtype=float)
    pieces = decompose(state, model)
    blocks = {m: sector_block(model, m) for m in pieces}
    if propagator == "chebyshev":
        props = {m: propagator_for(b, tol) for m, b in blocks.items()}
    else:
        props = {m: _ExpmMultiply(b) for m, b in blocks.items()}
    data = {key: [] for key in OBSERVABLES}
    states = [] if store_states else None
    bar = progress_bars[progress_bar or ""](len(times))
    # The dense products here are small (spin-space matrices, blocks of at
    # most DENSE_LIMIT states): a second BLAS thread only adds hand-over
    # cost, measured 2x slower on N = 8 generic states, 1.3x on the paper's
    # noncollinear case (the sparse matvecs are single-threaded anyway).
    with threadpool_limits(limits=1):
        for i, t in enumerate(times):
            if i:
                dt = t - times[i - 1]
                pieces = {m: props[m].step(v, dt) for m, v in pieces.items()}
            for key, value in sector_snapshot(pieces, model, blocks).items():
                data[key].append(value)
            if store_states:
                states.append(reassemble(pieces, model))
            if pair_recorder is not None:
                pair_recorder.record(_amplitude_matrix(pieces, model))
            if reached is not None:
                reached.append(float(t))
            bar.update()
    bar.finished()
    arrays = {key: np.asarray(vals) for key, vals in data.items()}
    return times, arrays, states, time.perf_counter() - start


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
    :func:`qutip_stt.spectrum.sector_block` of :class:`STTModel` with the
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
