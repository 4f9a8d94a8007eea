r"""Parameter sweeps: many independent runs on QuTiP's map functions and MPI.

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

Every point is one :func:`qutip_stt.simulation.simulate` run of its resolved
config, dispatched by :func:`qutip.serial_map`, :func:`qutip.parallel_map`,
:func:`qutip.loky_pmap` or :func:`qutip.mpi_pmap` (:data:`MAPS`).

Output file (HDF5, ``S`` the sweep shape)::

    coords/<key>               S          swept value at every point
    axes/<key>                 (n_k,)     the values listed for each key
    point_config               S          resolved config of each point (JSON)
    done                       S          point written
    evolution_wall_s           S          seconds per point
    summary/purity_local       S          Tr rho_local^2 at t_max
    summary/spin_length        S          mean_n |<Sigma_n>| at t_max, hbar/2
    summary/magnetization_length S        |sum_n <Sigma_n>| at t_max, hbar/2
    summary/spin_flip_probability S       see :func:`point_summary`
    <dataset>                  S + shape  every dataset of a single run
                                          (``t``, ``local/spin``, ...)
                                          stacked when its shape is the same
                                          at every point, else
    points/<i>/<dataset>                  per point (flat C-order index i)

plus the provenance attributes of a single run (package and QuTiP versions,
creation time) and the sweep file's text. Unwritten entries are NaN.

Resuming: the resolved config of a point (JSON, sorted keys) is its key.
Run the same command again and the points whose key is already in the output
file are copied, not recomputed. Finished points are collected and the whole
file is rewritten atomically (:func:`qutip_stt.io.atomic_h5`) at most every
``checkpoint`` seconds, at the end, and on an interruption or error, so the
file on disk is always a complete, readable sweep file.
"""

import copy
import json
import math
import numbers
import os
import sys
import threading
import time
import warnings

import h5py
import numpy as np
import qutip
from threadpoolctl import threadpool_limits

from .. import config as cfgmod
from ..errors import ConfigError
from . import MAP_FUNCTIONS
from ..io import (DATASETS, atomic_file, atomic_h5, check_output_path,
                 provenance)
from ..resources import check_memory
from ..simulation import ReflectionWarning, check_reflections, simulate
from ..states import parse_direction

__all__ = ["Sweep", "MAPS", "read_sweep", "make_sweep", "point_key",
           "run_point", "point_summary", "run_sweep", "read_sweep_result",
           "read_sweep_point", "sweep_plot", "SWEEP_FORMAT"]

SWEEP_FORMAT = "qutip-stt sweep"
SWEEP_FORMAT_VERSION = 1

#: ``--map`` choice -> QuTiP map function (names in :data:`MAP_FUNCTIONS`).
MAPS = {key: getattr(qutip, name) for key, name in MAP_FUNCTIONS.items()}

#: Config keys whose angles may be swept as ``KEY.theta`` / ``KEY.phi``.
DIRECTION_KEYS = ("electron.spin", "local_spins.direction")

#: Per-point scalars computed by :func:`point_summary`, with their meaning.
SUMMARY = {
    "purity_local": "Tr rho^2 of all local spins at t_max (Eq. 7)",
    "spin_length": "mean over local spins of |<Sigma_n>| at t_max, hbar/2",
    "magnetization_length": "|sum_n <Sigma_n>| at t_max, hbar/2",
    "spin_flip_probability": "probability that the electron spin measured "
                             "along its initial direction n is reversed at "
                             "t_max: (1 - n.<sigma>(t_max)) / 2",
}

_LABELS = "probabilities_labels"


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

    def __len__(self):
        return len(self.configs)

    @property
    def point_keys(self):
        """The resume key (:func:`point_key`) of every point."""
        return [point_key(c) for c in self.configs]

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


