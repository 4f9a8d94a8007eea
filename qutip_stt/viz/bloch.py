r"""Bloch-sphere views and animations of the decohering spins.

Quantum spin-transfer torque is visible on a Bloch sphere: a local spin that
becomes entangled with the electron does not rotate on the sphere's surface,
its Bloch vector *shrinks inside* it (a mixed state). This module draws the
spin trajectories of a run on :class:`qutip.Bloch` spheres and animates them
with :class:`matplotlib.animation.FuncAnimation` (clear, add, render each
frame, as in the QuTiP guide).

Spins are selected by name::

    "electron"      the electron spin, <sigma>
    "local:n"       local spin n (1-based), <Sigma_n> / 2S
    "all"           the electron and every local spin

or a comma-separated list (``"electron,local:1"``) or a list of names.
Expectation values are stored in units of hbar/2 (``Sigma = 2 S``), so a pure
spin S has length ``2S``; every vector is divided by ``2S`` before it is drawn,
so the sphere's surface is a pure spin-coherent state for every S (the figure
says so when ``S > 1/2``). For spin 1/2 the purity of that one spin,
``Tr rho^2 = (1 + |S|^2) / 2``, is shown as well.

A run is a :class:`~qutip_stt.solvers.STTResult`, the dict returned by
:func:`qutip_stt.io.read_result`, or the path of an HDF5 file written by
``qutip-stt simulate``. The command line is
``qutip-stt animate RUN.h5 --spin local:1 --out spin1.gif``.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import qutip
from matplotlib import animation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_hex
from matplotlib.figure import Figure
from qutip.ui.progressbar import progress_bars

from ..errors import ConfigError
from ..io import atomic_file, check_output_path, read_result
from ..validation import check_int, check_real, spin_label
from .defaults import (ANIMATION_WRITERS, DEFAULT_DPI, DEFAULT_FPS,
                       FRAME_FORMATS, PANEL_WIDTH)

__all__ = ["Run", "load_run", "parse_spins", "bloch_vectors",
           "draw_trajectory", "BlochFigure", "plot_bloch", "animate",
           "save_animation", "save_frame",
           "ANIMATION_WRITERS", "FRAME_FORMATS", "DEFAULT_FPS", "DEFAULT_DPI"]


#: Colours of the current vectors, one per spin drawn on the same sphere.
VECTOR_COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd",
                 "#8c564b", "#e377c2", "#17becf"]
#: Colour map of the trajectory points (time).
TIME_CMAP = "viridis"

_WIDTH = PANEL_WIDTH    # inches per panel; its height is title + sphere + strip
_LINE = 0.17            # inches per title line
_SPHERE = 2.8           # inches of the sphere axes inside a panel
_STRIP = 0.85           # inches of the |S|(t) strip below the sphere
_TOP, _BOTTOM = 0.4, 0.8  # inches above (time label) and below (colour bar)


# -- runs and spins ---------------------------------------------------------------
@dataclass
class Run:
    """The spin data of one run, as the Bloch views need it.

    Attributes
    ----------
    times : numpy.ndarray
        ``(T,)`` output times, fs.
    electron_spin : numpy.ndarray
        ``(T, 3)`` ``<sigma_x,y,z>`` of the electron, units hbar/2.
    local_spin : numpy.ndarray
        ``(T, N, 3)`` ``<Sigma_x,y,z>`` of every local spin, units hbar/2.
    S : float
        Local spin size.
    purity_local : numpy.ndarray
        ``(T,)`` ``Tr rho^2`` of all local spins together (Eq. 7).
    label : str
        Short name shown on the figure (file stem, plus "collinear" or
        "noncollinear" from the initial electron and local-spin directions).
    time_symbol, time_unit : str
        How the frame axis is named: ``"t"``, ``"fs"`` for a run; an
        electron train (:mod:`qutip_stt.trains`) uses ``"n"`` and ``""``.
    kind : str
        ``"quantum"``, or ``"classical"`` for a run of method
        ``"classical"`` (its file attribute ``classical``).
    """

    times: np.ndarray
    electron_spin: np.ndarray
    local_spin: np.ndarray
    S: float
    purity_local: np.ndarray
    label: str
    time_symbol: str = "t"
    time_unit: str = "fs"
    kind: str = "quantum"

    def time_text(self, t):
        """The frame label, ``"t = 12.0 fs"`` or ``"n = 3"``."""
        if self.time_unit:
            return f"{self.time_symbol} = {t:.1f} {self.time_unit}"
        return f"{self.time_symbol} = {t:g}"

    @property
    def axis_label(self):
        """``"t (fs)"`` or ``"n"``."""
        return (f"{self.time_symbol} ({self.time_unit})" if self.time_unit
                else self.time_symbol)

    @property
    def N(self):
        """Number of local spins."""
        return self.local_spin.shape[1]

    @property
    def geometry(self):
        """``"collinear"`` if the electron and local spin 1 start (anti)parallel, else ``"noncollinear"``."""
        e, s = self.electron_spin[0], self.local_spin[0, 0]
        cross = np.linalg.norm(np.cross(e, s))
        scale = max(np.linalg.norm(e) * np.linalg.norm(s), 1e-300)
        return "collinear" if cross <= 1e-8 * scale else "noncollinear"


def load_run(source, label=None):
    """Spin data of a run from a result object, a ``read_result`` dict or a file.

    Parameters
    ----------
    source : STTResult, dict, str or os.PathLike, or Run
        A result of :func:`qutip_stt.simulate` / :func:`qutip_stt.evolve`,
        the dict of :func:`qutip_stt.io.read_result`, or the path of an HDF5
        file written by ``qutip-stt simulate``.
    label : str, optional
        Name shown on the figure; default: the file stem (or ``"run"``) and
        the geometry, e.g. ``"paper-collinear (collinear)"``.

    Returns
    -------
    Run

    Raises
    ------
    ConfigError
        If the file is missing or not a qutip-stt result, or the object holds
        no spin data.

    Examples
    --------
    >>> run = load_run("paper-collinear.h5")            # doctest: +SKIP
    >>> run.local_spin.shape                             # doctest: +SKIP
    (101, 5, 3)
    """
    if isinstance(source, Run):
        return source
    stem = "run"
    if isinstance(source, (str, os.PathLike)):
        stem = Path(source).stem
        source = read_result(source)
    if isinstance(source, dict):
        get = source.get
        classical = bool(source.get("attrs", {}).get("classical", False))
        S = source.get("attrs", {}).get("model_S")
        if S is None and "config" in source:
            S = source["config"]["local_spins"]["spin"]
    else:
        def get(name):
            return getattr(source, name, None)
        classical = getattr(source, "method", None) == "classical"
        S = getattr(getattr(source, "model", None), "S", None)
    fields = {name: get(name) for name in (
        "times", "electron_spin", "local_spin", "purity_local")}
    missing = [name for name, value in fields.items() if value is None]
    if missing or S is None:
        raise ConfigError("run", "expected an STTResult, a read_result dict or "
                          "a qutip-stt HDF5 file; missing "
                          + ", ".join(missing or ["the local spin size S"]))
    run = Run(times=np.asarray(fields["times"], float),
              electron_spin=np.asarray(fields["electron_spin"], float),
              local_spin=np.asarray(fields["local_spin"], float),
              S=float(S), purity_local=np.asarray(fields["purity_local"], float),
              label="", kind="classical" if classical else "quantum")
    run.label = label if label is not None else f"{stem} ({run.geometry})"
    return run


def parse_spins(spins, N):
    """Spin names from a selector: ``"electron"``, ``"local:n"``, ``"all"``, lists.

    Parameters
    ----------
    spins : str or sequence of str
        ``"electron"``, ``"local:n"`` (n = 1..N), ``"all"`` (electron and
        every local spin), a comma-separated string or a list of these.
    N : int
        Number of local spins of the run.

    Returns
    -------
    list of str
        Names ``"electron"`` and ``"local:n"``, in the order given, without
        repetitions.

    Raises
    ------
    ConfigError
        Naming ``spin`` for an unknown name or an index outside 1..N.

    Examples
    --------
    >>> parse_spins("all", 2)
    ['electron', 'local:1', 'local:2']
    >>> parse_spins("local:2,electron", 3)
    ['local:2', 'electron']
    """
    items = spins.split(",") if isinstance(spins, str) else list(spins)
    allowed = f"'electron', 'local:n' with n = 1..{N}, or 'all'"
    names = []
    for item in items:
        item = str(item).strip()
        if item == "all":
            new = ["electron"] + [f"local:{n}" for n in range(1, N + 1)]
        elif item == "electron":
            new = ["electron"]
        elif item.startswith("local:"):
            index = item.split(":", 1)[1]
            if not index.isdigit() or not 1 <= int(index) <= N:
                raise ConfigError("spin", f"this run has local spins 1..{N}; "
                                  f"got {item!r} (expected {allowed})")
            new = [f"local:{int(index)}"]
        else:
            raise ConfigError("spin", f"expected {allowed}, got {item!r}")
        names += [name for name in new if name not in names]
    if not names:
        raise ConfigError("spin", f"expected {allowed}, got {spins!r}")
    return names


def bloch_vectors(run, spin):
    """Bloch vectors of one spin at every time, normalised to the unit sphere.

    Parameters
    ----------
    run : Run or anything :func:`load_run` accepts
    spin : str
        ``"electron"`` or ``"local:n"``.

    Returns
    -------
    numpy.ndarray
        ``(T, 3)``: ``<sigma>`` for the electron, ``<Sigma_n> / 2S`` for a
        local spin (dimensionless, length 1 for a pure spin-coherent state,
        below 1 for a mixed state).

    Examples
    --------
    >>> v = bloch_vectors("paper-collinear.h5", "local:1")   # doctest: +SKIP
    >>> np.linalg.norm(v[-1])                                 # doctest: +SKIP
    0.9405
    """
    run = load_run(run)
    (name,) = parse_spins(spin, run.N)
    if name == "electron":
        return run.electron_spin.copy()
    return run.local_spin[:, int(name.split(":")[1]) - 1] / (2 * run.S)


def _spin_title(name):
    return "electron spin" if name == "electron" else (
        f"local spin {name.split(':')[1]}")


def _readout(run, name, vector):
    """``|S| = 0.940  Tr rho^2 = 0.942`` (purity only for a spin 1/2)."""
    length = np.linalg.norm(vector)
    half = name == "electron" or run.S == 0.5
    text = f"|S| = {length:.3f}" if half else f"|S|/2S = {length:.3f}"
    if half:
        text += f"   Tr ρ² = {(1 + length ** 2) / 2:.3f}"
    return text


# -- drawing ----------------------------------------------------------------------
def draw_trajectory(bloch, vectors, times, index, *, color=VECTOR_COLORS[0],
                    cmap=TIME_CMAP, norm=None, show_start=True):
    """Add one spin's path up to ``times[index]`` and its current vector to a Bloch sphere.

    Nothing is rendered; call :meth:`qutip.Bloch.render` afterwards.

    Parameters
    ----------
    bloch : qutip.Bloch
    vectors : numpy.ndarray
        ``(T, 3)`` Bloch vectors of length at most 1 (see :func:`bloch_vectors`).
    times : numpy.ndarray
        ``(T,)`` times, fs, used to colour the points.
    index : int
        The current time index; points ``0..index`` are drawn, coloured by
        time with ``cmap`` over ``norm`` (default: the whole time range).
    color : str
        Colour of the current vector.
    cmap : str or matplotlib.colors.Colormap
    norm : matplotlib.colors.Normalize, optional
    show_start : bool, default: True
        Also draw the ``t = times[0]`` vector, faint, as a length reference.

    Returns
    -------
    qutip.Bloch
        ``bloch``, with one point set and one or two vectors more.

    Examples
    --------
    >>> b = qutip.Bloch()
    >>> v = np.array([[0, 0, 1.0], [0, 0, 0.9]])
    >>> _ = draw_trajectory(b, v, np.array([0.0, 10.0]), 1)
    >>> b.vectors[-1]
    array([0. , 0. , 0.9])
    """
    vectors = np.asarray(vectors, float)
    cmap = matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    norm = norm or Normalize(times[0], times[-1])
    # Bloch reorders points by length and permutes a colour *list* with them.
    colors = [to_hex(cmap(norm(t))) for t in times[:index + 1]]
    bloch.add_points(vectors[:index + 1].T, meth="m", colors=colors)
    if show_start and index > 0:
        bloch.add_vectors(vectors[0], colors="#888888", alpha=0.35)
    bloch.add_vectors(vectors[index], colors=color)
    return bloch


def _new_figure(size, pyplot):
    if pyplot:
        import matplotlib.pyplot as plt
        return plt.figure(figsize=size)
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig


class BlochFigure:
    """A grid of :class:`qutip.Bloch` spheres: one row per run, one column per spin.

    With ``together=True`` every selected spin of a run is drawn on one
    sphere (one column). :meth:`draw` shows time index ``i``; the same object
    drives stills (:func:`plot_bloch`, :func:`save_frame`) and animations
    (:func:`animate`).

    Parameters
    ----------
    runs : list of Run
    spins : str or list of str
        Selector for :func:`parse_spins` (checked against every run).
    together : bool, default: False
    fig : matplotlib.figure.Figure, optional
        Figure to draw on (it is given the right size); default: a new one.
    pyplot : bool, default: False
        Create the figure with :mod:`matplotlib.pyplot` (so notebooks show it).
    view : (float, float), optional
        Azimuth and elevation, degrees (``qutip.Bloch.view``).

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    blochs : list of list of qutip.Bloch
        ``blochs[row][col]``.
    panels : list of list of list of (str, numpy.ndarray)
        The spins of each sphere and their ``(T, 3)`` vectors as drawn.
    times : numpy.ndarray
        Frame times of the first run; other runs show their nearest time.
    time_text : matplotlib.text.Text
        The ``t = ... fs`` label.
    titles : list of list of matplotlib.text.Text
        The title lines of each sphere (run label when comparing, then per
        spin its name, ``|S|`` and, for spin 1/2, ``Tr rho^2`` of that spin at
        the current time, in the colour of its vector when several share a
        sphere).
    """

    def __init__(self, runs, spins="local:1", *, together=False, fig=None,
                 pyplot=False, view=None, overlay=False):
        self.runs = [load_run(r) for r in runs]
        self.overlay = overlay
        if overlay:
            _check_overlay(self.runs, together)
        # The same spins in every run.
        first = parse_spins(spins, self.runs[0].N)
        for run in self.runs[1:]:
            if any(n != "electron" and int(n[6:]) > run.N for n in first):
                raise ConfigError("spin", f"{', '.join(first)}: the compared "
                                  f"run {run.label} has local spins only "
                                  f"1..{run.N}")
        self.names = [first] * len(self.runs)
        self.together = together
        self.view = view
        self.times = self.runs[0].times
        per_run = 1 if together else len(self.names[0])
        # One panel per run: runs side by side; else one row per run.
        rows, cols = ((1, len(self.runs)) if per_run == 1
                      else (len(self.runs), per_run))
        n_lines = (len(self.runs) > 1) + (len(first) if together else 1)
        if overlay:   # one sphere per spin, every run's vector on it
            rows, cols, n_lines = 1, len(first), 1 + len(self.runs)
        cell = 0.28 + _LINE * n_lines + _SPHERE + _STRIP - 0.1  # height, in
        size = (_WIDTH * cols, cell * rows + _TOP + _BOTTOM)
        if fig is None:
            fig = _new_figure(size, pyplot)
        else:
            fig.set_size_inches(*size)
        self.fig = fig
        W, H = fig.get_size_inches()
        self.norm = Normalize(self.times[0], self.times[-1])
        self.blochs, self.panels, self.titles, self._cursors = [], [], [], []
        rows_data = zip(self.runs, self.names)
        if overlay:
            rows_data = [(self.runs[0], first)]
        for r, (run, names) in enumerate(rows_data):
            data = [(name, bloch_vectors(run, name)) for name in names]
            groups = [data] if together else [[d] for d in data]
            if overlay:
                groups = [[(name, bloch_vectors(other, name), other.label)
                           for other in self.runs] for name in names]
            row_b, row_p = [], []
            for c, group in enumerate(groups):
                row, col = (0, r) if per_run == 1 else (r, c)
                x0 = col * _WIDTH
                y0 = _BOTTOM + (rows - 1 - row) * cell   # panel bottom, in
                ax = fig.add_axes(_rect(x0, y0 + _STRIP - 0.1, _WIDTH,
                                        _SPHERE, W, H), projection="3d")
                row_b.append(_new_bloch(fig, ax, view))
                row_p.append(group)
                colors = ["black"] * (len(self.runs) > 1 or overlay) + (
                    ["black"] if len(group) == 1 else
                    [VECTOR_COLORS[k % len(VECTOR_COLORS)]
                     for k in range(len(group))])
                self.titles.append([fig.text(
                    (x0 + _WIDTH / 2) / W, (y0 + cell - 0.05 - j * _LINE) / H,
                    "", ha="center", va="top", fontsize=9, color=color)
                    for j, color in enumerate(colors)])
                self._cursors.append(self._strip(run, group, _rect(
                    x0 + 0.65, y0 + 0.3, _WIDTH - 0.85, _STRIP - 0.4,
                    W, H)))
            self.blochs.append(row_b)
            self.panels.append(row_p)
        self.time_text = fig.text(0.5, 1 - 0.22 / H, "", ha="center",
                               va="center", fontsize=13)
        bar = min(0.7 * W, 4.5)
        cax = fig.add_axes(_rect((W - bar) / 2, 0.45, bar, 0.1, W, H))
        fig.colorbar(ScalarMappable(self.norm, TIME_CMAP), cax=cax,
                     orientation="horizontal")
        cax.tick_params(labelsize=7, pad=1)
        first = self.runs[0]
        note = (f"points: path coloured by {first.axis_label}; grey: "
                f"{first.time_symbol} = 0 vector")
        if any(run.S > 0.5 for run in self.runs) and any(
                n != "electron" for names in self.names for n in names):
            S = spin_label(max(run.S for run in self.runs))
            note += f"; local spins drawn as ⟨Σ⟩/2S (S = {S})"
        fig.text(0.5, 0.15 / H, note, ha="center", va="center", fontsize=7)

    def _strip(self, run, group, rect):
        """A small |S|(t) plot under a sphere; returns the current-time markers."""
        ax = self.fig.add_axes(rect)
        markers = []
        for k, (name, vectors, *_) in enumerate(group):
            color = VECTOR_COLORS[k % len(VECTOR_COLORS)]
            ax.plot(run.times, np.linalg.norm(vectors, axis=1), color=color,
                    lw=1)
            markers.append(ax.plot([], [], "o", color=color, ms=4)[0])
        ax.set_xlim(run.times[0], run.times[-1])
        scaled = run.S > 0.5 and all(e[0] != "electron" for e in group)
        ax.set_ylabel("|S|/2S" if scaled else "|S|", fontsize=7, labelpad=1)
        ax.tick_params(labelsize=6, pad=1, length=2)
        ax.set_xlabel(run.axis_label, fontsize=6, labelpad=0)
        return ax.axvline(run.times[0], color="0.5", lw=0.6), markers

    def index_at(self, run, t):
        """Index of ``run``'s output time nearest to ``t`` (fs)."""
        return int(np.argmin(np.abs(run.times - t)))

    def draw(self, index):
        """Draw every sphere at time index ``index`` of the first run."""
        t = self.times[index]
        self.time_text.set_text(self.runs[0].time_text(t))
        panels = iter(zip(self.titles, self._cursors))
        # Bloch.render ends with fig.canvas.draw(), a full redraw of the
        # whole figure per sphere; the figure is drawn once when it is saved
        # or shown, so skip those intermediate draws.
        canvas = self.fig.canvas
        canvas.draw = _no_draw
        try:
            self._draw_panels(t, panels)
        finally:
            del canvas.draw
        return self.fig

    def _draw_panels(self, t, panels):
        for run, row_b, row_p in zip(self.runs, self.blochs, self.panels):
            # (with overlay there is one row, drawn from every run's vectors
            # at the same time index: _check_overlay made the times equal)
            i = self.index_at(run, t)
            for c, group in enumerate(row_p):
                title, (vline, markers) = next(panels)
                # A fresh Bloch on the same axes each frame: Bloch.clear()
                # keeps the per-point colours of earlier add_points calls
                # (qutip 5.3.1), which would recolour the new path.
                b = row_b[c] = _new_bloch(self.fig, row_b[c].axes, self.view)
                lines = [run.label] if len(self.runs) > 1 else []
                if self.overlay:
                    lines = [_spin_title(group[0][0])]
                for k, (name, vectors, *label) in enumerate(group):
                    color = VECTOR_COLORS[k % len(VECTOR_COLORS)]
                    draw_trajectory(b, vectors, run.times, i, color=color,
                                    norm=self.norm)
                    who = _overlay_label(self.runs, k, label) if label \
                        else _spin_title(name)
                    lines.append(f"{who}:  {_readout(run, name, vectors[i])}")
                    markers[k].set_data([run.times[i]],
                                        [np.linalg.norm(vectors[i])])
                b.render()
                vline.set_xdata([run.times[i]])
                for text, line in zip(title, lines):
                    text.set_text(line)


