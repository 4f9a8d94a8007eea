r"""Figures of the pair measures between spins: heat maps and time traces.

Both functions take an :class:`~qutip_stt.solvers.STTResult` run with
``analysis=`` or the dict of :func:`qutip_stt.io.read_result` of a file with
``pairs/`` datasets, and return a :class:`matplotlib.figure.Figure`. Spin 0 is
the electron spin (labelled ``e``), spin ``n`` local spin ``n``. Mutual
information is drawn in bits (stored in nats), log-negativity in bits,
correlations in units of ``(hbar/2)^2``.
"""

import numpy as np
from matplotlib.figure import Figure

__all__ = ["pair_matrix", "plot_pair_map", "plot_pair_evolution", "LABELS"]

#: Axis label and conversion factor from the stored unit, per measure.
LABELS = {
    "mutual_information": ("mutual information $I(i{:}j)$ (bits)", 1 / np.log(2)),
    "concurrence": ("concurrence $C$", 1.0),
    "log_negativity": ("log-negativity $E_N$ (bits)", 1.0),
    "correlation": (r"$\langle\Sigma_i\cdot\Sigma_j\rangle - \langle\Sigma_i\rangle"
                    r"\cdot\langle\Sigma_j\rangle$ $(\hbar/2)^2$", 1.0),
}


def _get(data, key):
    return data[key] if isinstance(data, dict) else getattr(data, key)


def _entanglement(data):
    ent = _get(data, "entanglement")
    if not ent or "pairs_index" not in ent or not len(ent["pairs_index"]):
        raise ValueError("no pair measures in this result: run with "
                         "analysis={'pairs': 'all'} or [analysis] pairs = \"all\"")
    return ent


def _check_measure(ent, measure):
    if measure not in LABELS:
        raise ValueError(f"measure: expected one of {', '.join(LABELS)}, got "
                         f"{measure!r}")
    if measure not in ent:
        raise ValueError(f"measure: {measure!r} was not stored in this result")


def pair_matrix(data, measure="mutual_information", time_index=-1):
    """The ``(N+1, N+1)`` symmetric matrix of one measure at one output time.

    Parameters
    ----------
    data : STTResult or dict
        With pair measures.
    measure : str, default: "mutual_information"
        A key of :data:`LABELS`.
    time_index : int, default: -1
        Index into the output times.

    Returns
    -------
    numpy.ndarray
        In the stored units; ``NaN`` on the diagonal and for pairs not stored.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state, evolve
    >>> model = STTModel(Lx=40, N=2)
    >>> result = evolve(model, initial_state(model, x0=10), [0.0],
    ...                 analysis={"pairs": "all"})
    >>> pair_matrix(result).shape
    (3, 3)
    """
    ent = _entanglement(data)
    _check_measure(ent, measure)
    n = int(np.max(ent["pairs_index"])) + 1
    n = max(n, int(_get(data, "local_spin").shape[1]) + 1)
    M = np.full((n, n), np.nan)
    values = np.asarray(ent[measure])[time_index]
    for (i, j), v in zip(ent["pairs_index"], values):
        M[i, j] = M[j, i] = v
    return M


def plot_pair_map(data, measure="mutual_information", times=None, cmap=None):
    """Heat maps of a pair measure over all pairs ``(i, j)`` at chosen times.

    Parameters
    ----------
    data : STTResult or dict
        With pair measures (``pairs = "all"`` fills the whole map).
    measure : str, default: "mutual_information"
    times : list of float, optional
        Times (fs); the nearest output times are drawn. Default: the first,
        middle and last output.
    cmap : str, optional
        Default ``"viridis"``, ``"RdBu_r"`` (centred on 0) for the correlation.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per time, one shared colour bar; grey cells are not stored.
    """
    ent = _entanglement(data)
    _check_measure(ent, measure)
    t = np.asarray(_get(data, "times"))
    if times is None:
        idx = sorted({0, len(t) // 2, len(t) - 1})
    else:
        idx = [int(np.argmin(np.abs(t - float(x)))) for x in times]
    label, factor = LABELS[measure]
    mats = [factor * pair_matrix(data, measure, k) for k in idx]
    finite = np.concatenate([m[np.isfinite(m)] for m in mats] + [np.zeros(1)])
    if measure == "correlation":
        vmax = max(float(np.max(np.abs(finite))), 1e-12)
        vmin, cmap = -vmax, cmap or "RdBu_r"
    else:
        vmin, vmax = 0.0, max(float(np.max(finite)), 1e-12)
        cmap = cmap or "viridis"
    n = mats[0].shape[0]
    names = ["e"] + [str(k) for k in range(1, n)]
    fig = Figure(figsize=(1.0 + 2.6 * len(idx), 3.0), layout="constrained")
    axes = fig.subplots(1, len(idx), squeeze=False)[0]
    for ax, k, M in zip(axes, idx, mats):
        im = ax.imshow(np.ma.masked_invalid(M), cmap=cmap, vmin=vmin, vmax=vmax,
                       origin="upper")
        im.cmap.set_bad("0.85")
        ax.set_xticks(range(n), names)
        ax.set_yticks(range(n), names)
        ax.set_title(f"t = {t[k]:g} fs")
        ax.set_xlabel("spin j")
    axes[0].set_ylabel("spin i")
    fig.colorbar(im, ax=list(axes), label=label, shrink=0.9)
    return fig


def plot_pair_evolution(data, pair=None, measures=None, ax=None):
    """Time evolution of the measures of one pair (default: the edge spins 1 and N).

    Parameters
    ----------
    data : STTResult or dict
        With pair measures that include ``pair``.
    pair : (int, int), optional
        Subsystem indices; default ``(1, N)``.
    measures : list of str, optional
        Default: mutual information, concurrence and log-negativity where
        stored (all in bits or dimensionless).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    ent = _entanglement(data)
    index = [tuple(p) for p in np.asarray(ent["pairs_index"]).tolist()]
    if pair is None:
        pair = (1, int(_get(data, "local_spin").shape[1]))
    pair = tuple(sorted(int(v) for v in pair))
    if pair not in index:
        raise ValueError(f"pair: {list(pair)} was not stored; stored: "
                         f"{[list(p) for p in index]}")
    p = index.index(pair)
    if measures is None:
        measures = [m for m in ("mutual_information", "concurrence",
                                "log_negativity") if m in ent]
    if ax is None:
        fig = Figure(figsize=(5.0, 3.2), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    t = np.asarray(_get(data, "times"))
    for m in measures:
        _check_measure(ent, m)
        label, factor = LABELS[m]
        ax.plot(t, factor * np.asarray(ent[m])[:, p], label=label)
    ax.set_xlabel("t (fs)")
    names = ["e" if k == 0 else str(k) for k in pair]
    ax.set_title(f"spins {names[0]} and {names[1]}")
    ax.legend(fontsize="small")
    return fig