def read_sweep(path):
    """Read a sweep TOML file (a config plus a ``[sweep]`` table).

    Parameters
    ----------
    path : str or os.PathLike

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
    return make_sweep(data, table, text=text)


def _flatten(table, prefix=""):
    """``{"local_spins": {"J_sd": [..]}}`` -> ``{"local_spins.J_sd": [..]}``."""
    out = {}
    for name, value in table.items():
        dotted = f"{prefix}{name}"
        if isinstance(value, dict):
            out.update(_flatten(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def make_sweep(base, table, text=""):
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
    if mode not in ("grid", "zip"):
        raise ConfigError("sweep.mode", f"expected \"grid\" or \"zip\", got "
                          f"{mode!r}")
    raw = copy.deepcopy(base)
    if "preset" in table:
        name = table.pop("preset")
        raw = cfgmod.preset(name, resolve=False)
        for t, values in base.items():
            if isinstance(values, dict) and isinstance(raw.get(t), dict):
                raw[t].update(values)
            else:
                raw[t] = values
    resolved = cfgmod.resolve_config(raw)
    values = _flatten(table)
    if not values:
        raise ConfigError("sweep", "lists no values; add e.g. "
                          "\"local_spins.J_sd\" = [0.05, 0.1]")
    for key, vals in values.items():
        if not isinstance(vals, list) or not vals:
            raise ConfigError(f"sweep.{key}", f"expected a non-empty list of "
                              f"values, got {vals!r}")
        _check_key(key)
    keys = list(values)
    if mode == "zip":
        lengths = {k: len(v) for k, v in values.items()}
        if len(set(lengths.values())) > 1:
            raise ConfigError("sweep.mode", "zip needs lists of one length, "
                              "got " + ", ".join(f"{k}: {n}"
                                                 for k, n in lengths.items()))
        shape = (len(values[keys[0]]),)
        combos = [{k: values[k][i] for k in keys} for i in range(shape[0])]
    else:
        shape = tuple(len(values[k]) for k in keys)
        combos = [{k: values[k][i] for k, i in zip(keys, where)}
                  for where in np.ndindex(*shape)]
    configs = [_point_config(raw, resolved, combo) for combo in combos]
    seen = {}
    for i, c in enumerate(configs):
        j = seen.setdefault(point_key(c), i)
        if j != i:
            raise ConfigError("sweep", f"points {j} and {i} "
                              f"({combos[j]} and {combos[i]}) resolve to the "
                              "same parameters")
    return Sweep(raw, keys, values, mode, shape, configs, text)


def _check_key(key):
    parts = key.split(".")
    if len(parts) == 2 and parts[0] in cfgmod.DEFAULTS \
            and parts[1] in cfgmod.DEFAULTS[parts[0]]:
        return
    if len(parts) == 3 and ".".join(parts[:2]) in DIRECTION_KEYS \
            and parts[2] in ("theta", "phi"):
        return
    raise ConfigError(f"sweep.{key}", "unknown key; allowed: "
                      + ", ".join(cfgmod.KEY_DOCS) + ", and "
                      + ", ".join(f"{d}.theta, {d}.phi" for d in DIRECTION_KEYS))


def _point_config(raw, resolved, combo):
    """Resolved config of one point: base + swept values (via apply_overrides)."""
    overrides = {}
    for key, value in combo.items():
        parts = key.split(".")
        if len(parts) == 3:
            parent = ".".join(parts[:2])
            if parent not in overrides:
                theta, phi = parse_direction(resolved[parts[0]][parts[1]],
                                             parent)
                overrides[parent] = {"theta": theta, "phi": phi}
            overrides[parent][parts[2]] = value
        else:
            overrides[key] = value
    assignments = []
    for key, value in overrides.items():
        try:
            assignments.append(f"{key}={cfgmod._toml_value(value)}")
        except ValueError:
            raise ConfigError(f"sweep.{key}", f"cannot use the value {value!r}")
    return cfgmod.apply_overrides(raw, assignments)


def _item_shapes(config):
    """Shape of every dataset of a single run of ``config`` (the docs' HDF5 reference)."""
    T = config["evolution"]["n_times"]
    N = config["local_spins"]["count"]
    M = 2 * (int(round(2 * config["local_spins"]["spin"])) + 1) ** N
    Lx = config["chain"]["length"]
    shapes = {"t": (T,), "electron/spin": (T, 3), "local/spin": (T, N, 3),
              "probabilities": (T, M), "probabilities_m": (M, N + 1),
              "density": (T, Lx), _LABELS: (M,)}
    return {name: shapes.get(name, (T,)) for name in [*DATASETS, _LABELS]}


def run_point(config):
    """Run one point (the task handed to the QuTiP map functions).

    Parameters
    ----------
    config : dict
        A resolved config.

    The point runs with one BLAS thread (``threadpoolctl``), so that its
    numbers are the same bit for bit under every map function.

    Returns
    -------
    dict
        ``key`` (:func:`point_key`), ``arrays`` (HDF5 dataset name -> numpy
        array, the layout of a single run) and ``wall`` (``evolution_wall_s``).

    Examples
    --------
    >>> out = run_point(cfgmod.apply_overrides({}, ["chain.length=40",
    ...     "local_spins.count=1", "evolution.t_max=5", "evolution.n_times=3"]))
    >>> out["arrays"]["local/spin"].shape
    (3, 1, 3)
    """
    # One BLAS thread per point, whatever map runs it: threaded BLAS sums in
    # another order (round-off differs between a 2-thread serial run and a
    # 1-core MPI rank), and parallel workers would oversubscribe the cores.
    with threadpool_limits(limits=1):
        # reflections are checked once per geometry in the main process
        result = simulate(config, warn_reflections=False)
    arrays = {name: np.asarray(getattr(result, attr))
              for name, attr in DATASETS.items()}
    arrays[_LABELS] = np.array(result.labels, dtype=object)
    return {"key": point_key(config), "arrays": arrays,
            "wall": float(result.wall_time)}


def point_summary(arrays):
    """The scalars of :data:`SUMMARY` for one point.

    The spin-flip probability is that of the electron: with ``n`` its initial
    Bloch vector (``<sigma>(0)``, a unit vector for the product initial
    state), ``P_flip = (1 - n . <sigma>(t_max)) / 2``, the probability that a
    measurement along ``n`` finds the spin reversed. For the collinear case
    (electron -z, local spins +z) it equals, by conservation of total S^z,
    the probability that one local-spin quantum has been flipped; for a
    tilted start it also counts the precession of the electron spin about
    the local spins.

    Parameters
    ----------
    arrays : dict
        Dataset name -> array of one run (``electron/spin``, ``local/spin``,
        ``purity/local``).

    Returns
    -------
    dict
        ``name -> float``.

    Examples
    --------
    >>> spin = np.array([[0, 0, -1.0], [0, 0, -0.6]])
    >>> point_summary({"electron/spin": spin, "local/spin": np.ones((2, 1, 3)),
    ...                "purity/local": np.ones(2)})["spin_flip_probability"]
    0.2
    """
    e = np.asarray(arrays["electron/spin"])
    s = np.asarray(arrays["local/spin"])[-1]
    n = e[0] / np.linalg.norm(e[0])
    return {
        "purity_local": float(np.asarray(arrays["purity/local"])[-1]),
        "spin_length": float(np.mean(np.linalg.norm(s, axis=1))),
        "magnetization_length": float(np.linalg.norm(s.sum(axis=0))),
        "spin_flip_probability": float(np.clip((1 - n @ e[-1]) / 2, 0, 1)),
    }


# ----------------------------------------------------------------- file
def _encode(values):
    """Coordinates as float64 if all numbers, else JSON strings."""
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool)
           for v in values):
        return np.array(values, dtype=float), "number"
    return np.array([json.dumps(v, ensure_ascii=False) for v in values],
                    dtype=object), "json"


