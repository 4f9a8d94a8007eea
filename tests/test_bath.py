"""Local spins in contact with a bath: every claim against an independent route.

Zero rates against today's closed routes (the unitary XXZ map from SciPy's
expm, the exact sector propagator, today's trains); one spin against the
closed forms of the Gibbs state and of T_1 / T_2 relaxation; the train's
composition against an exact mesolve of electron + spins for one interval;
the fixed point against iterating the channel; the density-matrix reducer
against QuTiP's ptrace; the matching Gilbert damping against the LLG
closed form; and the bad inputs.
"""

import math
import warnings

import h5py
import numpy as np
import pytest
import qutip
import scipy.linalg

import qutip_stt as stt
from qutip_stt import Bath, OpenSTTModel, STTModel
from qutip_stt.constants import HBAR_EV_FS, K_B_EV_PER_K
from qutip_stt.errors import ConfigError
from qutip_stt.measures.reducer import (OBSERVABLES, reduce_density_matrix,
                                        spin_density_matrix)
from qutip_stt.model.bath import matching_alpha, thermal_polarization
from qutip_stt.solvers.mean_field import llg_rotate
from qutip_stt.trains import electron_channel, iterate
from qutip_stt.trains.bath import bath_map, free_map, with_bath
from qutip_stt.trains.steady import steady_state

FAST = dict(k=np.pi / 2, dk=0.4, x0=12.0)       # leaves the spins cleanly


def _apply(S, rho):
    return qutip.vector_to_operator(S @ qutip.operator_to_vector(rho))


def _random_dm(dims, seed):
    rng = np.random.default_rng(seed)
    d = int(np.prod(dims))
    X = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = X @ X.conj().T
    return qutip.Qobj(rho / np.trace(rho), dims=[dims, dims])


def _channel(model, T=10.0, electron="-z"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stt.trains.LeftoverWarning)
        return electron_channel(model, T, electron=electron, **FAST)


# -- zero rates: today's closed routes -----------------------------------------

def test_zero_rate_bath_map_is_the_unitary_xxz_evolution():
    model = OpenSTTModel(Lx=10, N=3, field=[0.01, 0.0, -0.02], bath=Bath())
    T = 37.0
    U = scipy.linalg.expm(-1j * T / HBAR_EV_FS * model.local_hamiltonian.full())
    rho = _random_dm([2, 2, 2], 1)
    got = _apply(bath_map(model, T), rho).full()
    assert np.abs(got - U @ rho.full() @ U.conj().T).max() <= 1e-12
    assert np.abs(bath_map(model, T).full()
                  - free_map(model, T).full()).max() <= 1e-12


@pytest.mark.parametrize("electron", ["-z", "+x"])
def test_mesolve_at_zero_rates_is_the_exact_route(electron):
    model = OpenSTTModel(Lx=40, N=2, field=0.01, bath=Bath(temperature=5.0))
    psi0 = stt.initial_state(model, electron=electron, **FAST)
    times = np.linspace(0, 12, 5)
    analysis = {"pairs": "all", "blocks": True}
    exact = stt.evolve(model, psi0, times, "chebyshev", analysis=analysis)
    open_ = stt.evolve(model, psi0, times, "mesolve", analysis=analysis)
    assert open_.stats["method"] == "mesolve"
    for key in OBSERVABLES:
        a, b = getattr(open_, key), getattr(exact, key)
        assert np.abs(a - b).max() <= 1e-7, key
    for key in ("mutual_information", "log_negativity", "block_entropy"):
        assert np.abs(open_.entanglement[key]
                      - exact.entanglement[key]).max() <= 1e-7, key


def test_a_zero_rate_bath_leaves_the_train_as_it_is():
    closed = _channel(STTModel(Lx=60, N=2, field=0.005))
    open_ = with_bath(_channel(OpenSTTModel(Lx=60, N=2, field=0.005,
                                            bath=Bath(temperature=3.0))))
    assert np.abs(open_.superop.full()
                  - closed.superop.full()).max() <= 1e-12
    a, b = iterate(closed, "+z", 20), iterate(open_, "+z", 20)
    assert np.abs(a.total_sz - b.total_sz).max() <= 1e-12
    assert np.abs(a.purity_local - b.purity_local).max() <= 1e-12


