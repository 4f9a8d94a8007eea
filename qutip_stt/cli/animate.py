"""``qutip-stt animate``: Bloch-sphere animation or still of a result file."""

import os

from ..viz.defaults import DEFAULT_DPI, DEFAULT_FPS, PANEL_WIDTH
from .common import add_force_option, add_progress_option, progress_bar_name
from .outputs import ANIMATION, FRAME, Outputs

__all__ = ["add_cli", "run_animate"]


def add_cli(sub):
    """Register ``qutip-stt animate`` (see :mod:`qutip_stt.cli`).

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The ``add_subparsers()`` object of the ``qutip-stt`` parser.
    """
    p = sub.add_parser(
        "animate", help="Bloch-sphere animation (GIF/MP4) or still of a run",
        description="Animate the Bloch vectors of a run written by "
        "'qutip-stt simulate': the path coloured by time, the current vector "
        "and its length |S| (local spins divided by 2S). GIF needs only "
        "Pillow; MP4 needs ffmpeg. With --frame T, write one still (PNG, PDF, "
        "SVG) at time T instead.")
    p.add_argument("run", help="HDF5 file written by 'qutip-stt simulate'")
    p.add_argument("--out", required=True,
                   help="output file: .gif or .mp4 (.png/.pdf/.svg with --frame)")
    p.add_argument("--spin", default="local:1",
                   help="electron, local:n, all, or a comma-separated list "
                   "(default local:1)")
    p.add_argument("--compare", metavar="OTHER.h5",
                   help="a second run shown side by side (same spins)")
    p.add_argument("--together", action="store_true",
                   help="all selected spins of a run on one sphere")
    p.add_argument("--overlay", action="store_true",
                   help="with --compare: both runs' vectors on the same "
                   "sphere, one sphere per spin, labelled by --labels")
    p.add_argument("--labels", metavar="A,B",
                   help="names of the run and the compared run on the figure "
                   "(default: file stems; with --overlay, 'quantum' and "
                   "'classical' when one run is of method classical)")
    p.add_argument("--every", type=int, default=1, metavar="K",
                   help="use every K-th output time as a frame (default 1)")
    p.add_argument("--fps", type=float, default=DEFAULT_FPS,
                   help=f"frames per second (default {DEFAULT_FPS})")
    p.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                   help=f"dots per inch (default {DEFAULT_DPI}; a sphere is "
                   f"{PANEL_WIDTH:g} in wide)")
    p.add_argument("--frame", type=float, metavar="T",
                   help="write one still at the output time nearest T fs")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_progress_option(p)
    add_force_option(p)
    p.set_defaults(func=run_animate)


def run_animate(args):
    """Run ``qutip-stt animate`` (see :func:`add_cli`).

    The output name and format are checked first (exit 2 before any file is
    read), then the run files (the schema check of :mod:`qutip_stt.io`),
    then the figure is drawn and written atomically.
    """
    from .._util.validation import check_int

    inputs = [args.run] + ([args.compare] if args.compare else [])
    force = getattr(args, "force", False)
    check_int("--dpi", args.dpi, 10, 1000)
    check_int("--every", args.every, 1)
    labels = _labels(args)
    with Outputs(inputs, force, getattr(args, "run_state", None)) as o:
        o.add(args.out, "--out", FRAME if args.frame is not None
              else ANIMATION)
        _draw(args, inputs, labels, force)
    if not args.quiet:
        print(f"wrote {os.path.abspath(args.out)}")
    return 0


def _draw(args, inputs, labels, force):
    from ..viz.animation import animate, save_animation, save_frame

    if args.frame is not None:
        save_frame(args.run, args.out, args.spin, time=args.frame,
                   compare=args.compare, together=args.together, dpi=args.dpi,
                   labels=labels, overlay=args.overlay, overwrite=force)
    else:
        anim = animate(args.run, args.spin, compare=args.compare,
                       together=args.together, every=args.every, fps=args.fps,
                       labels=labels, overlay=args.overlay)
        save_animation(anim, args.out, dpi=args.dpi,
                       progress_bar=progress_bar_name(args.quiet,
                                                      args.progress),
                       overwrite=force, inputs=inputs)


def _labels(args):
    """``--labels A,B`` as a list (None when not given)."""
    from ..errors import ConfigError

    if not args.labels:
        return None
    labels = [item.strip() for item in args.labels.split(",")]
    wanted = 1 + (args.compare is not None)
    if len(labels) != wanted:
        raise ConfigError("--labels", f"expected {wanted} comma-separated "
                          f"names (the run{' and --compare' * (wanted > 1)}),"
                          f" got {args.labels!r}")
    return labels
