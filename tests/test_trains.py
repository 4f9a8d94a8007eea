"""Electron trains: the one-electron channel against independent routes.

Phi(rho0) against one ordinary evolution; Phi(Phi(rho0)) against two
electrons simulated directly in orbital1 x spin1 x orbital2 x spin2 x spins;
CPTP through QuTiP's own superoperator functions; the batched observables
against QuTiP's functions on every rho_n; total S^z conservation; the
command line's contract.
"""

import re
import warnings

import h5py
import numpy as np
import pytest
import qutip
import scipy.sparse.linalg as sla

import qutip_stt as stt
from qutip_stt.cli import main
from qutip_stt.model import spin_operators
from qutip_stt.trains import (LeftoverWarning, electron_channel,
                              free_leftover, iterate)
from qutip_stt.io.trains import read_train

# a fast packet (k = pi/2: largest group velocity, least dispersion) that
# leaves the spins cleanly within the interval on a short chain
FAST = dict(k=np.pi / 2, dk=0.4, x0=25.0)


@pytest.fixture(scope="module")
def model2():
    return stt.STTModel(Lx=130, N=2, first_site=40)


@pytest.fixture(scope="module")
def tilted(model2):
    return electron_channel(model2, 13.0, electron={"theta": 60, "phi": 30},
                            **FAST)


def _evolved_spins(model, T, electron, local="+z", **packet):
    psi0 = stt.initial_state(model, electron=electron, local=local, **packet)
    res = stt.evolve(model, psi0, [0.0, T], store_states=True)
    return res.states[-1].ptrace(list(range(2, 2 + model.N)))


@pytest.mark.parametrize("electron", ["-z", "+x"])
def test_channel_equals_one_evolution(model2, electron):
    phi = electron_channel(model2, 13.0, electron=electron, **FAST)
    rho0 = qutip.ket2dm(stt.local_spins_state(model2, "+z"))
    ref = _evolved_spins(model2, 13.0, electron, **FAST)
    assert np.abs((phi(rho0) - ref).full()).max() <= 1e-10


def test_channel_on_a_generic_spin_state_and_spin_one():
    # paper packet, spin-1 pair starting in a tilted product state
    model = stt.STTModel(Lx=90, N=2, S=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeftoverWarning)
        phi = electron_channel(model, 130.0, k=0.1, dk=0.2, x0=30,
                               electron="-y")
    local = [{"theta": 40, "phi": 10}, {"theta": 120, "phi": 200}]
    psi = stt.local_spins_state(model, local)
    ref = _evolved_spins(model, 130.0, "-y", local=local, k=0.1, dk=0.2,
                         x0=30)
    assert np.abs((phi(psi) - ref).full()).max() <= 1e-10


def test_partial_polarization_is_the_mixture(model2):
    p = 0.4
    mixed = electron_channel(model2, 13.0, electron="-z", polarization=p,
                             **FAST)
    down = electron_channel(model2, 13.0, electron="-z", **FAST)
    up = electron_channel(model2, 13.0, electron="+z", **FAST)
    expect = (1 + p) / 2 * down.superop + (1 - p) / 2 * up.superop
    assert np.abs((mixed.superop - expect).full()).max() <= 1e-12


def test_cptp_through_qutip(tilted):
    S = tilted.superop
    assert S.superrep == "super" and S.dims == [[[2, 2], [2, 2]],
                                                [[2, 2], [2, 2]]]
    errors = tilted.cptp_errors()
    assert errors["trace_preservation"] <= 1e-10
    assert errors["compressed_trace_preservation"] <= 1e-10
    choi = qutip.to_choi(S)
    assert np.abs((choi - choi.dag()).full()).max() <= 1e-10
    assert choi.eigenenergies().min() >= -1e-10
    assert S.iscptp
    # Kraus list, QuTiP's own Kraus decomposition and back
    assert len(tilted.kraus) <= 16
    back = qutip.kraus_to_super(tilted.kraus)
    assert np.abs((back - S).full()).max() <= 1e-12
    # QuTiP's to_kraus keeps every Choi eigenvector, with sqrt of the
    # round-off eigenvalues (~1e-21 -> 1e-11 operators): looser here
    again = qutip.kraus_to_super(qutip.to_kraus(S))
    assert np.abs((again - S).full()).max() <= 1e-9
    # Tr Phi(rho) = 1 on a random density matrix
    rng = np.random.default_rng(1)
    a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    rho = qutip.Qobj(a @ a.conj().T, dims=[[2, 2], [2, 2]]).unit()
    assert abs(tilted(rho).tr() - 1) <= 1e-12