# -- one spin: closed forms -----------------------------------------------------

@pytest.mark.parametrize("S, field, T", [(0.5, {"z": 0.002}, 10.0),
                                         (1.0, {"x": 0.001, "z": 0.001}, 25.0),
                                         (1.5, {"z": -0.003}, 0.0)])
def test_relaxation_reaches_the_gibbs_state(S, field, T):
    model = OpenSTTModel(Lx=2, N=1, S=S, field=field,
                         bath=Bath(relaxation=0.02, temperature=T))
    h = np.array([field.get(c, 0.0) for c in "xyz"])
    axis = h / np.linalg.norm(h)
    J = [qutip.jmat(S, c) for c in "xyz"]
    Ja = sum(a * j for a, j in zip(axis, J))
    if T == 0:
        gibbs = qutip.Qobj(np.diag(np.eye(len(J[0].full()))[0]))
        evals, evecs = np.linalg.eigh(Ja.full())
        top = evecs[:, -1:]
        gibbs = qutip.Qobj(top @ top.conj().T)
    else:
        # exp(-H / k_B T) with H = -2 |h| J_a (Sigma = 2 J)
        x = 2 * np.linalg.norm(h) / (K_B_EV_PER_K * T)
        gibbs = (x * Ja).expm()
        gibbs = gibbs / gibbs.tr()
    rho = qutip.steadystate(model.local_liouvillian)
    assert np.abs(rho.full() - gibbs.full()).max() <= 1e-10
    assert abs(qutip.expect(2 * Ja, rho) - thermal_polarization(
        S, np.linalg.norm(h), T)) <= 1e-10


@pytest.mark.parametrize("T", [0.0, 4.0, 40.0])
def test_spin_half_relaxes_at_gamma1_and_its_coherence_at_half_of_it(T):
    g1, h = 0.01, 0.002
    model = OpenSTTModel(Lx=2, N=1, field=h, bath=Bath(relaxation=g1,
                                                       temperature=T))
    z_eq = math.tanh(h / (K_B_EV_PER_K * T)) if T > 0 else 1.0
    omega = 2 * h / HBAR_EV_FS
    down, plus_x = qutip.basis(2, 1).proj(), qutip.spin_coherent(0.5, np.pi / 2, 0).proj()
    for t in (0.0, 13.0, 71.0, 250.0):
        S = bath_map(model, t)
        z = qutip.expect(qutip.sigmaz(), _apply(S, down))
        assert abs(z - (z_eq + (-1 - z_eq) * math.exp(-g1 * t))) <= 1e-8
        r = _apply(S, plus_x)
        x, y = qutip.expect(qutip.sigmax(), r), qutip.expect(qutip.sigmay(), r)
        decay = math.exp(-g1 * t / 2)
        assert abs(x - decay * math.cos(omega * t)) <= 1e-8
        assert abs(y + decay * math.sin(omega * t)) <= 1e-8


@pytest.mark.parametrize("S", [0.5, 1.0])
def test_pure_dephasing_decays_the_transverse_spin_at_gamma_phi(S):
    gphi, h = 0.004, 0.003
    model = OpenSTTModel(Lx=2, N=1, S=S, field=h, bath=Bath(dephasing=gphi,
                                                            temperature=7.0))
    Sig = [2 * qutip.jmat(S, c) for c in "xyz"]
    start = qutip.spin_coherent(S, np.pi / 3, 0.4).proj()
    x0, y0, z0 = (qutip.expect(op, start) for op in Sig)
    omega = 2 * h / HBAR_EV_FS
    for t in (0.0, 40.0, 300.0):
        r = _apply(bath_map(model, t), start)
        x, y, z = (qutip.expect(op, r) for op in Sig)
        c, s, decay = math.cos(omega * t), math.sin(omega * t), math.exp(-gphi * t)
        assert abs(x - decay * (x0 * c + y0 * s)) <= 1e-8
        assert abs(y - decay * (y0 * c - x0 * s)) <= 1e-8
        assert abs(z - z0) <= 1e-12                # S^z untouched


# -- the train with a bath ------------------------------------------------------

