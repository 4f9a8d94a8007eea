"""Configs in and out: TOML files, presets, ``--set`` overrides, TOML text.

One job: the ways a run configuration comes in and goes out.
:func:`read_config` reads a TOML file as written and :func:`load_config`
also resolves it (:func:`~qutip_stt.config.resolve.resolve_config`);
:func:`preset` copies one of :data:`~qutip_stt.config.presets.PRESETS`;
:func:`apply_overrides` applies ``--set key=value`` strings; :func:`to_toml`
writes a resolved config back as TOML. Imports no QuTiP.
"""

import copy
import json
import math
import tomllib

from .resolve import resolve_config
from .presets import PRESETS
from .schema import DEFAULTS, KEY_DOCS
from ..errors import ConfigError
from .._util.validation import did_you_mean

__all__ = ["read_config", "load_config", "preset", "apply_overrides",
           "merge_overrides", "to_toml", "toml_value"]


def preset(name, resolve=True):
    """A copy of a preset config (see :data:`.PRESETS`), resolved unless asked not to.

    Parameters
    ----------
    name : str
        ``"paper-collinear"``, ``"paper-noncollinear"``,
        ``"macrospin-collinear"`` or ``"macrospin-noncollinear"``.
    resolve : bool, default: True
        Fill in every default
        (:func:`~qutip_stt.config.resolve.resolve_config`). Pass ``False``
        to get the preset as written, for :func:`apply_overrides`, so that
        derived defaults (``x0``, ``first_site``) follow an overridden chain
        length.

    Returns
    -------
    dict
        A new config dict of tables (``chain``, ``local_spins``,
        ``electron``, ``evolution``).

    Examples
    --------
    >>> cfg = preset("paper-collinear")
    >>> cfg["chain"]["length"], cfg["electron"]["x0"], cfg["local_spins"]["first_site"]
    (400, 160.0, 198)
    """
    if name not in PRESETS:
        raise ConfigError("preset", f"expected one of {', '.join(PRESETS)}, "
                          f"got {name!r}" + did_you_mean(name, PRESETS))
    return resolve_config(PRESETS[name]) if resolve else copy.deepcopy(
        PRESETS[name])


def load_config(path):
    """Read and resolve a TOML config file (:func:`read_config` + :func:`.resolve_config`).

    Parameters
    ----------
    path : str or os.PathLike
        A TOML file with the tables of :mod:`qutip_stt.config`.

    Returns
    -------
    dict
        The resolved config: every key present, defaults filled in.

    Raises
    ------
    ConfigError
        For an unreadable file, malformed TOML or any invalid key.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "run.toml")
    >>> with open(path, "w") as f:
    ...     _ = f.write(to_toml(resolve_config({"chain": {"length": 200}})))
    >>> cfg = load_config(path)
    >>> cfg["chain"]["length"], cfg["electron"]["x0"]
    (200, 80.0)
    """
    return resolve_config(read_config(path))


def read_config(path):
    """Read a TOML config file as given (not resolved: no defaults filled in).

    Parameters
    ----------
    path : str or os.PathLike
        A TOML file.

    Returns
    -------
    dict
        The tables as written in the file.

    Raises
    ------
    ConfigError
        For a missing or unreadable file, malformed TOML (including duplicate
        keys), non-UTF-8 text, or any invalid key.
    """
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except IsADirectoryError:
        raise ConfigError("config", f"{path} is a directory, not a TOML file")
    except FileNotFoundError:
        raise ConfigError("config", f"{path}: no such file")
    except OSError as exc:
        raise ConfigError("config", f"{path}: cannot read ({exc.strerror})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError("config", f"{path} is not UTF-8 text (byte "
                          f"{exc.start}); TOML files must be UTF-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config", f"{path} is not valid TOML: {exc}")
    return data


def _parse_value(text):
    """A ``--set`` value: TOML syntax (``0.2``, ``"+x"``, ``{theta = 30}``), else a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_overrides(config, assignments):
    """Apply ``key=value`` strings (``"local_spins.J_sd=0.2"``) to a config dict.

    Values are TOML (``0.2``, ``"+x"``, ``{ theta = 30, phi = 0 }``); a bare
    word that is not TOML is taken as a string (``electron.spin=+x``).
    Give the config as written (:func:`read_config`,
    :data:`~qutip_stt.config.presets.PRESETS`), so that derived defaults
    (``first_site``, ``x0``) follow an overridden ``chain.length``.

    Parameters
    ----------
    config : dict
        A config as written (tables of keys); it is not modified.
    assignments : iterable of str
        ``"table.key=value"`` strings, applied in order.

    Returns
    -------
    dict
        A new, resolved config.

    Examples
    --------
    >>> base = preset("paper-collinear", resolve=False)
    >>> cfg = apply_overrides(base, ["chain.length=600", "electron.spin=+x"])
    >>> cfg["electron"]["spin"], cfg["electron"]["x0"], cfg["local_spins"]["first_site"]
    ('+x', 240.0, 298)
    """
    return resolve_config(merge_overrides(config, assignments))


def merge_overrides(config, assignments):
    """``config`` with ``key=value`` strings set, not resolved.

    The config as the user wrote it, for the checks that need to know which
    keys were set (:func:`qutip_stt.config.usage.check_command_keys`);
    :func:`apply_overrides` resolves it.

    Parameters
    ----------
    config : dict
        A config as written; it is not modified.
    assignments : iterable of str
        ``"table.key=value"`` strings, applied in order.

    Returns
    -------
    dict

    Examples
    --------
    >>> merge_overrides({"chain": {"length": 60}}, ["electron.spin=+x"])
    {'chain': {'length': 60}, 'electron': {'spin': '+x'}}
    """
    out = copy.deepcopy(config)
    for item in assignments:
        if "=" not in item:
            raise ConfigError("--set", f"expected key=value, got {item!r}")
        dotted, text = item.split("=", 1)
        dotted = dotted.strip()
        parts = dotted.split(".")
        if len(parts) != 2 or parts[0] not in DEFAULTS \
                or parts[1] not in DEFAULTS[parts[0]]:
            known = (KEY_DOCS if parts[0] not in DEFAULTS else
                     [f"{parts[0]}.{k}" for k in DEFAULTS[parts[0]]])
            raise ConfigError(dotted or "--set", "unknown key"
                              + did_you_mean(dotted, KEY_DOCS)
                              + "; allowed: " + ", ".join(known))
        out.setdefault(parts[0], {})[parts[1]] = _parse_value(text.strip())
    return out


def to_toml(config):
    """Write a resolved config as TOML text (round-trips through :func:`load_config`).

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    str
        TOML text, one ``[table]`` per table.

    Examples
    --------
    >>> print(to_toml(preset("paper-collinear")).splitlines()[:3])
    ['[chain]', 'length = 400', 'hopping = 1.0']
    """
    lines = []
    for table, values in config.items():
        lines.append(f"[{table}]")
        for key, value in values.items():
            if value is not None:       # an unset alternative (scatter.energies)
                lines.append(f"{key} = {toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def toml_value(value):
    """One config value as TOML text (a key's right-hand side).

    Examples
    --------
    >>> toml_value({"theta": 60.0, "phi": 0.0}), toml_value([1, 2])
    ('{ theta = 60.0, phi = 0.0 }', '[1, 2]')
    """
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} to TOML")
    return repr(value)
