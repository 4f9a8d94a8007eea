r"""Time evolution of the electron + local-spins state, times in femtoseconds.

Every route integrates ``i hbar d|psi>/dt = H |psi>`` for the Hamiltonian of
:class:`~qutip_stt.model.STTModel` (eV), with ``hbar`` in eV fs, and hands
the state at each output time to the one reducer
:func:`qutip_stt.reducer.reduce_amplitudes`. Two routes go through
:func:`qutip.sesolve` itself, one does not:

``"sesolve"``
    :func:`qutip.sesolve` with QuTiP's adaptive 8th-order Runge-Kutta
    integrator (``dop853``), tolerances tightened to ``atol = 1e-10``,
    ``rtol = 1e-8`` (see :data:`SESOLVE_OPTIONS`).
``"crank-nicolson"``
    :func:`qutip.sesolve` with our registered integrator
    :class:`~qutip_stt.solvers.crank_nicolson.CrankNicolson` (fixed step
    ``dt``, fs).
``"chebyshev"``
    not through ``sesolve``: the state is split into total-S^z sectors, each
    propagated exactly (:mod:`qutip_stt.solvers.sector_route`, Chebyshev
    series or eigenbasis); ``options={"tol": ...}`` sets the series
    tolerance.
``"auto"``
    the fastest exact route, ``"chebyshev"`` (see :func:`resolve_method`);
    ``"sesolve"`` with a :class:`FullSpaceWarning` when a transverse field
    breaks total-S^z conservation.

Observables are reduced as the run goes; states are kept only when asked.
Every route returns an :class:`~qutip_stt.solvers.result.STTResult` and, unless
told not to, warns (:class:`ReflectionWarning`) when the electron reaches a
chain end before the last output time.
"""

import threading
import time
import warnings

import numpy as np
import qutip

from . import crank_nicolson  # noqa: F401  (registers "crank-nicolson")
from ..blas_threads import one_blas_thread
from ..errors import ConfigError
from ..observables import ObservableRecorder
from ..progress import bar_options
from ..validation import check_int, check_ket, check_real
from .chebyshev import DEFAULT_TOL
from .methods import DEFAULT_DT, METHODS, SESOLVE_OPTIONS
from .result import STTResult, build_result  # noqa: F401  (return type)

__all__ = ["evolve", "resolve_method", "output_times",
           "ReflectionWarning", "FullSpaceWarning", "check_reflections", "warn_reflection"]

class ReflectionWarning(UserWarning):
    """The electron's reflection from a chain end reaches the local spins before
    the last output time.

    Results after the echo reaches them describe a finite chain, not
    scattering off an isolated chain of spins. Turn it into an error with
    ``warnings.simplefilter("error", ReflectionWarning)``; a longer
    ``chain.length`` removes it.
    """


def check_reflections(model, state, t_max):
    """Warn (:class:`ReflectionWarning`) if the electron's echo reaches the spins by ``t_max``.

    The electron's orbital state (its leading Schmidt components, exact for
    the product initial states of the paper) is propagated on the free
    chain with :func:`qutip_stt.states.reflection_times`.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        The initial ket.
    t_max : float
        Last output time, fs.

    Returns
    -------
    (float or None, float or None)
        ``t_edge`` and ``t_echo`` of :func:`qutip_stt.states.reflection_times`.
    """
    t_edge, t_echo = _reflection_check_times(model, state, t_max)
    warn_reflection(t_edge, t_echo, t_max, stacklevel=4)
    return t_edge, t_echo


def _reflection_check_times(model, state, t_max):
    """``(t_edge, t_echo)`` of :func:`check_reflections`, without warning."""
    from ..observables import amplitudes
    from ..states import reflection_times

    orbitals = _leading_orbitals(amplitudes(state, model))
    return reflection_times(model.Lx, gamma=model.gamma, sites=model.sites,
                            t_max=t_max, orbitals=orbitals)


