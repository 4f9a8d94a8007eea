"""The one check every reader runs on a file before it reads any data.

A result file (``qutip-stt simulate``), a sweep file or a paper file may be
foreign, truncated or crafted. :func:`check_layout` validates, from the
file's metadata only, that every dataset a reader needs

* is a plain dataset stored in this file (no soft or external link, no
  external or virtual storage),
* has the expected number of dimensions and a numeric (or string) dtype,
* has sizes consistent with the other datasets (one ``T``, one ``N``, ...),
* and that all of them together fit in the memory a reader may use
  (:data:`MAX_READ_BYTES`, or less when less is available),

and refuses with one :class:`~qutip_stt.errors.ConfigError` naming the
dataset. :func:`check_result_file` applies it to the result layout and
checks the few values a reader relies on (``t`` finite and increasing, the
local spin size, ``config_json``). The sweep reader passes its own layout to
:func:`check_layout`.

Before any of that, :func:`open_hdf5` is the one gate through which the
readers of result, scattering and train files open their input: a regular,
readable file (:func:`check_input_file`, which never blocks on a FIFO or a
device), HDF5, and of the expected ``format``.
"""

import json
import os
import stat

import numpy as np

from ..errors import ConfigError

__all__ = ["check_layout", "check_result_file", "check_input_file",
           "open_hdf5", "RESULT_LAYOUT", "ELECTRONS_LAYOUT", "MPS_LAYOUT",
           "MAX_READ_BYTES"]

#: Largest total size (bytes) of the datasets one reader loads; a reader also
#: stays within :data:`qutip_stt._util.resources.MEMORY_FRACTION` of the memory
#: available.
MAX_READ_BYTES = 8 * 2 ** 30

#: dataset -> (dimension symbols, dtype kinds). ``T`` output times, ``N``
#: local spins, ``M`` spin configurations, ``L`` chain sites, ``N1`` = N + 1,
#: ``3`` literally three. Kinds: numpy ``dtype.kind`` letters (``"S"``/``"O"``
#: are strings).
RESULT_LAYOUT = {
    "t": (("T",), "fiu"),
    "electron/spin": (("T", 3), "fiu"),
    "local/spin": (("T", "N", 3), "fiu"),
    "purity/local": (("T",), "fiu"),
    "purity/electron": (("T",), "fiu"),
    "purity/orbital": (("T",), "fiu"),
    "entropy/local": (("T",), "fiu"),
    "probabilities": (("T", "M"), "fiu"),
    "probabilities_m": (("M", "N1"), "fiu"),
    "probabilities_labels": (("M",), "SOU"),
    "norm": (("T",), "fiu"),
    "energy": (("T",), "fiu"),
    "total_sz": (("T",), "fiu"),
    "density": (("T", "L"), "fiu"),
}

#: The layout of a many-electron result (``[electrons]``, a group
#: ``electrons`` in the file): no single electron's datasets, the local
#: spins' configurations only (``probabilities_m`` ``(M, N)``), and the
#: electrons' spin density, total spin and count beyond the spins.
ELECTRONS_LAYOUT = {
    **{k: v for k, v in RESULT_LAYOUT.items()
       if k not in ("electron/spin", "purity/electron", "purity/orbital",
                    "probabilities_m")},
    "probabilities_m": (("M", "N"), "fiu"),
    "electrons/spin_density": (("T", "L", 3), "fiu"),
    "electrons/spin": (("T", 3), "fiu"),
    "electrons/count_right": (("T",), "fiu"),
}


#: The layout of a many-electron result of method ``"mps"`` (a group ``mps``
#: in the file): :data:`ELECTRONS_LAYOUT` plus the accumulated discarded
#: weight, the largest bond dimension and the entropy at each of the ``B``
#: bonds of the MPS (``B = L - 1``, one MPS site per chain site).
MPS_LAYOUT = {
    **ELECTRONS_LAYOUT,
    "mps/truncation_error": (("T",), "fiu"),
    "mps/bond_dimension": (("T",), "iuf"),
    "mps/entanglement_entropy": (("T", "B"), "fiu"),
}


