r"""Entanglement between spins: pair and block measures from the amplitudes.

The spins of the model are numbered as subsystems ``0`` (the electron spin)
and ``1 .. N`` (local spin ``n``). A state is handed over as the ``(L, D)``
amplitude matrix ``A`` (``L`` environment states, ``D = prod(d_k)`` spin
configurations in QuTiP's basis order), so that the density matrix of all
spins is ``rho = A^T A^*``; for the model ``L = Lx`` is the electron orbital
and ``D = 2 (2S+1)^N`` (the layout of the sector route). No full density
matrix is formed: the two-spin density matrix of a pair ``(i, j)`` is one
contraction of ``A`` over everything else, ``rho_ij = X X^dagger`` with
``X`` the ``(d_i d_j, L D / (d_i d_j))`` matrix of ``A`` with the axes ``i``,
``j`` moved to the front. When ``L > D`` (the paper: 400 sites, 64 spin
states) ``A`` is first replaced by the ``(D, D)`` factor ``R`` of its QR
decomposition, which has the same ``A^T A^*``.

This module chooses what is measured for the model (pairs, blocks, measures:
the ``[analysis]`` table) and records it during an evolution; the measures
themselves, for any spins, are in :mod:`qutip_stt.quantum_info`. See the
theory page, "Entanglement between spins":

``mutual_information``
    ``I(i:j) = S(rho_i) + S(rho_j) - S(rho_ij)``, natural log (nats; divide by
    ``ln 2`` for bits), as :func:`qutip.entropy_mutual`.
``concurrence``
    Wootters' concurrence of a pair of spin-1/2 (``NaN`` for larger spins),
    as :func:`qutip.concurrence`.
``log_negativity``
    ``E_N = log2 || rho_ij^{T_j} ||_1`` (base 2, so a Bell pair has 1), as
    :func:`qutip.negativity` with ``logarithmic=True``.
``correlation``
    ``<Sigma_i . Sigma_j> - <Sigma_i> . <Sigma_j>`` in units of ``(hbar/2)^2``
    (``Sigma = 2 jmat(S)``; Pauli matrices for spin 1/2).
``block_entropy``
    von Neumann entropy (nats) of a contiguous block of spins ``a .. b``,
    from the smaller of the block and its complement (a pure state's two
    sides share their non-zero spectrum).
"""

import itertools

import numpy as np
import qutip

from .errors import ConfigError, ConfigTypeError
from .quantum_info import MEASURES, spin_measures

__all__ = ["MEASURES", "resolve_pairs", "resolve_blocks", "resolve_measures",
           "spin_sizes", "pair_measures", "PairRecorder"]


def spin_sizes(model):
    """Spin size of every subsystem, ``[1/2] + [S] * N`` (electron first).

    Parameters
    ----------
    model : STTModel

    Returns
    -------
    list of float

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> spin_sizes(STTModel(Lx=10, N=2, S=1))
    [0.5, 1.0, 1.0]
    """
    return [0.5] + [model.S] * model.N


