"""Electron trains: many electrons, one after another, through the local spins.

Each electron scatters for one ``interval`` and is traced out, so the local
spins after ``n`` electrons are ``rho_n = Phi^n(rho_0)`` for the one-electron
channel ``Phi`` (:mod:`qutip_stt.trains.channel`), a QuTiP superoperator.
"""

from .packet import (group_velocity, arrival_time, free_leftover,
                     default_interval)
from .channel import (ElectronChannel, electron_channel, LeftoverWarning,
                      channel_memory)

__all__ = ["group_velocity", "arrival_time", "free_leftover",
           "default_interval", "ElectronChannel", "electron_channel",
           "LeftoverWarning", "channel_memory"]
from .iteration import TrainResult, iterate, electrons_needed, reversal_bound

__all__ += ["TrainResult", "iterate", "electrons_needed", "reversal_bound"]
from .run import train, check_train_memory, resolve_interval

__all__ += ["train", "check_train_memory", "resolve_interval"]
from .files import write_train, read_train

__all__ += ["write_train", "read_train"]
