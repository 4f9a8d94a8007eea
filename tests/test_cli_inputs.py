"""Hostile input: malformed configs and CLI invocations.

Every case must end with exit status 2, exactly one line on stderr naming the
problem, no traceback and no output file (nor a leftover temporary file).
Cases run in-process through :func:`qutip_stt.cli.main` (an unexpected
exception would fail the test as loudly as a traceback); a sample also runs
as a real subprocess.
"""

import os
import subprocess
import sys

import pytest

from qutip_stt._util import resources
from qutip_stt.solvers.memory import run_memory


#: A valid, small config every file case starts from (a case replaces lines).
BASE = """\
[chain]
length = 100
[local_spins]
count = 2
[electron]
x0 = 30
[evolution]
t_max = 10
n_times = 3
"""

FILE_CASES = [
    # (id, config text or bytes, fragment of the one-line error)
    ("length-string", BASE.replace("length = 100", 'length = "100"'),
     "chain.length: expected an integer"),
    ("length-fractional", BASE.replace("length = 100", "length = 40.5"),
     "chain.length"),
    ("length-zero", BASE.replace("length = 100", "length = 0"),
     "chain.length: expected an integer at least 2"),
    ("length-negative", BASE.replace("length = 100", "length = -400"),
     "chain.length"),
    ("length-table", BASE.replace("length = 100", "length = {a = 1}"),
     "chain.length"),
    ("hopping-nan", BASE.replace("length = 100", "length = 100\nhopping = nan"),
     "chain.hopping: expected a finite real number"),
    ("J-inf", BASE.replace("count = 2", "count = 2\nJ = inf"),
     "local_spins.J: expected a finite real number"),
    ("J_sd-minus-inf", BASE.replace("count = 2", "count = 2\nJ_sd = -inf"),
     "local_spins.J_sd"),
    ("count-zero", BASE.replace("count = 2", "count = 0"),
     "local_spins.count: expected an integer from 1"),
    ("count-negative", BASE.replace("count = 2", "count = -3"),
     "local_spins.count"),
    ("count-fractional", BASE.replace("count = 2", "count = 2.5"),
     "local_spins.count"),
    ("count-boolean", BASE.replace("count = 2", "count = true"),
     "local_spins.count"),
    ("count-longer-than-chain", BASE.replace("count = 2", "count = 101"),
     "local_spins.count: expected an integer from 1 to 100"),
    # local spins along +x spread over every total-S^z sector: the full
    # space is refused; along +z the run lives in one sector (memory check)
    ("count-huge", BASE.replace("count = 2", "count = 20\ndirection = \"+x\""),
     "local_spins.count: Hilbert space of dimension 209,715,200"),
    ("length-huge", BASE.replace("length = 100", "length = 100000000"),
     "chain.length: the run in the total-S^z sectors 0.5 (300,000,000 "
     "states) needs about"),
    ("spin-0.3", BASE.replace("count = 2", "count = 2\nspin = 0.3"),
     "local_spins.spin: expected a positive half-integer"),
    ("spin-zero", BASE.replace("count = 2", "count = 2\nspin = 0"),
     "local_spins.spin"),
    ("spin-list", BASE.replace("count = 2", "count = 2\nspin = [0.5]"),
     "local_spins.spin"),
    ("first-site-off-chain", BASE.replace("count = 2", "count = 2\n"
                                          "first_site = 99"),
     "local_spins.first_site: expected an integer from 0 to 98"),
    ("direction-unknown", BASE.replace("count = 2", "count = 2\n"
                                       'direction = "up"'),
     "local_spins.direction"),
    ("dk-zero", BASE.replace("x0 = 30", "x0 = 30\ndk = 0"), "electron.dk"),
    ("x0-off-chain", BASE.replace("x0 = 30", "x0 = 1e9"),
     "electron.x0: expected a finite real number from 0 to 99"),
    ("electron-spin-word", BASE.replace("x0 = 30", 'x0 = 30\nspin = "sideways"'),
     "electron.spin"),
    ("electron-theta-270", BASE.replace("x0 = 30",
                                        "x0 = 30\nspin = {theta = 270}"),
     "electron.spin.theta"),
    ("t_max-negative", BASE.replace("t_max = 10", "t_max = -1"),
     "evolution.t_max"),
    ("n_times-zero", BASE.replace("n_times = 3", "n_times = 0"),
     "evolution.n_times"),
    ("n_times-fractional", BASE.replace("n_times = 3", "n_times = 1.5"),
     "evolution.n_times"),
    ("method-unknown", BASE + 'method = "euler"\n', "evolution.method: "
     "expected one of"),
    ("dt-nan", BASE + "dt = nan\n", "evolution.dt"),
    ("unknown-table", BASE + "[lattice]\nsize = 3\n", "lattice: unknown"),
    ("unknown-key", BASE.replace("length = 100", "length = 100\nwidth = 3"),
     "chain.width: unknown key"),
    ("duplicate-key", BASE.replace("length = 100", "length = 100\nlength = 5"),
     "not valid TOML"),
    ("duplicate-table", BASE + "[chain]\nhopping = 2.0\n", "not valid TOML"),
    ("malformed-toml", "[chain\nlength = 100\n", "not valid TOML"),
    ("non-utf8", BASE.encode() + b"# \xff\xfe caf\xe9\n", "not UTF-8"),
    ("binary-garbage", bytes(range(256)) * 4, "is not UTF-8 text (byte 128)"),
]


