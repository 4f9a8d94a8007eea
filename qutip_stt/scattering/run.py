"""From a resolved config to scattering probabilities and their packet average."""

import numpy as np

from ..errors import ConfigError
from ..config.electrons import require_one_electron
from ..simulation import build_model
from .channels import ChannelBasis
from .leads import kinetic_energy
from .packet import packet_average
from .smatrix import incoming_channels, scattering_probabilities

__all__ = ["scatter", "incoming_chain"]


def incoming_chain(model, ls):
    """The chain's incoming state for the S-matrix: an XXZ eigenstate.

    The incoming channel of the S-matrix is an eigenstate of the isolated
    chain: every spin along ``+z`` or ``-z`` (``state = "product"``), or the
    ground state of the chain in a total-S^z sector (``state = "ground"``,
    ``local_spins.sector``, or the lowest overall).

    Parameters
    ----------
    model : STTModel
    ls : dict
        The resolved ``[local_spins]`` table.

    Returns
    -------
    str or (float, int)
        ``"+z"``, ``"-z"`` or ``(M, 0)``, as
        :func:`~qutip_stt.scattering.smatrix.incoming_channels` takes it.

    Raises
    ------
    ConfigError
        For a state that is not an eigenstate of the chain (Néel, random,
        a list of directions, a tilted product), with that reason.
    """
    state = ls["state"]
    if state == "product":
        if ls["direction"] not in ("+z", "-z"):
            raise ConfigError("local_spins.direction", "qutip-stt scatter "
                              "needs the chain in an eigenstate of the XXZ "
                              "chain for its incoming channel: \"+z\" or "
                              "\"-z\" (or state = \"ground\"), got "
                              f"{ls['direction']!r}")
        return ls["direction"]
    if state == "ground":
        from ..model.spectrum import xxz_levels
        levels, sectors = xxz_levels(model, k=None, return_sectors=True)
        if ls["sector"] == "lowest":
            return (float(sectors[0]), 0)
        return (float(ls["sector"]), 0)
    what = {"neel": "a Néel state", "random": "a random product state"}.get(
        state, "a product of the listed directions") if isinstance(
            state, str) else "a product of the listed directions"
    if isinstance(state, list) and len(set(map(str, state))) == 1 and \
            state[0] in ("+z", "-z"):
        return state[0]
    raise ConfigError("local_spins.state", f"qutip-stt scatter needs the "
                      f"chain in an eigenstate of the XXZ chain for its "
                      f"incoming channel, and {what} is not one (the XX "
                      f"exchange moves it); use \"product\" along +z or -z, "
                      f"or \"ground\"")


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
    chain = incoming_chain(model, ls)
    electron = el["spin"]
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
