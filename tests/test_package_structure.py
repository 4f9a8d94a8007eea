"""The package's structure: every public name imports, the layers hold, the
rooms stay small, and the config layer needs no QuTiP.

As TeNPy's ``test_package_structure.py``: every name a module lists in
``__all__`` is importable from it. The layers are the import-linter contract
in ``pyproject.toml`` (docs/architecture.md draws them).
"""

import importlib
import os
import pkgutil
import subprocess
import sys

import pytest

import qutip_stt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "qutip_stt")


def _modules():
    return [m.name for m in pkgutil.walk_packages(qutip_stt.__path__,
                                                  "qutip_stt.")
            if m.name != "qutip_stt.__main__"]


@pytest.mark.parametrize("name", ["qutip_stt", *_modules()])
def test_every_name_in_all_imports(name):
    module = importlib.import_module(name)
    names = getattr(module, "__all__", None)
    if names is None:
        assert name.rsplit(".", 1)[-1].startswith("_") or \
            name.endswith(".__main__"), f"{name} has no __all__"
        return
    assert len(set(names)) == len(names), f"{name}.__all__ repeats a name"
    for attr in names:
        assert getattr(module, attr) is not None, f"{name}.{attr}"


@pytest.mark.parametrize("name", ["qutip_stt", "qutip_stt.model",
                                  "qutip_stt.states", "qutip_stt.measures",
                                  "qutip_stt.solvers", "qutip_stt.config",
                                  "qutip_stt.trains"])
def test_lazy_faces_list_what_dir_shows(name):
    module = importlib.import_module(name)
    public = [n for n in dir(module) if not n.startswith("_")]
    assert sorted(public) == sorted(n for n in module.__all__
                                    if not n.startswith("_"))


def test_trains_and_scattering_are_on_the_package_face():
    assert qutip_stt.trains.electron_channel is qutip_stt.electron_channel
    assert qutip_stt.scattering.scattering_matrix is \
        qutip_stt.scattering_matrix
    assert {"trains", "scattering", "model", "measures"} <= set(
        qutip_stt.__all__)


def test_layers_contract_holds():
    """lint-imports on the contract of pyproject.toml: nothing imports a
    layer above its own (the command line on top, the model near the
    bottom)."""
    lint = pytest.importorskip("importlinter.cli", reason="import-linter is "
                               "in the test extra: pip install -e '.[test]'")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        status = lint.lint_imports(config_filename="pyproject.toml",
                                   no_cache=True, no_logo=True)
    finally:
        os.chdir(cwd)
    assert status == 0, "lint-imports: a layer is broken (run lint-imports)"


def test_layers_contract_has_the_physics_low_and_the_cli_on_top():
    import tomllib
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        contract = tomllib.load(f)["tool"]["importlinter"]["contracts"][0]
    layers = contract["layers"]
    assert contract["type"] == "layers" and len(layers) >= 5
    assert layers[0] == "cli"
    order = {name.strip(): i for i, layer in enumerate(layers)
             for name in layer.split("|")}
    assert order["model"] > order["solvers"] > order["simulation"]
    assert order["model"] > order["measures"] and order["model"] > \
        order["states"]
    assert order["config"] < order["solvers"]   # config reads the registry
    # every subpackage and module under qutip_stt/ is in a layer, but the
    # package's own entry points
    entries = {"__init__", "__main__", "_startup", "_version", "family"}
    rooms = {name[:-3] if name.endswith(".py") else name
             for name in os.listdir(PACKAGE)
             if not name.startswith(".") and name != "__pycache__"
             and (name.endswith(".py") or os.path.isdir(
                 os.path.join(PACKAGE, name)))}
    assert rooms - entries == set(order), rooms - entries ^ set(order)


def test_rooms_stay_small():
    """At most ~12 modules directly under qutip_stt/, none above 500 lines."""
    top = [n for n in os.listdir(PACKAGE) if n.endswith(".py")]
    assert len(top) <= 12, sorted(top)
    long = {}
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    lines = sum(1 for _ in f)
                if lines > 500:
                    long[os.path.relpath(path, ROOT)] = lines
    assert not long, long


def _run_without_qutip(code):
    """Run ``code`` in a fresh interpreter in which ``import qutip`` fails."""
    blocker = ("import sys\n"
               "class _Block:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name == 'qutip' or name.startswith('qutip.'):\n"
               "            raise ImportError('qutip is blocked')\n"
               "sys.meta_path.insert(0, _Block())\n")
    return subprocess.run([sys.executable, "-c", blocker + code],
                          capture_output=True, text=True, timeout=120,
                          cwd=ROOT)


def test_config_resolves_without_qutip():
    proc = _run_without_qutip(
        "import qutip_stt.config\n"
        "cfg = qutip_stt.config.resolve_config({})\n"
        "cfg = qutip_stt.config.apply_overrides(\n"
        "    qutip_stt.config.preset('paper-noncollinear', resolve=False),\n"
        "    ['local_spins.state=\"neel\"', 'analysis.pairs=\"all\"',\n"
        "     'local_spins.field={x = 0.1}', 'electron.spin={theta = 60}'])\n"
        "assert 'qutip' not in sys.modules\n"
        "print(cfg['electron']['x0'], cfg['evolution']['dt'])\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["160.0", "0.1"]


def test_blocked_qutip_is_really_blocked():
    """The probe above can fail: without the config layer's care, the same
    interpreter refuses a Qobj."""
    proc = _run_without_qutip(
        "import qutip_stt\nqutip_stt.STTModel(Lx=10, N=1).hamiltonian\n")
    assert proc.returncode != 0 and "qutip is blocked" in proc.stderr


def test_the_default_route_runs_with_qutip_blocked(tmp_path):
    """config -> product start -> sectors -> Chebyshev -> reducer -> file,
    with ``import qutip`` failing."""
    out = tmp_path / "run.h5"
    proc = _run_without_qutip(
        "import qutip_stt.config as c, qutip_stt.simulation as s\n"
        "import qutip_stt.io as io\n"
        "cfg = c.apply_overrides(c.preset('paper-noncollinear', resolve=False),"
        " ['chain.length=80', 'local_spins.count=3', 'evolution.t_max=20',"
        " 'evolution.n_times=3', 'electron.x0=30'])\n"
        "r = s.simulate(cfg)\n"
        f"io.write_result({str(out)!r}, r, cfg)\n"
        "assert not [m for m in sys.modules if m.startswith('qutip.')]\n"
        "print(round(float(r.purity_local[-1]), 6))\n")
    assert proc.returncode == 0, proc.stderr
    assert out.exists() and 0 < float(proc.stdout) <= 1
