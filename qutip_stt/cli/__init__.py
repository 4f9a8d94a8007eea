"""The ``qutip-stt`` command line, on top of the library.

Each subcommand is one module of this package with ``add_cli(subparsers)``
(its arguments) and the function that runs it; :data:`COMMANDS` lists them.
The library never imports this package: progress travels down as a QuTiP
progress-bar name and an ``on_time`` callback, not as module state.

Start-up is kept light: ``qutip-stt --help`` and argument errors import
neither QuTiP nor h5py (each command module imports the physics when it
runs). Bad input of any kind ends with one line on stderr and exit status 2;
an operating-system error met while running (a full disk, say) with one
line and status 1; an interrupted run (Ctrl-C, SIGTERM) leaves no partial
file and exits with 130 (SIGINT) or 143 (SIGTERM), naming the time reached
and the files that were completed.
"""

import signal
import sys


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


def _on_sigterm(signum, frame):
    raise Interrupted(signum)


# Installed before anything heavy is imported, so that a signal during
# start-up already ends with one line (see main).
if __name__ != "__main__" and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:      # not the main thread: leave the handler alone
        pass

import argparse  # noqa: E402
import importlib  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

from ..errors import ConfigError  # noqa: E402

__all__ = ["main", "make_parser", "COMMANDS", "Interrupted", "RunState"]

#: Subcommand -> (module of this package, one-line help).
COMMANDS = {
    "simulate": ("simulate", "run one configuration and write an HDF5 result"),
    "animate": ("animate", "Bloch-sphere animation (GIF/MP4) or still of a run"),
    "reproduce": ("reproduce", "regenerate every figure of the paper and a "
                  "report"),
    "sweep": ("sweep", "run a parameter sweep (resumable) into one HDF5 file"),
    "plot-sweep": ("sweep", "plot final purity, |S| and spin-flip "
                   "probability of a sweep"),
    "train": ("train", "send K electrons one after another through the "
              "spins"),
    "scatter": ("scatter", "energy-resolved multichannel S-matrix "
                "probabilities"),
    "compare-classical": ("compare_classical", "run a config quantum and "
                          "classical, write both and compare"),
}


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit status 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


class RunState:
    """What a running command has reached: told to the user if it is interrupted.

    Attributes
    ----------
    started : float
        ``time.time()`` when the command began.
    time_reached : float or None
        Last output time (fs) whose observables were computed; set through
        :meth:`on_time`, the callback handed to the library.
    outputs : list of str
        Files or folders the command writes; on interrupt, the files in
        them completed since ``started`` are listed.
    """

    def __init__(self):
        self.started = time.time()
        self.time_reached = None
        self.outputs = []

    def on_time(self, t):
        """Record an output time (fs) reached (the library's ``on_time``)."""
        self.time_reached = t

    def completed_files(self):
        """Complete files written by this command (temporary files excluded)."""
        found = []
        for out in self.outputs:
            paths = ([os.path.join(out, n) for n in sorted(os.listdir(out))]
                     if os.path.isdir(out) else [out])
            for p in paths:
                name = os.path.basename(p)
                try:
                    fresh = (os.path.isfile(p) and not name.startswith(".tmp-")
                             and os.path.getmtime(p) >= self.started - 1)
                except OSError:
                    fresh = False
                if fresh:
                    found.append(p)
        return found


def make_parser(command=None):
    """The ``qutip-stt`` argument parser.

    Parameters
    ----------
    command : str, optional
        Build the full parser of this subcommand only (its module is
        imported); without it, every subcommand's arguments are added.

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
    from .. import __version__

    parser = _Parser(prog="qutip-stt", description=(
        "Quantum spin-transfer torque: an electron wave packet scattering off "
        "a chain of quantum local spins (Mondal et al., PRB 99, 094431)."))
    parser.add_argument("--version", action="version",
                        version=f"qutip-stt {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=_Parser)
    sub.required = True
    full = {module for name, (module, _) in COMMANDS.items()
            if command is None or name == command}
    done = set()
    for name, (module, text) in COMMANDS.items():
        if module in full:
            if module not in done:
                importlib.import_module(f"{__name__}.{module}").add_cli(sub)
                done.add(module)
        else:
            sub.add_parser(name, help=text)
    return parser


def _format_warning(message, category, filename, lineno, line=None):
    return f"qutip-stt: warning: {message}\n"


def _command_of(argv):
    """The subcommand named in ``argv`` (first word not starting with '-')."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def main(argv=None):
    """Entry point of the ``qutip-stt`` console script; returns the exit status.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 for bad input (one line on stderr), 1 for an
        operating-system error while running, 130 or 143 when interrupted by
        SIGINT or SIGTERM (no partial output file is left).

    Examples
    --------
    >>> main(["simulate", "--preset", "no-such-case", "--out", "x.h5"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    state = RunState()
    try:
        parser = make_parser(_command_of(argv))
        args = parser.parse_args(argv)
        args.run_state = state
        warnings.formatwarning = _format_warning
        return args.func(args) or 0
    except ConfigError as exc:
        print(f"qutip-stt: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, file vanished, ... while running
        print(f"qutip-stt: error: {_os_error_text(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"qutip-stt: interrupted{_where(state)}; {_left(state)}",
              file=sys.stderr)
        return 130
    except Interrupted as exc:
        print(f"qutip-stt: terminated by {exc}{_where(state)}; {_left(state)}",
              file=sys.stderr)
        return 128 + exc.signum
    finally:
        signal.signal(signal.SIGTERM, previous)


def _os_error_text(exc):
    if exc.filename and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def _left(state):
    """What an interrupted command leaves: only files written completely."""
    files = state.completed_files()
    if not files:
        return "no output file was written"
    names = ", ".join(os.path.basename(p) for p in files)
    folder = os.path.dirname(os.path.abspath(files[0]))
    return (f"{len(files)} complete file(s) stay in {folder} "
            f"({names}); no partial file")


def _where(state):
    t = state.time_reached
    return f" at t = {t:g} fs" if t is not None else ""


if __name__ == "__main__":
    sys.exit(main())
