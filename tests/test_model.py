"""The Hamiltonian of Eq. (3): structure, symmetries and reference spectra."""

import numpy as np
import pytest
import qutip

import qutip_stt as stt
from qutip_stt.model import sectors, spectrum
from qutip_stt.model.sector_blocks import sector_block


def commutator_norm(a, b):
    c = (a * b - b * a).data_as("csr_matrix")
    return np.abs(c.data).max() if c.nnz else 0.0


@pytest.mark.parametrize("S, N", [(0.5, 3), (1.0, 2), (2.5, 1), (1.5, 2)])
def test_hamiltonian_dims_hermitian_sparse(S, N):
    model = stt.STTModel(Lx=30, N=N, S=S, J=0.13, Jz=-0.07, J_sd=0.3)
    H = model.hamiltonian
    d = int(2 * S + 1)
    assert H.dims == [[30, 2] + [d] * N, [30, 2] + [d] * N]
    assert H.isherm
    assert type(H.data).__name__ == "CSR"
    assert commutator_norm(H, model.total_sz) < 1e-13


def test_spin_operators_units():
    sx, sy, sz = stt.spin_operators(2.5)
    assert np.allclose(sz.eigenenergies(), [-5, -3, -1, 1, 3, 5])
    # Sigma x Sigma = 2 i Sigma in units of hbar/2
    assert (sx * sy - sy * sx - 2j * sz).norm() < 1e-12
    px, py, pz = stt.spin_operators(0.5)
    assert (px - qutip.sigmax()).norm() == 0


def test_hamiltonian_matches_hand_built_two_sites():
    """Lx = 2, N = 1: H assembled entry by entry from Eq. (3)."""
    model = stt.STTModel(Lx=2, N=1, gamma=0.7, J_sd=0.3, first_site=1)
    sig = [qutip.sigmax(), qutip.sigmay(), qutip.sigmaz()]
    hop = -0.7 * (qutip.basis(2, 0) * qutip.basis(2, 1).dag())
    hop = hop + hop.dag()
    H = qutip.tensor(hop, qutip.qeye(2), qutip.qeye(2))
    H -= 0.3 * sum(qutip.tensor(qutip.basis(2, 1).proj(), s, s) for s in sig)
    assert (model.hamiltonian - H).norm() < 1e-14


def test_matrix_elements_of_each_term(small_model):
    """Eq. (3) term by term, from basis kets (not from the operators' sums)."""
    m = small_model
    H = m.hamiltonian
    up, dn = qutip.basis(2, 0), qutip.basis(2, 1)

    def ket(site, e, spins):
        return qutip.tensor(qutip.basis(m.Lx, site), e, *spins)

    spins = [up] * m.N
    # hopping: <x+1|H|x> = -gamma, nothing beyond nearest neighbours
    assert H.matrix_element(ket(11, up, spins), ket(10, up, spins)) == \
        pytest.approx(-m.gamma)
    assert H.matrix_element(ket(12, up, spins), ket(10, up, spins)) == 0
    # s-d on the site of spin 1: sigma.Sigma |up; dn> = -|up; dn> + 2 |dn; up>
    site = int(m.sites[0])
    flipped = [dn] + [up] * (m.N - 1)
    a, b = ket(site, up, flipped), ket(site, dn, spins)
    assert H.matrix_element(b, a) == pytest.approx(-2 * m.J_sd)
    # off the spins' sites the electron spin never flips
    assert H.matrix_element(ket(10, dn, spins), ket(10, up, flipped)) == 0
    # XXZ: <up dn|H|dn up> = -2 J for a neighbouring pair; all-up diagonal
    pair = [up, dn] + [up] * (m.N - 2)
    swap = [dn, up] + [up] * (m.N - 2)
    assert H.matrix_element(ket(10, up, pair), ket(10, up, swap)) == \
        pytest.approx(-2 * m.J)
    assert H.matrix_element(ket(10, up, spins), ket(10, up, spins)) == \
        pytest.approx(-(m.N - 1) * m.Jz)
    x = m.position
    assert x.dims == m.hamiltonian.dims
    psi = stt.initial_state(m, x0=33.0, dk=0.5)
    assert abs(qutip.expect(x, psi) - 33.0) < 1e-6
    assert abs(sum(qutip.expect(m.site_projector(i), psi)
                   for i in range(m.Lx)) - 1) < 1e-12


def test_default_placement_matches_paper():
    model = stt.STTModel(**stt.PAPER_PARAMETERS)
    assert list(model.sites) == [198, 199, 200, 201, 202]
    assert stt.STTModel(**stt.MACROSPIN_PARAMETERS).first_site == 200
    assert model.dimension == 25_600


def test_xxz_sextet_reference():
    """docs/theory.md (Symmetry and spectrum): -0.402000 (x2), -0.400401 (x2), -0.399603 (x2) eV."""
    levels = spectrum.xxz_levels(stt.STTModel(**stt.PAPER_PARAMETERS), k=6)
    ref = [-0.402000, -0.402000, -0.400401, -0.400401, -0.399603, -0.399603]
    assert np.allclose(levels, ref, atol=1e-6)


def test_full_spectrum_lowest_seven_reference():
    """docs/theory.md (Symmetry and spectrum): lowest seven levels of H, Lx = 400, from S^z blocks."""
    model = stt.STTModel(**stt.PAPER_PARAMETERS)
    levels, sectors = spectrum.lowest_levels(model, 7, return_sectors=True)
    ref = [-2.437783, -2.437783, -2.436454, -2.436454, -2.435653, -2.435653,
           -2.435385]
    assert np.allclose(levels, ref, atol=1e-5)
    # the ground doublet is the fully polarised pair m = +-3
    assert set(sectors[:2]) == {3.0, -3.0}


def test_sector_blocks_cover_hamiltonian(small_model):
    m = small_model
    total = sum(len(sectors.sector_indices(m, s))
                for s in sectors.sector_values(m))
    assert total == m.dimension
    # the block of H on the sector equals H restricted by projector
    s = sectors.sector_values(m)[1]
    idx = sectors.sector_indices(m, s)
    H = m.hamiltonian.data_as("csr_matrix")
    block = sector_block(m, s)
    assert abs(block - H[idx][:, idx]).max() == 0
    # no coupling out of the sector
    other = np.setdiff1d(np.arange(m.dimension), idx)
    assert H[other][:, idx].nnz == 0 or abs(H[other][:, idx]).max() == 0


def test_ground_states_are_eigenstates(small_model):
    energies, states = spectrum.ground_states(small_model, k=3)
    H = small_model.hamiltonian
    for e, psi in zip(energies, states):
        assert (H * psi - e * psi).norm() < 1e-8


@pytest.mark.parametrize("kwargs, key", [
    (dict(Lx=1), "Lx"), (dict(Lx=10, N=11), "N"), (dict(N=0), "N"),
    (dict(S=0.3), "S"), (dict(S=0), "S"), (dict(N=2.5), "N"),
    (dict(gamma=float("nan")), "gamma"), (dict(J_sd="big"), "J_sd"),
    (dict(Lx=10, N=3, first_site=8), "first_site"),
    (dict(first_site=-1), "first_site"), (dict(N=30), "N"),
])
def test_bad_model_parameters(kwargs, key):
    with pytest.raises(ValueError, match=f"^{key}: "):
        stt.STTModel(**kwargs)