def resolve_pairs(pairs, n_spins, key="analysis.pairs"):
    """The pairs ``(i, j)``, ``i < j``, that a pair specification stands for.

    Parameters
    ----------
    pairs : {"all", "nearest", "none"} or list of (int, int)
        ``"all"``: every pair among subsystems ``0 .. n_spins-1`` (electron
        spin 0 included); ``"nearest"``: neighbouring local spins ``(n, n+1)``,
        ``n = 1 .. n_spins-2``; ``"none"``: no pair; or explicit pairs of
        distinct subsystem indices.
    n_spins : int
        Number of subsystems, ``N + 1`` for the model.
    key : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
        ``(P, 2)`` integers, each row sorted.

    Examples
    --------
    >>> resolve_pairs("nearest", 4).tolist(), resolve_pairs([[3, 1]], 4).tolist()
    ([[1, 2], [2, 3]], [[1, 3]])
    >>> resolve_pairs([[1, 5]], 4)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: analysis.pairs: pair [1, 5]: indices must be 0 (electron spin) .. 3 (local spins 1..3) and distinct
    """
    if isinstance(pairs, str):
        if pairs == "all":
            out = list(itertools.combinations(range(n_spins), 2))
        elif pairs == "nearest":
            out = [(n, n + 1) for n in range(1, n_spins - 1)]
        elif pairs == "none":
            out = []
        else:
            raise ConfigError(key, f"expected \"all\", \"nearest\", \"none\" "
                              f"or a list of [i, j] pairs, got {pairs!r}")
    elif isinstance(pairs, (list, tuple, np.ndarray)):
        out = []
        for pair in pairs:
            if (not isinstance(pair, (list, tuple, np.ndarray)) or len(pair) != 2
                    or not all(isinstance(v, (int, np.integer))
                               and not isinstance(v, bool) for v in pair)):
                raise ConfigTypeError(key, f"expected pairs [i, j] of integers,"
                                      f" got {pair!r}")
            i, j = (int(v) for v in pair)
            if not (0 <= i < n_spins and 0 <= j < n_spins) or i == j:
                raise ConfigError(key, f"pair [{pair[0]}, {pair[1]}]: indices "
                                  f"must be 0 (electron spin) .. {n_spins - 1} "
                                  f"(local spins 1..{n_spins - 1}) and distinct")
            out.append((min(i, j), max(i, j)))
    else:
        raise ConfigTypeError(key, f"expected \"all\", \"nearest\", \"none\" "
                              f"or a list of [i, j] pairs, got {pairs!r}")
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def resolve_blocks(blocks, n_spins, key="analysis.blocks"):
    """Contiguous blocks ``(a, b)`` of local spins (subsystems ``a`` to ``b``, 1-based).

    Parameters
    ----------
    blocks : bool or list of (int, int)
        ``True``: every contiguous block of the local spins ``1 .. n_spins-1``
        (the half chain ``1 .. N//2`` and the whole chain included);
        ``False``: none; or explicit ``[a, b]`` with ``1 <= a <= b``.
    n_spins : int
        Number of subsystems, ``N + 1`` for the model.
    key : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
        ``(B, 2)`` integers: first and last local spin of each block.

    Examples
    --------
    >>> resolve_blocks(True, 4).tolist()
    [[1, 1], [1, 2], [1, 3], [2, 2], [2, 3], [3, 3]]
    """
    N = n_spins - 1
    if isinstance(blocks, bool):
        out = ([(a, b) for a in range(1, N + 1) for b in range(a, N + 1)]
               if blocks else [])
    elif isinstance(blocks, (list, tuple, np.ndarray)):
        out = []
        for block in blocks:
            if (not isinstance(block, (list, tuple, np.ndarray))
                    or len(block) != 2 or not all(
                        isinstance(v, (int, np.integer))
                        and not isinstance(v, bool) for v in block)):
                raise ConfigTypeError(key, f"expected [first, last] local "
                                      f"spins, got {block!r}")
            a, b = (int(v) for v in block)
            if not 1 <= a <= b <= N:
                raise ConfigError(key, f"block [{a}, {b}]: expected "
                                  f"1 <= first <= last <= {N}")
            out.append((a, b))
    else:
        raise ConfigTypeError(key, f"expected true, false or a list of "
                              f"[first, last] blocks, got {blocks!r}")
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def resolve_measures(measures, sizes, pairs, key="analysis.measures"):
    """Check a list of pair measures against the spins of the pairs.

    Parameters
    ----------
    measures : "all" or list of str
        Names from :data:`MEASURES`. ``"all"`` stores concurrence as ``NaN``
        where it is undefined; naming ``"concurrence"`` explicitly for a pair
        that is not two spin-1/2 is an error.
    sizes : list of float
        Spin size of each subsystem (:func:`spin_sizes`).
    pairs : numpy.ndarray
        ``(P, 2)`` from :func:`resolve_pairs`.
    key : str
        Name used in error messages.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> resolve_measures(["concurrence"], [0.5, 1.0], [[0, 1]])
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: analysis.measures: concurrence is defined for two spin-1/2 only; pair [0, 1] has spins 1/2 and 1.0 (use "all" to store NaN there)
    """
    if isinstance(measures, str) and measures == "all":
        return MEASURES
    if not isinstance(measures, (list, tuple)) or not all(
            isinstance(m, str) for m in measures):
        raise ConfigTypeError(key, "expected \"all\" or a list of "
                              + ", ".join(MEASURES) + f", got {measures!r}")
    for m in measures:
        if m not in MEASURES:
            raise ConfigError(key, f"unknown measure {m!r}; allowed: "
                              + ", ".join(MEASURES))
    if "concurrence" in measures:
        for i, j in np.asarray(pairs).reshape(-1, 2):
            if sizes[i] != 0.5 or sizes[j] != 0.5:
                raise ConfigError(
                    key, f"concurrence is defined for two spin-1/2 only; pair "
                    f"[{i}, {j}] has spins {_spin_text(sizes[i])} and "
                    f"{_spin_text(sizes[j])} (use \"all\" to store NaN there)")
    return tuple(m for m in MEASURES if m in measures)


