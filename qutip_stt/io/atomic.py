"""Writing files so that a reader never sees half of one.

Every output of the package goes through :func:`atomic_file`: it is
written under a temporary name in the target folder and renamed into place
only when complete (atomic on POSIX), and removed on any error or
interrupt. :func:`check_output_path` refuses an unusable path before any
work is done; :func:`provenance` is the set of attributes every file
carries.
"""

import datetime
import errno
import os
import re
import stat
import tempfile
import zlib
from contextlib import contextmanager

from ..errors import ConfigError

__all__ = ["config_attrs", "check_output_path", "atomic_file", "atomic_h5",
           "provenance", "is_our_file", "completed_files", "WriteError",
           "SIGNATURES"]


#: Leading bytes of the formats a qutip-stt writer produces: an existing file
#: that starts with the signature of the format about to be written is taken
#: as an earlier output and replaced; any other existing file is refused
#: unless ``overwrite`` (``--force``) is given.
SIGNATURES = {
    ".h5": (b"\x89HDF\r\n\x1a\n",), ".hdf5": (b"\x89HDF\r\n\x1a\n",),
    ".png": (b"\x89PNG\r\n\x1a\n",), ".gif": (b"GIF87a", b"GIF89a"),
    ".pdf": (b"%PDF-",), ".svg": (b"<?xml", b"<svg"),
    ".mp4": (b"ftyp",),   # at offset 4
    ".json": (b"{",), ".md": (b"# ",),
}


#: Every path this process renamed into place, complete, in order.
_COMPLETED = []


def completed_files(since=0):
    """The files written completely by this process (through :func:`atomic_file`).

    Parameters
    ----------
    since : int, default: 0
        Skip the first ``since`` (a count taken earlier with
        ``len(completed_files())``).

    Returns
    -------
    list of str
        Absolute paths, in the order they were completed, each once.
    """
    return list(dict.fromkeys(_COMPLETED[since:]))


def _name_max(folder):
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def is_our_file(path):
    """Whether an existing file may be replaced without ``--force``.

    A file is "ours" when it is empty, or when it is a regular file in the
    format its suffix names (see :data:`SIGNATURES`); an HDF5 file must also
    carry the ``package = "qutip-stt"`` attribute every output of the
    package has.

    Parameters
    ----------
    path : str

    Returns
    -------
    bool

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.h5")
    >>> with open(path, "w") as fh:
    ...     _ = fh.write("my notes")
    >>> is_our_file(path)
    False
    """
    try:
        if not os.path.isfile(path):
            return False
        if os.path.getsize(path) == 0:
            return True
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    suffix = os.path.splitext(path)[1].lower()
    signatures = SIGNATURES.get(suffix, ())
    if suffix == ".mp4":
        return head[4:8] in signatures
    if not any(head.startswith(sig) for sig in signatures):
        return False
    if suffix in (".h5", ".hdf5"):
        try:
            import h5py
            with h5py.File(path, "r") as f:
                package = f.attrs.get("package")
        except Exception:       # noqa: BLE001  (any unreadable file: not ours)
            return False
        if isinstance(package, bytes):
            package = package.decode(errors="replace")
        return package == "qutip-stt"
    return True


