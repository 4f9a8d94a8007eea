"""The reproduction report: ``report.json`` and ``report.md``, from the graded claims."""

import json
import os

import numpy as np

from ..io.paper_files import write_text
from .claims import GRADES

__all__ = ["write_report", "to_json"]


def write_report(out_dir, report, overwrite=False):
    """Write ``report.json`` and ``report.md`` (atomically) from a report dict.

    Parameters
    ----------
    out_dir : str or os.PathLike
        An existing folder.
    report : dict
        The report of :func:`reproduce` (``parameters``, ``claims`` with the
        rows of :func:`evaluate_claims`, versions, ...).
    overwrite : bool, default: False
        Replace files that are not qutip-stt outputs (``--force``).

    Returns
    -------
    None
    """
    write_text(os.path.join(out_dir, "report.json"),
               json.dumps(report, indent=2, ensure_ascii=False,
                          default=_json_default) + "\n",
               overwrite=overwrite)
    write_text(os.path.join(out_dir, "report.md"), _markdown(report),
               overwrite=overwrite)


def _json_default(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _fmt(value):
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return f"{v:.2e}" if v != 0 and abs(v) < 1e-3 else f"{v:.6g}"
    return str(value)


def _markdown(report):
    p = report["parameters"]
    counts = {g: sum(r["verdict"] == g for r in report["claims"])
              for g in GRADES}
    lines = [
        "# Reproduction of Mondal et al., PRB 99, 094431 (2019)",
        "",
        f"qutip-stt {report['package_version']}, QuTiP "
        f"{report['qutip_version']}, {report['created']}"
        + (" — **quick run (smaller chain), not the paper's sizes**"
           if report["quick"] else ""),
        "",
        f"Parameters: Lx = {p['Lx']}, N = 5 (spin-1/2) and N = 1 (spin-5/2), "
        f"gamma = {p['gamma']} eV, J_sd = {p['J_sd']} eV, J = {p['J']} eV, "
        f"Jz = {p['Jz']} eV; packet k = {p['k']}, dk = {p['dk']}, "
        f"x0 = {p['x0']:g} ({p['first_site'] - p['x0']:g} sites before the "
        f"first local spin, on site {p['first_site']}); "
        f"t = 0..{p['t_max']:g} fs. Wall time {report['timings_s']['total']:.1f}"
        f" s.",
        "",
        f"**Of {len(report['claims'])} statements, "
        + ", ".join(f"{n} {g}" for g, n in counts.items()) + ".** "
        "Grades: *agrees* (within the paper's precision, or an exact "
        "identity to 1e-8), *agrees qualitatively* (the statement holds; the "
        "row says by how much), *differs*; each row's test is in "
        "report.json (`threshold`).",
        "",
        "| # | figure | paper's statement | paper | ours | verdict | why |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(report["claims"], 1):
        cells = [str(i), r["figure"], r["claim"], _fmt(r["paper"]),
                 _fmt(r["ours"]), f"**{r['verdict']}**", r["why"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|")
                                       for c in cells) + " |")
    lines += ["", "## Levels (eV)", "",
              "XXZ chain alone, lowest six: "
              + ", ".join(f"{e:.6f}" for e in report["xxz_lowest_levels_eV"]),
              "",
              "Full H, lowest seven: "
              + ", ".join(f"{e:.6f}" for e in report["full_lowest_levels_eV"]),
              "", "## Final values of the four runs", "",
              "| case | figure | final purity of local spins | final "
              "<S_1> (hbar/2) | final <s_e> |", "|---|---|---|---|---|"]
    for name, c in report["cases"].items():
        lines.append(f"| {name} | {c['figure']} | {c['final_purity_local']:.6f}"
                     f" | {_fmt(c['final_local_spin_1'])} | "
                     f"{_fmt(c['final_electron_spin'])} |")
    lines += ["", "## Files", "",
              "Every figure is drawn from the HDF5 file of the same name "
              "(`qutip_stt.paper.make_figures(DIR)` redraws them).", ""]
    lines += [f"- `{f}`" for f in report["files"]]
    return "\n".join(lines) + "\n"


def to_json(report):
    """The report as plain JSON types (what ``report.json`` holds).

    Parameters
    ----------
    report : dict

    Returns
    -------
    dict
    """
    return json.loads(json.dumps(report, default=_json_default))