def _spin_text(s):
    return "1/2" if s == 0.5 else repr(float(s))


def pair_measures(A, model, pairs="all", blocks=False, measures="all"):
    """Pair measures between the electron spin and the local spins, and block entropies.

    The hook the evolution's reducer calls at every output time.

    Parameters
    ----------
    A : numpy.ndarray or qutip.Qobj
        ``(Lx, 2 (2S+1)^N)`` amplitudes (orbital site x spin configuration,
        the layout of :func:`qutip_stt.reducer.reduce_amplitudes`), or a ket
        with the model's dims.
    model : STTModel
    pairs : {"all", "nearest", "none"} or list of (int, int), default: "all"
        See :func:`resolve_pairs`; 0 is the electron spin, ``n`` local spin n.
    blocks : bool or list of (int, int), default: False
        Contiguous blocks of local spins, see :func:`resolve_blocks`.
    measures : "all" or list of str, default: "all"
        See :func:`resolve_measures`.

    Returns
    -------
    dict
        ``{measure: (P,) array}`` and ``"block_entropy"`` ``(B,)`` as
        :func:`spin_measures`; mutual information and entropies in nats,
        log-negativity in bits, correlation in ``(hbar/2)^2``.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=3)
    >>> out = pair_measures(initial_state(model, x0=10), model, blocks=True)
    >>> out["mutual_information"].shape, out["block_entropy"].shape
    ((6,), (6,))
    """
    if isinstance(A, qutip.Qobj):
        A = A.full()
    A = np.asarray(A).reshape(model.Lx, model.spin_space_dimension)
    sizes = spin_sizes(model)
    pairs = resolve_pairs(pairs, model.N + 1)
    return spin_measures(A, sizes, pairs, resolve_blocks(blocks, model.N + 1),
                         resolve_measures(measures, sizes, pairs))


class PairRecorder:
    """Collects :func:`pair_measures` at each output time of an evolution.

    The evolution routes call :meth:`record` with the amplitudes of every
    output state; :meth:`arrays` stacks them with the time first.

    Parameters
    ----------
    model : STTModel
    pairs, blocks, measures
        As :func:`pair_measures`; checked once here.

    Attributes
    ----------
    pairs : numpy.ndarray
        ``(P, 2)`` subsystem indices (0 electron spin, n local spin n).
    blocks : numpy.ndarray
        ``(B, 2)`` first and last local spin of each block.
    measures : tuple of str

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> rec = PairRecorder(model, pairs="all", blocks=True)
    >>> rec.record(initial_state(model, x0=10))
    >>> out = rec.arrays()
    >>> out["pairs_index"].tolist(), out["mutual_information"].shape
    ([[0, 1], [0, 2], [1, 2]], (1, 3))
    """

    def __init__(self, model, pairs="all", blocks=False, measures="all"):
        self.model = model
        sizes = spin_sizes(model)
        self.pairs = resolve_pairs(pairs, model.N + 1)
        self.blocks = resolve_blocks(blocks, model.N + 1)
        self.measures = resolve_measures(measures, sizes, self.pairs)
        self._data = []

    def record(self, A):
        """Compute and keep the measures of one state (amplitudes or ket)."""
        self._data.append(pair_measures(A, self.model, self.pairs, self.blocks,
                                        self.measures))

    def arrays(self):
        """Index arrays and every measure stacked in time, ``(T, P)`` or ``(T, B)``."""
        out = {"pairs_index": self.pairs, "blocks_index": self.blocks}
        keys = list(self.measures) + (["block_entropy"] if len(self.blocks)
                                      else [])
        for key in keys:
            out[key] = np.array([d[key] for d in self._data]).reshape(
                len(self._data), -1)
        return out
