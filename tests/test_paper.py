"""``qutip-stt reproduce``: the quick reproduction, its report and its figures."""

import contextlib
import io
import json
import os
import subprocess
import sys

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
import pytest

import qutip_stt as stt
from qutip_stt import paper as reproduce
from qutip_stt.model import spectrum
from qutip_stt.viz import plotting
from qutip_stt.viz.probabilities import configuration_color
from qutip_stt.viz.style import save_figure
from qutip_stt.viz.spectrum_figures import plot_spectrum_figure
from qutip_stt.io import read_result

matplotlib.use("Agg")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: Rows whose statement is an exact identity of the model: they must agree
#: on any chain length.
IDENTITIES = [
    "collinear_no_rotation", "total_sz_conserved", "macrospin_a2_b2",
    "noncollinear_half_paper", "noncollinear_half_macrospin",
    "equal_purities_paper-collinear", "equal_purities_paper-noncollinear",
    "equal_purities_macrospin-collinear",
    "equal_purities_macrospin-noncollinear", "ground_state_parallel",
]


#: What the quick run printed with ``progress_bar="text"``.
PRINTED = {}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("repro") / "paper"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        report = reproduce.reproduce(out, quick=True, progress_bar="text")
    PRINTED["text"] = printed.getvalue()
    return out, report


def test_text_progress_names_every_stage(quick_run):
    """Every line of ``--progress text`` says which stage it measures."""
    lines = [ln for ln in PRINTED["text"].splitlines() if ln.strip()]
    stages = ["spectrum and packet", "figures",
              "parallel start (Appendix)"] + [
        f"run {i} of 4 ({stem})" for i, stem in enumerate(reproduce.CASES, 1)]
    for stage in stages:
        assert any(ln.startswith(stage) for ln in lines), stage
    assert any("echo-free rerun" in ln for ln in lines)
    for ln in lines:
        assert any(ln.startswith(s) for s in stages), ln
        assert "%" in ln or "done in" in ln, ln


def _claims(report):
    return {row["key"]: row for row in report["claims"]}


def test_report_keys_and_shapes(quick_run):
    out, report = quick_run
    on_disk = json.loads((out / "report.json").read_text())
    assert on_disk == report
    for key in reproduce.REPORT_KEYS:
        assert key in report, key
    assert len(report["xxz_lowest_levels_eV"]) == 6
    assert len(report["full_lowest_levels_eV"]) == 7
    assert report["quick"] is True
    assert set(report["cases"]) == set(stt.PRESETS)
    for case in report["cases"].values():
        assert 0 < case["final_purity_local"] < 1
        assert len(case["final_local_spin_1"]) == 3
    for row in report["claims"]:
        assert set(row) == {"key", "figure", "claim", "paper", "ours",
                            "verdict", "why", "threshold"}
        assert row["verdict"] in reproduce.GRADES
        assert row["why"] and row["threshold"]


def test_report_numbers(quick_run):
    _, report = quick_run
    # Known facts (docs/theory.md); the bound ground multiplet hardly
    # depends on the chain length.
    np.testing.assert_allclose(
        report["xxz_lowest_levels_eV"],
        [-0.402, -0.402, -0.400401, -0.400401, -0.399603, -0.399603],
        atol=1e-6)
    np.testing.assert_allclose(
        report["full_lowest_levels_eV"],
        [-2.437783, -2.437783, -2.436454, -2.436454, -2.435653, -2.435653,
         -2.435385], atol=2e-5)
    assert report["wave_packet_energy_eV"] == pytest.approx(-2.382, abs=1e-3)
    assert report["wave_packet_spread_eV"] == pytest.approx(0.0244, abs=5e-4)
    assert 0.3 < report["dk_for_paper_energy"] < 0.4
    assert 0.3 < report["dk_for_paper_spread"] < 0.4
    assert report["xxz_multiplet_splitting_eV"] == pytest.approx(0.0024,
                                                                 abs=1e-4)
    col = report["cases"]["paper-collinear"]
    assert col["final_local_spin_1"][:2] == [0.0, 0.0]
    assert 0.8 < col["final_local_spin_1"][2] < 1.0
    nc = report["cases"]["paper-noncollinear"]["final_local_spin_1"]
    assert abs(nc[0]) > 1e-3 and abs(nc[1]) > 1e-3
    ms = report["cases"]["macrospin-collinear"]["final_local_spin_1"]
    assert 4 < ms[2] < 5


