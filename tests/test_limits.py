"""Every magnitude is checked before the work, by the key that is out of range.

Energies (hopping, exchange, fields, potentials) are bounded by 1e4 eV in
magnitude; the train's interval by the length of its Chebyshev series and
its electrons by the memory they keep; the packet's wave number lies in the
Brillouin zone and any width dk > 0 gives a normalised packet (see the
config page of the docs, ``docs/guide/config.md``). A refusal is one line,
exit 2, naming the key, with no traceback and no file.
"""

import math
import os

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import qutip_stt as stt
from qutip_stt.config import resolve_config
from qutip_stt.errors import ConfigError
from qutip_stt.states.packet import wave_packet
from qutip_stt.trains.run import check_train_memory

ONE = ["--preset", "paper-collinear", "--set", "local_spins.count=1"]

CASES = [
    # train: interval and electrons
    (["train", *ONE, "--interval", "1e308"], "train.interval"),
    (["train", *ONE, "--interval", "1e8"], "train.interval"),
    (["train", *ONE, "--interval", "inf"], "train.interval"),
    (["train", *ONE, "--interval", "nan"], "train.interval"),
    (["train", *ONE, "--interval", "-5"], "train.interval"),
    (["train", *ONE, "--interval", "0"], "train.interval"),
    (["train", *ONE, "--electrons", "-3"], "train.electrons"),
    (["train", *ONE, "--electrons", "100000000000"], "train.electrons"),
    (["train", "--preset", "paper-collinear", "--set", "local_spins.count=7",
      "--electrons", "10000000"], "train.electrons"),
    # energies, in every command that builds a model
    (["train", *ONE, "--set", "chain.hopping=1e300"], "chain.hopping"),
    (["train", *ONE, "--set", "local_spins.field={z=1e300}"],
     "local_spins.field.z"),
    (["train", *ONE, "--set", "local_spins.J_sd=1e5"], "local_spins.J_sd"),
    (["simulate", *ONE, "--set", "chain.hopping=1e300"], "chain.hopping"),
    (["simulate", *ONE, "--set", "chain.hopping=-2e4"], "chain.hopping"),
    (["simulate", *ONE, "--set", "local_spins.field=[1e300]"],
     "local_spins.field[0]"),
    (["simulate", *ONE, "--set", "local_spins.field={x=1e300}"],
     "local_spins.field.x"),
    (["simulate", *ONE, "--set", "electron.field=1e300"], "electron.field"),
    (["simulate", *ONE, "--set",
      "chain.potential={start=3,stop=9,height=1e300}"],
     "chain.potential.height"),
    (["simulate", *ONE, "--set",
      "chain.potential=[{start=3,stop=9,height=1},"
      "{start=1,stop=2,height=-1e300}]"], "chain.potential[1].height"),
    (["simulate", "--preset", "paper-collinear", "--set", "local_spins.J=1e300"],
     "local_spins.J"),
    (["simulate", "--preset", "paper-collinear", "--set",
      "local_spins.Jz=1e20"], "local_spins.Jz"),
    (["simulate", *ONE, "--set", "local_spins.J_sd=-1e300"],
     "local_spins.J_sd"),
    (["scatter", *ONE, "--set", "chain.hopping=1e300"], "chain.hopping"),
    (["scatter", *ONE, "--set", "local_spins.J_sd=1e300"],
     "local_spins.J_sd"),
    (["compare-classical", *ONE, "--set", "chain.hopping=1e300"],
     "chain.hopping"),
    (["compare-classical", *ONE, "--set", "local_spins.field={z=-1e300}"],
     "local_spins.field.z"),
    # sizes
    (["simulate", *ONE, "--set", "evolution.n_times=1000000000"],
     "evolution.n_times"),
    (["simulate", *ONE, "--set", "chain.length=100000000"], "chain.length"),
    (["simulate", "--preset", "paper-collinear", "--set",
      "local_spins.count=40", "--set", 'local_spins.direction="+x"'],
     "local_spins.count"),
    (["simulate", *ONE, "--set", "evolution.t_max=1e300"],
     "evolution.t_max"),
    (["simulate", *ONE, "--set", "evolution.t_max=1e9", "--set",
      "evolution.method=\"sesolve\""], "evolution.t_max"),
    (["simulate", *ONE, "--set", "chain.hopping=9e3", "--set",
      "evolution.t_max=1e4"], "chain.hopping"),
    (["scatter", *ONE, "--set", "scatter.k={start=0.1,stop=1.0,num=100000000}"],
     "scatter.k.num"),
    (["scatter", "--preset", "paper-collinear", "--set",
      "local_spins.count=14"], "local_spins.count"),
    (["compare-classical", *ONE, "--set", "evolution.n_times=100000000"],
     "evolution.n_times"),
    # the packet
    (["simulate", *ONE, "--set", "electron.k=1e300"], "electron.k"),
    (["simulate", *ONE, "--set", "electron.k=4"], "electron.k"),
    (["simulate", *ONE, "--set", "electron.dk=0"], "electron.dk"),
    (["simulate", *ONE, "--set", "electron.x0=1e300"], "electron.x0"),
]


