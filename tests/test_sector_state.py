"""A state held as its total-S^z sectors (SectorState): large N from the front door."""

import warnings

import numpy as np
import pytest

import qutip_stt as stt
from qutip_stt._util import resources
from qutip_stt.errors import ConfigError
from qutip_stt.measures.reducer import OBSERVABLES

TIMES = np.linspace(0.0, 100.0, 11)


def _quiet_evolve(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stt.ReflectionWarning)
        return stt.evolve(*args, **kwargs)


@pytest.mark.parametrize("start", [dict(electron="-z", local="+z"),
                                   dict(electron="+x",
                                        local=["+z", "-z", "+z"]),
                                   dict(electron={"theta": 60, "phi": 30},
                                        local={"theta": 40})])
def test_sector_state_equals_the_full_ket(start):
    """Every observable of evolve from the SectorState of a model without
    the full space (its populated configurations' m values only) equals the
    Qobj run on the full space."""
    full = stt.STTModel(Lx=60, N=3)
    sec = stt.STTModel(Lx=60, N=3, full_space=False)
    psi = stt.initial_state(full, x0=20, k=1.0, dk=0.3, **start)
    state = stt.initial_state(sec, x0=20, k=1.0, dk=0.3, **start)
    assert isinstance(state, stt.SectorState)
    assert (state.to_qobj() - psi).norm() < 1e-15
    r_full = _quiet_evolve(full, psi, TIMES)
    r_sec = _quiet_evolve(sec, state, TIMES)
    columns = [int(np.flatnonzero(np.all(full.spin_configurations == c,
                                          axis=1))[0])
               for c in r_sec.configurations]
    for key in OBSERVABLES:
        ref = getattr(r_full, key)
        if key == "probabilities":
            ref = ref[:, columns]
        assert np.max(np.abs(getattr(r_sec, key) - ref)) < 1e-12, key
    # the populated configurations carry all the probability
    assert np.allclose(r_sec.probabilities.sum(axis=1), 1.0, atol=1e-12)


def test_sector_state_of_a_full_model_and_other_methods():
    """sectors=True on a full model gives the same pieces; a method on the
    full space evolves its Qobj; stored states are SectorStates."""
    model = stt.STTModel(Lx=40, N=2)
    state = stt.initial_state(model, x0=12, k=1.0, dk=0.4, electron="+x",
                              sectors=True)
    ket = stt.initial_state(model, x0=12, k=1.0, dk=0.4, electron="+x")
    a = _quiet_evolve(model, state, TIMES[:3], "sesolve")
    b = _quiet_evolve(model, ket, TIMES[:3], "sesolve")
    assert np.max(np.abs(a.local_spin - b.local_spin)) < 1e-12
    sec = stt.STTModel(Lx=40, N=2, full_space=False)
    r = _quiet_evolve(sec, stt.initial_state(sec, x0=12, k=1.0, dk=0.4),
                      TIMES[:3], store_states=True)
    assert all(isinstance(s, stt.SectorState) for s in r.states)
    assert abs(r.states[-1].norm() - 1) < 1e-12


def test_large_n_start_without_the_full_space():
    model = stt.STTModel(Lx=4000, N=50, full_space=False)
    state = stt.initial_state(model, x0=1900, k=1.0, dk=0.1)
    assert state.sizes == {24.5: 204_000}
    assert abs(state.norm() - 1) < 1e-12
    with pytest.raises(ConfigError, match=r"^N: the full space of dimension"):
        state.to_qobj()
    with pytest.raises(ConfigError, match=r"^local: local spin 1 is not "
                                          r"along \+z or -z"):
        stt.initial_state(model, x0=1900, local="+x")
    with pytest.raises(ConfigError, match=r"^evolution.method|^N"):
        stt.evolve(model, state, [0, 1], "sesolve")


