"""The HDF5 layout of a sweep file: writer, readers and the check before reading.

Layout (``S`` the sweep shape; every dataset of a single run is described
in :mod:`qutip_stt.io.results`)::

    coords/<key>                  S          swept value at every point
    axes/<key>                    (n_k,)     the values listed for each key
    point_config                  S          resolved config (JSON) of each
                                             finished point, "" elsewhere
    done                          S          point written
    evolution_wall_s              S          seconds per point
    summary/<name>                S          :data:`SUMMARY`
    <dataset>                     S + shape  every dataset of a single run,
                                             stacked when its shape is the
                                             same at every point, else
    points/<i>/<dataset>                     per point (flat C-order index i)

Attributes: ``format`` ("qutip-stt sweep"), ``format_version``, the
provenance of :func:`qutip_stt.io.provenance`, ``mode``, ``keys_json``,
``shape``, ``ragged_json``, ``sweep_toml``, ``base_config_json``,
``n_points``, ``n_done``, ``complete``, ``updated``. Unwritten entries are
NaN; the stacked datasets are chunked one point per chunk, so unwritten
points take no room on disk. Version 1 files (``point_config`` of every
point, finished or not) read the same way.

Every reader opens a file through :func:`open_sweep_file`, which checks the
layout and the sizes it declares (:func:`check_sweep_file`) before any data
is read, and refuses with one line naming the dataset.
"""

import json

import h5py
import numpy as np

from ..errors import ConfigError
from .atomic import atomic_h5, provenance
from .sweep_schema import (LABELS, POINT_DATASETS, SUMMARY, SWEEP_FORMAT,
                           check_sweep_file, done_points, open_sweep_file)

__all__ = ["SWEEP_FORMAT", "SWEEP_FORMAT_VERSION", "SUMMARY", "item_shapes",
           "write_sweep_file", "read_sweep_result", "read_sweep_summary",
           "read_sweep_point", "open_sweep_file", "check_sweep_file",
           "done_points"]

SWEEP_FORMAT_VERSION = 2
_STRINGS = h5py.string_dtype("utf-8")


def item_shapes(config):
    """Shape of every dataset of a single run of a resolved ``config``.

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    dict
        Dataset name -> shape tuple.

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> item_shapes(resolve_config({"local_spins": {"count": 2}}))["probabilities"]
    (101, 8)
    """
    T = config["evolution"]["n_times"]
    N = config["local_spins"]["count"]
    M = 2 * (int(round(2 * config["local_spins"]["spin"])) + 1) ** N
    Lx = config["chain"]["length"]
    shapes = {"t": (T,), "electron/spin": (T, 3), "local/spin": (T, N, 3),
              "probabilities": (T, M), "probabilities_m": (M, N + 1),
              "density": (T, Lx), LABELS: (M,)}
    return {name: shapes.get(name, (T,)) for name in POINT_DATASETS}