class _ReflectionCheck:
    """:func:`check_reflections` in a background thread, beside the run.

    The sector route leaves the second core idle on the paper's runs, where
    the check is ~15% of the time: it runs there, and the warning is issued
    from the caller's thread at the first output time after the check ends
    (:meth:`at_output`), or when the run ends (:meth:`finish`).
    """

    def __init__(self, model, state, t_max):
        self.t_max = t_max
        self._result = []
        self._warned = False
        self._thread = threading.Thread(
            target=self._run, args=(model, state, t_max), daemon=True,
            name="qutip-stt reflection check")
        self._thread.start()

    def _run(self, model, state, t_max):
        try:
            self._result.append(_reflection_check_times(model, state, t_max))
        except BaseException as exc:            # re-raised by finish()
            self._result.append(exc)

    def at_output(self):
        """Warn now if the check has ended (called from the run's thread)."""
        if not self._warned and self._result:
            self._warn(stacklevel=6)    # -> on_time -> route -> evolve -> caller

    def finish(self):
        """Wait for the check and warn (called by :func:`evolve` at the end)."""
        self._thread.join()
        if not self._warned:
            self._warn(stacklevel=4)                # -> evolve -> caller

    def _warn(self, stacklevel):
        self._warned = True
        result = self._result[0]
        if isinstance(result, BaseException):
            raise result
        warn_reflection(*result, self.t_max, stacklevel=stacklevel)


def warn_reflection(t_edge, t_echo, t_max, stacklevel=2):
    """Issue the :class:`ReflectionWarning` when the echo reaches the local spins.

    A packet that only touches a chain end changes nothing the local spins
    see; the warning is for the echo that does (``t_echo`` before
    ``t_max``), and says when the packet reached the end.

    Parameters
    ----------
    t_edge, t_echo : float or None
        As returned by :func:`qutip_stt.states.reflection_times`.
    t_max : float
        Last output time, fs.
    stacklevel : int, default: 2
    """
    if t_echo is None:
        return
    warnings.warn(
        f"the wave packet reaches a chain end (1% within 10 sites) at "
        f"t = {t_edge:g} fs and its reflection changes the density on the "
        f"local spins by 1e-3 at t = {t_echo:g} fs < t_max = {t_max:g} fs; "
        f"a longer chain.length removes this", ReflectionWarning,
        stacklevel=stacklevel + 1)


def _leading_orbitals(A, weight=1e-8, most=16):
    """Orbital amplitudes ``sqrt(p_i) u_i`` of the Schmidt components of the
    ``(Lx, D)`` amplitude matrix with weight ``p_i > weight`` (at most ``most``):
    the electron density is ``sum_i p_i |u_i(x)|^2``."""
    A = np.where(np.abs(A) < 1e-150, 0.0, A)
    if A.shape[1] > 4 * most:
        cols = np.argsort((np.abs(A) ** 2).sum(axis=0))[::-1][:4 * most]
        A = A[:, cols]
    u, s, _ = np.linalg.svd(A, full_matrices=False)
    keep = s ** 2 > weight * max(float(np.sum(s ** 2)), 1e-300)
    return (u[:, keep] * s[keep])[:, :most]


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


class FullSpaceWarning(UserWarning):
    """Method ``"auto"`` runs on the full space (``"sesolve"``) because the
    model does not conserve total S^z (a transverse field), so the sector
    route does not apply.

    Silence it by asking for ``method="sesolve"`` (or
    ``"crank-nicolson"``) yourself.
    """


