"""A full disk at any byte: every writer ends with one line, exit 1, no partial file.

Each writing command runs in-process with its outputs on a tmpfs of a few
KiB (mounted per case; the tests skip where mounting is not allowed), and
again under a file-size limit (``RLIMIT_FSIZE``, which needs no privilege)
in a subprocess. Whatever the size, the command either succeeds with every
output complete or fails with one line naming the file and the reason, no
temporary file left, and no file left that is not complete (a command that
writes several files says which complete ones stay). See the output page
of the docs (``docs/guide/output.md``).
"""

import os
import resource
import shutil
import signal
import subprocess
import sys

import h5py
import pytest

from qutip_stt.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SMALL = ["--preset", "paper-collinear", "--set", "chain.length=60",
         "--set", "local_spins.count=1", "--set", "evolution.t_max=5",
         "--set", "evolution.n_times=4"]

SWEEP = """\
[chain]
length = 60
[local_spins]
count = 1
[evolution]
t_max = 5.0
n_times = 3
[sweep]
"local_spins.J_sd" = [0.05, 0.1]
"""

#: (name, arguments with T for the small file system); every writer.
WRITERS = [
    ("simulate", ["simulate", *SMALL, "--out", "T/r.h5"]),
    ("train", ["train", *SMALL[:6], "--set", "chain.length=120",
               "--electrons", "2", "--out", "T/x.h5"]),
    ("train-plot", ["train", *SMALL[:6], "--set", "chain.length=120",
                    "--electrons", "2", "--out", "T/x.h5", "--plot", "T/k"]),
    ("scatter", ["scatter", *SMALL[:2], "--set", "local_spins.count=1",
                 "--set", "scatter.k={start=0.1,stop=1.0,num=5}",
                 "--out", "T/s.h5", "--figure", "T/s.png"]),
    ("compare-classical", ["compare-classical", *SMALL[:8],
                           "--set", "evolution.n_times=3", "--out", "T/cc"]),
    ("sweep", ["sweep", "sw.toml", "--out", "T/sw.h5"]),
    ("plot-sweep", ["plot-sweep", "swin.h5", "--out", "T/p.png"]),
    ("animate-gif", ["animate", "run.h5", "--out", "T/a.gif"]),
    ("animate-mp4", ["animate", "run.h5", "--out", "T/a.mp4"]),
    ("animate-frame", ["animate", "run.h5", "--frame", "2",
                       "--out", "T/a.png"]),
]

SIZES_KIB = [4, 8, 16, 32, 64, 128]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A small result file, a sweep spec and a small sweep file."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "sw.toml").write_text(SWEEP)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        assert main(["simulate", *SMALL, "--out", "run.h5", "--quiet"]) == 0
        assert main(["sweep", "sw.toml", "--out", "swin.h5", "--quiet"]) == 0
    finally:
        os.chdir(cwd)
    return folder


def _mount(folder, kib):
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a tiny tmpfs")
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs",
                       str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount tmpfs here")


def _complete(path):
    """Whether an output file is whole (HDF5 opens, images end properly)."""
    suffix = os.path.splitext(path)[1]
    with open(path, "rb") as fh:
        data = fh.read()
    if suffix == ".h5":
        with h5py.File(path, "r") as f:
            return f.attrs.get("package") == "qutip-stt"
    if suffix == ".png":
        return data.startswith(b"\x89PNG") and data.endswith(
            b"IEND\xaeB`\x82")
    if suffix == ".gif":
        return data.startswith(b"GIF8") and data.endswith(b";")
    if suffix == ".mp4":
        probe = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration",
             "-of", "csv=p=0", path], capture_output=True, text=True)
        return probe.returncode == 0 and float(probe.stdout or 0) > 0
    if suffix == ".pdf":
        return data.startswith(b"%PDF-") and b"%%EOF" in data[-32:]
    if suffix == ".json":
        import json
        return isinstance(json.loads(data), dict)
    if suffix == ".md":
        return len(data) > 0
    raise AssertionError(f"unexpected output {path}")


