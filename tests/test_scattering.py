"""Energy-resolved scattering (docs/theory.md, "Energy-resolved scattering"):
unitarity, S^z conservation, an independent full-spin-space route, the
single-impurity closed form, agreement with the time-dependent route, and
the `qutip-stt scatter` contract."""

import doctest
import importlib
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

import qutip_stt as stt
from qutip_stt.cli import main
from qutip_stt.errors import ConfigError
from qutip_stt.scattering import (ChannelBasis, channel_weights,
                                  packet_average, scattering_matrix,
                                  scattering_probabilities, single_impurity)
from qutip_stt.scattering.leads import lead_modes


@pytest.fixture(scope="module")
def paper_basis():
    return ChannelBasis(stt.STTModel(N=5))


def _thresholds(basis):
    eps = np.unique(np.round(basis.energy, 12))
    return np.concatenate([eps - 2 * basis.gamma, eps + 2 * basis.gamma])


def test_unitarity_everywhere_including_thresholds(paper_basis):
    th = _thresholds(paper_basis)
    energies = np.concatenate([np.linspace(-2.5, 2.5, 21), th, th + 1e-12,
                               th - 1e-12])
    worst = 0.0
    for E in energies:
        sm = scattering_matrix(paper_basis, E)
        worst = max(worst, sm.unitarity_error)
        S = sm.open_block
        if len(S):
            assert np.abs(S @ S.conj().T - np.eye(len(S))).max() < 1e-10
    assert worst < 1e-10


def test_total_sz_is_conserved(paper_basis):
    for E in (-2.35, -2.0, -0.5, 1.0):
        sm = scattering_matrix(paper_basis, E)
        total = sm.m_e + sm.M
        other = ~np.isclose(total[:, None], total[None, :])
        assert np.abs(sm.S[other]).max() == 0.0
        assert sm.is_open.sum() > 0


def _full_space_smatrix(model, basis, E):
    """Independent route: the region Hamiltonian from the model's own Qobj on
    a chain of N sites (no sector split), Fisher-Lee in the full spin space."""
    region = stt.STTModel(Lx=model.N, N=model.N, S=model.S, gamma=model.gamma,
                          J_sd=model.J_sd, J=model.J, Jz=model.Jz,
                          first_site=0)
    H = region.hamiltonian.full()
    D, L = basis.size, model.N
    lam, _, Gamma, _ = lead_modes(E, basis.energy, model.gamma)
    sigma = basis.vectors @ np.diag(-model.gamma * lam) @ basis.vectors.conj().T
    A = E * np.eye(L * D) - H
    A[:D, :D] -= sigma
    A[-D:, -D:] -= sigma
    B = np.zeros((L * D, 2 * D), dtype=complex)
    B[:D, :D] = basis.vectors
    B[-D:, D:] = basis.vectors
    Gb = B.conj().T @ np.linalg.solve(A, B)
    root = np.sqrt(np.concatenate([Gamma, Gamma]))
    S = -np.eye(2 * D) + 1j * root[:, None] * Gb * root[None, :]
    keep = np.concatenate([Gamma, Gamma]) > 0
    return S * (keep[:, None] & keep[None, :])


@pytest.mark.parametrize("params", [dict(N=3), dict(N=2, S=1.0, Jz=0.07)])
def test_sector_route_equals_full_space_route(params):
    model = stt.STTModel(**params)
    basis = ChannelBasis(model)
    for E in (-2.2, -1.1, 0.3):
        sm = scattering_matrix(basis, E)
        assert np.abs(sm.S - _full_space_smatrix(model, basis, E)).max() < 1e-12


def test_padding_does_not_change_probabilities():
    model = stt.STTModel(N=3)
    E = np.linspace(-2.19, 0.5, 30)
    p0 = scattering_probabilities(model, E).probabilities
    p3 = scattering_probabilities(model, E, padding=3).probabilities
    assert np.abs(p0 - p3).max() < 1e-12


@pytest.mark.parametrize("S, m", [(0.5, 0.5), (2.5, 2.5), (2.5, 0.5),
                                  (1.0, 0.0)])
