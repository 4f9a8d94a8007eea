"""Sector decomposition, the one reducer against QuTiP's ptrace, and method "auto"."""

import numpy as np
import pytest
import qutip

import qutip_stt as stt
from qutip_stt.measures.reducer import OBSERVABLES, reduce_amplitudes
from qutip_stt.measures.observables import amplitudes, snapshot
from qutip_stt.model.sectors import (amplitude_matrix, compact_amplitudes,
                                     decompose, reassemble)


def _random_state(model, seed):
    psi = qutip.rand_ket(model.dimension, seed=seed)
    return qutip.Qobj(psi.full(), dims=[model.dims, [1] * len(model.dims)])


@pytest.mark.parametrize("N, S", [(2, 0.5), (3, 1.0), (2, 2.5)])
def test_decomposition_lossless_and_observables_equal_snapshot(N, S):
    model = stt.STTModel(Lx=12, N=N, S=S)
    psi = _random_state(model, seed=11)
    pieces = decompose(psi, model)
    assert len(pieces) == len(np.unique(model.sector_labels))
    assert (reassemble(pieces, model) - psi).norm() == 0.0
    energy = qutip.expect(model.hamiltonian, psi)
    ours = reduce_amplitudes(amplitude_matrix(pieces, model), model, energy)
    ref = snapshot(psi, model)
    assert set(ours) == set(OBSERVABLES)
    for key in OBSERVABLES:
        np.testing.assert_allclose(ours[key], ref[key], atol=1e-13,
                                   err_msg=key)


@pytest.mark.parametrize("N, S, keep", [(2, 0.5, 2), (3, 1.0, 2),
                                         (3, 1.0, 5), (2, 2.5, 3)])
def test_compact_and_stacked_reduction_equal_snapshot(N, S, keep):
    # a ket in a few sectors only: the reducer on the populated columns
    # (``columns``) and on a stack of times equals QuTiP's ptrace route
    model = stt.STTModel(Lx=12, N=N, S=S)
    kets = []
    for seed in (3, 4):
        pieces = decompose(_random_state(model, seed), model)
        chosen = {m: pieces[m] for m in list(pieces)[1:1 + keep]}
        norm = np.sqrt(sum(np.vdot(v, v).real for v in chosen.values()))
        kets.append({m: v / norm for m, v in chosen.items()})
    stacks = {m: np.stack([k[m] for k in kets]) for m in kets[0]}
    A, columns = compact_amplitudes(stacks, model)
    assert A.shape == (2, model.Lx, columns.size)
    states = [reassemble(k, model) for k in kets]
    energies = [qutip.expect(model.hamiltonian, psi) for psi in states]
    ours = reduce_amplitudes(A, model, energies, columns)
    for i, psi in enumerate(states):
        ref = snapshot(psi, model)
        for key in OBSERVABLES:
            np.testing.assert_allclose(ours[key][i], ref[key], atol=1e-13,
                                       err_msg=key)


@pytest.mark.parametrize("Lx, N, S", [(12, 4, 0.5), (6, 4, 0.5),
                                      (4, 1, 2.5), (3, 2, 2.5)])
@pytest.mark.parametrize("kind", ["tilted", "random"])
def test_many_spin_states_branch_equals_snapshot(Lx, N, S, kind):
    # D > Lx: the reducer's many-spin-states branch, with the local-spins
    # (2 Lx > (2S+1)^N) or the electron (2 Lx <= (2S+1)^N) density matrix
    model = stt.STTModel(Lx=Lx, N=N, S=S)
    assert model.spin_space_dimension > Lx
    if kind == "tilted":
        psi = stt.initial_state(model, x0=Lx / 2, electron="+x",
                                local={"theta": 30.0, "phi": 20.0})
    else:
        psi = _random_state(model, seed=5)
    ref = snapshot(psi, model)
    assert (ref["probabilities"] > 1e-14).all()     # every sector populated
    energy = qutip.expect(model.hamiltonian, psi)
    ours = reduce_amplitudes(amplitudes(psi, model), model, energy)
    for key in OBSERVABLES:
        np.testing.assert_allclose(ours[key], ref[key], atol=1e-13,
                                   err_msg=key)