def _new_bloch(fig, axes, view):
    """A :class:`qutip.Bloch` on ``axes`` in this module's style."""
    b = qutip.Bloch(fig=fig, axes=axes, view=view)
    b.zlabel = ["$z$", ""]
    b.zlpos = [1.3, -1.3]
    b.font_size = 13
    b.point_size = [14]
    b.point_marker = ["o", "s", "d", "^"]
    b.vector_width = 2.5
    b.vector_mutation = 14
    return b


def _overlay_label(runs, k, label):
    """Label of run ``k`` on an overlay: its kind when the kinds tell them apart."""
    kinds = [run.kind for run in runs]
    if len(set(kinds)) == len(kinds) and not getattr(runs[k], "label_given",
                                                     False):
        return kinds[k]
    return label[0]


def _check_overlay(runs, together):
    """Runs drawn on the same spheres need two or more runs on one time grid."""
    if len(runs) < 2:
        raise ConfigError("--overlay", "needs a run to compare (--compare)")
    if together:
        raise ConfigError("--overlay", "draws one sphere per spin: do not "
                          "combine it with --together")
    for run in runs[1:]:
        if run.times.shape != runs[0].times.shape or not np.allclose(
                run.times, runs[0].times, rtol=0, atol=1e-9):
            raise ConfigError("--overlay", f"run {run.label} has other "
                              "output times; overlaid runs need the same")
        if run.S != runs[0].S:
            raise ConfigError("--overlay", f"run {run.label} has spin "
                              f"S = {run.S:g}, not {runs[0].S:g}")


