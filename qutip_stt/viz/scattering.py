"""Figure of ``qutip-stt scatter``: spin flip, transmission and reflection against energy."""

import numpy as np

__all__ = ["plot_scattering"]


def _packet_window(packet, lo_q=0.005, hi_q=0.995):
    """Energies holding the central 99 % of the packet, and its median density."""
    order = np.argsort(packet["energy"])
    E, rho = packet["energy"][order], packet["density"][order]
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (rho[1:] + rho[:-1])
                                           * np.diff(E))])
    cum /= cum[-1]
    lo, mid, hi = np.interp([lo_q, 0.5, hi_q], cum, E)
    return E, rho, (lo, hi), float(np.interp(mid, E, rho))


def _panel(ax, data, packet, window=None):
    E = np.asarray(data["energy"])
    sel = slice(None) if window is None else (E >= window[0]) & (E <= window[1])
    if packet is not None:
        twin = ax.twinx()
        pE, rho, _, mid = packet
        twin.fill_between(pE, rho, color="0.85", zorder=0,
                          label="packet energy density")
        twin.set_ylabel("packet density (1/eV)")
        # |phi|^2 dq/dE has an integrable 1/sqrt spike at the band bottom:
        # scale to the packet's median, let the spike run off the axis
        twin.set_ylim(0, 3 * mid)
        ax.set_zorder(twin.get_zorder() + 1)
        ax.patch.set_visible(False)
    ax.plot(E[sel], np.asarray(data["reflection"])[sel], color="C0",
            label="reflection R")
    ax.plot(E[sel], np.asarray(data["transmission"])[sel], color="C1",
            label="transmission T")
    ax.plot(E[sel], np.asarray(data["spin_flip"])[sel], color="C3", lw=2,
            label="spin flip")
    lo, hi = (E.min(), E.max()) if window is None else window
    marked = False
    for th in np.asarray(data["thresholds"]):
        if lo < th < hi:
            ax.axvline(th, color="0.4", ls=":", lw=0.9,
                       label=None if marked else "channel opens (e_n - 2 gamma)")
            marked = True
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("probability")
    handles, labels = ax.get_legend_handles_labels()
    if packet is not None:
        h2, l2 = twin.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    return handles, labels


def plot_scattering(data, fig=None):
    """Spin-flip, transmission and reflection probabilities against total energy.

    Top panel: the whole energy grid. With a packet average stored, its
    energy distribution is shaded under the curves (second axis) and a lower
    panel zooms on the energies holding 99 % of the packet. Dotted lines mark
    the energies ``e_n - 2 gamma`` where a channel of the incoming sectors
    opens.

    Parameters
    ----------
    data : dict or ScatteringProbabilities
        :func:`~qutip_stt.io.scattering.read_scattering` output, or a
        result (drawn without a packet).
    fig : matplotlib.figure.Figure, optional
        Figure to draw into; a new one otherwise.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> from qutip_stt.scattering import scattering_probabilities
    >>> res = scattering_probabilities(STTModel(N=1, S=2.5),
    ...                                np.linspace(-1.9, 1.9, 50))
    >>> fig = plot_scattering(res)
    """
    import matplotlib.pyplot as plt

    if not isinstance(data, dict):
        data = {name: getattr(data, name) for name in
                ("energy", "spin_flip", "transmission", "reflection",
                 "thresholds")}
    packet = data.get("packet")
    window = _packet_window(packet) if packet is not None else None
    rows = 1 if packet is None else 2
    if fig is None:
        fig = plt.figure(figsize=(7.5, 3.4 * rows), layout="constrained")
    axes = fig.subplots(rows, 1, squeeze=False)[:, 0]
    handles, labels = _panel(axes[0], data, window)
    if packet is not None:
        _panel(axes[1], data, window, window[2])
        axes[1].set_title("zoom on the packet's energies (central 99 %)",
                          fontsize="small")
    axes[-1].set_xlabel("total energy E (eV)")
    axes[0].legend(handles, labels, loc="center right", fontsize="small")
    if "attrs" in data:
        theta, phi = (float(a) for a in data["attrs"]["incoming_electron"])
        axes[0].set_title(f"electron (theta, phi) = ({theta:g}, {phi:g}) deg "
                          f"on chain {data['attrs']['incoming_chain']}",
                          fontsize="medium")
    return fig
