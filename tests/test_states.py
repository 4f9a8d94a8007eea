"""Initial states, Eq. (4)."""

import numpy as np
import pytest
import qutip

import qutip_stt as stt


def test_wave_packet_shape_and_norm():
    psi = stt.wave_packet(400, k=0.1, dk=0.2, x0=160).full().ravel()
    x = np.arange(400)
    assert abs(np.linalg.norm(psi) - 1) < 1e-14
    p = np.abs(psi) ** 2
    assert abs(np.sum(x * p) - 160) < 1e-9
    # |psi|^2 has standard deviation 1/dk = 5 sites
    assert abs(np.sqrt(np.sum((x - 160) ** 2 * p)) - 5.0) < 1e-6
    # phase advances by k per site
    assert np.allclose(np.angle(psi[161] / psi[160]), 0.1)


def test_eq4_energy_and_spread_on_paper_case():
    """docs/theory.md (Initial state): Eq. (4) as written gives <H> = -2.3821 eV, spread 0.0243 eV."""
    model = stt.STTModel(**stt.PAPER_PARAMETERS)
    psi = stt.initial_state(model, k=0.1, dk=0.2, x0=160, electron="-z")
    H = model.hamiltonian
    E = qutip.expect(H, psi)
    spread = np.sqrt((H * psi).norm() ** 2 - E ** 2)
    assert abs(E - (-2.3821)) < 5e-5
    assert abs(spread - 0.0243) < 5e-5


@pytest.mark.parametrize("name, vec", [
    ("+z", [0, 0, 1]), ("-z", [0, 0, -1]), ("+x", [1, 0, 0]),
    ("-x", [-1, 0, 0]), ("+y", [0, 1, 0]), ("-y", [0, -1, 0]),
])
def test_named_directions(name, vec):
    chi = stt.spinor(name)
    assert np.allclose(stt.bloch_vector(chi, 0.5), vec, atol=1e-14)


def test_theta_phi_convention():
    chi = stt.spinor({"theta": 60, "phi": 30})
    expected = np.array([np.cos(np.radians(60 / 2)),
                         np.exp(1j * np.radians(30)) * np.sin(np.radians(30))])
    assert np.allclose(chi.full().ravel(), expected)


@pytest.mark.parametrize("S", [0.5, 1.0, 2.5])
def test_spin_coherent_direction(S):
    th, ph = 70.0, -40.0
    state = stt.spin_coherent(S, {"theta": th, "phi": ph})
    n = [np.sin(np.radians(th)) * np.cos(np.radians(ph)),
         np.sin(np.radians(th)) * np.sin(np.radians(ph)), np.cos(np.radians(th))]
    assert np.allclose(stt.bloch_vector(state, S), 2 * S * np.array(n))


def test_local_spins_from_user_state():
    model = stt.STTModel(Lx=20, N=3)
    ghz = (qutip.tensor([qutip.basis(2, 0)] * 3)
           + qutip.tensor([qutip.basis(2, 1)] * 3)).unit()
    psi = stt.initial_state(model, x0=5, local=ghz)
    assert psi.dims[0] == [20, 2, 2, 2, 2]
    rho = psi.ptrace([2, 3, 4])
    assert abs(qutip.expect(ghz.proj(), rho) - 1) < 1e-12
    mixed = stt.initial_state(model, x0=5, local=["+z", "-x", {"theta": 30}])
    assert np.allclose(stt.bloch_vector(mixed.ptrace(3), 0.5), [-1, 0, 0])


@pytest.mark.parametrize("kwargs, key", [
    (dict(dk=0), "dk"), (dict(dk=-1), "dk"), (dict(x0=-1), "x0"),
    (dict(x0=400), "x0"), (dict(k=float("inf")), "k"),
    (dict(electron="up"), "electron.spin"),
    (dict(electron={"theta": 200}), "electron.spin.theta"),
    (dict(local=["+z"]), "local_spins.direction"),
])
def test_bad_state_parameters(kwargs, key):
    model = stt.STTModel(Lx=40, N=2)
    with pytest.raises(ValueError, match=f"^{key}"):
        stt.initial_state(model, **{"x0": 10, **kwargs})


@pytest.mark.parametrize("spinor", [[0, 1], (0, 1), np.array([0.0, 1.0]),
                                    [0, 2j], qutip.basis(2, 1)])
def test_two_components_are_a_spinor_not_angles(spinor):
    """The paper writes chi_e = (0, 1) for spin down: a 2-sequence is a spinor."""
    model = stt.STTModel(Lx=30, N=1)
    psi = stt.initial_state(model, x0=10, electron=spinor)
    sz = qutip.expect(model.electron_spin[2], psi)
    assert sz == pytest.approx(-1.0, abs=1e-14)


def test_angles_only_as_a_mapping():
    model = stt.STTModel(Lx=30, N=2, S=1.0)
    psi = stt.initial_state(model, x0=10, electron={"theta": 90, "phi": 0},
                            local=[{"theta": 0}, [0, 0, 1]])
    assert qutip.expect(model.electron_spin[0], psi) == pytest.approx(1.0)
    assert qutip.expect(model.local_spin(2)[2], psi) == pytest.approx(-2.0)
    with pytest.raises(stt.ConfigError, match=r"electron.spin: a ket of a "
                       r"spin 1/2 has 2 components, got 3"):
        stt.initial_state(model, x0=10, electron=[1, 0, 0])
    with pytest.raises(stt.ConfigError, match="local_spins.direction"):
        stt.initial_state(model, x0=10, local=(40.0, 30.0))


@pytest.mark.parametrize("S", [0.5, 1, 2.5])
@pytest.mark.parametrize("direction", ["+z", "-z", "+x", "-y",
                                       {"theta": 60, "phi": 30},
                                       {"theta": 180, "phi": 45}])
def test_coherent_amplitudes_are_qutips_spin_coherent(S, direction):
    import math

    import qutip

    from qutip_stt.states.forms import parse_direction
    from qutip_stt.states.spin import coherent_amplitudes
    theta, phi = parse_direction(direction)
    ref = qutip.spin_coherent(S, math.radians(theta), math.radians(phi))
    got = coherent_amplitudes(S, direction)
    assert np.abs(got - ref.full().ravel()).max() < 1e-14


def test_product_amplitudes_are_the_initial_state_and_the_sector_route_agrees():
    from qutip_stt import STTModel, evolve, initial_state
    from qutip_stt.states.product import product_amplitudes
    model = STTModel(Lx=40, N=3, S=1)
    local = ["+z", {"theta": 70, "phi": 20}, "-x"]
    psi = initial_state(model, 0.3, 0.25, 12, "+y", local)
    vec = product_amplitudes(model, 0.3, 0.25, 12, "+y", local)
    assert np.abs(vec - psi.full().ravel()).max() < 1e-15
    a = evolve(model, psi, [0, 4, 8])
    b = evolve(model, vec, [0, 4, 8])
    assert np.abs(a.local_spin - b.local_spin).max() < 1e-13
    c = evolve(model, vec, [0, 4, 8], method="sesolve")   # made a Qobj
    assert np.abs(a.local_spin - c.local_spin).max() < 1e-6