def _no_draw(*args, **kwargs):
    """Stand-in for ``FigureCanvas.draw`` while the spheres are rebuilt."""


def _rect(x, y, w, h, W, H):
    """An axes rectangle in figure fractions from inches."""
    return (x / W, y / H, w / W, h / H)


def _runs(source, compare, labels):
    sources = [source] + ([] if compare is None else (
        list(compare) if isinstance(compare, (list, tuple)) else [compare]))
    labels = labels or [None] * len(sources)
    runs = [load_run(s, label) for s, label in zip(sources, labels)]
    for run, label in zip(runs, labels):
        run.label_given = label is not None
    return runs


def plot_bloch(source, spins="local:1", *, time=None, compare=None,
               together=False, labels=None, fig=None, view=None,
               overlay=False):
    """Bloch spheres of a run at one time: paths coloured by time, current vectors, ``|S|``.

    Parameters
    ----------
    source : STTResult, dict, path or Run
        See :func:`load_run`.
    spins : str or list of str, default: "local:1"
        See :func:`parse_spins` (``"all"``: electron and every local spin).
    time : float, optional
        Time in fs (the nearest output time is shown); default: the last.
    compare : source or list of sources, optional
        Further runs, one row each, same spins (e.g. collinear vs
        noncollinear).
    together : bool, default: False
        All selected spins of a run on one sphere instead of a row.
    labels : list of str, optional
        Names of the runs on the figure.
    fig : matplotlib.figure.Figure, optional
    view : (float, float), optional
        Azimuth, elevation in degrees.
    overlay : bool, default: False
        Draw the compared runs on the *same* sphere, one sphere per spin,
        each vector labelled with its run's label (``labels``, e.g.
        ``["quantum", "classical"]``); the runs need the same output times.

    Returns
    -------
    BlochFigure
        ``.fig`` is the matplotlib figure, ``.blochs`` the ``qutip.Bloch``
        objects, ``.panels`` the vectors drawn.

    Examples
    --------
    >>> result = stt.simulate(stt.preset("paper-collinear"))  # doctest: +SKIP
    >>> view = plot_bloch(result, "all", time=300)             # doctest: +SKIP
    >>> view.fig.savefig("spins.png")                          # doctest: +SKIP
    """
    runs = _runs(source, compare, labels)
    view_ = BlochFigure(runs, spins, together=together, fig=fig,
                        pyplot=fig is None, view=view, overlay=overlay)
    index = len(view_.times) - 1 if time is None else _time_index(view_, time)
    view_.draw(index)
    return view_


