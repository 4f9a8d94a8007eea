"""Which config keys each command reads: a key is used, or refused by name.

One config may serve several commands (``simulate``, ``train``,
``scatter``, ``compare-classical``, ``sweep``), and each reads only some of
its keys: :func:`keys_read` says which, for the config at hand (the local
spins' ``direction`` is read for a product or Néel state only, ``seed`` for
a random one, a method's options only by that method).
:func:`check_command_keys` then looks at every key the user set away from
its default and that the command does not read:

* a key that shapes the physics (the model, the initial state, the method
  and its options) is refused, one :class:`~qutip_stt.errors.ConfigError`
  naming the key and the command: running without it would be a silently
  wrong answer;
* a key that only steers another command (``evolution.t_max`` for
  ``simulate``, the ``[train]`` and ``[scatter]`` tables, ``[analysis]``
  outside ``simulate``) is returned as one warning line naming it, so one
  config can serve several commands.

Plain data and checks: no QuTiP import.
"""

import copy

from ..errors import ConfigError
from ..solvers.registry import config_options, get_method, method_names
from .resolve import resolve_config
from .schema import DEFAULTS

__all__ = ["COMMANDS", "STEERING", "keys_read", "check_command_keys"]

#: The commands that run a config, and the methods each can run (None:
#: every registered method).
COMMANDS = {
    "simulate": None,
    "sweep": None,
    "compare-classical": None,
    "train": ("chebyshev",),
    "scatter": (),
}

#: Keys that only steer a command (what it computes, not the physics).
STEERING = ("evolution.t_max", "evolution.n_times", "analysis.*", "train.*",
            "scatter.*")

#: Why a command does not read a physics key (for the message).
_REASONS = {
    "train": "its channel is built by the exact sector route, from "
             "[chain], [local_spins], [electron] and [train]",
    "sweep": "a sweep runs one electron ([electron]) per point",
    "compare-classical": "the classical limit follows one electron "
                         "([electron])",
    "scatter": "the S-matrix is computed from [chain] hopping, the local "
               "spins' exchange and state, the packet of [electron] and "
               "[scatter]; it has no fields, site potential or bath",
}


def _steering(key):
    table = key.split(".")[0]
    return key in STEERING or f"{table}.*" in STEERING


def _local_keys(ls, command):
    keys = {"count", "spin", "first_site", "J", "Jz", "J_sd", "state"}
    if command != "scatter":
        keys.add("field")
    state = ls["state"]
    if state in ("product", "neel"):
        keys.add("direction")
    elif state == "ground":
        keys.add("sector")
    elif state == "random":
        keys.add("seed")
    return {f"local_spins.{k}" for k in keys}


def _electrons_keys(el):
    """The ``[electrons]`` keys read (by ``simulate``, the one command that
    runs several electrons): the lead and its spin, or the packets."""
    keys = {"count", "state", "hubbard_U"}
    keys |= {"lead", "spin"} if el["state"] == "lead" else {"packets"}
    return {f"electrons.{k}" for k in keys}


def _methods(command, config):
    """The methods a command runs for ``config`` (``"auto"`` expanded)."""
    method = config["evolution"]["method"]
    allowed = COMMANDS[command]
    names = [m for m in method_names() if m != "auto"]
    if allowed is not None:
        names = [m for m in names if m in allowed]
    if method == "auto":
        chosen = {m for m in names if get_method(m).auto is not None}
    else:
        chosen = {method} & set(names)
    if command == "compare-classical":
        chosen |= {"classical"}
    return chosen


