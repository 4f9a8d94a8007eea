"""qutip-stt: quantum spin-transfer torque in QuTiP.

An electron wave packet on a tight-binding chain scatters off an XXZ chain of
quantum local spins (Mondal, Bajpai, Petrovic, Plechac, Nikolic,
Phys. Rev. B 99, 094431 (2019)). The model is built as QuTiP ``Qobj``; the
whole electron + local-spins state is evolved exactly and analysed with
reduced density matrices.

Main entry points: :class:`~qutip_stt.model.STTModel`,
:func:`~qutip_stt.states.initial_state`, :func:`~qutip_stt.solvers.evolve`,
:func:`~qutip_stt.simulation.simulate`, :mod:`qutip_stt.observables`,
:mod:`qutip_stt.spectrum`.

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

import importlib  # noqa: E402

__version__ = "0.2.0"

#: Public name -> module that defines it.
_API = {
    "HBAR_EV_FS": "constants",
    "ConfigError": "errors", "ConfigTypeError": "errors",
    "STTModel": "model", "spin_operators": "model",
    "PAPER_PARAMETERS": "model", "MACROSPIN_PARAMETERS": "model",
    "wave_packet": "states", "spinor": "states", "spin_coherent": "states",
    "local_spins_state": "states", "initial_state": "states",
    "reflection_times": "states",
    "CrankNicolson": "solvers", "evolve": "solvers", "STTResult": "solvers",
    "METHODS": "solvers", "ReflectionWarning": "solvers",
    "reduced_density_matrix": "observables", "bloch_vector": "observables",
    "purity": "observables", "spin_probabilities": "observables",
    "electron_density": "observables", "snapshot": "observables",
    "load_config": "config", "resolve_config": "config", "preset": "config",
    "PRESETS": "config",
    "simulate": "simulation", "build": "simulation",
    "write_result": "io", "read_result": "io",
}

#: Subpackages and modules reachable as attributes (``qutip_stt.spectrum``).
_MODULES = ("constants", "errors", "model", "states", "sectors",
            "observables", "reducer", "spectrum", "solvers", "config",
            "simulation",
            "resources", "io", "sweep", "paper", "viz", "family",
            "entanglement", "quantum_info")

__all__ = ["__version__", *_API, "spectrum", "observables", "sectors",
           "solvers", "io", "sweep", "paper", "viz"]


def __getattr__(name):
    if name in _API:
        value = getattr(importlib.import_module(f"{__name__}.{_API[name]}"),
                        name)
    elif name in _MODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        from ._aliases import old_module
        value = old_module(name)
        if value is None:
            raise AttributeError(
                f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


from . import _aliases  # noqa: E402  (old module names, with a warning)

_aliases.install()
if "qutip" in sys.modules:
    from .solvers import crank_nicolson  # noqa: F401,E402  (registers it)
