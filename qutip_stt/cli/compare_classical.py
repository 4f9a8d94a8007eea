"""``qutip-stt compare-classical``: one config, quantum and classical runs side by side.

Writes into ``--out DIR``: ``quantum.h5`` and ``classical.h5`` (the layout of
``qutip-stt simulate``; the second has the file attribute ``classical``),
``compare.png`` (:func:`qutip_stt.viz.classical.plot_quantum_classical`) and
``bloch.gif``, both vectors of every spin on one Bloch sphere labelled
quantum / classical (:func:`qutip_stt.viz.bloch.animate` with ``overlay``).
"""

import os

from ..errors import ConfigError
from .common import (add_config_arguments, add_force_option,
                     add_progress_option, config_from_args,
                     progress_bar_name)
from .outputs import ANIMATION, FIGURE, HDF5, Outputs

__all__ = ["add_cli", "run_compare_classical", "OUTPUTS"]

#: The files written into the output folder.
OUTPUTS = {"quantum": "quantum.h5", "classical": "classical.h5",
           "figure": "compare.png", "animation": "bloch.gif"}


def add_cli(sub):
    """Register ``qutip-stt compare-classical`` (see :mod:`qutip_stt.cli`).

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The ``add_subparsers()`` object of the ``qutip-stt`` parser.
    """
    p = sub.add_parser(
        "compare-classical",
        help="run a config quantum and classical, write both and compare",
        description="Run the config twice, as the quantum model (its "
        "evolution.method, 'auto' if it says 'classical') and as its "
        "mean-field classical limit (method 'classical'), and write "
        + ", ".join(OUTPUTS.values()) + " into the output folder.")
    add_config_arguments(p, out_help="output folder (created if missing)",
                         out_metavar="DIR")
    p.add_argument("--spin", default="all",
                   help="spins of the Bloch animation (default all)")
    p.add_argument("--every", type=int, default=2, metavar="K",
                   help="every K-th output time is a frame (default 2)")
    p.add_argument("--no-animation", action="store_true",
                   help="skip the Bloch animation (the slowest part)")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar and no summary")
    add_progress_option(p)
    add_force_option(p)
    p.set_defaults(func=run_compare_classical)


def _configs(args):
    config = config_from_args(args, command="compare-classical")
    ev = config["evolution"]
    if ev["alpha"] != 0:
        raise ConfigError("evolution.alpha", "the quantum model has no "
                          "Gilbert damping, so the comparison needs alpha = 0 "
                          f"(got {ev['alpha']:g})")
    quantum = config_from_args(
        args, ["evolution.method=auto"] if ev["method"] == "classical" else [])
    # the mean-field product state has no pair entanglement: [analysis] is
    # the quantum run's
    classical = config_from_args(args, ["evolution.method=classical",
                                        'analysis.pairs="none"',
                                        "analysis.blocks=false"])
    return quantum, classical


def run_compare_classical(args):
    """Run ``qutip-stt compare-classical`` (see :func:`add_cli`).

    Returns
    -------
    int
        Exit status 0; bad input raises :class:`~qutip_stt.errors.ConfigError`
        before any run.
    """
    from .._util.validation import check_int
    from ..io import atomic_file, write_result
    from ..simulation import simulate
    from ..viz.bloch import animate, save_animation
    from ..viz.classical import (compare_numbers, format_numbers,
                                 plot_quantum_classical)
    from ..viz.spins import parse_spins

    quantum_cfg, classical_cfg = _configs(args)
    if not args.no_animation:
        check_int("--every", args.every, minimum=1)
        parse_spins(args.spin, quantum_cfg["local_spins"]["count"], "--spin")
    folder = os.fspath(args.out)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ConfigError("--out", f"{folder} is a file; give a folder")
    created = not os.path.isdir(folder)
    os.makedirs(folder, exist_ok=True)
    kinds = {"quantum": HDF5, "classical": HDF5, "figure": FIGURE,
             "animation": ANIMATION}
    names = [k for k in OUTPUTS if k != "animation" or not args.no_animation]
    state = getattr(args, "run_state", None)
    on_time = state.on_time if state is not None else None
    force = args.force
    with Outputs([args.config], force, state) as outputs:
        try:
            paths = {key: outputs.add(os.path.join(folder, OUTPUTS[key]),
                                      "--out", kinds[key]) for key in names}
        except ConfigError:     # refused before any work: no folder left
            outputs.close()
            if created and not os.listdir(folder):
                os.rmdir(folder)
            raise
        bar = progress_bar_name(args.quiet, args.progress)
        quantum = simulate(quantum_cfg, progress_bar=bar, on_time=on_time)
        write_result(paths["quantum"], quantum, quantum_cfg, overwrite=force,
                     inputs=[args.config])
        classical = simulate(classical_cfg, progress_bar=bar,
                             on_time=on_time, warn_reflections=False)
        write_result(paths["classical"], classical, classical_cfg,
                     overwrite=force, inputs=[args.config])
        fig = plot_quantum_classical(quantum, classical)
        with atomic_file(paths["figure"], overwrite=force) as tmp:
            fig.savefig(tmp, format="png", dpi=120)
        if not args.no_animation:
            anim = animate(quantum, args.spin, compare=classical,
                           overlay=True, every=args.every,
                           labels=["quantum", "classical"])
            save_animation(anim, paths["animation"], progress_bar=bar,
                           overwrite=force)
    written = list(paths.values())
    if not args.quiet:
        print(f"quantum ({quantum.method}) {quantum.wall_time:.2f} s, "
              f"classical {classical.wall_time:.2f} s")
        print(format_numbers(compare_numbers(quantum, classical)))
        from ..solvers.summary import flip_line
        for kind, run in (("quantum", quantum), ("classical", classical)):
            line = flip_line(run.electron_spin)
            if line:
                print(f"{kind}: {line}")
        for path in written:
            print(f"wrote {os.path.abspath(path)}")
    return 0
