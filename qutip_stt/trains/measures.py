r"""Observables of the local spins, for a whole stack of density matrices at once.

Every function takes ``rho`` of shape ``(K+1, D, D)`` (one density matrix of
the ``N`` local spins per electron number, ``D = (2S+1)^N``, QuTiP basis
order) and follows the definition of the QuTiP function named in its
docstring, which the tests use as the reference on every ``n``. Batched
numpy makes 1,000 electrons cost milliseconds instead of seconds of per-state
``Qobj`` calls. Entropies use the natural log.
"""

import itertools

import numpy as np

from ..model import spin_operators

__all__ = ["reduce_to", "bloch_vectors", "purities", "entropies",
           "concurrences", "mutual_informations", "all_pairs"]


def reduce_to(rho, N, d, keep):
    """Partial trace keeping local spins ``keep`` (0-based, increasing), like :meth:`qutip.Qobj.ptrace`.

    Parameters
    ----------
    rho : numpy.ndarray
        ``(K, D, D)``.
    N, d : int
        Number of spins and dimension of each.
    keep : sequence of int

    Returns
    -------
    numpy.ndarray
        ``(K, d^len(keep), d^len(keep))``.

    Examples
    --------
    >>> rho = np.eye(4)[None] / 4
    >>> reduce_to(rho, 2, 2, [1])[0].real
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    K = rho.shape[0]
    r = rho.reshape((K,) + (d,) * (2 * N))
    keep = list(keep)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    row = [letters[i] for i in range(N)]
    col = [letters[N + i] if i in keep else letters[i] for i in range(N)]
    out = "Z" + "".join(row[i] for i in keep) + "".join(col[i] for i in keep)
    expr = "Z" + "".join(row) + "".join(col) + "->" + out
    m = d ** len(keep)
    return np.einsum(expr, r).reshape(K, m, m)


def bloch_vectors(rho, N, S):
    """``<Sigma_x,y,z>`` of every local spin, units hbar/2 (``Sigma = 2 jmat(S)``).

    Returns
    -------
    numpy.ndarray
        ``(K, N, 3)``.
    """
    d = int(round(2 * S)) + 1
    ops = [op.full() for op in spin_operators(S)]
    out = np.empty((rho.shape[0], N, 3))
    for n in range(N):
        r = reduce_to(rho, N, d, [n])
        for c, op in enumerate(ops):
            out[:, n, c] = np.einsum("kij,ji->k", r, op).real
    return out


def purities(rho):
    """``Tr rho^2`` of each matrix (as :func:`qutip_stt.observables.purity`).

    Returns
    -------
    numpy.ndarray
        ``(K,)``.
    """
    return np.einsum("kij,kji->k", rho, rho).real


def entropies(rho):
    """Von Neumann entropy of each matrix, natural log (as :func:`qutip.entropy_vn`).

    Returns
    -------
    numpy.ndarray
        ``(K,)``.
    """
    vals = np.linalg.eigvalsh(0.5 * (rho + rho.conj().transpose(0, 2, 1)))
    vals = np.where(vals > 0, vals, 1.0)      # 0 log 0 = 0
    return -np.sum(vals * np.log(vals), axis=1)


def all_pairs(N):
    """Every pair ``(i, j)``, ``1 <= i < j <= N``, of local spins (numbered from 1).

    Examples
    --------
    >>> all_pairs(3).tolist()
    [[1, 2], [1, 3], [2, 3]]
    """
    return np.array(list(itertools.combinations(range(1, N + 1), 2)),
                    dtype=int).reshape(-1, 2)


def concurrences(rho, N, pairs):
    """Wootters concurrence of each pair of spin-1/2 (as :func:`qutip.concurrence`).

    Parameters
    ----------
    rho : numpy.ndarray
        ``(K, 2^N, 2^N)``.
    N : int
    pairs : array_like
        ``(P, 2)`` local-spin numbers from 1.

    Returns
    -------
    numpy.ndarray
        ``(K, P)``.
    """
    yy = np.kron([[0, -1j], [1j, 0]], [[0, -1j], [1j, 0]])
    out = np.empty((rho.shape[0], len(pairs)))
    for p, (i, j) in enumerate(pairs):
        r = reduce_to(rho, N, 2, [i - 1, j - 1])
        tilde = r @ yy @ r.conj() @ yy
        ev = np.sqrt(np.abs(np.sort(np.linalg.eigvals(tilde).real, axis=1)))
        out[:, p] = np.maximum(0, ev[:, 3] - ev[:, 2] - ev[:, 1] - ev[:, 0])
    return out


def mutual_informations(rho, N, S, pairs):
    """Mutual information ``S_i + S_j - S_ij`` of each pair, natural log (as :func:`qutip.entropy_mutual`).

    Returns
    -------
    numpy.ndarray
        ``(K, P)``.
    """
    d = int(round(2 * S)) + 1
    single = [entropies(reduce_to(rho, N, d, [n])) for n in range(N)]
    out = np.empty((rho.shape[0], len(pairs)))
    for p, (i, j) in enumerate(pairs):
        joint = entropies(reduce_to(rho, N, d, [i - 1, j - 1]))
        out[:, p] = single[i - 1] + single[j - 1] - joint
    return out
