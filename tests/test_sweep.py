"""Parameter sweeps: parsing, physics of the summary, resume, maps, MPI, CLI."""

import os
import shutil
import subprocess
import sys
import tomllib

import h5py
import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import qutip_stt as stt
from qutip_stt import sweep as sw
from qutip_stt.io import sweep_files as sw_files
import qutip_stt.sweep.runner  # noqa: F401  (sw.runner for monkeypatch)
from qutip_stt.cli import main
from qutip_stt.errors import ConfigError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Small and far from the chain ends (no reflection within t_max).
BASE = """
[chain]
length = 120
[local_spins]
count = 2
[electron]
x0 = 40
k = 0.5
[evolution]
t_max = 30.0
n_times = 7
method = "auto"
"""

SWEEP = BASE + """
[sweep]
"local_spins.J_sd" = [0.0, 0.2]
electron.spin.theta = [0, 90, 180]
"""


@pytest.fixture
def sweep_file(tmp_path):
    path = tmp_path / "scan.toml"
    path.write_text(SWEEP)
    return path


@pytest.fixture(scope="module")
def serial_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serial")
    (folder / "scan.toml").write_text(SWEEP)
    out = folder / "scan.h5"
    report = sw.run_sweep(sw.read_sweep(folder / "scan.toml"), out, "serial")
    assert report["n_run"] == 6 and report["n_done"] == 6
    return out


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


# ------------------------------------------------------------ parsing
def test_grid_and_zip_expansion():
    base = {"chain": {"length": 60}}
    grid = sw.make_sweep(base, {"local_spins.J_sd": [0.1, 0.2, 0.3],
                                "electron": {"k": [0.1, 0.2]}})
    assert grid.shape == (3, 2) and len(grid) == 6
    assert grid.keys == ["local_spins.J_sd", "electron.k"]
    # C order: the last axis runs fastest
    assert [c["electron"]["k"] for c in grid.configs[:2]] == [0.1, 0.2]
    assert grid.configs[5]["local_spins"]["J_sd"] == 0.3
    assert grid.coordinates(3) == {"local_spins.J_sd": 0.2, "electron.k": 0.2}
    zipped = sw.make_sweep(base, {"mode": "zip", "local_spins.J_sd": [0.1, 0.2],
                                  "electron.k": [0.3, 0.4]})
    assert zipped.shape == (2,)
    assert [(c["local_spins"]["J_sd"], c["electron"]["k"])
            for c in zipped.configs] == [(0.1, 0.3), (0.2, 0.4)]
    # the base is kept; derived defaults follow the point's values
    assert all(c["chain"]["length"] == 60 for c in grid.configs)


def test_direction_angles_and_preset():
    s = sw.make_sweep({"electron": {"spin": {"theta": 10, "phi": 30}}},
                      {"preset": "paper-collinear",
                       "electron.spin.theta": [0, 90]})
    assert [c["electron"]["spin"] for c in s.configs] == [
        {"theta": 0.0, "phi": 30.0}, {"theta": 90.0, "phi": 30.0}]
    assert s.configs[0]["chain"]["length"] == 400
    named = sw.make_sweep({}, {"electron.spin": ["+x", "-z"]})
    assert [c["electron"]["spin"] for c in named.configs] == ["+x", "-z"]


@pytest.mark.parametrize("table, key", [
    ({"chain.width": [1]}, "sweep.chain.width"),
    ({"electron.spin.psi": [1]}, "sweep.electron.spin.psi"),
    ({"electron.k": 0.1}, "sweep.electron.k"),
    ({"electron.k": []}, "sweep.electron.k"),
    ({"mode": "zip", "electron.k": [0.1], "electron.dk": [0.1, 0.2]},
     "sweep.mode"),
    ({"mode": "spiral", "electron.k": [0.1]}, "sweep.mode"),
    ({"electron.dk": [0.1, -0.2]}, "electron.dk"),
    ({"electron.k": [0.1, 0.1]}, "sweep"),
    ({}, "sweep"),
    ({"preset": "nope", "electron.k": [0.1]}, "sweep.preset"),
])
def test_bad_sweep_tables_name_the_key(table, key):
    with pytest.raises(ConfigError) as info:
        sw.make_sweep({}, table)
    assert info.value.key == key