def assert_refused(code, lines, fragment, folder):
    assert code == 2
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]
    assert fragment in lines[0], lines[0]
    leftovers = [p for p in os.listdir(folder)
                 if p.endswith(".h5") or p.startswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize("content, fragment",
                         [c[1:] for c in FILE_CASES],
                         ids=[c[0] for c in FILE_CASES])
def test_malformed_config_file(content, fragment, run_cli, tmp_path):
    path = tmp_path / "hostile.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    code, lines = run_cli(["simulate", str(path), "--out", "out.h5",
                           "--quiet"])
    assert_refused(code, lines, fragment, tmp_path)


INVOCATIONS = [
    ("no-config", ["simulate", "--out", "out.h5"], "config: give a TOML"),
    ("missing-file", ["simulate", "missing.toml", "--out", "out.h5"],
     "no such file"),
    ("config-is-directory", ["simulate", ".", "--out", "out.h5"],
     "is a directory"),
    ("out-is-directory", ["simulate", "CFG", "--out", "."], "is a directory"),
    ("out-folder-missing", ["simulate", "CFG", "--out", "nowhere/out.h5"],
     "does not exist"),
    ("out-under-a-file", ["simulate", "CFG", "--out", "CFG/out.h5"],
     "does not exist"),
    ("out-unwritable", ["simulate", "CFG", "--out", "/proc/out.h5"],
     "--out: cannot write in folder /proc"),
    ("set-without-equals", ["simulate", "CFG", "--out", "out.h5", "--set",
                            "oops"], "key=value"),
    ("set-unknown-key", ["simulate", "CFG", "--out", "out.h5", "--set",
                         "chain.width=3"], "chain.width: unknown key"),
    ("set-wrong-type", ["simulate", "CFG", "--out", "out.h5", "--set",
                        "chain.length=abc"], "chain.length"),
    ("method-unknown", ["simulate", "CFG", "--out", "out.h5", "--method",
                        "euler"], "evolution.method"),
    ("progress-unknown", ["simulate", "CFG", "--out", "out.h5", "--progress",
                          "fancy"], "invalid choice"),
    ("preset-and-file", ["simulate", "CFG", "--preset", "paper-collinear",
                         "--out", "out.h5"], "not both"),
    ("preset-unknown", ["simulate", "--preset", "paper-sideways", "--out",
                        "out.h5"], "invalid choice"),
    ("command-unknown", ["frobnicate"], "invalid choice"),
    ("out-missing", ["simulate", "CFG"], "--out"),
]


@pytest.mark.parametrize("args, fragment", [c[1:] for c in INVOCATIONS],
                         ids=[c[0] for c in INVOCATIONS])
def test_hostile_invocation(args, fragment, run_cli, tmp_path):
    cfg = tmp_path / "small.toml"
    cfg.write_text(BASE)
    args = [a.replace("CFG", str(cfg)) for a in args]
    code, lines = run_cli(args)
    assert_refused(code, lines, fragment, tmp_path)


@pytest.mark.parametrize("method, key", [
    ("crank-nicolson", "evolution.method"),  # the exact method would fit
    ("auto", "local_spins.count"),           # nothing fits
])
def test_memory_refused_up_front_with_estimate(method, key, run_cli, tmp_path,
                                               monkeypatch):
    """A run larger than the memory available is refused before it starts."""
    cfg = tmp_path / "big.toml"
    cfg.write_text(BASE.replace("count = 2", "count = 10").replace(
        "length = 100", "length = 400") + f'method = "{method}"\n')
    need = run_memory(400, 10, 0.5, method, 3, t_max=10)["total"]
    exact = run_memory(400, 10, 0.5, "auto", 3, t_max=10)["total"]
    # between the two estimates: CN does not fit, the sector method does
    available = (need + exact) / 2 / resources.MEMORY_FRACTION
    if method == "auto":
        available = exact / 2
    monkeypatch.setattr(resources, "available_memory", lambda: available)
    code, lines = run_cli(["simulate", str(cfg), "--out", "out.h5"])
    assert_refused(code, lines, key, tmp_path)
    assert f"needs about {need / 2**30:.1f} GiB" in lines[0]
    if method != "auto":
        assert "method 'auto'" in lines[0]


def test_memory_estimates_bound_measured_peaks():
    """The estimates are upper envelopes of measured peaks (module table)."""
    measured_mib = {(200, 8, 0.5, "chebyshev"): 75,
                    (200, 8, 0.5, "sesolve"): 108,
                    (200, 8, 0.5, "crank-nicolson"): 414,
                    (200, 9, 0.5, "chebyshev"): 147,
                    (200, 6, 1.0, "crank-nicolson"): 1873,
                    (400, 5, 0.5, "crank-nicolson"): 98}
    for args, mib in measured_mib.items():
        est = run_memory(*args, n_times=3)["total"] / 2**20
        assert mib < est < 2.5 * mib, (args, est)


@pytest.mark.parametrize("extra, fragment", [
    # along +x every total-S^z sector is populated: the full space refused
    (["--set", "local_spins.count=30", "--set",
      'local_spins.direction="+x"'], "local_spins.count: Hilbert space"),
    (["--set", "electron.x0=nan"], "electron.x0"),
])
def test_refused_in_a_real_process(extra, fragment, tmp_path):
    """The same one-line refusal from the installed console entry point."""
    cfg = tmp_path / "small.toml"
    cfg.write_text(BASE)
    out = tmp_path / "out.h5"
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "simulate", str(cfg), "--out",
         str(out), *extra], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists()
