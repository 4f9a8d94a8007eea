"""Hostile outputs, crafted input files, extreme energies, signals, environment.

Issue 17, classes 2, 5, 6, 7, 9, 10, 12, 14 and 15: every case ends with one
line on stderr, the right exit status (2 for bad input, 1 for an OS error
while writing), no traceback, and no output or temporary file left behind.
"""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import h5py
import numpy as np
import pytest

from qutip_stt._util import resources
from qutip_stt.solvers.memory import run_memory
from qutip_stt.cli import main
from qutip_stt.io import atomic_h5, check_output_path, read_result
from qutip_stt.errors import ConfigError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BASE = """\
[chain]
length = 120
[local_spins]
count = 1
[electron]
x0 = 60
[evolution]
t_max = 4
n_times = 3
"""


@pytest.fixture
def run_cli(run_cli, tmp_path):
    """The shared in-process CLI, with ``a.toml`` (BASE) in its folder."""
    (tmp_path / "a.toml").write_text(BASE)
    return run_cli


def assert_one_line(code, lines, status, fragment, folder, keep=()):
    assert code == status, lines
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]
    assert fragment in lines[0], lines[0]
    left = [p for p in os.listdir(folder) if p.startswith(".tmp")]
    assert left == []


@pytest.fixture(scope="module")
def result_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    (folder / "a.toml").write_text(BASE)
    path = str(folder / "run.h5")
    assert main(["simulate", str(folder / "a.toml"), "--out", path,
                 "--quiet"]) == 0
    return path


# -- class 2 and 15: the output-file policy, checked before any work ------------
def _fifo(p):
    os.mkfifo(p)


def _link(p):
    os.symlink("target.h5", p)


def _foreign(p):
    with open(p, "w") as fh:
        fh.write("my notes\n")


def _foreign_h5(p):
    with h5py.File(p, "w") as f:
        f["x"] = [1.0]


OUT_CASES = [
    ("input-itself", "a.toml", None, "is an input of this command"),
    ("dev-null", "/dev/null", None, "is not a regular file"),
    ("fifo", "pipe.h5", _fifo, "is not a regular file"),
    ("symlink", "link.h5", _link, "is a symbolic link"),
    ("dangling-symlink-elsewhere", "l2.h5", _link, "symbolic link"),
    ("foreign-text", "notes.h5", _foreign, "not a qutip-stt output"),
    ("foreign-hdf5", "other.h5", _foreign_h5, "not a qutip-stt output"),
    ("trailing-slash", "out/", None, "ends with '/'"),
    ("empty", "", None, "empty file name"),
    ("blank", "   ", None, "empty file name"),
    ("too-long", "x" * 300 + ".h5", None, "file name of 303 bytes"),
    ("directory", ".", None, "is a directory"),
]


@pytest.mark.parametrize("out, make, fragment", [c[1:] for c in OUT_CASES],
                         ids=[c[0] for c in OUT_CASES])
def test_simulate_output_policy(out, make, fragment, run_cli, tmp_path):
    if make is not None:
        make(str(tmp_path / out))
    before = sorted(os.listdir(tmp_path))
    code, lines = run_cli(["simulate", "a.toml", "--out", out, "--quiet"])
    assert_one_line(code, lines, 2, "--out: ", tmp_path)
    assert fragment in lines[0], lines[0]
    assert sorted(os.listdir(tmp_path)) == before
    assert (tmp_path / "a.toml").read_text() == BASE


def test_force_replaces_foreign_but_never_input_or_device(run_cli, tmp_path):
    _foreign(str(tmp_path / "notes.h5"))
    assert run_cli(["simulate", "a.toml", "--out", "notes.h5", "--quiet",
                    "--force"])[0] == 0
    assert read_result(tmp_path / "notes.h5")["times"].shape == (3,)
    # ours now: replaced without --force
    assert run_cli(["simulate", "a.toml", "--out", "notes.h5", "--quiet"])[0] == 0
    for out in ("a.toml", "/dev/null"):
        code, lines = run_cli(["simulate", "a.toml", "--out", out, "--force"])
        assert code == 2 and len(lines) == 1