def keys_read(command, config):
    """The dotted keys ``command`` reads from a resolved ``config``.

    Parameters
    ----------
    command : str
        One of :data:`COMMANDS`.
    config : dict
        A resolved config.

    Returns
    -------
    set of str

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> cfg = resolve_config({"local_spins": {"state": "random"}})
    >>> read = keys_read("train", cfg)
    >>> "local_spins.seed" in read, "local_spins.direction" in read
    (True, False)
    >>> "evolution.t_max" in read, "train.interval" in read
    (False, True)
    """
    if command not in COMMANDS:
        raise ConfigError("command", "expected one of " + ", ".join(COMMANDS)
                          + f", got {command!r}")
    read = _local_keys(config["local_spins"], command)
    read |= {"chain.length", "chain.hopping"}
    read |= {"electron.k", "electron.dk", "electron.x0", "electron.spin"}
    if "electrons" in config and command == "simulate":
        read |= _electrons_keys(config["electrons"])
        if config["evolution"]["method"] == "mps":
            read |= {f"mps.{k}" for k in DEFAULTS["mps"]}
    if command != "scatter":
        read |= {"chain.potential", "electron.field"}
    methods = _methods(command, config)
    if methods or config["evolution"]["method"] == "auto":
        read.add("evolution.method")
    for name, (_, owners) in config_options().items():
        if methods & set(owners):
            read.add(f"evolution.{name}")
    if command in ("simulate", "sweep", "compare-classical"):
        read |= {"evolution.t_max", "evolution.n_times"}
        read |= {f"analysis.{k}" for k in DEFAULTS["analysis"]}
    if command != "scatter" and "electrons" not in config:
        # the bath: mesolve in simulate and sweeps, between electrons in
        # train; compare-classical's classical method refuses it by name
        read |= {f"bath.{k}" for k in DEFAULTS["bath"]}
    if command == "train":
        read |= {f"train.{k}" for k in DEFAULTS["train"]}
    if command == "scatter":
        read |= {f"scatter.{k}" for k in DEFAULTS["scatter"]}
    return read


def _readers(key, config):
    return [c for c in COMMANDS if c != "sweep" and key in keys_read(c, config)]


def check_command_keys(raw, config, command):
    """Refuse the physics keys ``command`` would drop; warn about the others.

    Parameters
    ----------
    raw : dict
        The config as the user wrote it (file or preset, with ``--set``
        applied), not resolved: which keys were set.
    config : dict
        ``raw`` resolved.
    command : str
        One of :data:`COMMANDS`.

    Returns
    -------
    list of str
        One warning line per key that only steers another command and was
        set away from its default.

    Raises
    ------
    ConfigError
        Naming the first key that shapes the physics, set away from its
        default, which ``command`` does not read.

    Examples
    --------
    >>> raw = {"local_spins": {"state": "neel"}, "evolution": {"t_max": 50,
    ...        "n_times": 11}}
    >>> check_command_keys(raw, resolve_config(raw), "train")
    ['evolution.t_max is read by simulate, compare-classical, not by qutip-stt train: it is ignored here', 'evolution.n_times is read by simulate, compare-classical, not by qutip-stt train: it is ignored here']
    >>> raw = {"evolution": {"method": "classical"}}
    >>> check_command_keys(raw, resolve_config(raw), "train")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: evolution.method: set to 'classical', but qutip-stt train does not read it (its channel is built by the exact sector route, from [chain], [local_spins], [electron] and [train]); remove it, or run a command that reads it (simulate, compare-classical)
    """
    read = keys_read(command, config)
    warnings = []
    for table, values in raw.items():
        if not isinstance(values, dict):
            continue
        for name in values:
            key = f"{table}.{name}"
            if key in read or not _away_from_default(raw, config, table,
                                                     name):
                continue
            readers = [c for c in _readers(key, config) if c != command]
            where = ", ".join(readers) if readers else "no command of this config"
            if _steering(key):
                warnings.append(f"{key} is read by {where}, not by qutip-stt "
                                f"{command}: it is ignored here")
                continue
            reason = _reason(key, config, command)
            raise ConfigError(key, f"set to {config[table][name]!r}, but "
                              f"qutip-stt {command} does not read it "
                              f"({reason}); remove it, or run a command "
                              f"that reads it ({where})")
    return warnings


def _reason(key, config, command):
    table, name = key.split(".")
    if table == "local_spins" and name in ("direction", "sector", "seed"):
        return (f"with local_spins.state = {config['local_spins']['state']!r}"
                f" the key {name} means nothing")
    if (table == "electrons" and command == "simulate"
            and name in ("lead", "spin", "packets")):
        return (f"with electrons.state = {config['electrons']['state']!r}"
                f" the key {name} means nothing")
    if table == "evolution" and name != "method":
        owners = config_options().get(name, (None, []))[1]
        return ("it is an option of method " + " and ".join(owners)
                + f", and the method is {config['evolution']['method']!r}")
    return _REASONS.get(command, "it means nothing to this command")


def _away_from_default(raw, config, table, name):
    """Whether ``table.name`` differs from what the config gives without it."""
    trimmed = copy.deepcopy(raw)
    trimmed[table].pop(name)
    try:
        default = resolve_config(trimmed)[table][name]
    except ConfigError:
        return True
    return default != config[table][name]
