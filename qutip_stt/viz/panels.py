"""The line panels of Figs. 3-6: spin components (panels (a), (c)) and purities
(panel (b)) vs time.

Each function draws one panel into a given ``ax`` (or a new figure), shades
the times after the chain-end echo (:mod:`qutip_stt.viz.echo`) and draws the
echo-free rerun dashed. Times in fs, spins in units of hbar/2.
:func:`qutip_stt.viz.plotting.plot_case` puts the panels together. Nothing
here computes physics.
"""

import numpy as np

from .echo import ECHO_FREE_STYLE, _after, shade_echo
from .style import COMPONENT_COLORS, COMPONENT_STYLES, _axes, _legend_outside

__all__ = ["plot_spin_components", "plot_purities"]


def plot_spin_components(times, spin, *, symbol="s_e", ax=None, title=None,
                         t_echo=None, echo_free=None, legend=True):
    """Components of one spin vs time (an (a) or (c) panel of Figs. 3-6).

    Parameters
    ----------
    times : array_like, shape (T,)
        fs.
    spin : array_like, shape (T, 3)
        ``<S_x>, <S_y>, <S_z>`` in units of hbar/2.
    symbol : str, default: "s_e"
        Math-text symbol in the legend, e.g. ``"S_1"``.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    t_echo : float, optional
        When the chain-end echo reaches the local spins (fs): later times
        are shaded (:func:`~qutip_stt.viz.echo.shade_echo`).
    echo_free : (array_like, array_like), optional
        ``(times, spin)`` of the same run without echo, drawn dashed from
        ``t_echo`` on.
    legend : bool, default: True
        Draw the legend (right of the panel).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_spin_components(np.arange(3.), np.zeros((3, 3)))
    """
    fig, ax = _axes(ax)
    spin = np.asarray(spin)
    for i, c in enumerate("xyz"):
        ax.plot(times, spin[:, i], color=COMPONENT_COLORS[c],
                label=rf"${symbol}^{c}$", **COMPONENT_STYLES[c])
    if echo_free is not None:
        t_free, s_free = (np.asarray(v) for v in echo_free)
        keep = _after(t_free, t_echo)
        for i, c in enumerate("xyz"):
            ax.plot(t_free[keep], s_free[keep, i], color=COMPONENT_COLORS[c],
                    **ECHO_FREE_STYLE)
        ax.plot([], [], color="0.3", label="no echo", **ECHO_FREE_STYLE)
    ax.set_xlabel("t (fs)")
    ax.set_ylabel(rf"$\langle {symbol} \rangle$ ($\hbar/2$)")
    ax.axhline(0, color="0.7", lw=0.6, zorder=0.5)
    ax.set_xlim(times[0], times[-1])
    shade_echo(ax, t_echo)
    if legend:
        _legend_outside(ax)
    if title:
        ax.set_title(title, loc="left", fontsize="medium")
    return fig


def plot_purities(times, purity_electron, purity_local, purity_orbital=None, *,
                  ax=None, title=None, t_echo=None, echo_free=None):
    """Eq. (7) purities of the electron and of all local spins vs time (panel (b)).

    Parameters
    ----------
    times : array_like, shape (T,)
        fs.
    purity_electron, purity_local : array_like, shape (T,)
        ``Tr rho^2`` of the electron (orbital + spin) and of all local spins.
    purity_orbital : array_like, shape (T,), optional
        ``Tr rho^2`` of the orbital factor alone, drawn dotted (1 if orbital
        and spins stayed uncorrelated, as the paper's Appendix assumes).
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    t_echo : float, optional
        Times after it are shaded (:func:`~qutip_stt.viz.echo.shade_echo`).
    echo_free : dict, optional
        ``times``, ``purity_local`` and optionally ``purity_orbital`` of the
        run without echo, drawn dashed from ``t_echo`` on.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax)
    ax.plot(times, purity_electron, color="tab:red", lw=2.6,
            label=r"$\mathcal{P}^{e}$ (orbital + spin)")
    ax.plot(times, purity_local, color="tab:blue", lw=1.2,
            label=r"$\mathcal{P}^{\rm local}_{\rm spins}$")
    if purity_orbital is not None:
        ax.plot(times, purity_orbital, color="0.45", lw=1.2, ls=":",
                label=r"$\mathcal{P}^{e}_{\rm orb}$ (orbital only)")
    if echo_free is not None:
        t_free = np.asarray(echo_free["times"])
        keep = _after(t_free, t_echo)
        ax.plot(t_free[keep], np.asarray(echo_free["purity_local"])[keep],
                color="tab:blue", label=r"$\mathcal{P}^{\rm local}_{\rm "
                r"spins}$, no echo", **ECHO_FREE_STYLE)
        if purity_orbital is not None and echo_free.get(
                "purity_orbital") is not None:
            ax.plot(t_free[keep],
                    np.asarray(echo_free["purity_orbital"])[keep],
                    color="0.3", label=r"$\mathcal{P}^{e}_{\rm orb}$, "
                    "no echo", **ECHO_FREE_STYLE)
    ax.set_xlabel("t (fs)")
    ax.set_ylabel(r"purity Tr$\rho^2$")
    ax.set_xlim(times[0], times[-1])
    lows = [np.min(purity_local)] + ([np.min(purity_orbital)]
                                     if purity_orbital is not None else [])
    ax.set_ylim(max(0.0, min(lows) - 0.05), 1.02)
    shade_echo(ax, t_echo)
    _legend_outside(ax)
    if title:
        ax.set_title(title, loc="left", fontsize="medium")
    return fig
