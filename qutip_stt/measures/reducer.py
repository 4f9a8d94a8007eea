r"""The one reducer: from amplitude matrices to every stored observable.

Every evolution method of :func:`qutip_stt.solvers.evolve` hands
:func:`reduce_amplitudes` its kets as ``(Lx, D)`` amplitude matrices ``A``
(orbital site x spin configuration, ``D = 2 (2S+1)^N``; a ``(T, Lx, D)``
stack for several output times, or only the populated columns) and stores
what it returns (:data:`OBSERVABLES`). Nothing here builds a ``Qobj`` or a
full-space density matrix; :func:`qutip_stt.measures.observables.snapshot` computes
the same quantities with QuTiP's ``ptrace`` and is the test oracle. An open
system's run (method ``"mesolve"``) hands over its density matrices instead
(:func:`reduce_density_matrix`): their partial traces feed the same
spin-side code.

Spin expectation values are in units of hbar/2 (``Sigma = 2 jmat(S)``).
"""

import numpy as np
from scipy.linalg.blas import zherk

from .spin_reduction import FLUSH_BELOW, mixedness, spin_side

__all__ = ["reduce_amplitudes", "reduce_density_matrix",
           "spin_density_matrix", "OBSERVABLES", "FLUSH_BELOW"]

#: Names, shapes (``T`` times, ``N`` local spins, ``M`` configurations,
#: ``Lx`` sites) and meaning of everything :func:`reduce_amplitudes` returns.
OBSERVABLES = {
    "electron_spin": ("(T, 3)", "<sigma_x,y,z> of the electron spin, hbar/2"),
    "local_spin": ("(T, N, 3)", "<Sigma_x,y,z> of each local spin, hbar/2"),
    "purity_local": ("(T,)", "Tr rho^2 of all local spins (Eq. 7)"),
    "purity_electron": ("(T,)", "Tr rho^2 of the electron, orbital + spin"),
    "purity_orbital": ("(T,)", "Tr rho^2 of the electron orbital factor"),
    "entropy_local": ("(T,)", "von Neumann entropy of all local spins (nats)"),
    "probabilities": ("(T, M)", "Eq. (8) probability of each spin "
                                "configuration"),
    "norm": ("(T,)", "<psi|psi>"),
    "energy": ("(T,)", "<H>, eV"),
    "total_sz": ("(T,)", "<sigma_z + sum Sigma_z>, hbar/2"),
    "density": ("(T, Lx)", "electron probability on each site"),
}

#: :func:`_raising` contracts ``A`` in blocks of rows of about this many
#: bytes, so that a block (and its conjugate) stays in a core's cache while
#: every spin factor is contracted, instead of ``N + 1`` passes over memory.
_BLOCK_BYTES = 1 << 20


