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
themselves, for any spins, are in :mod:`qutip_stt.measures.quantum_info`. See the
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

import numpy as np

from .._util.lazy import lazy_module
from .amplitudes import spin_measures
from .selection import (resolve_blocks, resolve_measures, resolve_pairs,
                        spin_sizes)

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["pair_measures", "PairRecorder"]


def pair_measures(A, model, pairs="all", blocks=False, measures="all"):
    """Pair measures between the electron spin and the local spins, and block entropies.

    The hook the evolution's reducer calls at every output time.

    Parameters
    ----------
    A : numpy.ndarray or qutip.Qobj
        ``(Lx, 2 (2S+1)^N)`` amplitudes (orbital site x spin configuration,
        the layout of :func:`qutip_stt.measures.reducer.reduce_amplitudes`), or a ket
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
    # rows: the environment of the spins (the orbital sites, or the
    # purification of a mixed state's spin density matrix)
    A = np.asarray(A).reshape(-1, model.spin_space_dimension)
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
        #: False for several electrons: the amplitudes recorded are the
        #: local spins' alone (subsystem ``n - 1`` is local spin ``n``).
        self.electron = not getattr(model, "many_electrons", False)
        self.pairs = resolve_pairs(pairs, model.N + 1, electron=self.electron)
        self.blocks = resolve_blocks(blocks, model.N + 1)
        self.measures = resolve_measures(measures, sizes, self.pairs)
        self._sizes = sizes
        self._data = []

    def record(self, A):
        """Compute and keep the measures of one state (amplitudes or ket).

        The pairs, blocks and measures were resolved once, here: a
        concurrence that ``"all"`` asked for is NaN on pairs that are not
        two spin-1/2. For several electrons ``A`` is an ``(r, (2S+1)^N)``
        amplitude matrix of the local spins alone (``A^T A^*`` their density
        matrix).
        """
        if not self.electron:
            self._data.append(spin_measures(
                A, self._sizes[1:], self.pairs - 1, self.blocks - 1,
                self.measures))
            return
        if isinstance(A, qutip.Qobj):
            A = A.full()
        # rows: the environment of the spins (the orbital sites, or the
        # purification of a mixed state's spin density matrix)
        A = np.asarray(A).reshape(-1, self.model.spin_space_dimension)
        self._data.append(spin_measures(A, self._sizes, self.pairs,
                                        self.blocks, self.measures))

    def arrays(self):
        """Index arrays and every measure stacked in time, ``(T, P)`` or ``(T, B)``."""
        out = {"pairs_index": self.pairs, "blocks_index": self.blocks}
        keys = list(self.measures) + (["block_entropy"] if len(self.blocks)
                                      else [])
        for key in keys:
            out[key] = np.array([d[key] for d in self._data]).reshape(
                len(self._data), -1)
        return out
