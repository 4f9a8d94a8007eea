"""One output policy for every command, checked before any work.

Every file a command will write is checked when the command starts, with
the option that named it (see the output page of the docs): its format,
never one of the command's inputs (even with ``--force``), never the same
file as another output of the command, a foreign file replaced only with
``--force`` (which every writing command accepts), and a second writer on
the same output locked out. A refusal is one line, exit 2, no file written
and no computation run.
"""

import os

import pytest

import qutip_stt.paper.run
import qutip_stt.scattering.run
import qutip_stt.simulation
import qutip_stt.sweep.runner
import qutip_stt.trains.run
from qutip_stt.cli import main, make_parser
from qutip_stt.cli.outputs import FIGURE, HDF5, Outputs
from qutip_stt.errors import ConfigError
from qutip_stt.io.locks import output_lock

SMALL = ["--preset", "paper-collinear", "--set", "chain.length=60",
         "--set", "local_spins.count=1", "--set", "evolution.t_max=5",
         "--set", "evolution.n_times=4"]
TRAIN = ["--preset", "paper-collinear", "--set", "chain.length=120",
         "--set", "local_spins.count=1", "--electrons", "2"]
SCATTER = ["--preset", "paper-collinear", "--set", "local_spins.count=1",
           "--set", "scatter.k={start=0.1,stop=1.0,num=3}"]

SWEEP = """\
[chain]
length = 60
[local_spins]
count = 1
[evolution]
t_max = 5.0
n_times = 3
[sweep]
"local_spins.J_sd" = [0.05, 0.1]
"""

#: The function each command computes with: a refusal never reaches it.
WORK = {
    "simulate": (qutip_stt.simulation, "simulate"),
    "compare-classical": (qutip_stt.simulation, "simulate"),
    "train": (qutip_stt.trains.run, "train"),
    "scatter": (qutip_stt.scattering.run, "scatter"),
    "sweep": (qutip_stt.sweep.runner, "_run_locked"),
    "reproduce": (qutip_stt.paper.run, "compute_spectrum"),
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "sw.toml").write_text(SWEEP)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        assert main(["simulate", *SMALL, "--out", "run.h5", "--quiet"]) == 0
        assert main(["sweep", "sw.toml", "--out", "swin.h5", "--quiet"]) == 0
    finally:
        os.chdir(cwd)
    return folder


@pytest.fixture
def folder(inputs, tmp_path, monkeypatch):
    """A fresh folder with the inputs, and every computation made to fail
    loudly if it is reached."""
    for name in ("run.h5", "swin.h5", "sw.toml"):
        (tmp_path / name).write_bytes((inputs / name).read_bytes())

    def reached(*args, **kwargs):
        raise AssertionError("the command computed before refusing")
    for module, name in set(WORK.values()):
        monkeypatch.setattr(module, name, reached)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(args, capsys):
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err.strip().splitlines()


def _refused(args, option, fragment, folder, capsys):
    before = sorted(os.listdir(folder))
    code, lines = _run(args, capsys)
    assert code == 2, lines
    assert len(lines) == 1, lines
    assert f"error: {option}:" in lines[0], lines[0]
    assert fragment in lines[0], lines[0]
    assert sorted(os.listdir(folder)) == before   # nothing written or left
    return lines[0]


# -- formats: every output, with the option that named it ----------------------
FORMATS = [
    (["simulate", *SMALL, "--out", "k.png"], "--out", "does not end in .h5"),
    (["train", *TRAIN, "--out", "k.png"], "--out", "does not end in .h5"),
    (["train", *TRAIN, "--out", "a.gif", "--animate", "a.gif"], "--out",
     "does not end in .h5"),
    (["train", *TRAIN, "--out", "t.h5", "--animate", "x.txt"], "--animate",
     "format '.txt'"),
    (["train", *TRAIN, "--out", "t.h5", "--animate", "t.png"], "--animate",
     "format '.png'"),
    (["train", *TRAIN, "--out", "t.h5", "--plot", "k", "--animate",
      "k-train.png"], "--animate", "format '.png'"),
    (["scatter", *SCATTER, "--out", "s.h5", "--figure", "x.txt"], "--figure",
     "x.txt"),
    (["scatter", *SCATTER, "--out", "s.png"], "--out", "does not end in .h5"),
    (["scatter", *SCATTER, "--out", "s.h5", "--figure", "s.xyz"], "--figure",
     "cannot write '.xyz'"),
    (["sweep", "sw.toml", "--out", "sw.png"], "--out", "does not end in .h5"),
    (["plot-sweep", "swin.h5", "--out", "p.h5"], "--out", "p.h5"),
    (["animate", "run.h5", "--out", "a.txt"], "--out", "format '.txt'"),
    (["animate", "run.h5", "--frame", "2", "--out", "a.gif"], "--out",
     "still-frame format '.gif'"),
]