@pytest.mark.parametrize("args, key", CASES,
                         ids=[f"{a[0]}-{a[-1][:30]}" for a, _ in CASES])
def test_magnitude_refused_naming_its_key(args, key, run_cli, tmp_path):
    out = "cc" if args[0] == "compare-classical" else "o.h5"
    code, lines = run_cli(args + ["--out", out, "--quiet"])
    assert code == 2, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"qutip-stt: error: {key}:"), lines[0]
    assert "Traceback" not in lines[0]
    assert not (tmp_path / "o.h5").exists()
    assert not (tmp_path / "cc").exists()


def test_k_outside_the_zone_names_the_same_packet():
    with pytest.raises(ConfigError, match=r"electron.k: .*-pi..pi, got 4 "
                       r"\(the same packet as k = -2.28319\)"):
        resolve_config({"electron": {"k": 4.0}})
    for k in (-math.pi, 0.0, math.pi):
        assert resolve_config({"electron": {"k": k}})["electron"]["k"] == k


def test_train_memory_grows_with_the_electrons():
    cfg = lambda K: resolve_config({"local_spins": {"count": 3},   # noqa: E731
                                    "train": {"electrons": K}})
    small, large = (check_train_memory(cfg(K), available=2 ** 60)
                    for K in (10, 1_000_010))
    # 8 x 8 density matrices and three 4 x 4 pair matrices per electron
    assert large - small == 1_000_000 * (4 * 64 + 3 * 16) * 16
    with pytest.raises(ConfigError, match="train.electrons: 1,000,010 "
                       "electrons keep"):
        check_train_memory(cfg(1_000_010), available=2 ** 30)


def test_api_energies_refused_by_name():
    for kwargs, key in (({"gamma": 1e300}, "gamma"), ({"J_sd": np.inf},
                        "J_sd"), ({"J": -1e5}, "J")):
        with pytest.raises(ConfigError, match=f"^{key}: "):
            stt.STTModel(Lx=20, N=1, **kwargs)


@settings(max_examples=200, deadline=None)
@given(dk=st.floats(min_value=1e-300, max_value=1e300),
       x0=st.floats(min_value=0, max_value=59),
       k=st.floats(min_value=-math.pi, max_value=math.pi))
def test_any_packet_width_is_normalised(dk, x0, k):
    """For every dk > 0 the packet is normalised and centred near x0; a
    packet narrower than a site sits on the site(s) nearest x0."""
    psi = wave_packet(60, k, dk, x0).full().ravel()
    p = np.abs(psi) ** 2
    assert np.all(np.isfinite(psi))
    assert abs(p.sum() - 1) < 1e-12
    nearest = np.abs(np.arange(60) - x0).min()
    assert np.abs(np.arange(60) - x0)[np.argmax(p)] <= nearest + 1e-9 \
        or dk < 1.0
    if dk > 1e3:
        assert p[np.abs(np.abs(np.arange(60) - x0) - nearest) < 1e-12].sum() \
            > 1 - 1e-12


def test_packet_unchanged_for_the_paper():
    """The stable form equals Eq. (4) evaluated directly (paper packet)."""
    x = np.arange(400.0)
    direct = np.exp(1j * 0.1 * x - 0.2 ** 2 * (x - 160) ** 2 / 4)
    direct /= np.linalg.norm(direct)
    assert np.abs(wave_packet(400).full().ravel() - direct).max() < 1e-15


def test_tiny_hopping_runs(run_cli, tmp_path):
    """A tiny but nonzero energy is physics (the electron stands still)."""
    code, lines = run_cli(["simulate", *ONE, "--set", "chain.length=40",
                           "--set", "chain.hopping=1e-300", "--set",
                           "evolution.t_max=5", "--set", "evolution.n_times=3",
                           "--out", "o.h5", "--quiet"])
    assert code == 0, lines
    data = stt.read_result(os.fspath(tmp_path / "o.h5"))
    assert np.all(np.isfinite(data["local_spin"]))
