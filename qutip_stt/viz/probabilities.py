"""Eq. (8) probabilities of the spin configurations vs time (panel (d) of Figs. 3-6),
with one fixed colour per configuration.

:func:`plot_probabilities` draws the configurations that get weight, on a
logarithmic axis when the small ones need it (then with a linear strip of the
dominant ones above); :func:`configuration_color` gives a configuration the
same colour in every figure. Labels are those of
:attr:`~qutip_stt.model.hamiltonian.STTModel.spin_configuration_labels`: ``"↓;↑↑↑↑↑"``
for spin-1/2 local spins, m values such as ``"↑;3/2"`` or ``"↑;1,-1"`` for
spin S. Used by :mod:`qutip_stt.viz.plotting`. Nothing here
computes physics.
"""

import numpy as np

from .echo import shade_echo
from .style import _axes, _legend_outside, ket_label

__all__ = ["plot_probabilities", "configuration_color"]


def plot_probabilities(times, probabilities, labels, *, threshold=1e-6,
                       log="auto", ax=None, title=None, t_echo=None,
                       linear_ax=None):
    """Eq. (8) probabilities of the spin configurations that get weight (panel (d)).

    Parameters
    ----------
    times : array_like, shape (T,)
        fs.
    probabilities : array_like, shape (T, M)
    labels : sequence of str, length M
        Configuration labels like ``"↓;↑↑↑↑↑"``; drawn as ``|↓;↑↑↑↑↑⟩``.
    threshold : float, default: 1e-6
        Configurations whose largest probability stays below it are left out.
    log : bool or "auto", default: "auto"
        Logarithmic probability axis; ``"auto"`` takes it when a shown
        configuration never exceeds 0.05 (the excited configurations of the
        N = 5 chain carry a few per cent next to one of weight ~1).
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    t_echo : float, optional
        Times after it are shaded (:func:`~qutip_stt.viz.echo.shade_echo`).
    linear_ax : matplotlib.axes.Axes, optional
        When the axis is logarithmic, the configurations above 0.2 are
        drawn here again on a linear axis fitted to them (the dip of the
        dominant configuration is flat on the log axis).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax)
    probabilities = np.asarray(probabilities)
    peak = probabilities.max(axis=0)
    shown = [i for i in np.argsort(-peak, kind="stable") if peak[i] > threshold]
    spare = iter(_SPARE_COLORS * (1 + len(shown) // len(_SPARE_COLORS)))
    S = _label_spin(labels)
    for j, i in enumerate(shown):
        color = configuration_color(labels[i], S) or next(spare)
        ax.plot(times, probabilities[:, i], color=color, lw=1.5,
                ls="-" if j < 10 else "--", label=ket_label(labels[i]))
    ax.set_xlabel("t (fs)")
    ax.set_ylabel("probability, Eq. (8)")
    ax.set_xlim(times[0], times[-1])
    if log == "auto":
        log = _wants_log(probabilities, threshold)
    if log:
        ax.set_yscale("log")
        low = min((probabilities[probabilities[:, i] > 0, i].min()
                   for i in shown), default=1e-4)
        ax.set_ylim(max(low, 1e-4) / 2, 2.0)
    else:
        ax.set_ylim(0, 1.05)
    shade_echo(ax, t_echo)
    _legend_outside(ax, fontsize="x-small")
    if log and linear_ax is not None:
        _linear_strip(linear_ax, times, probabilities, labels, shown, S,
                      t_echo)
    if title:
        ax.set_title(title, loc="left", fontsize="medium")
    return fig


def _wants_log(probabilities, threshold=1e-6):
    """A shown configuration never exceeds 0.05: a log axis is needed."""
    peak = np.asarray(probabilities).max(axis=0)
    shown = peak[peak > threshold]
    return bool(shown.size) and float(shown.min()) < 0.05


def _linear_strip(ax, times, probabilities, labels, shown, S, t_echo):
    """The dominant configurations (peak > 0.2) on a linear axis."""
    big = [i for i in shown if probabilities[:, i].max() > 0.2]
    for i in big:
        ax.plot(times, probabilities[:, i], lw=1.5,
                color=configuration_color(labels[i], S) or "0.25",
                label=ket_label(labels[i]))
    ax.set_xlim(times[0], times[-1])
    if big:
        lo = min(probabilities[:, i].min() for i in big)
        hi = max(probabilities[:, i].max() for i in big)
        pad = max(0.1 * (hi - lo), 0.005)
        ax.set_ylim(lo - pad, min(hi + pad, 1.02))
    ax.set_ylabel("linear", fontsize="small")
    ax.tick_params(labelbottom=False, labelsize="small")
    shade_echo(ax, t_echo)


#: Colours of one-step deviations from the all-up configuration, by position.
_FLIP_COLORS = ["tab:blue", "tab:green", "tab:orange", "tab:purple",
                "tab:brown", "tab:pink", "tab:olive", "tab:cyan"]
_SPARE_COLORS = ["0.25", "0.5", "goldenrod", "teal", "navy", "maroon"]


def configuration_color(label, S=0.5):
    """A fixed colour per spin configuration, the same in every figure.

    ``|↑;↑...↑⟩`` (or ``|↑;S⟩``) black, ``|↓;↑...↑⟩`` red, electron up with
    one local spin lowered by one at position n the n-th of
    :data:`_FLIP_COLORS`; anything else ``None`` (the caller picks).

    Parameters
    ----------
    label : str
        ``"↓;↑↑↑↑↑"`` (spin-1/2) or ``"↑;3/2"`` / ``"↑;1,-1"`` (spin S).
    S : float, default: 0.5
        Local-spin size, needed for labels that give m values.

    Returns
    -------
    str or None
        A matplotlib colour.

    Examples
    --------
    >>> configuration_color("↑;3/2", S=2.5)
    'tab:blue'
    """
    electron, _, local = label.partition(";")
    if _is_m_label(local):
        lowered = [S - _parse_m(v) for v in local.split(",")]
    else:
        lowered = [0.0 if c == "↑" else 1.0 for c in local]
    if any(v not in (0.0, 1.0) for v in lowered) or sum(lowered) > 1:
        return None
    if electron == "↑" and sum(lowered) == 0:
        return "k"
    if electron == "↓" and sum(lowered) == 0:
        return "tab:red"
    if electron == "↑":
        return _FLIP_COLORS[lowered.index(1.0) % len(_FLIP_COLORS)]
    return None


def _is_m_label(local):
    return any(ch.isdigit() for ch in local)


def _label_spin(labels):
    """Local-spin size S from the full list of configuration labels."""
    ms = [_parse_m(v) for lab in labels
          for v in lab.partition(";")[2].split(",")
          if _is_m_label(lab.partition(";")[2])]
    return max(ms) if ms else 0.5


def _parse_m(text):
    num, _, den = text.partition("/")
    return float(num) / float(den or 1)
