"""Hostile input for sweeps: resume, locks, overlapping keys,
crafted files, grid limits, worker failures, plot-sweep outputs.

Every refusal is one line (exit 2 on the command line), names the parameter
and leaves no file behind; a failure while running keeps every finished point
and exits 1. Points are tiny (Lx = 80, one spin, two output times) so the
whole module stays fast; the command-line cases that are about a real process
(locks held by another process, a worker killed) run as subprocesses.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

import h5py
import numpy as np
import pytest

from qutip_stt import sweep as sw

from qutip_stt.errors import ConfigError
from qutip_stt.io import sweep_files
from qutip_stt.io.locks import lock_path, output_lock
import qutip_stt.sweep.runner  # noqa: F401  (sw.runner, for monkeypatch)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BASE = {"chain": {"length": 80}, "local_spins": {"count": 1},
        "electron": {"x0": 40, "k": 0.5},
        "evolution": {"t_max": 2.0, "n_times": 2}}
BASE_TOML = """\
[chain]
length = 80
[local_spins]
count = 1
[electron]
x0 = 40
k = 0.5
[evolution]
t_max = 2.0
n_times = 2
"""
GRID = {"local_spins.J_sd": [0.1, 0.3], "electron.k": [0.3, 0.5]}
ZIP = {"mode": "zip", "local_spins.J_sd": [0.1, 0.1, 0.3, 0.3],
       "electron.k": [0.3, 0.5, 0.3, 0.5]}


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("HDF5_USE_FILE_LOCKING", None)
    return env


def _cli(args, cwd, **kw):
    proc = subprocess.run([sys.executable, "-m", "qutip_stt", *args],
                          cwd=cwd, env=_env(), capture_output=True,
                          text=True, timeout=120, **kw)
    return proc.returncode, proc.stderr.strip().splitlines()


def _one_line(lines, fragment):
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0] and fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def grid_file(tmp_path_factory):
    """A complete 2 x 2 grid sweep file (copied by the tests that edit it)."""
    out = tmp_path_factory.mktemp("grid") / "grid.h5"
    sw.run_sweep(sw.make_sweep(BASE, GRID), out)
    return out


def _copy(src, folder, name="scan.h5"):
    dst = folder / name
    dst.write_bytes(src.read_bytes())
    return dst


def _by_key(path):
    """Point key -> local/spin of every finished point of a sweep file."""
    data = sw.read_sweep_result(path)
    out = {}
    for i, config in enumerate(data["configs"]):
        if config is not None:
            out[sw.point_key(config)] = sw.read_sweep_point(
                path, i)["local/spin"]
    return out


def _no_run(config):
    raise AssertionError("a point ran")


# ------------------------------------------- 1: resume in another shape
@pytest.mark.parametrize("table", [
    ZIP,                                                  # grid -> zip
    {"electron.k": [0.3, 0.5], "local_spins.J_sd": [0.1, 0.3]},  # transposed
    {"local_spins.J_sd": [0.3, 0.1], "electron.k": [0.5, 0.3]},  # reversed
    {**GRID, "local_spins.J": [0.1]},         # added axis at the base value
    {"local_spins.J": [0.1], **GRID},         # ... as the first axis
], ids=["zip", "transposed", "reversed", "added-axis-last",
        "added-axis-first"])
def test_resume_in_another_shape_maps_points_by_key(table, grid_file,
                                                    tmp_path, monkeypatch):
    out = _copy(grid_file, tmp_path)
    s = sw.make_sweep(BASE, table)
    monkeypatch.setattr(sw.runner, "run_point", _no_run)
    report = sw.run_sweep(s, out)
    assert (report["n_skipped"], report["n_run"]) == (4, 0)
    assert report["n_done"] == 4
    data = sw.read_sweep_result(out)
    assert data["shape"] == s.shape and data["mode"] == s.mode
    assert [sw.point_key(c) for c in data["configs"]] == s.point_keys
    before, after = _by_key(grid_file), _by_key(out)
    assert set(after) == set(before)
    for key, value in before.items():
        np.testing.assert_array_equal(after[key], value)
    # the coordinates stored are those of the point that ran there
    for i, config in enumerate(data["configs"]):
        for k, v in s.coordinates(i).items():
            table_name, name = k.split(".")
            assert data["coords"][k].ravel()[i] == v == config[table_name][
                name]


def test_zip_to_grid_partial_then_complete(grid_file, tmp_path):
    z = tmp_path / "zip.h5"
    sw.run_sweep(sw.make_sweep(BASE, ZIP), z, max_points=3)
    report = sw.run_sweep(sw.make_sweep(BASE, GRID), z)
    assert (report["n_skipped"], report["n_run"], report["n_done"]) == \
        (3, 1, 4)
    before, after = _by_key(grid_file), _by_key(z)
    for key, value in before.items():
        np.testing.assert_array_equal(after[key], value)


@pytest.mark.parametrize("table", [
    {"mode": "zip", "local_spins.J_sd": [0.1, 0.3], "electron.k": [0.3, 0.5]},
    {"local_spins.J_sd": [0.1, 0.3], "electron.k": [0.3, 0.5],
     "local_spins.J": [0.2]},                  # added axis off the base
])
def test_resume_that_would_drop_points_is_refused_before_work(
        table, grid_file, tmp_path, monkeypatch):
    out = _copy(grid_file, tmp_path)
    before = out.read_bytes()
    monkeypatch.setattr(sw.runner, "run_point", _no_run)
    with pytest.raises(ConfigError, match="finished points that are not in"):
        sw.run_sweep(sw.make_sweep(BASE, table), out)
    assert out.read_bytes() == before


def test_version_1_file_resumes(grid_file, tmp_path):
    """Files of format version 1 store every point's config, done or not."""
    out = _copy(grid_file, tmp_path)
    s = sw.make_sweep(BASE, GRID)
    with h5py.File(out, "a") as f:
        f.attrs["format_version"] = 1
        f["done"][1, 1] = False
        for name in sweep_files.SUMMARY:
            f[f"summary/{name}"][1, 1] = np.nan
        f["point_config"][...] = np.array(s.point_keys,
                                          dtype=object).reshape(2, 2)
    report = sw.run_sweep(s, out)
    assert (report["n_skipped"], report["n_run"]) == (3, 1)
    np.testing.assert_array_equal(_by_key(out)[s.point_keys[3]],
                                  _by_key(grid_file)[s.point_keys[3]])


