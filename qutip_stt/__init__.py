"""qutip-stt: quantum spin-transfer torque in QuTiP.

An electron wave packet on a tight-binding chain scatters off an XXZ chain of
quantum local spins (Mondal, Bajpai, Petrovic, Plechac, Nikolic,
Phys. Rev. B 99, 094431 (2019)). The model is built as QuTiP ``Qobj``; the
whole electron + local-spins state is evolved exactly and analysed with
reduced density matrices.

Main entry points: :class:`~qutip_stt.model.STTModel`,
:func:`~qutip_stt.states.initial_state`, :func:`~qutip_stt.solvers.evolve`,
several electrons at once (:class:`~qutip_stt.model.ManyElectronModel`,
:func:`~qutip_stt.states.many_electron_state`),
:func:`~qutip_stt.simulation.simulate`, the electron trains
(:func:`~qutip_stt.trains.electron_channel`) and the S-matrix
(:func:`~qutip_stt.scattering.scattering_matrix`). The subpackages are the
concepts: :mod:`~qutip_stt.model`, :mod:`~qutip_stt.states`,
:mod:`~qutip_stt.measures`, :mod:`~qutip_stt.solvers`,
:mod:`~qutip_stt.config`, :mod:`~qutip_stt.trains`,
:mod:`~qutip_stt.scattering`, :mod:`~qutip_stt.io`,
:mod:`~qutip_stt.viz`, :mod:`~qutip_stt.sweep`, :mod:`~qutip_stt.paper`.

Names load on first use (PEP 562), so ``import qutip_stt`` alone (what
``qutip.about()`` and ``qutip-stt --help`` do) loads neither QuTiP's solvers
nor h5py nor matplotlib. When QuTiP is already imported, the Crank-Nicolson
integrator is registered with :class:`qutip.SESolver` at once, so that
``qutip.sesolve(..., options={"method": "crank-nicolson"})`` works right
after ``import qutip_stt``.
"""

import sys

from . import _startup

if _startup.is_command_line():   # the qutip-stt command: one line on a signal
    _startup.install()

from ._util.lazy import attach  # noqa: E402
from ._version import __version__  # noqa: E402

__getattr__, __dir__, _public = attach(__name__, {
    "constants": ["HBAR_EV_FS", "K_B_EV_PER_K"],
    "errors": ["ConfigError", "ConfigTypeError"],
    "model": ["STTModel", "ManyElectronModel", "OpenSTTModel", "Bath",
              "spin_operators",
              "PAPER_PARAMETERS", "MACROSPIN_PARAMETERS", "reflection_times"],
    "states": ["wave_packet", "spinor", "spin_coherent", "local_spins_state",
               "initial_state", "many_electron_state", "ManyElectronState",
               "SectorState"],
    "solvers": ["evolve", "STTResult", "METHODS", "ReflectionWarning",
                "register_method"],
    "measures": ["reduced_density_matrix", "bloch_vector", "purity",
                 "spin_probabilities", "electron_density", "snapshot"],
    "config": ["load_config", "resolve_config", "preset", "PRESETS"],
    "simulation": ["simulate", "build"],
    "io": ["write_result", "read_result"],
    "trains": ["electron_channel", "train"],
    "scattering": ["scattering_matrix"],
}, modules=("sweep", "paper", "viz", "family"))

__all__ = ["__version__", *_public]


def __dir__():
    return list(__all__)


if "qutip" in sys.modules:
    from .solvers import crank_nicolson  # noqa: F401,E402  (registers it)