def test_single_impurity_closed_form(S, m):
    model = stt.STTModel(N=1, S=S)
    E = np.linspace(-1.8, 1.8, 13)       # far from the thresholds +-2 gamma
    res = scattering_probabilities(model, E, chain=(m, 0))
    exact = single_impurity(E, S=S, J_sd=0.1, gamma=1.0, m=m)
    D = model.spin_space_dimension
    up = np.tile(ChannelBasis(model).m_e, 2) > 0
    left = np.arange(2 * D) < D
    assert np.abs(res.spin_flip - exact["spin_flip"]).max() < 1e-13
    assert np.abs(res.probabilities[:, left & up].sum(1)
                  - exact["reflection_flip"]).max() < 1e-13
    assert np.abs(res.probabilities[:, left & ~up].sum(1)
                  - exact["reflection_noflip"]).max() < 1e-13
    assert np.abs(res.transmission - exact["transmission_noflip"]
                  - exact["transmission_flip"]).max() < 1e-13


def test_noncollinear_flip_is_half_the_collinear(paper_basis):
    E = np.linspace(-2.39, -1.0, 50)
    down = scattering_probabilities(paper_basis, E, electron="-z")
    plus_x = scattering_probabilities(paper_basis, E, incoming=("+x", "+z"))
    assert np.abs(plus_x.spin_flip - 0.5 * down.spin_flip).max() < 1e-14
    assert np.abs(plus_x.probabilities.sum(1) - 1).max() < 1e-12


def test_packet_average_converges_and_sums_to_one(paper_basis):
    a = packet_average(paper_basis)
    b = packet_average(paper_basis, order=256)
    assert abs(a.spin_flip - b.spin_flip) < 1e-6
    assert abs(a.probabilities.sum() - 1) < 1e-12
    # Eq. (4) with k = dk/2: the q < 0 half-Gaussian tail beyond one sigma
    assert a.missed == pytest.approx(0.158655, abs=1e-5)


def _time_dependent(params, Lx, t_end, distance=40):
    model = stt.STTModel(Lx=Lx, **params)
    basis = ChannelBasis(model)
    x0 = model.first_site - distance
    psi0 = stt.initial_state(model, k=0.1, dk=0.2, x0=x0, electron="-z")
    result = stt.evolve(model, psi0, [0.0, t_end], store_states=True)
    P, inside = channel_weights(model, result.states[-1], basis)
    return model, basis, result, P, inside, packet_average(basis, x0=x0)


@pytest.mark.parametrize("params, t_end, tol", [
    (dict(N=5), 900.0, 1e-3),
    (dict(N=1, S=2.5), 600.0, 1e-3),
])
def test_packet_average_matches_time_dependent_run(params, t_end, tol):
    """Lx = 4000 (sector route): nothing reaches the chain ends by t_end."""
    model, basis, result, P, inside, avg = _time_dependent(params, 4000, t_end)
    D = basis.size
    assert inside < tol
    assert np.abs(P - avg.probabilities).max() < tol
    assert abs(P[D:].sum() - avg.transmission) < tol
    assert abs(P[np.tile(basis.m_e, 2) > 0].sum() - avg.spin_flip) < tol
    # Eq. (8): the unflipped configuration is one channel (both leads)
    labels = model.spin_configuration_labels
    j = labels.index("↓;↑↑↑↑↑" if model.N == 5 else "↓;5/2")
    pred = avg.probabilities[1] + avg.probabilities[D + 1]
    assert abs(result.probabilities[-1][j] - pred) < tol
    flipped = np.array([lab.startswith("↑") for lab in labels])
    assert abs(result.probabilities[-1][flipped].sum() - avg.spin_flip) < tol


@pytest.mark.slow
@pytest.mark.parametrize("params, tol", [(dict(N=5), 2e-5),
                                         (dict(N=1, S=2.5), 1e-5)])
def test_packet_average_matches_long_run(params, tol):
    model, basis, result, P, inside, avg = _time_dependent(params, 8000, 3000.0)
    assert np.abs(P - avg.probabilities).max() < tol