def _encode(values):
    """Coordinates as float64 if all numbers, else JSON strings."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool)
           for v in values):
        return np.array(values, dtype=float), "number"
    return np.array([json.dumps(v, ensure_ascii=False) for v in values],
                    dtype=object), "json"


def _layout(sweep):
    """Stacked (shape-agreeing) datasets -> item shape, and the ragged names."""
    first = item_shapes(sweep.configs[0])
    stacked = dict(first)
    for config in sweep.configs[1:]:
        shapes = item_shapes(config)
        for name in list(stacked):
            if shapes[name] != stacked[name]:
                del stacked[name]
    return stacked, [name for name in first if name not in stacked]


def _create(f, sweep, stacked, ragged, old=None):
    """The layout of ``sweep`` in an open file; data copied from ``old``."""
    S = sweep.shape
    f.attrs.update({
        "format": SWEEP_FORMAT, "format_version": SWEEP_FORMAT_VERSION,
        **provenance(), "mode": sweep.mode,
        "keys_json": json.dumps(sweep.keys), "shape": np.array(S, dtype=int),
        "sweep_toml": sweep.text, "ragged_json": json.dumps(ragged),
        "base_config_json": json.dumps(sweep.base, ensure_ascii=False)})
    if old is not None:
        f.attrs["created"] = old.attrs["created"]
    for key in sweep.keys:
        axis, kind = _encode(sweep.values[key])
        f.create_dataset(f"axes/{key}", data=axis,
                         dtype=_STRINGS if kind == "json" else float)
        data, kind = _encode([sweep.coordinates(i)[key]
                              for i in range(len(sweep))])
        f.create_dataset(f"coords/{key}", data=data.reshape(S),
                         dtype=_STRINGS if kind == "json" else float)
        f[f"coords/{key}"].attrs["kind"] = kind
        f[f"axes/{key}"].attrs["kind"] = kind
    f.create_dataset("point_config", shape=S, dtype=_STRINGS)
    names = ["done", "evolution_wall_s", "points",
             *(f"summary/{k}" for k in SUMMARY), *stacked]
    if old is not None:     # the same points at the same places: copy as is
        for name in names:
            old.copy(old[name], f, name=name)
        f["point_config"][...] = old["point_config"][...]
        return
    f.create_dataset("done", data=np.zeros(S, dtype=bool))
    f.create_dataset("evolution_wall_s", shape=S, dtype=float,
                     fillvalue=np.nan)
    for name, doc in SUMMARY.items():
        f.create_dataset(f"summary/{name}", shape=S, dtype=float,
                         fillvalue=np.nan).attrs["meaning"] = doc
    for name, shape in stacked.items():
        if name == LABELS:
            f.create_dataset(name, shape=S + shape, dtype=_STRINGS,
                             chunks=(1,) * len(S) + shape)
        else:
            f.create_dataset(name, shape=S + shape, dtype=float,
                             fillvalue=np.nan, chunks=(1,) * len(S) + shape)
    f.create_group("points")


def _write_point(f, shape, index, record, expected, stacked):
    """Write one point's record ``(key, arrays, wall, summary)``."""
    key, arrays, wall, summary = record
    where = np.unravel_index(index, shape)
    for name in POINT_DATASETS:
        value = np.asarray(arrays[name])
        if value.shape != expected[name]:
            raise ConfigError(name, f"point {index} has shape {value.shape}, "
                              f"expected {expected[name]}")
        if name in stacked:
            f[name][where] = value
        else:
            f.create_dataset(f"points/{index}/{name}", data=value,
                             dtype=_STRINGS if name == LABELS else float)
    f["evolution_wall_s"][where] = wall
    for name in SUMMARY:
        f[f"summary/{name}"][where] = summary[name]
    f["point_config"][where] = key
    f["done"][where] = True


def _read_record(f, index, info):
    """``(key, arrays, wall, summary)`` of a finished point of an open file."""
    where = np.unravel_index(index, info["shape"])
    arrays = {}
    for name in POINT_DATASETS:
        if name in info["ragged"]:
            ds, sel = f[f"points/{index}/{name}"], ()
        else:
            ds, sel = f[name], where
        arrays[name] = np.asarray((ds.asstr() if name == LABELS else ds)[sel])
    summary = {k: float(f[f"summary/{k}"][where]) for k in SUMMARY}
    return (f["point_config"].asstr()[where], arrays,
            float(f["evolution_wall_s"][where]), summary)


def write_sweep_file(path, sweep, new, old=None, overwrite=False):
    """Rewrite a sweep file atomically: the finished points of ``old`` and ``new``.

    Points are mapped by their resolved config (the point key), never by
    position: when ``sweep`` has another shape, order or mode than ``old``,
    the file is rebuilt in the shape of ``sweep`` and every kept point is
    copied to the place of its key.

    Parameters
    ----------
    path : str or os.PathLike
        The sweep file (replaced atomically).
    sweep : qutip_stt.sweep.Sweep
        The sweep being run.
    new : dict
        Flat index in ``sweep`` -> ``(key, arrays, wall, summary)``.
    old : h5py.File, optional
        The file at ``path`` as it was (open, checked by
        :func:`open_sweep_file`); its finished points whose key is in
        ``sweep`` are kept.
    overwrite : bool, default: False
        Replace a file at ``path`` that is not a qutip-stt output (``--force``).

    Returns
    -------
    int
        The number of finished points in the file now.
    """
    stacked, ragged = _layout(sweep)
    keys = sweep.point_keys
    kept = {}
    same = False
    if old is not None:
        info = check_sweep_file(old, path)
        found, _ = done_points(old, info)
        position = {k: i for i, k in enumerate(keys)}
        kept = {position[k]: j for k, j in found.items()
                if k in position and position[k] not in new}
        same = (info["mode"] == sweep.mode and info["keys"] == sweep.keys
                and info["shape"] == sweep.shape and info["ragged"] == ragged
                and len(kept) == len(found)
                and all(i == j for i, j in kept.items())
                and not (set(new) & set(found.values())))
    with atomic_h5(path, overwrite=overwrite) as f:
        _create(f, sweep, stacked, ragged, old if same else None)
        if same and not old["done"][()].sum() == len(found):
            # points marked done without data: unmark them (run again)
            for i in set(np.flatnonzero(old["done"][()].ravel())) \
                    - set(found.values()):
                f["done"][np.unravel_index(i, sweep.shape)] = False
        if not same:
            for i, j in kept.items():
                _write_point(f, sweep.shape, i, _read_record(old, j, info),
                             item_shapes(sweep.configs[i]), stacked)
        for i, record in new.items():
            _write_point(f, sweep.shape, i, record,
                         item_shapes(sweep.configs[i]), stacked)
        n_done = int(f["done"][()].sum())
        f.attrs.update({"n_points": len(sweep), "n_done": n_done,
                        "complete": n_done == len(sweep),
                        "updated": provenance()["created"]})
    return n_done


