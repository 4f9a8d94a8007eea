"""A key a command does not read is refused or named, never dropped.

Every command (simulate, train, scatter, compare-classical) reads only some
keys of a config (qutip_stt.config.usage): a key that shapes the physics
set away from its default and not read is exit 2, one line naming the key
and the command; one that only steers another command is one warning line.
Then what the physics allows is honoured: train starts from any local-spin
state, scatter from the XXZ ground state in a sector, with any electron
direction; pair measures of spins above 1/2 store NaN concurrence.
"""

import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

import qutip_stt as stt
from qutip_stt.cli.common import UnusedKeyWarning
from qutip_stt.config import check_command_keys, keys_read, resolve_config
from qutip_stt.io.trains import read_train

# short trains on short chains leave part of the electron behind: said by a
# LeftoverWarning, not what these tests look at
pytestmark = pytest.mark.filterwarnings(
    "ignore::qutip_stt.trains.channel.LeftoverWarning")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SMALL = ["--set", "chain.length=120", "--set", "local_spins.count=2"]
SIM = SMALL + ["--set", "evolution.t_max=4", "--set", "evolution.n_times=3"]
SCAT = ["--set", "local_spins.count=2", "--set",
        "scatter.k={start=0.1, stop=1.0, num=5}"]


def _errors(lines):
    return [ln for ln in lines if "warning" not in ln]


# -- physics keys not read: refused, naming the key and the command ----------
@pytest.mark.parametrize("command, extra, key", [
    ("train", SMALL + ["--electrons", "1"], "evolution.method=\"classical\""),
    ("train", SMALL + ["--electrons", "1"], "evolution.method=\"sesolve\""),
    ("train", SMALL + ["--electrons", "1"], "evolution.alpha=0.5"),
    ("train", SMALL + ["--electrons", "1"], "evolution.dt=0.05"),
    ("train", SMALL + ["--electrons", "1"], "local_spins.seed=3"),
    ("train", SMALL + ["--electrons", "1"], "local_spins.sector=0"),
    ("scatter", SCAT, "local_spins.field=0.01"),
    ("scatter", SCAT, "electron.field=0.01"),
    ("scatter", SCAT,
     "chain.potential={start=10, stop=20, height=0.1}"),
    ("scatter", SCAT, "evolution.method=\"crank-nicolson\""),
    ("scatter", SCAT, "local_spins.seed=2"),
    ("simulate", SIM, "evolution.dt=0.05"),          # auto has no step
    ("simulate", SIM, "local_spins.seed=1"),         # product state
    ("simulate", SIM, "local_spins.direction=\"-x\" "
     "--set local_spins.state=\"ground\""),
    ("compare-classical", SIM + ["--no-animation"], "local_spins.seed=1"),
])
def test_physics_key_not_read_is_refused(command, extra, key, run_cli,
                                         tmp_path):
    sets = []
    for part in key.split(" --set "):
        sets += ["--set", part]
    out = "cc" if command == "compare-classical" else "x.h5"
    code, lines = run_cli([command, "--preset", "paper-collinear", *extra,
                           *sets, "--out", out, "--quiet"])
    name = key.split("=")[0]
    errors = _errors(lines)
    assert code == 2, lines
    assert len(errors) == 1 and errors[0].startswith(
        f"qutip-stt: error: {name}: "), errors
    # alpha is refused by the config itself (it exists for "classical" only)
    assert (f"qutip-stt {command} does not read it" in errors[0]
            or "exists only for method" in errors[0]), errors
    assert not (tmp_path / "x.h5").exists()


# -- steering keys: one warning line, the run goes on -------------------------
@pytest.mark.parametrize("command, extra, key", [
    ("simulate", SIM, "train.electrons=5"),
    ("simulate", SIM, "scatter.padding=3"),
    ("train", SMALL + ["--electrons", "1"], "evolution.t_max=50"),
    ("train", SMALL + ["--electrons", "1"], "analysis.pairs=\"all\""),
    ("scatter", SCAT, "evolution.n_times=11"),
    ("scatter", SCAT, "train.interval=100"),
])
def test_steering_key_of_another_command_is_one_warning(command, extra, key,
                                                        run_cli, tmp_path):
    name = key.split("=")[0]
    with pytest.warns(UnusedKeyWarning, match=f"^{name} is read by .*, not "
                      f"by qutip-stt {command}: it is ignored here") as seen:
        code, lines = run_cli([command, "--preset", "paper-collinear",
                               *extra, "--set", key, "--out", "x.h5",
                               "--quiet"])
    assert code == 0, lines
    assert len([w for w in seen if w.category is UnusedKeyWarning]) == 1
    assert (tmp_path / "x.h5").exists()


def test_the_warning_is_one_line_of_the_command(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "simulate", "--preset",
         "paper-collinear", *SIM, "--set", "train.electrons=5", "--out",
         str(tmp_path / "x.h5"), "--quiet"], capture_output=True, text=True,
        env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        "qutip-stt: warning: train.electrons is read by train, not by "
        "qutip-stt simulate: it is ignored here"]


