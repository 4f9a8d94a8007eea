"""From a resolved config to a result: the path ``qutip-stt simulate`` takes.

``config -> memory check -> build (model, initial state, times) -> evolve
(method lookup, option and limit checks, reflection check, propagation) ->
STTResult``; :func:`qutip_stt.io.write_result` then writes it. The electron
trains (:mod:`qutip_stt.trains`) and the S-matrix
(:mod:`qutip_stt.scattering`) build their model here too
(:func:`build_model`). A config with ``[electrons]`` (several electrons at
once) takes the same path with the
:class:`~qutip_stt.model.many_electron.ManyElectronModel`, its
:class:`~qutip_stt.states.fermions.ManyElectronState` and method
``"exact"`` (:func:`build_many_electron_model`).
"""

import time

import numpy as np

from ._util import resources
from .errors import ConfigError
from .model.bath import Bath
from .model.hamiltonian import STTModel
from .model.many_electron import ManyElectronModel
from .model.open_model import OpenSTTModel
from .model.reflections import reflection_times
from .config.electrons import require_one_electron
from .model.terms import potential_profile
from .solvers.evolution import (ReflectionWarning, evolve, output_times,
                                warn_reflection)
from .solvers.limits import check_fermion_memory
from .solvers.memory import fermion_memory, run_memory
from .solvers.registry import config_options, resolve_method
from .states.fermions import many_electron_state
from .states.forms import parse_direction
from .states.local import local_factors, local_state
from .states.packet import initial_state
from .states.product import is_direction, product_amplitudes
from .states.sector_state import start_sectors
from .states.spin import spinor

__all__ = ["build_model", "build_many_electron_model", "build",
           "method_options", "check_memory", "simulate", "ReflectionWarning",
           "check_reflections", "sector_start"]


def build_model(config, *, full_space=True):
    """The :class:`~qutip_stt.model.STTModel` of a resolved config.

    Parameters
    ----------
    config : dict
        A resolved config (:func:`qutip_stt.config.resolve_config`).
    full_space : bool, default: True
        As :class:`~qutip_stt.model.STTModel`: refuse a full space too
        large to build (False: the model describes its terms only, for
        the sector-based routes and the memory check).

    Returns
    -------
    STTModel or OpenSTTModel
        An :class:`~qutip_stt.model.open_model.OpenSTTModel` when the
        ``[bath]`` table has a nonzero rate.

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> build_model(resolve_config({"chain": {"length": 60}})).sites.tolist()
    [28, 29, 30, 31, 32]
    >>> build_model(resolve_config({"chain": {"length": 60},
    ...                             "bath": {"relaxation": 1e-3}})).bath.relaxation
    0.001
    """
    require_one_electron(config, "an STTModel")
    ch, ls, el = config["chain"], config["local_spins"], config["electron"]
    bath = _bath(config.get("bath"))
    cls, extra = (STTModel, {}) if bath is None else (OpenSTTModel,
                                                      {"bath": bath})
    return cls(**extra, Lx=ch["length"], N=ls["count"], S=ls["spin"],
                    gamma=ch["hopping"], J_sd=ls["J_sd"], J=ls["J"],
                    Jz=ls["Jz"], first_site=ls["first_site"],
                    field=ls.get("field", 0.0),
                    electron_field=el.get("field", 0.0),
                    potential=potential_profile(ch.get("potential", []),
                                                ch["length"]),
                    full_space=full_space)


def build_many_electron_model(config):
    """The :class:`~qutip_stt.model.many_electron.ManyElectronModel` of a resolved config with ``[electrons]``.

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> cfg = resolve_config({"chain": {"length": 40}, "electrons": {"count": 2}})
    >>> build_many_electron_model(cfg).Ne
    2
    """
    ch, ls, el = config["chain"], config["local_spins"], config["electrons"]
    return ManyElectronModel(
        Lx=ch["length"], N=ls["count"], S=ls["spin"], gamma=ch["hopping"],
        J_sd=ls["J_sd"], J=ls["J"], Jz=ls["Jz"], first_site=ls["first_site"],
        Ne=el["count"], hubbard_U=el["hubbard_U"],
        field=ls.get("field", 0.0),
        potential=potential_profile(ch.get("potential", []), ch["length"]))


def _local(config, model):
    """The local spins' initial ket from ``[local_spins]``."""
    ls = config["local_spins"]
    return local_state(
        model, ls.get("state", "product"), ls["direction"],
        None if ls.get("sector", "lowest") == "lowest" else ls["sector"],
        ls.get("seed", 0))


