"""``qutip-stt scatter``: config -> energy-resolved S-matrix probabilities -> HDF5 (+ figure)."""

import os

from .common import add_config_arguments, add_force_option, config_from_args
from .outputs import FIGURE, HDF5, Outputs

__all__ = ["add_cli", "run_scatter"]


def add_cli(sub):
    """Register the ``scatter`` subcommand (see :mod:`qutip_stt.cli`).

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The ``add_subparsers()`` object of the ``qutip-stt`` parser.
    """
    p = sub.add_parser(
        "scatter", help="energy-resolved multichannel S-matrix probabilities",
        description="Probabilities for the electron of the config to leave "
        "left or right in every channel (electron spin x XXZ eigenstate), "
        "per energy of the [scatter] grid, and their average over the "
        "Eq. (4) packet; written to an HDF5 file.")
    add_config_arguments(p, set_help="override a config key, e.g. --set "
                         "scatter.energies='{start=-2.3, stop=-1, num=500}'")
    p.add_argument("--figure", metavar="FILE",
                   help="also draw spin flip, T and R against energy "
                   "(PNG, PDF or SVG)")
    p.add_argument("--quiet", action="store_true", help="no summary")
    add_force_option(p)
    p.set_defaults(func=run_scatter)


def run_scatter(args):
    """Run ``qutip-stt scatter``.

    Parameters
    ----------
    args : argparse.Namespace
        ``config`` or ``preset``, ``out``, ``overrides``, ``figure``,
        ``quiet``.

    Returns
    -------
    int
        0; bad input raises :class:`~qutip_stt.errors.ConfigError` (exit 2).
    """
    from ..io import atomic_file
    from ..io.scattering import read_scattering, write_scattering
    from ..scattering.run import scatter

    config = config_from_args(args, command="scatter")
    force = args.force
    with Outputs([args.config], force, getattr(args, "run_state", None)) as o:
        out = o.add(args.out, "--out", HDF5)
        figure = o.add(args.figure, "--figure", FIGURE) if args.figure \
            else None
        result, packet = scatter(config)
        write_scattering(out, result, config, packet, overwrite=force,
                         inputs=[args.config])
        if figure:
            import matplotlib.pyplot as plt
            from ..viz.scattering import plot_scattering
            fig = plot_scattering(read_scattering(out))
            with atomic_file(figure, overwrite=force) as tmp:
                fig.savefig(tmp, dpi=150)
            plt.close(fig)
    if not args.quiet:
        print(f"{result.energy.size} energies in {result.wall_time:.2f} s; "
              f"max unitarity error {result.unitarity_error.max():.1e}")
        if packet is not None:
            print(f"packet average: spin flip {packet.spin_flip:.4f}, "
                  f"T {packet.transmission:.4f}, R {packet.reflection:.4f}")
        print(f"wrote {os.path.abspath(out)}")
    return 0
