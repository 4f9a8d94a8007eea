"""Subsystem analysis: the exact identities stated in docs/theory.md (What is measured)."""

import numpy as np
import pytest
import qutip

import qutip_stt as stt


def random_ket(model, seed):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=model.dimension) + 1j * rng.normal(size=model.dimension)
    return qutip.Qobj(v / np.linalg.norm(v), dims=[model.dims,
                                                   [1] * len(model.dims)])


def test_collinear_transverse_components_vanish(collinear_small):
    r = collinear_small
    assert np.abs(r.local_spin[..., :2]).max() < 1e-12
    assert np.abs(r.electron_spin[:, :2]).max() < 1e-12
    # the spins shrink along z without rotating
    assert r.local_spin[-1, :, 2].max() < 0.999


def test_purities_of_complementary_subsystems_equal(collinear_small,
                                                    noncollinear_small):
    for r in (collinear_small, noncollinear_small):
        assert np.abs(r.purity_local - r.purity_electron).max() < 1e-12
        assert r.purity_local[-1] < 0.99


def test_noncollinear_probabilities_are_half(small_model, collinear_small,
                                             noncollinear_small):
    labels = small_model.spin_configuration_labels
    col, non = collinear_small.probabilities, noncollinear_small.probabilities
    one_flip = [i for i, lab in enumerate(labels)
                if lab.startswith("↑") and lab.count("↓") == 1]
    assert len(one_flip) == small_model.N
    assert np.abs(non[:, one_flip] - col[:, one_flip] / 2).max() < 1e-12
    up = labels.index("↑;" + "↑" * small_model.N)
    assert np.abs(non[:, up] - 0.5).max() < 1e-12
    down = labels.index("↓;" + "↑" * small_model.N)
    assert np.abs(non[:, down] - col[:, down] / 2).max() < 1e-12
    assert np.abs(col.sum(axis=1) - 1).max() < 1e-12


def test_macrospin_two_level_dynamics():
    """Appendix: |a|^2 + |b|^2 = 1, only |↓;5/2> and |↑;3/2> get weight."""
    model = stt.STTModel(Lx=100, N=1, S=2.5, first_site=50)
    psi0 = stt.initial_state(model, x0=30, electron="-z")
    r = stt.evolve(model, psi0, np.linspace(0, 60, 7), "crank-nicolson")
    labels = model.spin_configuration_labels
    a2 = r.probabilities[:, labels.index("↓;5/2")]
    b2 = r.probabilities[:, labels.index("↑;3/2")]
    assert np.abs(a2 + b2 - 1).max() < 1e-12
    assert b2[-1] > 1e-3
    assert r.local_spin[0, 0, 2] == pytest.approx(5.0)
    assert np.abs(r.local_spin[..., :2]).max() < 1e-12


def test_reduced_density_matrices_are_states():
    model = stt.STTModel(Lx=12, N=2, S=1.0)
    psi = random_ket(model, 1)
    for which in ("orbital", "electron_spin", "electron", "local", "spins",
                  "local:1", "local:2"):
        rho = stt.reduced_density_matrix(psi, model, which)
        assert rho.isherm
        assert abs(rho.tr() - 1) < 1e-12
        assert rho.eigenenergies().min() > -1e-12
    # Schmidt: complementary subsystems have equal purity
    p_e = stt.purity(stt.reduced_density_matrix(psi, model, "electron"))
    p_l = stt.purity(stt.reduced_density_matrix(psi, model, "local"))
    assert abs(p_e - p_l) < 1e-12


def test_snapshot_against_full_operators():
    """ptrace-based Bloch vectors equal <psi|Sigma_n|psi> with full-space operators."""
    model = stt.STTModel(Lx=10, N=2, S=1.5)
    psi = random_ket(model, 2)
    snap = stt.snapshot(psi, model)
    for n in (1, 2):
        full = [qutip.expect(op, psi) for op in model.local_spin(n)]
        assert np.allclose(snap["local_spin"][n - 1], full, atol=1e-12)
    full_e = [qutip.expect(op, psi) for op in model.electron_spin]
    assert np.allclose(snap["electron_spin"], full_e, atol=1e-12)
    assert snap["energy"] == pytest.approx(qutip.expect(model.hamiltonian, psi))
    assert snap["total_sz"] == pytest.approx(qutip.expect(model.total_sz, psi))
    dens = [qutip.expect(model.site_projector(i), psi) for i in range(10)]
    assert np.allclose(snap["density"], dens, atol=1e-12)
    rho_spins = psi.ptrace(list(range(1, model.N + 2)))
    assert np.allclose(snap["probabilities"], rho_spins.diag().real, atol=1e-12)
    rho_l = psi.ptrace([2, 3])
    assert snap["entropy_local"] == pytest.approx(qutip.entropy_vn(rho_l))


def test_orbital_factor_stays_pure_for_macrospin_product():
    """A product orbital (x) spins state whose spins are an eigenstate stays a product."""
    model = stt.STTModel(Lx=60, N=1, S=2.5, first_site=30)
    psi0 = stt.initial_state(model, x0=20, electron="+z")
    r = stt.evolve(model, psi0, np.linspace(0, 30, 4), "crank-nicolson")
    # |↑; 5/2> is an eigenstate of the spin part: orbital stays pure
    assert np.abs(r.purity_orbital - 1).max() < 1e-9
    assert np.abs(r.local_spin[:, 0, 2] - 5).max() < 1e-9


def test_configuration_table(small_model):
    cfg = small_model.spin_configurations
    assert cfg.shape == (16, 4)
    assert list(cfg[0]) == [0.5, 0.5, 0.5, 0.5]
    assert small_model.spin_configuration_labels[8] == "↓;↑↑↑"
    model = stt.STTModel(Lx=10, N=1, S=2.5)
    assert model.spin_configuration_labels[:2] == ["↑;5/2", "↑;3/2"]


def test_bad_subsystem(small_model):
    psi = stt.initial_state(small_model, x0=45)
    with pytest.raises(ValueError, match="^spin: local spin index must be 1..3"):
        stt.reduced_density_matrix(psi, small_model, "local:4")
    with pytest.raises(ValueError, match="^subsystem"):
        stt.reduced_density_matrix(psi, small_model, "magnet")