@pytest.mark.parametrize("args, option, fragment", FORMATS,
                         ids=[" ".join(a[0:1] + a[-2:]) for a, *_ in FORMATS])
def test_every_output_format_checked_before_work(args, option, fragment,
                                                 folder, capsys):
    _refused(args, option, fragment, folder, capsys)


# -- options that shape an output, checked before work -------------------------
@pytest.mark.parametrize("extra, option", [
    (["--every", "0"], "--every"), (["--every", "-3"], "--every"),
    (["--spin", "local:9"], "--spin"), (["--spin", "electron,local:2"],
                                        "--spin"),
    (["--spin", "nonsense"], "--spin")])
def test_compare_classical_checks_its_options_first(extra, option, folder,
                                                    capsys):
    _refused(["compare-classical", *SMALL, "--out", "cc", *extra], option, "",
             folder, capsys)
    assert not (folder / "cc").exists()


@pytest.mark.parametrize("args, option", [
    (["train", *TRAIN, "--out", "t.h5", "--animate", "a.gif", "--spin", "2"],
     "--spin"),
    (["train", *TRAIN, "--out", "t.h5", "--compare"], "--compare"),
])
def test_train_checks_its_options_first(args, option, folder, capsys):
    _refused(args, option, "", folder, capsys)


# -- inputs are never replaced ---------------------------------------------------
@pytest.mark.parametrize("command, extra", [
    ("simulate", []), ("train", ["--electrons", "2"]),
    ("scatter", ["--set", "scatter.k={start=0.1,stop=1.0,num=3}"])])
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_empty_input_config_is_never_replaced(command, extra, force, folder,
                                              capsys):
    (folder / "cfg.h5").write_bytes(b"")     # an empty file reads as TOML
    _refused([command, "cfg.h5", *extra, "--out", "cfg.h5", *force], "--out",
             "is an input of this command", folder, capsys)
    assert (folder / "cfg.h5").read_bytes() == b""


def test_sweep_spec_and_plot_input_never_replaced(folder, capsys):
    (folder / "spec.h5").write_text(SWEEP)
    _refused(["sweep", "spec.h5", "--out", "spec.h5", "--force"], "--out",
             "is an input", folder, capsys)
    os.link(folder / "swin.h5", folder / "same.png")
    line = _refused(["plot-sweep", "swin.h5", "--out", "same.png",
                     "--force"], "--out", "is an input", folder, capsys)
    assert "same.png" in line


# -- two outputs of one command are never the same file --------------------------
def test_outputs_are_distinct_files(tmp_path):
    a = str(tmp_path / "a.h5")
    with Outputs([]) as outputs:
        outputs.add(a, "--out", HDF5)
        with pytest.raises(ConfigError, match="--resume: .* is also the "
                           "output of --out"):
            outputs.add(str(tmp_path / "." / "a.h5"), "--resume", HDF5)
        (tmp_path / "k.png").write_bytes(b"")
        os.link(tmp_path / "k.png", tmp_path / "j.png")
        outputs.add(str(tmp_path / "k.png"), "--plot", FIGURE)
        with pytest.raises(ConfigError, match="--figure: .*also the output "
                           "of --plot"):
            outputs.add(str(tmp_path / "j.png"), "--figure", FIGURE)


# -- foreign files and --force ----------------------------------------------------
FOREIGN = [
    (["simulate", *SMALL], "--out", "x.h5"),
    (["train", *TRAIN], "--out", "x.h5"),
    (["scatter", *SCATTER], "--out", "x.h5"),
    (["sweep", "sw.toml"], "--out", "x.h5"),
    (["plot-sweep", "swin.h5"], "--out", "x.png"),
    (["animate", "run.h5"], "--out", "x.gif"),
    (["animate", "run.h5", "--frame", "1"], "--out", "x.png"),
    (["train", *TRAIN, "--out", "t.h5", "--plot", "x"], None, "x-train.png"),
    (["scatter", *SCATTER, "--out", "s.h5"], "--figure", "x.png"),
]


@pytest.mark.parametrize("args, option, name", FOREIGN,
                         ids=[f"{a[0]}-{n}" for a, _, n in FOREIGN])
