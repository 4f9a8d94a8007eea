r"""Reading and checking a sweep file: the base config, the axes and every point.

A sweep file is a ``qutip-stt simulate`` config (the *base*, every table
optional) plus a ``[sweep]`` table listing values for any config keys::

    [chain]
    length = 200
    [evolution]
    t_max = 150.0

    [sweep]
    mode = "grid"                                # or "zip"
    preset = "paper-collinear"                   # optional base preset
    "local_spins.J_sd" = [0.05, 0.1, 0.2]
    "electron.spin.theta" = [0, 45, 90, 135, 180]

``grid`` runs every combination (axes in the order written, shape
``(3, 5)`` above); ``zip`` runs the i-th values together (all lists of one
length, shape ``(n,)``). Keys are ``table.key`` as in the config (quoted or
as TOML sub-tables), values anything that key accepts; the angles of a
direction are swept with ``electron.spin.theta`` / ``.phi`` and
``local_spins.direction.theta`` / ``.phi`` (degrees; the other angle comes
from the base). Tables in the file override the preset.

Refused before any point is built, each with one line naming the key: a
key swept twice or overlapping another (``electron.spin`` with
``electron.spin.theta``), a preset that is not a name, and a sweep of more
than ``max_points`` points (:data:`MAX_POINTS` unless raised), counted from
the list lengths before the point list is made.
"""

import copy
import json
import math

import numpy as np

from .. import config as cfgmod
from ..config.electrons import require_one_electron
from ..errors import ConfigError
from ..states.forms import parse_direction
from .._util.validation import did_you_mean

__all__ = ["Sweep", "read_sweep", "make_sweep", "point_key", "MAX_POINTS",
           "DIRECTION_KEYS"]

from . import MAX_POINTS  # noqa: E402  (plain data, shared with the CLI)

#: Config keys whose angles may be swept as ``KEY.theta`` / ``KEY.phi``.
DIRECTION_KEYS = ("electron.spin", "local_spins.direction")


class Sweep:
    """A parsed sweep: base config, swept keys and every point's resolved config.

    Attributes
    ----------
    base : dict
        The base config as written (not resolved).
    keys : list of str
        Swept keys, in axis order.
    values : dict
        ``key -> list`` of the values given for it.
    mode : {"grid", "zip"}
    shape : tuple of int
        Sweep shape: ``(len(v1), len(v2), ...)`` for a grid, ``(n,)`` zipped.
    configs : list of dict
        Resolved config of every point, flat C order over ``shape``.
    text : str
        The sweep file's text (stored in the output for provenance).

    Examples
    --------
    >>> s = make_sweep({"chain": {"length": 60}},
    ...                {"local_spins.J_sd": [0.1, 0.2], "electron.k": [0.1, 0.3]})
    >>> s.shape, len(s.configs)
    ((2, 2), 4)
    """

    def __init__(self, base, keys, values, mode, shape, configs, text=""):
        self.base = base
        self.keys = keys
        self.values = values
        self.mode = mode
        self.shape = tuple(shape)
        self.configs = configs
        self.text = text
        self._point_keys = None

    def __len__(self):
        return len(self.configs)

    @property
    def point_keys(self):
        """The resume key (:func:`point_key`) of every point."""
        if self._point_keys is None:
            self._point_keys = [point_key(c) for c in self.configs]
        return self._point_keys

    def coordinates(self, index):
        """``{key: value}`` of the point with flat index ``index``."""
        if self.mode == "zip":
            return {k: self.values[k][index] for k in self.keys}
        where = np.unravel_index(index, self.shape)
        return {k: self.values[k][i] for k, i in zip(self.keys, where)}


