"""The TOML run configuration of ``qutip-stt simulate``: schema, defaults, presets.

A config has four tables (all optional; every key has a default)::

    [chain]        length = 400, hopping = 1.0
    [local_spins]  count = 5, spin = 0.5, first_site = Lx//2 - N//2,
                   J = 0.1, Jz = 0.1005, J_sd = 0.1, direction = "+z"
    [electron]     k = 0.1, dk = 0.2, x0 = 0.4 * Lx, spin = "-z"
    [evolution]    t_max = 500.0, n_times = 101, method = "auto", dt = 0.1

:func:`load_config` reads a file, :func:`resolve_config` checks a dict and
fills in defaults, and :func:`apply_overrides` applies ``--set key=value``
strings; :func:`qutip_stt.simulation.build` turns a resolved config into the
model, the initial state and the output times. This module is the schema
only: it imports no QuTiP, so the command line can check a config before
loading the physics. Every problem raises
:class:`~qutip_stt.errors.ConfigError` naming the key (``local_spins.spin``)
and the allowed values.
"""

import copy
import json
import math
import tomllib

from .errors import ConfigError, ConfigTypeError
from .resources import MAX_DIMENSION, hamiltonian_bytes, hilbert_dimension
from .solvers.methods import DEFAULT_DT, METHODS
from .validation import check_int, check_real, check_spin

__all__ = ["DEFAULTS", "PRESETS", "load_config", "read_config",
           "resolve_config",
           "apply_overrides", "preset", "to_toml", "KEY_DOCS"]

#: Defaults of every key; ``None`` means "derived from other keys" (see KEY_DOCS).
DEFAULTS = {
    "chain": {"length": 400, "hopping": 1.0},
    "local_spins": {"count": 5, "spin": 0.5, "first_site": None, "J": 0.1,
                    "Jz": 0.1005, "J_sd": 0.1, "direction": "+z"},
    "electron": {"k": 0.1, "dk": 0.2, "x0": None, "spin": "-z"},
    "evolution": {"t_max": 500.0, "n_times": 101, "method": "auto",
                  "dt": DEFAULT_DT},
}

#: One line of documentation per key: meaning, unit, default, allowed range.
KEY_DOCS = {
    "chain.length": "Lx, number of sites; integer >= 2 and >= count; default 400",
    "chain.hopping": "gamma, eV; finite real; default 1.0",
    "local_spins.count": "N, number of local spins; integer >= 1; default 5",
    "local_spins.spin": "S; positive half-integer 0.5, 1, 1.5, ... 20 (or "
                        "\"5/2\"); default 0.5",
    "local_spins.first_site": "site of local spin 1 (0-based); 0..Lx-N; "
                              "default Lx//2 - N//2",
    "local_spins.J": "transverse XXZ exchange, eV; finite real; default 0.1",
    "local_spins.Jz": "longitudinal XXZ exchange, eV; finite real; default 0.1005",
    "local_spins.J_sd": "s-d exchange, eV; finite real; default 0.1",
    "local_spins.direction": "initial direction of every local spin: \"+z\" "
                             "\"-z\" \"+x\" \"-x\" \"+y\" \"-y\" or "
                             "{theta, phi} in degrees; default \"+z\"",
    "electron.k": "k_x a, mean wave number; finite real; default 0.1",
    "electron.dk": "delta k_x a, momentum width; > 0; default 0.2",
    "electron.x0": "packet centre, site index (may be fractional); 0..Lx-1; "
                   "default 0.4 Lx (160 for the paper)",
    "electron.spin": "electron spin direction, same forms as "
                     "local_spins.direction; default \"-z\"",
    "evolution.t_max": "last output time, fs; >= 0 (0 only with n_times = 1); "
                       "default 500",
    "evolution.n_times": "number of output times linspace(0, t_max, n_times); "
                         "integer 1..1000000 (1, the initial state only, "
                         "needs t_max = 0); default 101",
    "evolution.method": "one of " + ", ".join(f'"{m}"' for m in METHODS)
                        + "; default \"auto\"",
    "evolution.dt": f"largest step of the fixed-step method crank-nicolson, "
                    f"fs; > 0 (a longer step than an output interval is "
                    f"shortened to it; other methods ignore dt); default "
                    f"{DEFAULT_DT}",
}

