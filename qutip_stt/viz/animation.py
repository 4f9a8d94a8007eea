"""Animations and stills of Bloch figures, written atomically.

:func:`animate` makes a :class:`matplotlib.animation.FuncAnimation` of a
:class:`~qutip_stt.viz.bloch_figure.BlochFigure`; :func:`save_animation`
(GIF with Pillow, MP4 with ffmpeg) and :func:`save_frame` (PNG, PDF, SVG)
check the format and the output path (:func:`qutip_stt.io.check_output_path`)
before anything is drawn, and write through :func:`qutip_stt.io.atomic_file`.
"""

import contextlib
import errno
import os
import subprocess
from pathlib import Path

import numpy as np
from matplotlib import animation

from ..errors import ConfigError
from .._util.progress import make_bar
from ..io import atomic_file, check_output_path
from .._util.validation import check_int, check_real
from .bloch_figure import BlochFigure, _runs, _time_index
from .defaults import ANIMATION_WRITERS, DEFAULT_DPI, DEFAULT_FPS, FRAME_FORMATS
from .frames import frame_images

__all__ = ["animate", "save_animation", "save_frame", "check_animation_path",
           "check_frame_path"]


def animate(source, spins="local:1", *, compare=None, together=False,
            every=1, fps=DEFAULT_FPS, labels=None, view=None, overlay=False):
    """A matplotlib animation of the Bloch spheres over the run's output times.

    Parameters
    ----------
    source : STTResult, dict, path or Run
        See :func:`load_run`.
    spins : str or list of str, default: "local:1"
        See :func:`parse_spins`.
    compare : source or list of sources, optional
        Further runs shown side by side (one row each), same spins.
    together : bool, default: False
        All selected spins of a run on one sphere.
    every : int, default: 1
        Use every ``every``-th output time as a frame.
    fps : float, default: DEFAULT_FPS
        Frames per second (the interval between frames is ``1000/fps`` ms).
    labels : list of str, optional
    view : (float, float), optional
    overlay : bool, default: False
        Compared runs on the same spheres (see :func:`plot_bloch`).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        With ``.bloch_figure`` (the :class:`BlochFigure`), ``.frame_indices``
        (the time indices shown) and ``.fps``. In Jupyter, show it with
        ``IPython.display.HTML(anim.to_jshtml())`` (or set
        ``matplotlib.rcParams["animation.html"] = "jshtml"`` and make ``anim``
        the cell's last expression); write it with :func:`save_animation`.

    Examples
    --------
    >>> anim = animate("paper-collinear.h5", "local:1", every=5)  # doctest: +SKIP
    >>> save_animation(anim, "spin1.gif")                          # doctest: +SKIP
    """
    every = check_int("every", every, 1)
    fps = check_real("fps", fps, 0, strict_minimum=True)
    view_ = BlochFigure(_runs(source, compare, labels), spins,
                        together=together, view=view, overlay=overlay)
    frames = np.arange(0, len(view_.times), every)
    anim = animation.FuncAnimation(
        view_.fig, lambda i: view_.draw(i) and [], frames=frames,
        init_func=lambda: [], interval=1000.0 / fps, blit=False,
        repeat=True, cache_frame_data=False)
    anim.bloch_figure = view_
    anim.frame_indices = frames
    anim.fps = fps
    return anim


def _writer_name(path, key="--out"):
    suffix = Path(path).suffix.lower()
    if suffix not in ANIMATION_WRITERS:
        raise ConfigError(key, f"unknown animation format {suffix or path!r}"
                          f"; expected {', '.join(ANIMATION_WRITERS)} (or "
                          f"{', '.join(FRAME_FORMATS)} with --frame)")
    name = ANIMATION_WRITERS[suffix]
    if not animation.writers.is_available(name):
        raise ConfigError(key, f"writing {suffix} needs {name}, which was "
                          "not found; install ffmpeg or write a .gif "
                          "(Pillow only)")
    return name


