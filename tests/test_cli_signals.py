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
import time

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


def _env():
    """The environment of a child qutip-stt: this checkout, unbuffered."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def start(tmp_path, *extra):
    # the paper's case up to 240 fs, before the reflection from the chain
    # end would reach the spins (so the run prints no warning)
    cfg = tmp_path / "run.toml"
    cfg.write_text(CONFIG)
    env = _env()
    return subprocess.Popen(
        [sys.executable, "-m", "qutip_stt", "simulate", str(cfg), "--out",
         str(tmp_path / "out.h5"), "--progress", "text", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        cwd=tmp_path)


def wait_for_progress(proc, lines=1, timeout=120, marker="%"):
    """Block until the run has printed ``lines`` lines containing ``marker``."""
    seen = threading.Event()

    def watch():
        count = 0
        for line in proc.stdout:
            count += marker in line
            if count >= lines:
                seen.set()
                break
    threading.Thread(target=watch, daemon=True).start()
    assert seen.wait(timeout), "the run never reported progress"


@pytest.mark.parametrize("signum, method, code, delay", [
    (signal.SIGINT, "sesolve", 130, 0.0),
    # sesolve spends most of its time in SciPy's compiled integrator calling
    # back into Python: a signal landing there must still stop the run at
    # once (it used to spin for minutes or crash): several landing points
    (signal.SIGINT, "sesolve", 130, 0.13),
    (signal.SIGTERM, "sesolve", 143, 0.31),
    (signal.SIGINT, "sesolve", 130, 0.57),
    (signal.SIGTERM, "crank-nicolson", 143, 0.0),
])
def test_signal_during_simulate_leaves_no_file(signum, method, code, delay,
                                               tmp_path):
    # dt is an option of crank-nicolson only (sesolve refuses a key it
    # does not read)
    step = ["--set", "evolution.dt=0.05"] if method == "crank-nicolson" else []
    proc = start(tmp_path, "--method", method, *step)
    wait_for_progress(proc)
    time.sleep(delay)
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
    env = _env()
    out = tmp_path / "repro"
    proc = subprocess.Popen(
        [sys.executable, "-m", "qutip_stt", "reproduce", "--out", str(out),
         "--quick", "--progress", "text"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    # the first run's progress: the spectrum stage (fig2_spectrum.h5) is done
    wait_for_progress(proc, marker="run 1 of 4")
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


def test_interrupted_rerun_lists_only_what_it_completed(tmp_path):
    """A folder holding an earlier complete reproduction: an interrupted
    second run names only the files it completed itself, not the earlier
    ones (it used to count every file newer than its start, or all)."""
    out = tmp_path / "repro"
    assert main(["reproduce", "--quick", "--out", str(out), "--quiet"]) == 0
    before = {name: (out / name).read_bytes() for name in os.listdir(out)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qutip_stt", "reproduce", "--out", str(out),
         "--quick", "--progress", "text"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=_env(), cwd=tmp_path)
    wait_for_progress(proc, marker="run 1 of 4")
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    # the spectrum stage finished: fig2_spectrum.h5 (rewritten) stays
    assert "1 complete file(s) stay" in lines[0], lines[0]
    assert sorted(os.listdir(out)) == sorted(before)
    changed = [n for n in before if (out / n).read_bytes() != before[n]]
    assert changed == ["fig2_spectrum.h5"], changed


SWEEP = """\
[chain]
length = 200
[local_spins]
count = 3
[electron]
x0 = 70
[evolution]
t_max = 60
n_times = 31
method = "crank-nicolson"
dt = 0.005
[sweep]
"local_spins.J_sd" = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
"""


def test_sigterm_during_sweep_then_resume(tmp_path):
    """SIGTERM mid-sweep: a complete, readable file of the finished points
    (or none); the same command again runs only the missing points."""
    from qutip_stt import sweep as sw

    cfg = tmp_path / "scan.toml"
    cfg.write_text(SWEEP)
    out = tmp_path / "scan.h5"
    env = _env()
    argv = [sys.executable, "-m", "qutip_stt", "sweep", str(cfg), "--out",
            str(out), "--map", "serial", "--checkpoint", "0"]
    proc = subprocess.Popen(argv + ["--progress", "text"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=tmp_path)
    # qutip's map functions advance the bar as a point starts: the second
    # line means the first point is finished (and, with --checkpoint 0, saved)
    wait_for_progress(proc, lines=2)
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp")]
    done = 0
    if out.exists():
        with h5py.File(out) as f:
            done = int(f["done"][()].sum())
    assert 1 <= done < 6
    assert f"{done} of 6 points are saved in {out}" in err
    again = subprocess.run(argv + ["--quiet"], capture_output=True, text=True,
                           env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    result = sw.read_sweep_result(out)
    assert np.all(result["done"])
    with h5py.File(out) as f:
        assert int(f["done"][()].sum()) == 6


def test_sigint_during_serial_sesolve_sweep_stops_promptly(tmp_path):
    """A sweep point running qutip.sesolve has no output-time callback of
    the command line: a Ctrl-C held back inside SciPy's integrator is raised
    by the periodic check instead, and the sweep stops with its saved points
    (it used to keep running, or crash, until the integrator gave up)."""
    cfg = tmp_path / "scan.toml"
    cfg.write_text(SWEEP.replace('method = "crank-nicolson"\ndt = 0.005',
                                 'method = "sesolve"').replace(
                                     "t_max = 60", "t_max = 150"))
    env = _env()
    proc = subprocess.Popen(
        [sys.executable, "-m", "qutip_stt", "sweep", str(cfg), "--out",
         str(tmp_path / "scan.h5"), "--map", "serial", "--checkpoint", "0",
         "--progress", "text"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    wait_for_progress(proc, lines=2)
    time.sleep(0.3)                 # inside the second point's integration
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert time.monotonic() - start < 30
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "points are saved in" in err


def _one_line_stop(proc, signum, tmp_path, keep=()):
    """Signal ``proc``; return the seconds it took to exit, after checking
    the exit status, the one line and that no file is left."""
    sent = time.monotonic()
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    took = time.monotonic() - sent
    assert proc.returncode == 128 + signum, err
    lines = err.strip().splitlines()
    lines = [x for x in lines if "warning:" not in x]
    assert len(lines) == 1 and "Traceback" not in err, err
    left = sorted(p for p in os.listdir(tmp_path) if p not in keep)
    assert left == [], left
    return took


@pytest.fixture(scope="module")
def animation_input(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anim")
    path = folder / "run.h5"
    assert main(["simulate", "--preset", "paper-collinear", "--set",
                 "chain.length=60", "--set", "local_spins.count=2", "--set",
                 "evolution.t_max=20", "--set", "evolution.n_times=161",
                 "--out", str(path), "--quiet"]) == 0
    return path


@pytest.mark.parametrize("signum, delay", [
    (signal.SIGINT, 1.0), (signal.SIGTERM, 1.4), (signal.SIGINT, 1.8),
    (signal.SIGTERM, 2.2), (signal.SIGINT, 2.6), (signal.SIGTERM, 3.2)])
def test_signal_in_the_first_frames_of_a_gif_is_one_line(
        signum, delay, animation_input, tmp_path):
    """Pillow's writer used to fail in its clean-up (an IndexError from
    ``animation.finish``) when the signal came before its first frame: the
    delays land in the start-up, the reading, the first frames and later
    (the whole GIF takes longer than the last delay)."""
    (tmp_path / "run.h5").write_bytes(animation_input.read_bytes())
    proc = subprocess.Popen(
        [sys.executable, "-m", "qutip_stt", "animate", "run.h5", "--out",
         "a.gif", "--spin", "all", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=_env(), cwd=tmp_path)
    time.sleep(delay)
    _one_line_stop(proc, signum, tmp_path, keep=("run.h5",))
    # the frame workers (forked, working in tmp_path) are gone too: none is
    # left behind, orphaned, by a stop while they start or draw
    assert _processes_in(tmp_path) == []


def _processes_in(folder):
    """Process ids whose working directory is ``folder`` (Linux /proc)."""
    if not os.path.isdir("/proc/self"):
        return []
    folder = os.path.realpath(folder)
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.path.realpath(f"/proc/{pid}/cwd") == folder:
                    found.append(int(pid))
            except OSError:
                pass
    return found


def _busy():
    """A CPU-bound child process: the load under which a stop must stay
    prompt."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