def sector_start(config):
    """Whether a one-electron config runs in its start's sectors, without the full space.

    True when the full space is larger than
    :data:`~qutip_stt._util.resources.MAX_DIMENSION` (the config check lets
    that through only for a start with every local spin along ``+z`` or
    ``-z``): the model is then built with ``full_space=False`` and the
    start is a :class:`~qutip_stt.states.sector_state.SectorState` of at
    most two sectors.

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> sector_start(resolve_config({"chain": {"length": 4000},
    ...                              "local_spins": {"count": 50}}))
    True
    """
    ch, ls = config["chain"], config["local_spins"]
    return (resources.hilbert_dimension(ch["length"], ls["count"],
                                        ls["spin"])[0]
            > resources.MAX_DIMENSION)


def _sector_local(config, model):
    """The local spins' one-spin kets of a sector start (never their ket)."""
    ls = config["local_spins"]
    return local_factors(model, ls.get("state", "product"), ls["direction"],
                         ls.get("seed", 0))


def _many_electron_state(config, model):
    el = config["electrons"]
    return many_electron_state(model, el["state"], el["lead"], el["spin"],
                               el["packets"], _local(config, model.spins),
                               lazy=True)


def _bath(table):
    """The :class:`~qutip_stt.model.bath.Bath` of a ``[bath]`` table, or
    None without a nonzero rate (then the model is closed)."""
    if not table:
        return None
    theta, phi = np.radians(parse_direction(table["direction"],
                                            "bath.direction"))
    bath = Bath(table["relaxation"], table["dephasing"], table["temperature"],
                (np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi),
                 np.cos(theta)))
    return bath if bath.active else None


def build(config, *, qobj=True):
    """Model, initial ket and output times (fs) of a resolved config.

    Parameters
    ----------
    config : dict
        A resolved config (:func:`qutip_stt.config.resolve_config`).
    qobj : bool, default: True
        False: a start whose spins are directions is its NumPy amplitudes
        (:func:`~qutip_stt.states.product.product_amplitudes`, no QuTiP),
        which :func:`~qutip_stt.solvers.evolve` takes as it takes the
        ``Qobj`` (what :func:`simulate` does).

    Returns
    -------
    model : STTModel or ManyElectronModel
    psi0 : qutip.Qobj, SectorState or ManyElectronState
        The Eq. (4) initial ket (a
        :class:`~qutip_stt.states.sector_state.SectorState` when
        :func:`sector_start`; with ``[electrons]``: the released lead or the
        packets, times the local spins).
    times : numpy.ndarray
        ``linspace(0, t_max, n_times)``, fs.

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> cfg = resolve_config({"chain": {"length": 60}, "local_spins": {"count": 2},
    ...                       "evolution": {"t_max": 10, "n_times": 3}})
    >>> model, psi0, times = build(cfg)
    >>> psi0.dims, times
    ([[60, 2, 2, 2], [1]], array([ 0.,  5., 10.]))
    """
    ev = config["evolution"]
    times = output_times(ev["t_max"], ev["n_times"])
    if "electrons" in config:
        model = build_many_electron_model(config)
        return model, _many_electron_state(config, model), times
    el = config["electron"]
    sectors = sector_start(config)
    model = build_model(config, full_space=not sectors)
    directions = None if qobj or sectors else _directions(config)
    if directions is not None:
        psi0 = product_amplitudes(model, el["k"], el["dk"], el["x0"],
                                  *directions)
    else:
        local = (_sector_local if sectors else _local)(config, model)
        psi0 = initial_state(model, k=el["k"], dk=el["dk"], x0=el["x0"],
                             electron=el["spin"], local=local)
    return model, psi0, times


def _directions(config):
    """``(electron, local)`` directions of a product start, or None when a
    spin is given otherwise (components, a named or a ground state)."""
    el, ls = config["electron"], config["local_spins"]
    state = ls.get("state", "product")
    if state == "product":
        local = ls["direction"]
    elif isinstance(state, list):          # one direction per spin
        local = state
    else:                                  # neel, ground, random
        return None
    if not is_direction(el["spin"]) or not (is_direction(local) or (
            isinstance(local, list) and all(map(is_direction, local)))):
        return None
    return el["spin"], local