@pytest.fixture(scope="module")
def bath_train():
    model = OpenSTTModel(Lx=60, N=2, field=0.004,
                         bath=Bath(relaxation=4e-3, dephasing=1e-3,
                                   temperature=15.0))
    return with_bath(_channel(model, 10.0, electron={"theta": 150, "phi": 0}))


def test_phi_total_is_cptp_through_qutip(bath_train):
    choi = qutip.to_choi(bath_train.superop)
    C = choi.full()
    assert np.abs(C - C.conj().T).max() <= 1e-14
    assert np.linalg.eigvalsh(0.5 * (C + C.conj().T)).min() >= -1e-13
    assert np.abs(choi.ptrace([0, 1]).full() - np.eye(4)).max() <= 1e-13
    errors = bath_train.cptp_errors()
    assert errors["trace_preservation"] <= 1e-13
    assert errors["compressed_trace_preservation"] <= 1e-12


def test_fixed_point_is_a_state_and_the_limit_of_the_train(bath_train):
    fixed = steady_state(bath_train)
    rho = fixed.rho.full()
    assert fixed.unique
    assert np.abs(rho - rho.conj().T).max() <= 1e-14
    assert abs(np.trace(rho) - 1) <= 1e-13
    assert np.linalg.eigvalsh(rho).min() >= -1e-13
    assert np.abs(bath_train(fixed.rho).full() - rho).max() <= 1e-12
    # iterating: the distance falls as |lambda_1|^n = exp(-n / n_gap)
    n = int(40 * fixed.gap)
    train = iterate(bath_train, "+z", n)
    assert np.abs(train.states[-1].full() - rho).max() <= 1e-10
    dist = [np.abs(s.full() - rho).max() for s in train.states]
    k = int(5 * fixed.gap)
    rate = np.log(dist[2 * k] / dist[k]) / k
    assert abs(rate + 1 / fixed.gap) <= 0.05 / fixed.gap
    assert abs(train.total_sz[-1] - fixed.total_sz) <= 1e-10


@pytest.mark.parametrize("T", [0.0, 30.0])
def test_one_spin_switches_as_the_two_level_rate_equation(T):
    """N = 1, collinear: the electron flips the up spin with probability p
    and cannot flip a down one; the bath relaxes the down population q to
    its Gibbs value at gamma_1. The fixed point of q -> bath(T - t_s),
    flip, bath(t_s) is affine algebra, against steady_state."""
    model = OpenSTTModel(Lx=60, N=1, field=0.004, bath=Bath(
        relaxation=2e-3, temperature=T))
    phi_e = _channel(model)
    up = qutip.basis(2, 0).proj()
    p = phi_e(up)[1, 1].real
    phi = with_bath(phi_e)
    sb = model.spin_baths[0]
    q_eq = sb.up / (sb.down + sb.up)

    def relax(q, t):                       # (slope, offset) of q -> q(t)
        e = math.exp(-model.bath.relaxation * t)
        return e * q[0], q_eq + e * (q[1] - q_eq)

    q = relax((1.0, 0.0), phi.scattering_time)            # q0 -> (a q0 + b)
    q = (q[0] * (1 - p), q[1] * (1 - p) + p)              # the flip
    a, b = relax(q, phi.interval - phi.scattering_time)
    fixed = steady_state(phi)
    assert abs(fixed.total_sz - (1 - 2 * b / (1 - a))) <= 1e-10


def test_the_composition_follows_mesolve_of_electron_and_spins():
    """One interval exactly (mesolve on the full space, electron traced out)
    against Phi_total: the bath placed before and after the scattering time
    is accurate to a small fraction of what the bath does."""
    model = OpenSTTModel(Lx=40, N=2, field=0.01, bath=Bath(
        relaxation=0.01, dephasing=0.005, temperature=30.0))
    T, x0 = 12.0, 8.0
    packet = dict(k=np.pi / 2, dk=0.35, x0=x0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stt.trains.LeftoverWarning)
        phi_e = electron_channel(model, T, **packet)
    res = stt.evolve(model, stt.initial_state(model, **packet), [0.0, T],
                     "mesolve", store_states=True, warn_reflections=False)
    rho_s = spin_density_matrix(res.states[-1].full(), model).reshape(2, 4, 2, 4)
    exact = rho_s[0, :, 0] + rho_s[1, :, 1]
    start = qutip.basis([2, 2], [0, 0]).proj()
    placed = np.abs(with_bath(phi_e)(start).full() - exact).max()
    at_start = np.abs(with_bath(phi_e, 0.0)(start).full() - exact).max()
    no_bath = np.abs(phi_e(start).full() - exact).max()
    assert placed <= 1e-4 and placed <= at_start / 10 and no_bath > 1e-3