def _spin_side_many(A, model, probabilities=None):
    """Spin-side observables of :func:`reduce_amplitudes` for ``D > Lx``.

    The branch for many spin states, where the ``D x D`` spin density
    matrix is too large. The smaller of the electron (``2 Lx`` square,
    ``B B^dagger``) and local-spins (``(2S+1)^N`` square, ``B^T B^*``)
    density matrices, ``B = A.reshape(2 Lx, (2S+1)^N)``, is one Hermitian
    rank-k update (BLAS ``zherk``, one triangle, then mirrored). Rows of
    ``B`` are ``(x, sigma)`` pairs (the electron spin is the slowest spin
    index), so the electron density matrix holds the electron-spin density
    matrix and the orbital one as its two partial traces; otherwise the
    orbital purity is ``||A A^dagger||^2`` from another ``zherk``. Every
    ``<Sigma_z>`` is a sum of configuration probabilities; every
    ``<Sigma_x,y>`` is ``2 <J^+>`` from strided views of ``A``
    (:func:`_raising`), without a reshaped copy of ``A`` per spin.

    Parameters
    ----------
    A : numpy.ndarray
        ``(Lx, D)`` C-contiguous complex amplitudes, ``D > Lx``, already
        flushed below :data:`FLUSH_BELOW`.
    model : STTModel
    probabilities : numpy.ndarray, optional
        ``(D,)`` column sums of ``|A|^2`` if the caller has them.

    Returns
    -------
    electron_spin : numpy.ndarray
        ``(3,)``, units hbar/2.
    local_spin : numpy.ndarray
        ``(N, 3)``, units hbar/2.
    purity_orbital : float
        ``Tr rho_orbital^2``.
    rho_l : numpy.ndarray
        The electron density matrix (rows ``(x, sigma)``) if
        ``2 Lx <= (2S+1)^N``, else the local-spins one; full Hermitian
        matrix with the spectrum of the local spins, not yet flushed.
    """
    Lx, d, N = model.Lx, model.spin_dim, model.N
    nl = d ** N
    B = A.reshape(2 * Lx, nl)
    if probabilities is None:
        probabilities = np.einsum("xc,xc->c", A.conj(), A).real
    # <Sigma_z> of every factor (electron first) from the probabilities
    sigma_z = 2 * (model.spin_configurations.T @ probabilities)
    if 2 * Lx <= nl:
        # B.T is B's memory as a Fortran matrix: zherk gives
        # (B^T)^dagger B^T = (B B^dagger)^T, whose transpose is rho_l
        rho_l = _hermitian_square(B.T, trans=2).T
        rho4 = rho_l.reshape(Lx, 2, Lx, 2)
        rho_orbital = np.einsum("xsys->xy", rho4)
        purity_orbital = float(np.vdot(rho_orbital, rho_orbital).real)
        # <J^+> of the electron is rho_e[down, up]
        plus = np.concatenate([[np.einsum("xsxt->st", rho4)[1, 0]],
                               _raising(A, model, first=1)])
    else:
        # (B^T) (B^T)^dagger = B^T B^* directly
        rho_l = _hermitian_square(B.T, trans=0)
        # (A^T)^dagger A^T = (A A^dagger)^*, same Frobenius norm; upper
        # triangle only: off-diagonal entries count twice
        gram = zherk(1.0, A.T, trans=2)
        diag = gram.diagonal().real
        purity_orbital = float(2 * np.vdot(gram, gram).real
                               - np.dot(diag, diag))
        plus = _raising(A, model, first=0)
    bloch = np.stack([2 * plus.real, 2 * plus.imag, sigma_z], axis=1)
    return bloch[0], bloch[1:], purity_orbital, rho_l


def _hermitian_square(a, trans):
    """``a a^dagger`` (``trans=0``) or ``a^dagger a`` (``trans=2``) of a
    Fortran-ordered ``a``: one triangle from BLAS ``zherk`` (half the work of
    a matmul, no conjugated copy of ``a``), mirrored to the full matrix."""
    upper = zherk(1.0, a, trans=trans)
    full = upper + upper.conj().T
    np.fill_diagonal(full, upper.diagonal().real)
    return full