def _layout(sweep):
    """Stacked (shape-agreeing) and per-point datasets of a sweep."""
    shapes = [_item_shapes(c) for c in sweep.configs]
    stacked = {name: shapes[0][name] for name in shapes[0]
               if all(s[name] == shapes[0][name] for s in shapes)}
    ragged = [name for name in shapes[0] if name not in stacked]
    return stacked, ragged, shapes


def _create(f, sweep):
    """Write the layout of an empty sweep file into an open h5py file."""
    S = sweep.shape
    strings = h5py.string_dtype("utf-8")
    f.attrs.update({
        "format": SWEEP_FORMAT, "format_version": SWEEP_FORMAT_VERSION,
        **provenance(), "mode": sweep.mode,
        "keys_json": json.dumps(sweep.keys), "shape": np.array(S, dtype=int),
        "sweep_toml": sweep.text,
        "base_config_json": json.dumps(sweep.base, ensure_ascii=False)})
    for key in sweep.keys:
        axis, kind = _encode(sweep.values[key])
        f.create_dataset(f"axes/{key}", data=axis,
                         dtype=strings if kind == "json" else float)
        coords = [sweep.coordinates(i)[key] for i in range(len(sweep))]
        data, kind = _encode(coords)
        f.create_dataset(f"coords/{key}", data=data.reshape(S),
                         dtype=strings if kind == "json" else float)
        f[f"coords/{key}"].attrs["kind"] = kind
        f[f"axes/{key}"].attrs["kind"] = kind
    f.create_dataset("point_config", data=np.array(
        sweep.point_keys, dtype=object).reshape(S), dtype=strings)
    f.create_dataset("done", data=np.zeros(S, dtype=bool))
    f.create_dataset("evolution_wall_s", shape=S, dtype=float,
                     fillvalue=np.nan)
    for name, doc in SUMMARY.items():
        f.create_dataset(f"summary/{name}", shape=S, dtype=float,
                         fillvalue=np.nan).attrs["meaning"] = doc
    stacked, ragged, _ = _layout(sweep)
    for name, shape in stacked.items():
        if name == _LABELS:
            f.create_dataset(name, shape=S + shape, dtype=strings)
        else:
            f.create_dataset(name, shape=S + shape, dtype=float,
                             fillvalue=np.nan, chunks=(1,) * len(S) + shape)
    f.attrs["ragged_json"] = json.dumps(ragged)
    f.create_group("points")