def _time_index(view, time):
    t = view.times
    time = check_real("time", time)
    if not t[0] - 1e-9 <= time <= t[-1] + 1e-9:
        raise ConfigError("time", f"expected a time in {t[0]:g}..{t[-1]:g} fs, "
                          f"got {time:g}")
    return view.index_at(view.runs[0], time)


def animate(source, spins="local:1", *, compare=None, together=False,
            every=1, fps=DEFAULT_FPS, labels=None, view=None, overlay=False):
    """A matplotlib animation of the Bloch spheres over the run's output times.

    Parameters
    ----------
    source : STTResult, dict, path or Run
        See :func:`load_run`.
    spins : str or list of str, default: "local:1"
        See :func:`parse_spins`.
    compare : source or list of sources, optional
        Further runs shown side by side (one row each), same spins.
    together : bool, default: False
        All selected spins of a run on one sphere.
    every : int, default: 1
        Use every ``every``-th output time as a frame.
    fps : float, default: DEFAULT_FPS
        Frames per second (the interval between frames is ``1000/fps`` ms).
    labels : list of str, optional
    view : (float, float), optional
    overlay : bool, default: False
        Compared runs on the same spheres (see :func:`plot_bloch`).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        With ``.bloch_figure`` (the :class:`BlochFigure`), ``.frame_indices``
        (the time indices shown) and ``.fps``. In Jupyter, show it with
        ``IPython.display.HTML(anim.to_jshtml())`` (or set
        ``matplotlib.rcParams["animation.html"] = "jshtml"`` and make ``anim``
        the cell's last expression); write it with :func:`save_animation`.

    Examples
    --------
    >>> anim = animate("paper-collinear.h5", "local:1", every=5)  # doctest: +SKIP
    >>> save_animation(anim, "spin1.gif")                          # doctest: +SKIP
    """
    every = check_int("every", every, 1)
    fps = check_real("fps", fps, 0, strict_minimum=True)
    view_ = BlochFigure(_runs(source, compare, labels), spins,
                        together=together, view=view, overlay=overlay)
    frames = np.arange(0, len(view_.times), every)
    anim = animation.FuncAnimation(
        view_.fig, lambda i: view_.draw(i) and [], frames=frames,
        init_func=lambda: [], interval=1000.0 / fps, blit=False,
        repeat=True, cache_frame_data=False)
    anim.bloch_figure = view_
    anim.frame_indices = frames
    anim.fps = fps
    return anim


