"""Checking a run configuration and filling in its defaults.

One job, :func:`resolve_config`: turn a config dict as written (a TOML
file, a preset, ``--set`` overrides) into a complete, validated one, with
the defaults and key names of :mod:`qutip_stt.config.schema`. Every problem
raises :class:`~qutip_stt.errors.ConfigError` naming the key
(``local_spins.spin``) and the allowed values. Importing this module loads
no QuTiP: the checks of directions, local states, fields and analysis
come from QuTiP-free modules of the physics layers
(:mod:`qutip_stt.states.forms`, :mod:`qutip_stt.model.terms`,
:mod:`qutip_stt.measures.selection`).
"""

import math

from .schema import DEFAULTS, SCATTER_DEFAULT_K
from ..model.parameters import default_x0
from ..errors import ConfigError, ConfigTypeError
from .._util.resources import (MAX_DIMENSION, hamiltonian_bytes,
                               hilbert_dimension)
from ..solvers.registry import METHODS, config_options
from .._util.validation import (check_energy, check_int, check_real,
                                check_spin, check_table_keys,
                                check_wave_number, did_you_mean)

__all__ = ["resolve_config"]


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
        A complete config: every table and key of
        :data:`~qutip_stt.config.schema.DEFAULTS`, with either
        ``electron`` (one electron, the default) or ``electrons`` (when the
        config has that table; one with both is refused).

    Examples
    --------
    >>> resolve_config({"chain": {"length": 100}})["electron"]["x0"]
    40.0
    >>> resolve_config({"chain": {"lenght": 100}})
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: chain.lenght: unknown key (did you mean 'length'?); allowed in [chain]: length, hopping, potential
    """
    if not isinstance(data, dict):
        raise ConfigTypeError("config", "expected a table of tables")
    for table, values in data.items():
        if table not in DEFAULTS:
            raise ConfigError(table, "unknown table"
                              + did_you_mean(table, DEFAULTS) + "; allowed: "
                              + ", ".join(DEFAULTS))
        if not isinstance(values, dict):
            raise ConfigTypeError(table, "expected a table like [" + table + "]")
        for key in values:
            if key not in DEFAULTS[table]:
                raise ConfigError(f"{table}.{key}", "unknown key"
                                  + did_you_mean(key, DEFAULTS[table])
                                  + f"; allowed in [{table}]: "
                                  + ", ".join(DEFAULTS[table]))
    # one electron ([electron]) or several ([electrons]): one of the tables
    many = "electrons" in data
    if many and "electron" in data:
        raise ConfigError("electrons", "a config has either [electron] (one "
                          "electron) or [electrons] (several at once), not "
                          "both")
    cfg = {t: {**d, **{k: v for k, v in data.get(t, {}).items()}}
           for t, d in DEFAULTS.items()
           if t != ("electron" if many else "electrons")}
    ch, ls, ev = cfg["chain"], cfg["local_spins"], cfg["evolution"]

    ch["length"] = check_int("chain.length", ch["length"], minimum=2)
    ch["hopping"] = check_energy("chain.hopping", ch["hopping"])
    from ..model.terms import normalize_potential

    ch["potential"] = normalize_potential(ch["potential"], ch["length"],
                                          "chain.potential")
    ls["count"] = check_int("local_spins.count", ls["count"], minimum=1,
                            maximum=ch["length"])
    ls["spin"] = check_spin("local_spins.spin", ls["spin"])
    Lx, N = ch["length"], ls["count"]
    if ls["first_site"] is None:
        ls["first_site"] = Lx // 2 - N // 2
    ls["first_site"] = check_int("local_spins.first_site", ls["first_site"],
                                 minimum=0, maximum=Lx - N)
    for key in ("J", "Jz", "J_sd"):
        ls[key] = check_energy(f"local_spins.{key}", ls[key])
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
    dim = hilbert_dimension(Lx, N, ls["spin"])[0]
    if dim > MAX_DIMENSION and (many or not _collinear_start(ls)):
        # name the size that is out of reach at the default chain length
        spin_space = dim // Lx
        key = ("local_spins.count" if DEFAULTS["chain"]["length"] * spin_space
               > MAX_DIMENSION else "chain.length")
        raise ConfigError(
            key, f"Hilbert space of dimension {dim:,} "
            f"(length * 2 * (2S+1)^count) exceeds {MAX_DIMENSION:,}: one state "
            f"alone needs {dim * 16 / 2**30:.1f} GiB and the Hamiltonian about "
            f"{hamiltonian_bytes(dim, N) / 2**30:.1f} GiB more"
            + ("" if many else "; a start with every local spin along +z or "
               "-z (local_spins.direction) runs in its total-S^z sectors "
               "without the full space"))

    if many:
        from .electrons import resolve_electrons
        resolve_electrons(cfg["electrons"], Lx, ls["first_site"])
    else:
        _electron(cfg["electron"], Lx)

    ev["t_max"] = check_real("evolution.t_max", ev["t_max"], minimum=0)
    ev["n_times"] = check_int("evolution.n_times", ev["n_times"], minimum=1,
                              maximum=1_000_000)
    if not isinstance(ev["method"], str) or ev["method"] not in METHODS:
        raise ConfigError("evolution.method", "expected one of "
                          + ", ".join(METHODS) + f", got {ev['method']!r}"
                          + did_you_mean(ev["method"], METHODS))
    _method_options(ev)
    if ev["n_times"] == 1 and ev["t_max"] > 0:
        raise ConfigError("evolution.n_times", f"1 output time is t = 0 only, "
                          f"so t_max = {ev['t_max']:g} fs would be ignored; "
                          "give n_times >= 2 or t_max = 0")
    if ev["n_times"] > 1 and ev["t_max"] == 0:
        raise ConfigError("evolution.t_max", f"0 with n_times = "
                          f"{ev['n_times']} repeats t = 0; give t_max > 0 fs "
                          "or n_times = 1")
    _resolve_mps(cfg["mps"], "mps" in data, ev, many)
    _analysis(cfg["analysis"], N, ls["spin"], electron=not many)
    _resolve_train(cfg["train"])
    _resolve_bath(cfg["bath"])
    if many and (cfg["bath"]["relaxation"] > 0 or cfg["bath"]["dephasing"] > 0):
        raise ConfigError("bath", "a bath acts on the local spins of one "
                          "electron's runs ([electron]: simulate with method "
                          "\"mesolve\", train); several electrons "
                          "([electrons], method \"exact\") evolve a closed "
                          "system: remove [bath] or use [electron]")
    _resolve_scatter(cfg["scatter"])
    return cfg


def _method_options(ev):
    """Check the ``[evolution]`` keys that are options of methods, in place.

    Each is checked as its method declares it; one declared ``only`` (it
    means nothing to other methods, as ``alpha``) is refused when set away
    from its default for a method that does not take it. The accuracy of a
    step ``dt`` is checked against ``t_max`` when the run starts (the
    method's limits).
    """
    for name, (option, methods) in config_options().items():
        key = f"evolution.{name}"
        ev[name] = option.check(key, ev[name])
        if option.only and ev[name] != option.default and \
                ev["method"] not in methods:
            raise ConfigError(key, f"{option.doc.split(';')[0]} exists only "
                              f"for method " + " or ".join(
                                  f'"{m}"' for m in methods)
                              + f"; got {name} = {ev[name]!r} with method "
                              f"{ev['method']!r}")


def _resolve_mps(table, given, ev, many):
    """Check the ``[mps]`` table in place: read by method ``"mps"`` alone
    (another method refuses a key set away from its default, naming it; a
    table of defaults, as every resolved config writes it, changes
    nothing), on ``[electrons]`` only."""
    from ..solvers.methods.mps import DEFAULTS, OPTIONS

    changed = [k for k in DEFAULTS if table.get(k, DEFAULTS[k]) != DEFAULTS[k]]
    if given and ev["method"] != "mps" and changed:
        raise ConfigError(f"mps.{changed[0]}", "the [mps] table is read by "
                          "evolution.method = \"mps\" only, got method "
                          f"{ev['method']!r}; drop [mps] or choose \"mps\"")
    if ev["method"] == "mps" and not many:
        raise ConfigError("evolution.method", "\"mps\" propagates "
                          "electrons given by [electrons] (count = 1 for one "
                          "electron), not [electron]")
    for option in OPTIONS:
        table[option.name] = option.check(f"mps.{option.name}",
                                          table[option.name])
    if ev["method"] == "mps" and ev["n_times"] > 1:
        interval = ev["t_max"] / (ev["n_times"] - 1)
        if table["dt"] > interval * (1 + 1e-12):
            raise ConfigError("mps.dt", f"{table['dt']:g} fs is longer than "
                              f"the {interval:g} fs between output times "
                              "(t_max / (n_times - 1)); give mps.dt <= "
                              "the interval")


def _field(value, N):
    """Check ``local_spins.field``, keeping the form the user wrote."""
    from ..model.terms import local_fields

    h = local_fields(value, N, "local_spins.field")
    if isinstance(value, dict):
        return {c: float(h[0, "xyz".index(c)]) for c in value}
    if isinstance(value, (list, tuple)):
        return h[:, 2].tolist()
    return float(h[0, 2])


def _electron(el, Lx):
    """Check the ``[electron]`` table in place (the Eq. (4) packet)."""
    el["k"] = check_wave_number("electron.k", el["k"])
    el["dk"] = check_real("electron.dk", el["dk"], minimum=0,
                          strict_minimum=True)
    if el["x0"] is None:
        el["x0"] = default_x0(Lx)
    el["x0"] = check_real("electron.x0", el["x0"], minimum=0, maximum=Lx - 1)
    el["spin"] = _direction(el["spin"], "electron.spin")
    el["field"] = check_energy("electron.field", el["field"])


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


def _resolve_bath(bath):
    """Check the ``[bath]`` table in place (rates and temperature >= 0).

    Which methods can run a bath is the methods' own business (a model with
    a bath is refused by the closed-system ones, with the reason).
    """
    from ..model.bath import Bath

    checked = Bath(bath["relaxation"], bath["dephasing"], bath["temperature"])
    bath.update(relaxation=checked.relaxation, dephasing=checked.dephasing,
                temperature=checked.temperature)
    bath["direction"] = _direction(bath["direction"], "bath.direction")


def _analysis(an, N, S, electron=True):
    """Check the ``[analysis]`` table in place (pair indices, blocks,
    measures; no electron spin 0 with several electrons)."""
    from ..measures.selection import (resolve_blocks, resolve_measures,
                                      resolve_pairs)

    pairs = resolve_pairs(an["pairs"], N + 1, electron=electron)
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
    from ..states.forms import LOCAL_STATES

    key = "local_spins.state"
    if isinstance(value, str):
        if value not in LOCAL_STATES:
            raise ConfigError(key, f"unknown state {value!r}"
                              + did_you_mean(value, LOCAL_STATES)
                              + "; expected one of "
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
    check_table_keys(key, value, ("start", "stop", "num"), "a grid")
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


def _collinear_start(ls):
    """Whether the resolved ``[local_spins]`` start every local spin along
    ``+z`` or ``-z`` with no transverse field: the run then lives in at most
    two total-S^z sectors (:func:`qutip_stt.simulation.sector_start`)."""
    from ..states.forms import along_z

    state, field = ls["state"], ls["field"]
    if isinstance(field, dict) and (field.get("x") or field.get("y")):
        return False
    if isinstance(state, list):
        return all(along_z(d) for d in state)
    return state in ("product", "neel") and along_z(ls["direction"])


def _direction(value, key):
    """Normalise a direction to its config form (a name or {theta, phi})."""
    from ..states.forms import parse_direction

    if isinstance(value, str):
        parse_direction(value, key)
        return value
    if isinstance(value, dict):
        theta, phi = parse_direction(value, key)
        return {"theta": theta, "phi": phi}
    raise ConfigTypeError(key, "expected \"+z\", \"-z\", \"+x\", \"-x\", "
                          "\"+y\", \"-y\" or {theta, phi} in degrees, got "
                          f"{value!r}")
