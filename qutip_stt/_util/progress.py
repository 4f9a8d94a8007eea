"""Progress bars that name the stage they measure.

QuTiP's text bar prints ``15.4%. Run time: 25.73s``; a reproduction has
several stages (spectrum, four runs, figures), so every line here starts
with the stage: ``run 2 of 4 (fig4_noncollinear): 40%  (3.1 s, ~4.6 s
left)``. :class:`StageTextProgressBar` has the interface of QuTiP's bars
(``update``, ``finished``, ``total_time``) and is registered in QuTiP's
``progress_bars`` under :data:`STAGE_TEXT` (by :func:`bar_options`), so
``qutip.sesolve`` builds it from its ``progress_bar`` / ``progress_kwargs``
options like its own bars.

Every layer takes a bar *name* (``"text"``, ``"tqdm"``, ``"enhanced"``,
``""``) and a stage text and calls :func:`make_bar` (or :func:`bar_options`
for QuTiP's solver options); the command line only picks the name. No bar,
the text bar and tqdm are built here without importing QuTiP (the command
line's default route never needs it); the other names are QuTiP's.
"""

import time

__all__ = ["STAGE_TEXT", "SilentBar", "StageTextProgressBar", "bar_options",
           "make_bar"]

#: Name of :class:`StageTextProgressBar` in ``qutip.ui.progressbar.progress_bars``.
STAGE_TEXT = "qutip-stt-text"


class SilentBar:
    """A bar that prints nothing, with the interface of QuTiP's bars.

    ``update``, ``finished`` and ``total_time`` as
    ``qutip.ui.progressbar.BaseProgressBar``, without importing QuTiP.

    Parameters
    ----------
    iterations : int
        Number of :meth:`update` calls that make 100%.
    chunk_size : float, default: 10

    Examples
    --------
    >>> bar = SilentBar(2)
    >>> bar.update(); bar.finished(); bar.n
    1
    """

    def __init__(self, iterations=0, chunk_size=10, **kwargs):
        self.N = float(iterations)
        self.n = 0
        self.p_chunk_size = self.p_chunk = chunk_size
        self.t_start = time.time()
        self.t_done = self.t_start - 1

    def update(self):
        self.n += 1

    def total_time(self):
        return self.t_done - self.t_start

    def finished(self):
        self.t_done = time.time()


class _TqdmBar(SilentBar):
    """A :mod:`tqdm` bar (``tqdm.auto``), as QuTiP's ``"tqdm"``."""

    def __init__(self, iterations=0, chunk_size=10, **kwargs):
        from tqdm.auto import tqdm
        super().__init__(iterations, chunk_size)
        self.pbar = tqdm(total=iterations, **kwargs)

    def update(self):
        self.pbar.update()

    def finished(self):
        self.pbar.close()
        super().finished()


class StageTextProgressBar(SilentBar):
    """Plain-text progress lines, each naming the stage.

    Parameters
    ----------
    iterations : int
        Number of :meth:`update` calls that make 100%.
    chunk_size : float, default: 10
        Print a line every ``chunk_size`` per cent.
    stage : str, default: "progress"
        Printed at the start of every line.

    Examples
    --------
    >>> bar = StageTextProgressBar(2, stage="figures")
    >>> bar.update()                             # doctest: +ELLIPSIS
    figures: 50% (... s, ~... s left)
    """

    def __init__(self, iterations=0, chunk_size=10, stage="progress",
                 **kwargs):
        super().__init__(iterations, chunk_size)
        self.stage = stage or "progress"

    def update(self):
        self.n += 1
        p = 100.0 * self.n / self.N if self.N else 100.0
        if p >= self.p_chunk:
            elapsed = time.time() - self.t_start
            left = elapsed * (100.0 - p) / p if p > 0 else 0.0
            print(f"{self.stage}: {p:.0f}% ({elapsed:.1f} s, "
                  f"~{left:.1f} s left)", flush=True)
            while self.p_chunk <= p:
                self.p_chunk += self.p_chunk_size

    def finished(self):
        self.t_done = time.time()
        print(f"{self.stage}: done in {self.total_time():.1f} s", flush=True)


def bar_options(name, stage=None):
    """The registered bar name and keyword arguments for a bar name and a stage.

    ``"text"`` becomes :data:`STAGE_TEXT` with ``stage``, ``"tqdm"`` gets
    ``desc=stage``; other bars are unchanged (and print no stage).

    Parameters
    ----------
    name : str or None
        A QuTiP progress bar name (``""`` or None for none).
    stage : str, optional
        What the bar measures (``"spectrum"``, ``"run 2 of 4"``, ...).

    Returns
    -------
    (str, dict)
        A key of ``qutip.ui.progressbar.progress_bars`` and the keyword
        arguments for it (QuTiP's ``progress_kwargs``).

    Examples
    --------
    >>> bar_options("text", "spectrum")
    ('qutip-stt-text', {'stage': 'spectrum'})
    >>> bar_options("", "spectrum")
    ('', {})
    """
    if stage and name in ("text", "Text", STAGE_TEXT):
        from qutip.ui.progressbar import progress_bars
        progress_bars.setdefault(STAGE_TEXT, StageTextProgressBar)
        return STAGE_TEXT, {"stage": stage}
    if stage and name in ("tqdm", "Tqdm"):
        return name, {"desc": stage}
    return name or "", {}


def make_bar(name, iterations, stage=None):
    """A QuTiP progress bar of ``iterations`` steps that names ``stage``.

    Parameters
    ----------
    name : str or None
        A QuTiP progress bar name; ``""`` or None gives a silent bar.
    iterations : int
    stage : str, optional

    Returns
    -------
    object
        With QuTiP's bar interface (``update``, ``finished``); no bar, the
        text bar of a stage and ``"tqdm"`` are built without importing
        QuTiP.

    Examples
    --------
    >>> bar = make_bar("", 3)
    >>> bar.update(); bar.finished()
    """
    if not name:
        return SilentBar(iterations)
    if stage and name in ("text", "Text", STAGE_TEXT):
        return StageTextProgressBar(iterations, stage=stage)
    if name in ("tqdm", "Tqdm"):
        return _TqdmBar(iterations, **({"desc": stage} if stage else {}))
    from qutip.ui.progressbar import progress_bars
    key, kwargs = bar_options(name, stage)
    return progress_bars[key](iterations, **kwargs)
