"""Method "mps" (TeNPy): each claim held to the exact many-electron route.

* the MPO against the exact route's sector blocks (every eigenvalue);
* the start against the exact route's start (every observable, lead,
  packets, a tilted local spin);
* the evolution against the exact route at bond dimension large enough to
  be exact and a small step: every stored observable within 1e-5, U off and
  on, a tilted local spin (electron number alone conserved), both spins
  moving (no frozen spin), charges conserved to 1e-10, truncation error
  zero; the error falls as dt^2 (second order);
* count = 1 against today's one-electron route;
* the file layout, bad input in one line, and no TeNPy in one line.
"""

import sys

import numpy as np
import pytest

from qutip_stt.config import resolve_config
from qutip_stt.errors import ConfigError
from qutip_stt.io import read_result, write_result
from qutip_stt.measures.pairs import PairRecorder
from qutip_stt.model.many_electron import ManyElectronModel
from qutip_stt.simulation import simulate
from qutip_stt.solvers.fermion_route import evolve_fermions
from qutip_stt.solvers.registry import resolve_method
from qutip_stt.states.fermions import many_electron_state

tenpy = pytest.importorskip("tenpy")

from qutip_stt.solvers.mps.evolve import evolve_mps  # noqa: E402
from qutip_stt.solvers.mps.lattice import tenpy_model  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore::qutip_stt.solvers.evolution.ReflectionWarning",
    "ignore:unused options for config:UserWarning")

#: Datasets of both routes compared (the keys of their arrays).
COMPARED = ("local_spin", "density", "electrons/spin_density",
            "electrons/spin", "electrons/count_right", "purity_local",
            "entropy_local", "probabilities", "norm", "energy", "total_sz")


def _exact(model, psi, times):
    return evolve_fermions(model, psi, times, tol=1e-14)[1]


def _worst(a, b, keys=COMPARED):
    return {k: float(np.max(np.abs(np.asarray(a[k]) - np.asarray(b[k]))))
            for k in keys}


# -- the MPO ------------------------------------------------------------------
@pytest.mark.parametrize("kw", [
    dict(Lx=4, N=2, Ne=2, first_site=1),
    dict(Lx=5, N=2, Ne=3, first_site=2, hubbard_U=0.7,
         potential=[0.1, 0, -0.2, 0.3, 0], field=[0.05, -0.02]),
    dict(Lx=4, N=1, Ne=2, S=1.0, first_site=1, J_sd=0.3)])
def test_mpo_spectrum_equals_every_exact_sector(kw):
    from tenpy.algorithms.exact_diag import ExactDiag

    model = ManyElectronModel(**kw)
    ed = ExactDiag(tenpy_model(model), max_size=1e9)
    ed.build_full_H_from_mpo()
    H = ed.full_H.to_ndarray()
    charges = ed.full_H.legs[0].to_qflat()
    for m in model.sector_values():
        rows = [i for i, q in enumerate(charges)
                if q[0] == model.Ne and q[1] == round(2 * m)]
        mine = np.linalg.eigvalsh(H[np.ix_(rows, rows)])
        exact = np.linalg.eigvalsh(model.sector_hamiltonian(m).toarray())
        assert mine.shape == exact.shape
        assert np.max(np.abs(mine - exact)) < 1e-12


# -- the start ----------------------------------------------------------------
@pytest.mark.parametrize("start", [
    dict(lead={"start": 0, "stop": 3}, spin="-z", local="+z"),
    dict(lead={"start": 0, "stop": 3}, spin="none", local=["-z", "+z"]),
    dict(state="packets", packets=[{"k": 1.0, "dk": 0.6, "x0": 1},
                                   {"k": 0.5, "dk": 0.6, "x0": 2,
                                    "spin": "+x"}], local="+z"),
    dict(lead={"start": 1, "stop": 4}, spin="+z",
         local=["-z", {"theta": 60, "phi": 30}])])
def test_start_equals_the_exact_start(start):
    model = ManyElectronModel(Lx=6, N=2, Ne=2, first_site=3)
    psi = many_electron_state(model, **start)
    mine, _ = evolve_mps(model, psi, [0.0])
    assert max(_worst(mine, _exact(model, psi, [0.0])).values()) < 1e-12


def test_entangled_local_start_refused():
    from qutip_stt.states.local import local_state
    model = ManyElectronModel(Lx=6, N=2, Ne=2, first_site=3, J=0.1, Jz=0.2)
    psi = many_electron_state(model, lead={"start": 0, "stop": 3},
                              local=local_state(model.spins, "ground",
                                                sector=0.0))
    with pytest.raises(ConfigError, match="local_spins.state"):
        evolve_mps(model, psi, [0.0])


# -- the evolution against the exact route ------------------------------------
TIMES = np.linspace(0.0, 1.2, 4)