def _open_existing(path):
    """The existing sweep file at ``path`` (h5py, read-only), or None."""
    if not os.path.exists(path):
        return None
    try:
        f = h5py.File(path, "r")
    except OSError:
        raise ConfigError("--out", f"{path} exists and is not an HDF5 file; "
                          "remove it or choose another name")
    if f.attrs.get("format") != SWEEP_FORMAT:
        f.close()
        raise ConfigError("--out", f"{path} exists and is not a qutip-stt "
                          "sweep file; remove it or choose another name")
    return f


def _done_keys(f):
    """``{key: flat index}`` of the points written in an open sweep file."""
    keys = f["point_config"].asstr()[()].ravel()
    done = f["done"][()].ravel()
    return {k: i for i, (k, d) in enumerate(zip(keys, done)) if d}


def _write_point(f, sweep, index, arrays, wall, stacked, ragged):
    where = np.unravel_index(index, sweep.shape)
    expected = _item_shapes(sweep.configs[index])
    for name in [*DATASETS, _LABELS]:
        value = arrays[name]
        if value.shape != expected[name]:
            raise RuntimeError(f"point {index}: {name} has shape "
                               f"{value.shape}, expected {expected[name]}")
        if name in stacked:
            f[name][where] = value
        elif name == _LABELS:
            f.create_dataset(f"points/{index}/{name}", data=value,
                             dtype=h5py.string_dtype("utf-8"))
        else:
            f.create_dataset(f"points/{index}/{name}", data=value)
    f["evolution_wall_s"][where] = wall
    for name, value in point_summary(arrays).items():
        f[f"summary/{name}"][where] = value
    f["done"][where] = True


