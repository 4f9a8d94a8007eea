"""Cost of storing pair and block measures relative to a plain run (not a test).

Run from the repository root::

    python benchmarks/bench_entanglement.py              # N = 5 and N = 10
    python benchmarks/bench_entanglement.py --n-times 11 # fewer outputs

For each size it runs the same config three times through
:func:`qutip_stt.simulate` and :func:`qutip_stt.write_result`: plain (no
``[analysis]``), ``pairs = "all"`` (every pair of the electron spin and the N
local spins, four measures), and ``pairs = "all"`` with ``blocks = true``
(every contiguous block of local spins), and prints the evolution wall time
(``evolution_wall_s``: model, evolution and every reduction; best of two
after a warm-up) and the file size.
The paper's geometry (Lx = 400, electron +x, t = 0..500 fs); N = 10 puts the
ten spins on sites 195..204.
"""

import argparse
import os
import tempfile

import qutip_stt as stt
from qutip_stt.config import apply_overrides, preset


def run(N, n_times, analysis, folder, repeats=2):
    """Best of ``repeats`` runs: (wall seconds, file bytes)."""
    return min(_run(N, n_times, analysis, folder) for _ in range(repeats))


def _run(N, n_times, analysis, folder):
    sets = [f"local_spins.count={N}", f"evolution.n_times={n_times}"]
    sets += [f"analysis.{k}={v}" for k, v in analysis.items()]
    cfg = apply_overrides(preset("paper-noncollinear", resolve=False), sets)
    result = stt.simulate(cfg, warn_reflections=False)
    path = os.path.join(folder, f"N{N}-{len(analysis)}.h5")
    stt.write_result(path, result, cfg)
    return result.wall_time, os.path.getsize(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-times", type=int, default=101)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 10])
    args = parser.parse_args()
    cases = {"plain": {}, "all pairs": {"pairs": '"all"'},
             "all pairs + blocks": {"pairs": '"all"', "blocks": "true"}}
    print(f"{'N':>3} {'case':<20} {'wall s':>8} {'x plain':>8} "
          f"{'file MB':>8} {'x plain':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for N in args.sizes:
            run(N, 2, {}, folder, repeats=1)         # warm-up: imports, caches
            base = None
            for name, analysis in cases.items():
                wall, size = run(N, args.n_times, analysis, folder)
                base = base or (wall, size)
                print(f"{N:>3} {name:<20} {wall:8.2f} {wall / base[0]:8.2f} "
                      f"{size / 1e6:8.3f} {size / base[1]:8.3f}", flush=True)


if __name__ == "__main__":
    main()
