"""The TOML config contract of docs/guide/config.md."""

import warnings

import numpy as np
import pytest

import qutip_stt as stt
from qutip_stt import config as cfg
from qutip_stt.simulation import build

CONVENTIONS_EXAMPLE = """
[chain]
length = 400          # Lx, sites
hopping = 1.0         # gamma, eV

[local_spins]
count = 5             # N
spin = 0.5            # S: 0.5, 1, 1.5, ...
first_site = 198      # optional; default Lx//2 - N//2
J = 0.1               # eV
Jz = 0.1005           # eV
J_sd = 0.1            # eV, electron-local spin s-d exchange
direction = "+z"      # initial direction of every local spin (same forms as electron.spin)

[electron]
k = 0.1               # k_x a
dk = 0.2              # delta k_x a
x0 = 30               # packet centre, site index (may be fractional)
spin = "-z"           # "+z" "-z" "+x" "-x" "+y" "-y", or { theta = 60, phi = 30 } in degrees

[evolution]
t_max = 500.0         # fs
n_times = 101         # output times: linspace(0, t_max, n_times)
method = "auto"       # "auto" (fastest exact method), "crank-nicolson", "sesolve", and any others you add
dt = 0.05             # fs, step of fixed-step methods (optional; a sensible default exists)
"""


