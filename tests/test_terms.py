"""Fields, site potential and antiferromagnetic couplings (docs/theory.md,
"Fields, potentials and signs"): one description of each term, two routes.

Oracles: the blocks cut from the full ``Qobj`` Hamiltonian, ``qutip.sesolve``
on the full space, the closed-form Larmor precession at ``2h/hbar``, the
singlet/triplet levels of two spins, and the stationary transmission of the
tight-binding barrier (transfer matrix) averaged over the packet's momenta.
"""

import warnings

import numpy as np
import pytest
import qutip

from qutip_stt import STTModel, initial_state
from qutip_stt.cli import main
from qutip_stt.config import resolve_config
from qutip_stt.constants import HBAR_EV_FS
from qutip_stt.errors import ConfigError
from qutip_stt.model.sector_blocks import (coupling_blocks, sector_block,
                                           sector_hamiltonian)
from qutip_stt.model.sectors import sector_values
from qutip_stt.solvers import evolve
from qutip_stt.solvers.evolution import FullSpaceWarning
from qutip_stt.model.spectrum import xxz_levels
from qutip_stt.states import xxz_ground_state
from qutip_stt.model.terms import potential_profile


def _random_model(S, N, seed, Lx=9):
    rng = np.random.default_rng(seed)
    return STTModel(Lx=Lx, N=N, S=S, first_site=2,
                    J=rng.uniform(-0.3, 0.3), Jz=rng.uniform(-0.3, 0.3),
                    J_sd=rng.uniform(-0.3, 0.3), field=rng.uniform(-0.2, 0.2, N),
                    electron_field=rng.uniform(-0.2, 0.2),
                    potential=rng.uniform(-0.5, 0.5, Lx))


@pytest.mark.parametrize("S, N, seed", [(0.5, 3, 1), (1.0, 2, 2)])
def test_sector_blocks_equal_qobj_blocks(S, N, seed):
    model = _random_model(S, N, seed)
    V = np.diag(model.potential)
    for m in sector_values(model):
        full = sector_block(model, m).toarray()
        assert np.abs(sector_hamiltonian(model, m).toarray() - full).max() \
            <= 1e-14
        # each new term on its own: Zeeman and potential blocks
        n_c = coupling_blocks(model, m)[0][1].shape[0]
        fields = sum(b for c, b in coupling_blocks(model, m)
                     if not hasattr(c, "b")).toarray()
        zeeman = sector_block(model, m, model.H_zeeman).toarray()
        assert np.abs(np.kron(np.eye(model.Lx), fields) - zeeman).max() <= 1e-14
        pot = sector_block(model, m, model.H_potential).toarray()
        assert np.abs(np.kron(V, np.eye(n_c)) - pot).max() <= 1e-14
    # the terms are really there: differs from the model without them
    bare = STTModel(**{k: v for k, v in model.parameters().items()
                       if k not in ("field", "electron_field", "potential")})
    assert (model.hamiltonian - bare.hamiltonian).norm() > 0.1
    again = STTModel(**model.parameters())           # parameters round-trip
    assert (again.hamiltonian - model.hamiltonian).norm() == 0


def test_afm_singlet_and_field_levels():
    """J = Jz = -0.1: H = 0.1 Sigma_1.Sigma_2 - h (Sigma^z_1 + Sigma^z_2):
    singlet -0.3 eV, triplet 0.1 - 2h m (m = 1, 0, -1)."""
    model = STTModel(Lx=4, N=2, J=-0.1, Jz=-0.1)
    psi, e = xxz_ground_state(model, return_energy=True)
    dot = sum(qutip.tensor(op, op) for op in model._local_ops)
    assert e == pytest.approx(-0.3, abs=1e-12)
    assert qutip.expect(dot, psi) == pytest.approx(-3.0, abs=1e-12)
    h = 0.03
    levels, m = xxz_levels(STTModel(Lx=4, N=2, J=-0.1, Jz=-0.1, field=h),
                           k=None, return_sectors=True)
    assert np.allclose(levels, [-0.3, 0.1 - 2 * h, 0.1, 0.1 + 2 * h])
    assert m.tolist() == [0.0, 1.0, 0.0, -1.0]
    # a strong field polarizes the AFM pair: up-up becomes the ground state
    psi = xxz_ground_state(STTModel(Lx=4, N=2, J=-0.1, Jz=-0.1, field=0.3))
    assert abs(psi.full()[0, 0]) == pytest.approx(1.0)


