"""Method "classical": the mean-field limit (docs/theory.md, "Classical limit").

Independent routes: closed forms (Larmor precession, the single-spin LLG
solution against scipy's solve_ivp), the exact conservation laws of the
mean-field equations, step halving for the order, and the quantum run of the
same config for the collinear contrast.
"""

import math
import subprocess
import sys

import h5py
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import qutip_stt as stt
from qutip_stt.solvers.classical import classical_initial_state
from qutip_stt.solvers.mean_field import MeanFieldSTT, llg_rotate
from qutip_stt.config import apply_overrides, preset

HBAR = stt.HBAR_EV_FS


def _classical(model, electron, times, x0=45, **options):
    psi0 = stt.initial_state(model, x0=x0, electron=electron)
    return stt.evolve(model, psi0, times, "classical", options=options)


@pytest.fixture(scope="module")
def noncollinear_classical(small_model, small_times):
    return _classical(small_model, "+x", small_times, tol=1e-10)


def test_collinear_start_stays_exactly_fixed_while_quantum_shrinks(
        small_model, small_times, collinear_small):
    res = _classical(small_model, "-z", small_times)
    assert np.max(np.abs(res.local_spin[:, :, :2])) <= 1e-12
    assert np.max(np.abs(res.electron_spin[:, :2])) <= 1e-12
    lengths = np.linalg.norm(res.local_spin, axis=2)
    assert np.max(np.abs(lengths - 2 * small_model.S)) <= 2e-16
    assert np.array_equal(res.purity_local, np.ones_like(res.times))
    # the quantum run of the same start: the local spins shrink
    quantum = np.linalg.norm(collinear_small.local_spin[-1], axis=1)
    assert np.all(quantum < 0.9)


def test_conservation_laws_without_damping(noncollinear_classical, small_model):
    res = noncollinear_classical
    rel = np.abs(res.energy - res.energy[0]) / abs(res.energy[0])
    assert np.max(rel) <= 1e-8
    assert np.max(np.abs(res.total_sz - res.total_sz[0])) <= 1e-8 * abs(
        res.total_sz[0])
    assert np.max(np.abs(res.norm - 1)) <= 1e-12
    lengths = np.linalg.norm(res.local_spin, axis=2)
    assert np.max(np.abs(lengths - 2 * small_model.S)) <= 1e-13
    # it starts where the quantum product state starts: <H> and <Sigma_n>
    psi0 = stt.initial_state(small_model, x0=45, electron="+x")
    assert abs(res.energy[0] - stt.snapshot(psi0, small_model)["energy"]) < 1e-12


def test_total_spin_vector_conserved_when_J_equals_Jz(small_times):
    model = stt.STTModel(Lx=120, N=3, S=1, J=0.1, Jz=0.1)
    res = _classical(model, {"theta": 60, "phi": 30}, small_times[:7],
                     tol=1e-10)
    total = res.electron_spin + res.local_spin.sum(axis=1)
    drift = np.max(np.abs(total - total[0]))
    assert drift <= 1e-8 * np.linalg.norm(total[0])
    assert np.max(np.abs(res.local_spin[-1] - res.local_spin[0])) > 1e-3


def test_spin_length_exact_at_every_step():
    model = stt.STTModel(Lx=60, N=3, S=1.5)
    psi0 = stt.initial_state(model, x0=25, electron="+y")
    psi, M = classical_initial_state(model, psi0)
    mf = MeanFieldSTT(model)
    phi = mf.to_eigenbasis(psi)
    worst = 0.0
    for _ in range(200):
        phi, M = mf.step(phi, M, 0.5)
        worst = max(worst, np.max(np.abs(np.linalg.norm(M, axis=1) - 3)))
    assert worst <= 1e-13
    assert abs(np.linalg.norm(phi) - 1) <= 1e-12


@pytest.mark.parametrize("order, alpha", [(2, 0.0), (4, 0.0), (4, 0.2)])
def test_convergence_order_by_step_halving(order, alpha):
    model = stt.STTModel(Lx=60, N=2)
    psi, M = classical_initial_state(
        model, stt.initial_state(model, x0=25, electron="+x"))
    mf = MeanFieldSTT(model, order=order, alpha=alpha)
    phi = mf.to_eigenbasis(psi)
    ref = mf.advance(phi, M, 20.0, 1600)
    errors = []
    for n in (50, 100, 200):
        out = mf.advance(phi, M, 20.0, n)
        errors.append(max(np.max(np.abs(out[0] - ref[0])),
                          np.max(np.abs(out[1] - ref[1]))))
    slopes = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert np.all(np.abs(slopes - order) < 0.3), slopes


