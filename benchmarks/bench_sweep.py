"""Speed-up of ``--map parallel`` over ``--map serial`` on a 16-point sweep.

Runs ``benchmarks/sweep16.toml`` (full paper chain, method auto) with
:func:`qutip_stt.sweep.run_sweep`, serial and parallel alternately, prints
the wall times, the 1-minute load average before each run (the machine may
be shared), and checks that both files hold identical numbers.

Usage: ``python benchmarks/bench_sweep.py [--repeats 2] [--workers 2]``
"""

import argparse
import os
import tempfile
import time
import warnings

import numpy as np

from qutip_stt.simulation import ReflectionWarning
from qutip_stt.sweep import read_sweep, read_sweep_result, run_sweep

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(repeats=2, workers=None, log=print):
    """Serial and parallel wall times of the 16-point sweep, as a dict."""
    workers = workers or os.cpu_count()
    warnings.simplefilter("ignore", ReflectionWarning)
    sweep = read_sweep(os.path.join(HERE, "sweep16.toml"))
    times = {"serial": [], "parallel": []}
    loads = []
    with tempfile.TemporaryDirectory() as folder:
        for rep in range(repeats):
            for name in times:
                out = os.path.join(folder, f"{name}{rep}.h5")
                load = os.getloadavg()[0]
                loads.append(load)
                start = time.perf_counter()
                run_sweep(sweep, out, name, num_workers=workers
                          if name == "parallel" else None)
                wall = time.perf_counter() - start
                times[name].append(wall)
                log(f"{name:8s} run {rep}: {wall:6.1f} s  (load before "
                    f"{load:.1f}, {len(sweep)} points)")
        ref = read_sweep_result(os.path.join(folder, "serial0.h5"))
        other = read_sweep_result(os.path.join(folder, "parallel0.h5"))
        same = all(np.array_equal(ref["data"][k], other["data"][k])
                   for k in ref["data"])
    s, p = np.median(times["serial"]), np.median(times["parallel"])
    return {"points": len(sweep), "workers": workers, "repeats": repeats,
            "serial_s": times["serial"], "parallel_s": times["parallel"],
            "median_serial_s": float(s), "median_parallel_s": float(p),
            "speedup": float(s / p), "identical": bool(same),
            "load_before_runs": loads}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()
    r = measure(args.repeats, args.workers,
                log=lambda line: print(line, flush=True))
    print(f"median serial {r['median_serial_s']:.1f} s, parallel "
          f"({r['workers']} workers) {r['median_parallel_s']:.1f} s: speed-up "
          f"{r['speedup']:.2f}; identical numbers: {r['identical']}")


if __name__ == "__main__":
    main()