def _read_point_arrays(f, index):
    """Dataset name -> array of point ``index`` of an open sweep file."""
    shape = tuple(int(n) for n in f.attrs["shape"])
    where = np.unravel_index(index, shape)
    ragged = json.loads(f.attrs["ragged_json"])
    out = {}
    for name in [*DATASETS, _LABELS]:
        if name in ragged:
            ds, sel = f[f"points/{index}/{name}"], ()
        else:
            ds, sel = f[name], where
        if name == _LABELS:
            ds = ds.asstr()
        out[name] = np.asarray(ds[sel])
    return out


def _checkpoint(path, sweep, new):
    """Rewrite the sweep file atomically: old points kept, ``new`` added.

    ``new`` maps flat index -> (arrays, wall).
    """
    stacked, ragged, _ = _layout(sweep)
    keys = sweep.point_keys
    old = _open_existing(path)
    try:
        with atomic_h5(path) as f:
            if _same_layout(old, keys, ragged):
                # the same sweep: copy every object as it is (HDF5 copies
                # whole datasets), then add the new points
                for name in old:
                    old.copy(old[name], f, name=name)
                f.attrs.update(old.attrs)
                f.attrs["sweep_toml"] = sweep.text
            else:
                _create(f, sweep)
                if old is not None:
                    f.attrs["created"] = old.attrs["created"]
                    _copy_points(old, f, sweep, new, stacked, ragged)
            for i, (arrays, wall) in new.items():
                _write_point(f, sweep, i, arrays, wall, stacked, ragged)
            n_done = int(f["done"][()].sum())
            f.attrs["n_points"] = len(sweep)
            f.attrs["n_done"] = n_done
            f.attrs["complete"] = n_done == len(sweep)
            f.attrs["updated"] = provenance()["created"]
            if old is not None:
                old.close()
                old = None
    finally:
        if old is not None:
            old.close()
    return n_done


def _same_layout(old, keys, ragged):
    """Whether an open sweep file has exactly the points and layout wanted."""
    return (old is not None
            and json.loads(old.attrs["ragged_json"]) == ragged
            and list(old["point_config"].asstr()[()].ravel()) == keys)


def _copy_points(old, f, sweep, new, stacked, ragged):
    """Copy the points of ``old`` that ``sweep`` holds (by key) into ``f``."""
    done = _done_keys(old)
    walls = old["evolution_wall_s"][()].ravel()
    for i, key in enumerate(sweep.point_keys):
        if key in done and i not in new:
            j = done[key]
            _write_point(f, sweep, i, _read_point_arrays(old, j), walls[j],
                         stacked, ragged)


def _map_setup(map_name, num_workers):
    """QuTiP map function and its ``map_kw`` for a ``--map`` choice."""
    if map_name not in MAPS:
        raise ConfigError("--map", f"expected one of {', '.join(MAPS)}, got "
                          f"{map_name!r}")
    map_kw = {}
    if num_workers is not None:
        if isinstance(num_workers, bool) or not isinstance(
                num_workers, numbers.Integral) or num_workers < 1:
            raise ConfigError("--workers", f"expected an integer >= 1, got "
                              f"{num_workers!r}")
        map_kw["num_cpus"] = int(num_workers)
    if map_name == "loky":
        try:
            import loky  # noqa: F401
        except ImportError:
            raise ConfigError("--map", "loky needs the loky package: pip "
                              "install loky (or qutip-stt[parallel])")
    if map_name == "mpi":
        try:
            # qutip.mpi_pmap stops loky's resource tracker through this
            # attribute, which `import loky` alone does not set (qutip 5.3.1)
            import loky.backend.resource_tracker  # noqa: F401
        except ImportError:
            pass
        # decide before importing mpi4py, which initializes MPI
        if _mpi_launched() is None and num_workers is None:
            raise ConfigError("--map", "mpi runs under mpiexec: mpiexec -n K "
                              "python -m mpi4py.futures -m qutip_stt sweep ... "
                              "(K-1 workers), or give --workers to spawn "
                              "workers where MPI supports spawning")
        try:
            from mpi4py import MPI
        except ImportError:
            raise ConfigError("--map", "mpi needs mpi4py and an MPI library: "
                              "apt-get install openmpi-bin libopenmpi-dev; "
                              "pip install mpi4py (or qutip-stt[mpi])")
        size = MPI.COMM_WORLD.Get_size()
        if size > 1:
            map_kw["num_cpus"] = size - 1
        # workers import qutip_stt.sweep.run_point; they must not re-run the
        # command line (the main module)
        map_kw["main"] = False
    return MAPS[map_name], map_kw