def resolve_method(method, model=None):
    """Name of the method that ``method`` stands for (``"auto"`` resolved).

    Parameters
    ----------
    method : str
        A key of :data:`METHODS`.
    model : STTModel, optional
        The model to run. When it does not conserve total S^z (a transverse
        field, :attr:`~qutip_stt.model.STTModel.conserves_sz`), ``"auto"``
        resolves to ``"sesolve"`` with a :class:`FullSpaceWarning`, and
        ``"chebyshev"`` and ``"classical"`` are refused.

    Returns
    -------
    str

    Examples
    --------
    >>> resolve_method("auto")
    'chebyshev'
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ConfigError("evolution.method", f"expected one of "
                          f"{', '.join(METHODS)}, got {method!r}")
    full_only = model is not None and not model.conserves_sz
    if method == "auto":
        if full_only:
            warnings.warn(
                "method \"auto\" runs \"sesolve\" on the full space: the "
                "transverse field (local_spins.field x or y) breaks total-S^z "
                "conservation, so the sector route does not apply",
                FullSpaceWarning, stacklevel=3)
            return "sesolve"
        return "chebyshev"
    if full_only and method in ("chebyshev", "classical"):
        raise ConfigError("evolution.method", f"{method!r} needs total S^z "
                          "conserved, but the transverse field (local_spins."
                          "field x or y) breaks it; use \"sesolve\", "
                          "\"crank-nicolson\" or \"auto\"")
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
           store_states=False, progress_bar=None, progress_stage=None,
           on_time=None, warn_reflections=True, analysis=None):
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
        ``"classical"`` runs the mean-field limit from the product ket
        ``state`` (:mod:`qutip_stt.solvers.classical`).
    dt : float, optional
        Step of fixed-step methods, fs (default :data:`DEFAULT_DT`); the
        largest step of ``"classical"``.
    options : dict, optional
        Extra options: for ``"sesolve"`` and ``"crank-nicolson"`` those of
        :func:`qutip.sesolve` (``atol``, ``rtol``, ``energy_shift``, ...),
        for ``"chebyshev"`` only ``tol``, for ``"classical"`` ``alpha``
        (Gilbert damping), ``tol`` and ``order``.
    store_states : bool, default: False
        Keep the ket at every output time in ``result.states``.
    progress_bar : str, optional
        A QuTiP progress bar: ``"text"``, ``"enhanced"``, ``"tqdm"``, ``"html"``.
    progress_stage : str, optional
        What the bar measures, named in every line of the ``"text"`` bar
        (:mod:`qutip_stt.progress`), e.g. ``"run 2 of 4"``.
    on_time : callable, optional
        Called with each output time (fs) once its observables are computed,
        so a caller (the command line) can say where an interrupted run
        stopped.
    warn_reflections : bool, default: True
        Warn (:class:`ReflectionWarning`) when the electron reaches a chain
        end before the last time (:func:`check_reflections`, ~0.1 s on the
        paper's chain).
    analysis : dict, optional
        Pair and block measures to record at every output time, keyword
        arguments of :class:`qutip_stt.entanglement.PairRecorder`
        (``{"pairs": "all", "blocks": True}``); stored in
        ``result.entanglement``. Default: none (no extra cost).

    Returns
    -------
    STTResult

    Raises
    ------
    ConfigError
        Before any propagation, when the method cannot do the run accurately
        or in reasonable time (:func:`qutip_stt.solvers.limits.check_limits`:
        Crank-Nicolson's phase-error bound, sesolve's steps, the Chebyshev
        series' length).

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> result = evolve(model, initial_state(model, x0=20), [0, 5, 10])
    >>> result.local_spin.shape
    (3, 2, 3)
    """
    times = _check_times(times)
    name = resolve_method(method, model)
    state = check_ket("state", state, model.dims)
    from .limits import check_limits

    step = DEFAULT_DT if dt is None else dt
    if name == "crank-nicolson":
        step = check_real("evolution.dt", step, minimum=0, strict_minimum=True)
    check_limits(model, state, times, name, dt=step,
                 options=dict(SESOLVE_OPTIONS, **(options or {})))
    pairs = _pair_recorder(model, analysis)
    if warn_reflections and name != "chebyshev":
        check_reflections(model, state, times[-1] - times[0])
    if name == "classical":
        if pairs is not None:
            raise ConfigError("analysis", "pair and block entanglement have "
                              "no meaning for method 'classical' (a "
                              "mean-field product state); drop [analysis] "
                              "pairs/blocks or choose a quantum method")
        return _evolve_classical(model, state, times, dt, options,
                                 store_states, on_time)
    if name == "chebyshev":
        from .sector_route import evolve_sectors
        extra = dict(options or {})
        tol = extra.pop("tol", DEFAULT_TOL)
        if extra:
            raise ConfigError("options", f"method 'chebyshev' takes only "
                              f"'tol', got {', '.join(extra)}")
        def reached(t):
            background.at_output()
            if on_time is not None:
                on_time(t)

        # one BLAS thread for the route and the check beside it: a BLAS
        # call of the check in two threads would leave the run's thread a
        # third on two cores (measured: the paper's noncollinear run 0.15
        # -> 0.11 s); set here, around both, as the limit is process-wide
        with one_blas_thread():
            background = (_ReflectionCheck(model, state, times[-1] - times[0])
                          if warn_reflections else None)
            t, arrays, states, wall = evolve_sectors(
                model, state, times, tol=tol, store_states=store_states,
                progress_bar=progress_bar, progress_stage=progress_stage,
                on_time=on_time if background is None else reached,
                pair_recorder=pairs)
            if background is not None:
                background.finish()
        return build_result(model, t, arrays, name, states=states,
                            wall_time=wall, pair_recorder=pairs)
    bar_name, bar_kwargs = bar_options(progress_bar, progress_stage)
    opts = {"progress_bar": bar_name,
            "progress_kwargs": {"chunk_size": 10, **bar_kwargs},
            "store_states": False,
            "store_final_state": False, "normalize_output": False}
    if name == "sesolve":
        opts.update(SESOLVE_OPTIONS)
    else:
        opts["method"] = name
        opts["dt"] = step
    opts.update(options or {})

    start = time.perf_counter()
    recorder = ObservableRecorder(model, store_states=store_states,
                                  on_time=on_time, pair_recorder=pairs)
    qres = qutip.sesolve(model.hamiltonian_fs, state, times,
                         e_ops={"norm": recorder}, options=opts)
    wall = time.perf_counter() - start
    return build_result(model, recorder.times, recorder.arrays(), name,
                        states=recorder.states, wall_time=wall,
                        qutip_result=qres, pair_recorder=pairs)


