"""Issue 18: end-to-end speed of qutip-stt side by side with its competitors.

Not a test. Every competitor runs in this one process, alternating, the same
work each time, and the script prints medians and ratios with the date, the
load average and the machine (the machine may be shared: read ratios, not
seconds)::

    pip install -e ".[bench]"                      # QuSpin, for the comparison
    python benchmarks/bench_speed.py paper         # goal 1 (collinear, noncollinear)
    python benchmarks/bench_speed.py scaling       # goal 5 (one-flip sector)
    python benchmarks/bench_speed.py generic --baseline /path/to/old/checkout
                                                   # goal 2 (N = 10, 12; RSS)
    python benchmarks/bench_speed.py startup       # goal 4

``paper``: the paper model (Lx = 400, N = 5), x0 = 30, 0..526.6 fs, 201
outputs; the work is build + evolve + the observables of local spin 1 and
the local-spin purity. Competitors:

* ``qutip-stt``: ``evolve(model, initial_state(model, x0=30, ...), times)``
  (method "auto", reflection check included, every observable computed);
* ``QuSpin expert``: a tensor basis (one-particle orbital x spin chain) whose
  spin factor holds only the populated total-S^z sectors, ``hamiltonian``,
  ``expm_multiply_parallel`` per interval, ``partial_trace`` per output;
* ``sesolve + ptrace``: ``qutip.sesolve(model.hamiltonian_fs, ...)`` with
  QuTiP's defaults, then ``Qobj.ptrace`` of every stored state;
* ``expm_multiply``: :func:`scipy.sparse.linalg.expm_multiply` on the full
  CSR Hamiltonian (``start/stop/num``), then the same ptrace reduction.

Errors are the largest deviation of <Sigma_1> and the local-spin purity from
a converged reference (``evolve`` with Chebyshev tolerance 1e-15).
"""

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import tempfile
import sys
import time
import warnings

import numpy as np

HBAR = 0.6582119569
TIMES = np.linspace(0.0, 526.6, 201)


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
            f"{cpu}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")


# -- the four routes of the paper case --------------------------------------
def run_ours(electron, tol=None):
    import qutip_stt as stt
    model = stt.STTModel()
    psi = stt.initial_state(model, x0=30, electron=electron)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # x0 = 30 reaches the left end
        r = stt.evolve(model, psi, TIMES,
                       options=None if tol is None else {"tol": tol})
    return r.local_spin[:, 0, :], r.purity_local


