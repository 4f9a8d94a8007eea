r"""What the reproduction computes: spectra (Fig. 2), the packet's energy (Eq. 4),
the four runs (Figs. 3-6, with the data of Fig. 7), the Appendix's parallel start,
and the size of the chain-end echo.

Every function returns numbers; grading them is :mod:`qutip_stt.paper.claims`,
writing them :mod:`qutip_stt.io.paper_files`, drawing them
:mod:`qutip_stt.paper.figures`.
"""

import math
import warnings

import numpy as np
import scipy.optimize

from ..measures import observables as analysis
from ..model import spectrum
from ..config import apply_overrides
from ..solvers.evolution import ReflectionWarning
from ..simulation import build, check_reflections, simulate
from .cases import BAND_LEVELS, case_config

__all__ = ["compute_spectrum", "packet_energy", "packet_width_for",
           "spin_resolved_density", "run_case", "run_parallel",
           "echo_free_config", "echo_effect"]


def compute_spectrum(model, n_levels=BAND_LEVELS, n_xxz=6, n_full=7,
                     progress=None):
    """Everything Fig. 2 shows, as a dict of arrays.

    Parameters
    ----------
    model : STTModel
    n_levels : int, default: 40
        Lowest levels of the full Hamiltonian to compute (panel (b)).
    n_xxz, n_full : int, default: 6, 7
        Size of the ground multiplets whose spins panel (c) draws.
    progress : callable, optional
        Called with no argument after each of the 3 steps (XXZ levels, full
        levels, spins of the multiplets).

    Returns
    -------
    dict
        ``xxz_energies``, ``xxz_sectors`` (all XXZ levels),
        ``full_energies``, ``full_sectors`` (the ``n_levels`` lowest),
        ``xxz_bloch`` ``(n_xxz, N, 3)``, ``full_bloch`` ``(n_full, N+1, 3)``
        (electron first), and ``xxz_ground_*`` / ``full_ground_*`` energies
        and sectors of the two multiplets; energies in eV, ``S^z`` in hbar,
        spins in hbar/2.
    """
    tick = progress or (lambda: None)
    xe, xstates, xm = spectrum.xxz_levels(model, k=None, return_states=True,
                                          return_sectors=True)
    tick()
    xxz_bloch = np.array([[analysis.bloch_vector(st.ptrace(n), model.S)
                           for n in range(model.N)]
                          for st in xstates[:n_xxz]])
    fe, fstates = spectrum.ground_states(model, k=n_levels)
    tick()
    fm = np.array([float(np.dot(analysis.spin_probabilities(st, model),
                                model.sector_labels)) for st in fstates])
    full_bloch = np.array([
        [analysis.bloch_vector(analysis.reduced_density_matrix(
            st, model, "electron_spin"))]
        + [analysis.bloch_vector(analysis.reduced_density_matrix(
            st, model, f"local:{n}"), model.S) for n in range(1, model.N + 1)]
        for st in fstates[:n_full]])
    tick()
    return {
        "xxz_energies": xe, "xxz_sectors": xm,
        "xxz_ground_energies": xe[:n_xxz], "xxz_ground_sectors": xm[:n_xxz],
        "xxz_bloch": xxz_bloch,
        "full_energies": fe, "full_sectors": np.round(fm, 9),
        "full_ground_energies": fe[:n_full],
        "full_ground_sectors": np.round(fm[:n_full], 9),
        "full_bloch": full_bloch,
    }


# -- Eq. (4): energy and spread of the initial state --------------------------------

def packet_energy(model, state):
    """Mean energy and energy spread of a ket: ``<H>`` and ``sqrt(<H^2> - <H>^2)``.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Normalised ket with the model's dims (e.g. the Eq. (4) state).

    Returns
    -------
    (float, float)
        eV.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=400, N=5)
    >>> E, dE = packet_energy(model, initial_state(model))
    >>> round(E, 4), round(dE, 4)
    (-2.3821, 0.0243)
    """
    H = model.hamiltonian
    h_psi = H @ state
    energy = float(np.real(state.overlap(h_psi)))
    second = float(np.real(h_psi.overlap(h_psi)))
    return energy, math.sqrt(max(second - energy ** 2, 0.0))


def packet_width_for(config, target, which="energy", bracket=(0.2, 1.5)):
    """The ``dk`` of Eq. (4) for which the initial state has a given energy or spread.

    Parameters
    ----------
    config : dict
        Resolved config; everything but ``electron.dk`` is kept.
    target : float
        eV.
    which : {"energy", "spread"}
    bracket : (float, float)
        Interval of ``dk`` searched.

    Returns
    -------
    float or None
        ``dk`` (``delta k_x a``), or None if no ``dk`` in ``bracket`` fits.
    """
    position = {"energy": 0, "spread": 1}[which]
    model = build(config)[0]

    def mismatch(dk):
        cfg = apply_overrides(config, [f"electron.dk={dk!r}"])
        return packet_energy(model, build(cfg)[1])[position] - target

    lo, hi = bracket
    if mismatch(lo) * mismatch(hi) > 0:
        return None
    return float(scipy.optimize.brentq(mismatch, lo, hi, xtol=1e-6))


# -- dynamics ---------------------------------------------------------------------

def spin_resolved_density(states, model):
    """Electron density on each site for spin up and spin down.

    Parameters
    ----------
    states : list of qutip.Qobj
        Kets at each time.
    model : STTModel

    Returns
    -------
    up, down : numpy.ndarray
        Shape ``(T, Lx)``; ``up + down`` is the ``density`` of a result.
    """
    up, down = [], []
    for st in states:
        amp = st.full().reshape(model.Lx, 2, -1)
        w = (amp.conj() * amp).real.sum(axis=2)
        up.append(w[:, 0])
        down.append(w[:, 1])
    return np.array(up), np.array(down)


