r"""Quantum-information kernels on density matrices: one implementation each.

Pure functions of NumPy density matrices, each computed for a whole stack
``(..., d, d)`` at once (one LAPACK call per measure) and equal to QuTiP's
own function where QuTiP has one (tested to 1e-10 in
``tests/test_quantum_info.py``):

- :func:`partial_trace`: as :meth:`qutip.Qobj.ptrace`;
- :func:`entropies`: ``-Tr rho ln rho``, as :func:`qutip.entropy_vn`
  (eigenvalues below :data:`ENTROPY_CUTOFF` count as the cutoff, as there);
- :func:`purities`: ``Tr rho^2``;
- :func:`mutual_information`: ``S(rho_a) + S(rho_b) - S(rho_ab)``, as
  :func:`qutip.entropy_mutual`;
- :func:`concurrences`: Wootters, two spin-1/2, as :func:`qutip.concurrence`;
- :func:`log_negativity`: ``log2 ||rho^{T_b}||_1`` in bits, as
  :func:`qutip.negativity` with ``logarithmic=True``;
- :func:`correlation`: ``<Sigma_a . Sigma_b> - <Sigma_a> . <Sigma_b>`` with
  ``Sigma = 2 jmat(S)``;
- :func:`bloch_vectors`: ``Tr rho_n Sigma`` of every spin of a register.

:func:`entropy` and :func:`concurrence` are the one-matrix forms. Everything
built from amplitudes instead of density matrices (pair density matrices,
block entropies, the measures of chosen pairs) is
:mod:`qutip_stt.measures.amplitudes`; the one reducer of an evolution is
:mod:`qutip_stt.measures.reducer`.
"""

import math
import string

import numpy as np

from ..errors import ConfigError
from ..model.operators import dense_spin_operators

__all__ = ["ENTROPY_CUTOFF", "partial_trace", "entropies", "entropy",
           "purities", "mutual_information", "concurrences", "concurrence",
           "log_negativity", "correlation", "bloch_vectors"]

#: Eigenvalues below this count as this in :func:`entropies`, as in
#: :func:`qutip.entropy_vn` (so a pure state's entropy is ~4e-16 per zero
#: eigenvalue, not exactly 0).
ENTROPY_CUTOFF = 1e-17

_YY = np.kron(np.array([[0, -1j], [1j, 0]]), np.array([[0, -1j], [1j, 0]]))