def test_report_verdicts(quick_run):
    _, report = quick_run
    claims = _claims(report)
    for key in IDENTITIES:
        assert claims[key]["verdict"] == "agrees", claims[key]
    assert claims["E0"]["verdict"] == "agrees", claims["E0"]
    # qualitative statements that hold, with the amount in the text
    for key in ("xxz_degeneracy", "full_degeneracy",
                "initial_state_dominant", "collinear_shrinking",
                "electron_decoherence", "noncollinear_rotation",
                "macrospin_collinear", "macrospin_noncollinear"):
        assert claims[key]["verdict"] == "agrees qualitatively", claims[key]
    assert "meV" in claims["full_degeneracy"]["why"]
    # What the paper gets wrong, or leaves out, must show.
    for key in ("wave_packet_energy", "wave_packet_spread",
                "orbital_uncorrelated", "spins_2_to_5_alike"):
        assert claims[key]["verdict"] == "differs", claims[key]
    # the quick chain has an echo; its size is measured on an echo-free chain
    echo = claims["no_reflection"]
    assert echo["verdict"] in ("agrees qualitatively", "differs")
    assert "Rerun on Lx = " in echo["why"]
    assert 0 < echo["ours"]["max_spin_change"] < 1
    assert claims["orbital_uncorrelated"]["ours"]["macrospin-collinear"] < 0.95
    assert claims["collinear_no_rotation"]["ours"] < 1e-10
    assert claims["macrospin_a2_b2"]["ours"] < 1e-8


def test_files_written(quick_run):
    out, report = quick_run
    stems = ["fig2_spectrum", "fig7_density"] + list(reproduce.CASES)
    for stem in stems:
        for ext in ("png", "pdf", "h5"):
            path = out / f"{stem}.{ext}"
            assert path.stat().st_size > 1000, path
    assert (out / "fig3_collinear_local_spins.png").exists()
    for name in report["files"]:
        assert (out / name).exists(), name
    assert not [p for p in os.listdir(out) if p.startswith(".tmp-")]
    # what reproduce checks before it computes is what it writes
    assert sorted(os.listdir(out)) == sorted(
        os.path.basename(p) for p in reproduce.output_files(out, quick=True))
    data = read_result(out / "fig3_collinear.h5")
    assert data["config"]["chain"]["length"] == reproduce.QUICK_LENGTH
    assert data["attrs"]["figure"] == "fig3_collinear"
    md = (out / "report.md").read_text()
    assert sum(md.count(f"**{g}**") for g in reproduce.GRADES) \
        == len(report["claims"])


def test_figures_redraw_from_files(quick_run, tmp_path):
    out, _ = quick_run
    data = read_result(out / "fig4_noncollinear.h5")
    fig = plotting.plot_case(data, spin=5)
    assert len(fig.axes) in (4, 5)     # + the linear strip of a log (d)
    written = save_figure(fig, tmp_path / "again", formats=("png",))
    assert os.path.getsize(written[0]) > 1000


def _time_axes(fig):
    return [ax for ax in fig.axes if ax.get_xlabel() == "t (fs)"
            or ax.get_ylabel() == "linear"]


def test_case_figure_shades_echo_overlays_rerun_legends_outside(quick_run):
    out, _ = quick_run
    data = read_result(out / "fig3_collinear.h5")
    t_echo = float(data["attrs"]["t_echo_fs"])
    assert t_echo < data["times"][-1]          # the quick run has an echo
    for fig in (plotting.plot_case(data), plotting.plot_local_spins(data)):
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        axes = _time_axes(fig)
        assert len(axes) >= 4
        for ax in axes:
            spans = [p for p in ax.patches if p.get_gid() == "echo"]
            assert len(spans) == 1, ax.get_title()
            x0 = spans[0].get_extents().x0
            assert x0 == pytest.approx(ax.transData.transform(
                (t_echo, 0))[0], abs=1.0)
        for ax in fig.axes:
            leg = ax.get_legend()
            if leg is not None:     # right of its panel, off the curves
                assert leg.get_window_extent(renderer).x0 >= \
                    ax.get_window_extent(renderer).x1 - 1
        assert "Shaded: t > " in fig._supxlabel.get_text()
        assert "600 sites (no echo)" in fig._supxlabel.get_text()
    fig = plotting.plot_case(data)
    ax_b = next(ax for ax in fig.axes if ax.get_title(loc="left").startswith("(b)"))
    ax_c = next(ax for ax in fig.axes if ax.get_title(loc="left").startswith("(c)"))
    for ax in (ax_b, ax_c):        # the echo-free rerun, dashed
        assert any(ln.get_linestyle() == "--" and len(ln.get_xdata())
                   for ln in ax.lines)
    # s^x and s^y are told apart by the line style, not only the colour
    styles = {ln.get_label(): ln.get_linestyle() for ln in ax_c.lines}
    assert styles["$S_1^x$"] != styles["$S_1^y$"]
    # a log (d) gets a linear strip of the dominant configuration
    strip = [ax for ax in fig.axes if ax.get_ylabel() == "linear"]
    assert len(strip) == 1 and strip[0].get_yscale() == "linear"
    dominant = np.asarray(data["probabilities"]).max(axis=0).argmax()
    low = np.asarray(data["probabilities"])[:, dominant].min()   # the dip
    lo, hi = strip[0].get_ylim()
    assert lo < low and hi - lo < 2 * (1 - low)     # fitted, not 0..1


