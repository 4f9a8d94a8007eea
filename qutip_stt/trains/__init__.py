"""Electron trains: many electrons, one after another, through the local spins.

Each electron scatters for one ``interval`` and is traced out, so the local
spins after ``n`` electrons are ``rho_n = Phi^n(rho_0)`` for the one-electron
channel ``Phi`` (:mod:`~qutip_stt.trains.channel`), a QuTiP superoperator;
:mod:`~qutip_stt.trains.iteration` applies it electron after electron,
:mod:`~qutip_stt.trains.packet` gives the free packet's kinematics (the
default interval) and :mod:`~qutip_stt.trains.run` the path of ``qutip-stt
train``. With a bath on the local spins, :mod:`~qutip_stt.trains.bath`
composes the channel with their relaxation between electrons,
:mod:`~qutip_stt.trains.steady` finds the stationary state under the current
and :mod:`~qutip_stt.trains.classical` sends the same train through
classical spins. The file is :mod:`qutip_stt.io.trains`, the figures
:mod:`qutip_stt.viz.trains`.
"""

from .._util.lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "packet": ["group_velocity", "arrival_time", "free_leftover",
               "default_interval"],
    "channel": ["ElectronChannel", "electron_channel", "LeftoverWarning",
                "channel_memory"],
    "iteration": ["TrainResult", "iterate", "electrons_needed",
                  "reversal_bound"],
    "run": ["train", "check_train_memory", "resolve_interval"],
    "bath": ["BathChannel", "with_bath", "bath_map", "free_map"],
    "steady": ["SteadyState", "steady_state", "steady_map"],
    "classical": ["classical_train"],
})
