"""``qutip-stt simulate`` end to end: HDF5 contract, errors, presets."""

import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

import qutip_stt as stt
from qutip_stt.cli import main

SMALL = """
[chain]
length = 100
[local_spins]
count = 2
[electron]
x0 = 30
spin = "+x"
[evolution]
t_max = 40
n_times = 9
method = "crank-nicolson"
"""


@pytest.fixture
def small_config(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return path


def test_simulate_writes_contract(small_config, tmp_path, capsys):
    out = tmp_path / "run.h5"
    assert main(["simulate", str(small_config), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "final local spin 1" in printed and "norm drift" in printed
    with h5py.File(out) as f:
        T, N, M = 9, 2, 8
        shapes = {"t": (T,), "electron/spin": (T, 3), "local/spin": (T, N, 3),
                  "purity/local": (T,), "purity/electron": (T,),
                  "entropy/local": (T,), "probabilities": (T, M),
                  "probabilities_m": (M, N + 1), "probabilities_labels": (M,),
                  "norm": (T,), "energy": (T,), "density": (T, 100)}
        for name, shape in shapes.items():
            assert f[name].shape == shape, name
        assert f["entropy/local"].attrs["base"] == "e"
        for key in ("package_version", "qutip_version", "config", "method",
                    "created", "evolution_wall_s"):
            assert key in f.attrs
        assert f.attrs["method"] == "crank-nicolson"
        assert f["probabilities_labels"][0].decode() == "↑;↑↑"
        assert np.allclose(f["probabilities_m"][0], [0.5, 0.5, 0.5])
        assert np.allclose(f["t"][()], np.linspace(0, 40, 9))
    data = stt.read_result(out)
    assert data["config"]["electron"]["spin"] == "+x"
    assert data["labels"][1] == "↑;↑↓"
    assert [p for p in os.listdir(tmp_path) if p.startswith(".tmp")] == []


def test_method_and_set_override(small_config, tmp_path):
    out = tmp_path / "run.h5"
    assert main(["simulate", str(small_config), "--out", str(out), "--quiet",
                 "--method", "sesolve", "--set", "local_spins.J_sd=0.3"]) == 0
    data = stt.read_result(out)
    assert data["attrs"]["method"] == "sesolve"
    assert data["config"]["local_spins"]["J_sd"] == 0.3


@pytest.mark.parametrize("args, fragment", [
    (["simulate", "--out", "x.h5"], "config: give a TOML config file"),
    (["simulate", "missing.toml", "--out", "x.h5"], "no such file"),
    (["simulate", "CFG", "--out", "x.h5", "--set", "chain.width=3"],
     "chain.width: unknown key"),
    (["simulate", "CFG", "--out", "x.h5", "--set", "local_spins.spin=0.3"],
     "local_spins.spin: expected a positive half-integer"),
    (["simulate", "CFG", "--out", "x.h5", "--method", "euler"],
     "evolution.method: expected one of"),
    (["simulate", "CFG", "--out", "x.h5", "--set", "oops"], "key=value"),
    (["simulate", "CFG", "--preset", "paper-collinear", "--out", "x.h5"],
     "not both"),
    (["simulate", "--preset", "paper-sideways", "--out", "x.h5"],
     "invalid choice"),
    (["simulate", "CFG", "--out", "OUTDIR"], "is a directory"),
    (["simulate", "CFG", "--out", "nowhere/x.h5"], "does not exist"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_invocations_exit_2_one_line(small_config, tmp_path, args,
                                         fragment, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = [str(small_config) if a == "CFG" else
            str(tmp_path) if a == "OUTDIR" else a for a in args]
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (tmp_path / "x.h5").exists()


def test_console_script_runs_as_subprocess(small_config, tmp_path):
    out = tmp_path / "run.h5"
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "simulate", str(small_config),
         "--out", str(out), "--quiet", "--set", "chain.length=1"],
        capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("qutip-stt: error: chain.length: expected "
                                   "an integer at least 2, got 1")
    assert not out.exists()
