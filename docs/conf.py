"""Sphinx configuration of the qutip-stt documentation.

Build: ``python -m sphinx -W -b html docs docs/_build/html`` (needs the
``docs`` extra). Nothing here needs the network: intersphinx is used only
when ``QUTIP_STT_DOCS_INTERSPHINX=1`` is set, MathJax is a local copy, and
the tutorial notebooks are executed with a cache (see below).
Pages generated at build time (CLI and config reference, copied tutorials,
API stubs) are written by ``_ext/stt_docs.py`` and are not in git.
"""

import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
# Document the source tree next to this file, not some other installed copy.
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "_ext"))

import qutip_stt  # noqa: E402

project = "qutip-stt"
author = "qutip-stt developers"
copyright = "2026, qutip-stt developers"
release = qutip_stt.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "stt_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb",
                 ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "**.ipynb_checkpoints", "README.md"]
templates_path = ["_templates"]

# -- API reference -------------------------------------------------------------
import sphinx.ext.autosummary as _autosummary  # noqa: E402

# Summaries are cut at the first ". "; physics docstrings say "Eq. (5)" and
# "Figs. 3-6".
_autosummary.WELL_KNOWN_ABBREVIATIONS = tuple(
    _autosummary.WELL_KNOWN_ABBREVIATIONS) + ("Eq.", "Eqs.", "Fig.", "Figs.")
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# numpydoc also reads the docstrings of QuTiP base classes (CrankNicolson
# subclasses qutip's Integrator), which use sections it does not know.
warnings.filterwarnings("ignore", message=r"Unknown section .* in .*qutip[/\\]solver",
                        category=UserWarning)

# -- MyST / notebooks ----------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist",
                          "substitution"]
myst_heading_anchors = 3
# The tutorials are stored without outputs; the build executes them (every
# notebook in tutorials/, copied by _ext/stt_docs.py) so that their pages show
# the figures. A cell that fails (the "Testing" asserts included) fails the
# build. Executions are cached with jupyter-cache under docs/_build/, keyed by
# the notebook's code *and* by a hash of the package source (stt_docs.
# source_key), so a rebuild after an unrelated docs edit executes nothing,
# while any change to qutip_stt/ executes every notebook again.
# QUTIP_STT_DOCS_EXECUTE=0 renders them as stored (no outputs, fast);
# QUTIP_STT_DOCS_EXECUTE=force executes them ignoring the cache.
import stt_docs  # noqa: E402

# the kernels inherit this process's environment: they draw into the pages
# whatever backend the environment names
os.environ["MPLBACKEND"] = stt_docs.NOTEBOOK_BACKEND
_execute = os.environ.get("QUTIP_STT_DOCS_EXECUTE", "cache")
nb_execution_mode = {"0": "off", "off": "off", "force": "force"}.get(
    _execute, "cache")
nb_execution_cache_path = stt_docs.execution_cache_path(
    os.path.join(HERE, "_build", ".jupyter_cache"))
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_in_temp = True       # files a notebook writes go to a temp dir

# Timings come from ONE place, benchmarks/results.json, written by
# benchmarks/run_all.py (which also writes docs/performance.md and the README's
# table): pages quote them as {{ t_simulate }}, {{ speedup_collinear }}, ...
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "benchmarks"))
import run_all  # noqa: E402

sys.path.remove(os.path.join(os.path.dirname(HERE), "benchmarks"))
myst_substitutions = run_all.substitutions(run_all.load())

# Math is rendered in the browser by the MathJax copy of the
# sphinx-mathjax-offline package (docs extra), copied to _static/mathjax/:
# no CDN, the site shows formulas offline. docs/check_site.py verifies it.
extensions.append("sphinx-mathjax-offline")

# -- cross-references to QuTiP, NumPy, ... (network: opt in) -----------------
if os.environ.get("QUTIP_STT_DOCS_INTERSPHINX") == "1":
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "qutip": ("https://qutip.readthedocs.io/en/stable", None),
    }

# -- HTML -----------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"qutip-stt {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "description": "Quantum spin-transfer torque in QuTiP",
    "fixed_sidebar": True,
    "page_width": "1100px",
    "sidebar_width": "240px",
}
html_sidebars = {"**": ["about.html", "navigation.html", "searchbox.html"]}

# Every cross-reference to qutip-stt itself must resolve (-W makes a broken
# one an error); references to Python, NumPy, QuTiP, ... need intersphinx and
# are not checked offline.
nitpicky = True
nitpick_ignore_regex = [(r"py:.*", r"(?!qutip_stt\b).*")]
