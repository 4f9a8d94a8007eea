"""Shared fixtures: reduced-size versions of the paper's cases (fast), and
the command line run in-process."""

import numpy as np
import pytest

import qutip_stt as stt
from qutip_stt.cli import main


@pytest.fixture
def run_cli(tmp_path, monkeypatch, capsys):
    """Run ``qutip-stt`` in-process in ``tmp_path``: ``run(args)`` returns
    ``(status, stderr lines)`` (argparse's own usage errors included)."""
    monkeypatch.chdir(tmp_path)

    def run(args):
        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code
        return code, capsys.readouterr().err.strip().splitlines()
    return run


@pytest.fixture(scope="session")
def small_model():
    """Lx = 120, N = 3 spin-1/2: the paper's physics on a fast size."""
    return stt.STTModel(Lx=120, N=3)


@pytest.fixture(scope="session")
def small_times():
    return np.linspace(0.0, 60.0, 13)


def _run(model, times, electron):
    # Crank-Nicolson without the energy shift applies one fixed linear map
    # to every initial state, so identities between runs hold to round-off.
    psi0 = stt.initial_state(model, x0=45, electron=electron)
    return stt.evolve(model, psi0, times, "crank-nicolson", dt=0.1,
                      options={"energy_shift": False}, store_states=True)


@pytest.fixture(scope="session")
def collinear_small(small_model, small_times):
    return _run(small_model, small_times, "-z")


@pytest.fixture(scope="session")
def noncollinear_small(small_model, small_times):
    return _run(small_model, small_times, "+x")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Execute each tutorial notebook once per session, not twice.

    tests/test_docs.py builds the docs, which executes every notebook in
    tutorials/ and fails on any failing cell (their "Testing" asserts
    included). When that build is part of this session and can run (the
    docs extra is installed), nbmake's runs of the same notebooks are
    skipped. ``pytest tutorials/`` alone, or a machine without the docs
    extra, still runs them through nbmake.
    """
    import importlib.util

    docs_build = any(item.name == "test_every_tutorial_is_rendered_with_"
                     "its_figures" for item in items)
    if not docs_build or not all(importlib.util.find_spec(name) for name in
                                 ("sphinx", "numpydoc", "myst_nb")):
        return
    skip = pytest.mark.skip(reason="executed by the docs build "
                            "(tests/test_docs.py, cached by source hash)")
    for item in items:
        if type(item).__name__ == "NotebookItem":
            item.add_marker(skip)
