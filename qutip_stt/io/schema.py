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

__all__ = ["check_layout", "check_file", "is_present", "check_result_file",
           "check_input_file", "open_hdf5", "RESULT_LAYOUT", "ELECTRONS_LAYOUT",
           "MPS_LAYOUT",
           "RESULT_OPTIONAL", "MAX_READ_BYTES"]

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


#: Datasets a result file may hold (``[analysis]``): ``P`` pairs, ``B``
#: blocks (either may be 0).
RESULT_OPTIONAL = {
    "pairs/index": (("P", 2), "iu"),
    "pairs/mutual_information": (("T", "P"), "f"),
    "pairs/concurrence": (("T", "P"), "f"),
    "pairs/log_negativity": (("T", "P"), "f"),
    "pairs/correlation": (("T", "P"), "f"),
    "blocks/index": (("B", 2), "iu"),
    "blocks/entropy": (("T", "B"), "f"),
}


#: The layout of a many-electron result of method ``"mps"`` (a group ``mps``
#: in the file): :data:`ELECTRONS_LAYOUT` plus the accumulated discarded
#: weight, the largest bond dimension and the entropy at each of the
#: ``bonds`` bonds of the MPS (``L - 1``, one MPS site per chain site).
MPS_LAYOUT = {
    **ELECTRONS_LAYOUT,
    "mps/truncation_error": (("T",), "fiu"),
    "mps/bond_dimension": (("T",), "iuf"),
    "mps/entanglement_entropy": (("T", "bonds"), "fiu"),
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


def check_layout(group, layout, where="file", *, budget=None,
                 allow_empty=()):
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
    allow_empty : sequence of str, optional
        Symbols that may be 0 (no pair, no block); the others are at least 1.

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
            elif size_n < (0 if symbol in allow_empty else 1):
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
             "b": "boolean", "S": "string", "O": "string", "U": "string"}
    return " or ".join(dict.fromkeys(names[k] for k in kinds))


def is_present(group, name):
    """Whether ``name`` is in ``group`` as anything (a link included).

    Examples
    --------
    >>> import h5py, io
    >>> f = h5py.File(io.BytesIO(), "w")
    >>> f["gone"] = h5py.SoftLink("/nowhere")
    >>> is_present(f, "gone"), f.get("gone") is None
    (True, True)
    """
    try:
        return group.get(name, getlink=True) is not None
    except (KeyError, ValueError, OSError, RuntimeError):
        return False


def check_file(f, layout, where="file", *, optional=None, allow_empty=(),
               nan_ok=(), increasing=()):
    """The one check of a file kind before its data is read.

    :func:`check_layout` on the required datasets of ``layout`` and on
    every dataset of ``optional`` the file holds (one size per symbol across
    both, one memory budget), then the values readers rely on: every real
    or complex dataset finite (but those of ``nan_ok``), the datasets of
    ``increasing`` strictly increasing, the attribute ``config_json`` (if
    present) a JSON table and ``model_S`` (if present) a positive
    half-integer.

    Parameters
    ----------
    f : h5py.File or h5py.Group
    layout : dict
        Required datasets, as for :func:`check_layout`.
    where : str, default: "file"
    optional : dict, optional
        Datasets checked when present.
    allow_empty, nan_ok, increasing : sequence of str, optional

    Returns
    -------
    dict
        The size of every symbol.

    Raises
    ------
    ConfigError
        Naming the dataset or attribute.

    Examples
    --------
    >>> import h5py, io
    >>> f = h5py.File(io.BytesIO(), "w")
    >>> _ = f.create_dataset("n", data=[0, 1, 2])
    >>> _ = f.create_dataset("x", data=[0.0, float("nan"), 1.0])
    >>> check_file(f, {"n": (("K",), "iu")}, optional={"x": (("K",), "f")})
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: dataset x: holds NaN or infinite values in file
    """
    present = {name: spec for name, spec in (optional or {}).items()
               if is_present(f, name)}
    full = {**layout, **present}
    sizes = check_layout(f, full, where, allow_empty=allow_empty)
    for name, (dims, kinds) in full.items():
        if not set(kinds) & set("fc") or name in nan_ok:
            continue
        data = f[name][()]
        if f[name].dtype.kind not in "fc":
            continue
        if not np.all(np.isfinite(data)):
            raise ConfigError(f"dataset {name}", f"holds NaN or infinite "
                              f"values in {where}")
        if name in increasing and np.any(np.diff(data) <= 0):
            raise ConfigError(f"dataset {name}", "values are not strictly "
                              f"increasing in {where}")
    _check_attrs(f.attrs, where)
    return sizes


def _check_attrs(attrs, where):
    """``config_json`` a JSON table and ``model_S`` a half-integer, if present."""
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


def check_result_file(f, where="file"):
    """Check an open qutip-stt result file before its data is read.

    :func:`check_file` with :data:`RESULT_LAYOUT` (:data:`ELECTRONS_LAYOUT`
    for a many-electron file: a group ``electrons``; :data:`MPS_LAYOUT` for
    one of method ``"mps"``: a group ``mps``, its ``L - 1`` bonds checked) and the pair and block
    datasets of :data:`RESULT_OPTIONAL` where present: ``t`` strictly
    increasing, every real dataset finite (concurrence may be NaN: pairs
    that are not two spin-1/2), ``config_json`` a JSON table, ``model_S`` a
    positive half-integer.

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
    layout = (MPS_LAYOUT if is_present(f, "mps") else ELECTRONS_LAYOUT
              if is_present(f, "electrons") else RESULT_LAYOUT)
    sizes = check_file(f, layout, where, optional=RESULT_OPTIONAL,
                       allow_empty=("P", "B"), nan_ok=("pairs/concurrence",),
                       increasing=("t",))
    if "bonds" in sizes and sizes["bonds"] != sizes["L"] - 1:
        raise ConfigError("dataset mps/entanglement_entropy", f"has "
                          f"{sizes['bonds']} bonds in {where}, expected "
                          f"{sizes['L'] - 1} (length - 1)")
    return sizes
