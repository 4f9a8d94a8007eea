"""Opening a sweep file and checking its layout before any data is read.

:func:`open_sweep_file` tells apart a missing file, something that is not
a regular file, an HDF5 file that another program holds open (HDF5's own
file lock), a file that is not HDF5 at all and an HDF5 file of another
kind. :func:`check_sweep_file` then checks every attribute and dataset the
readers use (presence, hard links only, shapes, kinds, declared sizes), so
that a crafted or damaged file is refused with one line naming the dataset,
never read into a traceback or a huge allocation. :func:`done_points` finds
the finished points and those marked done that hold no data.
"""

import json
import os
import stat

import h5py
import numpy as np

from ..errors import ConfigError
from .results import DATASETS

__all__ = ["SWEEP_FORMAT", "SUMMARY", "LABELS", "POINT_DATASETS",
           "MAX_FILE_POINTS", "open_sweep_file", "check_sweep_file",
           "done_points"]

SWEEP_FORMAT = "qutip-stt sweep"

#: Per-point scalars at t_max (written by the sweep runner), with meaning.
SUMMARY = {
    "purity_local": "Tr rho^2 of all local spins at t_max (Eq. 7)",
    "spin_length": "mean over local spins of |<Sigma_n>| at t_max, hbar/2",
    "magnetization_length": "|sum_n <Sigma_n>| at t_max, hbar/2",
    "spin_flip_probability": "probability that the electron spin measured "
                             "along its initial direction n is reversed at "
                             "t_max: (1 - n.<sigma>(t_max)) / 2",
}

LABELS = "probabilities_labels"
#: Every dataset a point holds: those of a single run plus the labels.
POINT_DATASETS = [*DATASETS, LABELS]
#: Largest number of points a sweep file may declare (a reader refuses more).
MAX_FILE_POINTS = 10_000_000

_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def _is_hdf5(path):
    """Whether ``path`` has the HDF5 signature where a superblock may start."""
    try:
        with open(path, "rb") as f:
            for offset in (0, 512, 1024, 2048, 4096):
                f.seek(offset)
                if f.read(8) == _HDF5_SIGNATURE:
                    return True
    except OSError:
        pass
    return False


def open_sweep_file(path, key="file", missing_ok=False):
    """Open a sweep file read-only, or refuse with one line naming ``key``.

    Parameters
    ----------
    path : str or os.PathLike
    key : str, default: "file"
        The parameter that named the file (``"file"`` for a reader,
        ``"--out"`` for a sweep that resumes it).
    missing_ok : bool, default: False
        Return None for a missing file instead of refusing.

    Returns
    -------
    h5py.File or None

    Raises
    ------
    ConfigError
        Missing (unless ``missing_ok``), not a regular file, unreadable,
        held open for writing by another program, not HDF5, or not a
        qutip-stt sweep file.

    Examples
    --------
    >>> open_sweep_file("no-such.h5", missing_ok=True) is None
    True
    """
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if missing_ok:
            return None
        raise ConfigError(key, f"{path}: no such file") from None
    except OSError as exc:
        raise ConfigError(key, f"{path}: cannot read ({exc.strerror})") \
            from None
    if not stat.S_ISREG(mode):
        raise ConfigError(key, f"{path} is not a regular file (a directory, "
                          "FIFO or device); give a sweep HDF5 file")
    if not os.access(path, os.R_OK) and os.geteuid() != 0:
        raise ConfigError(key, f"{path}: cannot read (permission denied)")
    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        if _is_hdf5(path):
            reason = str(exc).split(",")[0].strip() or "HDF5 error"
            raise ConfigError(key, f"{path} is an HDF5 file that cannot be "
                              f"opened now ({reason}); another program may "
                              "have it open for writing: close it and try "
                              "again") from None
        what = ("exists and is not an HDF5 file; give --force to replace "
                "it, or another name" if key == "--out"
                else "is not an HDF5 file; give a file written by qutip-stt "
                "sweep")
        raise ConfigError(key, f"{path} {what}") from None
    fmt = f.attrs.get("format")
    if isinstance(fmt, bytes):
        fmt = fmt.decode(errors="replace")
    if fmt != SWEEP_FORMAT:
        f.close()
        what = ("exists and is not a qutip-stt sweep file (format "
                f"{fmt!r}); give --force to replace it, or another name"
                if key == "--out"
                else f"is not a qutip-stt sweep file (format {fmt!r}); give a "
                "file written by qutip-stt sweep")
        raise ConfigError(key, f"{path} {what}")
    return f


def _get(f, name, path, key):
    """The hard-linked object ``name`` of ``f``, or a one-line refusal."""
    parts = name.split("/")
    for depth in range(1, len(parts) + 1):
        sub = "/".join(parts[:depth])
        link = f.get(sub, getlink=True)
        if link is None:
            raise ConfigError(key, f"{path}: dataset {name!r} is missing; "
                              "the file is not a complete sweep file")
        if not isinstance(link, h5py.HardLink):
            raise ConfigError(key, f"{path}: {sub!r} is a "
                              f"{type(link).__name__}; a sweep file holds "
                              "its own data (no external or soft links)")
    return f[name]