def test_larmor_precession_in_a_frozen_electron_spin():
    """M in the field J_sd s of a fixed electron spin s: omega = 2 J_sd |s| / hbar."""
    J_sd, s = 0.1, np.array([0.0, 0.0, 1.0])
    omega = 2 * J_sd / HBAR
    M, t, dt = np.array([2.5, 0.0, 0.0]), 0.0, 0.37
    for _ in range(1000):
        M = llg_rotate(M, J_sd * s, dt)
        t += dt
    exact = 2.5 * np.array([math.cos(omega * t), -math.sin(omega * t), 0.0])
    assert np.max(np.abs(M - exact)) <= 1e-8


def test_larmor_precession_of_spin_and_localized_electron():
    """gamma = 0, electron on the spin's site: both precess about K = s + M.

    The mean-field equations give ds/dt = (2 J_sd/hbar) s x M and
    dM/dt = (2 J_sd/hbar) M x s, so K is fixed and M turns about it at
    omega = 2 J_sd |K| / hbar.
    """
    model = stt.STTModel(Lx=21, N=1, S=2.5, gamma=0.0, J_sd=0.1,
                         first_site=10)
    psi0 = stt.initial_state(model, x0=10, dk=40.0, electron="+x")
    times = np.linspace(0, 200, 9)
    res = stt.evolve(model, psi0, times, "classical", dt=1.0)
    M0 = np.array([0.0, 0.0, 5.0])
    K = np.array([1.0, 0.0, 0.0]) + M0
    omega = 2 * 0.1 * np.linalg.norm(K) / HBAR
    k = K / np.linalg.norm(K)
    for t, M in zip(times, res.local_spin[:, 0]):
        a = -omega * t   # rotation about k by a (Rodrigues)
        exact = (M0 * math.cos(a) + np.cross(k, M0) * math.sin(a)
                 + k * np.dot(k, M0) * (1 - math.cos(a)))
        assert np.max(np.abs(M - exact)) <= 1e-8
    assert np.max(np.abs(res.electron_spin + res.local_spin[:, 0] - K)) <= 1e-10


def test_gilbert_damping_single_spin_matches_solve_ivp():
    alpha, B = 0.3, np.array([0.02, -0.05, 0.1])
    M0 = np.array([1.0, 2.0, -0.5])
    L = np.linalg.norm(M0)

    def rhs(t, M):   # LL form of the Gilbert equation
        MxB = np.cross(M, B)
        return 2 / HBAR / (1 + alpha ** 2) * (
            MxB - alpha / L * np.cross(M, MxB))

    sol = solve_ivp(rhs, (0, 30.0), M0, rtol=1e-12, atol=1e-13,
                    method="DOP853")
    assert np.max(np.abs(llg_rotate(M0, B, 30.0, alpha) - sol.y[:, -1])) <= 1e-8


def test_damped_run_loses_energy_and_keeps_lengths(small_model):
    times = np.linspace(0, 60, 13)
    res = _classical(small_model, "+x", times, alpha=0.2)
    assert np.max(np.abs(np.linalg.norm(res.local_spin, axis=2) - 1)) <= 1e-13
    assert np.max(np.abs(res.norm - 1)) <= 1e-12
    assert np.all(np.diff(res.energy) <= 1e-9)
    assert res.energy[-1] < res.energy[0] - 1e-4


def test_noncollinear_paper_case_rotates():
    cfg = apply_overrides(preset("paper-noncollinear", resolve=False),
                          ["chain.length=200", "evolution.t_max=140",
                           "evolution.n_times=8", "evolution.method=classical"])
    res = stt.simulate(cfg, warn_reflections=False)
    change = np.linalg.norm(res.local_spin[-1, :, :2] - res.local_spin[0, :, :2],
                            axis=1)
    assert np.all(change > 0.01)
    assert np.max(np.abs(np.linalg.norm(res.local_spin, axis=2) - 1)) <= 1e-13