def _two_electron_spins(model, T, k, dk, x0, electron, spins_ket):
    """Electron 1 alone for T, then electron 2 enters: both for T more."""
    Lx, N, d = model.Lx, model.N, model.spin_dim
    phi = qutip.tensor(stt.wave_packet(Lx, k, dk, x0), stt.spinor(electron))

    def U(H, v):
        return sla.expm_multiply(-1j * T / stt.HBAR_EV_FS
                                 * H.data_as("csr_matrix"), v)

    psi1 = U(model.hamiltonian, qutip.tensor(phi, spins_ket).full().ravel())
    psi1 = qutip.Qobj(psi1, dims=[model.dims, [1] * len(model.dims)])
    both = qutip.tensor(psi1, phi).permute([0, 1, N + 2, N + 3]
                                           + list(range(2, N + 2)))
    IL, I2, Is = qutip.qeye(Lx), qutip.qeye(2), qutip.qeye([d] * N)
    H = (qutip.tensor(model.hopping, I2, IL, I2, Is)
         + qutip.tensor(IL, I2, model.hopping, I2, Is)
         + qutip.tensor(IL, I2, IL, I2, model.xxz_chain))
    paulis = (qutip.sigmax(), qutip.sigmay(), qutip.sigmaz())
    for n, site in enumerate(model.sites):
        P = qutip.projection(Lx, int(site), int(site))
        for p, op in zip(paulis, spin_operators(model.S)):
            f = [qutip.qeye(d)] * N
            f[n] = op
            Sn = qutip.tensor(f)
            H = H - model.J_sd * (qutip.tensor(P, p, IL, I2, Sn)
                                  + qutip.tensor(IL, I2, P, p, Sn))
    out = U(H.to("CSR"), both.full().ravel())
    out = qutip.Qobj(out, dims=[both.dims[0], [1] * len(both.dims[0])])
    return out.ptrace(list(range(4, 4 + N)))