# ------------------------------------------- 3: one writer
def test_second_writer_refused_in_process(grid_file, tmp_path, monkeypatch):
    out = _copy(grid_file, tmp_path)
    before = out.read_bytes()
    monkeypatch.setattr(sw.runner, "run_point", _no_run)
    with output_lock(out):
        with pytest.raises(ConfigError, match="being written by another"):
            sw.run_sweep(sw.make_sweep(BASE, GRID), out)
    assert out.read_bytes() == before
    assert not os.path.exists(lock_path(out))


def test_second_writer_refused_as_a_process(grid_file, tmp_path):
    (tmp_path / "scan.toml").write_text(BASE_TOML + "[sweep]\n"
                                        '"local_spins.J_sd" = [0.1, 0.3]\n')
    with output_lock(tmp_path / "scan.h5"):
        code, lines = _cli(["sweep", "scan.toml", "--out", "scan.h5"],
                           tmp_path)
    assert code == 2
    _one_line(lines, f"being written by another qutip-stt process (process "
                     f"{os.getpid()})")
    assert not (tmp_path / "scan.h5").exists()


@pytest.mark.slow
def test_two_writers_at_once_lose_no_point(tmp_path):
    (tmp_path / "scan.toml").write_text(
        BASE_TOML + "[sweep]\n\"local_spins.J_sd\" = "
        "[0.05, 0.1, 0.15, 0.2, 0.25, 0.3]\n")
    cmd = [sys.executable, "-m", "qutip_stt", "sweep", "scan.toml", "--out",
           "scan.h5", "--checkpoint", "0", "--quiet"]
    procs = [subprocess.Popen(cmd, cwd=tmp_path, env=_env(),
                              stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.communicate(timeout=120)[1], p.returncode)[::-1]
               for p in procs]
    for code, err in results:
        assert code in (0, 2), err
        if code == 2:
            _one_line(err.strip().splitlines(), "being written by another")
    data = sw.read_sweep_result(tmp_path / "scan.h5")
    assert data["done"].all() and data["attrs"]["n_done"] == 6