@pytest.mark.parametrize("kwargs, key", [
    (dict(energies=[-3.0]), "energies"),
    (dict(energies=[]), "energies"),
    (dict(energies=[-2.0], chain=(7.5, 0)), "chain"),
    (dict(energies=[-2.0], chain="+x"), "chain"),
])
def test_bad_input_names_the_parameter(paper_basis, kwargs, key):
    energies = kwargs.pop("energies")
    with pytest.raises(ConfigError) as info:
        scattering_probabilities(paper_basis, energies, **kwargs)
    assert info.value.key == key


def test_packet_must_move_towards_the_spins(paper_basis):
    with pytest.raises(ConfigError, match="0 < k <= pi"):
        packet_average(paper_basis, k=-0.1)


def test_region_larger_than_memory_is_refused():
    with pytest.raises(ConfigError, match="local_spins.count"):
        ChannelBasis(stt.STTModel(N=12))


CONFIG = """
[local_spins]
count = 2
[scatter]
energies = { start = -2.0, stop = -1.0, num = 7 }
"""


def test_cli_writes_the_contract(tmp_path, capsys):
    cfg = tmp_path / "s.toml"
    cfg.write_text(CONFIG)
    out, fig = tmp_path / "S.h5", tmp_path / "S.png"
    assert main(["scatter", str(cfg), "--out", str(out), "--figure",
                 str(fig)]) == 0
    assert "max unitarity error" in capsys.readouterr().out
    with h5py.File(out) as f:
        E, C = 7, 16
        shapes = {"energy": (E,), "k": (E,), "probabilities": (E, C),
                  "channels": (C,), "spin_flip": (E,), "transmission": (E,),
                  "reflection": (E,), "unitarity_error": (E,),
                  "packet/probabilities": (C,)}
        for name, shape in shapes.items():
            assert f[name].shape == shape, name
        for key in ("package_version", "qutip_version", "config", "created",
                    "incoming_chain", "wall_s"):
            assert key in f.attrs
        assert f["channels"][1].decode() == "L ↓;↑↑"
        assert np.allclose(f["energy"][()], np.linspace(-2.0, -1.0, 7))
        assert f["unitarity_error"][()].max() < 1e-10
        assert np.allclose(f["reflection"][()] + f["transmission"][()], 1)
    assert fig.stat().st_size > 0
    assert [p for p in os.listdir(tmp_path) if p.startswith(".tmp")] == []


@pytest.mark.parametrize("override, fragment", [
    ("scatter.energies={start=-3, stop=-2, num=5}", "scatter.energies: E = -3"),
    ("scatter.energies={start=-2, stop=-2.5, num=5}", "empty range"),
    ("scatter.k={start=0.1, stop=0.5, num=0}", "scatter.k.num"),
    ("scatter.k={start=0, stop=0.5, num=3}", "scatter.k.start"),
    ("local_spins.count=12", "local_spins.count: the largest sector"),
    ("local_spins.direction=+x", "local_spins.direction"),
])
def test_cli_bad_input_one_line_exit_2(tmp_path, capsys, override, fragment):
    out = tmp_path / "S.h5"
    assert main(["scatter", "--preset", "paper-collinear", "--out", str(out),
                 "--set", override]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err
    assert not out.exists()


def test_console_script_exit_status(tmp_path):
    """The real process: one line on stderr, status 2, no file."""
    out = tmp_path / "S.h5"
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "scatter", "--preset",
         "macrospin-collinear", "--out", str(out), "--set",
         "scatter.energies={start=2.5, stop=3, num=2}"],
        capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("name", [
    "scattering.leads", "scattering.channels", "scattering.smatrix",
    "scattering.packet", "scattering.closed_form", "scattering.run",
    "io.scattering", "viz.scattering", "cli.scatter"])
def test_submodule_examples_run(name):
    """Every docstring example of the scattering modules runs."""
    module = importlib.import_module(f"qutip_stt.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS
                             | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