@pytest.mark.parametrize("N", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_two_electrons_directly(N):
    # spins 40 sites from the left end: what they reflect does not come
    # back within 2T; the chain is long enough that nothing returns from the
    # right end either
    model = stt.STTModel(Lx=130, N=N, first_site=40)
    T = 13.0
    spins = stt.local_spins_state(model, "+z")
    direct = _two_electron_spins(model, T, electron="+x", spins_ket=spins,
                                 **FAST)
    phi = electron_channel(model, T, electron="+x", **FAST)
    assert phi.leftover["near_spins"] < 1e-3
    twice = phi(phi(spins))
    assert np.abs((direct - twice).full()).max() <= 1e-8


def test_iteration_and_observables_against_qutip(tilted):
    train = iterate(tilted, "+z", 6)
    assert len(train.states) == 7
    # rho_n = Phi^n(rho_0) applied one by one through QuTiP
    rho = train.states[0]
    for n in range(1, 7):
        rho = tilted(rho)
        assert np.abs((rho - train.states[n]).full()).max() <= 1e-13
    ops = spin_operators(0.5)
    for n, r in enumerate(train.states):
        assert r.dims == [[2, 2], [2, 2]]
        for i in range(2):
            one = r.ptrace(i)
            assert np.allclose([qutip.expect(op, one) for op in ops],
                               train.local_spin[n, i], atol=1e-12)
        assert abs(qutip.entropy_vn(r) - train.entropy_local[n]) <= 1e-10
        assert abs((r * r).tr().real - train.purity_local[n]) <= 1e-12
        assert abs(qutip.concurrence(r) - train.concurrence[n, 0]) <= 1e-8
        assert abs(qutip.entropy_mutual(r, [0], [1])
                   - train.mutual_information[n, 0]) <= 1e-10
        assert np.allclose(r.diag().real, train.probabilities[n], atol=1e-14)
    assert train.pairs.tolist() == [[1, 2]]


def test_spin_down_current_gives_at_most_one_quantum_per_electron(model2):
    phi = electron_channel(model2, 13.0, electron="-z", **FAST)
    # a generic mixed start, built with numpy
    rng = np.random.default_rng(7)
    a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    rho0 = qutip.Qobj(a @ a.conj().T, dims=[[2, 2], [2, 2]]).unit()
    for start in ("+z", rho0):
        train = iterate(phi, start, 30)
        step = np.diff(train.total_sz)
        assert step.min() >= -2 - 1e-10      # one quantum, 2 in hbar/2
        assert step.max() <= 1e-10           # never raised by a down electron


def test_free_leftover_against_a_long_chain():
    # exact propagation on a chain long enough that the ends are never met
    import scipy.linalg
    Lx, k, dk, x0, T, pad = 60, 0.3, 0.3, 20.0, 40.0, 200
    near, beyond = free_leftover(Lx, k, dk, x0, [30, 31], [T], margin=5)
    L = Lx + 2 * pad
    x = np.arange(L) - pad
    amp = np.where((x >= 0) & (x < Lx), np.exp(1j * k * x - dk ** 2
                                               * (x - x0) ** 2 / 4), 0)
    amp /= np.linalg.norm(amp)
    w, v = scipy.linalg.eigh_tridiagonal(np.zeros(L), -np.ones(L - 1))
    dens = np.abs(v @ (np.exp(-1j * w * T / stt.HBAR_EV_FS) * (v.T @ amp))) ** 2
    assert abs(near[0] - dens[(x >= 25) & (x <= 36)].sum()) <= 1e-12
    assert abs(beyond[0] - dens[(x < 0) | (x >= Lx)].sum()) <= 1e-12


def test_bloch_animation_over_electron_number(tilted, tmp_path):
    from PIL import Image

    from qutip_stt.viz.bloch import save_animation
    from qutip_stt.viz.trains import animate_train, plot_sz_map
    train = iterate(tilted, "+z", 4)
    anim = animate_train(train, spin=2)
    assert list(anim.frame_indices) == [0, 1, 2, 3, 4]
    save_animation(anim, tmp_path / "n.gif", dpi=20)
    with Image.open(tmp_path / "n.gif") as im:
        assert im.n_frames == 5
    fig = anim.bloch_figure.draw(3)
    assert any(t.get_text() == "n = 3" for t in fig.texts)
    assert plot_sz_map(train).axes


TRAIN = """
[chain]
length = 130
[local_spins]
count = 2
first_site = 40
[electron]
k = 1.5707963267948966
dk = 0.4
x0 = 25
spin = "-z"
[train]
electrons = 5
interval = 13.0
"""


def test_train_cli_writes_the_layout(tmp_path, capsys):
    cfg = tmp_path / "train.toml"
    cfg.write_text(TRAIN)
    out = tmp_path / "train.h5"
    assert main(["train", str(cfg), "--out", str(out), "--plot",
                 str(tmp_path / "fig"), "--compare"]) == 0
    printed = capsys.readouterr().out
    # a sentence either way, never "reversed at not within this train"
    assert re.search(r"it (crosses zero at n = \d+|does not cross zero "
                     r"within this train) and is (not )?90% reversed",
                     printed), printed
    assert "at not within" not in printed
    with h5py.File(out) as f:
        for name, shape in (("n", (6,)), ("local/spin", (6, 2, 3)),
                            ("purity/local", (6,)), ("entropy/local", (6,)),
                            ("total_sz", (6,)), ("probabilities", (6, 4)),
                            ("probabilities_labels", (4,)),
                            ("pairs/index", (1, 2)),
                            ("pairs/concurrence", (6, 1)),
                            ("pairs/mutual_information", (6, 1)),
                            ("leftover", ())):
            assert f[name].shape == shape, name
        assert f["channel/kraus"].shape[1:] == (4, 4)
        assert f.attrs["interval_fs"] == 13.0
        assert "evolution_wall_s" in f.attrs and "qutip_version" in f.attrs
    data = read_train(out)
    assert data["config"]["train"]["electrons"] == 5
    assert (tmp_path / "fig-train.png").is_file()
    assert (tmp_path / "fig-sz-map.png").is_file()


@pytest.mark.parametrize("override, key", [
    (["--interval", "3"], "train.interval"),            # packet not there yet
    (["--electrons", "-1"], "train.electrons"),
    (["--set", "local_spins.count=8"], "local_spins.count"),   # D = 256
    (["--polarization", "1.5"], "train.polarization"),
    (["--set", "electron.k=-0.5"], "train.interval"),    # moving away
])
def test_train_cli_bad_input(tmp_path, capsys, override, key):
    cfg = tmp_path / "train.toml"
    cfg.write_text(TRAIN)
    out = tmp_path / "train.h5"
    assert main(["train", str(cfg), "--out", str(out)] + override) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"error: {key}" in err, err
    assert not out.exists()
    assert not list(tmp_path.glob(".tmp-*"))


def test_signal_during_train_leaves_no_file(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import threading

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (root, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-m", "qutip_stt", "train", "--preset",
         "paper-collinear", "--out", str(tmp_path / "out.h5"),
         "--progress", "text"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    seen = threading.Event()

    def watch():
        for line in proc.stdout:
            if "%" in line:
                seen.set()
                break
    threading.Thread(target=watch, daemon=True).start()
    try:
        assert seen.wait(120), "no progress reported"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "no output file was written" in lines[0], err
    assert os.listdir(tmp_path) == []