# first_site (198; 200 for the macrospin) and x0 (160) are left to their
# defaults, so that --set chain.length=... moves them along.
_PAPER = {
    "chain": {"length": 400, "hopping": 1.0},
    "local_spins": {"count": 5, "spin": 0.5, "J": 0.1, "Jz": 0.1005,
                    "J_sd": 0.1, "direction": "+z"},
    "electron": {"k": 0.1, "dk": 0.2, "spin": "-z"},
    "evolution": {"t_max": 500.0, "n_times": 101, "method": "auto"},
}


def _variant(base, **changes):
    out = copy.deepcopy(base)
    for dotted, value in changes.items():
        table, key = dotted.split("__")
        out[table][key] = value
    return out


#: The paper's four cases (Figs. 3-6): x0 = 160 as in the authors' scripts.
PRESETS = {
    "paper-collinear": _PAPER,
    "paper-noncollinear": _variant(_PAPER, electron__spin="+x"),
    "macrospin-collinear": _variant(_PAPER, local_spins__count=1,
                                    local_spins__spin=2.5),
    "macrospin-noncollinear": _variant(_PAPER, local_spins__count=1,
                                       local_spins__spin=2.5,
                                       electron__spin="+x"),
}

def preset(name, resolve=True):
    """A copy of a preset config (see :data:`PRESETS`), resolved unless asked not to.

    Parameters
    ----------
    name : str
        ``"paper-collinear"``, ``"paper-noncollinear"``,
        ``"macrospin-collinear"`` or ``"macrospin-noncollinear"``.
    resolve : bool, default: True
        Fill in every default (:func:`resolve_config`). Pass ``False`` to get
        the preset as written, for :func:`apply_overrides`, so that derived
        defaults (``x0``, ``first_site``) follow an overridden chain length.

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
                          f"got {name!r}")
    return resolve_config(PRESETS[name]) if resolve else copy.deepcopy(
        PRESETS[name])


def load_config(path):
    """Read and resolve a TOML config file (:func:`read_config` + :func:`resolve_config`).

    Parameters
    ----------
    path : str or os.PathLike
        A TOML file with the tables of this module's docstring.

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
    Give the config as written (:func:`read_config`, :data:`PRESETS`), so that
    derived defaults (``first_site``, ``x0``) follow an overridden
    ``chain.length``.

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
    out = copy.deepcopy(config)
    for item in assignments:
        if "=" not in item:
            raise ConfigError("--set", f"expected key=value, got {item!r}")
        dotted, text = item.split("=", 1)
        dotted = dotted.strip()
        parts = dotted.split(".")
        if len(parts) != 2 or parts[0] not in DEFAULTS \
                or parts[1] not in DEFAULTS[parts[0]]:
            raise ConfigError(dotted or "--set", "unknown key; allowed: "
                              + ", ".join(KEY_DOCS))
        out.setdefault(parts[0], {})[parts[1]] = _parse_value(text.strip())
    return resolve_config(out)


