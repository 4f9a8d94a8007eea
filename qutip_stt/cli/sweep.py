"""``qutip-stt sweep`` and ``qutip-stt plot-sweep``."""

import math
import os
import sys

from ..errors import ConfigError
from ..sweep import MAP_FUNCTIONS, MAX_POINTS
from . import Interrupted
from .common import add_force_option, add_progress_option, progress_bar_name
from .outputs import FIGURE, Outputs

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
                   help="qutip.serial_map, parallel_map, loky_pmap or MPI "
                   "(mpiexec -n K qutip-stt sweep ... --map mpi: rank 0 "
                   "writes, the others compute); default serial")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: CPU count; MPI: ranks-1)")
    p.add_argument("--max-points", type=int, default=None,
                   help="run at most this many new points now")
    p.add_argument("--max-grid", type=int, default=MAX_POINTS,
                   metavar="N", help="allow a sweep of up to N points "
                   f"(default {MAX_POINTS:,}); larger sweeps are refused "
                   "before any point is built")
    p.add_argument("--checkpoint", type=float, default=10.0,
                   help="seconds between rewrites of the output file "
                   "(default 10; 0 after every point)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_progress_option(p)
    add_force_option(p)
    p.set_defaults(func=_cli_sweep)

    q = sub.add_parser(
        "plot-sweep", help="plot final purity, |S| and spin-flip probability "
        "of a sweep", description="Draw the final purity of the local spins, "
        "their mean spin length and the electron spin-flip probability "
        "against the swept parameter(s) of a sweep HDF5 file.")
    q.add_argument("file", help="sweep HDF5 file")
    q.add_argument("--out", required=True, help="figure file (.png, .pdf)")
    q.add_argument("--x", default=None, help="swept key on the x axis")
    q.add_argument("--quiet", action="store_true",
                   help="do not print the name of the figure written")
    add_force_option(q)
    q.set_defaults(func=_cli_plot)


def _cli_sweep(args):
    from ..io import check_output_path
    from ..sweep import PointFailed, read_sweep, run_sweep

    if args.checkpoint < 0 or not math.isfinite(args.checkpoint):
        raise ConfigError("--checkpoint", f"expected seconds >= 0, got "
                          f"{args.checkpoint}")
    if args.max_grid < 1:
        raise ConfigError("--max-grid", f"expected an integer >= 1, got "
                          f"{args.max_grid}")
    out = check_output_path(args.out, inputs=[args.sweep],
                            formats=(".h5", ".hdf5"), overwrite=args.force)
    sweep = read_sweep(args.sweep, max_points=args.max_grid)
    try:
        report = run_sweep(sweep, out, args.map, num_workers=args.workers,
                           progress_bar=progress_bar_name(args.quiet,
                                                          args.progress),
                           max_points=args.max_points,
                           checkpoint=args.checkpoint, overwrite=args.force,
                           inputs=[args.sweep])
    except (KeyboardInterrupt, Interrupted) as exc:
        n = _n_done(out)
        print(f"qutip-stt: interrupted; {n} of {len(sweep)} points are saved "
              f"in {out}; run the same command to continue", file=sys.stderr)
        return 128 + getattr(exc, "signum", 2)
    except PointFailed as exc:
        print(f"qutip-stt: error: {exc}", file=sys.stderr)
        return 1
    if report is None:      # an MPI rank that served rank 0's points
        return 0
    if not args.quiet:
        print(f"{report['n_run']} points run, {report['n_skipped']} already "
              f"in the file; {report['n_done']} of {report['n_points']} done "
              f"({report['wall_s']:.1f} s, map {args.map})")
        if report["n_done"] < report["n_points"]:
            print("run the same command again to continue")
        print(f"wrote {os.path.abspath(out)}")
    return 0


def _n_done(path):
    from ..io.sweep_files import read_sweep_summary

    try:
        return int(read_sweep_summary(path)["done"].sum())
    except (ConfigError, OSError):
        return 0


def _cli_plot(args):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..viz.sweep_plots import sweep_plot

    with Outputs([args.file], args.force,
                 getattr(args, "run_state", None)) as outputs:
        outputs.add(args.out, "--out", FIGURE)    # before the file is read
        fig = sweep_plot(args.file, x=args.x, out=args.out,
                         overwrite=args.force)
    plt.close(fig)
    if not args.quiet:
        print(f"wrote {os.path.abspath(args.out)}")
    return 0
