"""qutip-stt: quantum spin-transfer torque in QuTiP.

An electron wave packet on a tight-binding chain scatters off an XXZ chain of
quantum local spins (Mondal, Bajpai, Petrovic, Plechac, Nikolic,
Phys. Rev. B 99, 094431 (2019)). The model is built as QuTiP ``Qobj``; the
whole electron + local-spins state is evolved exactly and analysed with
reduced density matrices.

Main entry points: :class:`~qutip_stt.model.STTModel`,
:func:`~qutip_stt.states.initial_state`, :func:`~qutip_stt.evolution.evolve`,
:func:`~qutip_stt.simulation.simulate`, :mod:`qutip_stt.analysis`,
:mod:`qutip_stt.spectrum`.
"""

__version__ = "0.1.0"

from .constants import HBAR_EV_FS
from .errors import ConfigError, ConfigTypeError
from .model import STTModel, spin_operators, PAPER_PARAMETERS, MACROSPIN_PARAMETERS
from .states import (wave_packet, spinor, spin_coherent, local_spins_state,
                     initial_state, reflection_times)
from .integrators import CrankNicolson
from .evolution import evolve, STTResult, METHODS
from .analysis import (reduced_density_matrix, bloch_vector, purity,
                       spin_probabilities, electron_density, snapshot)
from .config import load_config, resolve_config, preset, PRESETS
from .simulation import simulate, ReflectionWarning
from .io import write_result, read_result
from . import spectrum
from . import bloch
from . import sweep

__all__ = [
    "__version__", "HBAR_EV_FS", "ConfigError", "ConfigTypeError",
    "STTModel", "spin_operators", "PAPER_PARAMETERS", "MACROSPIN_PARAMETERS",
    "wave_packet", "spinor", "spin_coherent", "local_spins_state",
    "initial_state", "reflection_times", "CrankNicolson", "evolve",
    "STTResult", "METHODS", "reduced_density_matrix", "bloch_vector", "purity",
    "spin_probabilities", "electron_density", "snapshot", "load_config",
    "resolve_config", "preset", "PRESETS", "simulate", "ReflectionWarning",
    "write_result", "read_result", "spectrum", "bloch", "sweep",
]
