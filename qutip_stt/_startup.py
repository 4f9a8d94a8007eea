"""Signal handlers for the first moments of the ``qutip-stt`` command.

Until :func:`qutip_stt.cli.main` has entered the block that turns Ctrl-C and
SIGTERM into one line, a signal would print a ``KeyboardInterrupt``
traceback from the middle of an import, or end the process silently. When
the package is imported as the command line (``python -m qutip_stt`` or the
``qutip-stt`` script), :func:`install` is the first thing its ``__init__``
does: a signal then prints one line and exits with ``128 + signum``
(nothing has been written yet). Library imports never change signal
handlers.
"""

import os
import signal
import sys

__all__ = ["install", "is_command_line", "on_signal"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def is_command_line():
    """Whether this process is the ``qutip-stt`` command starting up.

    ``python -m qutip_stt`` sets ``sys.argv[0]`` to ``"-m"`` while it imports
    the package; the console script's name is ``qutip-stt``.

    Returns
    -------
    bool
    """
    argv = getattr(sys, "argv", None) or [""]
    name = os.path.basename(str(argv[0]))
    return argv[0] == "-m" or name in ("qutip-stt", "qutip-stt.exe")


def on_signal(signum, frame):
    """Print one line and exit ``128 + signum`` (start-up: nothing written)."""
    name = signal.Signals(signum).name
    what = "interrupted" if signum == signal.SIGINT else f"terminated by {name}"
    try:
        os.write(2, f"qutip-stt: {what} while starting; no output file was "
                 "written\n".encode())
    finally:
        os._exit(128 + signum)


def install():
    """Install :func:`on_signal` for SIGINT and SIGTERM (main thread only)."""
    for signum in _SIGNALS:
        try:
            signal.signal(signum, on_signal)
        except (ValueError, OSError):   # not the main thread
            pass