def test_keys_read_follow_the_state_and_the_method():
    cfg = resolve_config({"local_spins": {"state": "ground"},
                          "evolution": {"method": "crank-nicolson"}})
    read = keys_read("simulate", cfg)
    assert "local_spins.sector" in read and "local_spins.seed" not in read
    assert "local_spins.direction" not in read and "evolution.dt" in read
    assert "evolution.alpha" not in read and "train.electrons" not in read
    assert "scatter.k" in keys_read("scatter", cfg)
    assert "local_spins.field" not in keys_read("scatter", cfg)


def test_a_default_written_out_is_not_a_setting():
    raw = {"evolution": {"dt": 0.1, "method": "auto"},
           "local_spins": {"seed": 0}}
    assert check_command_keys(raw, resolve_config(raw), "train") == []


# -- honoured now ---------------------------------------------------------------
@pytest.mark.parametrize("state, first", [
    ('"neel"', [1.0, -1.0]), ('"ground"', [1.0, 1.0]),
    ('["-z", "+z"]', [-1.0, 1.0]),
])
def test_train_starts_from_the_local_state_of_the_config(state, first,
                                                         run_cli, tmp_path):
    code, lines = run_cli(["train", "--preset", "paper-collinear", *SMALL,
                           "--set", f"local_spins.state={state}",
                           "--electrons", "2", "--out", "t.h5", "--quiet"])
    assert code == 0, lines
    data = read_train(tmp_path / "t.h5")
    np.testing.assert_allclose(data["local_spin"][0, :, 2], first, atol=1e-12)
    assert data["config"]["local_spins"]["state"] == (
        state.strip('"') if state.startswith('"') else ["-z", "+z"])


def test_train_random_start_is_the_simulate_start(run_cli, tmp_path):
    sets = ["--set", 'local_spins.state="random"', "--set",
            "local_spins.seed=7"]
    assert run_cli(["train", "--preset", "paper-collinear", *SMALL, *sets,
                    "--electrons", "1", "--out", "t.h5", "--quiet"])[0] == 0
    assert run_cli(["simulate", "--preset", "paper-collinear", *SIM, *sets,
                    "--out", "s.h5", "--quiet"])[0] == 0
    with h5py.File(tmp_path / "s.h5") as f:
        start = f["local/spin"][0]
    np.testing.assert_allclose(read_train(tmp_path / "t.h5")["local_spin"][0],
                               start, atol=1e-12)


@pytest.mark.parametrize("spin", ["{theta=60, phi=30}", "{theta=90}", '"+y"'])
def test_scatter_takes_every_electron_direction(spin, run_cli, tmp_path):
    code, lines = run_cli(["scatter", "--preset", "paper-collinear", *SCAT,
                           "--set", f"electron.spin={spin}", "--out", "s.h5",
                           "--quiet"])
    assert code == 0, lines
    with h5py.File(tmp_path / "s.h5") as f:
        assert np.all(np.abs(f["probabilities"][()].sum(axis=1) - 1) < 1e-10)


def test_scatter_from_the_ground_state_of_a_sector(run_cli, tmp_path):
    code, lines = run_cli(["scatter", "--preset", "paper-collinear", *SCAT,
                           "--set", 'local_spins.state="ground"', "--set",
                           "local_spins.sector=0", "--out", "s.h5", "--quiet"])
    assert code == 0, lines
    with h5py.File(tmp_path / "s.h5") as f:
        assert "M=0" in f.attrs["incoming_chain"] or "0" in str(
            f.attrs["incoming_chain"])


@pytest.mark.parametrize("state, what", [
    ('"neel"', "a Néel state is not one"),
    ('"random"', "a random product state is not one"),
    ('["+z", "-z"]', "a product of the listed directions is not one"),
])
def test_scatter_refuses_a_chain_that_is_no_eigenstate(state, what, run_cli,
                                                       tmp_path):
    code, lines = run_cli(["scatter", "--preset", "paper-collinear", *SCAT,
                           "--set", f"local_spins.state={state}", "--out",
                           "s.h5", "--quiet"])
    assert code == 2 and len(lines) == 1, lines
    assert "local_spins.state: qutip-stt scatter needs the chain in an " \
        "eigenstate" in lines[0] and what in lines[0]


@pytest.mark.parametrize("S", [1.0, 1.5])
def test_pair_measures_of_larger_spins_store_nan_concurrence(S, run_cli,
                                                             tmp_path):
    code, lines = run_cli(["simulate", "--preset", "paper-collinear", *SIM,
                           "--set", f"local_spins.spin={S}", "--set",
                           'analysis.pairs="all"', "--out", "p.h5", "--quiet"])
    assert code == 0, lines
    with h5py.File(tmp_path / "p.h5") as f:
        assert np.all(np.isnan(f["pairs/concurrence"][()]))
        assert np.all(np.isfinite(f["pairs/mutual_information"][()]))
    assert stt.read_result(tmp_path / "p.h5")["entanglement"] is not None


@pytest.mark.parametrize("factor", [2.0, 0.5, 1 + 1e-6])
def test_an_unnormalized_ket_is_refused(factor):
    model = stt.STTModel(Lx=40, N=1)
    psi = stt.initial_state(model, x0=10)
    with pytest.raises(stt.ConfigError, match=r"state: the ket has norm .*"
                       r"not 1: normalize it first \(psi.unit\(\)\)"):
        stt.evolve(model, factor * psi, [0.0, 1.0])
    stt.evolve(model, (factor * psi).unit(), [0.0, 1.0])