def _mpi_launched():
    """World size announced by mpiexec (Open MPI, MPICH/Hydra, PMIx), or None."""
    for var in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                "MPI_LOCALNRANKS"):
        if var in os.environ:
            return int(os.environ[var])
    return None


def _check_points(sweep, todo):
    """Before any work: memory of every point, one warning for reflections."""
    hits, seen, sizes = [], {}, set()
    for i in todo:
        c = sweep.configs[i]
        size = (c["chain"]["length"], c["local_spins"]["count"],
                c["local_spins"]["spin"], c["evolution"]["method"],
                c["evolution"]["n_times"])
        if size not in sizes:
            check_memory(c)
            sizes.add(size)
        # what reflection_times depends on; the check costs ~1 s on Lx = 400
        geometry = (c["chain"]["length"], c["chain"]["hopping"],
                    c["local_spins"]["count"], c["local_spins"]["first_site"],
                    c["electron"]["k"], c["electron"]["dk"],
                    c["electron"]["x0"], c["evolution"]["t_max"])
        if geometry not in seen:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ReflectionWarning)
                check_reflections(c)
            seen[geometry] = str(caught[0].message) if caught else None
        if seen[geometry] is not None:
            hits.append((i, seen[geometry]))
    if hits:
        i, text = hits[0]
        warnings.warn(f"{len(hits)} of {len(todo)} points: reflections "
                      f"within t_max (point {i}: {text})", ReflectionWarning,
                      stacklevel=3)