def method_options(config, method):
    """The ``[evolution]`` keys of a config that are options of ``method``.

    Parameters
    ----------
    config : dict
        A resolved config.
    method : str
        A registered method name (``"auto"`` resolved).

    Returns
    -------
    dict
        ``{option: value}`` for :func:`qutip_stt.solvers.evolve`.

    Examples
    --------
    >>> from qutip_stt.config import resolve_config
    >>> method_options(resolve_config({}), "crank-nicolson")
    {'dt': 0.1}
    """
    ev = config["evolution"]
    out = {name: ev[name] for name, (_, methods) in config_options().items()
           if method in methods and name in ev}
    if method == "mps" and "mps" in config:
        out.update(config["mps"])
    return out


def check_memory(config, *, method=None, store_states=False, available=None):
    """Refuse a run (:class:`~qutip_stt.errors.ConfigError`) that would not fit.

    Parameters
    ----------
    config : dict
        A resolved config.
    method : str, optional
        Overrides ``config["evolution"]["method"]``.
    store_states : bool, default: False
    available : int, optional
        Bytes available (default
        qutip_stt._util.resources.available_memory).

    Returns
    -------
    dict
        The estimate of :func:`~qutip_stt.solvers.memory.run_memory` when
        the run fits.

    Raises
    ------
    ConfigError
        Naming ``evolution.method`` when ``"auto"`` would fit, else
        ``local_spins.count``, with both numbers in GiB; with
        ``[electrons]``, naming ``electrons.count`` when the sectors the
        start populates do not fit (from their sizes alone, before any
        state is built).
    """
    if "electrons" in config:
        return _check_many_electron_memory(config, method, store_states,
                                           available)
    ch, ls, ev = config["chain"], config["local_spins"], config["evolution"]
    name = method or ev["method"]
    model = build_model(config, full_space=False)
    found = resolve_method(name, model, warn=False)
    if sector_start(config):
        return _check_sector_memory(config, model, found, store_states,
                                    available)
    auto = resolve_method("auto", model, warn=False)
    args = (ch["length"], ls["count"], ls["spin"])
    need = run_memory(*args, found.name, ev["n_times"], store_states,
                      ev["t_max"])
    if available is None:
        available = resources.available_memory()
    if available is None or need["total"] <= resources.MEMORY_FRACTION * available:
        return need
    gib = 2 ** 30
    what = (f"method {name!r} needs about {need['total'] / gib:.1f} GiB "
            f"for length={args[0]}, count={args[1]}, spin={args[2]:g}, more "
            f"than {resources.MEMORY_FRACTION:.0%} of the {available / gib:.1f} GiB "
            f"available")
    if found is not auto:
        exact = run_memory(*args, auto.name, ev["n_times"], store_states,
                           ev["t_max"])
        if exact["total"] <= resources.MEMORY_FRACTION * available:
            raise ConfigError("evolution.method", f"{what}; method 'auto' "
                              f"({auto.name}: {auto.summary}) needs about "
                              f"{exact['total'] / gib:.1f} GiB: use it")
    raise ConfigError("local_spins.count", f"{what}; reduce chain.length, "
                      "local_spins.count or local_spins.spin")


def _check_sector_memory(config, model, found, store_states, available):
    """:func:`check_memory` of a :func:`sector_start` config: the start's
    sectors alone (:func:`~qutip_stt.solvers.memory.sector_memory`)."""
    from .solvers.memory import sector_memory
    if not found.sector_states:
        raise ConfigError("evolution.method", f"method {found.name!r} needs "
                          f"the full space of dimension {model.dimension:,}; "
                          "method 'chebyshev' ('auto') runs this collinear "
                          "start in its total-S^z sectors")
    sizes = start_sectors(model, spinor(config["electron"]["spin"]).full(),
                          [f.full() for f in _sector_local(config, model)],
                          "local_spins.direction")
    need = sector_memory(model, sizes, config["evolution"]["n_times"],
                         store_states)
    # the larger of the two factors of the sectors' size names the key
    per_site = sum(sizes.values()) // model.Lx
    resources.check_allocation(
        "chain.length" if model.Lx >= per_site else "local_spins.count",
        need["total"], f"the run in the total-S^z "
        f"sectors {', '.join(f'{m:g}' for m in sizes)} "
        f"({sum(sizes.values()):,} states)", "reduce chain.length or "
        "local_spins.count", available)
    return need


