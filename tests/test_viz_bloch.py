"""Bloch-sphere views and animations (qutip_stt.viz.bloch, ``qutip-stt animate``).

The vectors handed to ``qutip.Bloch`` are checked against the run's data, not
pixels; each output format is opened as a file of its kind.
"""

import math
import os
import subprocess
import sys

import h5py
import matplotlib
import numpy as np
import pytest
import qutip
from matplotlib import animation
from matplotlib.colors import to_hex
from PIL import Image

import qutip_stt as stt
from qutip_stt.viz import bloch
from qutip_stt.cli import main

matplotlib.use("Agg")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMES = np.linspace(0.0, 60.0, 13)


def _evolve(electron, N=3, S=0.5, Lx=120, x0=45):
    model = stt.STTModel(Lx=Lx, N=N, S=S)
    psi0 = stt.initial_state(model, x0=x0, electron=electron)
    return stt.evolve(model, psi0, TIMES, "auto")


@pytest.fixture(scope="module")
def collinear():
    return _evolve("-z")


@pytest.fixture(scope="module")
def noncollinear():
    return _evolve("+x")


@pytest.fixture(scope="module")
def files(collinear, noncollinear, tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    col, non = folder / "col.h5", folder / "non.h5"
    stt.write_result(col, collinear)
    stt.write_result(non, noncollinear)
    return col, non


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


# -- selecting and normalising spins ---------------------------------------------
def test_parse_spins():
    assert bloch.parse_spins("all", 3) == ["electron", "local:1", "local:2",
                                            "local:3"]
    assert bloch.parse_spins("local:2, electron,local:2", 3) == [
        "local:2", "electron"]
    assert bloch.parse_spins(["electron"], 1) == ["electron"]
    for bad in ("local:0", "local:4", "local:x", "spin1", "", "local:-1"):
        with pytest.raises(stt.ConfigError, match="^spin: "):
            bloch.parse_spins(bad, 3)


def test_vectors_are_the_results_divided_by_2S(collinear, files):
    for source in (collinear, files[0], stt.read_result(files[0])):
        run = bloch.load_run(source)
        assert run.S == 0.5 and run.N == 3
        np.testing.assert_array_equal(bloch.bloch_vectors(run, "electron"),
                                      collinear.electron_spin)
        for n in range(1, 4):
            np.testing.assert_allclose(bloch.bloch_vectors(run, f"local:{n}"),
                                       collinear.local_spin[:, n - 1],
                                       rtol=0, atol=1e-15)


def test_large_spin_is_normalised_by_2S_and_says_so():
    result = _evolve("+x", N=1, S=1.5, Lx=60, x0=20)
    assert result.local_spin[0, 0, 2] == pytest.approx(3.0)   # 2S, hbar/2
    v = bloch.bloch_vectors(result, "local:1")
    np.testing.assert_allclose(v, result.local_spin[:, 0] / 3.0, atol=1e-15)
    assert np.linalg.norm(v[0]) == pytest.approx(1.0)
    assert np.all(np.linalg.norm(v, axis=1) <= 1 + 1e-12)
    view = bloch.plot_bloch(result, "all")
    texts = [t.get_text() for t in view.fig.texts]
    assert any("⟨Σ⟩/2S (S = 3/2)" in t for t in texts)
    assert any("|S|/2S = " in t for t in texts)


def test_not_a_result_is_a_config_error(tmp_path):
    with pytest.raises(stt.ConfigError, match="^run: "):
        bloch.load_run({"times": TIMES})
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["t"] = TIMES
    with pytest.raises(stt.ConfigError, match="not a qutip-stt result"):
        bloch.load_run(other)


# -- what is handed to qutip.Bloch -----------------------------------------------
def test_drawn_data_equal_the_result(collinear):
    index = 7
    view = bloch.plot_bloch(collinear, "all", time=TIMES[index] + 0.4)
    assert len(view.blochs) == 1 and len(view.blochs[0]) == 4
    for b, [(name, vectors)] in zip(view.blochs[0], view.panels[0]):
        assert isinstance(b, qutip.Bloch)
        expected = bloch.bloch_vectors(collinear, name)
        np.testing.assert_array_equal(vectors, expected)
        # the path up to now (one point set) and the current vector
        assert len(b.points) == 1
        np.testing.assert_array_equal(b.points[0], expected[:index + 1].T)
        np.testing.assert_array_equal(b.vectors[-1], expected[index])
        np.testing.assert_array_equal(b.vectors[0], expected[0])  # t = 0 ghost
        # points coloured by time: one colour per point, first != last
        colors = b._inner_point_color[0]
        assert isinstance(colors, list) and len(colors) == index + 1
        assert colors[0] != colors[-1]
    title = view.time_text.get_text()
    assert title == f"t = {TIMES[index]:.1f} fs"
    length = np.linalg.norm(collinear.local_spin[index, 0])
    assert any(f"|S| = {length:.3f}" in t.get_text() for t in view.fig.texts)
    purity = (1 + length ** 2) / 2   # one spin 1/2
    assert any(f"Tr ρ² = {purity:.3f}" in t.get_text() for t in view.fig.texts)


def test_collinear_shrinks_without_tilting_noncollinear_tilts(collinear,
                                                              noncollinear):
    col = bloch.bloch_vectors(collinear, "local:1")
    non = bloch.bloch_vectors(noncollinear, "local:1")
    assert np.max(np.abs(col[:, :2])) < 1e-12          # stays on the z axis
    assert col[-1, 2] < 0.9 and np.linalg.norm(col[0]) == pytest.approx(1)
    tilt = np.degrees(np.arctan2(np.hypot(*non[-1, :2]), non[-1, 2]))
    assert tilt > 5 and np.linalg.norm(non[-1]) < 0.95


def test_together_draws_every_spin_on_one_sphere(noncollinear):
    view = bloch.plot_bloch(noncollinear, "electron,local:2", together=True)
    (b,), = view.blochs
    assert len(b.points) == 2
    np.testing.assert_array_equal(b.points[1], bloch.bloch_vectors(
        noncollinear, "local:2").T)
    np.testing.assert_array_equal(b.vectors[-1], noncollinear.local_spin[-1, 1])


def test_compare_same_spin_side_by_side(collinear, noncollinear):
    other = _evolve("+x")
    other.times = other.times * 2          # another time grid: nearest time
    view = bloch.plot_bloch(collinear, "local:1", compare=other, time=30,
                            labels=["col", "non"])
    assert [len(row) for row in view.blochs] == [1, 1]
    (b1,), (b2,) = view.blochs
    np.testing.assert_array_equal(b1.vectors[-1], collinear.local_spin[6, 0])
    np.testing.assert_array_equal(b2.vectors[-1], other.local_spin[3, 0])
    # side by side: same height, left to right
    p1, p2 = b1.axes.get_position(), b2.axes.get_position()
    assert p1.y0 == pytest.approx(p2.y0) and p1.x1 <= p2.x0 + 1e-9
    assert view.runs[0].geometry == "collinear"
    assert view.runs[1].geometry == "noncollinear"
    # one |S| range for the same spin in both runs, fitted to the shrink
    # (the collinear spin shrinks more) and reaching the unshrunk length 1
    (ax1, ax2) = [vline.axes for vline, _ in view._cursors]
    assert ax1.get_ylim() == ax2.get_ylim()
    low = min(np.linalg.norm(collinear.local_spin[:, 0], axis=1).min(),
              np.linalg.norm(other.local_spin[:, 0], axis=1).min())
    lo, hi = ax1.get_ylim()
    assert lo < low < 1.0 < hi and hi - lo < 2 * (1.0 - low)
    # the arrowheads end on the tips (no 2-point shrink short of them)
    arrows = [a for a in b1.axes.patches if hasattr(a, "shrinkB")]
    assert arrows and all(a.shrinkA == a.shrinkB == 0 for a in arrows)


def test_compare_needs_the_spin_in_both_runs(collinear):
    small = _evolve("+x", N=1, Lx=60, x0=20)
    with pytest.raises(stt.ConfigError, match="compared run run .noncollinear. has local spins only 1..1"):
        bloch.plot_bloch(collinear, "all", compare=small)


def test_progress_bar(collinear, tmp_path, capsys):
    anim = bloch.animate(collinear, every=6)
    bloch.save_animation(anim, tmp_path / "p.gif", dpi=20, progress_bar="text")
    printed = capsys.readouterr().out      # every line names the stage
    assert "animation frames: 100%" in printed
    assert all(ln.startswith("animation frames: ") for ln in printed.splitlines())


def test_time_out_of_range(collinear):
    with pytest.raises(stt.ConfigError, match="^time: .*0..60 fs"):
        bloch.plot_bloch(collinear, time=61)


# -- animations and files ----------------------------------------------------------
def test_animation_object_and_gif(collinear, tmp_path):
    anim = bloch.animate(collinear, "local:1", every=4, fps=5)
    assert isinstance(anim, animation.FuncAnimation)
    np.testing.assert_array_equal(anim.frame_indices, [0, 4, 8, 12])
    out = tmp_path / "a.gif"
    assert bloch.save_animation(anim, out, dpi=40) == str(out)
    with Image.open(out) as im:
        assert im.format == "GIF" and im.n_frames == 4
        assert im.info["duration"] == 200                  # 5 frames/s
    # the last frame drawn is the last time, its points coloured by time
    # (not by the colours of earlier frames)
    (b,), = anim.bloch_figure.blochs
    np.testing.assert_array_equal(b.vectors[-1], collinear.local_spin[12, 0])
    np.testing.assert_array_equal(b.points[0], collinear.local_spin[:, 0].T)
    assert len(b._inner_point_color) == len(b.points) == 1
    colors = b._inner_point_color[0]
    viridis = matplotlib.colormaps["viridis"]
    assert colors == [to_hex(viridis(t / 60.0)) for t in TIMES]
    assert _listing(tmp_path) == ["a.gif"]


def test_cli_gif_every_time_and_subsample(files, tmp_path, capsys):
    col, _ = files
    out = tmp_path / "spin1.gif"
    assert main(["animate", str(col), "--spin", "local:1", "--out", str(out),
                 "--dpi", "40", "--quiet"]) == 0
    with Image.open(out) as im:
        assert im.n_frames == len(TIMES)
        assert im.size == (128, 214)          # 3.2 x (4.0 + 1.35) in at 40 dpi
    out3 = tmp_path / "all.gif"
    assert main(["animate", str(col), "--spin", "all", "--out", str(out3),
                 "--every", "5", "--dpi", "30", "--fps", "4"]) == 0
    with Image.open(out3) as im:
        assert im.n_frames == math.ceil(len(TIMES) / 5)
    assert "wrote" in capsys.readouterr().out


def test_cli_still_frames(files, tmp_path):
    col, non = files
    png = tmp_path / "still.png"
    assert main(["animate", str(col), "--compare", str(non), "--frame", "60",
                 "--out", str(png), "--dpi", "50", "--quiet"]) == 0
    with Image.open(png) as im:
        assert im.format == "PNG" and im.size[0] == 2 * 160
    svg = tmp_path / "still.svg"
    assert main(["animate", str(col), "--frame", "0", "--out", str(svg),
                 "--quiet"]) == 0
    assert svg.read_text().lstrip().startswith("<?xml")


@pytest.mark.skipif(not animation.writers.is_available("ffmpeg"),
                    reason="ffmpeg not installed")
def test_mp4(files, tmp_path):
    out = tmp_path / "spin1.mp4"
    assert main(["animate", str(files[0]), "--out", str(out), "--every", "4",
                 "--dpi", "40", "--quiet"]) == 0
    assert out.read_bytes()[4:8] == b"ftyp"


def test_mp4_without_ffmpeg_is_one_line(files, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(animation.writers, "is_available",
                        lambda name: name != "ffmpeg")
    out = tmp_path / "spin1.mp4"
    assert main(["animate", str(files[0]), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ffmpeg" in err and ".gif" in err
    assert _listing(tmp_path) == []


@pytest.mark.parametrize("args, message", [
    (["--spin", "local:4"], "spin: this run has local spins 1..3"),
    (["--spin", "nucleus"], "spin: expected 'electron'"),
    (["--out", "{tmp}/x.avi"], "unknown animation format '.avi'"),
    (["--frame", "10", "--out", "{tmp}/x.gif"], "unknown still-frame format"),
    (["--frame", "100", "--out", "{tmp}/x.png"], "time: expected a time in"),
    (["--every", "0"], "every: expected an integer at least 1"),
    (["--fps", "0"], "fps: expected a finite real number greater than 0"),
    (["--dpi", "0"], "dpi: expected an integer from 10 to 1000"),
    (["--compare", "{tmp}/missing.h5"], "missing.h5: no such file"),
    (["--out", "{tmp}/nofolder/x.gif"], "does not exist"),
])
def test_bad_input_exit_2_one_line_no_file(files, tmp_path, capsys, args,
                                          message):
    argv = ["animate", str(files[0]), "--out", str(tmp_path / "x.gif")]
    argv += [a.format(tmp=tmp_path) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("qutip-stt: error: ")
    assert message in err
    assert _listing(tmp_path) == []


def test_not_a_qutip_stt_file(tmp_path, capsys):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["t"] = TIMES
    text = tmp_path / "notes.h5"
    text.write_text("not hdf5")
    for path, message in ((other, "is not a qutip-stt result"),
                          (text, "is not an HDF5 file")):
        assert main(["animate", str(path), "--out",
                     str(tmp_path / "x.gif")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err
    assert _listing(tmp_path) == ["notes.h5", "other.h5"]


def test_interrupted_render_leaves_no_file(collinear, tmp_path, monkeypatch):
    anim = bloch.animate(collinear, every=3)
    calls = []
    draw = anim.bloch_figure.draw

    def failing(i, **kwargs):
        calls.append(i)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return draw(i, **kwargs)

    monkeypatch.setattr(anim.bloch_figure, "draw", failing)
    with pytest.raises(KeyboardInterrupt):
        bloch.save_animation(anim, tmp_path / "a.gif", dpi=30)
    assert _listing(tmp_path) == []


def test_cli_subprocess(files, tmp_path):
    out = tmp_path / "s.gif"
    env = dict(os.environ, PYTHONPATH=ROOT, MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "animate", str(files[1]),
         "--spin", "electron", "--every", "6", "--dpi", "30", "--out",
         str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with Image.open(out) as im:
        assert im.n_frames == 3
    proc = subprocess.run(
        [sys.executable, "-m", "qutip_stt", "animate", str(files[1]),
         "--spin", "local:9", "--out", str(tmp_path / "t.gif")], env=env,
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_fast_frames_are_the_full_draw_pixel_for_pixel(files):
    """A frame drawn from the still background plus the moving artists is
    the figure drawn whole (qutip.Bloch.render of every sphere), exactly."""
    import io

    from qutip_stt.viz.bloch_figure import BlochFigure, _runs
    from qutip_stt.viz.frames import FrameRenderer
    col, non = files
    whole = BlochFigure(_runs(col, non, None), "electron,local:2")
    fast = FrameRenderer(BlochFigure(_runs(col, non, None),
                                     "electron,local:2"), 40)
    for i in (0, 7, 12):
        whole.draw(i)
        buf = io.BytesIO()
        whole.fig.savefig(buf, format="rgba", dpi=40)
        w, h = fast.size
        np.testing.assert_array_equal(
            np.frombuffer(buf.getvalue(), np.uint8).reshape(h, w, 4),
            fast.render(i))


def test_gif_frames_size_and_spin_length_match_the_file(files, tmp_path):
    from qutip_stt.viz.frames import frame_geometry, frame_images
    col, _ = files
    anim = bloch.animate(str(col), "all", every=1)
    out = tmp_path / "all.gif"
    bloch.save_animation(anim, out, dpi=30)
    with h5py.File(col) as f:
        local, electron = f["local/spin"][()], f["electron/spin"][()]
    with Image.open(out) as im:
        assert im.n_frames == len(TIMES)
        assert im.size == (4 * 96, 160)     # four spheres of 3.2 in, 30 dpi
    for i in (0, 6, 12):
        spheres = frame_geometry(anim.bloch_figure, i)
        assert [s["names"] for s in spheres] == [["electron"], ["local:1"],
                                                 ["local:2"], ["local:3"]]
        np.testing.assert_allclose(
            [s["lengths"][0] for s in spheres],
            [np.linalg.norm(electron[i])]
            + [np.linalg.norm(v) for v in local[i]], rtol=0, atol=1e-12)
    # frames drawn by two worker processes are those of one process
    view = anim.bloch_figure
    one = [f.tobytes() for f in frame_images(view, range(13), 20, workers=1)]
    monkey = __import__("qutip_stt.viz.frames", fromlist=["x"])
    old, monkey.PARALLEL_FROM, monkey.CHUNK = (monkey.PARALLEL_FROM,
                                               monkey.CHUNK), 2, 4
    try:
        two = [f.tobytes() for f in frame_images(view, range(13), 20,
                                                 workers=2)]
    finally:
        monkey.PARALLEL_FROM, monkey.CHUNK = old
    assert one == two