def run_sweep(sweep, path, map="serial", *, num_workers=None,
              progress_bar=None, max_points=None, checkpoint=10.0):
    """Run the points of a sweep not yet in ``path`` and write them there.

    Parameters
    ----------
    sweep : Sweep
        From :func:`read_sweep` or :func:`make_sweep`.
    path : str or os.PathLike
        Output HDF5 file. If it is a sweep file already, its finished points
        whose resolved config (:func:`point_key`) is in ``sweep`` are kept and
        not recomputed; a file holding finished points that ``sweep`` lacks
        is refused (:class:`ConfigError`) rather than overwritten.
    map : {"serial", "parallel", "loky", "mpi"}
        QuTiP map function (:data:`MAPS`). ``"mpi"`` uses
        :func:`qutip.mpi_pmap` (mpi4py's ``MPIPoolExecutor``): launch the
        program with ``mpiexec -n K python -m mpi4py.futures ...``; its K-1
        other ranks are the workers.
    num_workers : int, optional
        Worker processes (``map_kw["num_cpus"]``); default QuTiP's
        (the CPU count), or the MPI world size minus one.
    progress_bar : str, optional
        QuTiP progress bar name (``"tqdm"``, ``"text"``, ``""``).
    max_points : int, optional
        Run at most this many new points (the rest on a later call).
    checkpoint : float, default: 10.0
        Rewrite the file after a finished point when this many seconds have
        passed since the last write (0: after every point). It is always
        written at the end and on interruption or error.

    Returns
    -------
    dict
        ``n_points``, ``n_skipped`` (already in the file), ``n_run``,
        ``n_done`` (in the file now), ``wall_s``.

    Examples
    --------
    >>> s = make_sweep({"chain": {"length": 40}, "local_spins": {"count": 1},
    ...                 "evolution": {"t_max": 5.0, "n_times": 3}},
    ...                {"local_spins.J_sd": [0.1, 0.2]})
    >>> run_sweep(s, "scan.h5")["n_done"]                    # doctest: +SKIP
    2
    """
    path = check_output_path(path)
    map_func, map_kw = _map_setup(map, num_workers)
    if max_points is not None and (isinstance(max_points, bool) or int(
            max_points) != max_points or max_points < 0):
        raise ConfigError("--max-points", f"expected an integer >= 0, got "
                          f"{max_points!r}")
    start = time.perf_counter()
    old = _open_existing(path)
    done = {}
    keys = sweep.point_keys
    if old is not None:
        with old:
            done = _done_keys(old)
        lost = len(set(done) - set(keys))
        if lost:
            raise ConfigError("--out", f"{path} holds {lost} finished points "
                              "that are not in this sweep and would be lost; "
                              "choose another --out or remove the file")
    todo = [i for i, k in enumerate(keys) if k not in done]
    n_skipped = len(keys) - len(todo)
    if max_points is not None:
        todo = todo[:int(max_points)]
    _check_points(sweep, todo)
    index = {keys[i]: i for i in todo}
    pending = {}
    lock = threading.Lock()
    state = {"last": time.monotonic(), "n_done": n_skipped}

    def flush():
        if pending or state.get("first") is None:
            state["n_done"] = _checkpoint(path, sweep, dict(pending))
            pending.clear()
            state["first"] = False
        state["last"] = time.monotonic()

    def collect(out):
        with lock:
            pending[index[out["key"]]] = (out["arrays"], out["wall"])
            if time.monotonic() - state["last"] >= checkpoint:
                flush()

    try:
        if todo:
            map_func(run_point, [sweep.configs[i] for i in todo],
                     reduce_func=collect, map_kw=map_kw,
                     progress_bar=progress_bar or "")
    finally:
        with lock:
            flush()
    return {"n_points": len(sweep), "n_skipped": n_skipped,
            "n_run": len(todo), "n_done": state["n_done"],
            "wall_s": time.perf_counter() - start}


