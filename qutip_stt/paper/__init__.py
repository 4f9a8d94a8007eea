r"""Reproduce Mondal *et al.*, PRB 99, 094431 (2019), figure by figure, with a report.

:func:`reproduce` (``qutip-stt reproduce --out DIR``) recomputes, on the
paper's parameters, everything behind Figs. 2-6 and one extra figure, saves
the data of each figure next to it as HDF5, draws every figure from those
files (:mod:`qutip_stt.paper.figures`), and checks every quantitative statement of
the paper in ``DIR/report.md`` and ``DIR/report.json``.

What is computed
----------------
Fig. 2
    (a) all levels of the isolated XXZ chain, sector by sector in the local
    total ``S^z``; (b) the lowest levels of the full Hamiltonian, block by
    block in total ``S^z`` (:func:`qutip_stt.model.spectrum.ground_states`; the
    25,600 x 25,600 matrix is never diagonalized densely); (c) the Bloch
    vectors of every spin in each state of the two ground multiplets.
Figs. 3-6
    The four presets of :data:`qutip_stt.config.PRESETS` run with
    :func:`qutip_stt.simulate` (exact Chebyshev propagation per sector).
Fig. 7 (not in the paper)
    The electron density on the chain vs time, resolved by electron spin,
    for the collinear case, with the local spins and the times at which the
    packet reaches the chain ends and its echo the local spins.

The package is one module per step: :mod:`~qutip_stt.paper.cases` (what
runs, what the paper quotes), :mod:`~qutip_stt.paper.compute` (the numbers),
:mod:`~qutip_stt.paper.claims` (every statement declared as measure -> test
-> explanation, graded "agrees", "agrees qualitatively" or "differs"),
:mod:`~qutip_stt.paper.report` (Markdown and JSON) and
:mod:`~qutip_stt.paper.run` (:func:`reproduce`, the order of it all); the
files are :mod:`qutip_stt.io.paper_files`, the figures
:mod:`qutip_stt.paper.figures`.

``quick=True`` runs the same on a chain of :data:`QUICK_LENGTH` sites to
:data:`QUICK_T_MAX` fs (same N, S and couplings) for smoke tests.
"""

import importlib

#: Public name -> module of this package.
_API = {
    "reproduce": "run", "output_files": "run",
    "CASES": "cases", "PAPER_VALUES": "cases", "REPORT_KEYS": "cases",
    "QUICK_LENGTH": "cases", "QUICK_T_MAX": "cases", "QUICK_N_TIMES": "cases",
    "BAND_LEVELS": "cases", "EXACT_TOL": "cases", "case_config": "cases",
    "compute_spectrum": "compute", "packet_energy": "compute",
    "packet_width_for": "compute", "spin_resolved_density": "compute",
    "echo_effect": "compute",
    "CLAIMS": "claims", "GRADES": "claims", "evaluate_claims": "claims",
    "write_report": "report",
}

__all__ = list(_API) + ["make_figures"]


def __getattr__(name):
    if name == "make_figures":
        from .figures import make_figures as value
    elif name in _API:
        value = getattr(importlib.import_module(f"{__name__}.{_API[name]}"),
                        name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