_HOLD = textwrap.dedent("""
    import sys, time, h5py
    f = h5py.File(sys.argv[1], "a")
    print("open", flush=True)
    time.sleep(60)
""")


@pytest.mark.parametrize("command", [
    "plot-sweep", pytest.param("sweep", marks=pytest.mark.slow)])
def test_file_open_elsewhere_is_not_called_foreign(command, grid_file,
                                                   tmp_path):
    out = _copy(grid_file, tmp_path)
    (tmp_path / "scan.toml").write_text(BASE_TOML + "[sweep]\n"
                                        '"local_spins.J_sd" = [0.1, 0.3]\n')
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)],
                              env=_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        args = (["plot-sweep", "scan.h5", "--out", "p.png"]
                if command == "plot-sweep"
                else ["sweep", "scan.toml", "--out", "scan.h5"])
        code, lines = _cli(args, tmp_path)
    finally:
        holder.kill()
        holder.communicate()
    if code == 0:
        pytest.skip("HDF5 file locking is off on this system")
    assert code == 2
    key = "file" if command == "plot-sweep" else "--out"
    _one_line(lines, f"{key}: ")
    assert "another program may have it open" in lines[0]
    assert "not an HDF5 file" not in lines[0] and "remove" not in lines[0]


def test_stale_lock_file_does_not_block(grid_file, tmp_path):
    out = _copy(grid_file, tmp_path)
    with open(lock_path(out), "w") as f:
        f.write("999999999")                 # left by a killed run
    report = sw.run_sweep(sw.make_sweep(BASE, GRID), out)
    assert report["n_skipped"] == 4
    assert not os.path.exists(lock_path(out))


# ------------------------------------------- 4: overlapping keys, fake done
@pytest.mark.parametrize("table, key", [
    ({"electron.spin": ["+x", "-x"], "electron.spin.theta": [0]},
     "sweep.electron.spin.theta"),
    ({"electron.spin.theta": [0], "electron.spin": ["+x", "-x"]},
     "sweep.electron.spin.theta"),
    ({"local_spins.direction": ["+z"], "local_spins.direction.phi": [0, 90]},
     "sweep.local_spins.direction.phi"),
    ({"electron.spin": ["+x"], "electron": {"spin": {"phi": [0, 10]}}},
     "sweep.electron.spin.phi"),
    ({"electron.k": [0.1], "electron": {"k": [0.2]}}, "sweep.electron.k"),
])
def test_overlapping_or_repeated_keys_refused(table, key):
    with pytest.raises(ConfigError) as info:
        sw.make_sweep({}, table)
    assert info.value.key == key


def test_angles_of_two_directions_do_not_overlap():
    s = sw.make_sweep({}, {"electron.spin.theta": [0, 90],
                           "local_spins.direction.theta": [0, 90]})
    assert s.configs[1]["electron"]["spin"] == {"theta": 0.0, "phi": 0.0}
    assert s.configs[1]["local_spins"]["direction"] == {"theta": 90.0,
                                                        "phi": 0.0}


def _fake_done(path, where, summary=True):
    with h5py.File(path, "a") as f:
        f["done"][where] = True
        if summary:
            for name in sweep_files.SUMMARY:
                f[f"summary/{name}"][where] = 0.5


@pytest.mark.parametrize("summary", [False, True],
                         ids=["summary-nan", "data-nan"])
