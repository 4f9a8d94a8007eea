r"""Quantum against classical spin-transfer torque: the side-by-side figure and numbers.

Both runs start from the same config: the quantum one evolves the full ket,
the classical one the mean-field limit of :mod:`qutip_stt.solvers.classical`. The
figure has one column per local spin (``<Sigma_n>`` quantum, solid, against
``M_n`` classical, dashed: components on top, length / 2S below) and one for
the electron (its spin on top; below, the purity of the local spins, quantum
``Tr rho_local^2`` next to the classical 1 that holds by definition).

Runs are :class:`~qutip_stt.solvers.result.STTResult` objects or dicts of
:func:`qutip_stt.io.read_result`.
"""

import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_quantum_classical", "compare_numbers", "format_numbers"]

_COLORS = {"x": "tab:red", "y": "tab:green", "z": "tab:blue"}


def _get(data, key):
    return data[key] if isinstance(data, dict) else getattr(data, key)


def _spin_size(data):
    if isinstance(data, dict):
        return float(data["attrs"]["model_S"])
    return float(data.model.S)


def plot_quantum_classical(quantum, classical, *, title=None, fig=None):
    """One figure: every local spin and the electron, quantum against classical.

    Parameters
    ----------
    quantum, classical : STTResult or dict
        Runs of the same config, the second with method ``"classical"``.
    title : str, optional
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (resized), e.g. ``plt.figure()`` in a notebook;
        default: a new figure outside pyplot.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import qutip_stt as stt
    >>> from qutip_stt.config import apply_overrides, preset
    >>> cfg = apply_overrides(preset("paper-noncollinear", resolve=False),
    ...     ["chain.length=80", "local_spins.count=2", "evolution.t_max=4",
    ...      "evolution.n_times=3"])
    >>> q = stt.simulate(cfg, warn_reflections=False)
    >>> c = stt.simulate(cfg, method="classical", warn_reflections=False)
    >>> len(plot_quantum_classical(q, c).axes)
    6
    """
    t_q, t_c = _get(quantum, "times"), _get(classical, "times")
    Lq, Lc = _get(quantum, "local_spin"), _get(classical, "local_spin")
    S = _spin_size(quantum)
    N = Lq.shape[1]
    size = (2.9 * (N + 1), 5.4)
    if fig is None:
        fig = Figure(figsize=size, layout="constrained")
    else:
        fig.set_size_inches(*size)
        fig.set_layout_engine("constrained")
    axes = fig.subplots(2, N + 1, sharex=True, squeeze=False)
    for n in range(N):
        top, bottom = axes[0, n], axes[1, n]
        for k, c in enumerate("xyz"):
            top.plot(t_q, Lq[:, n, k], color=_COLORS[c], lw=1.4,
                     label=f"quantum ⟨Σ^{c}⟩")
            top.plot(t_c, Lc[:, n, k], color=_COLORS[c], lw=1.4, ls="--",
                     label=f"classical M^{c}")
        top.set_title(f"local spin {n + 1}")
        top.set_ylabel(r"units of $\hbar/2$")
        bottom.plot(t_q, np.linalg.norm(Lq[:, n], axis=1) / (2 * S),
                    color="black", lw=1.4, label="quantum |⟨Σ⟩|/2S")
        bottom.plot(t_c, np.linalg.norm(Lc[:, n], axis=1) / (2 * S),
                    color="tab:orange", ls="--", lw=1.4,
                    label="classical |M|/2S")
        bottom.set_xlabel("t (fs)")
        bottom.set_ylabel("length / 2S")
    eq, ec = _get(quantum, "electron_spin"), _get(classical, "electron_spin")
    top, bottom = axes[0, N], axes[1, N]
    for k, c in enumerate("xyz"):
        top.plot(t_q, eq[:, k], color=_COLORS[c], lw=1.4)
        top.plot(t_c, ec[:, k], color=_COLORS[c], lw=1.4, ls="--")
    top.set_title("electron spin ⟨σ⟩")
    bottom.plot(t_q, _get(quantum, "purity_local"), color="black", lw=1.4,
                label="quantum Tr ρ²_local")
    bottom.plot(t_c, np.ones_like(t_c), color="tab:orange", ls="--", lw=1.4,
                label="classical: 1 by definition")
    bottom.set_title("purity of the local spins")
    bottom.set_xlabel("t (fs)")
    bottom.legend(fontsize=7, loc="center right")
    axes[1, 0].legend(fontsize=7, loc="lower left")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=6,
               fontsize=8)
    fig.suptitle(title or "quantum (solid) vs classical (dashed) "
                 "spin-transfer torque")
    return fig