def check_output_path(path, *, inputs=(), overwrite=False, key="--out",
                      formats=None):
    """Refuse an output path that cannot or must not be written, before any work.

    The output-file policy of every writer of the package (see the output
    page of the docs):

    * the name must be a file name: not empty, not ending in ``/``, not a
      directory, each component within the file system's name limit, in an
      existing writable folder;
    * a symbolic link is refused (neither followed nor replaced): give the
      path of the file itself;
    * an existing path that is not a regular file (a FIFO, a device such as
      ``/dev/null``, a socket) is refused, even with ``overwrite``;
    * a path that is one of the command's ``inputs`` is refused, even with
      ``overwrite``;
    * an existing regular file is replaced only if it is ours
      (:func:`is_our_file`) or ``overwrite`` (``--force``) is given.

    Parameters
    ----------
    path : str or os.PathLike
    inputs : sequence of str or os.PathLike, optional
        Files the command reads (config, result files).
    overwrite : bool, default: False
        Replace an existing regular file that is not ours.
    key : str, default: "--out"
        Parameter named in the error.
    formats : sequence of str, optional
        The suffixes the file may have (``(".h5", ".hdf5")``): another one is
        refused, so an HDF5 file is never written under an image's name.

    Returns
    -------
    str
        ``path`` as a string.

    Raises
    ------
    ConfigError
        Naming ``key`` and saying which rule the path breaks.

    Examples
    --------
    >>> check_output_path("/no/such/folder/run.h5")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: --out: folder /no/such/folder does not exist
    >>> check_output_path("results/")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: --out: 'results/' ends with '/'; give a file name such as run.h5
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise ConfigError(key, f"expected a file name, got {path!r}")
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not path.strip():
        raise ConfigError(key, "empty file name; give a file name such as "
                          "run.h5")
    if "\0" in path:
        raise ConfigError(key, "file name contains a NUL character")
    if path.endswith(os.sep) or (os.altsep and path.endswith(os.altsep)):
        raise ConfigError(key, f"{path!r} ends with '{os.sep}'; give a file "
                          "name such as run.h5")
    if os.path.islink(path):
        raise ConfigError(key, f"{path} is a symbolic link; qutip-stt neither "
                          "follows nor replaces links: give the file's own "
                          "path")
    if os.path.isdir(path):
        raise ConfigError(key, f"{path} is a directory; give a file name "
                          "such as run.h5")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ConfigError(key, f"folder {folder} does not exist")
    limit = _name_max(folder)
    name = os.path.basename(path)
    if len(os.fsencode(name)) + len(".tmp-xxxxxxxx") > limit:
        raise ConfigError(key, f"file name of {len(os.fsencode(name))} bytes; "
                          f"at most {limit - len('.tmp-xxxxxxxx')} bytes here")
    if os.path.lexists(path):
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            raise ConfigError(key, f"{path}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(mode):
            raise ConfigError(key, f"{path} exists and is not a regular file "
                              "(a device, FIFO or socket); it is never "
                              "replaced")
        for source in inputs or ():
            if source is not None and _same_file(path, source):
                raise ConfigError(key, f"{path} is an input of this command; "
                                  "give another output name")
        if not overwrite and not is_our_file(path):
            raise ConfigError(key, f"{path} exists and is not a qutip-stt "
                              "output of this format; give --force to "
                              "replace it, or another name")
    if formats is not None:
        suffix = os.path.splitext(path)[1].lower()
        if suffix not in formats:
            raise ConfigError(key, f"{path} does not end in "
                              + " or ".join(formats) + ", the format this "
                              "output is written in"
                              + (f" ({suffix[1:].upper()} is another)"
                                 if suffix else ""))
    try:  # a real probe: os.access says yes to root even where it cannot write
        fd, probe = tempfile.mkstemp(prefix=".tmp-", suffix=".probe",
                                     dir=folder)
        os.close(fd)
        os.remove(probe)
    except OSError as exc:
        raise ConfigError(key, f"cannot write in folder {folder} "
                          f"({exc.strerror or exc})") from None
    return path


def _same_file(a, b):
    try:
        return os.path.samefile(a, os.fspath(b))
    except (OSError, TypeError, ValueError):
        return False


class WriteError(OSError):
    """An operating-system error while writing an output (disk full, ...).

    Its text is one line: ``path: reason``; the temporary file is removed.
    """


def _write_error(path, exc):
    """One-line :class:`WriteError` for ``path`` from any error met writing it."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code is None:
        match = re.search(r"errno = (\d+)", text)
        code = int(match.group(1)) if match else None
    if code is None and "No space left" in text:
        code = errno.ENOSPC
    reason = os.strerror(code) if code else " ".join(text.split())[:200]
    err = WriteError(code or errno.EIO, reason)
    err.filename = os.fspath(path)
    return err


def _remove(tmp):
    try:
        os.remove(tmp)
    except FileNotFoundError:
        pass


