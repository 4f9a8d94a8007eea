"""Animation frames drawn fast: the still parts once, the moving parts per frame.

A frame of a :class:`~qutip_stt.viz.bloch_figure.BlochFigure` is mostly
still: the colour bar, the ``|S|(t)`` strips with their ticks and curves,
the note, and on every sphere its surfaces, wireframe, equators and axis
labels. :class:`FrameRenderer` draws the figure once without the spheres and
the moving texts, keeps that picture (Agg ``copy_from_bbox``), and for each
frame restores it, redraws each sphere's axes with its static artists
(drawn by :meth:`qutip.Bloch.render` once) and the frame's points and
vectors (:meth:`qutip.Bloch.plot_points`, :meth:`qutip.Bloch.plot_vectors`:
QuTiP's own artists and styles, depth-sorted by matplotlib as in a full
draw), then the titles, the time label and the strips' cursors. A frame is
then a few tens of milliseconds instead of a whole figure twice.

:func:`frame_images` draws frame ranges in worker processes on the
available cores and yields the frames in order, one at a time; the writers
of :mod:`qutip_stt.viz.animation` consume them as they come (Pillow's GIF
encoder, ffmpeg's pipe), so no list of RGBA frames is ever held.
"""

import multiprocessing as mp
import os
import signal

import numpy as np

__all__ = ["FrameRenderer", "frame_images", "frame_geometry", "fresh_fonts"]


class FrameRenderer:
    """Draw the frames of a :class:`~qutip_stt.viz.bloch_figure.BlochFigure` on its Agg canvas.

    Parameters
    ----------
    view : BlochFigure
    dpi : int
        Dots per inch of the frames (the figure is drawn at this dpi).

    Attributes
    ----------
    size : (int, int)
        Width and height of a frame, pixels.

    Examples
    --------
    >>> from qutip_stt.viz.bloch_figure import BlochFigure
    >>> view = BlochFigure(["paper-collinear.h5"])          # doctest: +SKIP
    >>> rgba = FrameRenderer(view, 100).render(50)           # doctest: +SKIP
    >>> rgba.shape                                           # doctest: +SKIP
    (470, 320, 4)
    """

    def __init__(self, view, dpi):
        self.view = view
        fig = view.fig
        fig.set_dpi(dpi)
        self.canvas = fig.canvas
        view.draw(0)                      # every sphere rendered once
        self.spheres = [b.axes for row in view.blochs for b in row]
        texts = [view.time_text] + [t for title in view.titles for t in title]
        cursors = [a for vline, markers in view._cursors
                   for a in (*markers, vline)]
        self.moving = texts + cursors
        # the strips' frames are drawn over their cursors (spines come after
        # lines in a full draw)
        self.moving += [spine for vline, _ in view._cursors
                        for spine in vline.axes.spines.values()]
        for artist in self.spheres + self.moving:
            artist.set_visible(False)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(fig.bbox)
        for artist in self.spheres + self.moving:
            artist.set_visible(True)
        self.renderer = self.canvas.get_renderer()
        self.size = (int(self.renderer.width), int(self.renderer.height))

    def render(self, index):
        """The RGBA pixels of the frame at time index ``index``.

        Returns
        -------
        numpy.ndarray
            ``(height, width, 4)`` uint8, a view of the canvas (copy it
            before the next frame).
        """
        self.view.draw(index, paint=_paint_data)
        self.canvas.restore_region(self.background)
        for ax in self.spheres:
            ax.draw(self.renderer)
        for artist in self.moving:
            artist.draw(self.renderer)
        return np.asarray(self.canvas.buffer_rgba())


def _paint_data(bloch):
    """Replace a sphere's points and vectors by those of ``bloch`` (a fresh
    :class:`qutip.Bloch` on the same axes, holding this frame's data)."""
    from qutip.bloch import Arrow3D
    from mpl_toolkits.mplot3d.art3d import Path3DCollection

    for artist in list(bloch.axes.collections) + list(bloch.axes.patches):
        if isinstance(artist, (Path3DCollection, Arrow3D)):
            artist.remove()
    bloch.plot_points()
    bloch.plot_vectors()


