"""One writer per output file: an advisory lock held while a command writes it.

A sweep rewrites its output file many times (each checkpoint renames a new
file into place), so the lock cannot be taken on the output itself: it is
taken on a companion file ``.NAME.lock`` in the same folder, with
``fcntl.flock`` (POSIX). The kernel releases the lock when the process ends,
however it ends, so a killed run never leaves a stale lock; the lock file is
removed when the lock is released normally. Where ``fcntl`` is missing the
lock file is created exclusively instead (remove it by hand after a crash;
the message says so).
"""

import errno
import os
from contextlib import contextmanager

from ..errors import ConfigError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

__all__ = ["lock_path", "output_lock"]


def lock_path(path):
    """The lock file of output ``path``: ``.NAME.lock`` beside it.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    str

    Examples
    --------
    >>> lock_path("/data/scan.h5")
    '/data/.scan.h5.lock'
    """
    folder, name = os.path.split(os.path.abspath(os.fspath(path)))
    return os.path.join(folder, f".{name}.lock")


def _holder(lock):
    try:
        with open(lock, encoding="ascii", errors="replace") as f:
            pid = f.read().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def _busy(path, key, who):
    return ConfigError(key, f"{os.fspath(path)} is being written by another "
                       f"qutip-stt process{who}; wait for it to finish or "
                       f"choose another {key}")


@contextmanager
def output_lock(path, key="--out"):
    """Hold the lock of output ``path`` for the duration of a ``with`` block.

    Parameters
    ----------
    path : str or os.PathLike
        The output file that is about to be written.
    key : str, default: "--out"
        Parameter named in the error.

    Yields
    ------
    str
        The lock file's path.

    Raises
    ------
    ConfigError
        If another process holds the lock (it is writing ``path`` now).

    Examples
    --------
    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "scan.h5")
    >>> with output_lock(out):
    ...     with output_lock(out):
    ...         pass
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: --out: ... is being written by another qutip-stt process (process ...); wait for it to finish or choose another --out
    """
    lock = lock_path(path)
    if fcntl is None:  # pragma: no cover - not POSIX
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raise _busy(path, key, f" or a crashed one: remove {lock} if "
                        "none runs") from None
        try:
            os.write(fd, str(os.getpid()).encode())
            yield lock
        finally:
            os.close(fd)
            os.remove(lock)
        return
    while True:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise _busy(path, key, _holder(lock)) from None
            raise
        # the holder before us may have removed the file after we opened it:
        # then our lock is on an unlinked inode; take the lock again
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield lock
    finally:
        try:
            os.remove(lock)     # while still holding it: see the loop above
        except OSError:
            pass
        os.close(fd)