@pytest.mark.parametrize("out, extra, fragment", [
    ("run.h5", [], "is an input of this command"),
    ("still.jpg", ["--frame", "2"], "unknown still-frame format"),
    ("anim.avi", [], "unknown animation format"),
    ("noext", [], "unknown animation format"),
    ("sub/", [], "ends with '/'"),
    ("/dev/null", ["--frame", "2"], "not a regular file"),
])
def test_animate_checks_path_and_format_before_drawing(
        out, extra, fragment, run_cli, tmp_path, result_file):
    shutil.copy(result_file, tmp_path / "run.h5")
    code, lines = run_cli(["animate", "run.h5", "--out", out, *extra])
    assert_one_line(code, lines, 2, fragment, tmp_path)


# -- class 9: disk full while writing -----------------------------------------
def test_disk_full_in_h5_write_is_one_line(run_cli, tmp_path, monkeypatch):
    real = h5py.Group.create_dataset

    def full(self, name, *args, **kwargs):
        if name == "density":
            raise OSError(errno.ENOSPC, "Can't synchronously write data "
                          "(file write failed: errno = 28,\n error message = "
                          "'No space left on device')")
        return real(self, name, *args, **kwargs)
    monkeypatch.setattr(h5py.Group, "create_dataset", full)
    code, lines = run_cli(["simulate", "a.toml", "--out", "out.h5", "--quiet"])
    assert_one_line(code, lines, 1, "out.h5: No space left on device",
                    tmp_path)
    assert not (tmp_path / "out.h5").exists()


def test_close_failure_is_one_line(tmp_path, monkeypatch):
    def failing_close(self):
        raise RuntimeError("Can't decrement id ref count (file write failed: "
                           "errno = 28)")
    path = tmp_path / "x.h5"
    with pytest.raises(OSError) as info:
        with atomic_h5(path) as f:
            f["x"] = [1.0]
            monkeypatch.setattr(h5py.File, "close", failing_close)
    monkeypatch.undo()
    assert info.value.strerror == "No space left on device"
    assert os.listdir(tmp_path) == []


def test_frame_savefig_failure_is_one_line(run_cli, tmp_path, result_file,
                                           monkeypatch):
    import zlib

    from matplotlib.figure import Figure

    def full(self, *args, **kwargs):
        raise zlib.error("Error -3 while compressing data")
    monkeypatch.setattr(Figure, "savefig", full)
    shutil.copy(result_file, tmp_path / "run.h5")
    code, lines = run_cli(["animate", "run.h5", "--frame", "2", "--out",
                           "f.pdf"])
    assert_one_line(code, lines, 1, "f.pdf:", tmp_path)
    assert not (tmp_path / "f.pdf").exists()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"),
                    reason="needs root to mount a tiny tmpfs")
def test_disk_full_real_process(tmp_path):
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                       str(tiny)], capture_output=True).returncode:
        pytest.skip("cannot mount tmpfs here")
    try:
        cfg = tmp_path / "a.toml"
        cfg.write_text(BASE.replace("n_times = 3", "n_times = 200"))
        env = dict(os.environ, PYTHONPATH=ROOT)
        proc = subprocess.run(
            [sys.executable, "-m", "qutip_stt", "simulate", str(cfg), "--out",
             str(tiny / "out.h5"), "--quiet"], capture_output=True, text=True,
            env=env)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 1, proc.stderr
        assert len(lines) == 1 and "No space left on device" in lines[0]
        assert os.listdir(tiny) == []
    finally:
        subprocess.run(["umount", str(tiny)])


# -- class 10: crafted or foreign result files ---------------------------------
def _replace(name, data):
    def edit(f):
        del f[name]
        f[name] = data
    return edit


def _attr(name, value):
    def edit(f):
        f.attrs[name] = value
    return edit


def _external(f):
    del f["t"]
    f["t"] = h5py.ExternalLink("/etc/other.h5", "/t")


def _huge(f):
    del f["density"]
    f.create_dataset("density", shape=(3, 10 ** 10), dtype="f8",
                     chunks=(1, 1024))


def _soft(f):
    del f["norm"]
    f["norm"] = h5py.SoftLink("/energy")


def _group(f):
    del f["energy"]
    f.create_group("energy")