def test_points_marked_done_without_data_are_detected(summary, tmp_path,
                                                      run_cli):
    out = tmp_path / "scan.h5"
    s = sw.make_sweep(BASE, GRID)
    sw.run_sweep(s, out, max_points=2)
    _fake_done(out, (1, 1), summary)
    with pytest.raises(ConfigError, match="point 3 is marked done but "
                       "holds no data"):
        sw.read_sweep_result(out)
    code, lines = run_cli(["plot-sweep", str(out), "--out", "p.png"])
    assert code == 2
    _one_line(lines, "file: ")
    assert not (tmp_path / "p.png").exists()
    with pytest.warns(RuntimeWarning, match="1 point.s. marked done hold "
                      "no data"):
        report = sw.run_sweep(s, out)
    assert (report["n_skipped"], report["n_run"]) == (2, 2)
    data = sw.read_sweep_result(out)
    assert data["done"].all()
    assert all(np.isfinite(v).all() for v in data["summary"].values())


# ------------------------------------------- 8: grid size before the grid
def test_huge_grid_refused_before_it_is_built(run_cli, tmp_path):
    values = [round(0.1 + 0.01 * i, 3) for i in range(25)]
    axes = "\n".join(f'"{k}" = {values}'
                     for k in ("electron.k", "electron.dk", "local_spins.J",
                               "local_spins.Jz", "local_spins.J_sd"))
    (tmp_path / "huge.toml").write_text(BASE_TOML + "[sweep]\n" + axes)
    start = time.perf_counter()
    code, lines = run_cli(["sweep", "huge.toml", "--out", "huge.h5"])
    assert time.perf_counter() - start < 5
    assert code == 2
    _one_line(lines, "sweep: 25 x 25 x 25 x 25 x 25 = 9,765,625 points, "
              "more than the limit of 10,000")
    assert "--max-grid" in lines[0]
    assert not (tmp_path / "huge.h5").exists()


@pytest.mark.parametrize("table, limit, ok", [
    (GRID, 3, False), (GRID, 4, True), (ZIP, 3, False),
    ({"mode": "zip", "electron.k": list(np.linspace(0.1, 1, 10_001))},
     sw.MAX_POINTS, False),
])
def test_point_limit_counts_before_building(table, limit, ok, monkeypatch):
    from qutip_stt.sweep import spec
    calls = []
    real = spec._point_config
    monkeypatch.setattr(spec, "_point_config",
                        lambda *a: calls.append(1) or real(*a))
    if ok:
        assert len(sw.make_sweep(BASE, table, max_points=limit)) == limit
    else:
        with pytest.raises(ConfigError, match="more than the limit"):
            sw.make_sweep(BASE, table, max_points=limit)
        assert calls == []


@pytest.mark.parametrize("value, code", [("3", 2), ("4", 0), ("0", 2),
                                         ("-1", 2), ("x", 2)])
def test_max_grid_flag(value, code, run_cli, tmp_path):
    (tmp_path / "g.toml").write_text(BASE_TOML + "[sweep]\n"
                                     '"local_spins.J_sd" = [0.1, 0.3]\n'
                                     '"electron.k" = [0.3, 0.5]\n')
    got, lines = run_cli(["sweep", "g.toml", "--out", "g.h5", "--quiet",
                          "--max-grid", value])
    assert got == code
    if code:
        _one_line(lines, "max-grid" if value != "3" else "limit of 3")
        assert not (tmp_path / "g.h5").exists()