def test_classical_file_says_so(tmp_path, noncollinear_classical,
                                noncollinear_small):
    path = stt.write_result(tmp_path / "c.h5", noncollinear_classical)
    data = stt.read_result(path)
    assert data["attrs"]["method"] == "classical"
    assert bool(data["attrs"]["classical"]) is True
    assert data["attrs"]["classical_order"] == 4
    with h5py.File(path) as f:
        assert "by definition" in f["purity/local"].attrs["by_definition"]
        assert "by definition" in f["entropy/local"].attrs["by_definition"]
    assert np.allclose(data["probabilities"].sum(axis=1), 1, atol=1e-12)
    from qutip_stt.viz import bloch
    run = bloch.load_run(path)
    assert run.kind == "classical"
    view = bloch.plot_bloch(noncollinear_small, "local:1,electron",
                            compare=path, overlay=True)
    titles = [t.get_text() for panel in view.titles for t in panel]
    assert any(t.startswith("quantum:") for t in titles)
    assert any(t.startswith("classical:") for t in titles)


def test_bad_input_is_a_config_error(small_model):
    psi0 = stt.initial_state(small_model, x0=45)
    times = [0.0, 1.0]
    with pytest.raises(stt.ConfigError, match="evolution.alpha"):
        stt.evolve(small_model, psi0, times, "classical", options={"alpha": -1})
    with pytest.raises(stt.ConfigError, match="store_states"):
        stt.evolve(small_model, psi0, times, "classical", store_states=True)
    with pytest.raises(stt.ConfigError, match="options"):
        stt.evolve(small_model, psi0, times, "classical", options={"atol": 1})
    # an entangled state has no classical counterpart
    up = stt.initial_state(small_model, x0=45, electron="+z",
                           local=["-z", "+z", "+z"])
    bell = (psi0 + up).unit()
    with pytest.raises(stt.ConfigError, match="entangled"):
        stt.evolve(small_model, bell, times, "classical")
    # nor a local spin that is not spin-coherent (|m = 0> of a spin 1)
    model = stt.STTModel(Lx=30, N=1, S=1)
    import qutip
    state = qutip.tensor(stt.wave_packet(30, x0=10), qutip.basis(2, 0),
                         qutip.basis(3, 1))
    with pytest.raises(stt.ConfigError, match="spin-coherent"):
        stt.evolve(model, state, times, "classical")


@pytest.mark.parametrize("args, key", [
    (["simulate", "--preset", "paper-collinear", "--method", "classical",
      "--set", "evolution.alpha=-0.1"], "evolution.alpha"),
    (["simulate", "--preset", "paper-collinear",
      "--set", "evolution.alpha=0.1"], "evolution.alpha"),
    (["compare-classical", "--preset", "paper-collinear", "--set",
      "evolution.method=classical", "--set", "evolution.alpha=0.1"],
     "evolution.alpha"),
])
def test_cli_bad_input_one_line_exit_2(tmp_path, capsys, args, key):
    from qutip_stt.cli import main
    out = ["--out", str(tmp_path / ("x" if "compare" in args[0] else "x.h5"))]
    assert main([*args, *out]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and key in err
    assert list(tmp_path.iterdir()) == []


def test_cli_subprocess_exit_2():
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "simulate", "--preset",
         "macrospin-collinear", "--method", "classical", "--set",
         "evolution.alpha=-1", "--out", "never.h5"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1


def test_compare_classical_writes_both_files_figure_and_animation(tmp_path):
    from qutip_stt.cli import main
    out = tmp_path / "cmp"
    status = main(["compare-classical", "--preset", "paper-noncollinear",
                   "--set", "chain.length=200", "--set", "local_spins.count=2",
                   "--set", "evolution.t_max=10",
                   "--set", "evolution.n_times=3", "--out", str(out),
                   "--quiet"])
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "bloch.gif", "classical.h5", "compare.png", "quantum.h5"]
    q, c = stt.read_result(out / "quantum.h5"), stt.read_result(out / "classical.h5")
    assert q["attrs"]["method"] == "chebyshev" and c["attrs"]["method"] == "classical"
    assert np.allclose(q["local_spin"][0], c["local_spin"][0], atol=1e-12)
