"""The Petrović et al. (PRX 11, 021062 (2021)) set-up on method "mps": run it and keep every output time.

35 + 5 + 35 chain sites, five spin-1/2 local spins on sites 35..39, the
electrons released from the ten polarized sites 0..9 (spin up), the local
spins down, to t = 50 hbar/gamma. The reference writes every spin term with
spin-1/2 operators (``-Jsd s.S``, ``-Jx (S^x S^x + S^y S^y) - Jz S^z S^z``,
``s = sigma/2``, ``S = Sigma/2``), ours with Pauli-unit ones, so each of our
couplings is a quarter of theirs (docs/guide/mps.md): ``J_sd = 0.5/4``,
``J = 0.1/4``, ``Jz = 0.1005/4`` eV with ``gamma = 1`` eV.

Usage (one run per call; the results go to ``OUT/prx_ne{Ne}_chi{chi}.npz``,
rewritten at every output time, so an interrupted run keeps what it
reached)::

    python benchmarks/prx_mps.py --electrons 5 --chi 64 --out /tmp/prx

docs/guide/mps.md gives the numbers of these files (chi 32 against 64).
"""

import argparse
import os
import time

import numpy as np

from qutip_stt.constants import HBAR_EV_FS
from qutip_stt.measures.pairs import PairRecorder
from qutip_stt.model.many_electron import ManyElectronModel
from qutip_stt.solvers.mps.evolve import evolve_mps
from qutip_stt.states.fermions import many_electron_state

#: The reference's couplings (spin-1/2 operators) and our factor for them.
REFERENCE = {"Jsd": 0.5, "Jx": 0.1, "Jz": 0.1005}
TO_OURS = 0.25


def prx_model(electrons):
    """The model of the set-up, in our units (eV; gamma = 1)."""
    return ManyElectronModel(Lx=75, N=5, S=0.5, gamma=1.0,
                             J_sd=TO_OURS * REFERENCE["Jsd"],
                             J=TO_OURS * REFERENCE["Jx"],
                             Jz=TO_OURS * REFERENCE["Jz"], first_site=35,
                             Ne=electrons)


def run(electrons, chi, out, t_end=50.0, outputs=51, dt=0.1, svd_min=1e-10,
        algorithm="tdvp"):
    """Run one case; times in hbar/gamma (converted to fs for the package)."""
    model = prx_model(electrons)
    psi = many_electron_state(model, lead={"start": 0, "stop": 10},
                              spin="+z", local="-z", lazy=True)
    times = np.linspace(0, t_end, outputs) * HBAR_EV_FS
    pairs = PairRecorder(model, pairs=[[1, 5]],
                         measures=["mutual_information"])
    rows, start = [], time.perf_counter()
    path = os.path.join(out, f"prx_ne{electrons}_chi{chi}.npz")

    def keep(t, row):
        rows.append(row)
        data = {k: np.array([r[k] for r in rows]) for k in
                ("local_spin", "mps/bond_dimension",
                 "mps/entanglement_entropy", "mps/truncation_error",
                 "energy", "norm", "total_sz", "electrons/count_right")}
        mi = pairs.arrays().get("mutual_information")
        np.savez(path + ".tmp.npz", t=times[:len(rows)] / HBAR_EV_FS,
                 wall=time.perf_counter() - start, chi=chi,
                 electrons=electrons, dt=dt,
                 mutual_information=np.asarray(mi).ravel(),
                 **{k.replace("/", "_"): v for k, v in data.items()})
        os.replace(path + ".tmp.npz", path)
        print(f"t = {t / HBAR_EV_FS:5.1f} hbar/gamma  chi = "
              f"{row['mps/bond_dimension']}  Sz = "
              f"{np.round(row['local_spin'][:, 2] / 2, 4).tolist()}  "
              f"wall {time.perf_counter() - start:.0f} s", flush=True)

    evolve_mps(model, psi, times, chi_max=chi, svd_min=svd_min,
               dt=dt * HBAR_EV_FS, algorithm=algorithm, pair_recorder=pairs,
               on_measure=keep)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electrons", type=int, default=5)
    parser.add_argument("--chi", type=int, default=64)
    parser.add_argument("--t-end", type=float, default=50.0)
    parser.add_argument("--outputs", type=int, default=51)
    parser.add_argument("--dt", type=float, default=0.1,
                        help="step, hbar/gamma")
    parser.add_argument("--out", default=".")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    run(args.electrons, args.chi, args.out, args.t_end, args.outputs,
        args.dt)


if __name__ == "__main__":
    main()