def test_file_and_plot_scale_with_points_done(tmp_path, monkeypatch):
    small, big = tmp_path / "small.h5", tmp_path / "big.h5"
    sw.run_sweep(sw.make_sweep(BASE, {"electron.k": [0.3]}), small)
    s = sw.make_sweep(BASE, {"electron.k": list(np.linspace(0.2, 0.6, 40)),
                             "local_spins.J_sd": list(np.linspace(0, 1, 50))})
    sw.run_sweep(s, big, max_points=1)
    # 2,000 points declared, one done: unfinished points cost a few bytes
    assert big.stat().st_size < small.stat().st_size + 2000 * 120
    with h5py.File(big) as f:
        stored = f["point_config"].asstr()[()].ravel()
        assert sum(bool(k) for k in stored) == 1
    monkeypatch.setattr(sweep_files, "read_sweep_result", _no_run)
    fig = sw.sweep_plot(str(big))
    assert sum(len(ax.lines) for ax in fig.axes) == 3      # the done row only


# ------------------------------------------- 10: crafted sweep files
def _craft(path, edit):
    with h5py.File(path, "a") as f:
        edit(f)


def _external(f):
    other = os.path.join(os.path.dirname(f.filename), "other.h5")
    with h5py.File(other, "w") as g:
        g["x"] = np.zeros((2, 2))
    del f["summary/purity_local"]
    f["summary/purity_local"] = h5py.ExternalLink(other, "x")


def _replace(name, data):
    def edit(f):
        del f[name]
        f[name] = data
    return edit


CRAFTED = [
    ("external-link", _external, "'summary/purity_local' is a ExternalLink"),
    ("soft-link", lambda f: (f.__delitem__("done"),
                             f.__setitem__("done", h5py.SoftLink("/t"))),
     "'done' is a SoftLink"),
    ("huge-shape", lambda f: f.attrs.__setitem__("shape", [100_000, 100_000]),
     "declares 10,000,000,000 points"),
    ("shape-mismatch", lambda f: f.attrs.__setitem__("shape", [4, 1]),
     "expected (4, 1) first"),
    ("done-wrong-shape", _replace("done", np.ones(3, bool)),
     "dataset 'done' has shape (3,)"),
    ("summary-strings", _replace("summary/spin_length",
                                 np.array([["a", "b"], ["c", "d"]],
                                          dtype=object)),
     "'summary/spin_length' has type"),
    ("missing-summary", lambda f: f.__delitem__("summary/spin_length"),
     "'summary/spin_length' is missing"),
    ("stacked-wrong", _replace("local/spin", np.zeros((3, 2, 2, 1, 3))),
     "'local/spin' has shape"),
    ("keys-not-json", lambda f: f.attrs.__setitem__("keys_json", "[oops"),
     "'keys_json' is missing or not JSON"),
    ("keys-not-list", lambda f: f.attrs.__setitem__("keys_json", "{}"),
     "not a list of swept keys"),
    ("mode-bogus", lambda f: f.attrs.__setitem__("mode", "spiral"),
     "'mode' is 'spiral'"),
    ("ragged-unknown", lambda f: f.attrs.__setitem__("ragged_json",
                                                     '["nope"]'),
     "names unknown datasets"),
    ("shape-negative", lambda f: f.attrs.__setitem__("shape", [-2, 2]),
     "expected one positive length per axis"),
    ("axes-wrong", _replace("axes/electron.k", np.zeros(5)),
     "'axes/electron.k' has shape (5,)"),
    ("foreign-format", lambda f: f.attrs.__setitem__("format", "other"),
     "is not a qutip-stt sweep file"),
]


@pytest.mark.parametrize("edit, fragment", [c[1:] for c in CRAFTED],
                         ids=[c[0] for c in CRAFTED])
def test_crafted_file_refused_by_every_reader(edit, fragment, grid_file,
                                              tmp_path, run_cli):
    out = _copy(grid_file, tmp_path)
    _craft(out, edit)
    for read in (sw.read_sweep_summary, sw.read_sweep_result,
                 lambda p: sw.read_sweep_point(p, 0)):
        with pytest.raises(ConfigError) as info:
            read(out)
        assert fragment in str(info.value) and info.value.key == "file"
    code, lines = run_cli(["plot-sweep", str(out), "--out", "p.png"])
    assert code == 2
    _one_line(lines, fragment)
    assert lines[0].startswith("qutip-stt: error: file: ")
    (tmp_path / "g.toml").write_text(BASE_TOML + "[sweep]\n"
                                     '"local_spins.J_sd" = [0.1, 0.3]\n'
                                     '"electron.k" = [0.3, 0.5]\n')
    code, lines = run_cli(["sweep", "g.toml", "--out", str(out)])
    assert code == 2
    _one_line(lines, "--out: ")


