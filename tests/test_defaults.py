"""Defaults that follow the model: one definition of the packet's centre."""

import warnings

import numpy as np
import pytest
import qutip

import qutip_stt as stt
from qutip_stt.config import resolve_config
from qutip_stt.model.parameters import default_x0
from qutip_stt.model.reflections import reflection_times
from qutip_stt.simulation import build


@pytest.mark.parametrize("Lx, N", [(100, 3), (60, 1), (400, 5), (31, 2)])
def test_initial_state_without_x0_is_the_configs_start(Lx, N):
    """``initial_state(model)`` = the start a config of the same chain builds."""
    cfg = resolve_config({"chain": {"length": Lx},
                          "local_spins": {"count": N},
                          "evolution": {"t_max": 0, "n_times": 1}})
    _, psi0, _ = build(cfg)
    assert cfg["electron"]["x0"] == default_x0(Lx) == 0.4 * Lx
    mine = stt.initial_state(stt.STTModel(Lx=Lx, N=N))
    assert (mine - psi0).norm() < 1e-15


def test_the_packet_centre_defaults_to_0_4_Lx_everywhere():
    psi = stt.wave_packet(100).full().ravel()
    assert int(np.argmax(abs(psi))) == 40
    # a packet that starts at 0.4 Lx: on the paper's chain the old fixed
    # 160, on a short chain inside it
    assert reflection_times(400) == reflection_times(400, x0=160.0)
    model = stt.STTModel(Lx=60, N=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # a short chain: leftover
        channel = stt.trains.electron_channel(model, 20.0, k=1.0, dk=0.4)
        fixed = stt.trains.electron_channel(model, 20.0, k=1.0, dk=0.4,
                                            x0=24.0)
    rho = qutip.ket2dm(qutip.basis(2, 0))
    assert (channel(rho) - fixed(rho)).norm() < 1e-14


def test_an_explicit_centre_outside_the_chain_is_refused_naming_x0():
    with pytest.raises(stt.errors.ConfigError, match="^x0: "):
        stt.initial_state(stt.STTModel(Lx=100, N=1), x0=160)