def _check_many_electron_memory(config, method, store_states, available):
    """:func:`check_memory` of a config with ``[electrons]``."""
    from .states.fermions import start_sectors
    ev = config["evolution"]
    model = build_many_electron_model(config)
    found = resolve_method(method or ev["method"], model, warn=False)
    if found.name == "mps":
        from .solvers.methods.mps import mps_memory
        chi = config["mps"]["chi_max"]
        need = mps_memory(model.Lx, model.N, model.S, chi, ev["n_times"])
        resources.check_allocation(
            "mps.chi_max", need, f"the MPS of bond dimension {chi:,} on "
            f"{model.Lx:,} sites", "reduce mps.chi_max", available)
        return {"total": need}
    el = config["electrons"]
    sizes = {m: model.sector_size(m) for m in start_sectors(
        model, el["state"], el["spin"], el["packets"],
        _local(config, model.spins))}
    need = fermion_memory(model, sizes, ev["n_times"], store_states)
    if available is None:
        available = resources.available_memory()
    check_fermion_memory(need, available, resources.MEMORY_FRACTION)
    return need


def check_reflections(config):
    """Warn (:class:`ReflectionWarning`) if reflections matter before ``t_max``.

    The config-level check (from the packet's ``k, dk, x0``, without building
    the state): what a parameter sweep runs once per chain geometry.
    :func:`qutip_stt.solvers.evolve` runs the same check on the state itself.

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    (float or None, float or None)
        See :func:`qutip_stt.model.reflections.reflection_times`.

    Examples
    --------
    >>> from qutip_stt.config import apply_overrides, preset
    >>> cfg = apply_overrides(preset("paper-collinear", resolve=False),
    ...                       ["chain.length=800"])
    >>> check_reflections(cfg)                     # no warning: nothing before 500 fs
    (None, None)
    """
    require_one_electron(config, "the packet's reflection check")
    ch, ls, el, ev = (config["chain"], config["local_spins"],
                      config["electron"], config["evolution"])
    sites = range(ls["first_site"], ls["first_site"] + ls["count"])
    t_edge, t_echo = reflection_times(
        ch["length"], el["k"], el["dk"], el["x0"], ch["hopping"], sites,
        ev["t_max"])
    warn_reflection(t_edge, t_echo, ev["t_max"], stacklevel=2)
    return t_edge, t_echo


def simulate(config, *, progress_bar=None, store_states=False, method=None,
             warn_reflections=True, on_time=None, progress_stage=None):
    """Run a resolved config (see :mod:`qutip_stt.config`) and return the result.

    Parameters
    ----------
    config : dict
        A resolved config (:func:`qutip_stt.config.resolve_config`).
    progress_bar : str, optional
        QuTiP progress bar name (``"tqdm"``, ``"text"``, ...).
    store_states : bool, default: False
    method : str, optional
        Overrides ``config["evolution"]["method"]``.
    warn_reflections : bool, default: True
        Let :func:`qutip_stt.solvers.evolve` warn about chain-end
        reflections (after its method-limit check, so a refused run warns
        about nothing); a parameter sweep checks once per geometry with
        :func:`check_reflections` instead.
    on_time : callable, optional
        Called with each output time (fs) reached (see
        :func:`qutip_stt.solvers.evolve`).
    progress_stage : str, optional
        What the bar measures, named in every line of the text bar.

    Returns
    -------
    STTResult
        ``wall_time`` counts building the model and the state, evolving and
        computing observables (the ``evolution_wall_s`` of the HDF5 file).

    Raises
    ------
    ConfigError
        Before anything is built, when the run's memory estimate
        (:func:`check_memory`) exceeds what is available; before the
        evolution, when the method cannot do the run (its declared limits).

    Examples
    --------
    >>> from qutip_stt.config import apply_overrides, preset
    >>> cfg = apply_overrides(preset("paper-collinear", resolve=False),
    ...                       ["chain.length=120", "evolution.t_max=20",
    ...                        "evolution.n_times=3"])
    >>> result = simulate(cfg)
    >>> result.local_spin.shape
    (3, 5, 3)
    """
    check_memory(config, method=method, store_states=store_states)
    start = time.perf_counter()
    model, psi0, times = build(config, qobj=False)
    found = resolve_method(method or config["evolution"]["method"], model)
    options = {"method": found.name, "store_states": store_states,
               "progress_bar": progress_bar, "progress_stage": progress_stage,
               **method_options(config, found.name)}
    result = evolve(model, psi0, times, options=options, on_time=on_time,
                    warn_reflections=warn_reflections,
                    analysis=config.get("analysis"))
    result.wall_time = time.perf_counter() - start
    return result
