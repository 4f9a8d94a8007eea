"""Initial states of the local spins beyond product states, and the [analysis] table.

Independent routes: the XXZ spectrum (spectrum.xxz_levels, the Fig. 2(a)
levels quoted in docs/theory.md), exact conservation laws of H (norm and
total S^z), and the command line's one-line errors.
"""

import subprocess
import sys

import h5py
import numpy as np
import pytest
import qutip

import qutip_stt as stt
from qutip_stt.config import load_config, resolve_config, to_toml
from qutip_stt.states import (local_state, neel_state, random_product_state,
                              xxz_ground_state)


def _sz_of_each(model, psi):
    sz = stt.spin_operators(model.S)[2]
    return [qutip.expect(qutip.tensor([sz if k == n else qutip.qeye(model.spin_dim)
                                       for k in range(model.N)]), psi)
            for n in range(model.N)]


def test_ground_state_reproduces_fig2a_levels():
    """Paper N = 5: lowest XXZ levels -0.402000, -0.400401, -0.399603 (x2 each)."""
    model = stt.STTModel(Lx=10, N=5)
    energies = []
    for m in (2.5, 1.5, 0.5, -0.5, -1.5, -2.5):
        psi, e = xxz_ground_state(model, m, return_energy=True)
        assert abs(qutip.expect(model.xxz_chain, psi) - e) < 1e-13
        assert abs(sum(_sz_of_each(model, psi)) - 2 * m) < 1e-12
        energies.append(e)
    assert np.round(sorted(energies), 6).tolist() == [
        -0.402, -0.402, -0.400401, -0.400401, -0.399603, -0.399603]
    assert np.allclose(sorted(energies), stt.model.spectrum.xxz_levels(model, 6),
                       atol=1e-12)
    # lowest overall: the degenerate m = +-5/2 pair, the largest m is taken
    psi, e = xxz_ground_state(model, return_energy=True)
    assert e == pytest.approx(-0.402, abs=1e-12)
    assert np.allclose(_sz_of_each(model, psi), 1.0)


def test_antiferromagnetic_ground_state_is_the_lowest_level():
    model = stt.STTModel(Lx=10, N=4, J=-0.1, Jz=-0.1)
    psi, e = xxz_ground_state(model, return_energy=True)
    assert e == pytest.approx(stt.model.spectrum.xxz_levels(model, 1)[0], abs=1e-12)
    assert abs(sum(_sz_of_each(model, psi))) < 1e-12     # a singlet


def test_neel_random_and_list_states():
    model = stt.STTModel(Lx=10, N=4, S=1.5)
    assert np.allclose(_sz_of_each(model, neel_state(model)), [3, -3, 3, -3])
    tilted = neel_state(model, {"theta": 90, "phi": 0})
    sx = stt.spin_operators(1.5)[0]
    first = qutip.tensor([sx] + [qutip.qeye(4)] * 3)
    assert qutip.expect(first, tilted) == pytest.approx(3.0)
    a, b = random_product_state(model, 3), random_product_state(model, 4)
    assert (a - random_product_state(model, 3)).norm() == 0
    assert (a - b).norm() > 0.1
    for n in range(model.N):                  # a product of coherent states
        rho = a.ptrace(n)
        assert np.linalg.norm(stt.bloch_vector(rho, 1.5)) == pytest.approx(3.0)
    listed = local_state(model, ["+z", "-z", {"theta": 90}, {"theta": 90, "phi": 90}])
    assert np.allclose(_sz_of_each(model, listed)[:2], [3, -3])
    ket = qutip.rand_ket([4] * 4, seed=1)
    assert (local_state(model, ket) - ket).norm() < 1e-14


@pytest.mark.parametrize("state", ["neel", "ground"])
def test_neel_and_afm_runs_conserve_norm_and_total_sz(state):
    model = stt.STTModel(Lx=80, N=4, J=-0.1, Jz=-0.1005)
    psi0 = stt.initial_state(model, x0=30, electron="+x",
                             local=local_state(model, state))
    result = stt.evolve(model, psi0, np.linspace(0, 60, 7),
                        analysis={"pairs": "nearest", "blocks": True})
    assert np.ptp(result.norm) < 1e-12
    assert np.ptp(result.total_sz) < 1e-12
    assert np.ptp(result.energy) < 1e-12
    half = result.entanglement["blocks_index"].tolist().index([1, 2])
    if state == "ground":   # the singlet ground state is entangled from t = 0
        assert result.entanglement["block_entropy"][0, half] > 0.1
    else:
        assert abs(result.entanglement["block_entropy"][0, half]) < 1e-12


def test_config_round_trip_with_states_and_analysis(tmp_path):
    cfg = resolve_config({
        "chain": {"length": 60}, "local_spins": {
            "count": 3, "state": ["+z", {"theta": 90}, "-x"]},
        "evolution": {"t_max": 10, "n_times": 3},
        "analysis": {"pairs": [[3, 1], [0, 2]], "blocks": [[1, 2]],
                     "measures": ["mutual_information", "concurrence"]}})
    path = tmp_path / "run.toml"
    path.write_text(to_toml(cfg))
    again = load_config(path)
    assert again == cfg
    assert again["analysis"]["pairs"] == [[1, 3], [0, 2]]
    result = stt.simulate(again, warn_reflections=False)
    out = stt.write_result(tmp_path / "run.h5", result, again)
    with h5py.File(out) as f:
        assert f["pairs/index"][()].tolist() == [[1, 3], [0, 2]]
        assert f["pairs/mutual_information"].shape == (3, 2)
        assert f["pairs/mutual_information"].attrs["base"] == "e"
        assert f["pairs/concurrence"].shape == (3, 2)
        assert "pairs/log_negativity" not in f
        assert f["blocks/entropy"].shape == (3, 1)
        assert f["blocks/index"][()].tolist() == [[1, 2]]
    plain = resolve_config({"chain": {"length": 60},
                            "evolution": {"t_max": 10, "n_times": 3}})
    out = stt.write_result(tmp_path / "plain.h5",
                           stt.simulate(plain, warn_reflections=False), plain)
    with h5py.File(out) as f:
        assert "pairs" not in f and "blocks" not in f
    assert stt.read_result(out)["entanglement"] is None


@pytest.mark.parametrize("setting, key", [
    ("analysis.pairs=[[1, 6]]", "analysis.pairs"),
    ("analysis.pairs=[[2, 2]]", "analysis.pairs"),
    ('analysis.measures=["concurrence"]', "analysis.measures"),
    ('local_spins.state="afm"', "local_spins.state"),
    ("local_spins.sector=0.7", "local_spins.sector"),
    ('local_spins.state=["+z"]', "local_spins.state"),
    ("analysis.blocks=[[0, 2]]", "analysis.blocks"),
])
def test_bad_input_is_one_line_and_exit_2(setting, key, tmp_path, capsys):
    from qutip_stt.cli import main
    extra = (["--set", "local_spins.spin=1", "--set", 'analysis.pairs="all"']
             if "concurrence" in setting else [])
    code = main(["simulate", "--preset", "paper-collinear", "--out",
                 str(tmp_path / "x.h5"), "--set", setting] + extra)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and key in err, err
    assert not (tmp_path / "x.h5").exists()


def test_bad_pair_from_the_command_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "simulate", "--preset",
         "paper-collinear", "--out", str(tmp_path / "x.h5"), "--set",
         "analysis.pairs=[[1, 6]]"], capture_output=True, text=True,
        timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "analysis.pairs" in proc.stderr
    assert not (tmp_path / "x.h5").exists()