def check_animation_path(path, *, inputs=(), overwrite=False, key="--out"):
    """Check an animation's format and output path before anything is drawn.

    Parameters
    ----------
    path : str or os.PathLike
        ``.gif`` (Pillow) or ``.mp4`` (ffmpeg must be installed).
    inputs, overwrite, key
        As for :func:`qutip_stt.io.check_output_path`.

    Returns
    -------
    str
        The matplotlib writer name.

    Raises
    ------
    ConfigError
        Naming ``--out``: unknown suffix, missing ffmpeg, or a path the
        output-file policy refuses.

    Examples
    --------
    >>> check_animation_path("spins.avi")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: --out: unknown animation format '.avi'; expected .gif, .mp4 (or .png, .pdf, .svg with --frame)
    """
    check_output_path(path, inputs=inputs, overwrite=overwrite, key=key)
    return _writer_name(path, key)


def check_frame_path(path, *, inputs=(), overwrite=False, key="--out"):
    """Check a still frame's format and output path before anything is drawn.

    Parameters
    ----------
    path : str or os.PathLike
        ``.png``, ``.pdf`` or ``.svg``.
    inputs, overwrite
        As for :func:`qutip_stt.io.check_output_path`.

    Returns
    -------
    str
        The format (``"png"``, ``"pdf"``, ``"svg"``).

    Examples
    --------
    >>> check_frame_path("frame.jpg")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: --out: unknown still-frame format '.jpg'; expected .png, .pdf, .svg
    """
    path = check_output_path(path, inputs=inputs, overwrite=overwrite,
                             key=key)
    suffix = Path(path).suffix.lower()
    if suffix not in FRAME_FORMATS:
        raise ConfigError(key, f"unknown still-frame format "
                          f"{suffix or path!r}; expected "
                          f"{', '.join(FRAME_FORMATS)}")
    return suffix[1:]


def save_animation(anim, path, *, dpi=DEFAULT_DPI, progress_bar=None,
                   overwrite=False, inputs=()):
    """Write an animation of :func:`animate` as GIF (Pillow) or MP4 (ffmpeg), atomically.

    Parameters
    ----------
    anim : matplotlib.animation.FuncAnimation
        From :func:`animate`.
    path : str or os.PathLike
        ``.gif`` (matplotlib + Pillow) or ``.mp4`` (needs ffmpeg).
    dpi : int, default: DEFAULT_DPI
    progress_bar : str, optional
        A QuTiP progress bar name (``"tqdm"``, ``"text"``, ``"enhanced"``).
    overwrite : bool, default: False
        Replace an existing file that is not a qutip-stt output.
    inputs : sequence of str, optional
        Files read to make the animation (never replaced).

    Returns
    -------
    str
        ``path``; the file appears only when complete.

    Raises
    ------
    ConfigError
        For an unknown suffix, a missing ffmpeg or an unwritable path.

    Examples
    --------
    >>> anim = animate(result, "all", every=2)                 # doctest: +SKIP
    >>> save_animation(anim, "spins.gif", progress_bar="tqdm")  # doctest: +SKIP
    'spins.gif'
    """
    path = os.fspath(path)
    name = check_animation_path(path, inputs=inputs, overwrite=overwrite)
    dpi = check_int("dpi", dpi, 10, 1000)
    bar = make_bar(progress_bar, len(anim.frame_indices), "animation frames")
    # written here, even if interrupted: matplotlib need not warn that the
    # animation was deleted unrendered (a second line after a Ctrl-C)
    anim._draw_was_started = True
    with atomic_file(path, inputs=inputs, overwrite=overwrite) as tmp:
        with _writer_errors(tmp):
            _write_frames(anim, name, tmp, dpi, bar)
    bar.finished()
    return path