CRAFTED = [
    ("t-empty", _replace("t", np.zeros(0)), "dataset t"),
    ("t-scalar", _replace("t", 1.0), "dataset t"),
    ("t-2d", _replace("t", np.zeros((3, 1))), "dataset t"),
    ("t-strings", _replace("t", np.array([b"a", b"b", b"c"])), "dataset t"),
    ("t-nan", _replace("t", [0.0, np.nan, 4.0]), "dataset t"),
    ("t-decreasing", _replace("t", [0.0, 4.0, 2.0]), "dataset t"),
    ("t-wrong-length", _replace("t", [0.0, 1.0]), "dataset "),
    ("local-spin-2d", _replace("local/spin", np.zeros((3, 3))),
     "dataset local/spin"),
    ("local-spin-4-components", _replace("local/spin", np.zeros((3, 1, 4))),
     "dataset local/spin"),
    ("electron-spin-complex", _replace("electron/spin",
                                       np.zeros((3, 3), complex)),
     "dataset electron/spin"),
    ("local-spin-inf", _replace("local/spin", np.full((3, 1, 3), np.inf)),
     "dataset local/spin"),
    ("purity-missing", lambda f: f.__delitem__("purity/local"),
     "dataset purity/local"),
    ("external-link", _external, "dataset t"),
    ("soft-link", _soft, "dataset norm"),
    ("group-instead", _group, "dataset energy"),
    ("huge-declared", _huge, "dataset density"),
    ("spin-size-nan", _attr("model_S", np.nan), "attribute model_S"),
    ("spin-size-text", _attr("model_S", "big"), "attribute model_S"),
    ("spin-size-0.3", _attr("model_S", 0.3), "attribute model_S"),
    ("config-json-bad", _attr("config_json", "{not json"),
     "attribute config_json"),
    ("config-json-list", _attr("config_json", "[1, 2]"),
     "attribute config_json"),
    ("not-ours", _attr("format", "something else"), "not a qutip-stt result"),
]


@pytest.mark.parametrize("edit, fragment", [c[1:] for c in CRAFTED],
                         ids=[c[0] for c in CRAFTED])
def test_crafted_result_refused_by_every_reader(edit, fragment, run_cli,
                                               tmp_path, result_file):
    path = tmp_path / "crafted.h5"
    shutil.copy(result_file, path)
    with h5py.File(path, "a") as f:
        edit(f)
    with pytest.raises(ConfigError, match=fragment.split()[-1].replace(
            "/", "/")):
        read_result(path)
    code, lines = run_cli(["animate", "crafted.h5", "--frame", "2", "--out",
                           "f.png"])
    assert_one_line(code, lines, 2, fragment, tmp_path)
    assert not (tmp_path / "f.png").exists()


@pytest.mark.parametrize("content", [b"", b"\x89HDF\r\n\x1a\n garbage",
                                     b"plain text"])
def test_non_hdf5_result_is_one_line(content, run_cli, tmp_path):
    (tmp_path / "bad.h5").write_bytes(content)
    code, lines = run_cli(["animate", "bad.h5", "--out", "a.gif"])
    assert_one_line(code, lines, 2, "not an HDF5 file", tmp_path)


def test_fifo_as_input_is_refused_without_blocking(run_cli, tmp_path):
    os.mkfifo(tmp_path / "in.h5")
    code, lines = run_cli(["animate", "in.h5", "--out", "a.gif"])
    assert_one_line(code, lines, 2, "not a regular file", tmp_path)


# -- every HDF5 reader opens its input through io.schema.open_hdf5 -------------
def _read_scattering(path):
    from qutip_stt.io.scattering import read_scattering
    return read_scattering(path)


def _read_train(path):
    from qutip_stt.io.trains import read_train
    return read_train(path)


READERS = [("read_result", read_result, "qutip-stt result"),
           ("read_scattering", _read_scattering, "qutip-stt scattering"),
           ("read_train", _read_train, "qutip-stt train")]


def _refusal(read, path, timeout=30):
    """The ConfigError of ``read(path)``, run so that it cannot hang the suite.

    The read runs in a thread; if it is still running after ``timeout`` s
    it is blocked on opening the FIFO: a writer end is opened and closed to
    release it, and the test fails.
    """
    caught = {}

    def target():
        try:
            read(path)
        except BaseException as exc:    # noqa: BLE001  (reported below)
            caught["exc"] = exc
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(timeout)
        pytest.fail(f"{path}: the reader blocked instead of refusing")
    assert isinstance(caught.get("exc"), ConfigError), caught
    return caught["exc"]