@pytest.mark.slow
def test_sigterm_stops_a_train_promptly_under_load(tmp_path):
    """Stopped between pieces of the sector series, not after the running
    propagations (which took 15-65 s under load): a few seconds at most."""
    load = [_busy() for _ in range(os.cpu_count() or 2)]
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "qutip_stt", "train", "--preset",
             "paper-collinear", "--set", "local_spins.count=7",
             "--electrons", "2", "--out", "t.h5", "--progress", "text"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=_env(), cwd=tmp_path)
        wait_for_progress(proc, timeout=300)
        took = _one_line_stop(proc, signal.SIGTERM, tmp_path)
    finally:
        for p in load:
            p.kill()
            p.wait()
    assert took < 10, took


RUNNER = '''\
import signal, sys, time
from qutip_stt import cli


def run():
    signal.signal(signal.SIGINT, cli._on_signal)
    signal.signal(signal.SIGALRM, cli._on_alarm)
    try:
        import optional_lib
        time.sleep(5)
        return 1
    except KeyboardInterrupt:
        # held until the import was done: the module is whole
        return 130 if sys.modules["optional_lib"].DONE else 3


if __name__ == "__main__":
    sys.exit(run())
'''

OPTIONAL_LIB = '''\
# an import that builds code from a string, as dataclasses does
exec("import os, signal\\nos.kill(os.getpid(), signal.SIGINT)\\n"
     "for _ in range(10 ** 5):\\n    pass\\n")
DONE = True
'''


def test_signal_inside_an_import_is_held_until_it_is_done(tmp_path):
    """A Ctrl-C landing in a library's import (here inside its ``exec`` of a
    string, as dataclasses does while matplotlib is imported) used to end
    the process by SIGINT itself (status -2, CPython marks the interrupt
    as unhandled) or be swallowed by an optional import: it is held until
    the import is done and then ends the command with 130."""
    (tmp_path / "runner.py").write_text(RUNNER)
    (tmp_path / "optional_lib.py").write_text(OPTIONAL_LIB)
    proc = subprocess.run([sys.executable, "-m", "runner"], cwd=tmp_path,
                          env=_env(), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 130, proc.stderr
