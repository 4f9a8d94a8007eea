"""The evolution methods: one registry of declarations (plain data, no QuTiP import).

In the spirit of QuTiP's ``SESolver.add_integrator``, every way of evolving
a state is a :class:`Method` that declares its name, its options (defaults
and checks; those that are config keys of ``[evolution]`` too), which
models it can run, whether ``"auto"`` may pick it, its memory estimate, its
limits, its run and what it stores beside the observables of
:data:`~qutip_stt.measures.reducer.OBSERVABLES`. :func:`qutip_stt.solvers.evolve`
looks the method up here and the config schema reads the method names and
their options from here, before any physics is loaded.

The methods of the package are the modules of :mod:`qutip_stt.solvers.methods`,
each registering itself when imported (the registry imports them all the
first time it is asked). A method of your own is one call::

    from qutip_stt.solvers import Method, register_method
    register_method(Method("my-method", "what it is", run=my_run))

:func:`qutip_stt.solvers.evolve` then runs it (``method="my-method"``), and
a config may name it (``evolution.method = "my-method"``).
"""

import dataclasses
import importlib
import pkgutil
import threading
import warnings
from collections.abc import Mapping
from typing import Callable

from ..errors import ConfigError
from .._util.validation import did_you_mean

__all__ = ["Option", "Method", "Run", "Outcome", "register_method",
           "unregister_method", "get_method", "method_names", "METHODS", "resolve_method",
           "config_options", "check_options", "FullSpaceWarning"]


class FullSpaceWarning(UserWarning):
    """Method ``"auto"`` runs a method of the full space because the sector
    route does not apply to the model (a transverse field breaks total-S^z
    conservation).

    Silence it by naming the method (``method="sesolve"``) yourself.
    """


@dataclasses.dataclass(frozen=True)
class Option:
    """One option of a method: name, default, check and documentation.

    Parameters
    ----------
    name : str
        As given in ``evolve(..., options={name: ...})``.
    default : object
        The value when it is not given.
    check : callable
        ``check(key, value) -> value``: the checked value, or a
        :class:`~qutip_stt.errors.ConfigError` naming ``key``.
    doc : str
        One line: meaning, unit, allowed range.
    config : bool, default: False
        Also a key of the config's ``[evolution]`` table
        (``evolution.<name>``). Methods that share a config key declare the
        same default.
    only : bool, default: False
        A config key that means nothing to other methods: set away from
        its default with a method that does not take it, it is refused
        (``evolution.alpha``, the Gilbert damping of ``"classical"``).
    """

    name: str
    default: object
    check: Callable
    doc: str
    config: bool = False
    only: bool = False


@dataclasses.dataclass(frozen=True)
class Run:
    """What a method's ``run`` is given: one evolution request, checked.

    Attributes
    ----------
    model : STTModel
    state : qutip.Qobj
        The initial ket (checked, normalised).
    times : numpy.ndarray
        Increasing output times, fs.
    options : dict
        The method's options, checked, every default filled in.
    store_states : bool
    progress_bar : str
        A QuTiP progress bar name (``""`` for none).
    progress_stage : str or None
    on_time : callable or None
        To be called with each output time (fs) once it is reduced.
    pair_recorder : qutip_stt.measures.pairs.PairRecorder or None
        To be handed the amplitudes of every output state.
    """

    model: object
    state: object
    times: object
    options: dict
    store_states: bool = False
    progress_bar: str = ""
    progress_stage: str = None
    on_time: Callable = None
    pair_recorder: object = None


@dataclasses.dataclass
class Outcome:
    """What a method's ``run`` returns.

    Attributes
    ----------
    times : numpy.ndarray
    arrays : dict
        The observables keyed as :data:`~qutip_stt.measures.reducer.OBSERVABLES`,
        time first.
    states : list of qutip.Qobj or None
    stats : dict
        Wall time per phase and what the method counted (series terms,
        sectors, steps), merged into :attr:`STTResult.stats`.
    extra : dict
        Arrays beyond the observables (the method's ``stores``).
    file_attrs : dict
        HDF5 file attributes the method records.
    dataset_attrs : dict
        ``{dataset path: {attribute: value}}`` the method records on the
        datasets it writes (what a value means for this method).
    qutip_result : qutip.solver.Result or None
    """

    times: object
    arrays: dict
    states: list = None
    stats: dict = dataclasses.field(default_factory=dict)
    extra: dict = dataclasses.field(default_factory=dict)
    file_attrs: dict = dataclasses.field(default_factory=dict)
    dataset_attrs: dict = dataclasses.field(default_factory=dict)
    qutip_result: object = None


