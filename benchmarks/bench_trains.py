"""Electron trains at the paper's parameters: channel build, iteration, reversal (not a test).

Run from the repository root::

    python benchmarks/bench_trains.py            # ~1-2 min

Prints, for the paper's chain (Lx = 400, x0 = 160, k = 0.1, dk = 0.2,
gamma = 1, J_sd = J = 0.1, Jz = 0.1005 eV, spins from site Lx//2 - N//2,
spin-down electrons, default interval):

1. N = 5: channel build time (D = 32 sector runs), CPTP errors, leftover,
   and the time to iterate 1,000 electrons (with and without observables),
   for the collinear (-z) and noncollinear (+x) electron.
2. N = 1..5 spin-1/2 and the spin-5/2 macrospin: interval, leftover,
   electrons needed for total S^z to cross zero and to reach 90% reversal,
   polarized and unpolarized.
"""

import os
import time
import warnings

import numpy as np
import scipy.sparse

import qutip_stt as stt
from qutip_stt.trains import (LeftoverWarning, default_interval,
                              electron_channel, iterate)
from qutip_stt.trains.iteration import _closed_support

warnings.simplefilter("ignore", LeftoverWarning)


def paper_channel(N, S=0.5, electron="-z", polarization=1.0):
    model = stt.STTModel(Lx=400, N=N, S=S)
    T, _, _ = default_interval(400, 0.1, 0.2, 160.0, model.sites)
    start, cpu = time.perf_counter(), time.process_time()
    phi = electron_channel(model, T, 0.1, 0.2, 160.0, electron, polarization)
    phi.cpu_time = time.process_time() - cpu
    return phi, time.perf_counter() - start


def bare_iteration(phi, K):
    """Only rho_n (no observables), as iterate() does it."""
    D = phi.kraus_array.shape[1]
    v = np.zeros(D * D, complex)
    v[0] = 1.0
    S = phi.superop.full()
    start = time.perf_counter()
    idx = _closed_support(S, [0])
    sub = scipy.sparse.csr_matrix(S[np.ix_(idx, idx)])
    w = v[idx]
    for _ in range(K):
        w = sub @ w
    return time.perf_counter() - start, idx.size


def main():
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("1. paper N = 5 channel (D = 32), 1,000 electrons")
    for electron in ("-z", "+x"):
        phi, t_build = paper_channel(5, electron=electron)
        err = phi.cptp_errors()
        t_bare, support = bare_iteration(phi, 1000)
        start = time.perf_counter()
        train = iterate(phi, "+z", 1000)
        t_full = time.perf_counter() - start
        lo = phi.leftover
        print(f"  electron {electron}: interval {phi.interval:g} fs, build "
              f"{t_build:.2f} s wall ({phi.cpu_time:.2f} s CPU, 2 threads), "
              f"{phi.kraus_array.shape[0]} Kraus; "
              f"TP error {err['trace_preservation']:.1e}, Choi negativity "
              f"{err['choi_negativity']:.1e}; leftover near spins "
              f"{lo['near_spins']:.4f}, at ends {lo['at_chain_ends']:.4f}, "
              f"reached ends (free) {lo['reached_chain_end']:.4f}")
        print(f"    1,000 electrons: rho_n only {t_bare:.3f} s (iterating "
              f"{support} of {32 ** 2} entries), with every observable "
              f"{t_full:.3f} s; needed: {train.electrons_needed}")
    print("2. electrons needed (spin-down current, spins start +z)")
    print("   case        interval  leftover (near, ends)  p = 1: zero, 90%"
          "   p = 0.5: zero, 90%")
    for N, S in [(1, 0.5), (2, 0.5), (3, 0.5), (4, 0.5), (5, 0.5), (1, 2.5)]:
        phi, t_build = paper_channel(N, S)
        need = iterate(phi, "+z", 400).electrons_needed
        half, _ = paper_channel(N, S, polarization=0.5)
        need_half = iterate(half, "+z", 800).electrons_needed
        lo = phi.leftover
        print(f"   N={N} S={S:g}   {phi.interval:6g} fs  ({lo['near_spins']:.3f},"
              f" {max(lo['at_chain_ends'], lo['reached_chain_end']):.3f})"
              f"   p=1: {need['zero']}, {need['ninety']}"
              f"   p=0.5: {need_half['zero']}, {need_half['ninety']}"
              f"   (build {t_build:.1f} s)")


if __name__ == "__main__":
    main()
