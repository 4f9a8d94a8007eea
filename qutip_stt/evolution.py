r"""Time evolution of the electron + local-spins state, times in femtoseconds.

All routes integrate ``i hbar d|psi>/dt = H |psi>`` for the Qobj Hamiltonian
of :class:`~qutip_stt.model.STTModel` (eV), with ``hbar`` in eV fs, and go
through :func:`qutip.sesolve`; they differ only in the integrator:

``"sesolve"``
    QuTiP's adaptive 8th-order Runge-Kutta integrator (``dop853``), tolerances
    tightened to ``atol = 1e-10``, ``rtol = 1e-8`` (see :data:`SESOLVE_OPTIONS`).
``"crank-nicolson"``
    our :class:`~qutip_stt.integrators.CrankNicolson` (fixed step ``dt``, fs).
``"chebyshev"``
    the state is split into total-S^z sectors, each evolved with an exact
    Chebyshev series (:mod:`qutip_stt.sectors`, :mod:`qutip_stt.propagators`);
    ``options={"tol": ...}`` sets the series tolerance.
``"auto"``
    the fastest exact route available, ``"chebyshev"`` (see :func:`resolve_method`).

Observables are reduced from each state as the run goes
(:class:`~qutip_stt.analysis.ObservableRecorder`); states are kept only when
asked. Every route returns an :class:`STTResult`.
"""

import time
from dataclasses import dataclass, field

import numpy as np
import qutip

from . import integrators  # noqa: F401  (registers "crank-nicolson")
from .analysis import ObservableRecorder
from .constants import HBAR_EV_FS
from .errors import ConfigError
from .propagators import DEFAULT_TOL
from .validation import check_int, check_real

__all__ = ["evolve", "STTResult", "METHODS", "SESOLVE_OPTIONS",
           "DEFAULT_DT", "resolve_method", "output_times", "last_progress"]

#: Output times reached by the evolution running now (read by the CLI on
#: interrupt): the list every route appends to.
_ACTIVE = {"times": None}


def last_progress():
    """Last output time (fs) reached by the running or last evolution.

    Returns
    -------
    float or None
        ``None`` before any evolution has reached an output time.
    """
    times = _ACTIVE["times"]
    return times[-1] if times else None

#: Default Crank-Nicolson step, fs. On the paper's collinear case it gives a
#: largest error of 1.2e-5 in any spin component or purity (0.05 fs: 3e-6).
DEFAULT_DT = 0.1

#: Options handed to qutip.sesolve for method "sesolve".
SESOLVE_OPTIONS = {"method": "dop853", "atol": 1e-10, "rtol": 1e-8,
                   "nsteps": 100_000}

#: The evolution methods and what they are.
METHODS = {
    "auto": "fastest exact method for the state",
    "sesolve": "qutip.sesolve on the full space (dop853, atol 1e-10, rtol 1e-8)",
    "crank-nicolson": "Crank-Nicolson, sparse LU factorized once, fixed step dt",
    "chebyshev": "exact Chebyshev propagator on each total-S^z sector",
    "classical": "mean-field limit: classical local spins (LLG), quantum "
                 "electron; 4th-order exact-flow splitting, step doubling",
}


