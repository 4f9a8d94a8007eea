"""Several electrons at once: method "exact" side by side with a QuSpin route.

Not a test. Both routes run in this one process, alternating, the same work
each time; the script prints medians, the ratio, the agreement, the date,
the load average and the machine (it may be shared: read ratios, not
seconds)::

    pip install -e ".[bench]"                    # QuSpin, for the comparison
    python benchmarks/bench_many_electrons.py quspin   # Ne = 2, Lx = 60, N = 3
    python benchmarks/bench_many_electrons.py paper    # Ne = 2, Lx = 400, N = 5

``quspin``: two electrons, Eq. (4) packets with tilted spins, three tilted
local spins (a generic start: every sector populated), 0..60 fs, 31 outputs;
the work is build + evolve + observables (local Bloch vectors, local
purity, electron density). Routes:

* ``qutip-stt``: ``evolve(ManyElectronModel(...), many_electron_state(...),
  times)`` (method "auto" = "exact", every observable of the many-electron
  file computed);
* ``QuSpin``: ``tensor_basis(spin_basis_1d(N), spinful_fermion_basis_1d(Lx,
  Nf=[(n_up, Ne - n_up), ...]))`` at fixed ``Ne`` (all compositions: total
  S^z across the two factors is not one of QuSpin's symmetries), the same
  Hamiltonian from operator strings, ``expm_multiply_parallel`` per
  interval, ``partial_trace`` for the spins and the occupations of the basis
  states for the density. The start is built from the Slater determinant's
  amplitudes on QuSpin's basis states (creators in increasing site order,
  up before down); the agreement checks that convention too.

``paper``: ``Ne = 2`` released from a polarized lead (sites 150..169, -z)
towards the paper's five spins (Lx = 400, sites 198..202, +z), 0..500 fs,
101 outputs, through ``qutip-stt simulate`` in a child process: wall time
and peak resident memory.
"""

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

from bench_speed import machine            # date, processor, cores, load

HBAR = 0.6582119569
LX, N, NE = 60, 3, 2
PARAMS = dict(gamma=1.0, J_sd=0.1, J=0.1, Jz=0.1005, hubbard_U=0.5)
PACKETS = [{"k": 1.0, "dk": 0.3, "x0": 14.0, "spin": {"theta": 120, "phi": 30}},
           {"k": 0.7, "dk": 0.35, "x0": 8.0, "spin": {"theta": 60, "phi": 200}}]
LOCAL = [{"theta": 30, "phi": 0}, {"theta": 150, "phi": 90}, "+x"]
TIMES = np.linspace(0.0, 60.0, 31)


def _start():
    """The model and the start (the orbitals and spinors both routes use)."""
    import qutip_stt as stt
    model = stt.ManyElectronModel(Lx=LX, N=N, Ne=NE, **PARAMS)
    psi = stt.many_electron_state(model, "packets", packets=PACKETS,
                                  local=LOCAL)
    return model, psi


def run_ours():
    import qutip_stt as stt
    model, psi = _start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")           # small chain: reflections
        r = stt.evolve(model, psi, TIMES)
    return r.local_spin, r.purity_local, r.density