def _bytes(content):
    def make(p):
        with open(p, "wb") as fh:
            fh.write(content)
    return make


def _h5_with_format(fmt):
    def make(p):
        with h5py.File(p, "w") as f:
            f["x"] = [1.0]
            if fmt is not None:
                f.attrs["format"] = fmt
    return make


HOSTILE_INPUTS = [
    ("fifo", _fifo, "is not a regular file (a device, FIFO or socket)"),
    ("directory", os.mkdir, "is a directory, not an HDF5 file"),
    ("missing", None, ": no such file"),
    ("empty", _bytes(b""), "is not an HDF5 file"),
    ("text", _foreign, "is not an HDF5 file"),
    ("hdf5-signature-garbage", _bytes(b"\x89HDF\r\n\x1a\n garbage"),
     "is not an HDF5 file"),
    ("hdf5-no-format", _h5_with_format(None), "(no 'format' attribute; "),
    ("hdf5-format-array", _h5_with_format(np.arange(3)),
     "(its 'format' attribute is not a string; "),
    ("hdf5-other-format", _h5_with_format("something else"),
     "(its 'format' attribute is 'something else'; "),
]


@pytest.mark.parametrize("make, fragment", [c[1:] for c in HOSTILE_INPUTS],
                         ids=[c[0] for c in HOSTILE_INPUTS])
@pytest.mark.parametrize("read, fmt", [c[1:] for c in READERS],
                         ids=[c[0] for c in READERS])
def test_every_reader_refuses_hostile_input_in_one_line(read, fmt, make,
                                                        fragment, tmp_path):
    path = str(tmp_path / "in.h5")
    if make is not None:
        make(path)
    exc = _refusal(read, path)
    assert exc.key == "file"
    text = str(exc)
    assert text.startswith(f"file: {path}"), text
    assert fragment in text and "\n" not in text, text
    if "format" in fragment:
        assert f"is not a {fmt} file" in text, text
        assert text.endswith(f"expected {fmt!r})"), text
    assert sorted(os.listdir(tmp_path)) == ([] if make is None else ["in.h5"])


@pytest.mark.parametrize("read, fmt", [c[1:] for c in READERS[1:]],
                         ids=[c[0] for c in READERS[1:]])
def test_result_file_given_to_another_reader(read, fmt, tmp_path,
                                             result_file):
    exc = _refusal(read, result_file)
    assert str(exc) == (f"file: {result_file} is not a {fmt} file (its "
                        f"'format' attribute is 'qutip-stt result'; expected "
                        f"{fmt!r})")


@pytest.mark.parametrize("fmt", ["qutip-stt scattering", "qutip-stt train"])
def test_other_file_given_to_read_result(fmt, tmp_path):
    path = str(tmp_path / "other.h5")
    _h5_with_format(fmt)(path)
    exc = _refusal(read_result, path)
    assert f"is not a qutip-stt result file (its 'format' attribute is " \
        f"{fmt!r}; expected 'qutip-stt result')" in str(exc)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
@pytest.mark.parametrize("read, fmt", [c[1:] for c in READERS],
                         ids=[c[0] for c in READERS])
def test_every_reader_refuses_an_unreadable_file(read, fmt, tmp_path,
                                                result_file):
    path = tmp_path / "locked.h5"
    shutil.copy(result_file, path)
    path.chmod(0)
    exc = _refusal(read, str(path))
    assert str(exc) == f"file: {path}: cannot read (permission denied)"


# -- class 5: methods at extreme energies -------------------------------------
@pytest.mark.parametrize("method, key", [
    ("crank-nicolson", "evolution.dt"),
    ("sesolve", "chain.hopping"),
    ("auto", "chain.hopping"),
    ("chebyshev", "chain.hopping"),
])
def test_extreme_energies_refused_before_the_run(method, key, run_cli,
                                                 tmp_path):
    start = time.perf_counter()
    code, lines = run_cli(["simulate", "a.toml", "--out", "o.h5", "--quiet",
                           "--method", method, "--set",
                           "chain.hopping=1e3", "--set",
                           "evolution.t_max=1e5"])
    lines = [ln for ln in lines if "warning" not in ln]
    assert_one_line(code, lines, 2, key, tmp_path)
    assert time.perf_counter() - start < 20
    assert not (tmp_path / "o.h5").exists()


