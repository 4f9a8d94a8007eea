r"""Fig. 2: energy levels by total S^z, zooms on the ground multiplets, and the spins
of every state of both multiplets as arrows.

Energies in eV, sectors in hbar, spins in units of hbar/2; the data come from
:func:`qutip_stt.paper.compute_spectrum` (or its HDF5 file).
"""

import numpy as np
from matplotlib.figure import Figure

from .style import _axes

__all__ = ["plot_levels", "plot_spin_arrows", "plot_spectrum_figure"]


def plot_levels(energies, sectors, *, ax=None, color="tab:blue", title=None,
                xlabel=r"total $S^z$ ($\hbar$)", annotate=0):
    """Energy levels as horizontal bars, one column per total-S^z sector.

    Parameters
    ----------
    energies : array_like
        eV.
    sectors : array_like
        Total ``S^z`` of each level (units of hbar).
    ax : matplotlib.axes.Axes, optional
    color : str
    title : str, optional
    xlabel : str
    annotate : int, default: 0
        Mark the ``annotate`` lowest levels with a dot (the ground multiplet).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax)
    energies = np.asarray(energies, dtype=float)
    sectors = np.asarray(sectors, dtype=float)
    for e, m in zip(energies, sectors):
        ax.hlines(e, m - 0.35, m + 0.35, color=color, lw=1.0)
    values = np.unique(sectors)
    if annotate:
        low = np.argsort(energies, kind="stable")[:annotate]
        ax.plot(sectors[low], energies[low], "o", color="k", ms=3.5)
    ax.set_xticks(values)
    ax.set_xticklabels([_fraction(v) for v in values])
    ax.set_xlim(values.min() - 0.7, values.max() + 0.7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("E (eV)")
    if title:
        ax.set_title(title, loc="left", fontsize="medium")
    return fig


def _fraction(v):
    return f"{v:+.0f}" if float(v).is_integer() else f"{v * 2:+.0f}/2"


def plot_spin_arrows(bloch, *, ax=None, row_labels=None, column_labels=None,
                     color="tab:blue", title=None):
    """Spin expectation values drawn as arrows in the x-z plane (Fig. 2(c)).

    Parameters
    ----------
    bloch : array_like, shape (R, C, 3)
        ``<S_x, S_y, S_z>`` (hbar/2) of ``C`` spins in each of ``R`` states;
        ``NaN`` rows of a column leave that cell empty.
    ax : matplotlib.axes.Axes, optional
    row_labels, column_labels : sequence of str, optional
    color : str
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax)
    bloch = np.asarray(bloch, dtype=float)
    rows, cols = bloch.shape[:2]
    # longest arrow 0.6 of the row spacing, so arrows of adjacent rows
    # read as separate arrows, not one double-headed line
    scale = 0.3 / max(np.nanmax(np.linalg.norm(bloch, axis=2)), 1e-12)
    for r in range(rows):
        y = rows - 1 - r
        for c in range(cols):
            v = bloch[r, c]
            if np.any(np.isnan(v)):
                ax.text(c, y, "–", ha="center", va="center", color="0.6")
                continue
            dx, dz = v[0] * scale, v[2] * scale
            if np.hypot(dx, dz) < 1e-3:
                ax.plot(c, y, "o", color=color, ms=3)
                continue
            ax.annotate("", xy=(c + dx, y + dz), xytext=(c - dx, y - dz),
                        arrowprops=dict(arrowstyle="-|>", color=color, lw=1.8,
                                        shrinkA=0, shrinkB=0))
    ax.set_xlim(-0.6, cols - 0.4)
    ax.set_ylim(-0.6, rows - 0.4)
    ax.set_aspect("equal")
    ax.set_xticks(range(cols))
    ax.set_xticklabels(column_labels or [str(c) for c in range(cols)],
                       fontsize="small")
    ax.set_yticks(range(rows))
    ax.set_yticklabels(list(reversed(row_labels)) if row_labels else
                       [str(rows - 1 - r) for r in range(rows)],
                       fontsize="x-small")
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, loc="left", fontsize="medium")
    return fig


