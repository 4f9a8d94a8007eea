"""The method registry: a new method is one declaration, in this file alone.

A trivial test-only method (``"frozen"``: the state does not move, so every
output equals the reduced initial state) is registered here and then runs
through every door a package method has: ``evolve``, a config's
``evolution.method``, ``qutip-stt simulate``, the memory check, the result
file. Nothing else in the package is touched to add it.
"""

import h5py
import numpy as np
import pytest

import qutip_stt as stt
from qutip_stt.config import resolve_config
from qutip_stt.errors import ConfigError
from qutip_stt.measures.observables import snapshot
from qutip_stt.solvers import (METHODS, Method, Option, Outcome, evolve,
                               get_method, method_names, register_method,
                               resolve_method, unregister_method)
from qutip_stt.solvers.registry import check_options, config_options


def _run_frozen(request):
    """Every output is the initial state (H = 0), reduced by QuTiP's ptrace."""
    values = snapshot(request.state, request.model)
    arrays = {key: np.stack([np.asarray(value)] * len(request.times))
              for key, value in values.items()}
    for t in request.times:
        if request.on_time is not None:
            request.on_time(float(t))
    extra = {"frozen/scale": np.full(len(request.times),
                                     request.options["scale"])}
    return Outcome(request.times, arrays, stats={"run time": 0.0},
                   extra=extra, file_attrs={"frozen": True})


def _positive(key, value):
    if not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(key, f"expected a number > 0, got {value!r}")
    return float(value)


@pytest.fixture
def frozen():
    method = register_method(Method(
        "frozen", "test only: nothing moves", run=_run_frozen,
        options=(Option("scale", 1.0, _positive, "a number > 0"),),
        stores=("frozen/scale",), reflections="none"))
    yield method
    unregister_method("frozen")


def test_a_registered_method_runs_through_evolve(frozen):
    model = stt.STTModel(Lx=40, N=2)
    psi0 = stt.initial_state(model, x0=10, electron="+x")
    res = evolve(model, psi0, [0.0, 1.0, 2.0], method="frozen",
                 options={"scale": 2})
    assert res.method == "frozen" and res.stats["method"] == "frozen"
    np.testing.assert_allclose(res.local_spin[-1], res.local_spin[0])
    assert res.extra["frozen/scale"].tolist() == [2.0, 2.0, 2.0]
    assert "frozen" in METHODS and "frozen" in method_names()


def test_a_registered_method_runs_from_a_config_and_the_cli(frozen, run_cli,
                                                            tmp_path):
    cfg = resolve_config({"chain": {"length": 40}, "local_spins": {
        "count": 1}, "evolution": {"method": "frozen", "t_max": 2,
                                   "n_times": 3}})
    assert cfg["evolution"]["method"] == "frozen"
    (tmp_path / "f.toml").write_text(
        "[chain]\nlength = 40\n[local_spins]\ncount = 1\n[evolution]\n"
        "method = \"frozen\"\nt_max = 2\nn_times = 3\n")
    code, err = run_cli(["simulate", "f.toml", "--out", "f.h5", "--quiet"])
    assert code == 0, err
    with h5py.File(tmp_path / "f.h5", "r") as f:
        assert f.attrs["method"] == "frozen" and bool(f.attrs["frozen"])
        assert f["frozen/scale"][()].tolist() == [1.0, 1.0, 1.0]


def test_unknown_options_and_bad_values_name_the_option(frozen):
    model = stt.STTModel(Lx=40, N=1)
    psi0 = stt.initial_state(model, x0=10)
    with pytest.raises(ConfigError, match="options.colour: method 'frozen' "
                       "takes the options scale, not 'colour'"):
        evolve(model, psi0, [0, 1], method="frozen", options={"colour": 1})
    with pytest.raises(ConfigError, match="scale: expected a number > 0"):
        evolve(model, psi0, [0, 1], method="frozen", options={"scale": -1})


def test_a_name_is_registered_once_and_auto_is_not_a_method(frozen):
    with pytest.raises(ConfigError, match="registered already"):
        register_method(Method("frozen", "again", run=_run_frozen))
    with pytest.raises(ConfigError, match="other than 'auto'"):
        Method("auto", "no", run=_run_frozen)
    with pytest.raises(ConfigError, match="evolution.method: expected one "
                       "of auto, chebyshev"):
        get_method("no-such-method")


def test_a_config_key_has_one_default_across_methods():
    with pytest.raises(ConfigError, match="evolution.dt: method 'rival' "
                       "declares default 0.5"):
        register_method(Method(
            "rival", "test only", run=_run_frozen,
            options=(Option("dt", 0.5, _positive, "a step", config=True),)))
    assert "rival" not in METHODS


def test_the_package_methods_and_what_auto_picks():
    assert method_names()[:8] == ["auto", "chebyshev", "classical",
                                  "crank-nicolson", "exact", "mesolve",
                                  "mps", "sesolve"]
    assert resolve_method("auto").name == "chebyshev"
    transverse = stt.STTModel(Lx=10, N=1, field={"x": 0.1})
    with pytest.warns(stt.solvers.FullSpaceWarning, match="transverse"):
        assert resolve_method("auto", transverse).name == "sesolve"
    with pytest.raises(ConfigError, match="'chebyshev' cannot run this "
                       "model: the transverse field"):
        resolve_method("chebyshev", transverse)
    # classical spins feel any field on them, not the electron's
    assert resolve_method("classical", transverse).name == "classical"
    with pytest.raises(ConfigError, match="'classical' cannot run this "
                       "model: the classical model does not include the "
                       "electron's field"):
        resolve_method("classical", stt.STTModel(Lx=10, N=1,
                                                 electron_field=0.1))
    # the config keys of the methods: dt shared, alpha the classical one's
    options = config_options()
    assert options["dt"][1] == ["crank-nicolson", "classical"]
    assert options["alpha"][1] == ["classical"]
    assert check_options(get_method("chebyshev"), {}) == {"tol": 1e-12}