def test_case_figure_without_echo_has_no_shading(quick_run):
    out, _ = quick_run
    data = read_result(out / "fig5_macrospin_collinear.h5")
    data["attrs"] = {k: v for k, v in data["attrs"].items()
                     if not k.startswith("echo_free")}
    data["attrs"]["t_echo_fs"] = float("nan")
    fig = plotting.plot_case(data)
    assert not any(p.get_gid() == "echo" for ax in fig.axes
                   for p in ax.patches)
    assert fig._supxlabel.get_text().startswith("No chain-end echo")


def test_spectrum_figure_labels(quick_run):
    out, _ = quick_run
    from qutip_stt.io.paper_files import read_paper_file
    spec = read_paper_file(out / "fig2_spectrum.h5")
    fig = plot_spectrum_figure(
        spec["xxz_energies"], spec["xxz_sectors"], spec["full_energies"],
        spec["full_sectors"], spec["xxz_bloch"], spec["full_bloch"],
        spec["xxz_ground_sectors"], spec["full_ground_sectors"],
        xxz_ground_energies=spec["xxz_ground_energies"],
        full_ground_energies=spec["full_ground_energies"])
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert any(t.startswith("(c) ") for t in titles)
    assert any(t.startswith("(c') ") for t in titles)
    for ax in fig.axes:
        assert "): E" not in ax.get_ylabel()


def test_xxz_levels_by_sector_match_dense():
    model = stt.STTModel(Lx=10, N=4)
    energies, states, sectors = spectrum.xxz_levels(
        model, k=None, return_states=True, return_sectors=True)
    dense = np.linalg.eigvalsh(model.xxz_chain.full())
    np.testing.assert_allclose(energies, dense, atol=1e-12)
    np.testing.assert_allclose(energies[:4], spectrum.xxz_levels(model, 4),
                               atol=1e-12)
    # every eigenvector sits in one sector: <S^z_tot> equals its label
    for e, m, st in zip(energies, sectors, states):
        total = sum(stt.bloch_vector(st.ptrace(n))[2] for n in range(4)) / 2
        assert total == pytest.approx(m, abs=1e-10)
        assert (st.dag() * model.xxz_chain * st) == pytest.approx(e)


def test_packet_energy_as_written_and_fitted_width():
    model = stt.STTModel(**stt.PAPER_PARAMETERS)
    E, dE = reproduce.packet_energy(model, stt.initial_state(model))
    assert E == pytest.approx(-2.3821, abs=1e-4)
    assert dE == pytest.approx(0.0243, abs=1e-4)
    config = reproduce.case_config("paper-collinear")
    dk = reproduce.packet_width_for(config, -2.36, "energy")
    E2, _ = reproduce.packet_energy(
        model, stt.initial_state(model, dk=dk, x0=160))
    assert E2 == pytest.approx(-2.36, abs=1e-5)


def test_configuration_colors_consistent():
    assert configuration_color("↑;↑↑↑↑↑") == "k"
    assert configuration_color("↓;↑↑↑↑↑") == "tab:red"
    assert configuration_color("↑;↓↑↑↑↑") == "tab:blue"
    assert configuration_color("↑;3/2", S=2.5) == "tab:blue"
    assert configuration_color("↓;5/2", S=2.5) == "tab:red"
    assert configuration_color("↓;↓↑↑↑↑") is None


def test_cli_bad_out_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "reproduce", "--quick", "--out",
         str(blocker)], capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--out" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "reproduce", "--out",
         str(tmp_path / "missing" / "deeper")], capture_output=True,
        text=True, env=env)
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_cli_wiring(quick_run, monkeypatch, capsys, tmp_path):
    _, report = quick_run
    seen = {}

    def fake(out, quick=False, progress_bar=None, long_chain=False,
             overwrite=False):
        seen.update(out=out, quick=quick, progress_bar=progress_bar,
                    long_chain=long_chain, overwrite=overwrite)
        return report

    monkeypatch.setattr(reproduce, "reproduce", fake)
    from qutip_stt.cli import main
    assert main(["reproduce", "--quick", "--out", str(tmp_path / "r")]) == 0
    assert seen["quick"] is True and seen["out"] == str(tmp_path / "r")
    assert seen["long_chain"] is False
    assert main(["reproduce", "--quick", "--long-chain", "--progress", "text",
                 "--out", str(tmp_path / "r")]) == 0
    assert seen["long_chain"] is True and seen["progress_bar"] == "text"
    assert seen["overwrite"] is False
    assert main(["reproduce", "--quick", "--force", "--out",
                 str(tmp_path / "r")]) == 0
    assert seen["overwrite"] is True
    printed = capsys.readouterr().out
    agree = sum(r["verdict"] == "agrees" for r in report["claims"])
    assert f"{len(report['claims'])} statements: {agree} agrees" in printed
    assert "report.md" in printed


def test_bad_progress_bar_before_any_work(tmp_path):
    with pytest.raises(stt.ConfigError, match="progress_bar"):
        reproduce.reproduce(tmp_path / "out", quick=True, progress_bar="nope")
    assert not (tmp_path / "out").exists()
