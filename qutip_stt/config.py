"""The TOML run configuration of ``qutip-stt simulate``: schema, defaults, presets.

A config has these tables (all optional; every key has a default)::

    [chain]        length = 400, hopping = 1.0, potential = []
    [local_spins]  count = 5, spin = 0.5, first_site = Lx//2 - N//2,
                   J = 0.1, Jz = 0.1005, J_sd = 0.1, direction = "+z",
                   state = "product", sector = "lowest", seed = 0,
                   field = 0.0
    [electron]     k = 0.1, dk = 0.2, x0 = 0.4 * Lx, spin = "-z", field = 0.0
    [evolution]    t_max = 500.0, n_times = 101, method = "auto", dt = 0.1,
                   alpha = 0.0 (Gilbert damping, method "classical" only)
    [analysis]     pairs = "none", blocks = false, measures = "all"
    [train]        electrons = 20, interval = "auto", polarization = 1.0
                   (read by ``qutip-stt train`` only)
    [scatter]      energies = {start, stop, num} (eV) or k = {start, stop, num},
                   padding = 0   (read by ``qutip-stt scatter`` only)

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
    "chain": {"length": 400, "hopping": 1.0, "potential": []},
    "local_spins": {"count": 5, "spin": 0.5, "first_site": None, "J": 0.1,
                    "Jz": 0.1005, "J_sd": 0.1, "direction": "+z",
                    "state": "product", "sector": "lowest", "seed": 0,
                    "field": 0.0},
    "electron": {"k": 0.1, "dk": 0.2, "x0": None, "spin": "-z", "field": 0.0},
    "evolution": {"t_max": 500.0, "n_times": 101, "method": "auto",
                  "dt": DEFAULT_DT, "alpha": 0.0},
    "analysis": {"pairs": "none", "blocks": False, "measures": "all"},
    "train": {"electrons": 20, "interval": "auto", "polarization": 1.0},
    # read by ``qutip-stt scatter`` only; one of energies / k is set
    "scatter": {"energies": None, "k": None, "padding": 0},
}

#: ``[scatter]`` grid when neither ``energies`` nor ``k`` is given.
SCATTER_DEFAULT_K = {"start": 0.005, "stop": 1.2, "num": 1000}

#: One line of documentation per key: meaning, unit, default, allowed range.
KEY_DOCS = {
    "chain.length": "Lx, number of sites; integer >= 2 and >= count; default 400",
    "chain.hopping": "gamma, eV; finite real; default 1.0",
    "chain.potential": "site potential V_x, eV: a table { start, stop, height "
                       "} adds height on sites start <= x < stop (a barrier "
                       "for height > 0, a well for < 0); a list of such "
                       "tables adds up; 0 <= start < stop <= length; "
                       "default [] (none)",
    "local_spins.count": "N, number of local spins; integer >= 1; default 5",
    "local_spins.spin": "S; positive half-integer 0.5, 1, 1.5, ... 20 (or "
                        "\"5/2\"); default 0.5",
    "local_spins.first_site": "site of local spin 1 (0-based); 0..Lx-N; "
                              "default Lx//2 - N//2",
    "local_spins.J": "transverse XXZ exchange, eV, in -J (SxSx + SySy); "
                     "> 0 ferromagnetic, < 0 antiferromagnetic; finite real; "
                     "default 0.1",
    "local_spins.Jz": "longitudinal XXZ exchange, eV, in -Jz SzSz; > 0 "
                      "ferromagnetic, < 0 antiferromagnetic; finite real; "
                      "default 0.1005",
    "local_spins.J_sd": "s-d exchange, eV; finite real; default 0.1",
    "local_spins.direction": "initial direction of every local spin: \"+z\" "
                             "\"-z\" \"+x\" \"-x\" \"+y\" \"-y\" or "
                             "{theta, phi} in degrees; default \"+z\"",
    "local_spins.state": "initial state of the local spins: \"product\" (all "
                         "along direction), \"neel\" (alternating, spin 1 along "
                         "direction), \"ground\" (XXZ ground state, see sector), "
                         "\"random\" (random directions, see seed), or a list of "
                         "one direction per spin; default \"product\"",
    "local_spins.sector": "total S^z of the local spins (hbar) for state = "
                          "\"ground\": N S, N S - 1, ..., -N S, or \"lowest\" "
                          "(lowest state overall, largest S^z if degenerate); "
                          "default \"lowest\"",
    "local_spins.seed": "seed of state = \"random\"; integer >= 0; default 0",
    "local_spins.field": "magnetic field h on the local spins, eV, in "
                         "-h . Sigma_n (h > 0 favours up): a number (uniform, "
                         "along z), a list of one number per spin (along z), "
                         "or a table { x, y, z } (uniform; a nonzero x or y "
                         "breaks total-S^z conservation: method \"auto\" "
                         "then runs \"sesolve\" and warns, \"chebyshev\" is "
                         "refused); default 0",
    "electron.k": "k_x a, mean wave number; finite real; default 0.1",
    "electron.dk": "delta k_x a, momentum width; > 0; default 0.2",
    "electron.x0": "packet centre, site index (may be fractional); 0..Lx-1; "
                   "default 0.4 Lx (160 for the paper)",
    "electron.spin": "electron spin direction, same forms as "
                     "local_spins.direction; default \"-z\"",
    "electron.field": "magnetic field h_e on the electron spin along z, eV, "
                      "in -h_e sigma^z (h_e > 0 favours up); finite real; "
                      "default 0",
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
                    f"{DEFAULT_DT} (also the largest step of \"classical\")",
    "evolution.alpha": "Gilbert damping of the classical local spins; >= 0; "
                       "only with method \"classical\"; default 0",
    "analysis.pairs": "pairs of spins whose measures are stored (0 electron "
                      "spin, n local spin n): \"none\", \"all\", \"nearest\" "
                      "(local neighbours) or a list [[i, j], ...]; default "
                      "\"none\"",
    "analysis.blocks": "store the entropy of every contiguous block of local "
                       "spins (true), none (false) or a list [[first, last], "
                       "...]; default false",
    "analysis.measures": "\"all\" or a list of mutual_information, concurrence "
                         "(spin-1/2 pairs only), log_negativity, correlation; "
                         "default \"all\" (concurrence NaN where undefined)",
    "train.electrons": "K, electrons sent one after another by qutip-stt "
                       "train; integer >= 0; default 20",
    "train.interval": "time between electrons, fs; > 0 and at least the time "
                      "the packet centre needs to pass the spins, or \"auto\" "
                      "(least free-packet leftover near the spins and at the "
                      "chain ends); default \"auto\"",
    "train.polarization": "spin polarization of the current along "
                          "electron.spin: 1 fully polarized, 0 unpolarized; "
                          "0..1; default 1.0",
    "scatter.energies": "total energies E of `qutip-stt scatter`, eV: "
                        "{start, stop, num} for linspace(start, stop, num), "
                        "start <= stop, num 1..1000000; each inside the "
                        "incoming channel's band; give this or scatter.k",
    "scatter.k": "incoming wave numbers k a instead of energies: {start, stop, "
                 "num}, 0 < start <= stop < pi; default { start = 0.005, "
                 "stop = 1.2, num = 1000 } when neither is given",
    "scatter.padding": "free chain sites added to the scattering region on "
                       "each side of the spins (the S-matrix does not depend "
                       "on it); integer 0..1000; default 0",
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
    qutip_stt.errors.ConfigError: chain.lenght: unknown key; allowed in [chain]: length, hopping, potential
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
    from .terms import normalize_potential

    ch["potential"] = normalize_potential(ch["potential"], ch["length"],
                                          "chain.potential")
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
    ls["state"] = _local_state(ls["state"], N)
    if ls["sector"] != "lowest":
        steps = int(round(2 * N * ls["spin"]))
        allowed = [N * ls["spin"] - k for k in range(steps + 1)]
        value = check_real("local_spins.sector", ls["sector"])
        if not any(abs(value - a) < 1e-9 for a in allowed):
            raise ConfigError(
                "local_spins.sector", "expected \"lowest\" or the total S^z of "
                "the local spins, one of " + ", ".join(f"{a:g}" for a in allowed)
                + f", got {ls['sector']!r}")
        ls["sector"] = value
    ls["seed"] = check_int("local_spins.seed", ls["seed"], minimum=0)
    ls["field"] = _field(ls["field"], N)

    el["k"] = check_real("electron.k", el["k"])
    el["dk"] = check_real("electron.dk", el["dk"], minimum=0,
                          strict_minimum=True)
    if el["x0"] is None:
        el["x0"] = 0.4 * Lx
    el["x0"] = check_real("electron.x0", el["x0"], minimum=0, maximum=Lx - 1)
    el["spin"] = _direction(el["spin"], "electron.spin")
    el["field"] = check_real("electron.field", el["field"])

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
    ev["alpha"] = check_real("evolution.alpha", ev["alpha"], minimum=0)
    if ev["alpha"] != 0 and ev["method"] != "classical":
        raise ConfigError("evolution.alpha", "Gilbert damping exists only for "
                          "the classical local spins of method \"classical\"; "
                          f"got alpha = {ev['alpha']:g} with method "
                          f"{ev['method']!r}")
    _analysis(cfg["analysis"], N, ls["spin"])
    _resolve_train(cfg["train"])
    _resolve_scatter(cfg["scatter"])
    return cfg


def _field(value, N):
    """Check ``local_spins.field``, keeping the form the user wrote."""
    from .terms import local_fields

    h = local_fields(value, N, "local_spins.field")
    if isinstance(value, dict):
        return {c: float(h[0, "xyz".index(c)]) for c in value}
    if isinstance(value, (list, tuple)):
        return h[:, 2].tolist()
    return float(h[0, 2])


def _resolve_train(tr):
    """Check the ``[train]`` table in place (the interval's lower bound is
    checked when the channel is built, where the geometry is known)."""
    tr["electrons"] = check_int("train.electrons", tr["electrons"], minimum=0,
                                maximum=10_000_000)
    if tr["interval"] != "auto":
        if isinstance(tr["interval"], str):
            raise ConfigError("train.interval", "expected a time in fs or "
                              f"\"auto\", got {tr['interval']!r}")
        tr["interval"] = check_real("train.interval", tr["interval"],
                                    minimum=0, strict_minimum=True)
    tr["polarization"] = check_real("train.polarization", tr["polarization"],
                                    minimum=0, maximum=1)


def _analysis(an, N, S):
    """Check the ``[analysis]`` table in place (pair indices, blocks, measures)."""
    from .entanglement import resolve_blocks, resolve_measures, resolve_pairs

    pairs = resolve_pairs(an["pairs"], N + 1)
    if not isinstance(an["pairs"], str):
        an["pairs"] = pairs.tolist()
    blocks = resolve_blocks(an["blocks"], N + 1)
    if not isinstance(an["blocks"], bool):
        an["blocks"] = blocks.tolist()
    measures = resolve_measures(an["measures"], [0.5] + [S] * N, pairs)
    if not isinstance(an["measures"], str):
        an["measures"] = list(measures)


def _local_state(value, N):
    """Check ``local_spins.state``: a name or one direction per spin."""
    from .states import LOCAL_STATES

    key = "local_spins.state"
    if isinstance(value, str):
        if value not in LOCAL_STATES:
            raise ConfigError(key, f"unknown state {value!r}; expected one of "
                              + ", ".join(f'"{s}"' for s in LOCAL_STATES)
                              + " or a list of one direction per spin")
        return value
    if isinstance(value, list):
        if len(value) != N:
            raise ConfigError(key, f"a list needs one direction per local spin "
                              f"(count = {N}), got {len(value)}")
        return [_direction(v, f"{key}[{n}]") for n, v in enumerate(value)]
    raise ConfigTypeError(key, "expected one of " + ", ".join(
        f'"{s}"' for s in LOCAL_STATES) + f" or a list of directions, got {value!r}")


def _resolve_scatter(sc):
    """Check the ``[scatter]`` table in place (one of energies / k, as a grid)."""
    if sc["energies"] is not None and sc["k"] is not None:
        raise ConfigError("scatter.k", "give scatter.energies or scatter.k, "
                          "not both")
    if sc["energies"] is not None:
        sc["energies"] = _grid(sc["energies"], "scatter.energies", None, None)
    else:
        sc["k"] = _grid(SCATTER_DEFAULT_K if sc["k"] is None else sc["k"],
                        "scatter.k", 0.0, math.pi)
    sc["padding"] = check_int("scatter.padding", sc["padding"], minimum=0,
                              maximum=1000)


def _grid(value, key, low, high):
    """A ``{start, stop, num}`` table; open bounds ``low < start <= stop < high``."""
    if not isinstance(value, dict):
        raise ConfigTypeError(key, "expected a table { start = ..., stop = "
                              f"..., num = ... }}, got {value!r}")
    for name in value:
        if name not in ("start", "stop", "num"):
            raise ConfigError(f"{key}.{name}", "unknown key; allowed: start, "
                              "stop, num")
    for name in ("start", "stop", "num"):
        if name not in value:
            raise ConfigError(f"{key}.{name}", "missing; a grid needs start, "
                              "stop and num")
    out = {}
    for name in ("start", "stop"):
        out[name] = check_real(f"{key}.{name}", value[name])
        if low is not None and not low < out[name] < high:
            raise ConfigError(f"{key}.{name}", f"expected a value strictly "
                              f"between {low:g} and {high:g}, got "
                              f"{out[name]:g}")
    out["num"] = check_int(f"{key}.num", value["num"], minimum=1,
                           maximum=1_000_000)
    if out["start"] > out["stop"]:
        raise ConfigError(f"{key}.stop", f"empty range: stop = {out['stop']:g}"
                          f" is below start = {out['start']:g}")
    return out


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
            if value is not None:       # an unset alternative (scatter.energies)
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value):
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
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