def run_quspin(electron):
    from quspin.basis import spin_basis_1d, spinless_fermion_basis_1d, tensor_basis
    from quspin.operators import hamiltonian
    from quspin.tools.evolution import expm_multiply_parallel
    Lx, N, gamma, J_sd, J, Jz = 400, 5, 1.0, 0.1, 0.1, 0.1005
    sites = np.arange(Lx // 2 - N // 2, Lx // 2 - N // 2 + N)
    # spin factor: electron (site 0) + N local spins, only the populated
    # total-S^z sectors (Nup = N: one spin down; N + 1: all up)
    nup = [N] if electron == "-z" else [N, N + 1]
    orbital = spinless_fermion_basis_1d(Lx, Nf=1)
    spins = spin_basis_1d(N + 1, Nup=nup, pauli=1)
    basis = tensor_basis(orbital, spins)
    hop = [[-gamma, i, i + 1] for i in range(Lx - 1)] + \
        [[-gamma, i + 1, i] for i in range(Lx - 1)]
    static = [["+-|", hop]]
    for op, c in (("xx", J), ("yy", J), ("zz", Jz)):
        static.append(["n|" + op, [[-J_sd, int(s), 0, n + 1]
                                   for n, s in enumerate(sites)]])
        static.append(["|" + op, [[-c, n, n + 1] for n in range(1, N)]])
    H = hamiltonian(static, [], basis=basis, dtype=np.complex128,
                    check_symm=False, check_herm=False, check_pcon=False)
    # initial product state: packet (x) chi_e (x) all local spins up
    x = np.arange(Lx)
    packet = np.exp(1j * 0.1 * x - 0.2 ** 2 * (x - 30) ** 2 / 4)
    packet /= np.linalg.norm(packet)
    site_of = np.array([Lx - int(s).bit_length() for s in orbital.states])
    orb = packet[site_of]
    chi = {"-z": {(1 << N) - 1: 1.0},                     # e down, locals up
           "+x": {(1 << N) - 1: 2 ** -0.5, (1 << (N + 1)) - 1: 2 ** -0.5}}
    spin_vec = np.zeros(spins.Ns, dtype=complex)
    for s, a in chi[electron].items():
        spin_vec[spins.index(s)] = a
    psi = np.kron(orb, spin_vec)
    U = expm_multiply_parallel(H.tocsr(), a=-1j * (TIMES[1] - TIMES[0]) / HBAR)
    sig = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]),
           np.diag([1.0, -1.0])]
    bloch, purity = [], []
    for i in range(len(TIMES)):
        if i:
            psi = U.dot(psi)
        rho_s = basis.partial_trace(psi, sub_sys_A="right")
        rho_1 = np.squeeze(spins.partial_trace(rho_s, sub_sys_A=[1],
                                               enforce_pure=False))
        # QuSpin orders a spin's states up first, as QuTiP does
        bloch.append([np.trace(rho_1 @ s).real for s in sig])
        rho_l = np.squeeze(spins.partial_trace(
            rho_s, sub_sys_A=list(range(1, N + 1)), enforce_pure=False))
        purity.append(np.vdot(rho_l, rho_l).real)
    return np.array(bloch), np.array(purity)


def _ptrace_observables(states, N):
    from qutip_stt.measures.observables import bloch_vector, purity
    bloch = np.array([bloch_vector(s.ptrace(2)) for s in states])
    pur = np.array([purity(s.ptrace(list(range(2, N + 2)))) for s in states])
    return bloch, pur


def run_sesolve(electron):
    import qutip
    import qutip_stt as stt
    model = stt.STTModel()
    psi = stt.initial_state(model, x0=30, electron=electron)
    res = qutip.sesolve(model.hamiltonian_fs, psi, TIMES)
    return _ptrace_observables(res.states, model.N)


def run_expm_multiply(electron):
    import qutip
    import scipy.sparse.linalg
    import qutip_stt as stt
    model = stt.STTModel()
    psi = stt.initial_state(model, x0=30, electron=electron)
    A = -1j * model.hamiltonian.data_as("csr_matrix") / HBAR
    vecs = scipy.sparse.linalg.expm_multiply(A, psi.full().ravel(),
                                             start=TIMES[0], stop=TIMES[-1],
                                             num=len(TIMES), endpoint=True)
    dims = [model.dims, [1] * len(model.dims)]
    return _ptrace_observables([qutip.Qobj(v, dims=dims) for v in vecs],
                               model.N)


ROUTES = {"qutip-stt": run_ours, "QuSpin expert": run_quspin,
          "sesolve + ptrace": run_sesolve, "expm_multiply + ptrace":
          run_expm_multiply}