def test_mesolve_spins_far_from_the_electron_follow_the_bath_alone():
    model = OpenSTTModel(Lx=20, N=2, J_sd=0.0, field=0.003, bath=Bath(
        relaxation=0.02, dephasing=0.01, temperature=20.0))
    psi0 = stt.initial_state(model, x0=3, local=[{"theta": 70, "phi": 0},
                                                 "-z"])
    res = stt.evolve(model, psi0, [0.0, 30.0], "mesolve", store_states=True,
                     warn_reflections=False)
    local = res.states[-1].ptrace([2, 3])
    expected = _apply(bath_map(model, 30.0), psi0.ptrace([2, 3]))
    assert np.abs(local.full() - expected.full()).max() <= 1e-7
    assert res.purity_local[-1] < 0.9                # lost to the bath
    assert abs(res.purity_electron[-1] - 1) <= 1e-7   # the electron: none


def test_the_density_matrix_reducer_is_qutips_ptrace():
    model = STTModel(Lx=6, N=2, S=1.0)
    rho = _random_dm(model.dims, 3)
    values = reduce_density_matrix(rho.full(), model, float(
        (rho * model.hamiltonian).tr().real))
    local = rho.ptrace([2, 3])
    assert abs(values["purity_local"] - (local * local).tr().real) <= 1e-12
    assert abs(values["entropy_local"] - qutip.entropy_vn(local)) <= 1e-12
    e = rho.ptrace([0, 1])
    assert abs(values["purity_electron"] - (e * e).tr().real) <= 1e-12
    o = rho.ptrace(0)
    assert abs(values["purity_orbital"] - (o * o).tr().real) <= 1e-12
    assert np.abs(values["density"] - o.diag().real).max() <= 1e-12
    assert np.abs(values["probabilities"]
                  - rho.ptrace([1, 2, 3]).diag().real).max() <= 1e-12
    for n in (1, 2):
        want = [qutip.expect(op, rho) for op in model.local_spin(n)]
        assert np.abs(values["local_spin"][n - 1] - want).max() <= 1e-12
    want = [qutip.expect(op, rho) for op in model.electron_spin]
    assert np.abs(values["electron_spin"] - want).max() <= 1e-12
    assert abs(values["total_sz"] - qutip.expect(model.total_sz, rho)) <= 1e-12
    assert abs(values["energy"] - qutip.expect(model.hamiltonian, rho)) <= 1e-12


# -- quantum and classical relaxation ------------------------------------------

def test_matching_alpha_gives_the_quantum_small_angle_rates():
    g1, h = 2e-3, 0.004
    alpha = matching_alpha(g1, h)
    omega = 2 * h / (HBAR_EV_FS * (1 + alpha ** 2))
    assert abs(alpha * omega - g1 / 2) <= 1e-15
    # the LLG closed form at a small angle: sin(theta) decays at alpha omega
    theta0, t = 1e-4, 300.0
    M = llg_rotate([math.sin(theta0), 0, math.cos(theta0)], [0, 0, h], t, alpha)
    assert abs(np.hypot(M[0], M[1]) / math.sin(theta0)
               - math.exp(-g1 * t / 2)) <= 1e-8
    # the classical method in a field with the electron far away (J_sd = 0)
    model = STTModel(Lx=20, N=1, J_sd=0.0, field=h)
    psi0 = stt.initial_state(model, x0=2, local={"theta": 40, "phi": 0})
    res = stt.evolve(model, psi0, [0.0, t], "classical",
                     options={"alpha": alpha}, warn_reflections=False)
    ref = llg_rotate(res.local_spin[0, 0], [0, 0, h], t, alpha)
    assert np.abs(res.local_spin[-1, 0] - ref).max() <= 1e-8


