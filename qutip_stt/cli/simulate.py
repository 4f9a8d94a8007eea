"""``qutip-stt simulate``: config file or preset -> evolution -> HDF5 file."""

import os

from ..solvers.registry import METHODS
from .common import (add_config_arguments, add_force_option,
                     add_progress_option, config_from_args,
                     progress_bar_name)
from .outputs import HDF5, Outputs

__all__ = ["add_cli", "run_simulate"]


def add_cli(sub):
    """Register the ``simulate`` subcommand (see :mod:`qutip_stt.cli`).

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The ``add_subparsers()`` object of the ``qutip-stt`` parser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="qutip-stt")
    >>> add_cli(parser.add_subparsers())
    >>> parser.parse_args(["simulate", "--preset", "paper-collinear",
    ...                    "--out", "run.h5"]).func is run_simulate
    True
    """
    p = sub.add_parser(
        "simulate", help="run one configuration and write an HDF5 result",
        description="Run the model described by a TOML config (or a preset) "
        "and write its observables to an HDF5 file (layout: the HDF5 reference "
        "of the docs).")
    add_config_arguments(p, set_help="override a config key, e.g. --set "
                         "local_spins.J_sd=0.2 or --set electron.spin='{theta"
                         "=60, phi=0}' (repeatable)")
    p.add_argument("--method", help="override evolution.method: "
                   + ", ".join(METHODS))
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar and no summary")
    add_progress_option(p)
    add_force_option(p)
    p.set_defaults(func=run_simulate)


def run_simulate(args):
    """Run ``qutip-stt simulate``: config or preset -> simulation -> HDF5 file.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments: ``config`` (TOML path) or ``preset``, ``out``
        (HDF5 path), ``method``, ``overrides`` (``KEY=VALUE`` strings) and
        ``quiet``.

    Returns
    -------
    int
        Exit status 0; bad input raises :class:`~qutip_stt.errors.ConfigError`
        before any work, which :func:`qutip_stt.cli.main` turns into status 2.

    Examples
    --------
    From the shell::

        qutip-stt simulate --preset paper-collinear --set chain.length=600 --out run.h5
    """
    force = getattr(args, "force", False)
    overrides = []
    if args.method is not None:
        overrides.append(f"evolution.method={args.method}")
    config = config_from_args(args, overrides, command="simulate")
    from ..io import write_result
    from ..simulation import simulate

    state = getattr(args, "run_state", None)
    with Outputs([args.config], force, state) as outputs:
        out = outputs.add(args.out, "--out", HDF5)
        result = simulate(
            config, progress_bar=progress_bar_name(args.quiet, args.progress),
            progress_stage="evolution",
            on_time=state.on_time if state is not None else None)
        write_result(out, result, config, overwrite=force,
                     inputs=[args.config])
    if not args.quiet:
        print(result.summary())
        print(f"wrote {os.path.abspath(out)}")
    return 0