def paper(repeats, skip):
    from threadpoolctl import threadpool_limits
    print(machine())
    rows = []
    for electron, name in (("-z", "collinear"), ("+x", "noncollinear")):
        ref = run_ours(electron, tol=1e-15)
        routes = {k: f for k, f in ROUTES.items() if k not in skip}
        if importlib.util.find_spec("quspin") is None:
            routes.pop("QuSpin expert", None)      # pip install -e ".[bench]"
        for key in ("qutip-stt", "QuSpin expert"):     # warm-up (JIT, caches)
            if key in routes:
                routes[key](electron)
        walls = {k: [] for k in routes}
        cpus = {k: [] for k in routes}
        errors = {}
        for _ in range(repeats):
            for key, f in routes.items():
                with threadpool_limits(limits=1):
                    start, cpu = time.perf_counter(), time.process_time()
                    bloch, pur = f(electron)
                    walls[key].append(time.perf_counter() - start)
                    cpus[key].append(time.process_time() - cpu)
                errors[key] = max(float(np.max(np.abs(bloch - ref[0]))),
                                  float(np.max(np.abs(pur - ref[1]))))
        ours = statistics.median(walls["qutip-stt"])
        ours_cpu = statistics.median(cpus["qutip-stt"])
        print(f"\n== paper {name}: Lx=400, N=5, x0=30, 0..526.6 fs, 201 "
              f"outputs, {repeats} alternating runs, load "
              f"{os.getloadavg()[0]:.1f}")
        print(f"{'route':24s} {'median s':>9s} {'min s':>8s} {'x ours':>8s} "
              f"{'CPU s':>8s} {'x ours':>7s} {'max error':>10s}")
        for key in routes:
            med = statistics.median(walls[key])
            cpu = statistics.median(cpus[key])
            print(f"{key:24s} {med:9.3f} {min(walls[key]):8.3f} "
                  f"{med / ours:8.1f} {cpu:8.3f} {cpu / ours_cpu:7.1f} "
                  f"{errors[key]:10.1e}", flush=True)
            rows.append({"case": name, "route": key, "median_s": med,
                         "min_s": min(walls[key]), "cpu_s": cpu,
                         "ratio": med / ours, "max_error": errors[key],
                         "runs": len(walls[key])})
    return rows


# -- scaling in the one-flip sector ------------------------------------------
def one_flip(Lx, N, times=None):
    """Collinear one-flip sector without the full space; returns (dim, s).

    Build (the propagator the sector route gives the sector,
    ``solvers.sector_propagators.sector_propagator``) + exact propagation
    to every output (``evolve_many``) + <Sigma^z_n> of every local spin.
    """
    import qutip_stt as stt
    from qutip_stt.model.sector_blocks import coupling_blocks
    from qutip_stt.model.sectors import sector_configurations
    from qutip_stt.solvers.methods.chebyshev import DEFAULT_TOL
    from qutip_stt.solvers.sector_propagators import sector_propagator
    from qutip_stt.states import wave_packet
    times = np.linspace(0.0, 500.0, 101) if times is None else times
    start = time.perf_counter()
    model = stt.STTModel(Lx=Lx, N=N, full_space=False)
    m = 0.5 * N - 0.5
    terms = coupling_blocks(model, m)
    mz = sector_configurations(model, m)
    dim = Lx * mz.shape[0]
    prop = sector_propagator(model, (m,), DEFAULT_TOL, terms={m: terms})
    c0 = int(np.flatnonzero((mz[:, 0] == -0.5)
                            & np.all(mz[:, 1:] == 0.5, axis=1))[0])
    psi = np.zeros((Lx, mz.shape[0]), dtype=complex)
    psi[:, c0] = wave_packet(Lx, 0.1, 0.2, 30.0).full().ravel()
    for first in range(0, len(times), 16):          # 16 outputs at a time
        chunk = times[max(first - 1, 0):first + 16]
        kets = prop.evolve_many(psi.ravel(), chunk)
        psi = kets[-1].reshape(Lx, -1)
        A = kets.reshape(len(chunk), Lx, -1)
        probs = np.einsum("txc,txc->tc", A.conj(), A).real
        _ = 2 * probs @ mz[:, 1:]                  # <Sigma^z_n>
    return dim, time.perf_counter() - start


#: (Lx, N) of the one-flip scaling table.
SCALING = ((400, 5), (400, 20), (400, 100), (2000, 5), (2000, 20),
           (2000, 100), (8000, 5), (8000, 20), (8000, 100))


def scaling():
    print(machine())
    print("\n== one-flip sector, collinear, 0..500 fs, 101 outputs "
          "(build + propagate + <Sigma^z_n>)")
    print(f"{'Lx':>6s} {'N':>4s} {'sector dim':>11s} {'wall s':>8s} "
          f"{'us/dim':>8s}")
    rows = []
    for Lx, N in SCALING:
        dim, wall = one_flip(Lx, N)
        print(f"{Lx:6d} {N:4d} {dim:11d} {wall:8.2f} {1e6 * wall / dim:8.2f}",
              flush=True)
        rows.append((Lx, N, dim, wall))
    return rows


