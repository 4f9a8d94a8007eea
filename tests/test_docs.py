"""The documentation builds without warnings, and every docstring example runs.

The Sphinx build (``sphinx-build -W``) needs the ``docs`` extra; it is skipped,
with the reason, only when Sphinx, numpydoc or myst-nb is missing. The
tutorial notebooks themselves are executed by nbmake (``--nbmake`` in
setup.cfg), not here.
"""

import doctest
import importlib
import inspect
import os
import pkgutil
import subprocess
import sys

import pytest

import qutip_stt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")


def _public_modules():
    return [importlib.import_module(f"qutip_stt.{m.name}")
            for m in pkgutil.iter_modules(qutip_stt.__path__)
            if not m.name.startswith("_")]


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory):
    for name in ("sphinx", "numpydoc", "myst_nb"):
        pytest.importorskip(name, reason=f"{name} is not installed; "
                            "pip install -e '.[docs]' to build the docs")
    out = tmp_path_factory.mktemp("docs")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    env.pop("QUTIP_STT_DOCS_EXECUTE", None)
    env.pop("QUTIP_STT_DOCS_INTERSPHINX", None)
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q",
         "-b", "html", "-d", str(out / "doctrees"), DOCS, str(out / "html")],
        env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (
        f"sphinx-build -W failed:\n{proc.stderr[-6000:]}")
    return out / "html"


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_docs_build_without_warnings(built_docs):
    for page in ("index", "install", "theory", "guide/cli", "guide/config",
                 "guide/output", "guide/methods", "tutorials/index",
                 "api/index"):
        assert (built_docs / f"{page}.html").is_file(), page


def test_cli_reference_lists_every_subcommand(built_docs):
    from qutip_stt.cli import make_parser
    html = _read(built_docs / "guide" / "cli.html")
    parser = make_parser()
    sub = next(a for a in parser._actions if hasattr(a, "choices")
               and isinstance(a.choices, dict))
    for name in sub.choices:
        assert f"qutip-stt {name} --help" in html, name


def test_config_reference_lists_every_key(built_docs):
    from qutip_stt.config import DEFAULTS
    html = _read(built_docs / "guide" / "config.html")
    for table, keys in DEFAULTS.items():
        for key in keys:
            assert f"{table}.{key}" in html, f"{table}.{key}"


def test_api_reference_covers_every_module(built_docs):
    for module in _public_modules():
        page = built_docs / "api" / "generated" / f"{module.__name__}.html"
        assert page.is_file(), module.__name__
        html = _read(page)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            # each name is documented where it is defined (subpackages
            # re-export the names of their modules)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and \
                    obj.__module__ == module.__name__:
                assert f'id="{module.__name__}.{name}"' in html, \
                    f"{module.__name__}.{name} missing from the API page"


def test_every_tutorial_is_rendered(built_docs):
    notebooks = sorted(f for f in os.listdir(os.path.join(ROOT, "tutorials"))
                       if f.endswith(".ipynb"))
    assert len(notebooks) >= 4
    for nb in notebooks:
        page = built_docs / "tutorials" / (nb[:-len(".ipynb")] + ".html")
        assert page.is_file(), nb


def test_tutorials_are_stored_without_outputs():
    import json
    folder = os.path.join(ROOT, "tutorials")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ipynb"):
            continue
        nb = json.loads(_read(os.path.join(folder, name)))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs"), f"{name} has stored outputs"
        sources = ["".join(c["source"]) for c in nb["cells"]]
        assert any("qutip.about()" in s for s in sources), name
        assert any(s.strip().startswith("## Testing") for s in sources), name


@pytest.mark.parametrize("module", _public_modules(),
                         ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, module.__name__,
                            globs=dict(vars(module))):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} failing example(s)"


@pytest.mark.parametrize("module", _public_modules(),
                         ids=lambda m: m.__name__)
def test_public_names_have_docstrings(module):
    missing = [name for name in getattr(module, "__all__", [])
               if (inspect.isfunction(getattr(module, name))
                   or inspect.isclass(getattr(module, name)))
               and not inspect.getdoc(getattr(module, name))]
    assert not missing, f"undocumented: {missing}"


def test_output_reference_lists_every_dataset(built_docs):
    from qutip_stt.io import DATASETS
    html = _read(built_docs / "guide" / "output.html")
    for name in list(DATASETS) + ["probabilities_labels"]:
        assert f'<span class="pre">{name}</span>' in html, name
