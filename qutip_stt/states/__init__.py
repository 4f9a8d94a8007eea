"""States: one spin, the local spins, the Eq. (4) packet and the many-body ket.

* :mod:`~qutip_stt.states.forms`: the forms a state is written in
  (directions, named local states), checked without QuTiP;
* :mod:`~qutip_stt.states.spin`: one spin's ket (spinors, spin coherent
  states);
* :mod:`~qutip_stt.states.local`: the local spins' ket (product, Néel,
  random, XXZ ground state);
* :mod:`~qutip_stt.states.packet`: the Eq. (4) packet and the initial ket
  of electron + local spins; :mod:`~qutip_stt.states.product` the same ket
  as NumPy amplitudes when its spins are directions (no QuTiP);
* :mod:`~qutip_stt.states.sector_state`: a ket held as its total-S^z
  sector pieces (large ``N`` from a collinear start);
* several electrons: :mod:`~qutip_stt.states.orbitals` (lead orbitals,
  packets, spinors, the Pauli check; NumPy only) and
  :mod:`~qutip_stt.states.fermions` (the Slater determinant times the local
  spins, by sector).

The names below load on first use, so ``from qutip_stt.states import
parse_direction`` imports no QuTiP.
"""

from .._util.lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "forms": ["DIRECTIONS", "LOCAL_STATES", "parse_direction",
              "opposite_direction"],
    "spin": ["spin_state", "spinor", "spin_coherent", "coherent_amplitudes"],
    "product": ["product_amplitudes"],
    "local": ["local_spins_state", "local_state", "neel_state",
              "random_product_state", "xxz_ground_state", "local_factors"],
    "sector_state": ["SectorState", "sector_initial_state", "start_sectors"],
    "packet": ["wave_packet", "initial_state"],
    "orbitals": ["lead_orbitals", "packet_amplitudes", "check_independent"],
    "fermions": ["ManyElectronState", "many_electron_state", "slater_state",
                 "start_sectors"],
})
