r"""Time evolution of the electron + local-spins state, times in femtoseconds.

Every method integrates ``i hbar d|psi>/dt = H |psi>`` for the Hamiltonian
of :class:`~qutip_stt.model.STTModel` (eV), with ``hbar`` in eV fs, and
hands the state at each output time to the one reducer
:func:`qutip_stt.measures.reducer.reduce_amplitudes`. :func:`evolve` is the
one entry point: it checks the request, looks the method up in the
registry (:mod:`qutip_stt.solvers.registry`; ``"auto"`` resolved), checks
the method's options and limits, warns about chain-end reflections
(:class:`ReflectionWarning`), runs it, and returns an
:class:`~qutip_stt.solvers.result.STTResult`. The methods of the package
(:mod:`qutip_stt.solvers.methods`):

``"chebyshev"`` (what ``"auto"`` runs when total S^z is conserved)
    the sector route (:mod:`qutip_stt.solvers.sector_route`): each
    total-S^z piece propagated exactly; ``options={"tol": ...}``.
``"sesolve"``
    :func:`qutip.sesolve` with QuTiP's ``dop853`` (``atol = 1e-10``,
    ``rtol = 1e-8``); what ``"auto"`` runs, with a
    :class:`~qutip_stt.solvers.registry.FullSpaceWarning`, when a transverse
    field breaks total-S^z conservation.
``"crank-nicolson"``
    :func:`qutip.sesolve` with our registered
    :class:`~qutip_stt.solvers.crank_nicolson.CrankNicolson` (fixed step
    ``dt``, fs).
``"classical"``
    the mean-field limit (:mod:`qutip_stt.solvers.classical`).
``"exact"`` (what ``"auto"`` runs for several electrons)
    the many-electron sector route (:mod:`qutip_stt.solvers.fermion_route`)
    for a :class:`~qutip_stt.model.many_electron.ManyElectronModel` and its
    :class:`~qutip_stt.states.fermions.ManyElectronState`.

Observables are reduced as the run goes; states are kept only when asked.
"""

import contextlib
import threading
import time
import warnings

import numpy as np

from .._util.blas_threads import one_blas_thread
from .._util.validation import check_bool, check_int, check_ket, check_real
from ..errors import ConfigError
from .memory import run_memory
from .registry import (FullSpaceWarning, Run, check_options,  # noqa: F401
                       resolve_method)
from .result import build_result

__all__ = ["evolve", "output_times", "ReflectionWarning", "FullSpaceWarning",
           "check_reflections", "warn_reflection", "resolve_method"]

#: Keys of ``evolve(..., options=)`` that every method takes (the rest are
#: the method's own options).
GENERAL_OPTIONS = ("method", "store_states", "progress_bar",
                   "progress_stage")


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
    chain with :func:`qutip_stt.model.reflections.reflection_times`.

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
        ``t_edge`` and ``t_echo`` of :func:`qutip_stt.model.reflections.reflection_times`.
    """
    t_edge, t_echo = _reflection_check_times(model, state, t_max)
    warn_reflection(t_edge, t_echo, t_max, stacklevel=4)
    return t_edge, t_echo


def _reflection_check_times(model, state, t_max):
    """``(t_edge, t_echo)`` of :func:`check_reflections`, without warning
    (for several electrons: their initial orbitals,
    :func:`~qutip_stt.solvers.fermion_route.fermion_reflection_times`)."""
    if getattr(model, "many_electrons", False):
        from .fermion_route import fermion_reflection_times
        return fermion_reflection_times(model, state, t_max)
    from ..measures.observables import amplitudes
    from ..model.reflections import reflection_times

    if hasattr(state, "pieces"):    # a SectorState: its populated columns
        A = np.concatenate([v.reshape(model.Lx, -1)
                            for v in state.pieces.values()], axis=1)
    else:
        A = amplitudes(state, model)
    orbitals = _leading_orbitals(A)
    return reflection_times(model.Lx, gamma=model.gamma, sites=model.sites,
                            t_max=t_max, orbitals=orbitals)


class _ReflectionCheck:
    """:func:`check_reflections` in a background thread, beside the run.

    The sector route leaves the second core idle on small runs: the check
    runs there, and the warning is issued from the caller's thread at the
    first output time after the check ends (:meth:`at_output`, the run's
    ``on_time``), or when the run ends (:meth:`finish`).
    """

    def __init__(self, model, state, t_max, on_time=None):
        self.t_max = t_max
        self._on_time = on_time
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

    def at_output(self, t):
        """The run's ``on_time``: warn now if the check has ended (in the
        run's thread), then pass the time on."""
        if not self._warned and self._result:
            self._warn(stacklevel=6)    # route, method's run, evolve, caller
        if self._on_time is not None:
            self._on_time(t)

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
        As returned by :func:`qutip_stt.model.reflections.reflection_times`.
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


def _check_times(times):
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times.size == 0:
        raise ConfigError("times", "expected a non-empty 1-D list of times (fs)")
    if not np.all(np.isfinite(times)):
        raise ConfigError("times", "times must be finite (fs)")
    if np.any(np.diff(times) <= 0):
        raise ConfigError("times", "times must be strictly increasing (fs)")
    return times