def plot_spectrum_figure(xxz_energies, xxz_sectors, full_energies, full_sectors,
                         xxz_bloch, full_bloch, xxz_ground_sectors,
                         full_ground_sectors, *, xxz_ground_energies=None,
                         full_ground_energies=None, title=None):
    """Fig. 2: (a) XXZ spectrum, (b) full spectrum near the band bottom, (c) arrows.

    Parameters
    ----------
    xxz_energies, xxz_sectors : array_like
        Levels (eV) of the isolated XXZ chain and their local total ``S^z``
        (hbar).
    full_energies, full_sectors : array_like
        Lowest levels (eV) of the full Hamiltonian and their total ``S^z``.
    xxz_bloch : array_like, shape (6, N, 3)
        Local-spin Bloch vectors in each state of the XXZ ground multiplet.
    full_bloch : array_like, shape (7, N+1, 3)
        Electron (column 0) and local-spin Bloch vectors in each state of the
        full ground multiplet.
    xxz_ground_sectors, full_ground_sectors : array_like
        Total ``S^z`` of the states in the two multiplets.
    xxz_ground_energies, full_ground_energies : array_like, optional
        Their energies (eV), printed in the row labels.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    xxz_bloch = np.asarray(xxz_bloch, dtype=float)
    full_bloch = np.asarray(full_bloch, dtype=float)
    n_local = xxz_bloch.shape[1]
    fig = Figure(figsize=(12.0, 7.6), layout="constrained")
    gs = fig.add_gridspec(2, 3, width_ratios=[1, 1, 1.05],
                          height_ratios=[1.25, 1])
    ax_a, ax_b = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
    n_xxz, n_full = len(xxz_bloch), len(full_bloch)
    plot_levels(xxz_energies, xxz_sectors, ax=ax_a, color="tab:red",
                xlabel=r"local $S^z_{\rm tot}$ ($\hbar$)", annotate=n_xxz,
                title=r"(a) XXZ chain alone ($J_{sd}=0$)")
    plot_levels(full_energies, full_sectors, ax=ax_b, color="tab:blue",
                annotate=n_full, title="(b) full H, bottom of the band")
    for (e, m, n, col, xl), where in (
            ((xxz_energies, xxz_sectors, n_xxz, "tab:red",
              r"local $S^z_{\rm tot}$ ($\hbar$)"), gs[1, 0]),
            ((full_energies, full_sectors, n_full, "tab:blue",
              r"total $S^z$ ($\hbar$)"), gs[1, 1])):
        low = np.argsort(np.asarray(e), kind="stable")[:n]
        zoom = fig.add_subplot(where)
        plot_levels(np.asarray(e)[low], np.asarray(m)[low], ax=zoom,
                    color=col, xlabel=xl,
                    title=f"{n} lowest (dots above), zoomed")
        zoom.yaxis.get_major_formatter().set_useOffset(False)
        span = np.ptp(np.asarray(e)[low])
        zoom.set_ylim(np.min(np.asarray(e)[low]) - 0.15 * span - 1e-5,
                      np.max(np.asarray(e)[low]) + 0.15 * span + 1e-5)
    # Pad XXZ rows with an empty electron column so both grids line up.
    pad = np.full((len(xxz_bloch), 1, 3), np.nan)
    columns = ["e"] + [str(n + 1) for n in range(n_local)]

    def labels(sectors, energies):
        if energies is None:
            return [_fraction(m) for m in sectors]
        return [f"{_fraction(m)} | {e:.4f}" for m, e in zip(sectors, energies)]

    ax_c1, ax_c2 = fig.add_subplot(gs[0, 2]), fig.add_subplot(gs[1, 2])
    plot_spin_arrows(np.concatenate([pad, xxz_bloch], axis=1), ax=ax_c1,
                     color="tab:red", column_labels=columns,
                     row_labels=labels(xxz_ground_sectors, xxz_ground_energies),
                     title="(c) ground multiplet of (a): spins")
    plot_spin_arrows(full_bloch, ax=ax_c2, color="tab:blue",
                     column_labels=columns,
                     row_labels=labels(full_ground_sectors,
                                       full_ground_energies),
                     title="(c') ground multiplet of (b): spins")
    for ax in (ax_c1, ax_c2):
        ax.set_xlabel(r"electron (e), local spin n; arrow = ($\langle S^x"
                      r"\rangle$, $\langle S^z\rangle$) in $\hbar/2$",
                      fontsize="small")
        ax.set_ylabel(r"level: $S^z_{\rm tot}$ ($\hbar$) | E (eV)",
                      fontsize="small")
        ax.tick_params(labelsize="small")
    if title:
        fig.suptitle(title)
    return fig
