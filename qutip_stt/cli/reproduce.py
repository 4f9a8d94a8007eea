"""``qutip-stt reproduce``: every figure of the paper and a graded report."""

import os

from .common import add_force_option, add_progress_option, progress_bar_name

__all__ = ["add_cli", "run_reproduce"]


def add_cli(sub):
    """Register ``qutip-stt reproduce`` (see :mod:`qutip_stt.cli`).

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The ``add_subparsers()`` object of the ``qutip-stt`` parser.
    """
    p = sub.add_parser(
        "reproduce", help="regenerate every figure of the paper and a report",
        description="Recompute Figs. 2-6 of Mondal et al. (PRB 99, 094431) "
        "and an electron-density map on the paper's parameters; write PNG and "
        "PDF figures, the HDF5 data behind each, and report.md/report.json "
        "checking every quantitative statement of the paper.")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder (created if missing)")
    p.add_argument("--quick", action="store_true",
                   help="a shorter chain and time (see the reproduce page of "
                   "the docs) for smoke tests, well under a minute")
    p.add_argument("--long-chain", action="store_true",
                   help="run Figs. 3-6 on a chain padded on both sides until "
                   "the packet meets no chain end before t_max (no echo; "
                   "slower); the default run overlays this chain's curves "
                   "dashed after the echo")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar and no summary")
    add_progress_option(p)
    add_force_option(p)
    p.set_defaults(func=run_reproduce)


def run_reproduce(args):
    """Run ``qutip-stt reproduce`` from parsed arguments."""
    from ..errors import ConfigError
    from ..io.locks import output_lock
    from ..paper import reproduce

    folder = os.fspath(args.out)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ConfigError("--out", f"{folder} exists and is not a folder")
    if not os.path.isdir(os.path.dirname(os.path.abspath(folder))):
        raise ConfigError("--out", "folder "
                          f"{os.path.dirname(os.path.abspath(folder))} does "
                          "not exist")
    created = not os.path.isdir(folder)
    os.makedirs(folder, exist_ok=True)
    try:
        # one reproduction per folder at a time
        with output_lock(os.path.join(folder, "report.json"), "--out"):
            report = reproduce(folder, quick=args.quick,
                               long_chain=args.long_chain,
                               progress_bar=progress_bar_name(args.quiet,
                                                              args.progress),
                               overwrite=args.force)
    except ConfigError:     # refused before any work: no folder left behind
        if created and not os.listdir(folder):
            os.rmdir(folder)
        raise
    if not args.quiet:
        claims = report["claims"]
        grades = ("agrees", "agrees qualitatively", "differs")
        counts = ", ".join(f"{sum(r['verdict'] == g for r in claims)} {g}"
                           for g in grades)
        print(f"{len(claims)} statements: {counts}; "
              f"{report['timings_s']['total']:.1f} s")
        for r in claims:
            print(f"  {r['verdict']:20s} {r['key']}")
        print(f"wrote {os.path.abspath(os.path.join(args.out, 'report.md'))}")
    return 0
