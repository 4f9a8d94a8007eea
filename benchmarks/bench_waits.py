"""Where users wait, side by side with ``python -c "import qutip"``.

:func:`side_by_side` runs each command of :data:`SIDE_BY_SIDE` alternately
with the yardstick (A B A B ..., fresh processes) and takes the ratio pair
by pair, so a drift of the machine's speed moves both; :func:`user_waits`
times the test suite and the README's ``qutip.sesolve`` check. Called by
``run_all.py`` (``--only side-by-side,user-waits`` measures them alone).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


#: The yardstick of the side-by-side rows: what a QuTiP user already waits for.
YARDSTICK = ["-c", "import qutip"]

# (key, what, arguments of `qutip-stt`, frames, pairs): each run alternately
# with `python -c "import qutip"` (A B A B ...), the ratio taken pair by pair
SIDE_BY_SIDE = [
    ("simulate", "`qutip-stt simulate --preset paper-collinear`",
     ["simulate", "--preset", "paper-collinear", "--out", "col.h5"], 0, 5),
    ("animate", "`qutip-stt animate col.h5 --spin local:1` (GIF)",
     ["animate", "col.h5", "--spin", "local:1", "--out", "spin1.gif"], 101, 3),
    ("animate_compare", "`qutip-stt animate col.h5 --compare non.h5` (GIF)",
     ["animate", "col.h5", "--compare", "non.h5", "--out", "compare.gif"],
     101, 2),
    ("animate_all", "`qutip-stt animate non.h5 --spin all --every 2` (GIF)",
     ["animate", "non.h5", "--spin", "all", "--every", "2", "--out",
      "all.gif"], 51, 2),
    ("animate_mp4", "`qutip-stt animate col.h5 --spin local:1` (MP4)",
     ["animate", "col.h5", "--spin", "local:1", "--out", "spin1.mp4"], 101, 2),
    ("compare_classical", "`qutip-stt compare-classical --preset "
     "paper-noncollinear` (two runs, figure, GIF)",
     ["compare-classical", "--preset", "paper-noncollinear", "--out", "cmp",
      "--force"], 101, 2),
]


def _timed(args, cwd, env):
    """Wall seconds of one process (raising on a non-zero exit)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return wall


def side_by_side(log):
    """Each row's command against ``python -c "import qutip"``, alternating."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for pre in (["simulate", "--preset", "paper-collinear", "--out",
                     "col.h5"], ["simulate", "--preset", "paper-noncollinear",
                                 "--out", "non.h5"]):
            _timed(["-m", "qutip_stt", *pre, "--quiet"], folder, env)
        for key, what, args, frames, pairs in SIDE_BY_SIDE:
            if args[-1].endswith(".mp4") and shutil.which("ffmpeg") is None:
                log(f"{key}: skipped (no ffmpeg)")
                continue
            load = os.getloadavg()[0]
            walls, yard = [], []
            for _ in range(pairs):
                walls.append(_timed(["-m", "qutip_stt", *args, "--quiet"],
                                    folder, env))
                yard.append(_timed(YARDSTICK, folder, env))
            ratios = sorted(a / b for a, b in zip(walls, yard))
            row = {"key": key, "what": what, "frames": frames,
                   "wall_s": sorted(walls)[len(walls) // 2],
                   "import_qutip_s": sorted(yard)[len(yard) // 2],
                   "ratio": ratios[len(ratios) // 2], "pairs": pairs,
                   "load_before": load}
            if frames:
                row["ratio_per_101_frames"] = row["ratio"] * 101 / frames
            rows.append(row)
            log(f"{key}: {row['wall_s']:.2f} s, import qutip "
                f"{row['import_qutip_s']:.2f} s, ratio {row['ratio']:.2f} "
                f"(load {load:.1f})")
    return rows


#: The README's own snippets: the check with qutip.sesolve.
SNIPPET = """
import numpy as np, qutip, qutip_stt as stt
model = stt.STTModel(Lx=400, N=5)
psi0 = stt.initial_state(model, k=0.1, dk=0.2, x0=160)
times = np.linspace(0, 500, 101)
res = qutip.sesolve(model.hamiltonian_fs, psi0, times,
                    e_ops=[model.local_spin(1)[2]])
"""


def user_waits(log):
    """The test suite (``python -m pytest``) and the README's sesolve snippet."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    out = {"load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as folder:
        out["sesolve_snippet_s"] = _timed(["-c", SNIPPET], folder, env)
    log(f"README sesolve snippet: {out['sesolve_snippet_s']:.1f} s")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q",
                           "-p", "no:cacheprovider"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    out["suite_s"] = time.perf_counter() - start
    out["suite_status"] = proc.returncode
    out["suite_result"] = (proc.stdout.strip().splitlines() or [""])[-1]
    log(f"test suite: {out['suite_s']:.0f} s ({out['suite_result']})")
    return out
