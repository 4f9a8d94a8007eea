"""Bloch-sphere figures: a grid of :class:`qutip.Bloch` spheres, one still.

:class:`BlochFigure` lays out one row per run and one column per spin (or
all spins of a run on one sphere), with the ``|S|(t)`` strip under each
sphere; :meth:`BlochFigure.draw` shows one time index. :func:`plot_bloch`
draws one still; :mod:`qutip_stt.viz.animation` animates and writes files.
"""

import matplotlib
import numpy as np
import qutip
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_hex
from matplotlib.figure import Figure

from ..errors import ConfigError
from ..io.runs import load_run
from .._util.validation import check_real, spin_label
from .defaults import PANEL_WIDTH
from .spins import _readout, _spin_title, bloch_vectors, parse_spins

__all__ = ["BlochFigure", "draw_trajectory", "plot_bloch", "VECTOR_COLORS",
           "TIME_CMAP"]


#: Colours of the current vectors, one per spin drawn on the same sphere.
VECTOR_COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd",
                 "#8c564b", "#e377c2", "#17becf"]
#: Colour map of the trajectory points (time).
TIME_CMAP = "viridis"

_WIDTH = PANEL_WIDTH    # inches per panel; its height is title + sphere + strip
_LINE = 0.17            # inches per title line
_SPHERE = 2.8           # inches of the sphere axes inside a panel
_STRIP = 0.85           # inches of the |S|(t) strip below the sphere
_TOP, _BOTTOM = 0.4, 0.95  # inches above (time label), below (colour bar, note)


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
    colors = [to_hex(c) for c in cmap(norm(np.asarray(times[:index + 1])))]
    bloch.add_points(vectors[:index + 1].T, meth="m", colors=colors)
    # shrinkA/B = 0: the arrowhead ends on the vector's tip (matplotlib's
    # default stops it 2 points short, off the surface for a pure state).
    if show_start and index > 0:
        bloch.add_vectors(vectors[0], colors="#888888", alpha=0.35,
                          shrinkA=0, shrinkB=0)
    bloch.add_vectors(vectors[index], colors=color, shrinkA=0, shrinkB=0)
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
        # the same spin(s) in every compared run: one |S| range
        keys = [tuple(item[0] for item in group)
                for row_p in self.panels for group in row_p]
        for key in set(keys):
            _share_strip_range([cur for k, cur in zip(keys, self._cursors)
                                if k == key])
        self.time_text = fig.text(0.5, 1 - 0.22 / H, "", ha="center",
                               va="center", fontsize=13)
        bar = min(0.7 * W, 4.5)
        cax = fig.add_axes(_rect((W - bar) / 2, 0.6, bar, 0.1, W, H))
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
        if len(note) > 17 * W:          # one panel: one clause a line
            note = note.replace("; ", "\n")
        fig.text(0.5, 0.24 / H, note, ha="center", va="center", fontsize=7,
                 linespacing=1.1)

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

    def draw(self, index, *, paint=None):
        """Draw every sphere at time index ``index`` of the first run.

        Parameters
        ----------
        index : int
        paint : callable, optional
            ``paint(bloch)`` puts a sphere's new data on its axes; default
            :meth:`qutip.Bloch.render` (the whole sphere). The animation
            frames (:mod:`qutip_stt.viz.frames`) add only the points and
            vectors to the sphere drawn once.
        """
        t = self.times[index]
        self.time_text.set_text(self.runs[0].time_text(t))
        panels = iter(zip(self.titles, self._cursors))
        # Bloch.render ends with fig.canvas.draw(), a full redraw of the
        # whole figure per sphere; the figure is drawn once when it is saved
        # or shown, so skip those intermediate draws.
        canvas = self.fig.canvas
        canvas.draw = _no_draw
        try:
            self._draw_panels(t, panels, paint or _render)
        finally:
            del canvas.draw
        return self.fig

    def _draw_panels(self, t, panels, paint):
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
                paint(b)
                vline.set_xdata([run.times[i]])
                for text, line in zip(title, lines):
                    text.set_text(line)


def _share_strip_range(cursors):
    """One |S| range for every strip, fitted to the data and reaching 1.

    A 6% shrink then fills most of the strip's height, and compared runs
    read on the same scale.
    """
    axes = [vline.axes for vline, _ in cursors]
    lows = [np.min(line.get_ydata()) for (vline, markers), ax
            in zip(cursors, axes) for line in ax.lines
            if line is not vline and line not in markers]
    if not lows:
        return
    lo = min(lows)
    pad = max(0.08 * (1.0 - lo), 0.002)
    for ax in axes:
        ax.set_ylim(lo - pad, 1.0 + pad)
        ax.axhline(1.0, color="0.75", lw=0.6, ls=":", zorder=0)


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


def _render(bloch):
    bloch.render()


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