def point_key(config):
    """The resume key of a point: its resolved config as JSON with sorted keys.

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    str

    Examples
    --------
    >>> point_key({"b": {"y": 1}, "a": {"x": 0.5}})
    '{"a":{"x":0.5},"b":{"y":1}}'
    """
    return json.dumps(config, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def read_sweep(path, max_points=MAX_POINTS):
    """Read a sweep TOML file (a config plus a ``[sweep]`` table).

    Parameters
    ----------
    path : str or os.PathLike
    max_points : int, default: MAX_POINTS
        Refuse a sweep of more points (counted before they are built).

    Returns
    -------
    Sweep

    Raises
    ------
    ConfigError
        Missing or malformed file, no ``[sweep]`` table, or any bad key or
        value (the message names it).

    Examples
    --------
    >>> s = read_sweep("scan.toml")                     # doctest: +SKIP
    >>> s.keys, s.shape                                 # doctest: +SKIP
    (['local_spins.J_sd', 'electron.spin.theta'], (3, 5))
    """
    data = cfgmod.read_config(path)
    if "sweep" not in data:
        raise ConfigError("sweep", f"{path} has no [sweep] table; add one "
                          "listing values, e.g. \"local_spins.J_sd\" = "
                          "[0.05, 0.1]")
    table = data.pop("sweep")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return make_sweep(data, table, text=text, max_points=max_points)


def _flatten(table, prefix=""):
    """``{"local_spins": {"J_sd": [..]}}`` -> ``{"local_spins.J_sd": [..]}``.

    The same dotted key written twice (``"electron.k"`` quoted and as a
    sub-table) is refused, not silently merged.
    """
    out = {}
    for name, value in table.items():
        dotted = f"{prefix}{name}"
        items = (_flatten(value, dotted + ".") if isinstance(value, dict)
                 else {dotted: value})
        for key, vals in items.items():
            if key in out:
                raise ConfigError(f"sweep.{key}", "is listed twice (as a "
                                  "quoted key and as a table); list it once")
            out[key] = vals
    return out


def _check_keys(values):
    """Every swept key is a config key or a direction angle; none overlap."""
    for key in values:
        parts = key.split(".")
        if not (len(parts) == 2 and parts[0] in cfgmod.DEFAULTS
                and parts[1] in cfgmod.DEFAULTS[parts[0]]) and not (
                len(parts) == 3 and ".".join(parts[:2]) in DIRECTION_KEYS
                and parts[2] in ("theta", "phi")):
            raise ConfigError(
                f"sweep.{key}", "unknown key"
                + did_you_mean(key, list(cfgmod.KEY_DOCS) + [
                    f"{d}.{a}" for d in DIRECTION_KEYS
                    for a in ("theta", "phi")]) + "; allowed: "
                + ", ".join(cfgmod.KEY_DOCS) + ", and "
                + ", ".join(f"{d}.theta, {d}.phi" for d in DIRECTION_KEYS))
    for key in values:
        parent = key.rsplit(".", 1)[0]
        if key.count(".") == 2 and parent in values:
            raise ConfigError(f"sweep.{key}", f"overlaps sweep.{parent}: "
                              "both set the same direction; sweep the "
                              "direction or its angles, not both")


def _count(mode, values):
    """Number of points of a sweep, from the list lengths alone."""
    lengths = {k: len(v) for k, v in values.items()}
    if mode == "zip":
        if len(set(lengths.values())) > 1:
            raise ConfigError("sweep.mode", "zip needs lists of one length, "
                              "got " + ", ".join(f"{k}: {n}"
                                                 for k, n in lengths.items()))
        return (next(iter(lengths.values())),)
    return tuple(lengths.values())


def make_sweep(base, table, text="", max_points=MAX_POINTS):
    """Build a :class:`Sweep` from a base config and a ``[sweep]`` table (dicts).

    Parameters
    ----------
    base : dict
        Config tables as in a ``simulate`` file (not resolved).
    table : dict
        ``mode`` ("grid" default or "zip"), optional ``preset`` and
        ``"table.key" = [values]`` entries.
    text : str, optional
        Source text kept for provenance.
    max_points : int, default: MAX_POINTS
        Refuse a sweep of more points than this (counted from the list
        lengths before any point is built).

    Returns
    -------
    Sweep

    Examples
    --------
    >>> s = make_sweep({}, {"mode": "zip", "electron.k": [0.1, 0.2],
    ...                     "electron.dk": [0.2, 0.3]})
    >>> s.shape, s.configs[1]["electron"]["dk"]
    ((2,), 0.3)
    """
    if not isinstance(table, dict):
        raise ConfigError("sweep", "expected a table [sweep]")
    table = dict(table)
    mode = table.pop("mode", "grid")
    if not isinstance(mode, str) or mode not in ("grid", "zip"):
        raise ConfigError("sweep.mode", f"expected \"grid\" or \"zip\", got "
                          f"{mode!r}")
    raw = copy.deepcopy(base)
    if "preset" in table:
        name = table.pop("preset")
        if not isinstance(name, str) or name not in cfgmod.PRESETS:
            raise ConfigError("sweep.preset", "expected one of "
                              + ", ".join(cfgmod.PRESETS) + f" (a string), "
                              f"got {name!r}"
                              + did_you_mean(name, cfgmod.PRESETS))
        raw = cfgmod.preset(name, resolve=False)
        for t, values in base.items():
            if isinstance(values, dict) and isinstance(raw.get(t), dict):
                raw[t].update(values)
            else:
                raw[t] = values
    resolved = cfgmod.resolve_config(raw)
    require_one_electron(resolved, "a sweep")
    values = _flatten(table)
    if not values:
        raise ConfigError("sweep", "lists no values; add e.g. "
                          "\"local_spins.J_sd\" = [0.05, 0.1]")
    for key, vals in values.items():
        if not isinstance(vals, list) or not vals:
            raise ConfigError(f"sweep.{key}", f"expected a non-empty list of "
                              f"values, got {vals!r}")
    _check_keys(values)
    keys = list(values)
    shape = _count(mode, values)
    n = math.prod(shape)
    if isinstance(max_points, bool) or not isinstance(max_points, int) \
            or max_points < 1:
        raise ConfigError("--max-grid", f"expected an integer >= 1, got "
                          f"{max_points!r}")
    if n > max_points:
        raise ConfigError("sweep", f"{' x '.join(map(str, shape))} = {n:,} "
                          f"points, more than the limit of {max_points:,}; "
                          "sweep fewer values, or allow it with --max-grid "
                          f"{n} (max_points={n}) if you mean it")
    if mode == "zip":
        combos = ({k: values[k][i] for k in keys} for i in range(shape[0]))
    else:
        combos = ({k: values[k][i] for k, i in zip(keys, where)}
                  for where in np.ndindex(*shape))
    configs, seen = [], {}
    for i, combo in enumerate(combos):
        configs.append(_point_config(raw, resolved, combo))
        j = seen.setdefault(point_key(configs[-1]), i)
        if j != i:
            raise ConfigError("sweep", f"points {j} and {i} ("
                              f"{_combo(keys, shape, mode, values, j)} and "
                              f"{combo}) resolve to the same parameters")
    return Sweep(raw, keys, values, mode, shape, configs, text)


def _combo(keys, shape, mode, values, index):
    if mode == "zip":
        return {k: values[k][index] for k in keys}
    where = np.unravel_index(index, shape)
    return {k: values[k][i] for k, i in zip(keys, where)}


def _point_config(raw, resolved, combo):
    """Resolved config of one point: the base with the swept values set."""
    point = copy.deepcopy(raw)
    angles = {}
    for key, value in combo.items():
        table, name, *angle = key.split(".")
        if angle:       # a direction's angle; the direction is not swept
            if (table, name) not in angles:
                theta, phi = parse_direction(resolved[table][name],
                                             f"{table}.{name}")
                angles[table, name] = {"theta": theta, "phi": phi}
            angles[table, name][angle[0]] = value
        else:
            point.setdefault(table, {})[name] = copy.deepcopy(value)
    for (table, name), direction in angles.items():
        point.setdefault(table, {})[name] = direction
    try:
        return cfgmod.resolve_config(point)
    except ConfigError as exc:
        # name the point, unless the message already shows its swept value
        value = combo.get(exc.key)
        if exc.key in combo and f"got {value!r}" in str(exc):
            raise
        where = ", ".join(f"{k} = {v!r}" for k, v in combo.items())
        raise ConfigError(exc.key, f"{str(exc).split(': ', 1)[-1]} (at the "
                          f"sweep point {where})") from None
