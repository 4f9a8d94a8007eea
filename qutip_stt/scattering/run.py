"""From a resolved config to scattering probabilities and their packet average."""

import numpy as np

from ..errors import ConfigError
from ..config.electrons import require_one_electron
from ..simulation import build_model
from .channels import ChannelBasis
from .leads import kinetic_energy
from .packet import packet_average
from .smatrix import incoming_channels, scattering_probabilities

__all__ = ["scatter"]


def scatter(config):
    """Energy-resolved probabilities and the packet average of a resolved config.

    The model comes from ``[chain]`` and ``[local_spins]`` (the chain length
    plays no role: the leads are semi-infinite), the incoming electron spin
    from ``electron.spin``, the chain state from ``local_spins.direction``
    (``"+z"`` or ``"-z"``: the XXZ eigenstates among the product states), the
    grid from ``[scatter]`` and the packet from ``electron.k``, ``dk``, ``x0``.

    Parameters
    ----------
    config : dict
        A resolved config (:func:`qutip_stt.config.resolve_config`).

    Returns
    -------
    result : ScatteringProbabilities
    packet : PacketAverage or None
        ``None`` when the packet mean ``electron.k`` is not in ``(0, pi)``.

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> cfg = resolve_config({"local_spins": {"count": 1, "spin": 2.5},
    ...     "scatter": {"k": {"start": 0.05, "stop": 1.0, "num": 20}}})
    >>> result, packet = scatter(cfg)
    >>> result.probabilities.shape, round(packet.transmission, 3)
    ((20, 24), 0.125)
    """
    require_one_electron(config, "qutip-stt scatter")
    ls, el, sc = (config["local_spins"], config["electron"],
                  config["scatter"])
    model = build_model(config)
    if model.fields or model.potential is not None:
        key = ("chain.potential" if model.potential is not None else
               "electron.field" if model.electron_field else
               "local_spins.field")
        raise ConfigError(key, "qutip-stt scatter does not include the "
                          "fields or the site potential yet; leave it at "
                          "its default")
    chain = ls["direction"]
    if chain not in ("+z", "-z"):
        raise ConfigError("local_spins.direction", "scatter needs the chain "
                          "in an XXZ eigenstate: \"+z\" or \"-z\", got "
                          f"{chain!r}")
    electron = el["spin"] if isinstance(el["spin"], str) else (
        el["spin"]["theta"], el["spin"]["phi"])
    basis = ChannelBasis(model, sc["padding"])
    _, eps_in, _ = incoming_channels(basis, electron, chain)
    if sc["energies"] is not None:
        g = sc["energies"]
        energies = np.linspace(g["start"], g["stop"], g["num"])
        key = "scatter.energies"
    else:
        g = sc["k"]
        energies = kinetic_energy(np.linspace(g["start"], g["stop"], g["num"]),
                                  eps_in, basis.gamma)
        key = "scatter.k"
    try:
        result = scattering_probabilities(basis, energies, electron=electron,
                                          chain=chain)
    except ConfigError as exc:
        if exc.key != "energies":
            raise
        raise ConfigError(key, str(exc).split(": ", 1)[1]) from None
    packet = None
    if 0 < el["k"] < np.pi:
        packet = packet_average(basis, el["k"], el["dk"], electron=electron,
                                chain=chain, x0=el["x0"])
    return result, packet