def partial_trace(rho, dims, keep):
    """Reduced density matrices of the subsystems ``keep``, like :meth:`qutip.Qobj.ptrace`.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(..., D, D)`` density matrices of subsystems of dimensions
        ``dims`` (``D = prod(dims)``), tensor order.
    dims : sequence of int
        Dimension of every subsystem.
    keep : sequence of int
        Subsystems to keep, in increasing order.

    Returns
    -------
    numpy.ndarray
        ``(..., d_keep, d_keep)`` with ``d_keep`` the product of the kept
        dimensions, in the order of ``keep``.

    Examples
    --------
    >>> rho = np.eye(4)[None] / 4
    >>> partial_trace(rho, [2, 2], [1])[0].real
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    dims = [int(d) for d in dims]
    keep = [int(k) for k in keep]
    n = len(dims)
    if sorted(set(keep)) != keep or not all(0 <= k < n for k in keep):
        raise ConfigError("keep", f"expected increasing subsystem indices "
                          f"0..{n - 1}, got {keep}")
    lead = rho.shape[:-2]
    size = math.prod(dims[k] for k in keep)
    letters = string.ascii_letters
    row = letters[:n]
    col = [letters[n + i] if i in keep else row[i] for i in range(n)]
    expr = ("..." + row + "".join(col) + "->..."
            + "".join(row[i] for i in keep) + "".join(col[i] for i in keep))
    r = rho.reshape(lead + tuple(dims) * 2)
    return np.einsum(expr, r).reshape(lead + (size, size))


def entropies(rho):
    """Von Neumann entropies ``-Tr rho ln rho`` (nats) of a stack of density matrices.

    As :func:`qutip.entropy_vn`: eigenvalues below :data:`ENTROPY_CUTOFF`
    count as the cutoff.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(..., d, d)`` Hermitian.

    Returns
    -------
    numpy.ndarray
        Shape ``rho.shape[:-2]``.

    Examples
    --------
    >>> entropies(np.array([np.eye(2) / 2, [[1.0, 0.0], [0.0, 0.0]]])).round(6)
    array([0.693147, 0.      ])
    """
    if rho.shape[-1] == 0:
        return np.zeros(rho.shape[:-2])
    vals = np.linalg.eigvalsh(rho)
    vals = np.where(vals < ENTROPY_CUTOFF, ENTROPY_CUTOFF, vals)
    return -np.sum(vals * np.log(vals), axis=-1)


def entropy(rho, base=math.e):
    """Von Neumann entropy of one density matrix (as :func:`qutip.entropy_vn`).

    Parameters
    ----------
    rho : numpy.ndarray
        Density matrix.
    base : {e, 2}, default: e
        Logarithm base (nats or bits).

    Returns
    -------
    float

    Examples
    --------
    >>> round(entropy(np.eye(2) / 2, base=2), 12)
    1.0
    """
    return float(entropies(np.asarray(rho)[None])[0]) / math.log(base)


def purities(rho):
    """``Tr rho^2`` of each density matrix of a stack (1 for a pure state).

    Parameters
    ----------
    rho : numpy.ndarray
        ``(..., d, d)``.

    Returns
    -------
    numpy.ndarray
        Shape ``rho.shape[:-2]``.

    Examples
    --------
    >>> purities(np.array([np.eye(2) / 2]))
    array([0.5])
    """
    return (rho.real ** 2 + rho.imag ** 2).sum(axis=(-2, -1))


def _pair_sides(rho, da, db):
    """Both one-spin density matrices of a stack of pair matrices."""
    return (partial_trace(rho, [da, db], [0]),
            partial_trace(rho, [da, db], [1]))


def mutual_information(rho, da, db, base=math.e):
    """``I = S(rho_a) + S(rho_b) - S(rho_ab)`` of pair density matrices.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(da db, da db)`` density matrix, ``a`` first, or a stack
        ``(..., da db, da db)``.
    da, db : int
        Dimensions of the two spins.
    base : {e, 2}, default: e

    Returns
    -------
    float or numpy.ndarray
        One value per matrix.

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]).T / np.sqrt(2)
    >>> round(float(mutual_information(bell @ bell.T, 2, 2, base=2)), 12)
    2.0
    """
    rho = np.asarray(rho)
    ra, rb = _pair_sides(rho, da, db)
    out = (entropies(ra) + entropies(rb) - entropies(rho)) / math.log(base)
    return float(out) if rho.ndim == 2 else out


def concurrences(rho):
    """Wootters' concurrence of a stack of two-spin-1/2 density matrices.

    ``C = max(0, l1 - l2 - l3 - l4)`` with ``l_k`` the decreasing singular
    values of ``sqrt(w) V^T (sigma_y x sigma_y) V sqrt(w)`` for
    ``rho = V w V^dagger``: the square roots of the eigenvalues of
    ``rho (sigma_y x sigma_y) rho^* (sigma_y x sigma_y)``, computed without
    a non-Hermitian eigenproblem.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(..., 4, 4)``.

    Returns
    -------
    numpy.ndarray
        Shape ``rho.shape[:-2]``.

    Raises
    ------
    ConfigError
        If the matrices are not 4 x 4 (concurrence needs two spin-1/2).

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]).T / np.sqrt(2)
    >>> concurrences(np.array([bell @ bell.T])).round(12)
    array([1.])
    """
    rho = np.asarray(rho)
    if rho.shape[-2:] != (4, 4):
        raise ConfigError("concurrence", f"defined for two spin-1/2 (a 4 x 4 "
                          f"density matrix), got shape {rho.shape[-2:]}")
    w, v = np.linalg.eigh(rho)
    f = v * np.sqrt(np.clip(w, 0, None))[..., None, :]
    tau = np.swapaxes(f, -1, -2) @ _YY @ f
    lam = np.linalg.svd(tau, compute_uv=False)
    return np.maximum(0.0, lam[..., 0] - lam[..., 1] - lam[..., 2]
                      - lam[..., 3])


def concurrence(rho):
    """Wootters' concurrence of two spin-1/2 (as :func:`qutip.concurrence`).

    Parameters
    ----------
    rho : numpy.ndarray
        ``(4, 4)`` density matrix.

    Returns
    -------
    float

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]).T / np.sqrt(2)
    >>> round(concurrence(bell @ bell.T), 12)
    1.0
    """
    rho = np.asarray(rho)
    if rho.ndim != 2:
        raise ConfigError("concurrence", f"expected one 4 x 4 density "
                          f"matrix, got shape {rho.shape}")
    return float(concurrences(rho[None])[0])


def log_negativity(rho, da, db):
    """Logarithmic negativity ``log2 ||rho^{T_b}||_1`` in bits.

    As :func:`qutip.negativity` with ``logarithmic=True``.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(da db, da db)`` density matrix, or a stack of them.
    da, db : int

    Returns
    -------
    float or numpy.ndarray
        0 for separable states with a positive partial transpose; 1 for a
        Bell pair; ``log2(d)`` for a maximally entangled pair of ``d``
        levels.

    Examples
    --------
    >>> bell = np.array([[1, 0, 0, 1]]).T / np.sqrt(2)
    >>> round(float(log_negativity(bell @ bell.T, 2, 2)), 12)
    1.0
    """
    rho = np.asarray(rho)
    lead = rho.shape[:-2]
    pt = rho.reshape(lead + (da, db, da, db)).swapaxes(-3, -1).reshape(
        rho.shape)
    out = np.log2(np.abs(np.linalg.eigvalsh(pt)).sum(axis=-1))
    return float(out) if rho.ndim == 2 else out


def correlation(rho, Sa, Sb):
    """Connected correlator of two spins, units ``(hbar/2)^2``.

    ``C = <Sigma_a . Sigma_b> - <Sigma_a> . <Sigma_b>`` with
    ``Sigma = 2 jmat(S)``.

    Parameters
    ----------
    rho : numpy.ndarray
        Pair density matrix, ``a`` first, or a stack of them.
    Sa, Sb : float
        Spin sizes.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> singlet = np.array([[0, 1, -1, 0]]).T / np.sqrt(2)
    >>> round(float(correlation(singlet @ singlet.T, 0.5, 0.5)), 12)
    -3.0
    """
    rho = np.asarray(rho)
    sa, sb = dense_spin_operators(Sa), dense_spin_operators(Sb)
    da, db = sa.shape[1], sb.shape[1]
    r = rho.reshape(rho.shape[:-2] + (da, db, da, db))
    both = np.einsum("...ijkl,cki,clj->...", r, sa, sb).real
    va = np.einsum("...ijkj,cki->...c", r, sa).real
    vb = np.einsum("...ijil,clj->...c", r, sb).real
    out = both - np.sum(va * vb, axis=-1)
    return float(out) if rho.ndim == 2 else out


def bloch_vectors(rho, N, S):
    """``<Sigma_x,y,z>`` of every spin of ``N`` spins ``S``, units hbar/2.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(..., D, D)`` density matrices of ``N`` spins of size ``S``,
        ``D = (2S+1)^N``.
    N : int
    S : float

    Returns
    -------
    numpy.ndarray
        ``(..., N, 3)``.

    Examples
    --------
    >>> up = np.zeros((4, 4)); up[0, 0] = 1.0
    >>> bloch_vectors(up, 2, 0.5)
    array([[0., 0., 1.],
           [0., 0., 1.]])
    """
    ops = dense_spin_operators(S)
    d = ops.shape[1]
    return np.stack([np.einsum("...ij,cji->...c", partial_trace(
        rho, [d] * N, [n]), ops).real for n in range(N)], axis=-2)
