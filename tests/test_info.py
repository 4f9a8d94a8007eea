"""``qutip-stt info FILE`` and the summaries: units, |<Sigma>|, purity, flips, echo."""

import pytest

from qutip_stt.cli import main


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("info")
    small = ["--preset", "paper-collinear", "--set", "chain.length=120",
             "--set", "evolution.t_max=60", "--set", "evolution.n_times=4",
             "--quiet"]
    run, train, scat = (folder / n for n in ("run.h5", "train.h5", "s.h5"))
    assert main(["simulate", *small, "--out", str(run)]) == 0
    assert main(["train", "--preset", "paper-collinear", "--set",
                 "chain.length=120", "--set", "train.electrons=2",
                 "--set", "local_spins.count=2", "--quiet",
                 "--out", str(train)]) == 0
    assert main(["scatter", "--preset", "paper-collinear", "--set",
                 "local_spins.count=2", "--set",
                 "scatter.k={start=0.1, stop=1.0, num=5}", "--quiet",
                 "--out", str(scat)]) == 0
    return run, train, scat


pytestmark = pytest.mark.filterwarnings(
    "ignore::qutip_stt.trains.channel.LeftoverWarning",
    "ignore::qutip_stt.solvers.evolution.ReflectionWarning")


def test_simulate_summary_has_units_lengths_purity_and_flip(files, capsys):
    out = files[0].parent / "again.h5"
    assert main(["simulate", "--preset", "paper-collinear", "--set",
                 "chain.length=120", "--set", "evolution.t_max=60", "--set",
                 "evolution.n_times=4", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "units of hbar/2" in text and "|<Sigma>| = " in text
    assert text.count(", purity 0.") == 5        # every local spin 1/2
    assert "spin-flip probability" in text


def test_info_on_each_kind(files, capsys):
    run, train, scat = files
    assert main(["info", str(run)]) == 0
    text = capsys.readouterr().out
    assert "units of hbar/2" in text and "spin-flip probability" in text
    assert "echo" in text and "[chain]" in text and "length = 120" in text
    assert main(["info", str(train), "--no-config"]) == 0
    text = capsys.readouterr().out
    assert "a train of 2 electrons" in text and "total S^z" in text
    assert "reversed at not" not in text
    assert main(["info", str(scat), "--no-config"]) == 0
    assert "spin-flip probability" in capsys.readouterr().out


def test_info_refuses_other_files_in_one_line(tmp_path, capsys):
    bad = tmp_path / "x.h5"
    bad.write_text("not hdf5")
    assert main(["info", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "FILE" in err


def test_info_on_many_electrons_and_compare_classical(tmp_path, capsys):
    cfg = tmp_path / "me.toml"
    cfg.write_text("[chain]\nlength = 16\n[local_spins]\ncount = 1\n"
                   "[electrons]\ncount = 2\n[evolution]\nmethod = \"exact\"\n"
                   "t_max = 5\nn_times = 3\n")
    assert main(["simulate", str(cfg), "--out", str(tmp_path / "me.h5"),
                 "--quiet"]) == 0
    assert main(["info", str(tmp_path / "me.h5"), "--no-config"]) == 0
    text = capsys.readouterr().out
    assert "2 electrons at once" in text and "spin of the electrons" in text
    assert "|<Sigma>| = " in text and "beyond the last local spin" in text
    assert main(["compare-classical", "--preset", "paper-noncollinear",
                 "--set", "chain.length=120", "--set", "electron.x0=40",
                 "--set", "evolution.t_max=20", "--set", "evolution.n_times=3",
                 "--set", "local_spins.count=2", "--no-animation", "--quiet",
                 "--out", str(tmp_path / "cmp")]) == 0
    for kind in ("quantum", "classical"):
        assert main(["info", str(tmp_path / "cmp" / f"{kind}.h5")]) == 0
        text = capsys.readouterr().out
        assert "spins in units of hbar/2" in text and "[chain]" in text
    assert "classical run: local spins pure by definition" in text