def test_classical_spins_in_a_field_conserve_energy_without_damping():
    model = STTModel(Lx=40, N=2, field=[0.01, -0.005])
    psi0 = stt.initial_state(model, electron="+x", local="+x", **FAST)
    res = stt.evolve(model, psi0, np.linspace(0, 10, 6), "classical")
    assert np.ptp(res.energy) <= 1e-8 * abs(res.energy[0])
    assert np.ptp(res.total_sz) <= 1e-12


# -- bad input ------------------------------------------------------------------

@pytest.mark.parametrize("key, value", [("relaxation", -1e-3),
                                        ("dephasing", -1.0),
                                        ("temperature", -4.0),
                                        ("relaxation", float("nan"))])
def test_negative_rates_and_temperatures_are_refused(key, value):
    with pytest.raises(ConfigError) as err:
        stt.resolve_config({"bath": {key: value}})
    assert err.value.key == f"bath.{key}" and "at least 0" in str(err.value)
    with pytest.raises(ConfigError, match=f"bath.{key}"):
        Bath(**{key: value})


def test_the_cli_refuses_a_bad_bath_in_one_line(run_cli, tmp_path):
    status, err = run_cli(["train", "--preset", "paper-collinear", "--set",
                           "bath.temperature=-1", "--out", "t.h5"])
    assert status == 2 and len(err) == 1 and "bath.temperature" in err[0]


def test_auto_with_a_bath_on_a_large_space_names_the_size_and_the_trains(run_cli):
    status, err = run_cli(["simulate", "--preset", "paper-collinear", "--set",
                           "bath.relaxation=1e-3", "--out", "r.h5"])
    assert status == 2 and len(err) == 1
    assert "25,600 states" in err[0] and "qutip-stt train" in err[0]


def test_the_cli_refuses_a_bath_with_the_classical_method(run_cli):
    status, err = run_cli(["simulate", "--preset", "macrospin-collinear",
                           "--set", "chain.length=40", "--set",
                           "local_spins.field=0.01", "--set",
                           "bath.relaxation=1e-3", "--method", "classical",
                           "--out", "r.h5"])
    assert status == 2 and len(err) == 1
    assert "no meaning for classical spins" in err[0] and "alpha =" in err[0]


def test_closed_and_classical_methods_refuse_a_bath():
    model = OpenSTTModel(Lx=20, N=1, field=0.01, bath=Bath(relaxation=1e-3))
    psi0 = stt.initial_state(model, x0=5)
    with pytest.raises(ConfigError, match="'classical' cannot run this model: "
                       "a Lindblad bath .* evolution.alpha .alpha = 0.01646"):
        stt.evolve(model, psi0, [0, 1], "classical")
    for name in ("chebyshev", "sesolve", "crank-nicolson"):
        with pytest.raises(ConfigError, match=f"'{name}' cannot run this "
                           "model: the local spins are in contact with a bath"):
            stt.evolve(model, psi0, [0, 1], name)
    assert stt.solvers.resolve_method("auto", model).name == "mesolve"