def _dataset(f, name, path, key, shape, kind):
    """Check that ``name`` is a dataset with ``shape`` (prefix) and kind."""
    ds = _get(f, name, path, key)
    if not isinstance(ds, h5py.Dataset):
        raise ConfigError(key, f"{path}: {name!r} is not a dataset")
    if ds.shape is None or tuple(ds.shape[:len(shape)]) != tuple(shape):
        raise ConfigError(key, f"{path}: dataset {name!r} has shape "
                          f"{ds.shape}, expected {tuple(shape)} first")
    ok = {"float": ds.dtype.kind in "fiu", "bool": ds.dtype.kind in "biu",
          "str": h5py.check_string_dtype(ds.dtype) is not None,
          "any": (ds.dtype.kind in "fiu"
                  or h5py.check_string_dtype(ds.dtype) is not None)}[kind]
    if not ok:
        raise ConfigError(key, f"{path}: dataset {name!r} has type "
                          f"{ds.dtype}, expected {kind}")
    return ds


def _attr_json(f, name, path, key):
    try:
        return json.loads(f.attrs[name])
    except (KeyError, TypeError, ValueError):
        raise ConfigError(key, f"{path}: attribute {name!r} is missing or "
                          "not JSON text") from None


def check_sweep_file(f, path, key="file", data=False):
    """Check the layout and declared sizes of an open sweep file.

    Parameters
    ----------
    f : h5py.File
        Opened by :func:`open_sweep_file`.
    path : str
        Its name, for messages.
    key : str, default: "file"
        Parameter named in a refusal.
    data : bool, default: False
        Also check that the stacked datasets fit in the memory available
        (before a reader loads them all).

    Returns
    -------
    dict
        ``mode``, ``keys``, ``shape`` (tuple), ``ragged`` (list).

    Raises
    ------
    ConfigError
        Naming the first attribute or dataset that is missing, a link, of
        the wrong shape or type, or too large.
    """
    keys = _attr_json(f, "keys_json", path, key)
    ragged = _attr_json(f, "ragged_json", path, key)
    mode = f.attrs.get("mode")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    if mode not in ("grid", "zip"):
        raise ConfigError(key, f"{path}: attribute 'mode' is {mode!r}, "
                          "expected \"grid\" or \"zip\"")
    if not (isinstance(keys, list) and keys
            and all(isinstance(k, str) for k in keys)):
        raise ConfigError(key, f"{path}: attribute 'keys_json' is not a list "
                          "of swept keys")
    if not (isinstance(ragged, list) and set(ragged) <= set(POINT_DATASETS)):
        raise ConfigError(key, f"{path}: attribute 'ragged_json' names "
                          "unknown datasets")
    shape = np.asarray(f.attrs.get("shape", []))
    if (shape.ndim != 1 or shape.dtype.kind not in "iu" or shape.size
            != (1 if mode == "zip" else len(keys)) or np.any(shape < 1)):
        raise ConfigError(key, f"{path}: attribute 'shape' is "
                          f"{shape.tolist()}, expected one positive length "
                          "per axis")
    S = tuple(int(n) for n in shape)
    n = int(np.prod(S, dtype=object))
    if n > MAX_FILE_POINTS:
        raise ConfigError(key, f"{path} declares {n:,} points, more than "
                          f"the {MAX_FILE_POINTS:,} a sweep file may hold")
    _dataset(f, "done", path, key, S, "bool")
    _dataset(f, "evolution_wall_s", path, key, S, "float")
    _dataset(f, "point_config", path, key, S, "str")
    for name in SUMMARY:
        _dataset(f, f"summary/{name}", path, key, S, "float")
    for axis, k in enumerate(keys):
        _dataset(f, f"coords/{k}", path, key, S, "any")
        length = S[0] if mode == "zip" else S[axis]
        _dataset(f, f"axes/{k}", path, key, (length,), "any")
    total = 0
    for name in POINT_DATASETS:
        if name in ragged:
            continue
        ds = _dataset(f, name, path, key, S,
                      "str" if name == LABELS else "float")
        total += int(np.prod(ds.shape, dtype=object)) * 8
    if ragged:
        _get(f, "points", path, key)
    if data:
        from .._util.resources import available_memory
        free = available_memory()
        if free is not None and total > 0.5 * free:
            raise ConfigError(key, f"{path}: its stacked datasets need "
                              f"{total / 2**30:.1f} GiB, more than half the "
                              f"{free / 2**30:.1f} GiB available; read "
                              "points one at a time (read_sweep_point)")
    return {"mode": mode, "keys": keys, "shape": S, "ragged": ragged}


def done_points(f, info):
    """Finished points of a checked sweep file, and those that hold no data.

    A point counts as finished when it is marked ``done``, its summary is
    finite, its point config is present and, for per-point datasets, its
    ``points/<i>`` group exists. A point marked done that fails this (an
    edited or damaged file) is listed in ``damaged``.

    Parameters
    ----------
    f : h5py.File
    info : dict
        From :func:`check_sweep_file`.

    Returns
    -------
    found : dict
        Point key (resolved config as JSON) -> flat index.
    damaged : list of int
        Flat indices marked done without data.
    """
    done = np.asarray(f["done"][()], dtype=bool).ravel()
    ok = done.copy()
    for name in SUMMARY:
        ok &= np.isfinite(np.asarray(f[f"summary/{name}"][()],
                                     dtype=float).ravel())
    if "t" not in info["ragged"]:
        t = f["t"]
        last = t[(...,) + (t.shape[-1] - 1,)] if t.shape[-1] else None
        if last is None:
            ok[:] = False
        else:
            ok &= np.isfinite(np.asarray(last, dtype=float).ravel())
    keys = f["point_config"].asstr()
    found = {}
    for i in np.flatnonzero(ok):
        where = np.unravel_index(i, info["shape"])
        k = keys[where]
        if not k or (info["ragged"] and f.get(f"points/{i}") is None):
            ok[i] = False
            continue
        found[k] = int(i)
    damaged = [int(i) for i in np.flatnonzero(done & ~ok)]
    return found, damaged