def test_constructors_check_memory_first(monkeypatch):
    """One line naming the parameter, before anything is allocated."""
    monkeypatch.setattr(resources, "available_memory", lambda: 2 ** 20)
    model = stt.STTModel(Lx=400, N=10)
    with pytest.raises(ConfigError, match=r"^N: the full-space ket of "
                                          r"dimension 819,200 needs about"):
        stt.initial_state(model)
    with pytest.raises(ConfigError, match=r"^N: the local spins' ket"):
        stt.local_spins_state(stt.STTModel(Lx=400, N=16, full_space=False),
                              "+z")
    big = stt.STTModel(Lx=4000, N=50, full_space=False)
    with pytest.raises(ConfigError, match=r"^N: the total-S\^z sector 24.5"):
        stt.initial_state(big, x0=1900)
    from qutip_stt.config import resolve_config
    from qutip_stt.simulation import check_memory
    cfg = resolve_config({"chain": {"length": 4000},
                          "local_spins": {"count": 50}})
    with pytest.raises(ConfigError, match=r"^chain.length: the run in the "
                                          r"total-S\^z sectors 24.5 "
                                          r"\(204,000 states\) needs about"):
        check_memory(cfg)
    cfg = resolve_config({"chain": {"length": 60},
                          "local_spins": {"count": 60}})
    with pytest.raises(ConfigError, match=r"^local_spins.count: the run"):
        check_memory(cfg)


def _internal_one_flip(model, times, x0, k, dk):
    """The benchmark's internal route (benchmarks/bench_speed.py one_flip):
    the one-flip sector's propagator from its coupling blocks, <Sigma^z_n>
    from the configuration probabilities."""
    from qutip_stt.model.sector_blocks import coupling_blocks
    from qutip_stt.model.sectors import sector_configurations
    from qutip_stt.solvers.methods.chebyshev import DEFAULT_TOL
    from qutip_stt.solvers.sector_propagators import sector_propagator
    m = 0.5 * model.N - 0.5
    mz = sector_configurations(model, m)
    prop = sector_propagator(model, (m,), DEFAULT_TOL,
                             terms={m: coupling_blocks(model, m)})
    c0 = int(np.flatnonzero((mz[:, 0] == -0.5)
                            & np.all(mz[:, 1:] == 0.5, axis=1))[0])
    psi = np.zeros((model.Lx, mz.shape[0]), dtype=complex)
    psi[:, c0] = stt.wave_packet(model.Lx, k, dk, x0).full().ravel()
    kets = prop.evolve_many(psi.ravel(), times)
    A = kets.reshape(len(times), model.Lx, -1)
    probs = np.einsum("txc,txc->tc", A.conj(), A).real
    return 2 * probs @ mz[:, 1:]


def _run_config(Lx, N, x0, t_max, n_times, tmp_path, cli=False):
    toml = (f"[chain]\nlength = {Lx}\n[local_spins]\ncount = {N}\n"
            f"[electron]\nx0 = {x0}\nk = 1.0\ndk = 0.1\n"
            f"[evolution]\nt_max = {t_max}\nn_times = {n_times}\n")
    path = tmp_path / "big.toml"
    path.write_text(toml)
    if not cli:
        from qutip_stt.config import read_config, resolve_config
        from qutip_stt.simulation import simulate
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", stt.ReflectionWarning)
            return simulate(resolve_config(read_config(str(path))))
    import subprocess
    import sys
    out = tmp_path / "big.h5"
    subprocess.run([sys.executable, "-m", "qutip_stt", "simulate", str(path),
                    "--out", str(out)], check=True, capture_output=True)
    from qutip_stt.io import read_result
    return read_result(str(out))


def test_simulate_a_collinear_start_beyond_the_full_space(tmp_path):
    """N = 30 (a full space of 2^31 x 400) runs in its one-flip sector:
    total S^z conserved, equal to the benchmark's internal sector route."""
    result = _run_config(400, 30, 150, 200.0, 21, tmp_path)
    assert result.model.full_space is False
    assert result.probabilities.shape == (21, 31)
    assert np.ptp(result.total_sz) < 1e-10
    ref = _internal_one_flip(result.model, result.times, 150, 1.0, 0.1)
    assert np.max(np.abs(result.local_spin[:, :, 2] - ref)) < 1e-10
    assert np.max(np.abs(result.local_spin[:, :, :2])) == 0


@pytest.mark.slow
def test_command_line_n50_on_4000_sites(tmp_path):
    """The README's size from the command line: N = 50, Lx = 4000."""
    data = _run_config(4000, 50, 1900, 500.0, 101, tmp_path, cli=True)
    assert np.ptp(data["total_sz"]) < 1e-10
    model = stt.STTModel(Lx=4000, N=50, full_space=False)
    ref = _internal_one_flip(model, data["times"], 1900, 1.0, 0.1)
    assert np.max(np.abs(data["local_spin"][:, :, 2] - ref)) < 1e-10
