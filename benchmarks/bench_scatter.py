"""Timing and agreement numbers of ``qutip_stt.scattering`` (not a test).

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/bench_scatter.py          # ~1 min
    PYTHONPATH=$PWD python benchmarks/bench_scatter.py --long   # + Lx = 8000, t = 3000 fs

Prints:

1. Wall time for 1,000 energies of the paper's N = 5 chain: the incoming
   sector only (what ``scattering_probabilities`` needs), and the whole
   S-matrix (every sector); best of three.
2. Unitarity error (max over 1,000 energies and at every channel threshold)
   and the largest S-matrix element between different total-S^z sectors.
3. The single-impurity closed form against the S-matrix (N = 1, S = 1/2, 5/2).
4. Packet average (k = 0.1, dk = 0.2, x0 = first_site - 40) against the
   time-dependent route (``evolve``, sector route) on Lx = 4000 (and 8000):
   largest difference over every (lead, channel) weight, and in T and the
   spin flip.
"""

import argparse
import time

import numpy as np

import qutip_stt as stt
from qutip_stt.scattering import (ChannelBasis, channel_weights,
                                  packet_average, scattering_matrix,
                                  scattering_probabilities, single_impurity)
from qutip_stt.scattering.smatrix import _sector_smatrix


def best_of(f, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def timing():
    basis = ChannelBasis(stt.STTModel(N=5))
    E = np.linspace(-2.4, 1.59, 1000)
    one = best_of(lambda: scattering_probabilities(basis, E))
    every = best_of(lambda: [_sector_smatrix(basis, m, E)
                             for m in basis.sectors()])
    print(f"1,000 energies, N = 5: incoming sector {one:.3f} s, "
          f"every sector (full S) {every:.2f} s")
    return basis


def unitarity(basis):
    E = np.linspace(-2.6, 2.6, 1000)
    worst = max(float(_sector_smatrix(basis, m, E)[0].size and
                      _unitarity(basis, m, E)) for m in basis.sectors())
    eps = np.unique(np.round(basis.energy, 12))
    th = np.concatenate([eps - 2, eps + 2])
    at = max(scattering_matrix(basis, e + d).unitarity_error
             for e in th for d in (0.0, 1e-12, -1e-12, 1e-9))
    leak = 0.0
    for e in np.linspace(-2.5, 2.5, 51):
        sm = scattering_matrix(basis, e)
        tot = sm.m_e + sm.M
        leak = max(leak, np.abs(sm.S[~np.isclose(tot[:, None],
                                                 tot[None, :])]).max())
    print(f"unitarity error: max {worst:.1e} over 1,000 energies, "
          f"{at:.1e} at/near every threshold; S^z leakage {leak:.1e}")


def _unitarity(basis, m, E):
    from qutip_stt.scattering.smatrix import _unitarity_error
    S, op = _sector_smatrix(basis, m, E)
    return _unitarity_error(S, op).max()


def closed_form():
    for S in (0.5, 2.5):
        E = np.linspace(-1.9, 1.9, 200)
        res = scattering_probabilities(stt.STTModel(N=1, S=S), E)
        ex = single_impurity(E, S=S)
        print(f"closed form S = {S}: max |flip - exact| "
              f"{np.abs(res.spin_flip - ex['spin_flip']).max():.1e}")


def agreement(Lx, t_end):
    for params in (dict(N=5), dict(N=1, S=2.5)):
        model = stt.STTModel(Lx=Lx, **params)
        basis = ChannelBasis(model)
        x0 = model.first_site - 40
        avg = packet_average(basis, x0=x0)
        psi0 = stt.initial_state(model, k=0.1, dk=0.2, x0=x0, electron="-z")
        start = time.perf_counter()
        res = stt.evolve(model, psi0, [0.0, t_end], store_states=True)
        wall = time.perf_counter() - start
        P, inside = channel_weights(model, res.states[-1], basis)
        D = basis.size
        flip = P[np.tile(basis.m_e, 2) > 0].sum()
        print(f"N = {model.N}, S = {model.S}, Lx = {Lx}, t = {t_end:g} fs "
              f"({wall:.1f} s): max |P - P_avg| "
              f"{np.abs(P - avg.probabilities).max():.1e}, "
              f"|dT| {abs(P[D:].sum() - avg.transmission):.1e}, "
              f"|dflip| {abs(flip - avg.spin_flip):.1e}, left on the spins "
              f"{inside:.1e}; packet: flip {avg.spin_flip:.5f}, "
              f"T {avg.transmission:.5f}, missed {avg.missed:.5f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true")
    args = parser.parse_args()
    basis = timing()
    unitarity(basis)
    closed_form()
    agreement(4000, 600.0)
    agreement(4000, 900.0)
    if args.long:
        agreement(8000, 3000.0)


if __name__ == "__main__":
    main()
