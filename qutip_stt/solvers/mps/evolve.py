r"""The MPS time evolution: TeNPy's two-site TDVP or MPO evolution between the output times.

:func:`evolve_mps` builds the MPO of the model
(:func:`~qutip_stt.solvers.mps.lattice.tenpy_model`) and the start
(:func:`~qutip_stt.solvers.mps.start.initial_mps`), then steps from one
output time to the next with the largest step ``<= dt`` that divides the
interval (every output time is hit exactly) and measures there
(:func:`~qutip_stt.solvers.mps.measure.measure`). TeNPy's time is in units
of hbar/eV: a step of ``dt`` fs is ``dt / hbar``.

Algorithms (``mps.algorithm``):

``"tdvp"``
    :class:`~tenpy.algorithms.tdvp.TwoSiteTDVPEngine`: the time-dependent
    variational principle, two sites at a time (Haegeman et al., Phys. Rev.
    B 94, 165116 (2016); a symmetric sweep, error ``O(dt^2)`` at fixed bond
    dimension), unitary up to truncation, energy conserved. Every term of H
    acts within two neighbouring sites (a local spin is grouped with its
    chain site, :mod:`~qutip_stt.solvers.mps.lattice`), so the two-site
    update grows every bond the dynamics needs, from the product state on.
``"expmpo"``
    :class:`~tenpy.algorithms.mpo_evolution.ExpMPOEvolution`: ``exp(-i H
    dt)`` as the ``W^II`` MPO of Zaletel et al., Phys. Rev. B 91, 165112
    (2015), second order (two complex sub-steps, error ``O(dt^2)``), applied
    and compressed by SVD at every step; not exactly unitary (the norm
    drifts by the order of its error).
"""

import math
import time

import numpy as np

from ...constants import HBAR_EV_FS as HBAR
from ...errors import ConfigError
from .lattice import tenpy_model
from .measure import measure
from .start import conserves_sz_start, initial_mps, local_factors, settle

__all__ = ["ALGORITHMS", "evolve_mps", "steps_between"]

#: The algorithms of ``mps.algorithm`` and what each is.
ALGORITHMS = {
    "tdvp": "two-site TDVP (TeNPy TwoSiteTDVPEngine)",
    "expmpo": "MPO evolution exp(-i H dt) ~ W^II (TeNPy ExpMPOEvolution), "
              "second order",
}

def steps_between(t0, t1, dt):
    """``(n, h)``: ``n`` equal steps ``h <= dt`` from ``t0`` to ``t1``.

    Examples
    --------
    >>> steps_between(0.0, 1.0, 0.3)
    (4, 0.25)
    """
    n = max(1, math.ceil((t1 - t0) / dt - 1e-9))
    return n, (t1 - t0) / n


def _mpo_engine(psi, tm, trunc):
    from tenpy.algorithms.mpo_evolution import ExpMPOEvolution
    return ExpMPOEvolution(psi, tm, {"trunc_params": trunc,
                                     "preserve_norm": False,
                                     "max_N_sites_per_ring": psi.L,
                                     "compression_method": "SVD",
                                     "order": 2, "approximation": "II"})


def _tdvp_engine(psi, tm, trunc):
    from tenpy.algorithms.tdvp import TwoSiteTDVPEngine
    return TwoSiteTDVPEngine(psi, tm, {"trunc_params": trunc,
                                       "preserve_norm": False,
                                       "max_N_sites_per_ring": psi.L})


def evolve_mps(model, state, times, *, chi_max=128, svd_min=1e-10, dt=0.05,
               algorithm="tdvp", on_time=None, pair_recorder=None,
               progress=None, on_measure=None):
    """Evolve a many-electron start as an MPS and measure at every output time.

    Parameters
    ----------
    model : ManyElectronModel
    state : ManyElectronState
        A Slater determinant with its orbitals, spinors and local ket (from
        :func:`~qutip_stt.states.fermions.many_electron_state`, lazy or not).
    times : array_like
        Increasing output times, fs.
    chi_max : int, default: 128
    svd_min : float, default: 1e-10
    dt : float, default: 0.05
        Largest step, fs.
    algorithm : {"tdvp", "expmpo"}, default: "tdvp"
    on_time : callable, optional
        Called with each output time once measured.
    pair_recorder : PairRecorder, optional
    progress : callable, optional
        Called with the fraction of the time span done.
    on_measure : callable, optional
        Called with ``(t, values)`` at each output time (``values`` the
        dict of :func:`~qutip_stt.solvers.mps.measure.measure`), so that a
        long run can keep what it has reached.

    Returns
    -------
    arrays : dict
        Every observable stacked in time.
    stats : dict
        Steps, wall time, charges conserved.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> from qutip_stt.states.fermions import many_electron_state
    >>> model = ManyElectronModel(Lx=6, N=1, Ne=2, first_site=3)
    >>> psi = many_electron_state(model, lead={"start": 0, "stop": 3}, lazy=True)
    >>> arrays, stats = evolve_mps(model, psi, [0.0, 1.0], dt=0.1)
    >>> arrays["density"].shape, arrays["mps/entanglement_entropy"].shape
    ((2, 6), (2, 5))
    """
    if state.orbitals is None or state.local is None:
        raise ConfigError("state", "method \"mps\" starts from a Slater "
                          "determinant given by its orbitals (from "
                          "many_electron_state)")
    start = time.perf_counter()
    times = np.asarray(times, dtype=float)
    factors = local_factors(state.local.full().ravel(), model.N, model.S)
    conserve = model.conserves_sz and conserves_sz_start(state.spinors,
                                                         factors)
    from tenpy.tools.optimization import temporary_level

    tm = tenpy_model(model, conserve)
    sites = tm.lat.mps_sites()
    psi = initial_mps(model, sites, tm.layout, state.orbitals, state.spinors,
                      factors)
    trunc = {"chi_max": int(chi_max), "svd_min": float(svd_min) or None,
             "trunc_cut": None}
    engine = (_tdvp_engine if algorithm == "tdvp" else _mpo_engine)(
        psi, tm, trunc)
    rows, eps = [], [0.0]
    steps = [0]

    def record():
        row = measure(psi, tm, sites, model, conserve, pair_recorder)
        row["mps/truncation_error"] = eps[0]
        rows.append(row)
        if on_measure is not None:
            on_measure(times[len(rows) - 1], row)

    record()
    if on_time is not None:
        on_time(times[0])
    for k in range(1, len(times)):
        n, h = steps_between(times[k - 1], times[k], dt)
        before = engine.trunc_err.eps
        with temporary_level("skip_arg_checks"):
            engine.run_evolution(n, h / HBAR)
        eps[0] += engine.trunc_err.eps - before
        steps[0] += n
        record()
        if on_time is not None:
            on_time(times[k])
        if progress is not None:
            progress((times[k] - times[0]) / max(times[-1] - times[0],
                                                 1e-300))
    settle(engine.options)
    arrays = {key: np.array([r[key] for r in rows]) for key in rows[0]}
    stats = {"evolution time": time.perf_counter() - start,
             "conserved charges": list(sites[0].leg.chinfo.names),
             "chi_max reached": int(arrays["mps/bond_dimension"].max()),
             "steps": steps[0]}
    return arrays, stats
