"""Measures: from a state's amplitudes to every observable and entanglement measure.

* :mod:`~qutip_stt.measures.reducer`: **the one reducer**, amplitudes ->
  every stored observable, in NumPy (what every evolution method calls);
* :mod:`~qutip_stt.measures.observables`: the same quantities from QuTiP's
  ``ptrace``, ``expect`` and ``entropy_vn`` on a ``Qobj`` ket (public API
  and the reducer's test oracle), and the ``e_ops`` recorder for
  :func:`qutip.sesolve`;
* :mod:`~qutip_stt.measures.quantum_info`: the kernels on density matrices
  (partial trace, entropies, concurrence, mutual information,
  log-negativity, correlation), one implementation each;
* :mod:`~qutip_stt.measures.amplitudes`: pair density matrices and block
  entropies straight from amplitudes;
* :mod:`~qutip_stt.measures.selection`: which pairs, blocks and measures
  (checked without QuTiP); :mod:`~qutip_stt.measures.pairs`: their
  recording during an evolution;
* :mod:`~qutip_stt.measures.spin_reduction`: the reducer's spin side
  (Bloch vectors, purity, entropy from spin density matrices), shared with
  :mod:`~qutip_stt.measures.fermion_observables`, every observable of
  several electrons.
"""

from .._util.lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "reducer": ["reduce_amplitudes", "OBSERVABLES", "FLUSH_BELOW"],
    "observables": ["subsystem_factors", "reduced_density_matrix",
                    "bloch_vector", "purity", "spin_probabilities",
                    "electron_density", "amplitudes", "snapshot",
                    "ObservableRecorder"],
    "quantum_info": ["partial_trace", "entropies", "entropy", "purities",
                     "mutual_information", "concurrences", "concurrence",
                     "log_negativity", "correlation", "bloch_vectors"],
    "amplitudes": ["compress_amplitudes", "amplitudes_from_density_matrix",
                   "pair_density_matrix", "block_entropy", "spin_measures"],
    "selection": ["MEASURES", "spin_sizes", "resolve_pairs",
                  "resolve_blocks", "resolve_measures", "all_pairs"],
    "pairs": ["pair_measures", "PairRecorder"],
    "spin_reduction": ["spin_side", "mixedness"],
    "fermion_observables": ["reduce_fermions", "local_density_matrix"],
})