def test_sector_route_equals_sesolve_with_terms():
    """Fields (z), a well and an AFM chain: "auto" (sectors) == sesolve;
    total S^z and energy conserved."""
    V = potential_profile([{"start": 20, "stop": 23, "height": -0.3},
                           {"start": 27, "stop": 29, "height": 0.2}], 50)
    model = STTModel(Lx=50, N=2, J=-0.1, Jz=-0.12, field=[0.05, -0.02],
                     electron_field=0.04, potential=V)
    psi = initial_state(model, k=0.8, x0=12, electron="+x")
    times = np.linspace(0, 12, 4)
    auto = evolve(model, psi, times, warn_reflections=False)
    ses = evolve(model, psi, times, "sesolve", warn_reflections=False)
    assert auto.method == "chebyshev"
    for name in ("electron_spin", "local_spin", "density", "energy"):
        assert np.abs(getattr(auto, name) - getattr(ses, name)).max() < 1e-6
    sz = auto.electron_spin[:, 2] + auto.local_spin[:, :, 2].sum(axis=1)
    assert np.ptp(sz) < 1e-12
    assert np.ptp(auto.energy) < 1e-10
    assert np.ptp(auto.electron_spin[:, 0]) > 0.01     # the field acts


@pytest.mark.parametrize("S", [0.5, 1.0])
def test_larmor_precession(S):
    """Spins along +x in a z field: <Sigma^x> = 2S cos(2 h t / hbar),
    <Sigma^y> = -2S sin(2 h t / hbar) (electron: S = 1/2, its own h_e);
    no s-d exchange, so the closed form is exact."""
    h, he = 0.07, -0.05
    model = STTModel(Lx=20, N=1, S=S, J_sd=0.0, field=h, electron_field=he)
    psi = initial_state(model, x0=5, electron="+x", local="+x")
    t = np.linspace(0, 40, 9)
    res = evolve(model, psi, t, warn_reflections=False)
    w, we = 2 * h / HBAR_EV_FS, 2 * he / HBAR_EV_FS
    assert np.allclose(res.local_spin[:, 0, 0], 2 * S * np.cos(w * t),
                       atol=1e-9)
    assert np.allclose(res.local_spin[:, 0, 1], -2 * S * np.sin(w * t),
                       atol=1e-9)
    assert np.allclose(res.electron_spin[:, 0], np.cos(we * t), atol=1e-9)
    assert np.allclose(res.electron_spin[:, 1], -np.sin(we * t), atol=1e-9)