def test_foreign_file_needs_force(args, option, name, folder, capsys):
    (folder / name).write_text("my notes")
    full = args + ([option, name] if option else [])
    line = _refused(full, option or "--plot", "give --force", folder, capsys)
    assert name in line
    assert (folder / name).read_text() == "my notes"


def test_every_writing_command_accepts_force():
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in ("simulate", "train", "scatter", "compare-classical",
                 "sweep", "plot-sweep", "animate", "reproduce"):
        options = {o for a in sub.choices[name]._actions
                   for o in a.option_strings}
        assert "--force" in options, name


@pytest.mark.filterwarnings(
    "ignore::qutip_stt.trains.channel.LeftoverWarning")
@pytest.mark.parametrize("args, name", [
    (["train", *TRAIN, "--out"], "x.h5"),
    (["scatter", *SCATTER, "--out"], "x.h5"),
    (["sweep", "sw.toml", "--out"], "x.h5"),
    (["plot-sweep", "swin.h5", "--out"], "x.png"),
])
def test_force_replaces_a_foreign_file(args, name, inputs, tmp_path,
                                       monkeypatch, capsys):
    for item in ("run.h5", "swin.h5", "sw.toml"):
        (tmp_path / item).write_bytes((inputs / item).read_bytes())
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text("my notes")
    code, lines = _run(args + [name, "--force", "--quiet"], capsys)
    assert code == 0, lines
    assert (tmp_path / name).read_bytes()[:4] in (b"\x89HDF", b"\x89PNG")


def test_sweep_force_replaces_a_result_file_not_a_sweep(inputs, tmp_path,
                                                        monkeypatch, capsys):
    for item in ("run.h5", "sw.toml"):
        (tmp_path / item).write_bytes((inputs / item).read_bytes())
    monkeypatch.chdir(tmp_path)
    code, lines = _run(["sweep", "sw.toml", "--out", "run.h5", "--quiet"],
                       capsys)
    assert code == 2 and "give --force" in lines[0], lines
    code, lines = _run(["sweep", "sw.toml", "--out", "run.h5", "--quiet",
                        "--force"], capsys)
    assert code == 0, lines
    from qutip_stt.sweep import read_sweep_result
    assert read_sweep_result("run.h5")["done"].all()


def test_reproduce_checks_every_file_before_computing(folder, capsys):
    (folder / "rep").mkdir()
    (folder / "rep" / "report.md").write_text("my notes")
    _refused(["reproduce", "--quick", "--out", "rep"], "--out",
             "rep/report.md exists", folder, capsys)
    _refused(["reproduce", "--quick", "--out", "run.h5"], "--out",
             "is not a folder", folder, capsys)


def test_reproduce_folder_is_locked(folder, capsys):
    os.makedirs(folder / "held")
    with output_lock(folder / "held" / "report.json"):
        _refused(["reproduce", "--quick", "--out", "held"], "--out",
                 "being written by another", folder, capsys)


# -- a second writer on the same output is locked out ----------------------------
LOCKED = [
    (["simulate", *SMALL, "--out", "o.h5"], "o.h5", "--out"),
    (["train", *TRAIN, "--out", "o.h5"], "o.h5", "--out"),
    (["train", *TRAIN, "--out", "t.h5", "--plot", "o"], "o-sz-map.png",
     "--plot"),
    (["train", *TRAIN, "--out", "t.h5", "--animate", "o.gif"], "o.gif",
     "--animate"),
    (["scatter", *SCATTER, "--out", "o.h5"], "o.h5", "--out"),
    (["scatter", *SCATTER, "--out", "s.h5", "--figure", "o.png"], "o.png",
     "--figure"),
    (["compare-classical", *SMALL, "--out", "."], "quantum.h5", "--out"),
    (["sweep", "sw.toml", "--out", "o.h5"], "o.h5", "--out"),
    (["plot-sweep", "swin.h5", "--out", "o.png"], "o.png", "--out"),
    (["animate", "run.h5", "--out", "o.gif"], "o.gif", "--out"),
]


@pytest.mark.parametrize("args, held, option", LOCKED,
                         ids=[f"{a[0]}-{h}" for a, h, _ in LOCKED])
def test_second_writer_is_locked_out(args, held, option, folder, capsys):
    with output_lock(folder / held):
        before = sorted(os.listdir(folder))
        code, lines = _run(args, capsys)
        assert code == 2, lines
        assert len(lines) == 1 and f"error: {option}:" in lines[0], lines
        assert "being written by another qutip-stt process" in lines[0]
        assert sorted(os.listdir(folder)) == before
