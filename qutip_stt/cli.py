"""The ``qutip-stt`` command line.

Every subcommand lives in the module that holds its physics and registers
itself through an ``add_cli(subparsers)`` function listed in
:data:`COMMAND_MODULES`. Bad input of any kind ends with one line on stderr
and exit status 2 (an operating-system error met while running, such as a
full disk, with one line and status 1); an interrupted run (Ctrl-C, SIGTERM) leaves no partial
file and exits with 130 (SIGINT) or 143 (SIGTERM).
"""

import argparse
import importlib
import os
import signal
import sys
import warnings

from .errors import ConfigError

__all__ = ["main", "make_parser", "COMMAND_MODULES", "Interrupted"]

#: Modules contributing subcommands (each defines ``add_cli(subparsers)``).
COMMAND_MODULES = ["qutip_stt.commands", "qutip_stt.bloch", "qutip_stt.reproduce",
                   "qutip_stt.sweep", "qutip_stt.compare_classical"]


class Interrupted(BaseException):
    """Raised by the SIGTERM handler, so cleanup runs as for Ctrl-C.

    Parameters
    ----------
    signum : int
        The signal number; :func:`main` exits with ``128 + signum``.

    Examples
    --------
    >>> import signal
    >>> str(Interrupted(signal.SIGTERM))
    'SIGTERM'
    """

    def __init__(self, signum):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit status 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def make_parser():
    """The ``qutip-stt`` argument parser, with every module of :data:`COMMAND_MODULES`.

    Returns
    -------
    argparse.ArgumentParser
        Parser whose subcommands set ``func`` to the function that runs them.

    Examples
    --------
    >>> args = make_parser().parse_args(
    ...     ["simulate", "--preset", "paper-collinear", "--out", "run.h5"])
    >>> args.command, args.preset
    ('simulate', 'paper-collinear')
    """
    parser = _Parser(prog="qutip-stt", description=(
        "Quantum spin-transfer torque: an electron wave packet scattering off "
        "a chain of quantum local spins (Mondal et al., PRB 99, 094431)."))
    from . import __version__
    parser.add_argument("--version", action="version",
                        version=f"qutip-stt {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_cli(sub)
    return parser


def _on_sigterm(signum, frame):
    raise Interrupted(signum)


def _format_warning(message, category, filename, lineno, line=None):
    return f"qutip-stt: warning: {message}\n"


def main(argv=None):
    """Entry point of the ``qutip-stt`` console script; returns the exit status.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 for bad input (one line on stderr), 130 or 143 when
        interrupted by SIGINT or SIGTERM (no output file is left).

    Examples
    --------
    >>> main(["simulate", "--preset", "no-such-case", "--out", "x.h5"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    parser = make_parser()
    args = parser.parse_args(argv)
    warnings.formatwarning = _format_warning
    from .io import COMPLETED_FILES
    COMPLETED_FILES.clear()
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.func(args) or 0
    except ConfigError as exc:
        print(f"qutip-stt: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, file vanished, ... while running
        print(f"qutip-stt: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"qutip-stt: interrupted{_where()}; {_left()}", file=sys.stderr)
        return 130
    except Interrupted as exc:
        print(f"qutip-stt: terminated by {exc}{_where()}; {_left()}",
              file=sys.stderr)
        return 128 + exc.signum
    finally:
        signal.signal(signal.SIGTERM, previous)


def _left():
    """What an interrupted command leaves: only files written completely."""
    from .io import COMPLETED_FILES
    if not COMPLETED_FILES:
        return "no output file was written"
    names = ", ".join(os.path.basename(p) for p in COMPLETED_FILES)
    folder = os.path.dirname(os.path.abspath(COMPLETED_FILES[0]))
    return (f"{len(COMPLETED_FILES)} complete file(s) stay in {folder} "
            f"({names}); no partial file")


def _where():
    from .evolution import last_progress
    t = last_progress()
    return f" at t = {t:g} fs" if t is not None else ""


if __name__ == "__main__":
    sys.exit(main())
