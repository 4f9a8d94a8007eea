"""The physics model: the Hamiltonian, its terms, sectors, bounds and spectrum.

* :mod:`~qutip_stt.model.hamiltonian`: :class:`STTModel`, Eq. (3) plus
  fields and potential as sparse QuTiP ``Qobj`` in eV;
* :mod:`~qutip_stt.model.terms`: the terms as data (:class:`Coupling`,
  :class:`Field`, fields and potentials checked), no QuTiP;
* :mod:`~qutip_stt.model.parameters`: the paper's parameter sets, no QuTiP;
* :mod:`~qutip_stt.model.operators`: spin operators ``Sigma = 2 jmat(S)``;
* :mod:`~qutip_stt.model.sectors` and
  :mod:`~qutip_stt.model.sector_blocks`: total-S^z sectors, the split of a
  ket, and the blocks of H built from the terms;
* :mod:`~qutip_stt.model.bounds`: every spectral bound (Gershgorin, the
  term-wise bounds of a sector or of H) and the sizes the package
  diagonalizes densely;
* :mod:`~qutip_stt.model.spectrum`: lowest levels and eigenstates;
* :mod:`~qutip_stt.model.reflections`: when the packet reaches the chain
  ends and their echo the spins;
* several electrons at once: :mod:`~qutip_stt.model.many_electron`
  (:class:`ManyElectronModel`), the determinant basis and its
  Jordan-Wigner signs (:mod:`~qutip_stt.model.fock`), its sectors
  (:mod:`~qutip_stt.model.fermion_sectors`), their blocks and bounds from
  the terms (:mod:`~qutip_stt.model.fermion_blocks`), QuTiP's fermions on
  the whole Fock space (:mod:`~qutip_stt.model.fermion_qobj`).
* :mod:`~qutip_stt.model.bath` (no QuTiP) and
  :mod:`~qutip_stt.model.open_model`: a bath on the local spins, its rates
  and axes, and :class:`OpenSTTModel` with its Lindblad operators.
"""

from .._util.lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "hamiltonian": ["STTModel"],
    "terms": ["Coupling", "Field", "local_fields", "potential_profile"],
    "parameters": ["PAPER_PARAMETERS", "MACROSPIN_PARAMETERS"],
    "operators": ["spin_operators"],
    "sectors": ["sector_values", "sector_indices", "sector_configurations",
                "decompose", "reassemble", "amplitude_matrix",
                "compact_amplitudes"],
    "sector_blocks": ["sector_block", "coupling_blocks", "sector_hamiltonian"],
    "bounds": ["gershgorin_bounds", "spectral_bounds", "sector_bounds",
               "hamiltonian_bounds"],
    "spectrum": ["lowest_levels", "ground_states", "xxz_levels"],
    "reflections": ["reflection_times"],
    "many_electron": ["ManyElectronModel"],
    "fermion_sectors": ["FermionSector", "FermionBlock", "sector_dimension",
                        "fermion_sector_values"],
    "fermion_blocks": ["fermion_sector_hamiltonian", "fermion_sector_bounds"],
    "fock": ["combinations", "rank", "hopping_matrix", "spin_flip_map"],
    "fermion_qobj": ["fock_hamiltonian", "fock_annihilators", "fock_ket",
                     "fock_dims"],
    "bath": ["Bath", "thermal_polarization", "matching_alpha"],
    "open_model": ["OpenSTTModel"],
})