# ------------------------------------------- 11: failures in workers
def _fails_on_point_2(config):
    if config["local_spins"]["J_sd"] == 0.3 and config["electron"]["k"] == 0.3:
        raise ConfigError("evolution.dt", "expected a step that meets the "
                          "tolerance, got 9")
    return _real(config)


def _real(config):
    # forked workers see the patched run_point and keep the real one aside;
    # loky's fresh workers have only the real one
    return sw.runner.__dict__.get("_real_run_point", sw.runner.run_point)(
        config)


def _dies_on_point_2(config):
    if config["local_spins"]["J_sd"] == 0.3 and config["electron"]["k"] == 0.3:
        os.kill(os.getpid(), signal.SIGKILL)
    return _real(config)


@pytest.fixture
def patched_runner(monkeypatch):
    """Replace the task of the map (workers are forked: they see it)."""
    monkeypatch.setitem(sw.runner.__dict__, "_real_run_point",
                        sw.runner.run_point)

    def patch(task):
        monkeypatch.setattr(sw.runner, "run_point", _Catching(task))
    return patch


class _Catching:
    """``task`` with run_point's error handling (picklable for workers)."""

    def __init__(self, task):
        self.task = task

    def __call__(self, config):
        try:
            return self.task(config)
        except Exception as exc:     # noqa: BLE001 - as run_point does
            return {"key": sw.point_key(config),
                    "error": f"{type(exc).__name__}: {exc}"}


@pytest.mark.parametrize("map_name", [
    "serial", "parallel", pytest.param("loky", marks=pytest.mark.slow)])
def test_point_error_reported_and_other_points_kept(map_name, tmp_path,
                                                    patched_runner):
    if map_name == "loky":
        pytest.importorskip("loky")
    patched_runner(_fails_on_point_2)
    out = tmp_path / "scan.h5"
    with pytest.raises(sw.PointFailed) as info:
        sw.run_sweep(sw.make_sweep(BASE, GRID), out, map_name,
                     num_workers=2 if map_name != "serial" else None)
    text = str(info.value)
    assert "1 point(s) failed; point 2 (local_spins.J_sd = 0.3, electron.k " \
        "= 0.3): ConfigError: evolution.dt" in text
    assert "3 of 4 points are saved" in text and "\n" not in text
    data = sw.read_sweep_result(out)
    assert data["done"].tolist() == [[True, True], [False, True]]


def test_real_run_point_returns_the_error():
    config = sw.make_sweep(BASE, GRID).configs[0]
    config["evolution"]["method"] = "no-such-method"
    out = sw.run_point(config)
    assert "arrays" not in out and out["error"].startswith("ConfigError")


@pytest.mark.parametrize("map_name", [
    "parallel", pytest.param("loky", marks=pytest.mark.slow)])
def test_killed_worker_keeps_finished_points(map_name, tmp_path,
                                             patched_runner):
    if map_name == "loky":
        pytest.importorskip("loky")
    patched_runner(_dies_on_point_2)
    out = tmp_path / "scan.h5"
    with pytest.raises(sw.PointFailed, match="a sweep worker stopped .*"
                       "while running point.s. .*2"):
        sw.run_sweep(sw.make_sweep(BASE, GRID), out, map_name,
                     num_workers=1, checkpoint=0)
    done = sw.read_sweep_result(out)["done"].ravel()
    assert done[:2].all() and not done[2]