def _raising(A, model, first=0):
    """``<J^+>`` of every spin factor from ``first`` on (0 = electron, then
    each local spin), unnormalised.

    Factor ``f`` of stride ``s`` splits each row block of ``A`` as
    ``(p, m, q)``; ``<J^+> = sum_m a_m sum_pq A[p, m+1, q] A*[p, m, q]`` with
    ``a_m`` the ``J^+`` element from level ``m+1`` to ``m`` (levels in QuTiP
    order, largest ``m`` first). Strided views, no copy per factor; the rows
    go in blocks of :data:`_BLOCK_BYTES` that stay in cache for all factors.
    """
    d, N = model.spin_dim, model.N
    dims = [2] + [d] * N
    sizes = [0.5] + [model.S] * N
    strides = [int(np.prod(dims[f + 1:], dtype=int)) for f in range(N + 1)]
    factors = range(first, N + 1)
    sums = [np.zeros(dims[f] - 1, dtype=complex) for f in factors]
    rows = max(1, _BLOCK_BYTES // max(1, A.itemsize * A.shape[1]))
    for x0 in range(0, A.shape[0], rows):
        block = A[x0:x0 + rows]
        conj = block.conj()
        for acc, f in zip(sums, factors):
            shape = (-1, dims[f], strides[f])
            acc += np.einsum("pmq,pmq->m", block.reshape(shape)[:, 1:],
                             conj.reshape(shape)[:, :-1])
    plus = []
    for acc, f in zip(sums, factors):
        s = sizes[f]
        m = s - np.arange(1, dims[f])              # lower level of each pair
        plus.append(np.dot(np.sqrt(s * (s + 1) - m * (m + 1)), acc))
    return np.array(plus, dtype=complex)


def reduce_amplitudes(A, model, energy, columns=None, configurations=None):
    """Every observable of :data:`OBSERVABLES` from the ``(Lx, D)`` amplitudes.

    The one reducer of the package: every evolution method calls it at every
    output time. With ``A`` the amplitude matrix (:func:`amplitudes`),
    configuration probabilities and the electron density are column and row
    sums of ``|A|^2``. When ``D <= Lx`` (the paper: 64 spin states, 400
    sites) every spin-side quantity is a partial trace of the ``D x D`` spin
    density matrix ``A^T A*`` and the orbital purity its squared Frobenius
    norm; otherwise every spin-side quantity comes from
    :func:`_spin_side_many`: one Hermitian rank-k update (BLAS ``zherk``)
    for the smaller of the electron (``2 Lx`` square) and local-spins
    (``(2S+1)^N`` square) reduced density matrices, the orbital purity from
    the electron one's partial trace (or from ``A A^dagger``), and the Bloch
    vectors from the probabilities and strided sums over ``A``.

    For a pure state of electron + local spins the electron (orbital + spin)
    and the local spins share their non-zero spectrum (Schmidt), so
    ``purity_electron`` equals ``purity_local`` exactly; it is stored under
    both names, and :func:`snapshot` computes it from the electron's own
    ``ptrace`` as the independent check.

    A stack of amplitude matrices (several output times) is reduced at once:
    the per-time work is then a few batched numpy calls instead of a few
    dozen small ones per time.

    Parameters
    ----------
    A : numpy.ndarray
        ``(Lx, D)`` complex amplitudes, or a ``(T, Lx, D)`` stack of them.
        Entries below :data:`FLUSH_BELOW` in modulus are set to zero in
        place.
    model : STTModel
    energy : float or array_like
        ``<psi|H|psi>`` in eV (one per matrix of a stack), computed by the
        caller from its own form of H (sector blocks or the ``Qobj``);
        divided by the squared norm here.
    columns : array_like of int, optional
        The spin configurations (of the model's ``D``) that ``A``'s columns
        hold when it holds only some, every other amplitude being zero: the
        sector route passes the populated sectors' columns
        (:func:`qutip_stt.model.sectors.compact_amplitudes`), 7 of 64 for the
        paper's noncollinear run. Default: all ``D``, in order.
    configurations : numpy.ndarray, optional
        ``(n, N+1)`` m values of ``A``'s columns (electron first), for a
        spin space too large to list (a
        :class:`~qutip_stt.states.sector_state.SectorState` of ``N = 50``):
        the spin side then comes from the ``n x n`` spin density matrix
        whatever ``n``, and ``probabilities`` holds these ``n``
        configurations only.

    Returns
    -------
    dict
        Keys and units as in :data:`OBSERVABLES`: without the time axis for
        one matrix, with it (first) for a stack.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> from qutip_stt.measures.observables import amplitudes
    >>> model = STTModel(Lx=40, N=2)
    >>> psi = initial_state(model, x0=10)
    >>> values = reduce_amplitudes(amplitudes(psi, model), model, 0.0)
    >>> float(round(values["purity_local"], 12)), values["local_spin"][0]
    (1.0, array([0., 0., 1.]))
    """
    if A.ndim == 2:
        values = reduce_amplitudes(A[None], model, [energy], columns,
                                   configurations)
        return {key: value[0] if value.ndim > 1 else float(value[0])
                for key, value in values.items()}
    # |A|^2 without a square root or a conjugated copy; flushing on it
    # (below FLUSH_BELOW^2 = 1e-300, still a normal float) is the same cut
    weights = A.real ** 2
    weights += A.imag ** 2
    tiny = weights < FLUSH_BELOW ** 2
    if tiny.any():
        A[tiny] = 0.0
        weights[tiny] = 0.0
    Lx, N = model.Lx, model.N
    T = A.shape[0]
    # column and row sums as products with ones (BLAS): ndarray.sum over
    # a short axis (the paper's (T, 400, 7) stacks) runs one short loop per
    # row
    column_sums = np.ones(Lx) @ weights
    norm2 = column_sums.sum(axis=1)
    out = {"norm": np.sqrt(norm2)}
    if columns is None or configurations is not None:
        out["probabilities"] = column_sums
    else:
        columns = np.asarray(columns)
        out["probabilities"] = np.zeros((T, model.spin_space_dimension))
        out["probabilities"][:, columns] = column_sums
    out["density"] = weights @ np.ones(weights.shape[2])
    if A.shape[2] <= Lx or configurations is not None:
        # few spin states: everything spin-side comes from the spin density
        # matrices A^T A* = (A^dagger A)^* (the conjugated transpose is the
        # faster operand of the batched product); every Bloch vector at once
        # from their diagonals (Sigma^z) and one-flip elements (Sigma^+)
        flat = np.matmul(A.transpose(0, 2, 1).conj(), A).conj()
        bloch, rho_l = spin_side(flat, out["probabilities"],
                                 (0.5,) + (model.S,) * N, columns,
                                 trace_first=True,
                                 configurations=configurations)
        out["electron_spin"], out["local_spin"] = bloch[:, 0], bloch[:, 1:]
        # Tr rho_orb^2 = Tr (A^+ A)^2 = ||rho_s||^2
        out["purity_orbital"] = (flat.real ** 2 + flat.imag ** 2).sum(axis=(1, 2))
    else:
        if columns is not None:
            A = _all_columns(A, columns, model.spin_space_dimension)
        parts = [_spin_side_many(a, model, p)
                 for a, p in zip(A, out["probabilities"])]
        out["electron_spin"] = np.array([p[0] for p in parts])
        out["local_spin"] = np.array([p[1] for p in parts])
        out["purity_orbital"] = np.array([p[2] for p in parts])
        rho_l = np.array([p[3] for p in parts])
    # Tr rho^2 and -Tr rho ln rho in numpy (what purity and
    # qutip.entropy_vn compute, without a Qobj per output time)
    out["purity_local"], out["entropy_local"] = mixedness(rho_l)
    out["purity_electron"] = out["purity_local"]
    labels = (model.sector_labels if configurations is None
              else configurations.sum(axis=1))
    out["total_sz"] = out["probabilities"] @ (2 * labels)
    out["energy"] = np.asarray(energy, dtype=float) / norm2
    return out


def spin_density_matrix(rho, model):
    """``Tr_orbital rho``: the ``(D, D)`` density matrix of electron spin and
    local spins from a full-space density matrix (``(Lx D, Lx D)`` array).

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=20, N=1)
    >>> rho_s = spin_density_matrix(initial_state(model, x0=5).proj().full(), model)
    >>> rho_s.shape, round(float(rho_s[2, 2].real), 12)       # |down; up>
    ((4, 4), 1.0)
    """
    D = model.spin_space_dimension
    return np.einsum("xcxd->cd", np.asarray(rho).reshape(model.Lx, D,
                                                         model.Lx, D))


def reduce_density_matrix(rho, model, energy):
    r"""Every observable of :data:`OBSERVABLES` from a density matrix of the full space.

    The density-matrix path of the one reducer, for the open system
    (method ``"mesolve"``): partial traces of ``rho`` written as the
    ``(Lx, D, Lx, D)`` tensor give the spin density matrix
    ``rho_s = sum_x rho[x, :, x, :]`` (``D x D``, electron spin and local
    spins), the orbital one ``sum_c rho[:, c, :, c]`` and the electron's
    (orbital + spin, ``2 Lx`` square); every spin-side quantity then comes
    from ``rho_s`` exactly as in :func:`reduce_amplitudes`. A mixed state
    has no Schmidt decomposition, so ``purity_electron`` is the electron's
    own ``Tr rho_e^2`` (no longer equal to ``purity_local``).

    Parameters
    ----------
    rho : numpy.ndarray
        ``(Lx D, Lx D)`` density matrix in the model's tensor order
        (trace 1 up to the solver's error; observables are divided by it).
    model : STTModel
    energy : float
        ``Tr(rho H)``, eV, computed by the caller; divided by the trace here.

    Returns
    -------
    dict
        Keys and units as in :data:`OBSERVABLES` (``norm`` is ``sqrt(Tr
        rho)``, as ``|psi|`` is for a ket), without the time axis.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> from qutip_stt.measures.observables import amplitudes
    >>> model = STTModel(Lx=20, N=2)
    >>> psi = initial_state(model, x0=5)
    >>> rho = reduce_density_matrix(psi.proj().full(), model, 0.0)
    >>> ket = reduce_amplitudes(amplitudes(psi, model), model, 0.0)
    >>> all(np.allclose(rho[k], ket[k]) for k in OBSERVABLES)
    True
    """
    Lx, D, nl = model.Lx, model.spin_space_dimension, model.spin_dim ** model.N
    r4 = np.asarray(rho).reshape(Lx, D, Lx, D)
    flat = spin_density_matrix(rho, model)[None]
    trace = float(np.trace(flat[0]).real)
    rho_orb = np.einsum("xcyc->xy", r4)
    rho_e = np.einsum("xsayta->xsyt", r4.reshape(Lx, 2, nl, Lx, 2, nl))
    out = {"norm": np.sqrt([trace]),
           "probabilities": flat.diagonal(axis1=1, axis2=2).real.copy(),
           "density": rho_orb.diagonal().real[None].copy()}
    bloch, rho_l = spin_side(flat, out["probabilities"],
                             (0.5,) + (model.S,) * model.N, trace_first=True)
    out["electron_spin"], out["local_spin"] = bloch[:, 0], bloch[:, 1:]
    out["purity_orbital"] = np.array([np.vdot(rho_orb, rho_orb).real])
    out["purity_local"], out["entropy_local"] = mixedness(rho_l)
    out["total_sz"] = out["probabilities"] @ (2 * model.sector_labels)
    out["purity_electron"] = np.array([np.vdot(rho_e, rho_e).real])
    out["energy"] = np.array([energy]) / trace
    return {key: value[0] if value.ndim > 1 else float(value[0])
            for key, value in out.items()}


def _all_columns(A, columns, D):
    """``(..., D)`` amplitudes with ``A``'s columns at ``columns`` and zeros
    elsewhere: one gather (:func:`numpy.take`: one pass over the output,
    where scattering into zeros makes two), then the few absent columns
    cleared."""
    position = np.zeros(D, dtype=np.intp)
    position[columns] = np.arange(len(columns))
    full = np.take(A, position, axis=-1)
    absent = np.ones(D, dtype=bool)
    absent[columns] = False
    full[..., absent] = 0.0
    return full