def test_point_too_large_for_memory_stops_before_work(sweep_file, tmp_path,
                                                      monkeypatch):
    from qutip_stt._util import resources
    monkeypatch.setattr(resources, "available_memory", lambda: 1000)
    monkeypatch.setattr(sw.runner, "run_point", None)      # must not be reached
    with pytest.raises(ConfigError):
        sw.run_sweep(sw.read_sweep(sweep_file), tmp_path / "x.h5")
    assert not (tmp_path / "x.h5").exists()


def test_sweep_file_needs_sweep_table(tmp_path):
    path = tmp_path / "plain.toml"
    path.write_text(BASE)
    with pytest.raises(ConfigError, match="no \\[sweep\\] table"):
        sw.read_sweep(path)


# ------------------------------------------------------------ physics
def test_points_equal_single_runs_and_summary_physics(serial_result):
    data = sw.read_sweep_result(serial_result)
    assert data["shape"] == (2, 3) and data["done"].all()
    assert data["attrs"]["complete"]
    assert data["data"]["local/spin"].shape == (2, 3, 7, 2, 3)
    # every point is the single run of its resolved config
    config = data["configs"][4]
    assert config["local_spins"]["J_sd"] == 0.2
    assert config["electron"]["spin"] == {"theta": 90.0, "phi": 0.0}
    with threadpool_limits(limits=1):     # as every sweep point runs
        single = stt.simulate(config)
    np.testing.assert_array_equal(data["data"]["local/spin"][1, 1],
                                  single.local_spin)
    np.testing.assert_array_equal(data["data"]["probabilities"][1, 1],
                                  single.probabilities)
    assert list(data["data"]["probabilities_labels"][1, 1]) == single.labels
    point = sw.read_sweep_point(serial_result, 4)
    np.testing.assert_array_equal(point["density"], single.density)

    s = data["summary"]
    # J_sd = 0: nothing happens to the spins
    np.testing.assert_allclose(s["purity_local"][0], 1, atol=1e-12)
    np.testing.assert_allclose(s["spin_flip_probability"][0], 0, atol=1e-12)
    np.testing.assert_allclose(s["spin_length"][0], 1, atol=1e-12)
    # J_sd = 0.2: electron +z along the local spins (theta = 0) cannot flip
    assert s["spin_flip_probability"][1, 0] < 1e-12
    assert s["purity_local"][1, 0] == pytest.approx(1, abs=1e-12)
    # collinear antiparallel (theta = 180): total S^z conservation gives
    # sum_n <Sigma^z_n> = N - 2 P_flip, and the local spins shrink
    P = s["spin_flip_probability"][1, 2]
    assert 1e-4 < P < 1
    sz = data["data"]["local/spin"][1, 2, -1, :, 2].sum()
    assert sz == pytest.approx(2 - 2 * P, abs=1e-10)
    assert s["magnetization_length"][1, 2] == pytest.approx(sz, abs=1e-10)
    assert s["purity_local"][1, 2] < 1 - 1e-4
    assert s["spin_length"][1, 2] < 1


def test_ragged_datasets_are_stored_per_point(tmp_path):
    s = sw.make_sweep({"chain": {"length": 60}, "electron": {"x0": 25},
                       "evolution": {"t_max": 10.0, "n_times": 3}},
                      {"mode": "zip", "local_spins.count": [1, 2],
                       "electron.spin": ["+x", {"theta": 120}]})
    out = tmp_path / "ragged.h5"
    sw.run_sweep(s, out)
    data = sw.read_sweep_result(out)
    assert list(data["coords"]["electron.spin"]) == ["+x", {"theta": 120}]
    fig = sw.sweep_plot(data, x="electron.spin")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "+x", '{"theta": 120}']
    assert "t" in data["data"] and "density" in data["data"]
    assert "local/spin" not in data["data"]
    assert sw.read_sweep_point(out, 0)["local/spin"].shape == (3, 1, 3)
    assert sw.read_sweep_point(out, 1)["local/spin"].shape == (3, 2, 3)
    assert sw.read_sweep_point(out, 1)["probabilities_labels"][0] == "↑;↑↑"


