"""Figures of an electron train: spins, purity, entropy against electron number.

Every function takes a :class:`~qutip_stt.trains.iteration.TrainResult` or
the dict of :func:`~qutip_stt.io.trains.read_train`; spins in units of
hbar/2, entropy in natural log.
"""

import numpy as np

from .bloch import Run, animate

__all__ = ["plot_train", "plot_sz_map", "train_run", "animate_train"]


def _get(data, key):
    return data[key] if isinstance(data, dict) else getattr(data, key)


def _spin_size(data):
    if isinstance(data, dict):
        return float(data["attrs"]["model_S"])
    return data.channel.model.S


def _bound(data):
    """The one-quantum-per-electron bound on total S^z, or None."""
    n, sz = _get(data, "n"), _get(data, "total_sz")
    if isinstance(data, dict):
        cfg = data.get("config")
        if cfg is None:
            return None
        from ..states.forms import parse_direction
        theta, _ = parse_direction(cfg["electron"]["spin"])
        p = cfg["train"]["polarization"]
        N, S = cfg["local_spins"]["count"], cfg["local_spins"]["spin"]
        sz_in = p * np.cos(np.radians(theta))
        return np.maximum(sz[0] - (1 - sz_in) * n, -2 * N * S)
    from ..trains.iteration import reversal_bound
    return reversal_bound(data.channel, sz[0], n)


def plot_train(data, *, compare=False, title=None, fig=None):
    """Total S^z, purity and entropy of the local spins against electron number.

    Parameters
    ----------
    data : TrainResult or dict
    compare : bool, default: False
        Also draw the bound of angular-momentum conservation: each electron
        can give the spins at most ``1 - <sigma_z>_in`` (one quantum, 2 in
        units of hbar/2, for a spin-down electron).
        A train with a bath also shows its fixed point (dotted).
    title : str, optional
    fig : matplotlib.figure.Figure, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    fig = fig or Figure(figsize=(9.6, 3.0), layout="constrained")
    axes = fig.subplots(1, 3)
    n = _get(data, "n")
    sz = _get(data, "total_sz")
    ax = axes[0]
    ax.plot(n, sz, "o-", ms=3, label="quantum channel")
    if compare:
        bound = _bound(data)
        if bound is not None:
            ax.plot(n, bound, "k--", lw=1,
                    label="bound: one quantum per electron")
    steady = _get(data, "steady")
    if steady is not None:
        value = _get(steady, "total_sz")
        ax.axhline(float(value), color="tab:purple", ls=":", lw=1.2,
                   label="fixed point (with the bath)")
        for ax_, key in ((axes[1], "purity"), (axes[2], "entropy")):
            ax_.axhline(float(_get(steady, key)), color="tab:purple",
                        ls=":", lw=1.2)
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set_xlabel("electron number n")
    ax.set_ylabel(r"total $\langle\Sigma^z\rangle$ ($\hbar/2$)")
    ax.legend(fontsize=7)
    axes[1].plot(n, _get(data, "purity_local"), "o-", ms=3, color="tab:green")
    axes[1].set_xlabel("electron number n")
    axes[1].set_ylabel(r"purity Tr$\rho_n^2$ of the local spins")
    axes[2].plot(n, _get(data, "entropy_local"), "o-", ms=3, color="tab:red")
    axes[2].set_xlabel("electron number n")
    axes[2].set_ylabel("entanglement entropy (nats)")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_sz_map(data, *, title=None, fig=None):
    """Heat map of ``<Sigma^z>`` of each local spin (rows) against electron number.

    Parameters
    ----------
    data : TrainResult or dict
    title : str, optional
    fig : matplotlib.figure.Figure, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    spin = _get(data, "local_spin")
    S = _spin_size(data)
    n = _get(data, "n")
    N = spin.shape[1]
    fig = fig or Figure(figsize=(6.4, 1.2 + 0.35 * N), layout="constrained")
    ax = fig.subplots()
    im = ax.imshow(spin[:, :, 2].T, aspect="auto", origin="lower",
                   cmap="RdBu_r", vmin=-2 * S, vmax=2 * S,
                   extent=(n[0] - 0.5, n[-1] + 0.5, 0.5, N + 0.5),
                   interpolation="nearest")
    ax.set_yticks(range(1, N + 1))
    ax.set_xlabel("electron number n")
    ax.set_ylabel("local spin")
    fig.colorbar(im, ax=ax, label=r"$\langle\Sigma^z_i\rangle$ ($\hbar/2$)")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def train_run(data, label="train"):
    """The train as a :class:`qutip_stt.viz.bloch.Run` whose frames are electron numbers.

    Parameters
    ----------
    data : TrainResult or dict
    label : str, default: "train"

    Returns
    -------
    qutip_stt.viz.bloch.Run
        ``times`` are the electron numbers; the electron spin is absent
        (zeros).
    """
    n = np.asarray(_get(data, "n"), dtype=float)
    return Run(times=n, electron_spin=np.zeros((n.size, 3)),
               local_spin=np.asarray(_get(data, "local_spin"), float),
               S=_spin_size(data),
               purity_local=np.asarray(_get(data, "purity_local"), float),
               label=label, time_symbol="n", time_unit="")


def animate_train(data, spin=1, *, every=1, fps=5):
    """Bloch-sphere animation over electron number of local spin ``spin``.

    Uses :func:`qutip_stt.viz.bloch.animate`; write it with
    :func:`qutip_stt.viz.bloch.save_animation`.

    Parameters
    ----------
    data : TrainResult or dict
    spin : int, default: 1
        Local spin, numbered from 1.
    every, fps
        As :func:`qutip_stt.viz.bloch.animate`.

    Returns
    -------
    matplotlib.animation.FuncAnimation
    """
    return animate(train_run(data), f"local:{int(spin)}", every=every,
                   fps=fps)
