"""Interrupted runs and repeated runs.

A real ``qutip-stt simulate`` process gets SIGINT or SIGTERM while it evolves:
it must exit non-zero (130 / 143), say in one line where it stopped, and
leave no output file and no temporary file. The same config run twice gives
bit-identical datasets.
"""

import os
import signal
import subprocess
import sys
import threading

import h5py
import numpy as np
import pytest

from qutip_stt.cli import main

CONFIG = """\
[local_spins]
count = 5
[evolution]
t_max = 240
n_times = 101
"""


def start(tmp_path, *extra):
    # the paper's case up to 240 fs, before the reflection from the chain
    # end would reach the spins (so the run prints no warning)
    cfg = tmp_path / "run.toml"
    cfg.write_text(CONFIG)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (root, env.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "qutip_stt", "simulate", str(cfg), "--out",
         str(tmp_path / "out.h5"), "--progress", "text", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        cwd=tmp_path)


def wait_for_progress(proc, timeout=120):
    """Block until the run prints its first progress line (it is evolving)."""
    seen = threading.Event()

    def watch():
        for line in proc.stdout:
            if "%" in line:
                seen.set()
                break
    threading.Thread(target=watch, daemon=True).start()
    assert seen.wait(timeout), "the run never reported progress"


@pytest.mark.parametrize("signum, method, code", [
    (signal.SIGINT, "sesolve", 130),
    (signal.SIGTERM, "crank-nicolson", 143),
])
def test_signal_during_simulate_leaves_no_file(signum, method, code,
                                               tmp_path):
    proc = start(tmp_path, "--method", method, "--set", "evolution.dt=0.05")
    wait_for_progress(proc)
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == code
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert "at t = " in lines[0] and "no output file was written" in lines[0]
    assert sorted(os.listdir(tmp_path)) == ["run.toml"]


def datasets(path):
    out = {}
    with h5py.File(path) as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()])
                     if isinstance(obj, h5py.Dataset) else None)
    return out


@pytest.mark.parametrize("method", ["auto", "crank-nicolson"])
def test_same_config_gives_bit_identical_datasets(method, tmp_path):
    cfg = tmp_path / "run.toml"
    cfg.write_text("[chain]\nlength = 120\n[local_spins]\ncount = 3\n"
                   "direction = { theta = 30, phi = 0 }\n[electron]\nx0 = 40\n"
                   "spin = \"+x\"\n[evolution]\nt_max = 30\nn_times = 7\n")
    runs = []
    for name in ("a.h5", "b.h5"):
        assert main(["simulate", str(cfg), "--out", str(tmp_path / name),
                     "--quiet", "--method", method]) == 0
        runs.append(datasets(tmp_path / name))
    a, b = runs
    assert sorted(a) == sorted(b) and len(a) >= 13
    for name in a:
        assert a[name].dtype == b[name].dtype, name
        if a[name].dtype == object:  # strings: compare values, not pointers
            assert a[name].tolist() == b[name].tolist(), name
        else:
            assert a[name].tobytes() == b[name].tobytes(), name
    assert not np.allclose(a["local/spin"][0], a["local/spin"][-1])


def test_signal_during_reproduce_keeps_only_complete_files(tmp_path):
    """Files finished before the signal stay, each complete; none is partial."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (root, env.get("PYTHONPATH")) if p)
    out = tmp_path / "repro"
    proc = subprocess.Popen(
        [sys.executable, "-m", "qutip_stt", "reproduce", "--out", str(out),
         "--quick", "--progress", "text"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    wait_for_progress(proc)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    files = sorted(os.listdir(out))
    assert files and not any(f.startswith(".tmp") for f in files)
    assert f"{len(files)} complete file(s) stay in {out}" in lines[0]
    for name in files:
        if name.endswith(".h5"):
            with h5py.File(out / name) as f:
                assert len(f.keys()) > 0
