"""Writing files so that a reader never sees half of one.

Every output of the package goes through :func:`atomic_file`: it is
written under a temporary name in the target folder and renamed into place
only when complete (atomic on POSIX), and removed on any error or
interrupt. :func:`check_output_path` refuses an unusable path before any
work is done; :func:`provenance` is the set of attributes every file
carries.
"""

import datetime
import os
import tempfile
from contextlib import contextmanager

import h5py
import qutip

from ..errors import ConfigError

__all__ = ["check_output_path", "atomic_file", "atomic_h5", "provenance"]


def check_output_path(path):
    """Refuse an output path that cannot be written, before any work is done.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    str
        ``path``, unchanged.

    Raises
    ------
    ConfigError
        (key ``--out``) if ``path`` is a directory or its folder does not
        exist or is not writable.

    Examples
    --------
    >>> check_output_path("/no/such/folder/run.h5")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: --out: folder /no/such/folder does not exist
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise ConfigError("--out", f"{path} is a directory; give a file name "
                          "such as run.h5")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ConfigError("--out", f"folder {folder} does not exist")
    try:  # a real probe: os.access says yes to root even where it cannot write
        fd, probe = tempfile.mkstemp(prefix=".tmp-", suffix=".probe",
                                     dir=folder)
        os.close(fd)
        os.remove(probe)
    except OSError as exc:
        raise ConfigError("--out", f"cannot write in folder {folder} "
                          f"({exc.strerror or exc})") from None
    return path


@contextmanager
def atomic_file(path):
    """A temporary file name that is renamed to ``path`` only when complete.

    Yields the name of a new empty file in the same directory with the same
    suffix (so writers that choose a format from it still do), with the mode
    a new file gets under the current umask. On normal exit it is renamed to
    ``path`` (atomic on POSIX), on any exception (including
    ``KeyboardInterrupt``) it is removed.

    Parameters
    ----------
    path : str or os.PathLike
        Final file name; checked with :func:`check_output_path` first.

    Yields
    ------
    str
        The temporary file name to write to.

    Examples
    --------
    >>> with atomic_file("frame.png") as tmp:          # doctest: +SKIP
    ...     fig.savefig(tmp)
    """
    path = check_output_path(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-",
                               suffix=os.path.splitext(path)[1], dir=folder)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)   # mkstemp makes 0600
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


@contextmanager
def atomic_h5(path):
    """Open an HDF5 file for writing that appears at ``path`` only when complete.

    Yields an ``h5py.File`` on a temporary file in the same directory (see
    :func:`atomic_file`); on normal exit it is closed and renamed to ``path``,
    on any exception it is removed.

    Parameters
    ----------
    path : str or os.PathLike
        Final file name; checked with :func:`check_output_path` first.

    Yields
    ------
    h5py.File
        Open for writing.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "data.h5")
    >>> with atomic_h5(path) as f:
    ...     _ = f.create_dataset("x", data=[1.0, 2.0])
    >>> os.path.exists(path)
    True
    """
    with atomic_file(path) as tmp:
        with h5py.File(tmp, "w") as f:
            yield f


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
            "qutip_version": qutip.__version__,
            "created": datetime.datetime.now(
                datetime.timezone.utc).isoformat(timespec="seconds")}