def evolve(model, state, times, method=None, *, options=None, dt=None,
           store_states=None, progress_bar=None, progress_stage=None,
           on_time=None, warn_reflections=True, analysis=None):
    """Evolve ``state`` under the model's Hamiltonian and reduce it at each time.

    As QuTiP's solvers, :func:`evolve` takes its settings in one
    ``options`` dict; the keywords ``method``, ``dt``, ``store_states``,
    ``progress_bar`` and ``progress_stage`` are shorthands for the keys of
    the same names.

    Parameters
    ----------
    model : STTModel or ManyElectronModel
    state : qutip.Qobj, numpy.ndarray, SectorState or ManyElectronState
        Initial ket with the model's dims (for example from
        :func:`qutip_stt.initial_state`), or its amplitudes in the basis
        order of ``qutip.tensor`` (what :func:`qutip_stt.simulate` hands
        the sector route, so the command line never imports QuTiP there),
        or its total-S^z pieces, a
        :class:`~qutip_stt.states.sector_state.SectorState` (what
        :func:`~qutip_stt.initial_state` gives for a model made with
        ``full_space=False``: ``N = 50`` on 4,000 sites): method
        ``"chebyshev"`` evolves it as it is, the full-space methods convert
        it to a ``Qobj`` where the full space fits and refuse it otherwise;
        for the many-electron model its
        :class:`~qutip_stt.states.fermions.ManyElectronState` (from
        :func:`qutip_stt.many_electron_state`).
    times : array_like
        Increasing output times in fs; the evolution starts at ``times[0]``.
    method : str, optional
        ``"auto"`` (default) or a registered method
        (:data:`~qutip_stt.solvers.registry.METHODS`: ``"chebyshev"``,
        ``"sesolve"``, ``"crank-nicolson"``, ``"classical"``, and any you
        register).
    options : dict, optional
        ``method``, ``store_states`` (keep the ket at every output time in
        ``result.states``), ``progress_bar`` (a QuTiP progress bar:
        ``"text"``, ``"enhanced"``, ``"tqdm"``, ``"html"``),
        ``progress_stage`` (what the bar measures, named in every line of
        the ``"text"`` bar, e.g. ``"run 2 of 4"``), and the method's own
        options (each method's declaration lists them: ``tol`` for
        ``"chebyshev"``; ``dt``, ``energy_shift`` for ``"crank-nicolson"``;
        ``atol``, ``rtol``, ``nsteps`` and any option of
        :func:`qutip.sesolve` for ``"sesolve"``; ``dt``, ``alpha``, ``tol``,
        ``order`` for ``"classical"``).
    dt : float, optional
        The step of the methods that take one (``"crank-nicolson"``,
        ``"classical"``), fs; other methods do not read it.
    store_states, progress_bar, progress_stage
        Shorthands for the options of the same names.
    on_time : callable, optional
        Called with each output time (fs) once its observables are computed,
        so a caller (the command line) can say where an interrupted run
        stopped.
    warn_reflections : bool, default: True
        Warn (:class:`ReflectionWarning`) when the electron reaches a chain
        end before the last time (:func:`check_reflections`).
    analysis : dict, optional
        Pair and block measures to record at every output time, keyword
        arguments of :class:`qutip_stt.measures.pairs.PairRecorder`
        (``{"pairs": "all", "blocks": True}``); stored in
        ``result.entanglement``. Default: none (no extra cost).

    Returns
    -------
    STTResult

    Raises
    ------
    ConfigError
        Before any propagation: an unknown method or option, a model the
        method cannot run, or a run it cannot do accurately or in
        reasonable time (its declared limits: Crank-Nicolson's phase-error
        bound, sesolve's steps, the Chebyshev series' length).

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> result = evolve(model, initial_state(model, x0=20), [0, 5, 10],
    ...                 options={"method": "auto", "tol": 1e-12})
    >>> result.local_spin.shape, result.stats["method"]
    ((3, 2, 3), 'chebyshev')
    """
    start = time.perf_counter()
    opts = _merge_options(options, method=method, store_states=store_states,
                          progress_bar=progress_bar,
                          progress_stage=progress_stage)
    times = _check_times(times)
    found = resolve_method(opts.pop("method", "auto"), model)
    store = check_bool("store_states", opts.pop("store_states", False))
    bar = opts.pop("progress_bar", None) or ""
    stage = opts.pop("progress_stage", None)
    if dt is not None and found.option("dt") is not None:
        opts.setdefault("dt", dt)
    state = _check_state(model, state, found)
    method_options = check_options(found, opts)
    if store and not found.store_states:
        raise ConfigError("store_states", f"method {found.name!r} has no "
                          "many-body ket to store")
    pairs = _pair_recorder(model, analysis)
    if pairs is not None and not found.analysis:
        raise ConfigError("analysis", f"pair and block entanglement have no "
                          f"meaning for method {found.name!r}; drop "
                          "[analysis] pairs/blocks or choose another method")
    limits = (found.limits(model, state, times, method_options)
              if found.limits is not None else {})
    # a method whose memory depends on the state (the many-electron
    # sectors) reports its estimate from its limits
    estimate = limits.pop("memory estimate", None)
    span = times[-1] - times[0]
    check = warn_reflections and found.reflections != "none"
    if check and found.reflections == "before":
        check_reflections(model, state, span)
    blas = one_blas_thread() if found.one_blas_thread else \
        contextlib.nullcontext()
    # the check beside the run shares its BLAS limit (process-wide): a BLAS
    # call of the check in two threads would crowd the run's thread
    with blas:
        background = (_ReflectionCheck(model, state, span, on_time)
                      if check and found.reflections == "background"
                      else None)
        reached = on_time if background is None else background.at_output
        initialized = time.perf_counter()
        outcome = found.run(Run(model, state, times, method_options, store,
                                bar, stage, reached, pairs))
        if background is not None:
            background.finish()
    total = time.perf_counter() - start
    stats = {"solver": "qutip_stt.evolve", "method": found.name,
             "init time": initialized - start, "preparation time": 0.0,
             **outcome.stats, "total time": total,
             "memory estimate": estimate if estimate is not None else
             run_memory(model.Lx, model.N, model.S, found.name, len(times),
                        store, span)["total"],
             "num_expect": len(outcome.arrays)}
    if limits:
        stats["limits"] = limits
    return build_result(model, outcome.times, outcome.arrays, found.name,
                        states=outcome.states,
                        configurations=_compact_configurations(model, state),
                        wall_time=total - stats["init time"],
                        qutip_result=outcome.qutip_result,
                        pair_recorder=pairs, file_attrs=outcome.file_attrs,
                        stats=stats, extra=outcome.extra,
                        dataset_attrs=outcome.dataset_attrs)