@dataclass
class STTResult:
    """Result of an evolution: times and every observable, like a QuTiP ``Result``.

    Attributes
    ----------
    times : numpy.ndarray
        Output times, fs, shape ``(T,)``.
    electron_spin : numpy.ndarray
        ``(T, 3)``: ``<sigma_x>, <sigma_y>, <sigma_z>`` of the electron.
    local_spin : numpy.ndarray
        ``(T, N, 3)``: the same for every local spin, units hbar/2.
    purity_local, purity_electron, purity_orbital : numpy.ndarray
        ``(T,)``: ``Tr rho^2`` of all local spins (Eq. 7), of the electron
        (orbital + spin), and of the electron orbital factor alone.
    entropy_local : numpy.ndarray
        ``(T,)``: von Neumann entropy of all local spins, natural log.
    probabilities : numpy.ndarray
        ``(T, M)``: Eq. (8), columns as in ``configurations``.
    configurations : numpy.ndarray
        ``(M, N+1)``: m of the electron then of each local spin per column.
    labels : list of str
        ``(M,)`` labels like ``"↓;↑↑↑↑↑"``.
    norm, energy, total_sz : numpy.ndarray
        ``(T,)``: ``<psi|psi>``, ``<H>`` in eV, total ``S^z`` in hbar/2.
    density : numpy.ndarray
        ``(T, Lx)``: electron probability on each site.
    states : list of qutip.Qobj or None
        Kets at every output time when ``store_states=True``.
    method : str
        The method that ran (``"auto"`` resolved).
    model : STTModel
    wall_time : float
        Seconds spent evolving and reducing.
    qutip_result : qutip.solver.Result or None
        The underlying QuTiP result where a QuTiP solver ran.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> result = evolve(model, initial_state(model, x0=20), [0, 5, 10])
    >>> result.method, result.purity_local.shape, sorted(result.expect)[:3]
    ('chebyshev', (3,), ['density', 'electron_spin', 'energy'])
    """

    times: np.ndarray
    electron_spin: np.ndarray
    local_spin: np.ndarray
    purity_local: np.ndarray
    purity_electron: np.ndarray
    purity_orbital: np.ndarray
    entropy_local: np.ndarray
    probabilities: np.ndarray
    configurations: np.ndarray
    labels: list
    norm: np.ndarray
    energy: np.ndarray
    total_sz: np.ndarray
    density: np.ndarray
    method: str
    model: object = field(repr=False)
    states: list = field(default=None, repr=False)
    wall_time: float = 0.0
    qutip_result: object = field(default=None, repr=False)
    file_attrs: dict = field(default_factory=dict, repr=False)

    @property
    def expect(self):
        """Observables as a dict of arrays, keyed like :data:`qutip_stt.analysis.OBSERVABLES`."""
        return {key: getattr(self, key) for key in (
            "electron_spin", "local_spin", "purity_local", "purity_electron",
            "purity_orbital", "entropy_local", "probabilities", "norm",
            "energy", "total_sz", "density")}

    @property
    def final_state(self):
        """The ket at the last time, if states were stored."""
        return self.states[-1] if self.states else None

    def summary(self):
        """A few lines: final spins, purities, norm and energy drift, wall time."""
        ls = self.local_spin[-1]
        lines = [
            f"method {self.method}: t = {self.times[0]:g}..{self.times[-1]:g} fs,"
            f" {len(self.times)} outputs, {self.wall_time:.2f} s",
            "final electron spin  (x, y, z) = "
            + " ".join(f"{v:+.5f}" for v in self.electron_spin[-1]),
        ]
        for n, v in enumerate(ls, start=1):
            lines.append(f"final local spin {n:<3d} (x, y, z) = "
                         + " ".join(f"{c:+.5f}" for c in v))
        purity = (f"final purity: local spins {self.purity_local[-1]:.6f}, "
                  f"electron {self.purity_electron[-1]:.6f}")
        if self.method == "classical":
            purity = ("classical run: local spins pure by definition; "
                      "total S^z drift "
                      f"{np.max(np.abs(self.total_sz - self.total_sz[0])):.2e}")
        lines += [
            purity,
            f"norm drift {np.max(np.abs(self.norm - self.norm[0])):.2e}, "
            f"energy drift {np.max(np.abs(self.energy - self.energy[0])):.2e}"
            " eV",
        ]
        return "\n".join(lines)


def output_times(t_max, n_times):
    """``numpy.linspace(0, t_max, n_times)`` after checking both (fs).

    Parameters
    ----------
    t_max : float
        Last time, fs, >= 0.
    n_times : int
        Number of output times, 1 .. 1,000,000.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> output_times(10, 3)
    array([ 0.,  5., 10.])
    """
    t_max = check_real("evolution.t_max", t_max, minimum=0)
    n_times = check_int("evolution.n_times", n_times, minimum=1,
                        maximum=1_000_000)
    return np.linspace(0.0, t_max, n_times)


def resolve_method(method, model=None, state=None):
    """Name of the method that ``method`` stands for (``"auto"`` resolved).

    Parameters
    ----------
    method : str
        A key of :data:`METHODS`.
    model : STTModel, optional
    state : qutip.Qobj, optional
        Reserved for choosing by size or state; not used at present.

    Returns
    -------
    str

    Examples
    --------
    >>> resolve_method("auto")
    'chebyshev'
    """
    if method not in METHODS:
        raise ConfigError("evolution.method", f"expected one of "
                          f"{', '.join(METHODS)}, got {method!r}")
    if method == "auto":
        return "chebyshev"
    return method


def _check_times(times):
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times.size == 0:
        raise ConfigError("times", "expected a non-empty 1-D list of times (fs)")
    if not np.all(np.isfinite(times)):
        raise ConfigError("times", "times must be finite (fs)")
    if np.any(np.diff(times) <= 0):
        raise ConfigError("times", "times must be strictly increasing (fs)")
    return times