@dataclasses.dataclass(frozen=True)
class Method:
    """The declaration of one evolution method.

    Parameters
    ----------
    name : str
        What ``evolve(..., method=name)`` and ``evolution.method`` say.
    summary : str
        One line for help texts and the docs.
    run : callable
        ``run(request: Run) -> Outcome``. Imports the physics it needs when
        called, so that declaring a method imports nothing heavy.
    options : tuple of Option, default: ()
    pass_through : str, optional
        Options not declared go to this QuTiP solver, which checks them
        (``"qutip.sesolve"``); without it they are refused.
    requires : callable, optional
        ``requires(model) -> str or None``: why the method cannot run the
        model (a sentence), or None when it can.
    auto : int, optional
        Priority when ``"auto"`` chooses (lowest first among the methods
        whose ``requires`` passes); None: ``"auto"`` never picks it.
    limits : callable, optional
        ``limits(model, state, times, options) -> dict``: refuses, with a
        :class:`~qutip_stt.errors.ConfigError`, a run the method cannot do
        accurately or in reasonable time; called before any propagation.
    memory : callable, optional
        ``memory(Lx, N, S) -> dict``: bytes of the method's ``hamiltonian``
        and ``solver`` working memory (see
        :func:`qutip_stt.solvers.memory.run_memory`).
    store_states : bool, default: True
        Whether it can keep the many-body ket at every output time.
    analysis : bool, default: True
        Whether it records ``[analysis]`` pairs and blocks.
    reflections : {"before", "background", "none"}, default: "before"
        When :func:`~qutip_stt.solvers.evolution.check_reflections` runs:
        before the run, in a thread beside it, or not at all.
    one_blas_thread : bool, default: False
        Run (and the reflection check beside it) under one BLAS thread.
    stores : tuple of str, default: ()
        The arrays the method adds to the result (``Outcome.extra``) and to
        the file, as dataset paths.
    full_space_fallback : bool, default: False
        ``"auto"`` warns (:class:`FullSpaceWarning`) when it picks this
        method because the first choice does not apply.
    array_states : bool, default: False
        The run reads the initial ket as its NumPy amplitudes (the sector
        route): :func:`qutip_stt.solvers.evolve` hands it a NumPy ket as
        given, and turns one into a ``Qobj`` for the other methods.
    sector_states : bool, default: False
        The run takes a :class:`~qutip_stt.states.sector_state.SectorState`
        as it is (the sector route); for the other methods
        :func:`~qutip_stt.solvers.evolve` converts it to a ``Qobj`` where
        the full space fits, and refuses it otherwise.
    """

    name: str
    summary: str
    run: Callable
    options: tuple = ()
    pass_through: str = None
    requires: Callable = None
    auto: int = None
    limits: Callable = None
    memory: Callable = None
    store_states: bool = True
    analysis: bool = True
    reflections: str = "before"
    one_blas_thread: bool = False
    stores: tuple = ()
    full_space_fallback: bool = False
    array_states: bool = False
    sector_states: bool = False

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name or \
                self.name == "auto":
            raise ConfigError("method", f"a method needs a name other than "
                              f"'auto', got {self.name!r}")
        if self.reflections not in ("before", "background", "none"):
            raise ConfigError("reflections", "expected 'before', "
                              "'background' or 'none', got "
                              f"{self.reflections!r}")
        names = [o.name for o in self.options]
        if len(set(names)) != len(names):
            raise ConfigError("options", f"method {self.name!r} declares an "
                              f"option twice: {names}")

    def option(self, name):
        """The :class:`Option` called ``name``, or None."""
        return next((o for o in self.options if o.name == name), None)


_METHODS = {}
_lock = threading.RLock()
_discovered = False