def resolve_config(data):
    """Check a config dict and return a complete copy with every default filled in.

    Unknown tables or keys, wrong types and out-of-range values raise
    :class:`~qutip_stt.errors.ConfigError` naming the key.

    Parameters
    ----------
    data : dict
        Tables of keys as in a TOML file; every table and key is optional.

    Returns
    -------
    dict
        A complete config (all four tables, every key of :data:`DEFAULTS`).

    Examples
    --------
    >>> resolve_config({"chain": {"length": 100}})["electron"]["x0"]
    40.0
    >>> resolve_config({"chain": {"lenght": 100}})
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: chain.lenght: unknown key; allowed in [chain]: length, hopping
    """
    if not isinstance(data, dict):
        raise ConfigTypeError("config", "expected a table of tables")
    for table, values in data.items():
        if table not in DEFAULTS:
            raise ConfigError(table, "unknown table; allowed: "
                              + ", ".join(DEFAULTS))
        if not isinstance(values, dict):
            raise ConfigTypeError(table, "expected a table like [" + table + "]")
        for key in values:
            if key not in DEFAULTS[table]:
                raise ConfigError(f"{table}.{key}", "unknown key; allowed in ["
                                  f"{table}]: " + ", ".join(DEFAULTS[table]))
    cfg = {t: {**d, **{k: v for k, v in data.get(t, {}).items()}}
           for t, d in DEFAULTS.items()}
    ch, ls, el, ev = (cfg["chain"], cfg["local_spins"], cfg["electron"],
                      cfg["evolution"])

    ch["length"] = check_int("chain.length", ch["length"], minimum=2)
    ch["hopping"] = check_real("chain.hopping", ch["hopping"])
    ls["count"] = check_int("local_spins.count", ls["count"], minimum=1,
                            maximum=ch["length"])
    ls["spin"] = check_spin("local_spins.spin", ls["spin"])
    Lx, N = ch["length"], ls["count"]
    dim = hilbert_dimension(Lx, N, ls["spin"])[0]
    if dim > MAX_DIMENSION:
        # name the size that is out of reach at the default chain length
        spin_space = dim // Lx
        key = ("local_spins.count" if DEFAULTS["chain"]["length"] * spin_space
               > MAX_DIMENSION else "chain.length")
        raise ConfigError(
            key, f"Hilbert space of dimension {dim:,} "
            f"(length * 2 * (2S+1)^count) exceeds {MAX_DIMENSION:,}: one state "
            f"alone needs {dim * 16 / 2**30:.1f} GiB and the Hamiltonian about "
            f"{hamiltonian_bytes(dim, N) / 2**30:.1f} GiB more")
    if ls["first_site"] is None:
        ls["first_site"] = Lx // 2 - N // 2
    ls["first_site"] = check_int("local_spins.first_site", ls["first_site"],
                                 minimum=0, maximum=Lx - N)
    for key in ("J", "Jz", "J_sd"):
        ls[key] = check_real(f"local_spins.{key}", ls[key])
    ls["direction"] = _direction(ls["direction"], "local_spins.direction")

    el["k"] = check_real("electron.k", el["k"])
    el["dk"] = check_real("electron.dk", el["dk"], minimum=0,
                          strict_minimum=True)
    if el["x0"] is None:
        el["x0"] = 0.4 * Lx
    el["x0"] = check_real("electron.x0", el["x0"], minimum=0, maximum=Lx - 1)
    el["spin"] = _direction(el["spin"], "electron.spin")

    ev["t_max"] = check_real("evolution.t_max", ev["t_max"], minimum=0)
    ev["n_times"] = check_int("evolution.n_times", ev["n_times"], minimum=1,
                              maximum=1_000_000)
    if not isinstance(ev["method"], str) or ev["method"] not in METHODS:
        raise ConfigError("evolution.method", "expected one of "
                          + ", ".join(METHODS) + f", got {ev['method']!r}")
    ev["dt"] = check_real("evolution.dt", ev["dt"], minimum=0,
                          strict_minimum=True)
    # dt only bounds the crank-nicolson step (an output interval shorter
    # than dt is one step); its accuracy is checked against t_max when the
    # run starts (qutip_stt.solvers.limits).
    if ev["n_times"] == 1 and ev["t_max"] > 0:
        raise ConfigError("evolution.n_times", f"1 output time is t = 0 only, "
                          f"so t_max = {ev['t_max']:g} fs would be ignored; "
                          "give n_times >= 2 or t_max = 0")
    if ev["n_times"] > 1 and ev["t_max"] == 0:
        raise ConfigError("evolution.t_max", f"0 with n_times = "
                          f"{ev['n_times']} repeats t = 0; give t_max > 0 fs "
                          "or n_times = 1")
    return cfg


def _direction(value, key):
    """Normalise a direction to its config form (a name or {theta, phi})."""
    from .states import parse_direction

    if isinstance(value, str):
        parse_direction(value, key)
        return value
    if isinstance(value, dict):
        theta, phi = parse_direction(value, key)
        return {"theta": theta, "phi": phi}
    raise ConfigTypeError(key, "expected \"+z\", \"-z\", \"+x\", \"-x\", "
                          "\"+y\", \"-y\" or {theta, phi} in degrees, got "
                          f"{value!r}")


def build(config):
    """Deprecated alias of :func:`qutip_stt.simulation.build`.

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    tuple
        ``(model, psi0, times)``.
    """
    import warnings

    from .simulation import build as _build
    warnings.warn("qutip_stt.config.build moved to qutip_stt.simulation.build",
                  DeprecationWarning, stacklevel=2)
    return _build(config)


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
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value):
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}"
                                for k, v in value.items()) + " }"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} to TOML")
    return repr(value)