@pytest.fixture(scope="module", params=[0.0, 1.0], ids=["U=0", "U=1"])
def runs(request):
    model = ManyElectronModel(Lx=6, N=2, Ne=2, first_site=3, J_sd=0.5,
                              hubbard_U=request.param)
    psi = many_electron_state(model, lead={"start": 0, "stop": 3},
                              spin="+z", local="-z")
    mine, stats = evolve_mps(model, psi, TIMES, chi_max=1000, svd_min=0.0,
                             dt=0.01)
    return mine, stats, _exact(model, psi, TIMES)


def test_every_observable_within_1e_5_of_exact(runs):
    mine, _, exact = runs
    worst = _worst(mine, exact)
    assert max(worst.values()) < 1e-5, worst


def test_no_frozen_spin(runs):
    """Both spins move as in the exact route (the trap of two-site TDVP on
    a product state is a spin stuck at its initial value)."""
    mine, _, exact = runs
    moved = np.abs(exact["local_spin"][-1, :, 2] - exact["local_spin"][0, :, 2])
    assert np.all(moved > 1e-2)
    assert np.all(np.abs(mine["local_spin"][:, :, 2]
                         - exact["local_spin"][:, :, 2]) < 1e-5)


def test_charges_conserved_and_truncation_zero(runs):
    mine, stats, _ = runs
    assert stats["conserved charges"] == ["N", "2*Sz"]
    assert np.max(np.abs(mine["density"].sum(axis=1) - 2)) < 1e-10
    assert np.max(np.abs(mine["total_sz"] - mine["total_sz"][0])) < 1e-10
    assert np.all(mine["mps/truncation_error"] == 0.0)
    assert np.max(np.abs(mine["energy"] - mine["energy"][0])) < 1e-10
    assert mine["mps/entanglement_entropy"].shape == (len(TIMES), 5)


def test_tilted_spin_runs_with_electron_number_alone():
    model = ManyElectronModel(Lx=5, N=1, Ne=2, first_site=2, J_sd=0.5)
    psi = many_electron_state(model, lead={"start": 0, "stop": 2},
                              spin="-z", local={"theta": 90, "phi": 40})
    times = np.linspace(0.0, 0.8, 3)
    mine, stats = evolve_mps(model, psi, times, chi_max=1000, svd_min=0.0,
                             dt=0.005)
    assert stats["conserved charges"] == ["N"]
    exact = _exact(model, psi, times)
    worst = _worst(mine, exact)
    assert max(worst.values()) < 1e-5, worst
    assert np.max(np.abs(exact["local_spin"][:, 0, 0])) > 0.1   # x moves


@pytest.mark.parametrize("algorithm, order", [("tdvp", 2), ("expmpo", 2)])
def test_error_falls_as_the_order_says(algorithm, order):
    model = ManyElectronModel(Lx=4, N=1, Ne=2, first_site=2, J_sd=0.5)
    psi = many_electron_state(model, lead={"start": 0, "stop": 2},
                              spin="+z", local="-z")
    times = [0.0, 1.0]
    exact = _exact(model, psi, times)
    errors = []
    for dt in (0.1, 0.05):
        mine, _ = evolve_mps(model, psi, times, chi_max=1000, svd_min=0.0,
                             dt=dt, algorithm=algorithm)
        errors.append(max(_worst(mine, exact, ("local_spin", "density"))
                          .values()))
    ratio = errors[0] / errors[1]
    assert 2 ** order * 0.7 < ratio < 2 ** order * 1.4, errors


@pytest.mark.slow
def test_three_electrons_three_spins_against_exact():
    model = ManyElectronModel(Lx=12, N=3, Ne=3, first_site=5, J_sd=0.4,
                              hubbard_U=0.5)
    psi = many_electron_state(model, lead={"start": 0, "stop": 5},
                              spin="+z", local="-z")
    times = np.linspace(0.0, 3.0, 4)
    mine, _ = evolve_mps(model, psi, times, chi_max=1000, svd_min=0.0,
                         dt=0.01)
    worst = _worst(mine, _exact(model, psi, times))
    assert max(worst.values()) < 1e-5, worst


def test_pairs_equal_the_exact_routes():
    model = ManyElectronModel(Lx=5, N=2, Ne=2, first_site=2, J_sd=0.5)
    psi = many_electron_state(model, lead={"start": 0, "stop": 2},
                              spin="+z", local="-z")
    times = [0.0, 0.6]
    rec = PairRecorder(model, pairs="all", blocks=True)
    evolve_mps(model, psi, times, chi_max=1000, svd_min=0.0, dt=0.005,
               pair_recorder=rec)
    ref = PairRecorder(model, pairs="all", blocks=True)
    evolve_fermions(model, psi, times, tol=1e-14, pair_recorder=ref)
    a, b = rec.arrays(), ref.arrays()
    for key in ("mutual_information", "log_negativity", "correlation",
                "block_entropy"):
        assert np.max(np.abs(a[key] - b[key])) < 1e-5, key
    assert np.max(a["mutual_information"]) > 1e-4


