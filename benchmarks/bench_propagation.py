"""Side-by-side timing of the evolution routes of qutip-stt (not a test).

Run from the repository root::

    python benchmarks/bench_propagation.py            # everything (~3-5 min)
    python benchmarks/bench_propagation.py --no-sesolve   # skip the slow full-space solvers

Prints three tables:

1. Paper cases (Lx = 400, N = 5, t = 0..500 fs, 101 outputs), collinear and
   noncollinear: wall time, speed-up vs ``qutip.sesolve`` (QuTiP defaults, as
   a user calls it, states then reduced with ``analysis.snapshot``; the
   ``speed-up`` column counts the solver alone, ``vs +ptrace`` the solver
   plus that reduction, which is what a user needs to get the same
   observables), and the largest error in any spin
   component or purity against a converged reference (Chebyshev, tol 1e-15).
2. Scaling of the exact sector propagator in the collinear one-flip sector
   (built with ``sectors.sector_hamiltonian``, no full space; Lx = 400 to
   8,000, N = 5 to 100: ``bench_speed.one_flip``).
3. Generic initial states (local spins tilted 30 deg, every sector
   populated), N = 8, 10 and 12, Lx = 200, through ``evolve(method="auto")``:
   time and peak Python heap (tracemalloc).
"""

import argparse
import os
import time
import tracemalloc

import numpy as np
import qutip

import qutip_stt as stt
from qutip_stt.measures.observables import snapshot
from qutip_stt.constants import HBAR_EV_FS
import scipy.sparse.linalg

from qutip_stt.measures.reducer import reduce_amplitudes
from qutip_stt.model.sectors import amplitude_matrix, decompose
from qutip_stt.model.sector_blocks import sector_block

from bench_speed import SCALING, one_flip   # one scaling run for both scripts

KEYS = ("electron_spin", "local_spin", "purity_local", "purity_electron")
TIMES = np.linspace(0.0, 500.0, 101)


def max_error(obs, ref):
    return max(float(np.max(np.abs(np.asarray(obs[k]) - np.asarray(ref[k]))))
               for k in KEYS)


def paper_case(electron, run_sesolve):
    model = stt.STTModel()
    _ = model.hamiltonian
    psi0 = stt.initial_state(model, electron=electron)
    ref = stt.evolve(model, psi0, TIMES, "chebyshev",
                     options={"tol": 1e-15}).e_data
    rows = []
    if run_sesolve:
        start = time.perf_counter()
        res = qutip.sesolve(model.hamiltonian / HBAR_EV_FS, psi0, TIMES)
        wall = time.perf_counter() - start
        snaps = [snapshot(s, model) for s in res.states]
        reduced = time.perf_counter() - start
        obs = {k: np.array([s[k] for s in snaps]) for k in KEYS}
        rows.append(("qutip.sesolve (defaults)", wall, max_error(obs, ref)))
        rows.append(("  + ptrace analysis of states", reduced,
                     max_error(obs, ref)))
        r = stt.evolve(model, psi0, TIMES, "crank-nicolson")
        rows.append(("crank-nicolson dt=0.1", r.wall_time,
                     max_error(r.e_data, ref)))
    r = stt.evolve(model, psi0, TIMES, "auto")
    rows.append(("auto (chebyshev tol 1e-12)", r.wall_time,
                 max_error(r.e_data, ref)))
    obs, wall = expm_multiply_route(model, psi0)
    rows.append(("expm_multiply on sectors", wall, max_error(obs, ref)))
    return rows


def expm_multiply_route(model, psi0):
    """The sector route with scipy's expm_multiply instead of our propagators."""
    start = time.perf_counter()
    pieces = decompose(psi0, model)
    blocks = {m: sector_block(model, m) for m in pieces}
    gens = {m: (-1j / HBAR_EV_FS) * b for m, b in blocks.items()}
    data = {k: [] for k in KEYS}
    for i, t in enumerate(TIMES):
        if i:
            dt = t - TIMES[i - 1]
            pieces = {m: scipy.sparse.linalg.expm_multiply(gens[m] * dt, v)
                      for m, v in pieces.items()}
        energy = sum(np.vdot(v, blocks[m] @ v).real for m, v in pieces.items())
        values = reduce_amplitudes(amplitude_matrix(pieces, model), model,
                                   energy)
        for k in KEYS:
            data[k].append(values[k])
    return ({k: np.asarray(v) for k, v in data.items()},
            time.perf_counter() - start)


def generic(N):
    model = stt.STTModel(Lx=200, N=N)
    tracemalloc.start()
    start = time.perf_counter()
    psi0 = stt.initial_state(model, x0=60, local={"theta": 30.0})
    r = stt.evolve(model, psi0, TIMES, "auto")
    wall = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return model.dimension, wall, r.wall_time, peak / 2**20


def measure(run_sesolve=True):
    """Every number of the three tables, as a dict (see ``run_all.py``)."""
    out = {}
    for electron, name in (("-z", "collinear"), ("+x", "noncollinear")):
        out[name] = [{"method": label, "wall_s": wall, "max_error": err}
                     for label, wall, err in paper_case(electron, run_sesolve)]
    out["scaling"] = []
    for Lx, N in SCALING:
        dim, wall = one_flip(Lx, N)
        out["scaling"].append({"Lx": Lx, "N": N, "dim": dim, "wall_s": wall})
    out["generic"] = []
    for N in (8, 10, 12):
        dim, wall, ev, peak = generic(N)
        out["generic"].append({"N": N, "dim": dim, "wall_s": wall,
                               "evolve_s": ev, "peak_mib": peak})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-sesolve", action="store_true",
                        help="skip qutip.sesolve and Crank-Nicolson")
    args = parser.parse_args()
    print(f"qutip {qutip.__version__}, qutip-stt {stt.__version__}, "
          f"{os.cpu_count()} CPUs")
    data = measure(not args.no_sesolve)
    for name in ("collinear", "noncollinear"):
        print(f"\n== paper {name} case: Lx=400, N=5, 0..500 fs, 101 outputs")
        rows = data[name]
        base = rows[0]["wall_s"] if not args.no_sesolve else None
        full = rows[1]["wall_s"] if not args.no_sesolve else None
        print(f"{'method':30s} {'wall s':>9s} {'speed-up':>9s} "
              f"{'vs +ptrace':>10s} {'max err':>9s}")
        for row in rows:
            wall = row["wall_s"]
            sp = f"{base / wall:9.1f}" if base else f"{'-':>9s}"
            sp2 = f"{full / wall:10.1f}" if full else f"{'-':>10s}"
            print(f"{row['method']:30s} {wall:9.3f} {sp} {sp2} "
                  f"{row['max_error']:9.1e}")
    print("\n== scaling, collinear one-flip sector (Chebyshev, incl. build)")
    print(f"{'Lx':>6s} {'N':>4s} {'sector dim':>11s} {'wall s':>8s}")
    for r in data["scaling"]:
        print(f"{r['Lx']:6d} {r['N']:4d} {r['dim']:11d} {r['wall_s']:8.3f}")
    print("\n== generic state (local spins tilted 30 deg), Lx=200, auto")
    print(f"{'N':>4s} {'full dim':>9s} {'total s':>8s} {'evolve s':>9s} "
          f"{'peak MiB':>9s}")
    for r in data["generic"]:
        print(f"{r['N']:4d} {r['dim']:9d} {r['wall_s']:8.2f} "
              f"{r['evolve_s']:9.2f} {r['peak_mib']:9.1f}")


if __name__ == "__main__":
    main()