# -- generic states, N = 10 and 12, against a baseline checkout ----------------
GENERIC = """
import json, resource, sys, time, warnings

import numpy as np
import qutip_stt as stt
warnings.simplefilter("ignore")
N = int(sys.argv[1])
start = time.perf_counter()
model = stt.STTModel(Lx=200, N=N)
psi0 = stt.initial_state(model, x0=60, local={"theta": 30.0})
r = stt.evolve(model, psi0, np.linspace(0.0, 500.0, 101), "auto")
wall = time.perf_counter() - start
np.save(sys.argv[2], r.local_spin)
print(json.dumps({"wall": wall, "cpu": time.process_time(),
      "package": stt.__file__, "rss_gib":
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))
"""


def generic_one(path, N):
    out = f"/tmp/bench_speed_generic_{os.getpid()}_{N}.npy"
    env = dict(os.environ, PYTHONPATH=path)
    # run outside any checkout: with "python -c" the current folder comes
    # first on sys.path and would shadow PYTHONPATH
    proc = subprocess.run([sys.executable, "-c", GENERIC, str(N), out],
                          env=env, capture_output=True, text=True, check=True,
                          cwd=tempfile.gettempdir())
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["local_spin"] = np.load(out)
    os.remove(out)
    return result


def generic(baseline, sizes):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(machine())
    print("\n== generic state (local spins tilted 30 deg), Lx=200, 0..500 fs, "
          "101 outputs, each run a fresh process (peak RSS)")
    rows = []
    for N in sizes:
        new = generic_one(here, N)
        old = generic_one(baseline, N) if baseline else None
        line = (f"N={N:3d} this checkout {new['wall']:8.1f} s "
                f"(CPU {new['cpu']:.1f} s) {new['rss_gib']:5.2f} GiB")
        if old:
            if old["package"] == new["package"]:
                raise RuntimeError(f"the baseline imported {old['package']}, "
                                   "this checkout's package")
            diff = float(np.max(np.abs(new["local_spin"] - old["local_spin"])))
            line += (f" | baseline {old['wall']:8.1f} s (CPU {old['cpu']:.1f}"
                     f" s) {old['rss_gib']:5.2f} GiB | speed-up "
                     f"{old['wall'] / new['wall']:5.2f} | max diff {diff:.1e}")
        print(line + f" | load {os.getloadavg()[0]:.1f}", flush=True)
        rows.append((N, new, old))
    return rows


def startup(repeats):
    print(machine())
    cmds = {"python -c pass": [sys.executable, "-c", "pass"],
            "import qutip": [sys.executable, "-c", "import qutip"],
            "import qutip, qutip_stt": [sys.executable, "-c",
                                        "import qutip, qutip_stt"],
            "python -m qutip_stt --help": [sys.executable, "-m", "qutip_stt",
                                           "--help"]}
    walls = {k: [] for k in cmds}
    for _ in range(repeats):
        for key, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            walls[key].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in walls.items()}
    for key in cmds:
        print(f"{key:30s} {med[key]:7.3f} s")
    print(f"import qutip_stt beyond import qutip: "
          f"{med['import qutip, qutip_stt'] - med['import qutip']:.3f} s; "
          f"--help beyond python startup: "
          f"{med['python -m qutip_stt --help'] - med['python -c pass']:.3f} s")
    return med


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["paper", "scaling", "generic",
                                         "startup"])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip", nargs="*", default=[],
                        help="routes of 'paper' to leave out")
    parser.add_argument("--baseline", help="checkout to compare 'generic' with")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 12])
    args = parser.parse_args()
    if args.part == "paper":
        paper(args.repeats, args.skip)
    elif args.part == "scaling":
        scaling()
    elif args.part == "generic":
        generic(args.baseline, args.sizes)
    else:
        startup(args.repeats)


if __name__ == "__main__":
    main()
