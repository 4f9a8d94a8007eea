"""Spin data of one run, read for the Bloch views through the schema check.

:func:`load_run` accepts a :class:`~qutip_stt.solvers.STTResult`, the dict
of :func:`qutip_stt.io.read_result` or the path of a result file (read with
:func:`~qutip_stt.io.read_result`, so with the layout check of
:mod:`qutip_stt.io.schema`), and returns a :class:`Run`.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from .results import read_result

__all__ = ["Run", "load_run"]


@dataclass
class Run:
    """The spin data of one run, as the Bloch views need it.

    Attributes
    ----------
    times : numpy.ndarray
        ``(T,)`` output times, fs.
    electron_spin : numpy.ndarray
        ``(T, 3)`` ``<sigma_x,y,z>`` of the electron, units hbar/2.
    local_spin : numpy.ndarray
        ``(T, N, 3)`` ``<Sigma_x,y,z>`` of every local spin, units hbar/2.
    S : float
        Local spin size.
    purity_local : numpy.ndarray
        ``(T,)`` ``Tr rho^2`` of all local spins together (Eq. 7).
    label : str
        Short name shown on the figure (file stem, plus "collinear" or
        "noncollinear" from the initial electron and local-spin directions).
    time_symbol, time_unit : str
        How the frame axis is named: ``"t"``, ``"fs"`` for a run; an
        electron train (:mod:`qutip_stt.trains`) uses ``"n"`` and ``""``.
    kind : str
        ``"quantum"``, or ``"classical"`` for a run of method
        ``"classical"`` (its file attribute ``classical``).
    """

    times: np.ndarray
    electron_spin: np.ndarray
    local_spin: np.ndarray
    S: float
    purity_local: np.ndarray
    label: str
    time_symbol: str = "t"
    time_unit: str = "fs"
    kind: str = "quantum"

    def time_text(self, t):
        """The frame label, ``"t = 12.0 fs"`` or ``"n = 3"``."""
        if self.time_unit:
            return f"{self.time_symbol} = {t:.1f} {self.time_unit}"
        return f"{self.time_symbol} = {t:g}"

    @property
    def axis_label(self):
        """``"t (fs)"`` or ``"n"``."""
        return (f"{self.time_symbol} ({self.time_unit})" if self.time_unit
                else self.time_symbol)

    @property
    def N(self):
        """Number of local spins."""
        return self.local_spin.shape[1]

    @property
    def geometry(self):
        """``"collinear"`` if the electron and local spin 1 start (anti)parallel, else ``"noncollinear"``."""
        e, s = self.electron_spin[0], self.local_spin[0, 0]
        cross = np.linalg.norm(np.cross(e, s))
        scale = max(np.linalg.norm(e) * np.linalg.norm(s), 1e-300)
        return "collinear" if cross <= 1e-8 * scale else "noncollinear"


def load_run(source, label=None):
    """Spin data of a run from a result object, a ``read_result`` dict or a file.

    Parameters
    ----------
    source : STTResult, dict, str or os.PathLike, or Run
        A result of :func:`qutip_stt.simulate` / :func:`qutip_stt.evolve`,
        the dict of :func:`qutip_stt.io.read_result`, or the path of an HDF5
        file written by ``qutip-stt simulate``.
    label : str, optional
        Name shown on the figure; default: the file stem (or ``"run"``) and
        the geometry, e.g. ``"paper-collinear (collinear)"``.

    Returns
    -------
    Run

    Raises
    ------
    ConfigError
        If the file is missing or not a qutip-stt result, or the object holds
        no spin data.

    Examples
    --------
    >>> run = load_run("paper-collinear.h5")            # doctest: +SKIP
    >>> run.local_spin.shape                             # doctest: +SKIP
    (101, 5, 3)
    """
    if isinstance(source, Run):
        return source
    stem = "run"
    if isinstance(source, (str, os.PathLike)):
        stem = Path(source).stem
        source = read_result(source)
    if isinstance(source, dict):
        get = source.get
        classical = bool(source.get("attrs", {}).get("classical", False))
        S = source.get("attrs", {}).get("model_S")
        if S is None and "config" in source:
            S = source["config"]["local_spins"]["spin"]
    else:
        def get(name):
            return getattr(source, name, None)
        classical = getattr(source, "method", None) == "classical"
        S = getattr(getattr(source, "model", None), "S", None)
    fields = {name: get(name) for name in (
        "times", "electron_spin", "local_spin", "purity_local")}
    missing = [name for name, value in fields.items() if value is None]
    if missing or S is None:
        raise ConfigError("run", "expected an STTResult, a read_result dict or "
                          "a qutip-stt HDF5 file; missing "
                          + ", ".join(missing or ["the local spin size S"]))
    S = _spin_size(S)
    run = Run(times=np.asarray(fields["times"], float),
              electron_spin=np.asarray(fields["electron_spin"], float),
              local_spin=np.asarray(fields["local_spin"], float),
              S=S, purity_local=np.asarray(fields["purity_local"], float),
              label="", kind="classical" if classical else "quantum")
    run.label = label if label is not None else f"{stem} ({run.geometry})"
    return run


def _spin_size(S):
    """The local spin size as a float, or a one-line refusal."""
    try:
        value = float(S)
    except (TypeError, ValueError):
        value = float("nan")
    if not (np.isfinite(value) and value > 0 and (2 * value).is_integer()):
        raise ConfigError("run", f"local spin size S must be a positive "
                          f"half-integer, got {S!r}")
    return value
