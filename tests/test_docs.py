"""The documentation builds without warnings, and every docstring example runs.

The Sphinx build (``sphinx-build -W``) needs the ``docs`` extra; it is skipped,
with the reason, only when Sphinx, numpydoc or myst-nb is missing. The build
executes every tutorial notebook (cached by docs/conf.py under docs/_build/,
keyed by the package source) and fails if a cell fails; when it runs in the
same session, nbmake's runs of the same notebooks are skipped
(tests/conftest.py), so each notebook executes once.
"""

import doctest
import importlib
import importlib.util
import inspect
import os
import pkgutil
import re
import subprocess
import sys

import pytest

import qutip_stt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")


def _public_modules():
    # every module of the package, subpackages included (solvers/, io/, ...)
    return [importlib.import_module(m.name)
            for m in pkgutil.walk_packages(qutip_stt.__path__, "qutip_stt.")
            if not any(part.startswith("_") for part in m.name.split("."))]


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
    # common on servers and CI: the tutorials must still draw into the pages
    env["MPLBACKEND"] = "Agg"
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


def tutorial_notebooks():
    """Every notebook in tutorials/ (no fixed list: new ones are included)."""
    return sorted(f for f in os.listdir(os.path.join(ROOT, "tutorials"))
                  if f.endswith(".ipynb"))


def page_images(page):
    """The PNG/GIF figures of a built page: [(src, bytes), ...]."""
    import base64
    import re

    html = _read(page)
    images = []
    for src in re.findall(r'<img [^>]*src="([^"]+)"', html):
        if src.startswith("data:image/"):
            images.append((src[:30], base64.b64decode(src.split(",", 1)[1])))
        else:
            images.append((src, (page.parent / src).read_bytes()))
    return images


def test_every_tutorial_is_rendered_with_its_figures(built_docs):
    notebooks = tutorial_notebooks()
    assert len(notebooks) >= 5
    for nb in notebooks:
        page = built_docs / "tutorials" / (nb[:-len(".ipynb")] + ".html")
        assert page.is_file(), nb
        html = _read(page)
        assert "cell_output" in html, f"{nb}: page shows no executed output"
        images = page_images(page)
        assert images, f"{nb}: page has no figure"
        for src, data in images:
            assert data[:8] == b"\x89PNG\r\n\x1a\n" or data[:4] == b"GIF8", \
                f"{nb}: {src} is not a PNG/GIF"
            assert len(data) > 2000, f"{nb}: {src} is nearly empty"


def _stt_docs():
    spec = importlib.util.spec_from_file_location(
        "stt_docs", os.path.join(DOCS, "_ext", "stt_docs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _App:
    """The parts of a Sphinx application the build-finished hook reads."""

    def __init__(self, outdir, builder="html", mode="cache"):
        self.outdir = str(outdir)
        self.builder = type("Builder", (), {"name": builder})()
        self.config = type("Config", (), {"nb_execution_mode": mode})()


def _pages(folder, without=()):
    (folder / "tutorials").mkdir(parents=True, exist_ok=True)
    for nb in tutorial_notebooks():
        stem = nb[:-len(".ipynb")]
        body = '<div class="cell_output"><img src="x.png"></div>'
        if stem in without:
            body = '<div class="cell_output"><pre>text only</pre></div>'
        (folder / "tutorials" / f"{stem}.html").write_text(body)


def test_a_tutorial_page_without_a_figure_fails_the_build(tmp_path):
    from sphinx.errors import ExtensionError

    pytest.importorskip("sphinx")
    docs = _stt_docs()
    stems = [nb[:-len(".ipynb")] for nb in tutorial_notebooks()]
    _pages(tmp_path)
    docs.check_tutorial_figures(_App(tmp_path), None)      # all drawn: passes
    _pages(tmp_path, without=stems[1:3])
    with pytest.raises(ExtensionError) as info:
        docs.check_tutorial_figures(_App(tmp_path), None)
    assert all(f"{s}.html" in str(info.value) for s in stems[1:3])
    assert f"{stems[0]}.html" not in str(info.value)
    # not checked: another builder, execution off, or a build that failed
    docs.check_tutorial_figures(_App(tmp_path, builder="linkcheck"), None)
    docs.check_tutorial_figures(_App(tmp_path, mode="off"), None)
    docs.check_tutorial_figures(_App(tmp_path), RuntimeError("failed"))


def test_notebook_cache_is_keyed_by_what_changes_outputs(tmp_path,
                                                         monkeypatch):
    docs = _stt_docs()
    monkeypatch.setenv("MPLBACKEND", "Agg")
    agg = docs.source_key()
    assert docs.source_key() == agg                 # deterministic
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline."
                       "backend_inline")
    inline = docs.source_key()
    assert inline != agg
    import matplotlib
    monkeypatch.setattr(matplotlib, "__version__", "0.0.1")
    assert docs.source_key() != inline
    # older keys' folders are removed, the current one is a subfolder
    (tmp_path / "stale").mkdir()
    path = docs.execution_cache_path(str(tmp_path))
    assert os.path.dirname(path) == str(tmp_path)
    assert not (tmp_path / "stale").exists()


def test_math_is_served_locally(built_docs):
    """MathJax comes from _static/ (sphinx-mathjax-offline), not a CDN."""
    import re

    html = _read(built_docs / "theory.html")
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert "_static/mathjax/tex-chtml.js" in scripts, scripts
    assert not [s for s in scripts if "://" in s], scripts
    assert (built_docs / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert (built_docs / "_static" / "mathjax" / "output" / "chtml"
            / "fonts" / "woff-v2" / "MathJax_Main-Regular.woff").is_file()


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


def test_site_renders_offline_in_chromium(built_docs):
    """docs/check_site.py: the theory page and the first tutorial page,
    opened from file:// in headless Chromium with no name resolution, show
    typeset formulas (no raw TeX left) and all their figures. (About 4 s a
    page; ``python docs/check_site.py`` checks every tutorial page.)"""
    sys.path.insert(0, DOCS)
    try:
        import check_site
    finally:
        sys.path.remove(DOCS)
    if check_site.chromium() is None:
        pytest.skip("chromium is not installed (Debian: apt-get install "
                    "chromium; .ci/run installs it)")
    problems = []
    for page, tutorial in check_site.pages(str(built_docs))[:2]:
        found, state = check_site.check_page(page, tutorial)
        problems += found
        if not tutorial:
            assert state["mjx"] > 50, state     # the theory page's formulas
    assert not problems, problems


def _run_all():
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        import run_all
    finally:
        sys.path.remove(os.path.join(ROOT, "benchmarks"))
    return run_all


def test_timings_page_and_readme_table_are_generated():
    """docs/performance.md and the README's timings block are exactly what
    benchmarks/run_all.py makes of benchmarks/results.json."""
    run_all = _run_all()
    data = run_all.load()
    assert _read(run_all.PAGE) == run_all.render_page(data), \
        "docs/performance.md edited by hand: python benchmarks/run_all.py"
    readme = _read(run_all.README)
    assert run_all.replace_block(readme, run_all.render_readme_block(data)) \
        == readme, "README timings block edited: python benchmarks/run_all.py"
    for key in ("simulate", "animate", "reproduce", "reproduce_quick"):
        assert any(r["key"] == key for r in data["commands"]), key


TIMING = re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|min|minutes|seconds)\b"
                    r"|\d\s?[x×]\s+faster|speed-?up of \d|fs/s")


