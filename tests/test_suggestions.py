"""Friendly errors: a mistyped key, table, preset, method, state or command
is refused in one line that suggests the closest name (difflib)."""

import pytest

from qutip_stt.cli import main
from qutip_stt.config import preset, resolve_config
from qutip_stt.config.toml_io import merge_overrides
from qutip_stt.errors import ConfigError
from qutip_stt.solvers.registry import resolve_method
from qutip_stt.sweep.spec import read_sweep


@pytest.mark.parametrize("data, key, hint", [
    ({"chain": {"lenght": 100}}, "chain.lenght", "length"),
    ({"chian": {"length": 100}}, "chian", "chain"),
    ({"local_spin": {"count": 2}}, "local_spin", "local_spins"),
    ({"electron": {"xo": 10}}, "electron.xo", "x0"),
    ({"evolution": {"method": "chebychev"}}, "evolution.method", "chebyshev"),
    ({"local_spins": {"state": "neal"}}, "local_spins.state", "neel"),
    ({"electrons": {"count": 2, "state": "packets",
                    "packets": [{"x0": 3, "spn": "+z"}]}},
     "electrons.packets[0].spn", "spin"),
])
def test_a_mistyped_config_name_gets_the_closest(data, key, hint):
    with pytest.raises(ConfigError) as err:
        resolve_config(data)
    text = str(err.value)
    assert text.startswith(f"{key}: "), text
    assert f"did you mean '{hint}'?" in text, text


def test_a_mistyped_set_key_names_the_dotted_key_and_its_table():
    with pytest.raises(ConfigError, match=r"^chian.length: unknown key "
                       r"\(did you mean 'chain.length'\?\)"):
        merge_overrides({}, ["chian.length=300"])
    with pytest.raises(ConfigError) as err:
        merge_overrides({}, ["chain.lenght=300"])
    # a known table: only its own keys are listed
    assert str(err.value).endswith("allowed: chain.length, chain.hopping, "
                                   "chain.potential")


def test_a_mistyped_preset_method_and_sweep_key():
    with pytest.raises(ConfigError, match="did you mean 'paper-collinear'"):
        preset("paper-colinear")
    with pytest.raises(ConfigError, match="did you mean 'sesolve'"):
        resolve_method("sesolv")


def test_a_mistyped_sweep_key(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('[sweep]\npreset = "paper-collinear"\n'
                    '"local_spins.Jsd" = [0.1, 0.2]\n')
    with pytest.raises(ConfigError, match=r"^sweep.local_spins.Jsd: unknown "
                       r"key \(did you mean 'local_spins.J_sd'\?\)"):
        read_sweep(spec)


@pytest.mark.parametrize("argv, hint", [
    (["simualte", "x.toml"], "simulate"),
    (["scater"], "scatter"),
    (["simulate", "--preset", "paper-colinear", "--out", "x.h5"],
     "paper-collinear"),
])
def test_a_mistyped_command_or_preset_on_the_command_line(argv, hint, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"did you mean '{hint}'?" in err[0], err


def test_no_suggestion_when_nothing_is_close():
    with pytest.raises(ConfigError) as err:
        resolve_config({"zzzz": {}})
    assert "did you mean" not in str(err.value)