def _writer_name(path):
    suffix = Path(path).suffix.lower()
    if suffix not in ANIMATION_WRITERS:
        raise ConfigError("--out", f"unknown animation format {suffix or path!r}"
                          f"; expected {', '.join(ANIMATION_WRITERS)} (or "
                          f"{', '.join(FRAME_FORMATS)} with --frame)")
    name = ANIMATION_WRITERS[suffix]
    if not animation.writers.is_available(name):
        raise ConfigError("--out", f"writing {suffix} needs {name}, which was "
                          "not found; install ffmpeg or write a .gif "
                          "(Pillow only)")
    return name


def save_animation(anim, path, *, dpi=DEFAULT_DPI, progress_bar=None):
    """Write an animation of :func:`animate` as GIF (Pillow) or MP4 (ffmpeg), atomically.

    Parameters
    ----------
    anim : matplotlib.animation.FuncAnimation
        From :func:`animate`.
    path : str or os.PathLike
        ``.gif`` (matplotlib + Pillow) or ``.mp4`` (needs ffmpeg).
    dpi : int, default: DEFAULT_DPI
    progress_bar : str, optional
        A QuTiP progress bar name (``"tqdm"``, ``"text"``, ``"enhanced"``).

    Returns
    -------
    str
        ``path``; the file appears only when complete.

    Raises
    ------
    ConfigError
        For an unknown suffix, a missing ffmpeg or an unwritable path.

    Examples
    --------
    >>> anim = animate(result, "all", every=2)                 # doctest: +SKIP
    >>> save_animation(anim, "spins.gif", progress_bar="tqdm")  # doctest: +SKIP
    'spins.gif'
    """
    path = os.fspath(path)
    name = _writer_name(path)
    dpi = check_int("dpi", dpi, 10, 1000)
    writer = animation.writers[name](fps=anim.fps)
    bar = progress_bars[progress_bar or ""](len(anim.frame_indices))
    with atomic_file(path) as tmp:
        anim.save(tmp, writer=writer, dpi=dpi,
                  progress_callback=lambda i, n: bar.update())
    bar.finished()
    return path


