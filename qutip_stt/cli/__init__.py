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

import os
import signal
import sys


class Interrupted(BaseException):
    """Raised for SIGTERM (:func:`_on_signal`), so cleanup runs as for Ctrl-C.

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


#: A signal held back because it arrived inside a compiled integrator's
#: call into Python (see :func:`_on_signal`); raised at the next output time.
_PENDING = []


def _raise_for(signum):
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Interrupted(signum)


#: Seconds between the checks of a held signal (SIGALRM).
RETRY_SECONDS = 0.02


def _on_signal(signum, frame):
    """SIGINT and SIGTERM while a command runs: raise, unless the signal
    landed in Python code that SciPy's compiled ODE integrators call back
    (``qutip.sesolve``'s right-hand side). An exception raised there does not
    stop them: they call the function again, up to ``nsteps`` times per
    output interval, and can crash before the exception comes through. The
    same holds inside an import or a library's ``exec`` of a string and in
    finalisers (:func:`_in_import_or_exec`). There the signal is held, and
    raised as soon as the program is outside that call: at the next output
    time (:meth:`RunState.on_time`) or at one of the checks every
    :data:`RETRY_SECONDS` (:func:`_on_alarm`), whichever comes first. A
    second signal is raised at once."""
    if not _PENDING and _must_hold(frame):
        _PENDING.append(signum)
        _arm_retry(RETRY_SECONDS)
        return
    _PENDING.clear()
    _raise_for(signum)


def _on_alarm(signum, frame):
    """Raise a held signal unless still inside the compiled integrator."""
    if not _PENDING:
        return
    if _must_hold(frame):
        _arm_retry(RETRY_SECONDS)
        return
    _raise_for(_PENDING.pop())


def _must_hold(frame):
    """Whether an exception raised in ``frame`` would be lost, ignored,
    turned into another error or would change the exit status."""
    return _in_compiled_callback(frame) or _in_import_or_exec(frame)


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _in_import_or_exec(frame):
    """Whether ``frame`` runs inside an import, or below this package's own
    frames inside ``exec`` of a source string or a finaliser.

    Libraries import lazily and optionally (``try: import IPython``), and
    their imports build classes and functions from strings
    (:mod:`dataclasses`): a ``KeyboardInterrupt`` raised there can be
    swallowed as a failed optional import, turned into a ``RuntimeError``
    by ``__set_name__``, or, leaving an ``exec`` of a string, be marked by
    CPython 3.11 as unhandled even when :func:`main` catches it, so that the
    process ends by SIGINT (status -2) instead of 130. The signal is held
    and raised a moment later, once the import is done."""
    in_package = False
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib"):
            return True
        if not in_package:
            if code.co_filename == "<string>" and code.co_name == "<module>":
                return True
            if _exceptions_ignored(frame):
                return True
            in_package = code.co_filename.startswith(_PACKAGE_DIR)
        frame = frame.f_back
    return False


def _exceptions_ignored(frame):
    """Whether ``frame`` is a finaliser or weak-reference callback, where
    Python prints an exception and drops it ("Exception ignored in")."""
    return frame is not None and (
        frame.f_code.co_name == "__del__"
        or frame.f_code.co_filename.replace("\\", "/").endswith("/weakref.py"))


def _arm_retry(seconds):
    if hasattr(signal, "setitimer"):            # not on Windows
        signal.setitimer(signal.ITIMER_REAL, seconds)


def _in_compiled_callback(frame):
    """Whether ``frame`` runs inside a call of SciPy's ODE integrators (the
    Python frames above a compiled call include ``scipy/integrate``)."""
    while frame is not None:
        if "scipy/integrate/" in frame.f_code.co_filename.replace("\\", "/"):
            return True
        frame = frame.f_back
    return False


# When the package starts as the command line, qutip_stt._startup already
# turned SIGINT and SIGTERM into one line; main() installs the handlers that
# clean up a running command.
from .. import _startup  # noqa: E402

if _startup.is_command_line():
    _startup.install()

import argparse  # noqa: E402
import importlib  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

from ..errors import ConfigError  # noqa: E402
from .._util.validation import did_you_mean  # noqa: E402

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
    "info": ("info", "print the summary of a qutip-stt file and its "
             "config"),
    "compare-classical": ("compare_classical", "run a config quantum and "
                          "classical, write both and compare"),
}


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit status 2); a mistyped choice
    (subcommand, preset, ...) gets the closest one suggested."""

    def error(self, message):
        match = re.search(r"invalid choice: '(.*?)' \(choose from (.*)\)$",
                          message)
        if match:
            choices = re.findall(r"'([^']*)'", match.group(2))
            message += did_you_mean(match.group(1), choices)
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
        # the files written completely before this command are not its own
        atomic = sys.modules.get("qutip_stt.io.atomic")
        self._mark = len(atomic.completed_files()) if atomic else 0

    def on_time(self, t):
        """Record an output time (fs) reached (the library's ``on_time``),
        then raise a signal held back by :func:`_on_signal`."""
        self.time_reached = t
        if _PENDING:
            _arm_retry(0)
            _raise_for(_PENDING.pop())

    def completed_files(self):
        """The files this command wrote completely, in order (never a
        temporary file, never one an earlier command wrote)."""
        atomic = sys.modules.get("qutip_stt.io.atomic")
        if atomic is None:
            return []
        return [p for p in atomic.completed_files(self._mark)
                if os.path.isfile(p)]


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
    previous = {signum: signal.getsignal(signum)
                for signum in (signal.SIGINT, signal.SIGTERM)}
    alarm = (signal.getsignal(signal.SIGALRM)
             if hasattr(signal, "SIGALRM") else None)
    state = RunState()
    backend = os.environ.get("MPLBACKEND")
    try:
        _PENDING.clear()
        _set_handlers({signal.SIGINT: _on_signal,
                       signal.SIGTERM: _on_signal})
        if alarm is not None:
            _set_handlers({signal.SIGALRM: _on_alarm})
        _tolerant_streams()
        # Commands draw only into files: Agg, whatever MPLBACKEND says (a
        # nonsense value would break even the import of QuTiP).
        os.environ["MPLBACKEND"] = "agg"
        parser = make_parser(_command_of(argv))
        args = parser.parse_args(argv)
        args.run_state = state
        warnings.formatwarning = _format_warning
        return args.func(args) or 0
    except ConfigError as exc:
        print(f"qutip-stt: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, file vanished, ... while running
        left = _left(state) if state.completed_files() else ""
        print(f"qutip-stt: error: {_os_error_text(exc)}"
              + (f"; {left}" if left else ""), file=sys.stderr)
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
        _PENDING.clear()
        if alarm is not None:
            _arm_retry(0)
            _set_handlers({signal.SIGALRM: alarm})
        if backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = backend
        _set_handlers({signum: (handler if handler not in (
            _startup.on_signal, None) else default)
            for (signum, handler), default in zip(
                previous.items(), (signal.default_int_handler,
                                   signal.SIG_DFL))})


def _tolerant_streams():
    """Let stdout/stderr print any path (``PYTHONIOENCODING=ascii``)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass


def _set_handlers(handlers):
    for signum, handler in handlers.items():
        try:
            signal.signal(signum, handler)
        except (ValueError, OSError):   # not the main thread
            pass


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