def _write_frames(anim, name, tmp, dpi, bar):
    """Stream the frames of :mod:`qutip_stt.viz.frames` to the writer:
    Pillow's GIF encoder takes them from a generator (the pixels it
    quantizes are those of matplotlib's Pillow writer), ffmpeg from its
    pipe as matplotlib's writer feeds it."""
    def frames(mode):
        for frame in frame_images(anim.bloch_figure, anim.frame_indices,
                                  dpi, mode=mode):
            yield frame
            bar.update()

    if name == "pillow":
        images = frames("gif")
        first = next(images)
        with open(tmp, "wb") as out:      # closed on an interrupt too
            first.save(out, format="GIF", save_all=True,
                       append_images=images, duration=int(1000 / anim.fps),
                       loop=0)
        return
    writer = animation.writers[name](fps=anim.fps)
    # setup first: ffmpeg's writer evens the figure size for h264
    with writer.saving(anim.bloch_figure.fig, tmp, dpi):
        for rgba in frames("rgba"):
            writer._proc.stdin.write(rgba)


@contextlib.contextmanager
def _writer_errors(tmp):
    """Raise the write errors an external writer reports but exits 0 on,
    and the interrupt a writer's clean-up error would hide.

    ffmpeg prints "Error writing trailer ...: No space left on device" and
    still exits with status 0 when the disk fills up; matplotlib logs its
    stderr. Any such line becomes an :class:`OSError`, so the truncated
    file is removed instead of renamed into place.
    """
    import logging

    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.extend(str(record.getMessage()).splitlines())

    logger = logging.getLogger("matplotlib.animation")
    handler, level = Collect(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    except Exception as exc:
        # an interrupt in the first frames makes the writer's own clean-up
        # fail (Pillow's writer indexes its empty frame list): the
        # interrupt is what happened, not the writer's error
        cause = exc.__context__
        while cause is not None:
            if not isinstance(cause, Exception):
                raise cause from None
            cause = cause.__context__
        # ffmpeg that stopped (a full disk when it opens or writes the file)
        # closes its pipe: matplotlib raises BrokenPipeError for the frame
        # and then CalledProcessError from its clean-up
        if isinstance(exc, (subprocess.CalledProcessError, BrokenPipeError)):
            stderr = getattr(exc, "stderr", None) or b""
            if isinstance(stderr, bytes):
                stderr = stderr.decode(errors="replace")
            lines.extend(stderr.splitlines())
            raise _writer_error(lines, tmp, always=True) from None
        raise
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    error = _writer_error(lines, tmp)
    if error is not None:
        raise error


def _writer_error(lines, tmp, always=False):
    """The :class:`OSError` that a writer's log lines report (or None)."""
    bad = [line for line in lines if line.lstrip().startswith("Error")
           or "No space left" in line or "I/O error" in line]
    if not bad and not always:
        return None
    code = errno.ENOSPC if any("No space" in b for b in bad) else errno.EIO
    return OSError(code, os.strerror(code), tmp)


def save_frame(source, path, spins="local:1", *, time=None, compare=None,
               together=False, labels=None, dpi=DEFAULT_DPI, view=None,
               overlay=False, overwrite=False):
    """Write one still frame (PNG, PDF or SVG) of the Bloch spheres, atomically.

    Parameters
    ----------
    source, spins, time, compare, together, labels, view, overlay
        As for :func:`plot_bloch` (``time`` in fs, default the last output).
    path : str or os.PathLike
        ``.png``, ``.pdf`` or ``.svg``.
    dpi : int, default: DEFAULT_DPI
    overwrite : bool, default: False
        Replace an existing file that is not a qutip-stt output.

    Returns
    -------
    str
        ``path``.

    Examples
    --------
    >>> save_frame("paper-collinear.h5", "collinear.png", time=500)  # doctest: +SKIP
    """
    path = os.fspath(path)
    inputs = [s for s in [source] + (list(compare) if isinstance(
        compare, (list, tuple)) else [compare]) if isinstance(
            s, (str, os.PathLike))]
    fmt = check_frame_path(path, inputs=inputs, overwrite=overwrite)
    dpi = check_int("dpi", dpi, 10, 1000)
    view_ = BlochFigure(_runs(source, compare, labels), spins,
                        together=together, view=view, overlay=overlay)
    index = (len(view_.times) - 1 if time is None
             else _time_index(view_, time))
    view_.draw(index)
    with atomic_file(path, inputs=inputs, overwrite=overwrite) as tmp:
        view_.fig.savefig(tmp, dpi=dpi, format=fmt)
    return path
