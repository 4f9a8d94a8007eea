"""The ``plot-sweep`` figure: final purity, spin length and spin-flip probability vs the swept values.

It reads only the summary of a sweep file
(:func:`qutip_stt.io.sweep_files.read_sweep_summary`), so it costs memory in
proportion to the number of points, not to their datasets. The output name
is checked (folder, format from the suffix) before anything is read or
drawn.
"""

import json
import numbers
import os

import numpy as np

from ..errors import ConfigError
from ..io import atomic_file, check_output_path

__all__ = ["sweep_plot", "check_figure_path"]


def check_figure_path(path, key="--out", *, inputs=(), overwrite=False):
    """Refuse a figure file name before drawing: its folder and its format.

    Parameters
    ----------
    path : str or os.PathLike
    key : str, default: "--out"
        Parameter named in the error.
    inputs, overwrite
        As for :func:`qutip_stt.io.check_output_path`.

    Returns
    -------
    str
        ``path``.

    Raises
    ------
    ConfigError
        No suffix, a suffix matplotlib cannot write, or an unusable folder.

    Examples
    --------
    >>> check_figure_path("scan")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: --out: 'scan' has no suffix; give a figure file such as scan.png (formats: ...)
    """
    from matplotlib.backend_bases import FigureCanvasBase

    path = os.fspath(path)
    formats = sorted(FigureCanvasBase.get_supported_filetypes())
    stem, suffix = os.path.splitext(os.path.basename(path))
    allowed = ", ".join(f".{f}" for f in formats)
    if not suffix:
        raise ConfigError(key, f"{path!r} has no suffix; give a figure file "
                          f"such as {stem or 'scan'}.png (formats: {allowed})")
    if suffix[1:].lower() not in formats:
        raise ConfigError(key, f"{path!r}: matplotlib cannot write "
                          f"{suffix!r} files; expected one of {allowed}")
    return check_output_path(path, inputs=inputs, overwrite=overwrite,
                             key=key)


def sweep_plot(source, x=None, out=None, *, overwrite=False):
    """Final purity, local-spin length and spin-flip probability vs the swept values.

    Parameters
    ----------
    source : str or dict
        A sweep file, or the dict of
        :func:`~qutip_stt.io.sweep_files.read_sweep_summary` /
        :func:`~qutip_stt.io.sweep_files.read_sweep_result`.
    x : str, optional
        Swept key on the horizontal axis (default the first). Every other
        key gives one line per value (grid); zipped sweeps draw one line.
    out : str, optional
        Save the figure there (atomically; format from the suffix, checked
        before the file is read).
    overwrite : bool, default: False
        Replace an existing file that is not a qutip-stt output.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = sweep_plot("scan.h5", x="electron.spin.theta",
    ...                  out="scan.png")                # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    from ..io.sweep_files import read_sweep_summary

    inputs = [source] if isinstance(source, (str, os.PathLike)) else []
    if out is not None:
        check_figure_path(out, inputs=inputs, overwrite=overwrite)
    data = source if isinstance(source, dict) else read_sweep_summary(source)
    keys = data["keys"]
    x = keys[0] if x is None else x
    if x not in keys:
        raise ConfigError("--x", f"expected one of {', '.join(keys)}, got "
                          f"{x!r}")
    panels = [("purity_local", r"final purity $\mathrm{Tr}\,\rho_{loc}^2$"),
              ("spin_length", r"mean $|\langle\Sigma_n\rangle|$ ($\hbar/2$)"),
              ("spin_flip_probability", "electron spin-flip probability")]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained")
    shape = tuple(data["shape"])
    if data["mode"] == "zip":
        axis, n = 0, shape[0]
    else:
        axis, n = keys.index(x), shape[keys.index(x)]

    def rows(values):
        return np.moveaxis(np.asarray(values).reshape(shape), axis,
                           -1).reshape(-1, n)

    xs = rows(data["coords"][x])
    done = rows(data["done"]).astype(bool)
    others = [k for k in keys if k != x] if data["mode"] == "grid" else []
    labels = [", ".join(f"{k} = {_fmt(rows(data['coords'][k])[r, 0])}"
                        for k in others) or None for r in range(xs.shape[0])]
    numeric = all(isinstance(v, numbers.Real) and not isinstance(v, bool)
                  for v in np.asarray(data["axes"][x]).ravel())
    for ax, (name, ylabel) in zip(axes, panels):
        ys = rows(data["summary"][name])
        for r in range(xs.shape[0]):
            if not done[r].any():       # draw only what has been run
                continue
            sel = done[r]
            if numeric:
                ax.plot(xs[r][sel].astype(float), ys[r][sel], "o-",
                        label=labels[r])
            else:
                pos = np.flatnonzero(sel)
                ax.plot(pos, ys[r][sel], "o-", label=labels[r])
                ax.set_xticks(np.arange(n), [_fmt(v) for v in xs[r]])
        ax.set_xlabel(x)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    if any(labels) and axes[-1].lines:
        axes[-1].legend(fontsize="small")
    n_done = int(np.sum(data["done"]))
    fig.suptitle(f"sweep of {', '.join(keys)} ({n_done} of "
                 f"{int(np.prod(shape))} points)")
    if out is not None:
        with atomic_file(out, inputs=inputs, overwrite=overwrite) as tmp:
            fig.savefig(tmp, dpi=120)
    return fig


def _fmt(v):
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, dict):
        return json.dumps(v)
    return str(v)
