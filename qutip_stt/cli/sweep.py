"""``qutip-stt sweep`` and ``qutip-stt plot-sweep``."""

import math
import os
import sys

from ..errors import ConfigError
from ..sweep import MAP_FUNCTIONS
from . import Interrupted
from .common import add_progress_option, progress_bar_name

__all__ = ["add_cli"]


def add_cli(sub):
    """Register ``qutip-stt sweep`` and ``qutip-stt plot-sweep``.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subcommand registry of :func:`qutip_stt.cli.make_parser`.
    """
    p = sub.add_parser(
        "sweep", help="run a parameter sweep (resumable) into one HDF5 file",
        description="Run every point of a sweep file (a simulate config plus "
        "a [sweep] table of values, grid or zip) on a QuTiP map function and "
        "write all results to one HDF5 file. Running the same command again "
        "skips the points already written.")
    p.add_argument("sweep", help="sweep TOML file")
    p.add_argument("--out", required=True, help="output HDF5 file")
    p.add_argument("--map", default="serial", choices=list(MAP_FUNCTIONS),
                   help="qutip.serial_map, parallel_map, loky_pmap or "
                   "mpi_pmap (under mpiexec -n K python -m mpi4py.futures "
                   "-m qutip_stt sweep ...); default serial")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: CPU count; MPI: ranks-1)")
    p.add_argument("--max-points", type=int, default=None,
                   help="run at most this many new points now")
    p.add_argument("--checkpoint", type=float, default=10.0,
                   help="seconds between rewrites of the output file "
                   "(default 10; 0 after every point)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_progress_option(p)
    p.set_defaults(func=_cli_sweep)

    q = sub.add_parser(
        "plot-sweep", help="plot final purity, |S| and spin-flip probability "
        "of a sweep", description="Draw the final purity of the local spins, "
        "their mean spin length and the electron spin-flip probability "
        "against the swept parameter(s) of a sweep HDF5 file.")
    q.add_argument("file", help="sweep HDF5 file")
    q.add_argument("--out", required=True, help="figure file (.png, .pdf)")
    q.add_argument("--x", default=None, help="swept key on the x axis")
    q.set_defaults(func=_cli_plot)


def _cli_sweep(args):
    from ..io import check_output_path
    from ..sweep import read_sweep, run_sweep

    sweep = read_sweep(args.sweep)
    out = check_output_path(args.out)
    if args.checkpoint < 0 or not math.isfinite(args.checkpoint):
        raise ConfigError("--checkpoint", "expected seconds >= 0")
    try:
        report = run_sweep(sweep, out, args.map, num_workers=args.workers,
                           progress_bar=progress_bar_name(args.quiet,
                                                          args.progress),
                           max_points=args.max_points,
                           checkpoint=args.checkpoint)
    except (KeyboardInterrupt, Interrupted) as exc:
        n = _n_done(out)
        print(f"qutip-stt: interrupted; {n} of {len(sweep)} points are saved "
              f"in {out}; run the same command to continue", file=sys.stderr)
        return 128 + getattr(exc, "signum", 2)
    if not args.quiet:
        print(f"{report['n_run']} points run, {report['n_skipped']} already "
              f"in the file; {report['n_done']} of {report['n_points']} done "
              f"({report['wall_s']:.1f} s, map {args.map})")
        if report["n_done"] < report["n_points"]:
            print("run the same command again to continue")
        print(f"wrote {os.path.abspath(out)}")
    return 0


def _n_done(path):
    import h5py

    try:
        with h5py.File(path, "r") as f:
            return int(f["done"][()].sum())
    except (OSError, KeyError):
        return 0


def _cli_plot(args):
    from ..sweep import sweep_plot
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = sweep_plot(args.file, x=args.x, out=args.out)
    plt.close(fig)
    print(f"wrote {args.out}")
    return 0