def _pair_recorder(model, analysis):
    """A :class:`~qutip_stt.entanglement.PairRecorder` for ``analysis``, or None."""
    if not analysis:
        return None
    from ..entanglement import PairRecorder
    if not isinstance(analysis, dict):
        raise ConfigError("analysis", f"expected a dict of pairs, blocks, "
                          f"measures, got {analysis!r}")
    unknown = set(analysis) - {"pairs", "blocks", "measures"}
    if unknown:
        raise ConfigError(f"analysis.{sorted(unknown)[0]}",
                          "unknown key; allowed: pairs, blocks, measures")
    recorder = PairRecorder(model, **analysis)
    if not len(recorder.pairs) and not len(recorder.blocks):
        return None
    return recorder


def _evolve_classical(model, state, times, dt, options, store_states, on_time):
    """Method ``"classical"``: :func:`qutip_stt.solvers.classical.evolve_classical`."""
    from .classical import (BY_DEFINITION, check_classical_options,
                            classical_initial_state, evolve_classical)
    if model.fields or model.potential is not None:
        raise ConfigError("evolution.method", "method 'classical' does not "
                          "include the fields or the site potential; use a "
                          "quantum method (\"auto\")")
    if store_states:
        raise ConfigError("store_states", "method 'classical' has no "
                          "many-body ket to store (mean-field product state)")
    opts = check_classical_options(options)
    psi, M = classical_initial_state(model, state)
    t, arrays, info = evolve_classical(
        model, psi, M, times, dt=DEFAULT_DT if dt is None else dt,
        on_time=on_time, **opts)
    attrs = {"classical": True,
             "classical_model": "mean-field (Ehrenfest) electron + classical "
                                "LLG local spins, docs/theory.md",
             "classical_by_definition": "; ".join(
                 f"{k}: {v}" for k, v in BY_DEFINITION.items()),
             **{f"classical_{k}": v for k, v in info.items()}}
    return build_result(model, t, arrays, "classical",
                        wall_time=info["wall_s"], file_attrs=attrs)
