"""From a resolved config to a result: the path ``qutip-stt simulate`` takes.

``config -> memory check -> reflection check -> build (model, initial state,
times) -> evolve -> STTResult``; :func:`qutip_stt.io.write_result` then writes it.
"""

import time
import warnings

from .config import build
from .evolution import evolve
from .resources import check_memory
from .states import reflection_times

__all__ = ["simulate", "ReflectionWarning", "check_reflections"]


class ReflectionWarning(UserWarning):
    """The wave packet reaches a chain end, and its echo the local spins, within t_max.

    Issued by :func:`check_reflections` (and so by :func:`simulate` and
    ``qutip-stt simulate``); a longer ``chain.length`` removes it. Turn it
    into an error with ``warnings.simplefilter("error", ReflectionWarning)``.

    Examples
    --------
    >>> import warnings
    >>> from qutip_stt.config import preset
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = check_reflections(preset("paper-collinear"))
    >>> caught[0].category is ReflectionWarning
    True
    """


def check_reflections(config):
    """Warn (:class:`ReflectionWarning`) if reflections matter before ``t_max``.

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
    if t_edge is not None:
        echo = (f"its reflection changes the density on the local spins by "
                f"1e-3 at t = {t_echo:g} fs" if t_echo is not None else
                "its reflection does not reach the local spins before t_max")
        warnings.warn(
            f"the wave packet reaches a chain end (1% within 10 sites) at "
            f"t = {t_edge:g} fs < t_max = {ev['t_max']:g} fs; {echo}; a longer "
            f"chain.length removes this", ReflectionWarning, stacklevel=2)
    return t_edge, t_echo


def simulate(config, *, progress_bar=None, store_states=False, method=None,
             warn_reflections=True):
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
        Run :func:`check_reflections` first (about 0.1 s on the paper's
        chain); a parameter sweep checks once per geometry instead.

    Returns
    -------
    STTResult
        ``wall_time`` counts building the model and the state, evolving and
        computing observables (the ``evolution_wall_s`` of the HDF5 file).

    Raises
    ------
    ConfigError
        Before anything is built, when the run's memory estimate
        (:func:`qutip_stt.resources.check_memory`) exceeds what is available.

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
    if warn_reflections:
        check_reflections(config)
    start = time.perf_counter()
    model, psi0, times = build(config)
    ev = config["evolution"]
    method = method or ev["method"]
    options = None
    if method == "classical":   # needs no many-body Hamiltonian
        options = {"alpha": ev.get("alpha", 0.0)}
    else:
        model.hamiltonian  # built here, so that the wall time includes it
    result = evolve(model, psi0, times, method, dt=ev["dt"], options=options,
                    store_states=store_states, progress_bar=progress_bar)
    result.wall_time = time.perf_counter() - start
    return result