def _files(folder):
    return sorted(os.path.join(d, n) for d, _, names in os.walk(folder)
                  for n in names)


def _check_outcome(code, lines, folder):
    files = _files(folder)
    assert not [p for p in files if os.path.basename(p).startswith(".tmp")]
    assert not any("Traceback" in line for line in lines), lines
    for path in files:
        assert _complete(path), f"{path} left incomplete"
    if code == 0:
        return "ok"
    assert code == 1, lines
    assert len(lines) == 1, lines
    assert "No space left on device" in lines[0] or "File too large" in \
        lines[0], lines[0]
    if files:   # several outputs: the complete ones are named as staying
        assert "stay" in lines[0], lines[0]
        for path in files:
            assert os.path.basename(path) in lines[0], (path, lines[0])
    return "full"


@pytest.mark.filterwarnings("ignore::qutip_stt.trains.channel.LeftoverWarning")
@pytest.mark.parametrize("kib", SIZES_KIB)
@pytest.mark.parametrize("name, args", WRITERS, ids=[w[0] for w in WRITERS])
def test_disk_full_at_any_size_is_one_line(name, args, kib, inputs, tmp_path,
                                           monkeypatch, capsys):
    for item in ("run.h5", "swin.h5", "sw.toml"):
        shutil.copy(inputs / item, tmp_path / item)
    tiny = tmp_path / "T"
    _mount(tiny, kib)
    monkeypatch.chdir(tmp_path)
    try:
        try:
            code = main(args + ["--quiet"])
        except SystemExit as exc:
            code = exc.code
        lines = capsys.readouterr().err.strip().splitlines()
        lines = [line for line in lines if "warning" not in line]
        _check_outcome(code, lines, tiny)
    finally:
        subprocess.run(["umount", str(tiny)])


@pytest.mark.slow
@pytest.mark.parametrize("kib", [4, 64, 512, 1536, 8192])
def test_disk_full_in_reproduce(kib, tmp_path, monkeypatch, capsys):
    tiny = tmp_path / "T"
    _mount(tiny, kib)
    monkeypatch.chdir(tmp_path)
    try:
        try:
            code = main(["reproduce", "--quick", "--out", "T/rep", "--quiet"])
        except SystemExit as exc:
            code = exc.code
        lines = capsys.readouterr().err.strip().splitlines()
        _check_outcome(code, [x for x in lines if "warning" not in x], tiny)
    finally:
        subprocess.run(["umount", str(tiny)])


def _limited(limit):
    def start():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return start


@pytest.mark.parametrize("limit", [4096, 12288])
@pytest.mark.parametrize("name, args", [w for w in WRITERS if w[0] in (
    "simulate", "train", "scatter", "compare-classical", "animate-gif")],
    ids=lambda w: w if isinstance(w, str) else "")
def test_file_size_limit_is_one_line(name, args, limit, inputs, tmp_path):
    """Without privileges: a process limit on file size (EFBIG) instead."""
    for item in ("run.h5", "swin.h5", "sw.toml"):
        shutil.copy(inputs / item, tmp_path / item)
    (tmp_path / "T").mkdir()
    # matplotlib's font cache exists already (the in-process tests made it)
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONDONTWRITEBYTECODE="1")
    env.pop("MPLBACKEND", None)
    proc = subprocess.run([sys.executable, "-m", "qutip_stt", *args,
                           "--quiet"], cwd=tmp_path, env=env, text=True,
                          capture_output=True, preexec_fn=_limited(limit),
                          timeout=300)
    lines = [x for x in proc.stderr.strip().splitlines()
             if "warning" not in x]
    outcome = _check_outcome(proc.returncode, lines, tmp_path / "T")
    assert outcome == "full" or limit > 4096
