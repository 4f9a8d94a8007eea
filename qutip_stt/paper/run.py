"""``qutip-stt reproduce``: compute, write, draw and grade, in that order."""

import os
import time

import numpy as np

from ..model import spectrum
from ..config import apply_overrides
from ..errors import ConfigError
from ..io import check_output_path, provenance, write_result
from ..io.paper_files import write_density, write_spectrum
from .._util.progress import make_bar
from ..simulation import build
from .figures import make_figures
from .cases import BAND_LEVELS, CASES, PAPER_VALUES, case_config
from .claims import evaluate_claims
from .compute import (compute_spectrum, echo_effect, packet_energy,
                      packet_width_for, run_case, run_parallel)
from .report import to_json, write_report

__all__ = ["reproduce", "output_files"]


def _nan(value):
    return np.nan if value is None else float(value)


def output_files(out_dir, quick=False):
    """Every file :func:`reproduce` writes into ``out_dir``, data first.

    Parameters
    ----------
    out_dir : str or os.PathLike
    quick : bool, default: False

    Returns
    -------
    list of str
        The HDF5 files, the PNG and PDF figures (a case of several local
        spins also gets ``STEM_local_spins``), ``report.json`` and
        ``report.md``.

    Examples
    --------
    >>> len(output_files("paper-figures"))
    24
    """
    stems = ["fig2_spectrum", *CASES, "fig7_density"]
    figures = ["fig2_spectrum"]
    for stem, (name, _) in CASES.items():
        figures.append(stem)
        if case_config(name, quick)["local_spins"]["count"] > 1:
            figures.append(f"{stem}_local_spins")
    figures.append("fig7_density")
    names = ([f"{s}.h5" for s in stems]
             + [f"{s}.{fmt}" for s in figures for fmt in ("png", "pdf")]
             + ["report.json", "report.md"])
    return [os.path.join(os.fspath(out_dir), n) for n in names]