def evolve(model, state, times, method="auto", *, dt=None, options=None,
           store_states=False, progress_bar=None):
    """Evolve ``state`` under the model's Hamiltonian and reduce it at each time.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Initial ket with the model's dims (for example from
        :func:`qutip_stt.initial_state`).
    times : array_like
        Increasing output times in fs; the evolution starts at ``times[0]``.
    method : {"auto", "chebyshev", "sesolve", "crank-nicolson", "classical"}, default: "auto"
        ``"classical"`` runs the mean-field limit
        (:mod:`qutip_stt.classical`) from the product ket ``state``.
    dt : float, optional
        Step of fixed-step methods, fs (default :data:`DEFAULT_DT`); the
        largest step of ``"classical"``.
    options : dict, optional
        Extra options for :func:`qutip.sesolve` (``atol``, ``rtol``, ...);
        ``"chebyshev"`` takes ``tol``, ``"classical"`` takes ``alpha``
        (Gilbert damping), ``tol`` and ``order``.
    store_states : bool, default: False
        Keep the ket at every output time in ``result.states``.
    progress_bar : str, optional
        A QuTiP progress bar: ``"text"``, ``"enhanced"``, ``"tqdm"``, ``"html"``.

    Returns
    -------
    STTResult

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> result = evolve(model, initial_state(model, x0=20), [0, 5, 10])
    >>> result.local_spin.shape
    (3, 2, 3)
    """
    times = _check_times(times)
    name = resolve_method(method, model, state)
    if not isinstance(state, qutip.Qobj) or not state.isket:
        raise ConfigError("state", "expected a ket (qutip.Qobj)")
    if state.dims[0] != model.dims:
        raise ConfigError("state", f"dims {state.dims[0]} do not match the "
                          f"model's {model.dims}")
    if name == "classical":
        return _evolve_classical(model, state, times, dt, options,
                                 store_states)
    if name == "chebyshev":
        from .sectors import evolve_sectors
        extra = dict(options or {})
        tol = extra.pop("tol", DEFAULT_TOL)
        if extra:
            raise ConfigError("options", f"method 'chebyshev' takes only "
                              f"'tol', got {', '.join(extra)}")
        _ACTIVE["times"] = reached = []
        t, arrays, states, wall = evolve_sectors(
            model, state, times, tol=tol, store_states=store_states,
            progress_bar=progress_bar, reached=reached)
        return build_result(model, t, arrays, name, states=states,
                            wall_time=wall)
    opts = {"progress_bar": progress_bar or "", "store_states": False,
            "store_final_state": False, "normalize_output": False}
    if name == "sesolve":
        opts.update(SESOLVE_OPTIONS)
    else:
        opts["method"] = name
        step = DEFAULT_DT if dt is None else dt
        opts["dt"] = check_real("evolution.dt", step, minimum=0,
                                strict_minimum=True)
    opts.update(options or {})

    start = time.perf_counter()
    recorder = ObservableRecorder(model, store_states=store_states)
    _ACTIVE["times"] = recorder.times
    H = model.hamiltonian / HBAR_EV_FS
    qres = qutip.sesolve(H, state, times, e_ops={"norm": recorder},
                         options=opts)
    wall = time.perf_counter() - start
    return build_result(model, recorder.times, recorder.arrays(), name,
                        states=recorder.states, wall_time=wall,
                        qutip_result=qres)


def _evolve_classical(model, state, times, dt, options, store_states):
    """Method ``"classical"``: :func:`qutip_stt.classical.evolve_classical`."""
    from .classical import (BY_DEFINITION, check_classical_options,
                            classical_initial_state, evolve_classical)
    if store_states:
        raise ConfigError("store_states", "method 'classical' has no "
                          "many-body ket to store (mean-field product state)")
    opts = check_classical_options(options)
    psi, M = classical_initial_state(model, state)
    _ACTIVE["times"] = reached = []
    t, arrays, info = evolve_classical(
        model, psi, M, times, dt=DEFAULT_DT if dt is None else dt,
        reached=reached, **opts)
    attrs = {"classical": True,
             "classical_model": "mean-field (Ehrenfest) electron + classical "
                                "LLG local spins, docs/theory.md",
             "classical_by_definition": "; ".join(
                 f"{k}: {v}" for k, v in BY_DEFINITION.items()),
             **{f"classical_{k}": v for k, v in info.items()}}
    return build_result(model, t, arrays, "classical",
                        wall_time=info["wall_s"], file_attrs=attrs)


def build_result(model, times, arrays, method, *, states=None, wall_time=0.0,
                 qutip_result=None, file_attrs=None):
    """Assemble an :class:`STTResult` from observable arrays (used by every route).

    Parameters
    ----------
    model : STTModel
    times : array_like
        Output times, fs.
    arrays : dict
        Observables keyed as :data:`qutip_stt.analysis.OBSERVABLES`.
    method : str
    states, wall_time, qutip_result
        Stored on the result as given.

    Returns
    -------
    STTResult
    """
    return STTResult(
        times=np.asarray(times, dtype=float),
        configurations=model.spin_configurations,
        labels=list(model.spin_configuration_labels),
        method=method, model=model, states=states, wall_time=wall_time,
        qutip_result=qutip_result, file_attrs=dict(file_attrs or {}),
        **arrays)