@contextmanager
def atomic_file(path, *, inputs=(), overwrite=False):
    """A temporary file name that is renamed to ``path`` only when complete.

    Yields the name of a new empty file in the same directory with the same
    suffix (so writers that choose a format from it still do), with the mode
    a new file gets under the current umask. On normal exit it is renamed to
    ``path`` (atomic on POSIX), on any exception (including
    ``KeyboardInterrupt``) it is removed. An operating-system error while
    writing (a full disk, an I/O error) is raised as one
    :class:`WriteError` ``path: reason``.

    Parameters
    ----------
    path : str or os.PathLike
        Final file name; checked with :func:`check_output_path` first.
    inputs, overwrite
        As for :func:`check_output_path`.

    Yields
    ------
    str
        The temporary file name to write to.

    Examples
    --------
    >>> with atomic_file("frame.png") as tmp:          # doctest: +SKIP
    ...     fig.savefig(tmp)
    """
    path = check_output_path(path, inputs=inputs, overwrite=overwrite)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-",
                                   suffix=os.path.splitext(path)[1],
                                   dir=folder)
    except OSError as exc:
        raise _write_error(path, exc) from None
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)   # mkstemp makes 0600
        yield tmp
        os.replace(tmp, path)
        _COMPLETED.append(os.path.abspath(path))
    except (OSError, RuntimeError, zlib.error) as exc:
        _remove(tmp)
        if isinstance(exc, WriteError):
            raise
        if isinstance(exc, RuntimeError) and not _is_io_error(exc):
            raise
        raise _write_error(path, exc) from None
    except BaseException:
        _remove(tmp)
        raise


def _is_io_error(exc):
    """A RuntimeError of h5py or a codec that reports a failed write."""
    text = str(exc)
    return any(word in text for word in (
        "write", "flush", "close", "No space", "errno", "I/O"))


@contextmanager
def atomic_h5(path, *, inputs=(), overwrite=False):
    """Open an HDF5 file for writing that appears at ``path`` only when complete.

    The file is built in memory (h5py's ``core`` driver without a backing
    store), so HDF5 itself never writes to disk: on normal exit its image
    is written with ordinary file I/O to a temporary name in the target
    folder (:func:`atomic_file`) and renamed to ``path``. A full disk or an
    I/O error is then a plain :class:`OSError` at one place, raised as one
    :class:`WriteError`, with no HDF5 object left that could try to flush
    later; on any exception nothing is written.

    Parameters
    ----------
    path : str or os.PathLike
        Final file name; checked with :func:`check_output_path` first.
    inputs, overwrite
        As for :func:`check_output_path`.

    Yields
    ------
    h5py.File
        Open for writing, in memory.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "data.h5")
    >>> with atomic_h5(path) as f:
    ...     _ = f.create_dataset("x", data=[1.0, 2.0])
    >>> os.path.exists(path)
    True
    """
    import h5py
    path = check_output_path(path, inputs=inputs, overwrite=overwrite)
    name = f"qutip-stt-{os.getpid()}-{id(path)}.h5"
    f = h5py.File(name, "w", driver="core", backing_store=False)
    try:
        yield f
        f.flush()
        image = f.id.get_file_image()
        f.close()
    except BaseException as exc:
        try:
            f.close()
        except Exception:       # noqa: BLE001  (the first error is raised)
            pass
        if isinstance(exc, OSError) or (isinstance(exc, RuntimeError)
                                        and _is_io_error(exc)):
            raise _write_error(path, exc) from None
        raise
    with atomic_file(path, inputs=inputs, overwrite=overwrite) as tmp:
        with open(tmp, "wb") as out:
            out.write(image)
            out.flush()
            os.fsync(out.fileno())


def provenance():
    """Who wrote a file and when: the attributes every qutip-stt output carries.

    Returns
    -------
    dict
        ``package``, ``package_version``, ``qutip_version`` and ``created``
        (ISO 8601, UTC, to the second).

    Examples
    --------
    >>> sorted(provenance())
    ['created', 'package', 'package_version', 'qutip_version']
    """
    from .. import __version__

    return {"package": "qutip-stt", "package_version": __version__,
            "qutip_version": _qutip_version(),
            "created": datetime.datetime.now(
                datetime.timezone.utc).isoformat(timespec="seconds")}


def _qutip_version():
    """QuTiP's version, without importing it when no run has (the command
    line's default route never does)."""
    import sys

    if "qutip" in sys.modules:
        return sys.modules["qutip"].__version__
    from importlib.metadata import version
    return version("qutip")


def config_attrs(config):
    """The file attributes that record a run's resolved config.

    Parameters
    ----------
    config : dict or None
        A resolved config.

    Returns
    -------
    dict
        ``config`` (TOML text) and ``config_json``; empty for ``None``.
    """
    if config is None:
        return {}
    import json

    from ..config import to_toml
    return {"config": to_toml(config),
            "config_json": json.dumps(config, ensure_ascii=False)}