def test_crank_nicolson_suggests_a_step(run_cli, tmp_path):
    code, lines = run_cli(["simulate", "a.toml", "--out", "o.h5", "--quiet",
                           "--method", "crank-nicolson", "--set",
                           "evolution.dt=3", "--set", "evolution.t_max=400",
                           "--set", "chain.hopping=3"])
    assert code == 2
    assert "use dt <= " in lines[-1]


def test_limits_accept_the_paper_defaults():
    from qutip_stt.config import preset
    from qutip_stt.simulation import build
    from qutip_stt.solvers.limits import CN_TOLERANCE, check_limits

    model, psi0, times = build(preset("paper-collinear"))
    out = check_limits(model, psi0, times, "crank-nicolson", dt=0.1)
    assert out["cn_bound"] < CN_TOLERANCE
    check_limits(model, psi0, times, "sesolve")
    check_limits(model, psi0, times, "chebyshev")


# -- class 15: times --------------------------------------------------------------
@pytest.mark.parametrize("sets, key", [
    (["evolution.n_times=1"], "evolution.n_times"),
    (["evolution.t_max=0"], "evolution.t_max"),
])
def test_times_that_would_be_ignored_or_repeated(sets, key, run_cli, tmp_path):
    args = ["simulate", "a.toml", "--out", "o.h5", "--quiet"]
    for s in sets:
        args += ["--set", s]
    code, lines = run_cli(args)
    assert_one_line(code, lines, 2, key, tmp_path)


def test_short_t_max_runs_with_auto(run_cli, tmp_path):
    """dt (crank-nicolson only) no longer refuses t_max = 1e-9 for auto."""
    code, lines = run_cli(["simulate", "a.toml", "--out", "o.h5", "--quiet",
                           "--set", "evolution.t_max=1e-9"])
    assert code == 0, lines
    code, lines = run_cli(["simulate", "a.toml", "--out", "o2.h5", "--quiet",
                           "--set", "evolution.t_max=1e-9", "--method",
                           "crank-nicolson"])
    assert code == 0, lines


# -- class 7: every stage in the memory estimate ------------------------------
def test_reflection_check_is_in_the_estimate_and_linear():
    mem = run_memory(10_000, 5, 0.5, "auto", t_max=500)
    assert mem["reflection"] == resources.reflection_memory(10_000, 5, 500)
    small = resources.reflection_memory(100_000, 5)
    assert small < 2 ** 30                       # O(Lx): 100,000 sites < 1 GiB
    old_dense = 8 * (3 * 10_000) ** 2             # the eigenvector matrix alone
    assert resources.reflection_memory(10_000, 5) < old_dense / 20


def test_reflection_times_match_the_dense_route():
    import scipy.linalg

    from qutip_stt.constants import HBAR_EV_FS
    from qutip_stt.model.reflections import reflection_times

    Lx, x0, sites = 120, 40.0, np.array([70, 71])
    got = reflection_times(Lx, x0=x0, sites=sites, t_max=400)
    # independent route: dense eigenvectors (the former implementation)
    steps = np.arange(0.0, 401.0)

    def dens(length, offset, cols):
        x = np.arange(Lx)
        amp = np.zeros(length, complex)
        a = np.exp(0.1j * x - 0.2 ** 2 * (x - x0) ** 2 / 4)
        amp[offset:offset + Lx] = a / np.linalg.norm(a)
        w, v = scipy.linalg.eigh_tridiagonal(np.zeros(length),
                                             -np.ones(length - 1))
        ph = np.exp(-1j * np.outer(steps, w) / HBAR_EV_FS)
        return np.abs((ph * (v.T @ amp)) @ v[cols].T) ** 2

    ends = np.r_[0:10, Lx - 10:Lx]
    fin = dens(Lx, 0, np.r_[ends, sites])
    inf = dens(3 * Lx, Lx, sites + Lx)
    t_edge = steps[np.argmax(fin[:, :20].sum(1) >= 0.01)]
    t_echo = steps[np.argmax(np.abs(fin[:, 20:] - inf).sum(1) >= 1e-3)]
    assert got == (t_edge, t_echo)