# -- count = 1: today's one-electron route --------------------------------------
@pytest.mark.parametrize("length, first_site, x0, t_max", [
    (10, 4, 3.0, 1.0),
    pytest.param(24, 11, 8.0, 3.0, marks=pytest.mark.slow)])
def test_one_electron_equals_the_one_electron_route(length, first_site, x0,
                                                    t_max):
    """The paper's geometry at reduced length: a packet sent at two spins
    (132 s on 24 sites here, so that size runs with -m slow)."""
    geometry = {"chain": {"length": length}, "local_spins": {
        "count": 2, "first_site": first_site, "J_sd": 0.3}}
    times = {"t_max": t_max, "n_times": 4}
    one = simulate(resolve_config({
        **geometry, "electron": {"k": 1.2, "dk": 0.5, "x0": x0,
                                 "spin": "-z"},
        "evolution": times}))
    many = simulate(resolve_config({
        **geometry, "electrons": {"count": 1, "state": "packets",
                                  "packets": [{"k": 1.2, "dk": 0.5,
                                               "x0": x0}]},
        "evolution": {**times, "method": "mps"},
        "mps": {"dt": 0.01, "chi_max": 64, "svd_min": 0.0}}))
    moved = np.abs(np.asarray(one.local_spin)[-1, 0, 2]
                   - np.asarray(one.local_spin)[0, 0, 2])
    assert moved > 1e-3                  # the packet reached the spins
    for name in ("local_spin", "density", "purity_local", "entropy_local",
                 "norm", "energy", "total_sz"):
        a = np.asarray(getattr(one, name))
        b = np.asarray(getattr(many, name))
        assert np.max(np.abs(a - b)) < 1e-5, name


# -- the file, auto, bad input, TeNPy missing -----------------------------------
def _mps_config(**mps):
    return {"chain": {"length": 6}, "local_spins": {"count": 1,
                                                    "first_site": 3},
            "electrons": {"count": 2, "lead": {"start": 0, "stop": 3}},
            "evolution": {"t_max": 0.4, "n_times": 3, "method": "mps"},
            "mps": {"dt": 0.05, **mps}}


def test_file_holds_the_mps_datasets(tmp_path):
    cfg = resolve_config(_mps_config())
    path = write_result(tmp_path / "run.h5", simulate(cfg), cfg)
    data = read_result(path)
    assert data["attrs"]["method"] == "mps"
    assert data["mps_entanglement_entropy"].shape == (3, 5)
    assert data["mps_bond_dimension"].shape == (3,)
    assert data["mps_truncation_error"].shape == (3,)
    assert data["attrs"]["mps_chi_max"] == 128


def test_auto_never_picks_mps():
    model = ManyElectronModel(Lx=6, N=1, Ne=2)
    assert resolve_method("auto", model).name == "exact"


@pytest.mark.parametrize("mps, key", [
    ({"chi_max": 0}, "mps.chi_max"), ({"chi_max": 2.5}, "mps.chi_max"),
    ({"svd_min": 1.0}, "mps.svd_min"), ({"svd_min": -1e-3}, "mps.svd_min"),
    ({"dt": 0.0}, "mps.dt"), ({"dt": 0.3}, "mps.dt"),
    ({"algorithm": "tebd"}, "mps.algorithm"), ({"chi": 4}, "mps.chi")])
def test_bad_mps_input_names_the_key(mps, key):
    with pytest.raises(ConfigError) as info:
        resolve_config(_mps_config(**mps))
    assert str(info.value).startswith(key + ":")
    assert "\n" not in str(info.value)


def test_mps_too_large_for_memory_refused_naming_chi_max():
    from qutip_stt.simulation import check_memory
    cfg = resolve_config(_mps_config(chi_max=100_000))
    with pytest.raises(ConfigError, match=r"^mps.chi_max: .*bond dimension "
                       r"100,000"):
        check_memory(cfg, available=2 ** 30)
    assert check_memory(resolve_config(_mps_config()),
                        available=2 ** 30)["total"] < 2 ** 29


def test_mps_table_with_another_method_refused():
    cfg = _mps_config(chi_max=64)
    cfg["evolution"]["method"] = "exact"
    with pytest.raises(ConfigError,
                       match=r"^mps.chi_max: the \[mps\] table"):
        resolve_config(cfg)
    # the defaults, as every resolved config (and its TOML) carries them,
    # change nothing: they are no key dropped
    cfg["mps"] = dict(resolve_config({})["mps"])
    assert resolve_config(cfg)["evolution"]["method"] == "exact"


def test_without_tenpy_one_line_names_the_extra(monkeypatch):
    cfg = resolve_config(_mps_config())
    for name in [m for m in sys.modules if m == "tenpy"
                 or m.startswith("tenpy.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "tenpy", None)
    with pytest.raises(ConfigError) as info:
        simulate(cfg)
    message = str(info.value)
    assert 'pip install "qutip-stt[mps]"' in message and "\n" not in message
