"""One output policy for every command: all it will write, checked before the work.

A command declares every file it will write (:meth:`Outputs.add`) before it
computes anything; each is checked at once, with the option that named it:

* the output-file policy of :func:`qutip_stt.io.check_output_path` (a
  writable file name, never a link, device or FIFO, an existing file
  replaced only if it is a qutip-stt output of that format or ``--force``
  is given), with the command's inputs never replaced, even with
  ``--force``;
* the format its option stands for (an HDF5 result ends in ``.h5`` or
  ``.hdf5``, a figure in a format matplotlib writes, an animation in
  ``.gif`` or ``.mp4``);
* no two outputs of the command are the same file.

While the command runs, each output is locked
(:func:`qutip_stt.io.locks.output_lock`): a second writer on the same file
is refused, as for sweeps.
"""

import contextlib
import os

from ..errors import ConfigError

__all__ = ["Outputs", "HDF5", "FIGURE", "ANIMATION", "FRAME"]

#: The kinds of output a command writes.
HDF5, FIGURE, ANIMATION, FRAME = "hdf5", "figure", "animation", "frame"


def _identity(path):
    """What makes two names one file: the inode of an existing file (a hard
    link is the same file), else the resolved path."""
    try:
        st = os.stat(path)
        return (st.st_dev, st.st_ino)
    except OSError:
        return os.path.realpath(path)


class Outputs(contextlib.ExitStack):
    """The files a command will write, checked and then locked.

    Parameters
    ----------
    inputs : sequence of str
        The files the command reads (never replaced).
    force : bool, default: False
        ``--force``: replace an existing file that is not a qutip-stt output.
    state : qutip_stt.cli.RunState, optional
        Told of every output (what an interrupt reports).

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with Outputs([]) as outputs:
    ...     path = outputs.add(os.path.join(folder, "run.h5"), "--out", HDF5)
    >>> outputs.add(os.path.join(folder, "run.png"), "--out", HDF5)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: --out: ... does not end in .h5 or .hdf5, the format this output is written in (PNG is another)
    """

    def __init__(self, inputs=(), force=False, state=None):
        super().__init__()
        self.inputs = [p for p in inputs if p is not None]
        self.force = bool(force)
        self.state = state
        self.paths = {}

    def add(self, path, option, kind=HDF5):
        """Check one output (see the module) and lock it; return its path.

        Parameters
        ----------
        path : str or os.PathLike
        option : str
            The option that named it (``"--out"``, ``"--plot"``, ...).
        kind : {"hdf5", "figure", "animation", "frame"}, default: "hdf5"

        Returns
        -------
        str
            For an animation, the path; use :meth:`writer` for its writer.
        """
        from ..io import check_output_path
        from ..io.locks import output_lock

        opts = dict(inputs=self.inputs, overwrite=self.force, key=option)
        if kind == HDF5:
            path = check_output_path(path, formats=(".h5", ".hdf5"), **opts)
        elif kind == FIGURE:
            from ..viz.sweep_plots import check_figure_path
            path = check_figure_path(path, option, inputs=self.inputs,
                                     overwrite=self.force)
        elif kind == ANIMATION:
            from ..viz.animation import check_animation_path
            check_animation_path(path, **opts)
            path = os.fspath(path)
        elif kind == FRAME:
            from ..viz.animation import check_frame_path
            check_frame_path(path, **opts)
            path = os.fspath(path)
        else:
            raise ValueError(f"kind: unknown output kind {kind!r}")
        real = _identity(path)
        if real in self.paths:
            raise ConfigError(option, f"{path} is also the output of "
                              f"{self.paths[real]}: give each output its "
                              "own name")
        self.paths[real] = option
        self.enter_context(output_lock(path, option))
        if self.state is not None:
            self.state.outputs.append(path)
        return path