def compare_numbers(quantum, classical):
    """Final values of both runs, for a report or a closing note.

    Parameters
    ----------
    quantum, classical : STTResult or dict

    Returns
    -------
    dict
        ``t`` (last time, fs), ``quantum_local`` and ``classical_local``
        (``(N, 3)`` final spins, hbar/2), ``quantum_length`` and
        ``classical_length`` (``(N,)`` lengths / 2S), ``quantum_electron``,
        ``classical_electron`` (final electron spins), ``quantum_purity``
        (final ``Tr rho_local^2``), ``max_difference`` (largest
        ``|<Sigma_n> - M_n|`` over spins, components and times, hbar/2).

    Examples
    --------
    >>> import qutip_stt as stt
    >>> from qutip_stt.config import apply_overrides, preset
    >>> cfg = apply_overrides(preset("paper-collinear", resolve=False),
    ...     ["chain.length=80", "local_spins.count=2", "evolution.t_max=4",
    ...      "evolution.n_times=3"])
    >>> q = stt.simulate(cfg, warn_reflections=False)
    >>> c = stt.simulate(cfg, method="classical", warn_reflections=False)
    >>> compare_numbers(q, c)["classical_length"]
    array([1., 1.])
    """
    S = _spin_size(quantum)
    Lq, Lc = _get(quantum, "local_spin"), _get(classical, "local_spin")
    return {
        "t": float(_get(quantum, "times")[-1]),
        "quantum_local": Lq[-1], "classical_local": Lc[-1],
        "quantum_length": np.linalg.norm(Lq[-1], axis=1) / (2 * S),
        "classical_length": np.linalg.norm(Lc[-1], axis=1) / (2 * S),
        "quantum_electron": _get(quantum, "electron_spin")[-1],
        "classical_electron": _get(classical, "electron_spin")[-1],
        "quantum_purity": float(_get(quantum, "purity_local")[-1]),
        "max_difference": float(np.max(np.abs(Lq - Lc))),
    }


def format_numbers(numbers):
    """:func:`compare_numbers` as a few lines of text (what the CLI prints)."""
    lines = [f"t = {numbers['t']:g} fs   quantum <Sigma_n>  |  classical M_n"
             "   (hbar/2; length / 2S)"]
    for n, (q, c, lq, lc) in enumerate(zip(
            numbers["quantum_local"], numbers["classical_local"],
            numbers["quantum_length"], numbers["classical_length"]), 1):
        lines.append(f"spin {n}: " + " ".join(f"{v:+.4f}" for v in q)
                     + f" ({lq:.4f})  |  " + " ".join(f"{v:+.4f}" for v in c)
                     + f" ({lc:.4f})")
    lines.append("electron: " + " ".join(
        f"{v:+.4f}" for v in numbers["quantum_electron"]) + "  |  " + " ".join(
        f"{v:+.4f}" for v in numbers["classical_electron"]))
    lines.append(f"purity of the local spins: quantum "
                 f"{numbers['quantum_purity']:.4f}  |  classical 1 (by "
                 f"definition); largest |<Sigma_n> - M_n| = "
                 f"{numbers['max_difference']:.4f}")
    return "\n".join(lines)