def test_transverse_field_falls_back_to_sesolve():
    """h along x: "auto" runs sesolve and warns once; the spin (electron far
    away, J_sd = 0) rotates about x: Sigma^z = cos, Sigma^y = sin(2ht/hbar)."""
    h = 0.06
    model = STTModel(Lx=12, N=1, J_sd=0.0, field={"x": h})
    assert not model.conserves_sz
    psi = initial_state(model, x0=3)
    t = np.linspace(0, 30, 7)
    with pytest.warns(FullSpaceWarning, match="transverse") as record:
        res = evolve(model, psi, t, warn_reflections=False)
    assert len([r for r in record if r.category is FullSpaceWarning]) == 1
    assert res.method == "sesolve"
    w = 2 * h / HBAR_EV_FS
    assert np.allclose(res.local_spin[:, 0, 2], np.cos(w * t), atol=1e-7)
    assert np.allclose(res.local_spin[:, 0, 1], np.sin(w * t), atol=1e-7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ses = evolve(model, psi, t, "sesolve", warn_reflections=False)
    assert np.abs(ses.local_spin - res.local_spin).max() < 1e-12
    with pytest.raises(ConfigError) as exc:
        evolve(model, psi, t, "chebyshev", warn_reflections=False)
    assert exc.value.key == "evolution.method"
    assert len(str(exc.value).splitlines()) == 1


def _transmission(k, V, gamma=1.0):
    """Stationary transmission through the potential V (sites 0..len-1) of the
    chain -gamma (|x><x+1| + h.c.) + V_x: transfer matrix from the right."""
    E = -2 * gamma * np.cos(k)
    n = len(V)
    # psi_x = exp(i k x) for x >= n, then leftwards
    # psi_{x-1} = (V_x - E)/gamma psi_x - psi_{x+1}
    right, here = np.exp(1j * k * (n + 1)), np.exp(1j * k * n)
    for x in range(n - 1, -2, -1):
        v = V[x + 1] if x + 1 < n else 0.0
        right, here = here, (v - E) / gamma * here - right
    # here = psi_{-1}, right = psi_0 on the free left side: A e^{ikx} + B e^{-ikx}
    x0, x1 = -1, 0
    M = np.array([[np.exp(1j * k * x0), np.exp(-1j * k * x0)],
                  [np.exp(1j * k * x1), np.exp(-1j * k * x1)]])
    A, _ = np.linalg.solve(M, [here, right])
    return 1.0 / abs(A) ** 2


def test_transfer_matrix_single_site_closed_form():
    """The oracle itself: one site of height V transmits
    4 sin^2 k / (4 sin^2 k + V^2) (gamma = 1)."""
    for k, V in ((1.0, 0.5), (0.3, -1.2), (2.5, 2.0)):
        assert _transmission(k, [V]) == pytest.approx(
            4 * np.sin(k) ** 2 / (4 * np.sin(k) ** 2 + V ** 2), rel=1e-12)


@pytest.mark.parametrize("height", [1.0, -1.0])
def test_barrier_transmission_matches_stationary_scattering(height):
    """A barrier (T = 0.150) and a well (T = 0.956) of 4 sites: the packet's
    transmitted weight equals the stationary transmission averaged over its
    momenta (measured agreement 4e-12)."""
    Lx, start, stop = 260, 100, 104
    V = potential_profile({"start": start, "stop": stop, "height": height}, Lx)
    model = STTModel(Lx=Lx, N=1, J_sd=0.0, first_site=0, potential=V)
    k0, dk, x0 = 1.0, 0.2, 60
    psi = initial_state(model, k=k0, dk=dk, x0=x0, electron="-z")
    res = evolve(model, psi, [0.0, 40.0], warn_reflections=False)
    transmitted = res.density[-1, stop:].sum()
    # packet momenta from the lattice state itself
    phi_x = res.density[0] ** 0.5 * np.exp(1j * k0 * np.arange(Lx))
    ks = np.linspace(-np.pi, np.pi, 4001)[:-1]
    w = np.abs(np.exp(-1j * np.outer(ks, np.arange(Lx))) @ phi_x) ** 2
    w /= w.sum()
    barrier = np.full(stop - start, height)
    expected = sum(wi * _transmission(k, barrier)
                   for k, wi in zip(ks, w) if k > 0)
    assert 0.1 < expected < 0.97             # partial transmission
    assert transmitted == pytest.approx(expected, abs=1e-8)


@pytest.mark.parametrize("kwargs, key", [
    (dict(N=2, field=[0.1, 0.2, 0.3]), "field"),
    (dict(N=1, field={"w": 0.1}), "field.w"),
    (dict(Lx=10, potential=np.zeros(9)), "potential"),
    (dict(electron_field="up"), "electron_field"),
])
def test_model_bad_input_names_argument(kwargs, key):
    with pytest.raises(ConfigError) as exc:
        STTModel(**{"Lx": 10, "N": 1, **kwargs})
    assert exc.value.key == key


@pytest.mark.parametrize("data, key", [
    ({"local_spins": {"count": 2, "field": [0.1]}}, "local_spins.field"),
    ({"local_spins": {"fields": 0.1}}, "local_spins.fields"),
    ({"electron": {"field": {"z": 0.1}}}, "electron.field"),
    ({"chain": {"length": 50, "potential": {"start": 40, "stop": 60,
                                            "height": 0.1}}},
     "chain.potential.stop"),
    ({"chain": {"potential": [{"start": 1, "stop": 3}]}},
     "chain.potential.height"),
])
def test_config_bad_input_names_key(data, key):
    with pytest.raises(ConfigError) as exc:
        resolve_config(data)
    assert exc.value.key == key


def test_config_builds_terms():
    from qutip_stt.simulation import build
    cfg = resolve_config({"chain": {"length": 40, "potential": [
        {"start": 5, "stop": 8, "height": 0.2},
        {"start": 7, "stop": 9, "height": -0.5}]},
        "local_spins": {"count": 2, "field": [0.01, 0.02], "J": -0.1},
        "electron": {"field": -0.03}, "evolution": {"t_max": 1, "n_times": 2}})
    model, _, _ = build(cfg)
    assert model.potential[5:10].tolist() == [0.2, 0.2, -0.3, -0.5, 0.0]
    assert model.field[:, 2].tolist() == [0.01, 0.02]
    assert model.electron_field == -0.03 and model.J == -0.1


@pytest.mark.parametrize("text, fragment", [
    ("[local_spins]\ncount = 2\nfield = [0.1, 0.2, 0.3]\n",
     "local_spins.field: a list needs one value per local spin"),
    ("[chain]\nlength = 40\npotential = { start = 1, stop = 2, heigth = 1 }\n",
     "chain.potential.heigth: unknown key"),
    ("[chain]\nlength = 40\n[local_spins]\ncount = 1\nfield = { x = 0.1 }\n"
     "[evolution]\nmethod = \"chebyshev\"\nt_max = 1\nn_times = 2\n",
     "evolution.method: 'chebyshev' cannot run this model: the transverse "
     "field (local_spins.field x or y) breaks total-S^z conservation"),
])
def test_cli_one_line_exit_2(tmp_path, capsys, text, fragment):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    out = tmp_path / "x.h5"
    code = main(["simulate", str(cfg), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_scatter_refuses_terms():
    from qutip_stt.scattering.run import scatter
    cfg = resolve_config({"local_spins": {"count": 1}, "chain": {"length": 40},
                          "electron": {"field": 0.1}})
    with pytest.raises(ConfigError) as exc:
        scatter(cfg)
    assert exc.value.key == "electron.field"


def test_cli_transverse_field_runs_full_space_and_says_so(tmp_path, capsys):
    """End to end: the file is written, its method is sesolve, the field is
    stored as model_field (N, 3), and the warning is one line on stderr."""
    import h5py

    cfg = tmp_path / "tf.toml"
    cfg.write_text("[chain]\nlength = 30\npotential = { start = 20, stop = 22, "
                   "height = 0.3 }\n[local_spins]\ncount = 1\nfield = { x = 0.05,"
                   " z = 0.01 }\n[electron]\nx0 = 10\nfield = 0.02\n"
                   "[evolution]\nt_max = 2\nn_times = 3\n")
    out = tmp_path / "tf.h5"
    with pytest.warns(FullSpaceWarning):
        code = main(["simulate", str(cfg), "--out", str(out), "--quiet"])
    assert code == 0
    with h5py.File(out) as f:
        assert f.attrs["method"] == "sesolve"
        assert np.allclose(f.attrs["model_field"], [[0.05, 0.0, 0.01]])
        assert f.attrs["model_electron_field"] == 0.02
        assert np.abs(np.diff(f["norm"][()])).max() < 1e-8


def test_memory_estimate_of_transverse_auto_is_sesolve():
    from qutip_stt.simulation import check_memory
    from qutip_stt.solvers.memory import run_memory
    cfg = resolve_config({"chain": {"length": 100}, "local_spins": {
        "count": 3, "field": {"y": 0.01}}})
    assert check_memory(cfg, available=2**40) == run_memory(
        100, 3, 0.5, "sesolve", cfg["evolution"]["n_times"])


def test_sector_functions_refuse_transverse_field():
    from qutip_stt.model.spectrum import lowest_levels
    model = STTModel(Lx=6, N=1, field={"x": 0.1})
    for call in (lambda: sector_hamiltonian(model, 1.0),
                 lambda: sector_block(model, 1.0),
                 lambda: lowest_levels(model, 2)):
        with pytest.raises(ConfigError) as exc:
            call()
        assert exc.value.key == "local_spins.field"
    # the local spins alone: one block, S^z undefined (NaN); -h Sigma^x
    levels, m = xxz_levels(model, k=None, return_sectors=True)
    assert np.allclose(levels, [-0.1, 0.1]) and np.isnan(m).all()


def test_classical_refuses_terms():
    model = STTModel(Lx=20, N=1, potential=potential_profile(
        {"start": 12, "stop": 14, "height": 0.2}, 20))
    with pytest.raises(ConfigError) as exc:
        evolve(model, initial_state(model, x0=5), [0, 1], "classical",
               warn_reflections=False)
    assert exc.value.key == "evolution.method"


@pytest.mark.parametrize("table, message", [
    ({"start": 1, "stop": 3, "height": 0.1, "width": 2},
     "chain.potential.width: unknown key; allowed: start, stop, height"),
    ({"start": 1, "stop": 3},
     "chain.potential.height: missing; a potential needs start, stop and height")])
def test_potential_table_keys_are_named(table, message):
    from qutip_stt.errors import ConfigError
    from qutip_stt.model.terms import normalize_potential
    with pytest.raises(ConfigError) as err:
        normalize_potential(table, 10)
    assert str(err.value) == message
