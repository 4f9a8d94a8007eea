r"""Bloch-sphere views and animations of the decohering spins.

Quantum spin-transfer torque is visible on a Bloch sphere: a local spin that
becomes entangled with the electron does not rotate on the sphere's surface,
its Bloch vector *shrinks inside* it (a mixed state). This module draws the
spin trajectories of a run on :class:`qutip.Bloch` spheres and animates them
with :class:`matplotlib.animation.FuncAnimation` (clear, add, render each
frame, as in the QuTiP guide).

Spins are selected by name::

    "electron"      the electron spin, <sigma>
    "local:n"       local spin n (1-based), <Sigma_n> / 2S
    "all"           the electron and every local spin

or a comma-separated list (``"electron,local:1"``) or a list of names.
Expectation values are stored in units of hbar/2 (``Sigma = 2 S``), so a pure
spin S has length ``2S``; every vector is divided by ``2S`` before it is drawn,
so the sphere's surface is a pure spin-coherent state for every S (the figure
says so when ``S > 1/2``). For spin 1/2 the purity of that one spin,
``Tr rho^2 = (1 + |S|^2) / 2``, is shown as well.

A run is a :class:`~qutip_stt.solvers.STTResult`, the dict returned by
:func:`qutip_stt.io.read_result`, or the path of an HDF5 file written by
``qutip-stt simulate``. The command line is
``qutip-stt animate RUN.h5 --spin local:1 --out spin1.gif``.

This module gathers the names of four one-job modules:
:mod:`qutip_stt.io.runs` (reading a run through the schema check),
:mod:`qutip_stt.viz.spins` (spin selection, Bloch vectors),
:mod:`qutip_stt.viz.bloch_figure` (figure layout, stills) and
:mod:`qutip_stt.viz.animation` (animations and files).
"""

from ..io.runs import Run, load_run
from .animation import (_writer_name, animate, check_animation_path,
                        check_frame_path, save_animation, save_frame)
from .bloch_figure import (TIME_CMAP, VECTOR_COLORS, BlochFigure,
                           draw_trajectory, plot_bloch)
from .defaults import (ANIMATION_WRITERS, DEFAULT_DPI, DEFAULT_FPS,
                       FRAME_FORMATS)
from .spins import bloch_vectors, parse_spins

__all__ = ["Run", "load_run", "parse_spins", "bloch_vectors",
           "draw_trajectory", "BlochFigure", "plot_bloch", "animate",
           "save_animation", "save_frame", "check_animation_path",
           "check_frame_path", "ANIMATION_WRITERS", "FRAME_FORMATS",
           "DEFAULT_FPS", "DEFAULT_DPI", "VECTOR_COLORS", "TIME_CMAP"]