def _discover():
    """Import every module of :mod:`qutip_stt.solvers.methods` (once)."""
    global _discovered
    with _lock:
        if _discovered:
            return
        _discovered = True
        from . import methods
        for info in pkgutil.iter_modules(methods.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{methods.__name__}.{info.name}")


def register_method(method, *, replace=False):
    """Add a :class:`Method` to the registry.

    Parameters
    ----------
    method : Method
    replace : bool, default: False
        Replace a method of the same name instead of refusing it.

    Returns
    -------
    Method
        ``method``.

    Raises
    ------
    ConfigError
        A method of that name exists (and ``replace`` is False), or a config
        option it declares has another default than the same key of a
        registered method.
    """
    if not isinstance(method, Method):
        raise ConfigError("method", f"expected a Method, got "
                          f"{type(method).__name__}")
    with _lock:
        if method.name in _METHODS and not replace:
            raise ConfigError("method", f"a method {method.name!r} is "
                              "registered already (replace=True replaces it)")
        for option in method.options:
            if not option.config:
                continue
            for other in _METHODS.values():
                same = other.option(option.name)
                if (other.name != method.name and same is not None
                        and same.config and same.default != option.default):
                    raise ConfigError(
                        f"evolution.{option.name}", f"method {method.name!r} "
                        f"declares default {option.default!r}, method "
                        f"{other.name!r} {same.default!r}: a config key has "
                        "one default")
        _METHODS[method.name] = method
    return method


def unregister_method(name):
    """Remove the method called ``name`` from the registry (and return it).

    Raises
    ------
    ConfigError
        No such method.
    """
    with _lock:
        _discover()
        if name not in _METHODS:
            raise ConfigError("method", f"no method {name!r} is registered")
        return _METHODS.pop(name)


def _registered():
    _discover()
    return _METHODS


def method_names():
    """``"auto"`` and every registered method's name.

    Examples
    --------
    >>> method_names()[:3]
    ['auto', 'chebyshev', 'classical']
    """
    return ["auto", *sorted(_registered())]


class _Summaries(Mapping):
    """Method name -> one-line summary, live (``"auto"`` first)."""

    def __getitem__(self, name):
        if name == "auto":
            return ("the fastest exact method for the model (the sector "
                    "route when total S^z is conserved, \"exact\" for "
                    "several electrons)")
        return _registered()[name].summary

    def __iter__(self):
        return iter(method_names())

    def __len__(self):
        return len(_registered()) + 1

    def __repr__(self):
        return repr(dict(self))


#: Method name -> summary, for help texts: ``"auto"`` and every registered
#: method (a live view: a method registered later appears).
METHODS = _Summaries()


def get_method(name):
    """The registered :class:`Method` called ``name`` (not ``"auto"``).

    Raises
    ------
    ConfigError
        Naming ``evolution.method`` and the allowed names.
    """
    methods = _registered()
    if not isinstance(name, str) or name not in methods:
        raise ConfigError("evolution.method", "expected one of "
                          + ", ".join(method_names()) + f", got {name!r}"
                          + did_you_mean(name, method_names()))
    return methods[name]


def resolve_method(name, model=None, *, warn=True):
    """The :class:`Method` that ``name`` stands for, ``"auto"`` resolved.

    ``"auto"`` takes the method of lowest ``auto`` priority whose
    ``requires`` accepts the model (the sector route ``"chebyshev"`` when
    total S^z is conserved); when that is not the first choice it warns
    (:class:`FullSpaceWarning`) with the reason. A named method whose
    ``requires`` refuses the model raises, with the reason.

    Parameters
    ----------
    name : str
        ``"auto"`` or a registered name.
    model : STTModel, optional
        Without it, ``"auto"`` resolves to the first choice.
    warn : bool, default: True
        Issue the :class:`FullSpaceWarning` (a memory check that resolves
        the method before the run does not).

    Returns
    -------
    Method

    Examples
    --------
    >>> resolve_method("auto").name
    'chebyshev'
    """
    if name != "auto":
        method = get_method(name)
        reason = (method.requires(model) if model is not None
                  and method.requires is not None else None)
        if reason:
            allowed = [m.name for m in _registered().values()
                       if m.requires is None or not m.requires(model)]
            raise ConfigError("evolution.method", f"{name!r} cannot run this "
                              f"model: {reason}; use "
                              + ", ".join(f'"{a}"' for a in allowed)
                              + " or \"auto\"")
        return method
    order = _auto_order()
    first = order[0]
    if model is None:
        return first
    for method in order:
        reason = method.requires(model) if method.requires else None
        if not reason:
            if method is not first and warn and method.full_space_fallback:
                warnings.warn(
                    f"method \"auto\" runs \"{method.name}\" on the full "
                    f"space: {first.requires(model)}, so the "
                    f"\"{first.name}\" route does not apply",
                    FullSpaceWarning, stacklevel=3)
            return method
    # the last method "auto" tries is the one that says what would run
    raise ConfigError("evolution.method", f"no method can run this model; "
                      f"the last \"auto\" tries, \"{method.name}\": {reason}")


def _auto_order():
    methods = [m for m in _registered().values() if m.auto is not None]
    if not methods:
        raise ConfigError("evolution.method", "no method is registered for "
                          "\"auto\"")
    return sorted(methods, key=lambda m: m.auto)


def config_options():
    """The method options that are ``[evolution]`` config keys, by name.

    Returns
    -------
    dict
        ``{name: (Option, [method names])}``, in registration order.

    Examples
    --------
    >>> sorted(config_options())
    ['alpha', 'dt']
    """
    out = {}
    for method in _registered().values():
        for option in method.options:
            if option.config:
                out.setdefault(option.name, (option, []))[1].append(
                    method.name)
    return out


def check_options(method, options):
    """A method's options checked, with every default filled in.

    Parameters
    ----------
    method : Method
    options : dict or None
        As given (``evolve(..., options=)`` without the general keys).

    Returns
    -------
    dict
        Every declared option (checked), plus the undeclared ones for a
        method with ``pass_through``.

    Raises
    ------
    ConfigError
        An option the method does not take, naming the ones it does.
    """
    given = dict(options or {})
    out = {}
    for option in method.options:
        key = f"evolution.{option.name}" if option.config else option.name
        value = given.pop(option.name, option.default)
        out[option.name] = option.check(key, value)
    if given and method.pass_through is None:
        names = ", ".join(o.name for o in method.options) or "none"
        raise ConfigError(f"options.{sorted(given)[0]}", f"method "
                          f"{method.name!r} takes the options {names}, not "
                          + ", ".join(repr(k) for k in sorted(given)))
    out.update(given)
    return out
