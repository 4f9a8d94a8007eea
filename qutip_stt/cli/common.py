"""Options shared by several subcommands (progress bars)."""

import sys

__all__ = ["PROGRESS_CHOICES", "add_config_arguments", "add_progress_option",
           "progress_bar_name", "config_from_args", "add_force_option",
           "UnusedKeyWarning"]


#: Values of ``--progress``: QuTiP progress bar names, plus auto and none.
PROGRESS_CHOICES = ("auto", "tqdm", "text", "enhanced", "none")


def add_config_arguments(parser, *, out_help="output HDF5 file",
                         out_metavar=None, set_help=None):
    """Add the arguments of every command that runs a config.

    ``CONFIG`` (a TOML file) or ``--preset`` (one of the paper's cases),
    ``--set KEY=VALUE`` (repeatable overrides, read by
    :func:`config_from_args`) and ``--out``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A subcommand's parser, changed in place.
    out_help : str, default: "output HDF5 file"
    out_metavar : str, optional
    set_help : str, optional
        The help of ``--set`` (an example fitting the command).
    """
    from ..config.presets import PRESETS
    parser.add_argument("config", nargs="?", help="TOML config file")
    parser.add_argument("--preset", choices=sorted(PRESETS),
                        help="one of the paper's cases instead of a file")
    parser.add_argument("--out", required=True, metavar=out_metavar,
                        help=out_help)
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[],
        metavar="KEY=VALUE", help=set_help or "override a config key "
        "(repeatable), e.g. --set local_spins.J_sd=0.2")


def add_progress_option(parser):
    """Add ``--progress`` to a subcommand's parser.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A subcommand's parser, changed in place.
    """
    parser.add_argument(
        "--progress", choices=PROGRESS_CHOICES, default="auto",
        help="progress bar: auto (tqdm on a terminal, none otherwise), "
        "tqdm, text (plain lines, for batch logs), enhanced, none")


def progress_bar_name(quiet=False, choice="auto"):
    """The QuTiP progress bar for ``--quiet`` / ``--progress``.

    ``"auto"`` gives ``"tqdm"`` on an interactive terminal and no bar
    otherwise; ``--quiet`` always gives no bar.

    Parameters
    ----------
    quiet : bool, default: False
        ``--quiet`` was given.
    choice : str, default: "auto"
        The ``--progress`` value, one of :data:`PROGRESS_CHOICES`.

    Returns
    -------
    str
        A QuTiP progress-bar name (``""`` for none) for
        :func:`qutip_stt.simulation.simulate`.

    Examples
    --------
    >>> progress_bar_name(quiet=True, choice="tqdm"), progress_bar_name(choice="text")
    ('', 'text')
    """
    if quiet or choice == "none":
        return ""
    if choice == "auto":
        return "tqdm" if sys.stderr.isatty() else ""
    return choice


def add_force_option(parser):
    """Add ``--force`` (alias ``--overwrite``) to a subcommand's parser.

    Without it, an existing ``--out`` file is replaced only if it is a
    qutip-stt output of the same format (see
    :func:`qutip_stt.io.check_output_path`).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A subcommand's parser, changed in place.
    """
    parser.add_argument(
        "--force", "--overwrite", dest="force", action="store_true",
        help="replace an existing --out file even if it is not a qutip-stt "
        "output (never the input, a link, a device or a FIFO)")


def config_from_args(args, overrides=(), command=None):
    """The resolved config of a command: ``CONFIG`` or ``--preset``, then ``--set``.

    With ``command``, every key set away from its default that the command
    does not read is refused if it shapes the physics, or named in one
    warning line if it only steers another command
    (:func:`qutip_stt.config.usage.check_command_keys`).

    Parameters
    ----------
    args : argparse.Namespace
        With ``config`` (TOML path or None), ``preset`` (name or None) and
        ``overrides`` (``KEY=VALUE`` strings of ``--set``).
    overrides : sequence of str, optional
        More ``KEY=VALUE`` settings from the command's own options, applied
        after ``--set``.
    command : str, optional
        The command (``"simulate"``, ``"train"``, ...) whose keys are checked.

    Returns
    -------
    dict
        A resolved config (:func:`qutip_stt.config.apply_overrides`).

    Raises
    ------
    ConfigError
        Both or neither of a file and a preset, or any bad key or value.
    """
    from .. import config as cfgmod
    from ..errors import ConfigError

    if args.config and args.preset:
        raise ConfigError("--preset", "give a config file or a preset, not both")
    if args.config:
        raw = cfgmod.read_config(args.config)
    elif args.preset:
        raw = cfgmod.preset(args.preset, resolve=False)
    else:
        raise ConfigError("config", "give a TOML config file or --preset "
                          + "|".join(sorted(cfgmod.PRESETS)))
    raw = cfgmod.merge_overrides(
        raw, list(getattr(args, "overrides", [])) + list(overrides))
    config = cfgmod.resolve_config(raw)
    if command is not None:
        import warnings
        for line in cfgmod.check_command_keys(raw, config, command):
            warnings.warn(line, UnusedKeyWarning, stacklevel=2)
    return config


class UnusedKeyWarning(UserWarning):
    """A config key that steers another command, ignored by this one."""