# ------------------------------------------------------------ resume
def test_resume_skips_written_points(sweep_file, serial_result, tmp_path,
                                     monkeypatch):
    out = tmp_path / "scan.h5"
    s = sw.read_sweep(sweep_file)
    first = sw.run_sweep(s, out, max_points=2, checkpoint=0)
    assert (first["n_run"], first["n_done"]) == (2, 2)
    with h5py.File(out) as f:
        assert f.attrs["n_done"] == 2 and not f.attrs["complete"]
    ran = []
    real = sw.run_point

    def counting(config):
        ran.append(sw.point_key(config))
        return real(config)

    monkeypatch.setattr(sw.runner, "run_point", counting)
    second = sw.run_sweep(s, out)
    assert (second["n_skipped"], second["n_run"], second["n_done"]) == (2, 4, 6)
    assert len(ran) == 4 and not set(ran) & set(s.point_keys[:2])
    _assert_same_points(out, serial_result)
    third = sw.run_sweep(s, out)
    assert third["n_run"] == 0 and third["n_skipped"] == 6
    _assert_same_points(out, serial_result)


def test_interrupted_sweep_keeps_finished_points(sweep_file, serial_result,
                                                 tmp_path, monkeypatch):
    out = tmp_path / "scan.h5"
    s = sw.read_sweep(sweep_file)
    real = sw.run_point
    calls = []

    def interrupted(config):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(config)

    monkeypatch.setattr(sw.runner, "run_point", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sw.run_sweep(s, out, checkpoint=1e9)
    with h5py.File(out) as f:
        assert f["done"][()].sum() == 3
    assert [p for p in os.listdir(tmp_path) if p.startswith(".tmp")] == []
    monkeypatch.setattr(sw.runner, "run_point", real)
    again = sw.run_sweep(s, out)
    assert (again["n_skipped"], again["n_run"]) == (3, 3)
    _assert_same_points(out, serial_result)


def test_interruption_while_writing_leaves_previous_file(sweep_file,
                                                         tmp_path,
                                                         monkeypatch):
    out = tmp_path / "scan.h5"
    s = sw.read_sweep(sweep_file)
    sw.run_sweep(s, out, max_points=2)
    before = out.read_bytes()
    real = sw_files._write_point

    def dies(f, sweep, index, *args):
        if index == 2:
            raise KeyboardInterrupt          # in the middle of a rewrite
        return real(f, sweep, index, *args)

    monkeypatch.setattr(sw_files, "_write_point", dies)
    with pytest.raises(KeyboardInterrupt):
        sw.run_sweep(s, out, max_points=1, checkpoint=0)
    assert out.read_bytes() == before
    assert sw.read_sweep_result(out)["done"].sum() == 2
    assert [p for p in os.listdir(tmp_path) if p.startswith(".tmp")] == []


def test_changed_sweep_reuses_matching_points(serial_result, tmp_path):
    out = tmp_path / "bigger.h5"
    shutil.copy(serial_result, out)
    s = sw.make_sweep(tomllib.loads(BASE),
                      {"local_spins.J_sd": [0.0, 0.2, 0.4],
                       "electron.spin.theta": [0, 90, 180]})
    report = sw.run_sweep(s, out)
    assert (report["n_skipped"], report["n_run"]) == (6, 3)
    big = sw.read_sweep_result(out)
    small = sw.read_sweep_result(serial_result)
    np.testing.assert_array_equal(big["data"]["local/spin"][:2],
                                  small["data"]["local/spin"])
    assert big["shape"] == (3, 3) and big["done"].all()
    # the other way, points would be dropped: refused, file untouched
    before = out.read_bytes()
    with pytest.raises(ConfigError, match="3 finished points"):
        sw.run_sweep(sw.make_sweep(tomllib.loads(BASE), {
            "local_spins.J_sd": [0.0, 0.2],
            "electron.spin.theta": [0, 90, 180]}), out)
    assert out.read_bytes() == before


def _assert_same_points(a, b):
    da, db = sw.read_sweep_result(a), sw.read_sweep_result(b)
    assert da["configs"] == db["configs"]
    assert da["done"].all() and db["done"].all()
    for name, value in db["data"].items():
        np.testing.assert_array_equal(da["data"][name], value, err_msg=name)
    for name, value in db["summary"].items():
        np.testing.assert_array_equal(da["summary"][name], value)


# ------------------------------------------------------------ maps
def test_parallel_map_equals_serial(sweep_file, serial_result, tmp_path):
    out = tmp_path / "parallel.h5"
    report = sw.run_sweep(sw.read_sweep(sweep_file), out, "parallel",
                          num_workers=2)
    assert report["n_run"] == 6
    _assert_same_points(out, serial_result)


def _mpiexec_command():
    mpiexec = shutil.which("mpiexec")
    if mpiexec is None:
        pytest.skip("mpiexec not found (install openmpi-bin or mpich)")
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        pytest.skip("mpi4py not installed (pip install mpi4py)")
    version = subprocess.run([mpiexec, "--version"], capture_output=True,
                             text=True).stdout
    cmd = [mpiexec, "-n", "2"]
    if "Open MPI" in version or "OpenRTE" in version:
        cmd += ["--oversubscribe"]
    return cmd


@pytest.mark.parametrize("launcher", [
    # as users type it: every rank runs the command; rank 0 leads through
    # MPICommExecutor and writes, the other ranks serve and exit 0
    ["-m", "qutip_stt"],
    # mpi4py's launcher: rank 0 runs the command, the others are its pool
    ["-m", "mpi4py.futures", "-m", "qutip_stt"]],
    ids=["every-rank", "mpi4py.futures"])
def test_mpi_sweep_equals_serial(launcher, sweep_file, serial_result,
                                 tmp_path):
    cmd = _mpiexec_command()
    out = tmp_path / "mpi.h5"
    env = _env()
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    proc = subprocess.run(
        cmd + [sys.executable, *launcher, "sweep", str(sweep_file), "--out",
               str(out), "--map", "mpi"], env=env, capture_output=True,
        text=True, timeout=300)
    # mpiexec exits 0 only if every rank did
    assert proc.returncode == 0, proc.stderr
    assert "being written by another" not in proc.stderr
    assert proc.stdout.count("wrote ") == 1, proc.stdout     # rank 0 alone
    _assert_same_points(out, serial_result)
    assert sw.read_sweep_result(out)["attrs"]["n_done"] == 6
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def test_mpi_without_mpiexec_is_a_config_error(sweep_file, tmp_path,
                                              monkeypatch):
    for var in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                "MPI_LOCALNRANKS"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(ConfigError, match="mpiexec"):
        sw.run_sweep(sw.read_sweep(sweep_file), tmp_path / "x.h5", "mpi")
    assert not (tmp_path / "x.h5").exists()


# ------------------------------------------------------------ CLI
def test_cli_sweep_and_plot(sweep_file, tmp_path, capsys):
    import matplotlib
    matplotlib.use("Agg")
    out = tmp_path / "scan.h5"
    assert main(["sweep", str(sweep_file), "--out", str(out),
                 "--max-points", "1"]) == 0
    text = capsys.readouterr().out
    assert "1 of 6 done" in text and "run the same command" in text
    assert main(["sweep", str(sweep_file), "--out", str(out)]) == 0
    assert "5 points run, 1 already in the file; 6 of 6" in \
        capsys.readouterr().out
    png = tmp_path / "scan.png"
    assert main(["plot-sweep", str(out), "--out", str(png)]) == 0
    assert png.stat().st_size > 10_000
    assert main(["plot-sweep", str(out), "--out", str(tmp_path / "t.png"),
                 "--x", "electron.spin.theta"]) == 0
    fig = sw.sweep_plot(str(out))
    assert [ax.get_ylabel() for ax in fig.axes][2].startswith("electron spin")
    assert len(fig.axes[0].lines) == 3        # one line per theta


@pytest.mark.parametrize("argv, fragment", [
    (["sweep", "SWEEP", "--out", "x.h5", "--map", "mpi"], "mpiexec"),
    (["sweep", "BAD", "--out", "x.h5"], "sweep.chain.width: unknown key"),
    (["sweep", "SWEEP", "--out", "EXISTING"], "not a qutip-stt output"),
    (["sweep", "SWEEP", "--out", "x.h5", "--workers", "0"],
     "--workers: expected an integer >= 1"),
    (["plot-sweep", "missing.h5", "--out", "x.png"], "no such file"),
])
def test_cli_errors_one_line_exit_2(sweep_file, tmp_path, argv, fragment):
    bad = tmp_path / "bad.toml"
    bad.write_text(BASE + "[sweep]\n\"chain.width\" = [1, 2]\n")
    existing = tmp_path / "existing.h5"
    existing.write_text("precious")
    subst = {"SWEEP": str(sweep_file), "BAD": str(bad),
             "EXISTING": str(existing)}
    argv = [subst.get(a, a) for a in argv]
    env = _env()
    for var in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE"):
        env.pop(var, None)
    proc = subprocess.run([sys.executable, "-m", "qutip_stt", *argv],
                          cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert fragment in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert "Traceback" not in proc.stderr
    assert existing.read_text() == "precious"
    assert not (tmp_path / "x.h5").exists()