def check_input_file(path, key="file"):
    """Refuse a path that is not an existing, readable regular file.

    Only :func:`os.stat` and :func:`os.access` look at the path, so a FIFO or
    a device is refused without being opened (opening it could block).

    Parameters
    ----------
    path : str or os.PathLike
    key : str, default: "file"
        Named in the error (the parameter or option that gave the path).

    Returns
    -------
    str
        ``path`` as a string.

    Raises
    ------
    ConfigError
        Missing, a directory, a FIFO, socket or device, or not readable.

    Examples
    --------
    >>> check_input_file("no-such-file.h5")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: file: no-such-file.h5: no such file
    """
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ConfigError(key, f"{path}: no such file") from None
    except OSError as exc:
        raise ConfigError(key, f"{path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise ConfigError(key, f"{path} is a directory, not an HDF5 file")
    if not stat.S_ISREG(mode):
        raise ConfigError(key, f"{path} is not a regular file (a device, FIFO "
                          "or socket)")
    if not os.access(path, os.R_OK):
        raise ConfigError(key, f"{path}: cannot read (permission denied)")
    return path


def open_hdf5(path, expected_format, key="file"):
    """Open an input file of qutip-stt for reading: the gate of every reader.

    :func:`check_input_file` (no blocking on a FIFO or device, no directory),
    then :class:`h5py.File`, then the file attribute ``format``.

    Parameters
    ----------
    path : str or os.PathLike
    expected_format : str
        The ``format`` attribute the file must carry (``"qutip-stt result"``,
        ``"qutip-stt scattering"``, ``"qutip-stt train"``).
    key : str, default: "file"
        Named in the error (the parameter or option that gave the path).

    Returns
    -------
    path : str
        ``path`` as a string, for messages.
    file : h5py.File
        Open read-only; the caller closes it (``with file: ...``).

    Raises
    ------
    ConfigError
        Missing, not a readable regular file, not HDF5, or not of format
        ``expected_format``.

    Examples
    --------
    >>> open_hdf5("no-such-file.h5", "qutip-stt train")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: file: no-such-file.h5: no such file
    """
    import h5py

    path = check_input_file(path, key)
    try:
        f = h5py.File(path, "r")
    except Exception:       # noqa: BLE001  (h5py raises OSError and others)
        raise ConfigError(key, f"{path} is not an HDF5 file") from None
    try:
        fmt = f.attrs.get("format")
    except Exception:       # noqa: BLE001  (an unreadable attribute)
        fmt = None
    if isinstance(fmt, bytes):
        fmt = fmt.decode(errors="replace")
    if not isinstance(fmt, str) or fmt != expected_format:
        f.close()
        found = ("no 'format' attribute" if fmt is None else
                 f"its 'format' attribute is {str(fmt)!r}"
                 if isinstance(fmt, str) else
                 "its 'format' attribute is not a string")
        raise ConfigError(key, f"{path} is not a {expected_format} file "
                          f"({found}; expected {expected_format!r})")
    return path, f


def _read_budget():
    from .._util.resources import MEMORY_FRACTION, available_memory

    available = available_memory()
    if available is None:
        return MAX_READ_BYTES
    return int(min(MAX_READ_BYTES, MEMORY_FRACTION * available))


def check_layout(group, layout, where="file", *, budget=None):
    """Check datasets' kind, storage, dtype and shapes before reading them.

    Parameters
    ----------
    group : h5py.Group
        An open file or group.
    layout : dict
        ``name -> (dims, kinds)`` as :data:`RESULT_LAYOUT`: ``dims`` a tuple of
        integers (fixed sizes) and symbols (sizes shared between datasets);
        ``kinds`` the allowed ``dtype.kind`` letters.
    where : str, default: "file"
        Named in errors (the file's path).
    budget : int, optional
        Largest total bytes; default the smaller of :data:`MAX_READ_BYTES` and
        80 % of the memory available.

    Returns
    -------
    dict
        Size of every symbol, e.g. ``{"T": 101, "N": 5, ...}``.

    Raises
    ------
    ConfigError
        Key ``dataset <name>``: missing, a link, external or virtual storage,
        a group, wrong dtype, wrong number of dimensions, inconsistent size,
        or too large.

    Examples
    --------
    >>> import h5py, io
    >>> f = h5py.File(io.BytesIO(), "w")
    >>> _ = f.create_dataset("t", data=[0.0, 1.0])
    >>> check_layout(f, {"t": (("T",), "f")})
    {'T': 2}
    >>> _ = f.create_dataset("x", shape=(10**12,), dtype="f8")
    >>> check_layout(f, {"x": (("T",), "f")}, budget=2**30)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: dataset x: declares 8e+12 bytes to read, more than the 1.07e+09 a reader may use
    """
    import h5py

    sizes, total = {}, 0
    budget = _read_budget() if budget is None else budget
    for name, (dims, kinds) in layout.items():
        key = f"dataset {name}"
        try:
            link = group.get(name, getlink=True)
        except (KeyError, ValueError, OSError, RuntimeError):
            link = None
        if link is None:
            raise ConfigError(key, f"missing from {where}")
        if not isinstance(link, h5py.HardLink):
            raise ConfigError(key, f"is a {type(link).__name__} in {where}; "
                              "only datasets stored in the file are read")
        try:
            obj = group[name]
        except (KeyError, OSError, RuntimeError, ValueError) as exc:
            raise ConfigError(key, f"cannot be opened in {where} "
                              f"({' '.join(str(exc).split())})") from None
        if not isinstance(obj, h5py.Dataset):
            raise ConfigError(key, f"is a {type(obj).__name__.lower()} in "
                              f"{where}, expected a dataset")
        if obj.external or obj.is_virtual:
            raise ConfigError(key, f"uses external or virtual storage in "
                              f"{where}; only data stored in the file is read")
        kind = obj.dtype.kind
        if kind not in kinds or (kind == "O" and h5py.check_string_dtype(
                obj.dtype) is None):
            raise ConfigError(key, f"has dtype {obj.dtype} in {where}, "
                              f"expected {_kinds_text(kinds)}")
        if obj.ndim != len(dims):
            raise ConfigError(key, f"has shape {obj.shape} in {where}, "
                              f"expected {len(dims)} dimension(s) "
                              f"({', '.join(map(str, dims))})")
        for size, dim in zip(obj.shape, dims):
            symbol = "N" if dim == "N1" else dim
            size_n = size - 1 if dim == "N1" else size
            if isinstance(dim, int):
                if size != dim:
                    raise ConfigError(key, f"has shape {obj.shape} in "
                                      f"{where}, expected "
                                      f"({', '.join(map(str, dims))})")
            elif size_n < 1:
                raise ConfigError(key, f"has shape {obj.shape} in {where}: "
                                  f"{dim} must be at least "
                                  f"{2 if dim == 'N1' else 1}")
            elif sizes.setdefault(symbol, size_n) != size_n:
                raise ConfigError(key, f"has shape {obj.shape} in {where}, "
                                  f"inconsistent with {symbol} = "
                                  f"{sizes[symbol]} of the other datasets")
        itemsize = obj.dtype.itemsize if kind not in "OS" else 64
        total += int(np.prod(obj.shape, dtype=float)) * itemsize
        if total > budget:
            raise ConfigError(key, f"declares {total:.3g} bytes to read, more "
                              f"than the {budget:.3g} a reader may use")
    return sizes


def _kinds_text(kinds):
    names = {"f": "float", "i": "integer", "u": "unsigned", "c": "complex",
             "S": "string", "O": "string", "U": "string"}
    return " or ".join(dict.fromkeys(names[k] for k in kinds))


def check_result_file(f, where="file"):
    """Check an open qutip-stt result file before its data is read.

    :func:`check_layout` with :data:`RESULT_LAYOUT` (:data:`ELECTRONS_LAYOUT`
    for a many-electron file, :data:`MPS_LAYOUT` for one of method ``"mps"``), then the values readers
    rely on: ``t`` finite and strictly increasing, every real dataset finite,
    ``config_json`` (if present) a JSON table, the local spin size
    ``model_S`` (if present) a positive half-integer.

    Parameters
    ----------
    f : h5py.File
    where : str, default: "file"

    Returns
    -------
    dict
        The sizes ``T``, ``N``, ``M``, ``L``.

    Raises
    ------
    ConfigError
        Naming the dataset or attribute.
    """
    layout = (MPS_LAYOUT if "mps" in f else ELECTRONS_LAYOUT
              if "electrons" in f else RESULT_LAYOUT)
    sizes = check_layout(f, layout, where)
    if "B" in sizes and sizes["B"] != sizes["L"] - 1:
        raise ConfigError("dataset mps/entanglement_entropy", f"has "
                          f"{sizes['B']} bonds in {where}, expected "
                          f"{sizes['L'] - 1} (length - 1)")
    for name, (dims, kinds) in layout.items():
        if "f" not in kinds:
            continue
        data = f[name][()]
        if not np.all(np.isfinite(data)):
            raise ConfigError(f"dataset {name}", f"holds NaN or infinite "
                              f"values in {where}")
        if name == "t" and np.any(np.diff(data) <= 0):
            raise ConfigError("dataset t", f"times are not strictly "
                              f"increasing in {where}")
    attrs = f.attrs
    if "config_json" in attrs:
        text = attrs["config_json"]
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        try:
            config = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            config = None
        if not isinstance(config, dict):
            raise ConfigError("attribute config_json", f"is not a JSON table "
                              f"in {where}")
    if "model_S" in attrs:
        S = attrs["model_S"]
        try:
            S = float(S)
            ok = np.isfinite(S) and S > 0 and float(2 * S).is_integer()
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ConfigError("attribute model_S", f"expected a positive "
                              f"half-integer spin in {where}, got {S!r}")
    return sizes