_CLI_FAIL = textwrap.dedent("""
    import os, signal, sys
    from qutip_stt.errors import ConfigError
    import qutip_stt.sweep.runner as r
    real = r.run_point
    def task(config):
        if config["local_spins"]["J_sd"] == 0.3:
            if sys.argv[1] == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise ConfigError("evolution.dt", "too large for this energy")
        return real(config)
    def caught(config):
        try:
            return task(config)
        except Exception as exc:
            return {"key": r.point_key(config),
                    "error": f"{type(exc).__name__}: {exc}"}
    r.run_point = caught
    from qutip_stt.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.parametrize("how, map_name, fragment", [
    ("raise", "parallel", "point 1 (local_spins.J_sd = 0.3): ConfigError: "
     "evolution.dt: too large"),
    pytest.param("kill", "parallel", "a sweep worker stopped "
                 "(BrokenProcessPool", marks=pytest.mark.slow),
])
def test_worker_failure_in_a_real_process(how, map_name, fragment, tmp_path):
    (tmp_path / "scan.toml").write_text(BASE_TOML + "[sweep]\n"
                                        '"local_spins.J_sd" = [0.1, 0.3]\n')
    proc = subprocess.run(
        [sys.executable, "-c", _CLI_FAIL, how, "sweep", "scan.toml", "--out",
         "scan.h5", "--map", map_name, "--workers", "1", "--quiet",
         "--checkpoint", "0"],
        cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    _one_line(proc.stderr.strip().splitlines(), fragment)
    assert "1 of 2 points are saved" in proc.stderr
    assert sw.read_sweep_result(tmp_path / "scan.h5")["done"].tolist() == [
        True, False]


# ------------------------------------------- 13: malformed [sweep] tables
SWEEP_TOML = [
    ("preset-list", 'preset = ["paper-collinear"]\n"electron.k" = [0.1]',
     "sweep.preset: expected one of"),
    ("preset-table", 'preset = {name = "paper-collinear"}\n'
     '"electron.k" = [0.1]', "sweep.preset: expected one of"),
    ("preset-number", 'preset = 3\n"electron.k" = [0.1]', "sweep.preset"),
    ("preset-unknown", 'preset = "paper"\n"electron.k" = [0.1]',
     "sweep.preset"),
    ("parent-before-child", '"electron.spin" = ["+x"]\n'
     '"electron.spin.theta" = [0, 90]', "sweep.electron.spin.theta: overlaps"),
    ("child-before-parent", '"electron.spin.theta" = [0, 90]\n'
     '"electron.spin" = ["+x"]', "sweep.electron.spin.theta: overlaps"),
    ("quoted-and-table", '"electron.k" = [0.1]\nelectron.k = [0.2]',
     "sweep.electron.k: is listed twice"),
    ("mode-list", 'mode = ["zip"]\n"electron.k" = [0.1]', "sweep.mode"),
    ("value-not-list", '"electron.k" = 0.1', "sweep.electron.k"),
    ("value-table", '"electron.k" = {a = 1}', "sweep.electron.k.a"),
    ("no-values", 'mode = "zip"', "sweep: lists no values"),
    ("bad-swept-value", '"electron.dk" = [0.1, -0.2]',
     "electron.dk: expected a finite real number greater than 0, got -0.2"),
]


@pytest.mark.parametrize("table, fragment", [c[1:] for c in SWEEP_TOML],
                         ids=[c[0] for c in SWEEP_TOML])
def test_malformed_sweep_table_one_line(table, fragment, run_cli, tmp_path):
    (tmp_path / "bad.toml").write_text(BASE_TOML + "[sweep]\n" + table + "\n")
    code, lines = run_cli(["sweep", "bad.toml", "--out", "bad.h5"])
    assert code == 2
    _one_line(lines, fragment)
    assert [p for p in os.listdir(tmp_path)
            if p.endswith(".h5") or p.startswith(".")] == []


@pytest.mark.parametrize("n_times, table, fragment", [
    (2, '"electron.k" = [0.1, 0.2]', "evolution.t_max: 0 with n_times = 2 "
     "repeats t = 0; give t_max > 0 fs or n_times = 1"),
    (1, '"evolution.n_times" = [1, 3]', "evolution.t_max: 0 with n_times = 3 "
     "repeats t = 0; give t_max > 0 fs or n_times = 1"),
    (1, '"chain.length" = [80, 10]', "electron.x0: expected a finite real "
     "number from 0 to 9, got 40 (at the sweep point chain.length = 10)"),
])
def test_t_max_zero_refused_before_any_file(n_times, table, fragment,
                                            run_cli, tmp_path):
    base = BASE_TOML.replace("t_max = 2.0", "t_max = 0").replace(
        "n_times = 2", f"n_times = {n_times}")
    (tmp_path / "t0.toml").write_text(base + "[sweep]\n" + table + "\n")
    code, lines = run_cli(["sweep", "t0.toml", "--out", "t0.h5"])
    assert code == 2
    _one_line(lines, fragment)
    assert os.listdir(tmp_path) == ["t0.toml"]


def test_array_of_sweep_tables_refused(run_cli, tmp_path):
    (tmp_path / "bad.toml").write_text(BASE_TOML + '[[sweep]]\n'
                                       '"electron.k" = [0.1]\n')
    code, lines = run_cli(["sweep", "bad.toml", "--out", "bad.h5"])
    assert code == 2
    _one_line(lines, "sweep: expected a table [sweep]")


@pytest.mark.slow
def test_malformed_sweep_in_a_real_process(tmp_path):
    (tmp_path / "bad.toml").write_text(
        BASE_TOML + '[sweep]\npreset = ["paper-collinear"]\n'
        '"electron.k" = [0.1]\n')
    code, lines = _cli(["sweep", "bad.toml", "--out", "bad.h5"], tmp_path)
    assert code == 2
    _one_line(lines, "sweep.preset")
    assert not (tmp_path / "bad.h5").exists()


# ------------------------------------------- 6, 15: plot-sweep outputs
@pytest.mark.parametrize("out, fragment", [
    ("figure", "--out: 'figure' has no suffix"),
    ("figure.xyz", "matplotlib cannot write '.xyz'"),
    ("nowhere/figure.png", "does not exist"),
    (".", "--out"),
    ("figure.h5", "matplotlib cannot write '.h5'"),
])
def test_plot_sweep_out_checked_before_drawing(out, fragment, grid_file,
                                               run_cli, tmp_path):
    before = set(os.listdir(tmp_path))
    code, lines = run_cli(["plot-sweep", str(grid_file), "--out", out])
    assert code == 2
    _one_line(lines, fragment)
    assert set(os.listdir(tmp_path)) == before


@pytest.mark.parametrize("make, fragment", [
    (lambda p: None, "file: {} : no such file"),
    (lambda p: p.write_text("precious"), "is not an HDF5 file"),
    (lambda p: p.mkdir(), "is not a regular file"),
    (lambda p: h5py.File(p, "w").close(), "is not a qutip-stt sweep file"),
])
def test_plot_sweep_input_errors_name_the_file(make, fragment, run_cli,
                                               tmp_path):
    src = tmp_path / "input.h5"
    make(src)
    code, lines = run_cli(["plot-sweep", str(src), "--out", "p.png"])
    assert code == 2
    _one_line(lines, "qutip-stt: error: file: ")
    assert fragment.split("{}")[-1].strip() in lines[0]
    assert "--out" not in lines[0]
    assert not (tmp_path / "p.png").exists()


def test_all_points_failing_leave_no_file(tmp_path, patched_runner):
    patched_runner(lambda config: 1 / 0)
    out = tmp_path / "scan.h5"
    with pytest.raises(sw.PointFailed, match="2 point.s. failed.*"
                       "ZeroDivisionError.*0 of 2 points are saved"):
        sw.run_sweep(sw.make_sweep(BASE, {"local_spins.J_sd": [0.1, 0.3]}),
                     out)
    assert os.listdir(tmp_path) == []