def read_sweep_result(path):
    """Read a sweep file: coordinates, summary and stacked datasets.

    Returns
    -------
    dict
        ``keys``, ``mode``, ``shape``, ``axes`` and ``coords`` (key -> array;
        JSON-encoded values decoded to lists of objects), ``done`` (bool
        array), ``summary`` (name -> array), ``data`` (stacked dataset name
        -> array of shape ``shape + item shape``), ``configs`` (flat list of
        resolved configs), ``attrs``.

    Raises
    ------
    ConfigError
        If the file is missing or not a sweep file.

    Examples
    --------
    >>> data = read_sweep_result("scan.h5")             # doctest: +SKIP
    >>> data["summary"]["purity_local"].shape           # doctest: +SKIP
    (3, 5)
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ConfigError("file", f"{path}: no such file")
    f = _open_existing(path)
    with f:
        keys = json.loads(f.attrs["keys_json"])
        ragged = json.loads(f.attrs["ragged_json"])

        def decode(ds):
            if ds.attrs.get("kind") == "json":
                raw = ds.asstr()[()]
                return np.array([json.loads(v) for v in raw.ravel()],
                                dtype=object).reshape(raw.shape)
            return ds[()]

        out = {
            "keys": keys, "mode": f.attrs["mode"],
            "shape": tuple(int(n) for n in f.attrs["shape"]),
            "axes": {k: decode(f[f"axes/{k}"]) for k in keys},
            "coords": {k: decode(f[f"coords/{k}"]) for k in keys},
            "done": f["done"][()],
            "summary": {k: f[f"summary/{k}"][()] for k in SUMMARY},
            "data": {name: (f[name].asstr()[()] if name == _LABELS
                            else f[name][()])
                     for name in [*DATASETS, _LABELS]
                     if name not in ragged},
            "configs": [json.loads(s) for s in
                        f["point_config"].asstr()[()].ravel()],
            "wall_s": f["evolution_wall_s"][()],
            "attrs": {k: (v.decode() if isinstance(v, bytes) else v)
                      for k, v in f.attrs.items()},
        }
    return out


def read_sweep_point(path, index):
    """Datasets of one point (flat index) of a sweep file, as in a single run.

    Parameters
    ----------
    path : str or os.PathLike
        A sweep file.
    index : int
        Flat (C-order) index of the point.

    Returns
    -------
    dict or None
        HDF5 dataset name -> array, or None if the point is not written.

    Examples
    --------
    >>> read_sweep_point("scan.h5", 0)["local/spin"].shape  # doctest: +SKIP
    (101, 5, 3)
    """
    f = _open_existing(path)
    if f is None:
        raise ConfigError("file", f"{path}: no such file")
    with f:
        if not f["done"][()].ravel()[index]:
            return None
        return _read_point_arrays(f, index)


# ----------------------------------------------------------------- plot
def sweep_plot(source, x=None, out=None):
    """Final purity, local-spin length and spin-flip probability vs the swept values.

    Parameters
    ----------
    source : str or dict
        A sweep file or the dict of :func:`read_sweep_result`.
    x : str, optional
        Swept key on the horizontal axis (default the first). Every other
        key gives one line per value (grid) ; zipped sweeps draw one line.
    out : str, optional
        Save the figure there (atomically; format from the suffix).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = sweep_plot("scan.h5", x="electron.spin.theta",
    ...                  out="scan.png")                # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    data = source if isinstance(source, dict) else read_sweep_result(source)
    keys = data["keys"]
    x = keys[0] if x is None else x
    if x not in keys:
        raise ConfigError("--x", f"expected one of {', '.join(keys)}, got "
                          f"{x!r}")
    panels = [("purity_local", r"final purity $\mathrm{Tr}\,\rho_{loc}^2$"),
              ("spin_length", r"mean $|\langle\Sigma_n\rangle|$ ($\hbar/2$)"),
              ("spin_flip_probability", "electron spin-flip probability")]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained")
    if data["mode"] == "zip":
        lines = [(None, np.arange(data["shape"][0]))]
        xs = data["coords"][x]
    else:
        axis = keys.index(x)
        others = [k for k in keys if k != x]
        moved = {k: np.moveaxis(np.asarray(v), axis, -1).reshape(
            -1, data["shape"][axis]) for k, v in data["coords"].items()}
        lines = []
        for row in range(moved[x].shape[0]):
            label = ", ".join(f"{k} = {_fmt(moved[k][row, 0])}"
                              for k in others) or None
            lines.append((label, row))
        xs = None
    numeric = all(isinstance(v, numbers.Real)
                  for v in np.asarray(data["axes"][x]).ravel())
    for ax, (name, ylabel) in zip(axes, panels):
        values = np.asarray(data["summary"][name])
        for label, sel in lines:
            if data["mode"] == "zip":
                xv, yv = np.asarray(xs), values
            else:
                axis = keys.index(x)
                yv = np.moveaxis(values, axis, -1).reshape(
                    -1, data["shape"][axis])[sel]
                xv = np.moveaxis(np.asarray(data["coords"][x]), axis,
                                 -1).reshape(-1, data["shape"][axis])[sel]
            if numeric:
                ax.plot(xv.astype(float), yv, "o-", label=label)
            else:
                ax.plot(np.arange(len(yv)), yv, "o-", label=label)
                ax.set_xticks(np.arange(len(yv)), [_fmt(v) for v in xv])
        ax.set_xlabel(x)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    if any(label for label, _ in lines):
        axes[-1].legend(fontsize="small")
    n_done = int(np.sum(data["done"]))
    fig.suptitle(f"sweep of {', '.join(keys)} ({n_done} of "
                 f"{int(np.prod(data['shape']))} points)")
    if out is not None:
        with atomic_file(out) as tmp:
            fig.savefig(tmp, dpi=120)
    return fig


def _fmt(v):
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, dict):
        return json.dumps(v)
    return str(v)