def test_the_bath_config_resolves_without_qutip():
    from test_package_structure import _run_without_qutip
    proc = _run_without_qutip(
        "import qutip_stt.config\n"
        "cfg = qutip_stt.config.resolve_config({'bath': {'relaxation': 1e-3,"
        " 'direction': {'theta': 30}, 'temperature': 4}})\n"
        "assert 'qutip' not in sys.modules\n"
        "print(cfg['bath']['direction']['theta'])\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["30.0"]


# -- the command line and the files ---------------------------------------------

CONFIG = """
[chain]
length = 80
[local_spins]
count = 2
field = 0.004
[electron]
k = 1.5707963
dk = 0.4
x0 = 12
spin = "-z"
[train]
electrons = 15
interval = 16.0
"""


def test_train_with_a_bath_stores_the_fixed_point(run_cli, tmp_path):
    (tmp_path / "c.toml").write_text(CONFIG + "[bath]\nrelaxation = 4e-3\n"
                                     "temperature = 15.0\n")
    (tmp_path / "z.toml").write_text(CONFIG + "[bath]\ntemperature = 15.0\n")
    (tmp_path / "n.toml").write_text(CONFIG)
    for name in "czn":
        assert run_cli(["train", f"{name}.toml", "--out", f"{name}.h5",
                        "--quiet"])[0] == 0
    with h5py.File(tmp_path / "c.h5") as f, h5py.File(tmp_path / "n.h5") as g, \
            h5py.File(tmp_path / "z.h5") as z:
        assert f["steady/local/spin"].shape == (2, 3)
        for name in ("steady/total_sz", "steady/purity", "steady/entropy",
                     "channel/gap"):
            assert f[name].shape == (), name
        assert f["channel/gap"].attrs["unique"]
        assert f.attrs["model_bath_relaxation"] == 4e-3
        # no rate, no bath: today's file, dataset for dataset
        assert sorted(z) == sorted(g) and "steady" not in g
        for name in ("total_sz", "purity/local", "local/spin"):
            assert np.abs(z[name][()] - g[name][()]).max() <= 1e-12
        # the fixed point is where the stored train is heading
        sz = f["total_sz"][()]
        assert abs(sz[-1] - f["steady/total_sz"][()]) < abs(
            sz[0] - f["steady/total_sz"][()])
    read = stt.io.trains.read_train(tmp_path / "c.h5")
    assert read["steady"]["gap"] > 0
    assert stt.io.trains.read_train(tmp_path / "n.h5")["steady"] is None


def test_simulate_with_a_bath_runs_mesolve(run_cli, tmp_path):
    (tmp_path / "s.toml").write_text(
        CONFIG.replace("[train]\nelectrons = 15\ninterval = 16.0\n", "")
        .replace("length = 80", "length = 40").replace("x0 = 12", "x0 = 6")
        + "[evolution]\nt_max = 8.0\nn_times = 3\n[bath]\nrelaxation = 0.03\n"
        "temperature = 200.0\n")
    assert run_cli(["simulate", "s.toml", "--out", "s.h5"])[0] == 0
    with h5py.File(tmp_path / "s.h5") as f:
        assert f.attrs["method"] == "mesolve"
        # the spins heat up in the bath; the electron only entangles with
        # them: a mixed state's two sides no longer share their purity
        local, electron = f["purity/local"][-1], f["purity/electron"][-1]
        assert local < electron - 0.05 and electron < 1 - 1e-3
        assert abs(f["norm"][-1] - 1) <= 1e-7


def test_a_bath_with_several_electrons_is_refused_naming_both():
    """[electrons] runs a closed system (method exact): a [bath] with a rate
    is one line naming the bath, never silently dropped."""
    from qutip_stt.config import resolve_config
    with pytest.raises(ConfigError, match=r"^bath: .*several electrons"):
        resolve_config({"chain": {"length": 40},
                        "electrons": {"count": 2},
                        "bath": {"relaxation": 1e-3}})


@pytest.mark.parametrize("command", ["scatter"])
def test_scatter_refuses_a_bath_by_name(command):
    from qutip_stt.config import resolve_config
    from qutip_stt.config.usage import check_command_keys
    raw = {"bath": {"relaxation": 1e-3}}
    with pytest.raises(ConfigError, match=r"^bath.relaxation: .*qutip-stt "
                       r"scatter does not read it"):
        check_command_keys(raw, resolve_config(raw), command)


@pytest.mark.parametrize("command", ["simulate", "train", "sweep",
                                     "compare-classical"])
def test_the_bath_is_read_by_the_commands_that_run_it(command):
    from qutip_stt.config import resolve_config
    from qutip_stt.config.usage import keys_read
    read = keys_read(command, resolve_config({"bath": {"relaxation": 1e-3}}))
    assert {"bath.relaxation", "bath.dephasing", "bath.temperature",
            "bath.direction"} <= read


def test_mesolve_refuses_several_electrons():
    from qutip_stt.solvers.registry import resolve_method
    model = stt.ManyElectronModel(Lx=6, N=1, Ne=2)
    with pytest.raises(ConfigError, match="'mesolve' cannot run this model: "
                       "the model has several electrons"):
        resolve_method("mesolve", model)
