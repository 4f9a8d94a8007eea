"""The shared look of the run figures: component colours and line styles, panels,
legends, ket labels, and writing a figure to disk.

Every module that draws the panels of a run (Figs. 2-7) takes these from
here, so a restyling made here shows in all of them. Used by
:mod:`qutip_stt.viz.plotting`. Nothing here computes physics.
"""

import os

from matplotlib.figure import Figure

from ..io import atomic_file

__all__ = ["COMPONENT_COLORS", "COMPONENT_STYLES", "ket_label", "save_figure"]

#: Colours of the x, y, z components (as in the paper: x red, y green, z blue).
COMPONENT_COLORS = {"x": "tab:red", "y": "tab:green", "z": "tab:blue"}


def _get(data, key):
    """``data[key]`` for a dict (read_result) or ``data.key`` for a result."""
    return data[key] if isinstance(data, dict) else getattr(data, key)


def _axes(ax, figsize=(4.2, 3.2)):
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def ket_label(label):
    """``"↓;↑↑↑↑↑"`` -> ``"|↓;↑↑↑↑↑⟩"`` (the paper's notation).

    Parameters
    ----------
    label : str
        A configuration label of :attr:`STTModel.spin_configuration_labels`.

    Returns
    -------
    str

    Examples
    --------
    >>> ket_label("↑;3/2")
    '|↑;3/2⟩'
    """
    return f"|{label}⟩"


#: Line styles of the x, y, z components: x dotted and drawn last, so it
#: stays visible where it equals y (both 0 in the collinear cases).
COMPONENT_STYLES = {"x": dict(ls=(0, (1, 1.3)), lw=2.4, zorder=3.2),
                    "y": dict(ls="-", lw=1.6, zorder=3.0),
                    "z": dict(ls="-", lw=1.6, zorder=3.1)}


def _legend_outside(ax, **kwargs):
    """The legend right of the axes, off the data."""
    kwargs.setdefault("fontsize", "small")
    return ax.legend(frameon=False, loc="upper left",
                     bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
                     **kwargs)


def save_figure(fig, stem, formats=("png", "pdf"), dpi=200, overwrite=False):
    """Write ``stem.png`` and ``stem.pdf`` atomically (temporary name, then rename).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    stem : str or os.PathLike
        Path without the suffix.
    formats : tuple of str, default: ("png", "pdf")
        One file per format.
    dpi : int, default: 200
        Resolution of raster formats.
    overwrite : bool, default: False
        Replace existing files that are not qutip-stt outputs (``--force``).

    Returns
    -------
    list of str
        The written paths.
    """
    out = []
    for fmt in formats:
        path = f"{os.fspath(stem)}.{fmt}"
        with atomic_file(path, overwrite=overwrite) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi)
        out.append(path)
    return out