def run_quspin():
    from quspin.basis import (spin_basis_1d, spinful_fermion_basis_1d,
                              tensor_basis)
    from quspin.operators import hamiltonian
    from quspin.tools.evolution import expm_multiply_parallel
    import qutip_stt as stt

    model, psi = _start()                  # for the orbitals, spinors, sites
    g, jsd, J, Jz, U = (PARAMS[k] for k in ("gamma", "J_sd", "J", "Jz",
                                            "hubbard_U"))
    fermions = spinful_fermion_basis_1d(
        LX, Nf=[(u, NE - u) for u in range(NE + 1)])
    spins = spin_basis_1d(N, pauli=1)
    basis = tensor_basis(spins, fermions)          # spins left: "A|up|down"
    hop = [[-g, i, i + 1] for i in range(LX - 1)] + \
        [[-g, i + 1, i] for i in range(LX - 1)]
    sd = [[n, int(j)] for n, j in enumerate(model.sites)]
    static = [["|+-|", hop], ["||+-", hop],
              ["|n|n", [[U, i, i] for i in range(LX)]],
              # -J_sd (c+ sigma c).Sigma: QuSpin's "+" is 2 sigma^+, and
              # "+|-|+" is Sigma^+ c_up c+_down = -Sigma^+ c+_down c_up
              ["z|n|", [[-jsd, n, j] for n, j in sd]],
              ["z||n", [[jsd, n, j] for n, j in sd]],
              ["-|+|-", [[-jsd, n, j, j] for n, j in sd]],
              ["+|-|+", [[jsd, n, j, j] for n, j in sd]]]
    for op, c in (("xx", J), ("yy", J), ("zz", Jz)):
        static.append([op + "||", [[-c, n, n + 1] for n in range(N - 1)]])
    H = hamiltonian(static, [], basis=basis, dtype=np.complex128,
                    check_symm=False, check_herm=False, check_pcon=False)
    Hc = H.tocsr()
    # QuSpin's symbolic Hermiticity check does not pair "-|+|-" with its
    # conjugate (it asks on stdin): check the matrix instead
    assert abs(Hc - Hc.conj().T).max() < 1e-12
    # the start: det of the spin-orbitals on each basis state's modes
    up_rows = psi.orbitals * psi.spinors[:, 0]
    down_rows = psi.orbitals * psi.spinors[:, 1]
    states = fermions.states
    bits = ((states[:, None] >> np.arange(2 * LX - 1, -1, -1)) & 1).astype(bool)
    occ_up, occ_down = bits[:, :LX], bits[:, LX:]
    amp = np.array([np.linalg.det(np.concatenate(
        [up_rows[occ_up[i]], down_rows[occ_down[i]]])) for i in
        range(states.size)])
    chi_sites = [stt.spin_coherent(0.5, d).full().ravel() for d in LOCAL]
    spin_bits = ((spins.states[:, None] >> np.arange(N - 1, -1, -1)) & 1)
    chi = np.prod([chi_sites[n][1 - spin_bits[:, n]] for n in range(N)],
                  axis=0)                          # bit 1 = up = QuTiP's 0
    vec = np.kron(chi, amp)
    vec /= np.linalg.norm(vec)
    occupation = (occ_up.astype(float) + occ_down)  # (Ns_fermions, Lx)
    Uop = expm_multiply_parallel(Hc,
                                 a=-1j * (TIMES[1] - TIMES[0]) / HBAR)
    sig = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]),
           np.diag([1.0, -1.0])]
    bloch, purity, density = [], [], []
    for i in range(len(TIMES)):
        if i:
            vec = Uop.dot(vec)
        rho = basis.partial_trace(vec, sub_sys_A="left")
        purity.append(np.vdot(rho, rho).real)
        one = []
        for n in range(N):
            rho_n = np.squeeze(spins.partial_trace(rho, sub_sys_A=[n],
                                                   enforce_pure=False))
            one.append([np.trace(rho_n @ s).real for s in sig])
        bloch.append(one)
        w = np.abs(vec.reshape(spins.Ns, fermions.Ns)) ** 2
        density.append(w.sum(axis=0) @ occupation)
    return np.array(bloch), np.array(purity), np.array(density)


def bench_quspin(repeats):
    print(machine())
    print(f"Ne = {NE}, Lx = {LX}, N = {N}, generic start (tilted packets and "
          f"spins, every sector), {TIMES[0]:g}..{TIMES[-1]:g} fs, "
          f"{len(TIMES)} outputs; U = {PARAMS['hubbard_U']} eV")
    dims = sum(math.comb(LX, u) * math.comb(LX, NE - u)
               for u in range(NE + 1)) * 2 ** N
    print(f"states at fixed Ne (QuSpin's basis): {dims:,}")
    routes = {"qutip-stt": run_ours, "QuSpin": run_quspin}
    out = {k: f() for k, f in routes.items()}              # warm-up
    walls = {k: [] for k in routes}
    for _ in range(repeats):
        for key, f in routes.items():                      # alternating
            start = time.perf_counter()
            out[key] = f()
            walls[key].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in walls.items()}
    for key in routes:
        print(f"{key:10s} median {med[key]:8.3f} s  over {repeats} runs: "
              + ", ".join(f"{w:.3f}" for w in walls[key]))
    print(f"ratio QuSpin / qutip-stt: {med['QuSpin'] / med['qutip-stt']:.1f}x")
    names = ("local Bloch vectors", "local purity", "density")
    for name, a, b in zip(names, out["qutip-stt"], out["QuSpin"]):
        print(f"largest difference, {name}: {np.abs(a - b).max():.2e}")


PAPER = """\
[chain]
length = 400
[local_spins]
count = 5
[electrons]
count = 2
lead = { start = 150, stop = 170 }
spin = "-z"
[evolution]
t_max = 500.0
n_times = 101
"""


def bench_paper():
    print(machine())
    print("Ne = 2 from a polarized lead (sites 150..169, -z) onto the paper's "
          "five +z spins (Lx = 400, 198..202), 0..500 fs, 101 outputs, "
          "qutip-stt simulate in a child process")
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "paper2.toml")
        with open(cfg, "w") as f:
            f.write(PAPER)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "qutip_stt", "simulate",
                               cfg, "--out", os.path.join(tmp, "out.h5"),
                               "--quiet"], capture_output=True, text=True)
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if proc.returncode:
            sys.exit(proc.stderr)
        import h5py
        with h5py.File(os.path.join(tmp, "out.h5"), "r") as f:
            evolution = float(f.attrs["evolution_wall_s"])
            sectors = f["norm"][()]
            drift = float(np.abs(sectors - sectors[0]).max())
            energy = f["energy"][()]
            e_drift = float(np.abs(energy - energy[0]).max())
    print(f"wall {wall:.1f} s (evolution_wall_s {evolution:.1f} s), peak "
          f"resident memory {peak / 2**20:.2f} GiB; norm drift {drift:.1e}, "
          f"energy drift {e_drift:.1e} eV")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case", choices=("quspin", "paper"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.case == "quspin":
        bench_quspin(args.repeats)
    else:
        bench_paper()


if __name__ == "__main__":
    main()