def run_case(name, quick, *, long_chain=False, progress_bar=None,
             progress_stage=None):
    """Simulate one preset; return the result and numbers needing the kets.

    Parameters
    ----------
    name : str
        A preset of :data:`qutip_stt.paper.cases.CASES`.
    quick : bool
        The quick size (:func:`~qutip_stt.paper.cases.case_config`).
    long_chain : bool, default: False
        Run on the chain of :func:`echo_free_config` (no chain-end echo)
        instead of the paper's.
    progress_bar, progress_stage : str, optional
        See :func:`qutip_stt.simulation.simulate`.

    Returns
    -------
    result : STTResult
    extra : dict
        ``config``, ``t_edge``, ``t_echo`` (fs or None), the electron purity
        check, and the spin-resolved density for the collinear case.
    """
    config = case_config(name, quick)
    if long_chain:
        config = echo_free_config(config)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReflectionWarning)
        t_edge, t_echo = check_reflections(config)
        result = simulate(config, store_states=True,
                          progress_bar=progress_bar,
                          progress_stage=progress_stage)
    model = result.model
    # Electron purity straight from its own reduced density matrix (the
    # sector route takes it from the local-spins side, equal by Schmidt).
    picks = np.unique(np.linspace(0, len(result.times) - 1, 11).astype(int))
    p_el = np.array([analysis.purity(analysis.reduced_density_matrix(
        result.states[i], model, "electron")) for i in picks])
    extra = {"config": config, "t_edge": t_edge, "t_echo": t_echo,
             "purity_check_index": picks, "purity_electron_ptrace": p_el}
    if name == "paper-collinear":
        extra["density_up"], extra["density_down"] = spin_resolved_density(
            result.states, model)
    result.states = None
    return result, extra


def run_parallel(quick, *, progress_bar=None, progress_stage=None):
    """The Appendix's parallel start ``|G> (x) |up> (x) |5/2>``: nothing may happen."""
    config = case_config("macrospin-collinear", quick, ["electron.spin=+z"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReflectionWarning)
        result = simulate(config, progress_bar=progress_bar,
                          progress_stage=progress_stage)
    S = result.model.S
    return {
        "max_purity_loss": float(np.max(1 - result.purity_local)),
        "max_spin_change": float(np.max(np.abs(
            result.local_spin[:, 0] - [0, 0, 2 * S]))),
        "min_orbital_purity": float(result.purity_orbital.min()),
    }


def echo_free_config(config):
    """The config on a chain long enough that the packet meets no end before ``t_max``.

    The chain is padded by the same number of sites on both sides (the
    packet and the spins keep their distances to each other), starting at
    one chain length and doubling until
    :func:`~qutip_stt.simulation.check_reflections` finds no chain end
    reached (at most 32 lengths of padding).

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    dict
        The padded config (the input when it already has no echo).

    Examples
    --------
    >>> from qutip_stt.paper.cases import case_config
    >>> cfg = echo_free_config(case_config("paper-collinear", quick=True))
    >>> cfg["chain"]["length"], cfg["local_spins"]["first_site"]
    (600, 298)
    """
    ch, ls, el = config["chain"], config["local_spins"], config["electron"]
    Lx = ch["length"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReflectionWarning)
        if check_reflections(config)[0] is None:
            return config
        pad = Lx
        while True:
            long_cfg = apply_overrides(config, [
                f"chain.length={Lx + 2 * pad}",
                f"electron.x0={el['x0'] + pad!r}",
                f"local_spins.first_site={ls['first_site'] + pad}"])
            if check_reflections(long_cfg)[0] is None or pad > 16 * Lx:
                return long_cfg
            pad *= 2


def echo_effect(config, t_edge, short, *, progress_bar=None,
                progress_stage=None):
    """How much the chain-end echo changes a run: rerun on a chain with no echo.

    The chain is padded on both sides (packet and spins keep their
    distances to each other) until the packet cannot reach an end before
    ``t_max``; the result is compared with the run on the original chain.

    Parameters
    ----------
    config : dict
        The resolved config of the run.
    t_edge : float or None
        When the packet reaches an end of the original chain (fs), from
        :func:`qutip_stt.simulation.check_reflections`; ``None`` means no
        echo and nothing is rerun.
    short : STTResult
        The run on the original chain.
    progress_bar, progress_stage : str, optional
        See :func:`qutip_stt.simulation.simulate`.

    Returns
    -------
    dict or None
        ``length`` of the long chain, ``max_spin_change`` (largest change of
        any component of local spin 1, hbar/2), ``max_purity_change`` (of the
        local spins), ``max_orbital_purity_change``, and the long run's arrays
        ``times``, ``local_spin_1``, ``purity_local``, ``purity_orbital``
        (for the overlays of the figures); ``None`` when ``t_edge`` is None.
    """
    if t_edge is None:
        return None
    long_cfg = echo_free_config(config)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReflectionWarning)
        long = simulate(long_cfg, warn_reflections=False,
                        progress_bar=progress_bar,
                        progress_stage=progress_stage)
    return {
        "length": long_cfg["chain"]["length"],
        "max_spin_change": float(np.max(np.abs(
            short.local_spin[:, 0] - long.local_spin[:, 0]))),
        "max_purity_change": float(np.max(np.abs(
            short.purity_local - long.purity_local))),
        "max_orbital_purity_change": float(np.max(np.abs(
            short.purity_orbital - long.purity_orbital))),
        "times": long.times, "local_spin_1": long.local_spin[:, 0],
        "purity_local": long.purity_local,
        "purity_orbital": long.purity_orbital,
    }