def test_conventions_example_parses(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text(CONVENTIONS_EXAMPLE)
    c = cfg.load_config(path)
    assert c["chain"]["length"] == 400
    assert c["electron"]["x0"] == 30.0
    model, psi0, times = build(c)
    assert model.dims == [400, 2, 2, 2, 2, 2, 2]
    assert list(model.sites) == [198, 199, 200, 201, 202]
    assert np.allclose(times, np.linspace(0, 500, 101))


def test_empty_config_is_the_paper_collinear_case():
    assert cfg.resolve_config({}) == cfg.preset("paper-collinear")
    c = cfg.resolve_config({})
    assert c["electron"]["x0"] == 160.0
    assert c["local_spins"]["first_site"] == 198


def test_presets():
    assert set(cfg.PRESETS) == {"paper-collinear", "paper-noncollinear",
                                "macrospin-collinear", "macrospin-noncollinear"}
    m = cfg.preset("macrospin-noncollinear")
    assert m["local_spins"]["spin"] == 2.5 and m["local_spins"]["count"] == 1
    assert m["local_spins"]["first_site"] == 200
    assert m["electron"]["spin"] == "+x"
    assert cfg.preset("paper-noncollinear")["electron"]["x0"] == 160
    moved = cfg.apply_overrides(cfg.preset("paper-collinear", resolve=False),
                                ["chain.length=200"])
    assert moved["local_spins"]["first_site"] == 98
    assert moved["electron"]["x0"] == 80


def test_toml_round_trip(tmp_path):
    c = cfg.apply_overrides(cfg.preset("paper-collinear"),
                            ["electron.spin={theta = 60, phi = 30}",
                             "local_spins.spin=\"3/2\"", "evolution.dt=0.2"])
    assert c["local_spins"]["spin"] == 1.5
    assert c["electron"]["spin"] == {"theta": 60.0, "phi": 30.0}
    path = tmp_path / "c.toml"
    path.write_text(cfg.to_toml(c))
    assert cfg.load_config(path) == c


def test_overrides_accept_bare_words():
    c = cfg.apply_overrides(cfg.resolve_config({}), ["electron.spin=+x",
                                                     "evolution.method=sesolve"])
    assert c["electron"]["spin"] == "+x"
    assert c["evolution"]["method"] == "sesolve"


BAD = [
    ({"chain": {"length": 1}}, "chain.length"),
    ({"chain": {"length": "400"}}, "chain.length"),
    ({"chain": {"length": 40.5}}, "chain.length"),
    ({"chain": {"hopping": float("nan")}}, "chain.hopping"),
    ({"chain": {"width": 3}}, "chain.width"),
    ({"lattice": {}}, "lattice"),
    ({"chain": 3}, "chain"),
    ({"local_spins": {"count": 0}}, "local_spins.count"),
    ({"local_spins": {"count": 2.5}}, "local_spins.count"),
    ({"chain": {"length": 4}, "local_spins": {"count": 5}}, "local_spins.count"),
    ({"local_spins": {"spin": 0.3}}, "local_spins.spin"),
    ({"local_spins": {"spin": -0.5}}, "local_spins.spin"),
    ({"local_spins": {"spin": True}}, "local_spins.spin"),
    ({"local_spins": {"first_site": 396}}, "local_spins.first_site"),
    ({"local_spins": {"first_site": -1}}, "local_spins.first_site"),
    ({"local_spins": {"J": float("inf")}}, "local_spins.J"),
    ({"local_spins": {"direction": "up"}}, "local_spins.direction"),
    ({"local_spins": {"count": 30, "direction": "+x"}}, "local_spins.count"),
    ({"electron": {"dk": 0}}, "electron.dk"),
    ({"electron": {"dk": -0.2}}, "electron.dk"),
    ({"electron": {"x0": 400}}, "electron.x0"),
    ({"electron": {"x0": -3}}, "electron.x0"),
    ({"electron": {"spin": {"theta": 200}}}, "electron.spin.theta"),
    ({"electron": {"spin": {"phi": 20}}}, "electron.spin.theta"),
    ({"electron": {"spin": {"theta": 20, "psi": 1}}}, "electron.spin.psi"),
    ({"electron": {"spin": 3}}, "electron.spin"),
    ({"evolution": {"t_max": -1}}, "evolution.t_max"),
    ({"evolution": {"n_times": 0}}, "evolution.n_times"),
    ({"evolution": {"method": "euler"}}, "evolution.method"),
    ({"evolution": {"dt": 0}}, "evolution.dt"),
    ({"evolution": {"n_times": 1}}, "evolution.n_times"),
    ({"evolution": {"t_max": 0}}, "evolution.t_max"),
]


@pytest.mark.parametrize("data, key", BAD)
def test_bad_values_name_the_key(data, key):
    with pytest.raises(stt.ConfigError) as info:
        cfg.resolve_config(data)
    assert info.value.key == key
    assert str(info.value).startswith(key + ": ")


def test_huge_system_refused_with_memory_estimate():
    with pytest.raises(stt.ConfigError, match="GiB"):
        cfg.resolve_config({"local_spins": {"count": 16, "direction": "+x"}})


@pytest.mark.parametrize("content, fragment", [
    (b"[chain]\nlength = \n", "not valid TOML"),
    (b"[chain]\nlength = 4\nlength = 5\n", "not valid TOML"),
    (b"[chain]\nlength = 400 # \xff\xfe\n", "not UTF-8"),
])
def test_bad_files(tmp_path, content, fragment):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(stt.ConfigError, match=fragment):
        cfg.load_config(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(stt.ConfigError, match="no such file"):
        cfg.load_config(tmp_path / "nope.toml")
    with pytest.raises(stt.ConfigError, match="is a directory"):
        cfg.load_config(tmp_path)


def test_reflection_warning():
    c = cfg.apply_overrides({}, [
        "chain.length=120", "local_spins.count=2", "electron.x0=40",
        "evolution.t_max=150", "evolution.n_times=3"])
    # the packet reaches an end at 63 fs, its echo the spins at 101 fs
    with pytest.warns(stt.ReflectionWarning, match=r"at t = 63 fs and .* at "
                      r"t = 101 fs < t_max = 150 fs"):
        stt.simulate(c)
    with warnings.catch_warnings():
        warnings.simplefilter("error", stt.ReflectionWarning)
        stt.simulate(cfg.apply_overrides(c, ["evolution.t_max=90"]))
    t_edge, t_echo = stt.reflection_times(400, sites=range(198, 203))
    assert 200 < t_edge < t_echo < 500
    assert stt.reflection_times(400, sites=[200], t_max=50) == (None, None)