def _check_state(model, state, found):
    """The initial ket checked against the model: a ``Qobj`` with its dims
    (or its NumPy amplitudes, as they are for a method that reads them,
    else as a ``Qobj``), a
    :class:`~qutip_stt.states.sector_state.SectorState` of the model (as
    it is for a method that takes one, else its ``Qobj`` where the full
    space fits), or for the many-electron model a
    :class:`~qutip_stt.states.fermions.ManyElectronState` (normalised)."""
    if getattr(model, "many_electrons", False):
        from ..states.fermions import check_many_electron_state
        return check_many_electron_state(state, model)
    from ..states.sector_state import SectorState
    if isinstance(state, SectorState):
        if state.model is not model and (
                state.model.parameters() != model.parameters()):
            raise ConfigError("state", f"a SectorState of {state.model!r}, "
                              f"not of the model evolved, {model!r}")
        if abs(state.norm() - 1) > 1e-10:
            raise ConfigError("state", f"expected a normalised state, got "
                              f"norm {state.norm():.12g}")
        if found.sector_states:
            return state
        return check_ket("state", state.to_qobj(), model.dims, unit=True)
    state = check_ket("state", state, model.dims, unit=True)
    if isinstance(state, np.ndarray) and not found.array_states:
        import qutip
        state = qutip.Qobj(state.reshape(-1, 1), dims=[
            list(model.dims), [1] * len(model.dims)])
    return state


def _compact_configurations(model, state):
    """The configurations of the result's probabilities when the model's
    spin space is never listed (a SectorState of a model without the full
    space), else None (every configuration)."""
    if hasattr(state, "pieces") and not getattr(model, "full_space", True):
        return state.configurations()
    return None


def _merge_options(options, **shorthands):
    """``options`` with the keyword shorthands added (refusing a clash)."""
    if options is not None and not isinstance(options, dict):
        raise ConfigError("options", f"expected a dict, got {options!r}")
    opts = dict(options or {})
    for key, value in shorthands.items():
        if value is None:
            continue
        if key in opts and opts[key] != value:
            raise ConfigError(f"options.{key}", f"given twice, as "
                              f"{key}={value!r} and in options as "
                              f"{opts[key]!r}")
        opts[key] = value
    return opts


def _pair_recorder(model, analysis):
    """A :class:`~qutip_stt.measures.pairs.PairRecorder` for ``analysis``, or None."""
    if not analysis:
        return None
    from ..measures.pairs import PairRecorder
    if not isinstance(analysis, dict):
        raise ConfigError("analysis", f"expected a dict of pairs, blocks, "
                          f"measures, got {analysis!r}")
    if not getattr(model, "full_space", True) and (
            analysis.get("pairs") not in (None, "none", [], ())
            or analysis.get("blocks")):
        raise ConfigError("analysis", "pair and block measures read the "
                          "full spin space, which a model made with "
                          "full_space=False never lists: drop [analysis] "
                          "pairs/blocks")
    if not getattr(model, "full_space", True):
        return None
    unknown = set(analysis) - {"pairs", "blocks", "measures"}
    if unknown:
        raise ConfigError(f"analysis.{sorted(unknown)[0]}",
                          "unknown key; allowed: pairs, blocks, measures")
    recorder = PairRecorder(model, **analysis)
    if not len(recorder.pairs) and not len(recorder.blocks):
        return None
    return recorder
