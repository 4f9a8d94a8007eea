"""The chain-end echo in the time panels: when it reaches the local spins, its
shading, the caption that says so, and where the echo-free curves start.

A run on a finite chain is exact only until the packet's reflection from a
chain end (the echo) reaches the local spins. ``qutip-stt reproduce`` writes
that time (``t_echo_fs``) and a rerun on a longer chain without echo
(``echo_free_*``) into the attributes of its result files;
:func:`echo_info` reads them back, :func:`shade_echo` shades the later times
of a panel, :data:`ECHO_FREE_STYLE` draws the echo-free curves dashed and
:func:`echo_caption` is the sentence under a figure. Used by
:mod:`qutip_stt.viz.plotting`. Nothing here computes physics.
"""

import numpy as np

from .style import _get

__all__ = ["ECHO_FREE_STYLE", "shade_echo", "echo_info", "echo_caption"]

#: Style of the echo-free curves drawn over the shaded times.
ECHO_FREE_STYLE = dict(ls="--", lw=1.1, alpha=0.9, zorder=3.3)


def shade_echo(ax, t_echo, t_max=None):
    """Shade the times after the chain-end echo reaches the local spins.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        A panel with time on its x axis.
    t_echo : float or None
        fs; nothing is drawn when it is None, NaN or not before ``t_max``.
    t_max : float, optional
        Last time shown (default: the right end of the x axis).

    Returns
    -------
    matplotlib.patches.Polygon or None
        The shaded span (``gid="echo"``).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> _ = ax.set_xlim(0, 500)
    >>> shade_echo(ax, 430.0).get_gid()
    'echo'
    """
    if t_echo is None or not np.isfinite(t_echo):
        return None
    t_max = ax.get_xlim()[1] if t_max is None else t_max
    if t_echo >= t_max:
        return None
    span = ax.axvspan(t_echo, t_max, color="0.88", lw=0, zorder=0,
                      gid="echo")
    ax.text(t_echo, 1.0, " echo", transform=ax.get_xaxis_transform(),
            ha="left", va="top", fontsize="x-small", color="0.35")
    return span


def _after(times, t_echo):
    """Mask of the times from the last one before ``t_echo`` on."""
    times = np.asarray(times)
    if t_echo is None or not np.isfinite(t_echo):
        return np.ones(len(times), bool)
    start = max(int(np.searchsorted(times, t_echo, side="right")) - 1, 0)
    return np.arange(len(times)) >= start


def echo_info(data):
    """When the echo reaches the spins, and the echo-free run, from a result file.

    Parameters
    ----------
    data : STTResult or dict
        A dict of :func:`qutip_stt.io.read_result` carries the attributes
        ``t_echo_fs`` and ``echo_free_*`` written by ``qutip-stt
        reproduce``; a result has neither.

    Returns
    -------
    t_echo : float or None
        fs.
    echo_free : dict or None
        ``length``, ``times``, ``local_spin_1``, ``purity_local``,
        ``purity_orbital`` of the rerun on a chain with no echo.
    """
    attrs = data.get("attrs", {}) if isinstance(data, dict) else {}
    t_echo = attrs.get("t_echo_fs")
    t_echo = float(t_echo) if t_echo is not None and np.isfinite(
        float(t_echo)) else None
    free = None
    if "echo_free_local_spin_1" in attrs:
        free = {"length": int(attrs["echo_free_length"]),
                "times": np.asarray(_get(data, "times")),
                **{k: np.asarray(attrs[f"echo_free_{k}"]) for k in (
                    "local_spin_1", "purity_local", "purity_orbital")
                   if f"echo_free_{k}" in attrs}}
    return t_echo, free


def echo_caption(data, t_echo, echo_free):
    """One sentence saying what is shaded and what is dashed."""
    t = np.asarray(_get(data, "times"))
    cfg = data.get("config") if isinstance(data, dict) else None
    length = (cfg or {}).get("chain", {}).get("length")
    if t_echo is None or t_echo >= t[-1]:
        where = f" (chain of {length} sites)" if length else ""
        return (f"No chain-end echo reaches the local spins before "
                f"{t[-1]:g} fs{where}.")
    text = (f"Shaded: t > {t_echo:g} fs, after the echo of the packet from "
            f"the chain ends reaches the local spins")
    if echo_free is not None:
        text += (f"; dashed: the same run on a chain of "
                 f"{echo_free['length']} sites (no echo)")
    return text + "."
