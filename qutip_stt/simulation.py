"""From a resolved config to a result: the path ``qutip-stt simulate`` takes.

``config -> memory check -> build (model, initial state, times) -> evolve
(method-limit check, reflection check, propagation) -> STTResult``; :func:`qutip_stt.io.write_result` then writes it.
"""

import time

from .model import STTModel
from .resources import check_memory
from .solvers.evolution import (ReflectionWarning, evolve, output_times,
                             warn_reflection)
from .states import initial_state, local_state, reflection_times
from .terms import potential_profile

__all__ = ["build", "simulate", "ReflectionWarning", "check_reflections"]


def build(config):
    """Model, initial ket and output times (fs) of a resolved config.

    Parameters
    ----------
    config : dict
        A resolved config (:func:`resolve_config`).

    Returns
    -------
    model : STTModel
    psi0 : qutip.Qobj
        The Eq. (4) initial ket.
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
    ch, ls, el, ev = (config["chain"], config["local_spins"],
                      config["electron"], config["evolution"])
    model = STTModel(Lx=ch["length"], N=ls["count"], S=ls["spin"],
                     gamma=ch["hopping"], J_sd=ls["J_sd"], J=ls["J"],
                     Jz=ls["Jz"], first_site=ls["first_site"],
                     field=ls.get("field", 0.0),
                     electron_field=el.get("field", 0.0),
                     potential=potential_profile(ch.get("potential", []),
                                                 ch["length"]))
    local = local_state(
        model, ls.get("state", "product"), ls["direction"],
        None if ls.get("sector", "lowest") == "lowest" else ls["sector"],
        ls.get("seed", 0))
    psi0 = initial_state(model, k=el["k"], dk=el["dk"], x0=el["x0"],
                         electron=el["spin"], local=local)
    return model, psi0, output_times(ev["t_max"], ev["n_times"])


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
        See :func:`qutip_stt.states.reflection_times`.

    Examples
    --------
    >>> from qutip_stt.config import apply_overrides, preset
    >>> cfg = apply_overrides(preset("paper-collinear", resolve=False),
    ...                       ["chain.length=800"])
    >>> check_reflections(cfg)                     # no warning: nothing before 500 fs
    (None, None)
    """
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
        (:func:`qutip_stt.resources.check_memory`) exceeds what is available;
        before the evolution, when the method cannot do the run
        (:func:`qutip_stt.solvers.limits.check_limits`).

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
    model, psi0, times = build(config)
    ev = config["evolution"]
    method = method or ev["method"]
    options = None
    if method == "classical":   # builds no many-body Hamiltonian
        options = {"alpha": ev.get("alpha", 0.0)}
    result = evolve(model, psi0, times, method, dt=ev["dt"], options=options,
                    store_states=store_states, progress_bar=progress_bar,
                    progress_stage=progress_stage, on_time=on_time,
                    warn_reflections=warn_reflections,
                    analysis=config.get("analysis"))
    result.wall_time = time.perf_counter() - start
    return result
