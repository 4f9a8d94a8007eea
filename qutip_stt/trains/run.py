"""From a resolved config to an electron train: the path ``qutip-stt train`` takes.

``config -> memory check -> interval (given or default) -> channel (D sector
runs; with a [bath], composed with the bath) -> iteration over K electrons
(and, with a bath, the fixed point) -> TrainResult``;
:func:`qutip_stt.io.trains.write_train` then writes it.
"""

import copy

from ..errors import ConfigError
from .._util.resources import MEMORY_FRACTION, available_memory
from ..config.electrons import require_one_electron
from ..simulation import build_model
from .channel import channel_memory, electron_channel
from ..states.local import local_state
from .bath import with_bath
from .iteration import iterate
from .steady import steady_state
from ..model.open_model import has_bath
from .packet import default_interval

__all__ = ["train", "check_train_memory", "check_train_interval",
           "resolve_interval"]


def check_train_memory(config, available=None):
    """Refuse (ConfigError) a train whose channel would not fit in memory.

    Parameters
    ----------
    config : dict
        A resolved config.
    available : int, optional
        Bytes available (default :func:`qutip_stt._util.resources.available_memory`).

    Returns
    -------
    int
        The estimate, bytes (:func:`~qutip_stt.trains.channel.channel_memory`).

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> cfg = resolve_config({"local_spins": {"count": 8}})
    >>> check_train_memory(cfg, available=2**34)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: local_spins.count: the channel on D = 256 local-spin states (count=8, spin=0.5) needs about ... GiB ..., more than 80% of the 16.0 GiB available; reduce local_spins.count or local_spins.spin
    """
    require_one_electron(config, "qutip-stt train")
    ch, ls, el, tr = (config["chain"], config["local_spins"],
                      config["electron"], config["train"])
    both = tr["polarization"] < 1 or el["spin"] not in ("+z", "-z")
    channel = channel_memory(ch["length"], ls["count"], ls["spin"], both)
    D = (int(round(2 * ls["spin"])) + 1) ** ls["count"]
    # the iteration keeps rho_n for every n (as vectors, a dense stack and
    # a Qobj each) and the pair matrices of every n
    pairs = ls["count"] * (ls["count"] - 1) // 2
    d = int(round(2 * ls["spin"])) + 1
    iteration = (tr["electrons"] + 1) * (4 * D * D + pairs * d ** 4) * 16
    need = channel + iteration
    if available is None:
        available = available_memory()
    if available is None or need <= MEMORY_FRACTION * available:
        return need
    gib = 2 ** 30
    if iteration > channel:
        raise ConfigError(
            "train.electrons", f"{tr['electrons']:,} electrons keep "
            f"{tr['electrons'] + 1:,} density matrices of the {D} local-spin "
            f"states, about {need / gib:.3g} GiB with the channel, more "
            f"than {MEMORY_FRACTION:.0%} of the {available / gib:.1f} GiB "
            "available; send fewer electrons")
    raise ConfigError(
        "local_spins.count", f"the channel on D = {D:,} local-spin states (count="
        f"{ls['count']}, spin={ls['spin']:g}) needs about {need / gib:.3g} "
        f"GiB (its D^2 x D^2 superoperator and {2 if both else 1} x D evolved "
        f"states of {2 * ch['length'] * D:,} amplitudes), more than "
        f"{MEMORY_FRACTION:.0%} of the {available / gib:.1f} GiB available; "
        "reduce local_spins.count or local_spins.spin")


def check_train_interval(model, interval):
    """Refuse an interval whose Chebyshev series would not end in reasonable time.

    Every sector run propagates for ``interval``: about ``a interval / hbar``
    terms of the series (``a`` the spectral half-width, from the terms), at
    most :data:`~qutip_stt.solvers.limits.CHEBYSHEV_MAX_PHASE`.

    Parameters
    ----------
    model : STTModel
    interval : float
        fs.

    Raises
    ------
    ConfigError
        Naming ``train.interval``.
    """
    from ..constants import HBAR_EV_FS
    from ..model.bounds import hamiltonian_bounds
    from ..solvers.limits import CHEBYSHEV_MAX_PHASE
    lo, hi = hamiltonian_bounds(model)
    terms = 0.5 * (hi - lo) * (interval / HBAR_EV_FS)
    if not terms <= CHEBYSHEV_MAX_PHASE:
        raise ConfigError("train.interval", f"{interval:g} fs needs about "
                          f"{min(terms, 1e300):.2g} Chebyshev terms per electron "
                          f"(spectral half-width {0.5 * (hi - lo):.3g} eV), "
                          f"at most {CHEBYSHEV_MAX_PHASE:.0e}: give a shorter "
                          "interval (or \"auto\")")


def resolve_interval(config):
    """The interval (fs) of a config: ``train.interval``, or the default when "auto".

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    float
        fs (:func:`~qutip_stt.trains.packet.default_interval` for "auto").

    Examples
    --------
    >>> from qutip_stt.config import preset
    >>> resolve_interval(preset("paper-collinear"))
    256.0
    """
    require_one_electron(config, "qutip-stt train")
    ch, ls, el = config["chain"], config["local_spins"], config["electron"]
    interval = config["train"]["interval"]
    if interval != "auto":
        return float(interval)
    sites = range(ls["first_site"], ls["first_site"] + ls["count"])
    return default_interval(ch["length"], el["k"], el["dk"], el["x0"], sites,
                            ch["hopping"])[0]


def train(config, *, progress_bar=None, reached=None, **channel_options):
    """Run the electron train a resolved config describes.

    Parameters
    ----------
    config : dict
        A resolved config (:func:`qutip_stt.config.resolve_config`); the
        ``[train]`` table gives ``electrons``, ``interval`` and
        ``polarization``, the other tables the model and the packet.
    progress_bar : str, optional
        QuTiP progress bar over the channel's sector runs.
    reached : list, optional
        See :func:`~qutip_stt.trains.channel.electron_channel`.
    **channel_options
        ``margin``, ``tol``, ``leftover_tolerance`` for
        :func:`~qutip_stt.trains.channel.electron_channel`.

    Returns
    -------
    result : TrainResult
    resolved : dict
        ``config`` with ``train.interval`` replaced by the interval used.

    Raises
    ------
    ConfigError
        Before any evolution: memory estimate too large, interval too short.
    """
    require_one_electron(config, "qutip-stt train")
    check_train_memory(config)
    interval = resolve_interval(config)
    resolved = copy.deepcopy(config)
    resolved["train"]["interval"] = interval
    model = build_model(config)
    if not model.conserves_sz:
        raise ConfigError("local_spins.field", "qutip-stt train builds its "
                          "channel sector by sector, and a transverse field "
                          "(x or y) breaks total-S^z conservation; give the "
                          "field along z (a number or a list)")
    check_train_interval(model, interval)
    el, ls, tr = config["electron"], config["local_spins"], config["train"]
    channel = electron_channel(
        model, interval, el["k"], el["dk"], el["x0"], el["spin"],
        tr["polarization"], progress_bar=progress_bar, reached=reached,
        **channel_options)
    start = local_state(model, ls["state"], ls["direction"],
                        None if ls["sector"] == "lowest" else ls["sector"],
                        ls["seed"])
    if has_bath(model):             # the spins relax between electrons
        channel = with_bath(channel)
    result = iterate(channel, start, tr["electrons"])
    if has_bath(model):
        result.steady = steady_state(channel, start)
    return result, resolved