@pytest.mark.slow
def test_reflection_check_peak_memory_large_chain():
    """Measured peak of the check at Lx = 10,000 stays within its estimate."""
    code = ("import resource, qutip_stt.states as s;"
            "b = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
            "s.reflection_times(10000, x0=4000, t_max=500,"
            " sites=range(4998, 5003));"
            "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - b)"
            " * 1024)")
    env = dict(os.environ, PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, env=env, check=True).stdout
    assert int(out) < resources.reflection_memory(10_000, 5, 500, orbitals=1)


def test_t_max_1e8_is_refused_before_allocating(run_cli, tmp_path):
    code, lines = run_cli(["simulate", "a.toml", "--out", "o.h5", "--quiet",
                           "--set", "evolution.t_max=1e8"])
    lines = [ln for ln in lines if "warning" not in ln]
    assert_one_line(code, lines, 2, "Chebyshev terms", tmp_path)


# -- classes 12 and 14: signals at start-up, environment ------------------------
def _env(**extra):
    env = dict(os.environ, PYTHONPATH=ROOT, **extra)
    return env


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_while_starting_is_one_line(signum, tmp_path):
    """A signal once the package is importing: one line, never a traceback."""
    (tmp_path / "a.toml").write_text(BASE)
    code = ("import os, signal, runpy, sys;"
            "sys.argv = ['-m'];"
            "import qutip_stt;"                       # handlers installed here
            f"os.kill(os.getpid(), {int(signum)});"
            "import time; time.sleep(5)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, env=_env(), cwd=tmp_path, timeout=60)
    assert proc.returncode == 128 + signum
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "while starting" in lines[0]
    assert "Traceback" not in proc.stderr


def test_library_import_leaves_signals_alone():
    code = ("import signal, qutip_stt, qutip_stt.cli;"
            "print(signal.getsignal(signal.SIGINT) is "
            "signal.default_int_handler,"
            " signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, env=_env(), check=True).stdout
    assert out.split() == ["True", "True"]


def test_nonsense_mplbackend_and_ascii_io(tmp_path):
    (tmp_path / "a.toml").write_text(BASE)
    folder = tmp_path / "dö"
    folder.mkdir()
    env = _env(MPLBACKEND="nonsense", PYTHONIOENCODING="ascii")
    for args in (["simulate", "a.toml", "--out", str(folder / "rün.h5")],
                 ["animate", str(folder / "rün.h5"), "--frame", "2", "--out",
                  str(folder / "ü.png")]):
        proc = subprocess.run([sys.executable, "-m", "qutip_stt", *args],
                              capture_output=True, text=True, env=env,
                              cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        assert "wrote" in proc.stdout
    assert sorted(os.listdir(folder)) == ["rün.h5", "ü.png"]


def test_check_output_path_policy_in_python(tmp_path):
    cfg = tmp_path / "a.toml"
    cfg.write_text(BASE)
    with pytest.raises(ConfigError, match="input"):
        check_output_path(cfg, inputs=[str(cfg)], overwrite=True)
    assert check_output_path(tmp_path / "new.h5") == str(tmp_path / "new.h5")
    assert json.loads(json.dumps({"ok": 1}))  # keeps json import honest


def test_reflection_phases_by_doubling_equal_exp():
    # the check's phases z**j (by doubling) against exp(-i j theta) directly
    # and against the cumulative product it replaced, over the longest batch
    # it forms (both references carry ~j 1e-16 of rounding themselves)
    from qutip_stt.model.reflections import _powers

    theta = np.linspace(-3.1, 3.1, 257)
    count = 2 ** 20 // 1200 + 7
    z = np.exp(-1j * theta)
    got = _powers(z, count)
    exact = np.exp(-1j * np.outer(np.arange(count), theta))
    cumulative = np.cumprod(np.vstack([np.ones_like(z)] + [z] * (count - 1)),
                            axis=0)
    assert np.max(np.abs(got - exact)) < 1e-12
    assert np.max(np.abs(got - exact)) <= 2 * np.max(np.abs(cumulative - exact))
    assert _powers(np.exp(-1j * theta), 0).shape == (0, theta.size)
