"""``qutip-stt train``: config -> one-electron channel -> K electrons -> HDF5 (+ figures)."""

import os

from ..errors import ConfigError
from .common import (add_config_arguments, add_force_option,
                     add_progress_option, config_from_args,
                     progress_bar_name)
from .outputs import ANIMATION, FIGURE, HDF5, Outputs

__all__ = ["add_cli", "run_train"]


def add_cli(sub):
    """Register the ``train`` subcommand (see :mod:`qutip_stt.cli`).

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The ``add_subparsers()`` object of the ``qutip-stt`` parser.
    """
    p = sub.add_parser(
        "train", help="send K electrons one after another through the spins",
        description="Build the one-electron scattering channel Phi on the "
        "local spins (one exact run per local-spin basis state, to "
        "t = interval) and apply it K times: rho_n = Phi^n(rho_0). Writes the "
        "local-spin observables for every electron number n = 0..K and the "
        "channel's Kraus operators to an HDF5 file. The [train] table of the "
        "config (electrons, interval, polarization) sets the train.")
    add_config_arguments(p, set_help="override any config key "
                         "(repeatable), e.g. --set local_spins.count=3")
    p.add_argument("--electrons", type=int, metavar="K",
                   help="override train.electrons")
    p.add_argument("--interval", metavar="FS",
                   help="override train.interval (fs, or auto)")
    p.add_argument("--polarization", type=float, metavar="P",
                   help="override train.polarization (1 polarized, 0 "
                   "unpolarized)")
    p.add_argument("--plot", metavar="STEM",
                   help="also write STEM-train.png (total S^z, purity, "
                   "entropy vs n) and STEM-sz-map.png (S^z of each spin vs n)")
    p.add_argument("--compare", action="store_true",
                   help="with --plot: draw the bound of one quantum per "
                   "electron (total S^z conservation)")
    p.add_argument("--animate", metavar="FILE.gif",
                   help="also write a Bloch-sphere animation over n of one "
                   "local spin (--spin)")
    p.add_argument("--spin", type=int, default=1,
                   help="local spin for --animate (default 1)")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar and no summary")
    add_progress_option(p)
    add_force_option(p)
    p.set_defaults(func=run_train)


def run_train(args):
    """Run ``qutip-stt train`` (see :func:`add_cli`).

    Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    int
        0; bad input raises :class:`~qutip_stt.errors.ConfigError` before any
        evolution (exit status 2 from :func:`qutip_stt.cli.main`).
    """
    from ..io import atomic_file
    from ..io.trains import write_train
    from ..trains.run import train

    overrides = []
    for key, value in (("electrons", args.electrons),
                       ("interval", args.interval),
                       ("polarization", args.polarization)):
        if value is not None:
            overrides.append(f"train.{key}={value}")
    config = config_from_args(args, overrides, command="train")
    if args.compare and not args.plot:
        raise ConfigError("--compare", "needs --plot STEM")
    if args.spin < 1 or args.spin > config["local_spins"]["count"]:
        raise ConfigError("--spin", f"expected a local spin 1.."
                          f"{config['local_spins']['count']}, got {args.spin}")
    force = args.force
    with Outputs([args.config], force, getattr(args, "run_state", None)) as o:
        out = o.add(args.out, "--out", HDF5)
        figures = ([o.add(f"{args.plot}-{name}.png", "--plot", FIGURE)
                    for name in ("train", "sz-map")] if args.plot else [])
        movie = (o.add(args.animate, "--animate", ANIMATION)
                 if args.animate else None)
        result, resolved = train(
            config, progress_bar=progress_bar_name(args.quiet, args.progress))
        write_train(out, result, resolved, overwrite=force,
                    inputs=[args.config])
        if figures:
            from ..viz.trains import plot_sz_map, plot_train
            for path, fig in ((figures[0], plot_train(
                    result, compare=args.compare)),
                    (figures[1], plot_sz_map(result))):
                with atomic_file(path, overwrite=force) as tmp:
                    fig.savefig(tmp, dpi=150)
        if movie:
            from ..viz.bloch import save_animation
            from ..viz.trains import animate_train
            save_animation(animate_train(result, args.spin), movie,
                           overwrite=force)
    outputs = figures + ([movie] if movie else [])
    if not args.quiet:
        print(result.summary())
        for path in [out] + outputs:
            print(f"wrote {os.path.abspath(path)}")
    return 0
