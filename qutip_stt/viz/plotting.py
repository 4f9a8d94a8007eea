r"""Figures of the paper (Figs. 3-6) and of the electron density, with matplotlib.

Every function takes arrays (or a result: an
:class:`~qutip_stt.solvers.STTResult` or the dict of
:func:`qutip_stt.io.read_result`, whose keys are the same attribute names) and
returns a :class:`matplotlib.figure.Figure`; the panel functions also accept
an ``ax`` to draw into. Times are in fs, energies in eV, spins in units of
hbar/2 (``Sigma = 2 S``), as everywhere in the package.

This module draws the whole figures of one run: the four panels of Figs. 3-6
(:func:`plot_case`), every local spin (:func:`plot_local_spins`) and the
space-time map of the electron density (:func:`plot_density_map`), from the
one-job modules :mod:`qutip_stt.viz.style` (colours, line styles, legends,
ket labels, :func:`~qutip_stt.viz.style.save_figure`),
:mod:`qutip_stt.viz.echo` (the chain-end echo: shading, caption, echo-free
curves), :mod:`qutip_stt.viz.panels` (spin components and purities vs time)
and :mod:`qutip_stt.viz.probabilities` (Eq. (8) configuration probabilities
and their colours). The spectra of Fig. 2 are drawn by
:mod:`qutip_stt.viz.spectrum_figures`.

Nothing here computes physics: the data come from
:mod:`qutip_stt.paper` (or any run of :func:`qutip_stt.simulate`), so a
figure can be restyled from its HDF5 file without rerunning.
"""

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from .echo import echo_caption, echo_info
from .panels import plot_purities, plot_spin_components
from .probabilities import _wants_log, plot_probabilities
from .style import _get, _legend_outside

__all__ = ["plot_case", "plot_local_spins", "plot_density_map"]


def plot_case(data, *, spin=1, title=None, show_orbital=True):
    """The four panels of Figs. 3-6 for one run.

    (a) electron spin vs time, (b) purities (Eq. 7), (c) components of local
    spin ``spin``, (d) Eq. (8) probabilities (with a linear strip of the
    dominant configuration above a logarithmic panel). For a file written by
    ``qutip-stt reproduce`` the times after the chain-end echo reaches the
    local spins are shaded and the echo-free rerun is drawn dashed
    (:func:`~qutip_stt.viz.echo.echo_info`); a caption under the panels says so.

    Parameters
    ----------
    data : STTResult or dict
        A result or :func:`qutip_stt.io.read_result` of its HDF5 file.
    spin : int, default: 1
        Which local spin (1-based) panel (c) shows.
    title : str, optional
        Figure title.
    show_orbital : bool, default: True
        Also draw the orbital purity in (b).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state, evolve
    >>> model = STTModel(Lx=40, N=2)
    >>> fig = plot_case(evolve(model, initial_state(model, x0=10), [0, 5, 10]))
    """
    t = np.asarray(_get(data, "times"))
    local = np.asarray(_get(data, "local_spin"))
    n_spins = local.shape[1]
    if not 1 <= int(spin) <= n_spins:
        from ..errors import ConfigError
        raise ConfigError("spin", f"local spin index must be 1..{n_spins}, "
                          f"got {spin!r}")
    t_echo, free = echo_info(data)
    fig = Figure(figsize=(11.0, 7.2), layout="constrained")
    gs = fig.add_gridspec(2, 2)
    ax_a, ax_b, ax_c = (fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1]),
                        fig.add_subplot(gs[1, 0]))
    probs = np.asarray(_get(data, "probabilities"))
    if _wants_log(probs):
        sub = gs[1, 1].subgridspec(2, 1, height_ratios=[1, 2.6])
        ax_lin = fig.add_subplot(sub[0])
        ax_d = fig.add_subplot(sub[1], sharex=ax_lin)
    else:
        ax_lin, ax_d = None, fig.add_subplot(gs[1, 1])
    plot_spin_components(t, _get(data, "electron_spin"), symbol="s_e",
                         ax=ax_a, title="(a) electron spin", t_echo=t_echo)
    plot_purities(t, _get(data, "purity_electron"), _get(data, "purity_local"),
                  _get(data, "purity_orbital") if show_orbital else None,
                  ax=ax_b, title="(b) purity, Eq. (7)", t_echo=t_echo,
                  echo_free=free)
    name = (f"(c) local spin {spin}" if n_spins > 1 else
            f"(c) local spin, S = {_spin_size(data)}")
    plot_spin_components(
        t, local[:, spin - 1], symbol=f"S_{spin}" if n_spins > 1 else "S",
        ax=ax_c, title=name, t_echo=t_echo,
        echo_free=(free["times"], free["local_spin_1"])
        if free is not None and spin == 1 else None)
    plot_probabilities(t, probs, _get(data, "labels"), ax=ax_d,
                       t_echo=t_echo, linear_ax=ax_lin)
    (ax_lin or ax_d).set_title("(d) spin configurations, Eq. (8)",
                               loc="left", fontsize="medium")
    if title:
        fig.suptitle(title)
    fig.supxlabel(echo_caption(data, t_echo, free), fontsize="small",
                  color="0.25")
    return fig