def reproduce(out_dir, quick=False, progress_bar=None, long_chain=False,
              overwrite=False):
    """Recompute Figs. 2-6 and Fig. 7, write data, figures and the report.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Folder for the output (created if missing; its parent must exist).
    quick : bool, default: False
        Run on a chain of :data:`QUICK_LENGTH` sites to :data:`QUICK_T_MAX`
        fs instead of the paper's 400 sites and 500 fs.
    progress_bar : str, optional
        A QuTiP progress bar name (``"tqdm"``, ``"text"``, ...); each stage
        (spectrum, run k of 4 and its echo-free rerun, the parallel start,
        figures) gets its own bar, named in every line of ``"text"``
        (:mod:`qutip_stt._util.progress`).
    long_chain : bool, default: False
        Run Figs. 3-6 on a chain padded on both sides until the packet meets
        no end before ``t_max``
        (:func:`~qutip_stt.paper.compute.echo_free_config`): the figures show
        no chain-end echo and nothing is rerun. The spectrum (Fig. 2) keeps
        the paper's chain.
    overwrite : bool, default: False
        Replace files in ``out_dir`` that are not qutip-stt outputs
        (``--force``). Every file of :func:`output_files` is checked before
        anything is computed.

    Returns
    -------
    dict
        The content of ``report.json``.

    Examples
    --------
    >>> report = reproduce("paper-figures", quick=True)   # doctest: +SKIP
    >>> report["full_lowest_levels_eV"][0]                 # doctest: +SKIP
    -2.43778...
    """
    from qutip.ui.progressbar import progress_bars

    if progress_bar not in progress_bars:
        raise ConfigError("progress_bar", "expected one of "
                          + ", ".join(repr(k) for k in progress_bars
                                      if isinstance(k, str))
                          + f", got {progress_bar!r}")
    out_dir = _check_out_dir(out_dir, quick, overwrite)
    start = time.perf_counter()
    timings = {}

    # Fig. 2 and Eq. (4)
    tic = time.perf_counter()
    bar = make_bar(progress_bar, 6, "spectrum and packet (Fig. 2, Eq. 4)")
    config = case_config("paper-collinear", quick)
    model, psi0, _ = build(config)
    spec = compute_spectrum(model, BAND_LEVELS // 2 if quick else BAND_LEVELS,
                            progress=bar.update)
    write_spectrum(os.path.join(out_dir, "fig2_spectrum.h5"), spec, model,
                   overwrite=overwrite)
    levels = np.asarray(spectrum.xxz_levels(model, k=6))
    E, dE = packet_energy(model, psi0)
    bar.update()
    dk_e = packet_width_for(config, PAPER_VALUES["wave_packet_energy_eV"],
                            "energy")
    bar.update()
    dk_s = packet_width_for(config, PAPER_VALUES["wave_packet_spread_eV"],
                            "spread")
    at_dk_s = packet_energy(model, build(apply_overrides(
        config, [f"electron.dk={dk_s!r}"]))[1]) if dk_s else (None, None)
    numbers = {
        "xxz_lowest_levels_eV": levels.tolist(),
        "full_lowest_levels_eV": spec["full_energies"][:7].tolist(),
        "xxz_levels_all_eV": spec["xxz_energies"].tolist(),
        "full_levels_all_eV": spec["full_energies"].tolist(),
        "full_ground_bloch": spec["full_bloch"],
        "E0_eV": float(spec["full_energies"][0]),
        "xxz_multiplet_splitting_eV": float(levels[-1] - levels[0]),
        "full_multiplet_splitting_eV": float(spec["full_energies"][6]
                                             - spec["full_energies"][0]),
        "wave_packet_energy_eV": E, "wave_packet_spread_eV": dE,
        "dk_for_paper_energy": dk_e, "dk_for_paper_spread": dk_s,
        "energy_at_dk_for_spread_eV": at_dk_s[0],
    }
    timings["spectrum_and_packet"] = time.perf_counter() - tic
    bar.update()
    bar.finished()

    # Figs. 3-6 (and the data of Fig. 7)
    cases, summary = {}, {}
    for i, (stem, (name, _)) in enumerate(CASES.items(), 1):
        tic = time.perf_counter()
        stage = f"run {i} of {len(CASES)} ({stem})"
        result, extra = run_case(name, quick, long_chain=long_chain,
                                 progress_bar=progress_bar,
                                 progress_stage=stage)
        extra["echo"] = echo_effect(
            extra["config"], extra["t_edge"], result,
            progress_bar=progress_bar,
            progress_stage=f"{stage}: echo-free rerun")
        echo = extra["echo"] or {}
        write_result(os.path.join(out_dir, f"{stem}.h5"), result,
                     extra["config"], overwrite=overwrite, attrs={
                         "figure": stem,
                         "purity_check_index": extra["purity_check_index"],
                         "purity_electron_ptrace":
                             extra["purity_electron_ptrace"],
                         "t_edge_fs": _nan(extra["t_edge"]),
                         "t_echo_fs": _nan(extra["t_echo"]),
                         **{f"echo_free_{k}": echo[k] for k in (
                             "length", "local_spin_1", "purity_local",
                             "purity_orbital") if k in echo}})
        if "density_up" in extra:
            write_density(os.path.join(out_dir, "fig7_density.h5"),
                           result.times, extra["density_up"],
                           extra["density_down"], result.model.sites,
                           extra["t_edge"], extra["t_echo"],
                           overwrite=overwrite)
        data = {k: getattr(result, k) for k in (
            "times", "electron_spin", "local_spin", "purity_local",
            "purity_orbital", "probabilities", "total_sz", "density")}
        data.update(labels=list(result.labels), **{
            k: extra[k] for k in ("config", "t_edge", "t_echo",
                                  "purity_check_index",
                                  "purity_electron_ptrace", "echo")})
        cases[name] = data
        summary[name] = {
            "figure": stem.split("_")[0],
            "final_purity_local": float(result.purity_local[-1]),
            "final_purity_orbital": float(result.purity_orbital[-1]),
            "final_local_spin_1": result.local_spin[-1, 0].tolist(),
            "final_electron_spin": result.electron_spin[-1].tolist(),
            "norm_drift": float(np.max(np.abs(result.norm - 1))),
            "energy_drift_eV": float(np.max(np.abs(result.energy
                                                   - result.energy[0]))),
            "evolution_wall_s": float(result.wall_time),
            "echo_free_length": echo.get("length"),
        }
        timings[name] = time.perf_counter() - tic

    tic = time.perf_counter()
    numbers["parallel"] = run_parallel(
        quick, progress_bar=progress_bar,
        progress_stage="parallel start (Appendix): no torque")
    timings["macrospin-parallel"] = time.perf_counter() - tic

    tic = time.perf_counter()
    bar = make_bar(progress_bar, 2 + len(CASES), "figures")
    files = make_figures(out_dir, progress=bar.update, overwrite=overwrite)
    bar.finished()
    timings["figures"] = time.perf_counter() - tic

    claims = evaluate_claims(numbers, cases)
    timings["total"] = time.perf_counter() - start
    el = config["electron"]
    report = {
        "quick": bool(quick), "long_chain": bool(long_chain),
        **{k: v for k, v in provenance().items() if k != "package"},
        "parameters": {**{k: v for k, v in model.parameters().items()
                          if k != "first_site"},
                       "first_site": model.first_site, "k": el["k"],
                       "dk": el["dk"], "x0": el["x0"],
                       "t_max": config["evolution"]["t_max"],
                       "n_times": config["evolution"]["n_times"]},
        **{k: v for k, v in numbers.items() if k != "full_ground_bloch"},
        "paper": PAPER_VALUES,
        "cases": summary, "claims": claims, "timings_s": timings,
        "files": sorted(os.path.basename(f) for f in files)
        + sorted(f"{s}.h5" for s in CASES)
        + ["fig2_spectrum.h5", "fig7_density.h5", "report.json", "report.md"],
    }
    write_report(out_dir, report, overwrite=overwrite)
    return to_json(report)


def _check_out_dir(out_dir, quick, overwrite):
    out_dir = os.fspath(out_dir)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise ConfigError("--out", f"{out_dir} exists and is not a folder")
    parent = os.path.dirname(os.path.abspath(out_dir))
    if not os.path.isdir(parent):
        raise ConfigError("--out", f"folder {parent} does not exist")
    created = not os.path.isdir(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    try:
        for path in output_files(out_dir, quick):
            check_output_path(path, overwrite=overwrite)
    except ConfigError:
        if created:
            os.rmdir(out_dir)
        raise
    return out_dir