def _decode(ds):
    if ds.attrs.get("kind") == "json":
        raw = ds.asstr()[()]
        return np.array([json.loads(v) for v in np.ravel(raw)],
                        dtype=object).reshape(np.shape(raw))
    return ds[()]


def read_sweep_summary(path):
    """What a sweep plot needs, without the per-point datasets.

    Parameters
    ----------
    path : str or os.PathLike
        A sweep file.

    Returns
    -------
    dict
        ``keys``, ``mode``, ``shape``, ``axes`` and ``coords`` (key ->
        array; JSON-encoded values decoded to objects), ``done`` (bool
        array), ``summary`` (name -> array), ``attrs``.

    Raises
    ------
    ConfigError
        (key ``file``) for a missing, foreign or malformed file.
    """
    with open_sweep_file(path, "file") as f:
        info = check_sweep_file(f, path, "file")
        _, damaged = done_points(f, info)
        if damaged:
            raise ConfigError("file", f"{path}: point {damaged[0]} is marked "
                              "done but holds no data (summary NaN); the "
                              "file was edited or damaged: run the sweep "
                              "again on it to recompute such points")
        return {
            "keys": info["keys"], "mode": info["mode"],
            "shape": info["shape"],
            "axes": {k: _decode(f[f"axes/{k}"]) for k in info["keys"]},
            "coords": {k: _decode(f[f"coords/{k}"]) for k in info["keys"]},
            "done": f["done"][()],
            "summary": {k: f[f"summary/{k}"][()] for k in SUMMARY},
            "wall_s": f["evolution_wall_s"][()],
            "attrs": {k: (v.decode() if isinstance(v, bytes) else v)
                      for k, v in f.attrs.items()},
        }


def read_sweep_result(path):
    """Read a sweep file: coordinates, summary and stacked datasets.

    Parameters
    ----------
    path : str or os.PathLike
        A sweep file.

    Returns
    -------
    dict
        :func:`read_sweep_summary` plus ``data`` (stacked dataset name ->
        array of shape ``shape + item shape``) and ``configs`` (flat list
        of the resolved config of every point, None where not finished).

    Raises
    ------
    ConfigError
        (key ``file``) for a missing, foreign or malformed file, or one
        whose data would not fit in the memory available.

    Examples
    --------
    >>> data = read_sweep_result("scan.h5")             # doctest: +SKIP
    >>> data["summary"]["purity_local"].shape           # doctest: +SKIP
    (3, 5)
    """
    out = read_sweep_summary(path)
    with open_sweep_file(path, "file") as f:
        info = check_sweep_file(f, path, "file", data=True)
        out["data"] = {name: (f[name].asstr()[()] if name == LABELS
                              else f[name][()])
                       for name in POINT_DATASETS
                       if name not in info["ragged"]}
        done = out["done"].ravel()
        raw = f["point_config"].asstr()[()].ravel()
        out["configs"] = [json.loads(s) if d else None
                          for s, d in zip(raw, done)]
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
    with open_sweep_file(path, "file") as f:
        info = check_sweep_file(f, path, "file")
        n = int(np.prod(info["shape"]))
        if not isinstance(index, (int, np.integer)) or not 0 <= index < n:
            raise ConfigError("index", f"expected an integer from 0 to "
                              f"{n - 1}, got {index!r}")
        found, _ = done_points(f, info)
        if index not in found.values():
            return None
        return _read_record(f, int(index), info)[1]