def test_product_state_has_one_sector():
    model = stt.STTModel(Lx=40, N=3)
    # electron down, local spins up: total S^z = 3/2 - 1/2
    assert list(decompose(stt.initial_state(model, x0=15), model)) == [1.0]


CASES = {
    "collinear": dict(N=3, S=0.5, electron="-z", local="+z"),
    "noncollinear": dict(N=3, S=0.5, electron="+x", local="+z"),
    "tilted": dict(N=3, S=0.5, electron="-z", local={"theta": 40.0, "phi": 30.0}),
    "S=1": dict(N=2, S=1.0, electron="-z", local="+z"),
    "S=5/2": dict(N=2, S=2.5, electron="+x", local={"theta": 60.0}),
}
KEYS = ("electron_spin", "local_spin", "purity_local", "purity_electron",
        "purity_orbital", "probabilities", "density", "energy")


@pytest.mark.parametrize("case", list(CASES))
def test_auto_agrees_with_sesolve_and_crank_nicolson(case):
    c = CASES[case]
    model = stt.STTModel(Lx=50, N=c["N"], S=c["S"], J_sd=0.3, J=0.1)
    psi0 = stt.initial_state(model, x0=20, k=0.5, dk=0.3,
                             electron=c["electron"], local=c["local"])
    times = np.linspace(0, 20, 5)
    auto = stt.evolve(model, psi0, times, "auto", store_states=True)
    ses = stt.evolve(model, psi0, times, "sesolve",
                     options={"atol": 1e-12, "rtol": 1e-10})
    cn = stt.evolve(model, psi0, times, "crank-nicolson", dt=0.01)
    assert auto.method == "chebyshev"
    np.testing.assert_array_equal(auto.times, times)
    assert np.max(np.abs(auto.norm - 1)) < 1e-12
    for key in KEYS:
        np.testing.assert_allclose(getattr(auto, key), getattr(ses, key),
                                   atol=1e-7, err_msg=key)
        np.testing.assert_allclose(getattr(auto, key), getattr(cn, key),
                                   atol=1e-3, err_msg=key)
    # stored kets reproduce the recorded observables
    last = snapshot(auto.final_state, model)
    np.testing.assert_allclose(last["local_spin"], auto.local_spin[-1],
                               atol=1e-13)


def test_noncollinear_one_flip_is_half_of_collinear():
    # +x electron = (up + down)/sqrt 2: the down half evolves exactly as in
    # the collinear run, the up half stays in the fully polarized sector.
    model = stt.STTModel(Lx=80, N=3)
    times = np.linspace(0, 40, 5)
    col = stt.evolve(model, stt.initial_state(model, x0=30, electron="-z"),
                     times)
    non = stt.evolve(model, stt.initial_state(model, x0=30, electron="+x"),
                     times)
    flip = np.isclose(model.sector_labels, 0.5 * model.N - 0.5)
    np.testing.assert_allclose(non.probabilities[:, flip],
                               col.probabilities[:, flip] / 2, atol=1e-14)


@pytest.mark.parametrize("N, S, kw", [
    (3, 0.5, {}), (2, 1.0, dict(J_sd=0.3, J=0.2, Jz=0.05)),
    (3, 1.5, dict(gamma=0.7, first_site=2)), (1, 2.5, {})])
def test_sector_hamiltonian_equals_qobj_block(N, S, kw):
    # the blocks built from model.couplings against the blocks cut from the
    # full Qobj Hamiltonian (QuTiP tensor/jmat), and rigorous spectral bounds
    from qutip_stt.model.bounds import sector_bounds
    from qutip_stt.model.sector_blocks import sector_block, sector_hamiltonian
    from qutip_stt.model.sectors import sector_configurations, sector_values
    model = stt.STTModel(Lx=10, N=N, S=S, **kw)
    for m in sector_values(model):
        H = sector_hamiltonian(model, m)
        cols = np.isclose(model.sector_labels, m)
        np.testing.assert_array_equal(sector_configurations(model, m),
                                      model.spin_configurations[cols])
        block = sector_block(model, m)
        assert abs(H - block).max() < 1e-14
        vals = np.linalg.eigvalsh(block.toarray())
        lo, hi = sector_bounds(model, m)
        assert lo <= vals[0] and vals[-1] <= hi