def _spin_size(data):
    """The local-spin size S as text ("5/2"), from the model or the file."""
    if isinstance(data, dict):
        S = data.get("attrs", {}).get("model_S")
    else:
        S = getattr(getattr(data, "model", None), "S", None)
    if S is None:   # a pure start has Bloch length 2S
        S = np.linalg.norm(np.asarray(_get(data, "local_spin"))[0, 0]) / 2
    two_s = int(round(2 * float(S)))
    return f"{two_s}/2" if two_s % 2 else str(two_s // 2)


def plot_local_spins(data, *, title=None):
    """Components of every local spin vs time, one panel per spin.

    Shading and the dashed echo-free curves (spin 1) as in
    :func:`plot_case`; one legend right of the last panel.

    Parameters
    ----------
    data : STTResult or dict
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    t = np.asarray(_get(data, "times"))
    local = np.asarray(_get(data, "local_spin"))
    n = local.shape[1]
    t_echo, free = echo_info(data)
    fig = Figure(figsize=(2.8 * n + 1.2, 3.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, n, sharey=True))
    for i, ax in enumerate(axes):
        plot_spin_components(
            t, local[:, i], symbol=f"S_{i + 1}", ax=ax,
            title=f"local spin {i + 1}", t_echo=t_echo, legend=False,
            echo_free=(free["times"], free["local_spin_1"])
            if free is not None and i == 0 else None)
        ax.set_ylabel(r"$\langle S_n \rangle$ ($\hbar/2$)" if i == 0 else "")
    handles = [axes[0].lines[k] for k in range(3)]
    labels = [rf"$S_n^{c}$" for c in "xyz"]
    if free is not None:
        handles += [ln for ln in axes[0].lines
                    if ln.get_label() == "no echo"]   # the grey proxy
        labels.append("spin 1, no echo")
    _legend_outside(axes[-1], handles=handles, labels=labels)
    if title:
        fig.suptitle(title)
    fig.supxlabel(echo_caption(data, t_echo, free), fontsize="small",
                  color="0.25")
    return fig


def plot_density_map(times, density_up, density_down, sites, *, t_edge=None,
                     t_echo=None, floor=1e-7, title=None):
    """Space-time map of the electron density, resolved by electron spin.

    Parameters
    ----------
    times : array_like, shape (T,)
        fs.
    density_up, density_down : array_like, shape (T, Lx)
        Probability of the electron on each site with spin up / down.
    sites : array_like of int
        Sites of the local spins (marked by dashed lines).
    t_edge, t_echo : float, optional
        When the packet reaches a chain end and when its echo changes the
        density on the local spins (fs); drawn as horizontal lines.
    floor : float, default: 1e-7
        Lowest probability of the logarithmic colour scale.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    times = np.asarray(times, dtype=float)
    fig = Figure(figsize=(10.0, 4.6), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    norm = LogNorm(vmin=floor, vmax=max(np.max(density_up),
                                        np.max(density_down)))
    lx = np.asarray(density_up).shape[1]
    extent = (-0.5, lx - 0.5, times[0], times[-1])
    for ax, dens, name in ((axes[0], density_down, "spin ↓"),
                           (axes[1], density_up, "spin ↑")):
        img = ax.imshow(np.clip(dens, floor, None), origin="lower",
                        aspect="auto", extent=extent, norm=norm,
                        cmap="magma", interpolation="nearest")
        lo, hi = np.min(sites) - 0.5, np.max(sites) + 0.5
        for x in (lo, hi):
            ax.axvline(x, color="cyan", lw=0.8, ls="--")
        ax.text(hi + 4, times[0] + 0.97 * (times[-1] - times[0]),
                "local spins", color="cyan", ha="left", va="top",
                fontsize="small")
        for t, what in ((t_edge, "packet at a chain end (1% within 10 "
                                 "sites)"),
                        (t_echo, "echo at the local spins (density "
                                 "changed by 1e-3)")):
            if t is not None and np.isfinite(t):
                ax.axhline(t, color="w", lw=0.8, ls=":")
                ax.text(2, t, what, color="w", va="bottom", fontsize="x-small")
        ax.set_xlabel("site x")
        ax.set_title(f"electron density, {name}", loc="left",
                     fontsize="medium")
    axes[0].set_ylabel("t (fs)")
    fig.colorbar(img, ax=axes, label="probability per site", shrink=0.9)
    if title:
        fig.suptitle(title)
    return fig