#: Frames per range a worker draws and sends at once.
CHUNK = 8
#: Fewer frames than this are drawn in the calling process.
PARALLEL_FROM = 24

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def frame_images(view, indices, dpi, *, mode="gif", workers=None):
    """The frames at ``indices``, in order, one at a time.

    Frame ranges are drawn in worker processes on the available cores
    (forked, so each starts with the figure already built; each draws the
    still parts once), and converted there as the writer needs them:
    ``"gif"`` as matplotlib's Pillow writer grabs a frame (RGB when opaque)
    and then as Pillow's GIF encoder does (``convert("P",
    palette=ADAPTIVE)``), so the encoder writes the same bytes; ``"rgba"``
    the raw pixels for ffmpeg's pipe.

    Parameters
    ----------
    view : BlochFigure
    indices : sequence of int
        Time indices of the frames.
    dpi : int
    mode : {"gif", "rgba"}
    workers : int, optional
        Processes; default one per available core (one, in this process,
        for fewer than :data:`PARALLEL_FROM` frames or one core).

    Yields
    ------
    PIL.Image.Image or bytes
        Per frame: an image for the GIF encoder, or the RGBA bytes.

    Notes
    -----
    Worker ``w`` draws the ranges ``w, w + W, w + 2W, ...`` and sends each
    through its own pipe, which holds at most a range or so: the frames are
    read back range by range, in order. There is no pool: no thread forks
    replacement workers while the command stops. Ctrl-C and SIGTERM are
    blocked while the workers are forked (a signal then waits for the
    command's own code, instead of landing in a fork hook where Python
    ignores the exception); a worker ignores Ctrl-C, and whenever the
    generator ends, normally or not, the workers are killed and reaped.
    """
    indices = [int(i) for i in indices]
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(
            os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(workers, -(-len(indices) // CHUNK))
    if workers <= 1 or len(indices) < PARALLEL_FROM or \
            "fork" not in mp.get_all_start_methods():
        renderer = FrameRenderer(view, dpi)
        for index in indices:
            yield _convert(renderer, index, mode)
        return
    chunks = [indices[k:k + CHUNK] for k in range(0, len(indices), CHUNK)]
    context = mp.get_context("fork")
    procs, pipes = [], []
    try:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            for w in range(workers):
                receive, send = context.Pipe(duplex=False)
                proc = context.Process(
                    target=_worker, daemon=True,
                    args=(view, dpi, mode, chunks[w::workers], send,
                          blocked))
                proc.start()
                send.close()
                procs.append(proc)
                pipes.append(receive)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        for k in range(len(chunks)):
            try:
                frames = pipes[k % workers].recv()
            except EOFError:
                raise RuntimeError(
                    f"an animation worker ended without its frames (exit "
                    f"status {procs[k % workers].exitcode})") from None
            yield from frames
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.join()
        for pipe in pipes:
            pipe.close()


def _worker(view, dpi, mode, chunks, send, mask):
    """A worker process: Ctrl-C and SIGTERM left to the command (which
    kills the workers), then the converted frames of each range sent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    fresh_fonts()
    renderer = FrameRenderer(view, dpi)
    try:
        for chunk in chunks:
            send.send([_convert(renderer, i, mode) for i in chunk])
    except (BrokenPipeError, ConnectionResetError):
        pass                     # the command is gone: nothing to report
    send.close()


def fresh_fonts():
    """Drop the fonts a forked process inherited from its parent.

    A parsed mathtext label keeps its FreeType fonts (matplotlib's
    ``MathTextParser`` caches the parse), and a FreeType font reads its file
    through a descriptor whose offset a forked child shares with its parent
    and its siblings: two workers drawing the same label read each other's
    glyph bytes ("FT_Load_Glyph ... invalid outline", seen once in a
    parallel GIF). matplotlib already clears its own font cache in a forked
    child; this clears the parse cache too, so every label is parsed again
    with fonts opened by this process.

    Examples
    --------
    >>> from matplotlib import mathtext
    >>> fresh_fonts()
    >>> mathtext.MathTextParser._parse_cached.cache_info().currsize
    0
    """
    from matplotlib import mathtext

    cached = getattr(mathtext.MathTextParser, "_parse_cached", None)
    if hasattr(cached, "cache_clear"):
        cached.cache_clear()


def _convert(renderer, index, mode):
    from PIL import Image

    rgba = renderer.render(index)
    if mode == "rgba":
        return rgba.tobytes()
    im = Image.frombuffer("RGBA", renderer.size, rgba.tobytes(), "raw",
                          "RGBA", 0, 1)
    if im.getextrema()[3][0] < 255:
        return im
    return im.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE)


def frame_geometry(view, index):
    """What a frame shows on each sphere: the vectors and their lengths.

    Parameters
    ----------
    view : BlochFigure
    index : int
        Time index of the first run.

    Returns
    -------
    list of dict
        One per sphere (row by row): ``names`` (the spins), ``vectors``
        (``(k, 3)``, as drawn: local spins divided by ``2S``) and
        ``lengths`` (``|<Sigma>|`` of each spin in units of hbar/2, the
        drawn length times ``2S`` for a local spin).

    Examples
    --------
    >>> geometry = frame_geometry(view, 50)                  # doctest: +SKIP
    >>> geometry[0]["lengths"]                               # doctest: +SKIP
    array([0.9405])
    """
    t = view.times[index]
    out = []
    rows = [view.runs[0]] * len(view.panels) if view.overlay else view.runs
    for run, row in zip(rows, view.panels):
        i = view.index_at(run, t)
        for group in row:
            names = [item[0] for item in group]
            vectors = np.array([item[1][i] for item in group])
            scale = np.array([1.0 if name == "electron" else 2 * run.S
                              for name in names])
            out.append({"names": names, "vectors": vectors,
                        "lengths": np.linalg.norm(vectors, axis=1) * scale})
    return out