def test_no_timing_is_hard_coded_outside_the_generated_files():
    """Time-dependent numbers live in benchmarks/results.json only: pages
    quote them through the generated files or MyST substitutions."""
    import json

    run_all = _run_all()
    readme = _read(run_all.README)
    start, end = readme.index("<!-- BEGIN timings"), readme.index(run_all.END)
    texts = {"README.md": readme[:start] + readme[end:]}
    for folder, _, files in os.walk(DOCS):
        if os.sep + "_" in folder or os.sep + "generated" in folder:
            continue
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith((".md", ".rst")) and path != run_all.PAGE:
                texts[os.path.relpath(path, ROOT)] = _read(path)
    for name in tutorial_notebooks():
        nb = json.loads(_read(os.path.join(ROOT, "tutorials", name)))
        texts[name] = "\n".join("".join(c["source"]) for c in nb["cells"]
                                if c["cell_type"] == "markdown")
    found = {name: TIMING.findall(text) for name, text in texts.items()}
    found = {k: v for k, v in found.items() if v}
    assert not found, f"hard-coded timings (use benchmarks/run_all.py): {found}"


def test_output_reference_lists_every_dataset(built_docs):
    from qutip_stt.io import DATASETS
    html = _read(built_docs / "guide" / "output.html")
    for name in list(DATASETS) + ["probabilities_labels"]:
        assert f'<span class="pre">{name}</span>' in html, name


def test_readme_links_point_to_existing_files():
    """Every relative link or image of the README names a file of the repository."""
    readme = _read(os.path.join(ROOT, "README.md"))
    targets = re.findall(r"\]\(([^)\s]+)\)", readme)
    assert targets
    missing = [t for t in targets if "://" not in t and not t.startswith("#")
               and not os.path.exists(os.path.join(ROOT, t.split("#")[0]))]
    assert not missing, f"README links to missing files: {missing}"


def test_readme_and_docs_markers_name_no_issue():
    """Section markers and texts say what they hold, not which issue made them."""
    texts = {"README.md": _read(os.path.join(ROOT, "README.md"))}
    for folder, _, files in os.walk(DOCS):
        if os.sep + "_build" in folder or os.sep + "_generated" in folder:
            continue
        for name in files:
            if name.endswith((".md", ".rst", ".py")):
                path = os.path.join(folder, name)
                texts[os.path.relpath(path, ROOT)] = _read(path)
    found = {name: re.findall(r"\bissue\s*#?\s*\d+", text, re.IGNORECASE)
             for name, text in texts.items()}
    found = {k: v for k, v in found.items() if v}
    assert not found, found