def save_frame(source, path, spins="local:1", *, time=None, compare=None,
               together=False, labels=None, dpi=DEFAULT_DPI, view=None,
               overlay=False):
    """Write one still frame (PNG, PDF or SVG) of the Bloch spheres, atomically.

    Parameters
    ----------
    source, spins, time, compare, together, labels, view, overlay
        As for :func:`plot_bloch` (``time`` in fs, default the last output).
    path : str or os.PathLike
        ``.png``, ``.pdf`` or ``.svg``.
    dpi : int, default: DEFAULT_DPI

    Returns
    -------
    str
        ``path``.

    Examples
    --------
    >>> save_frame("paper-collinear.h5", "collinear.png", time=500)  # doctest: +SKIP
    """
    path = os.fspath(path)
    suffix = Path(path).suffix.lower()
    if suffix not in FRAME_FORMATS:
        raise ConfigError("--out", f"unknown still-frame format "
                          f"{suffix or path!r}; expected "
                          f"{', '.join(FRAME_FORMATS)}")
    dpi = check_int("dpi", dpi, 10, 1000)
    check_output_path(path)
    view_ = BlochFigure(_runs(source, compare, labels), spins,
                        together=together, view=view, overlay=overlay)
    index = (len(view_.times) - 1 if time is None
             else _time_index(view_, time))
    view_.draw(index)
    with atomic_file(path) as tmp:
        view_.fig.savefig(tmp, dpi=dpi, format=suffix[1:])
    return path
