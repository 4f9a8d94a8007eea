r"""What each evolution method can do, checked before it starts.

Every method has a limit on ``|E| t / hbar`` that it does not report itself:

``"crank-nicolson"``
    The Cayley transform gives an eigenstate of energy ``E`` the phase
    ``2 arctan(x / 2)`` instead of ``x = (E - <H>) dt / hbar``, an error of at
    most ``|x|^3 / 12`` per step. Summed over ``t / dt`` steps and bounded by
    Cauchy-Schwarz, the state error is at most

    .. math::

        \epsilon_{CN} = \frac{t\, dt^2}{12 \hbar^3}
            \| (H - \langle H \rangle)^3 \psi_0 \|

    (:func:`crank_nicolson_bound`). A run whose bound exceeds
    :data:`CN_REFUSE` is refused with the step that meets
    :data:`CN_TOLERANCE`; a large
    ``|E| dt`` does not fail, it silently freezes the dynamics.
``"sesolve"``
    dop853 needs a step of order ``hbar / |E|_max``; more than
    :data:`SESOLVE_MAX_PHASE` radians ``|E|_max dt_out / hbar`` in one output
    interval exceeds its ``nsteps`` (QuTiP raises only after the work).
``"chebyshev"`` / ``"auto"``
    The series has about ``a t / hbar`` terms (``a`` the spectral half
    width): above :data:`CHEBYSHEV_MAX_PHASE` in total it would take as many
    sparse products and, per interval, allocate the series' coefficients.
``"exact"`` (many electrons)
    The same series limit, and the memory of the sectors, which grow as
    binomials of the chain length: refused before any work when they do not
    fit, with both numbers.

Each method declares its function here as its ``limits``
(:class:`~qutip_stt.solvers.registry.Method`);
:func:`qutip_stt.solvers.evolve` calls it before any propagation, and it
refuses with one :class:`~qutip_stt.errors.ConfigError` naming the
parameter to change. Spectral bounds are Gershgorin discs of the
Hamiltonian (O(nnz), rigorous), or for the sector route the term-wise
bounds of :func:`qutip_stt.model.bounds.hamiltonian_bounds`.
"""

import math

import numpy as np

from ..constants import HBAR_EV_FS
from ..errors import ConfigError

__all__ = ["check_limits", "chebyshev_limits", "exact_limits",
           "check_fermion_memory", "sesolve_limits", "crank_nicolson_limits",
           "crank_nicolson_bound", "CN_TOLERANCE", "CN_REFUSE",
           "SESOLVE_MAX_PHASE", "CHEBYSHEV_MAX_PHASE"]

#: Crank-Nicolson state error ``||psi_CN(t) - psi(t)||`` the suggested step
#: meets (spin components, purities and probabilities move by at most 4
#: times it).
CN_TOLERANCE = 1e-3

#: Crank-Nicolson runs whose phase-error bound exceeds this are refused: the
#: state may be entirely wrong. The bound is the leading order of the state
#: error; observables are usually far less sensitive (a 0.4 fs step on the
#: paper's packet has a bound of 0.15 and spin errors below 1e-4), which is
#: why runs between CN_TOLERANCE and this still go ahead.
CN_REFUSE = 1.0

#: Largest ``|E|_max * (output interval) / hbar`` for dop853 (radians).
SESOLVE_MAX_PHASE = 2e5

#: Largest ``a * t_total / hbar`` (about the number of Chebyshev terms).
CHEBYSHEV_MAX_PHASE = 1e8


def crank_nicolson_bound(H, psi, t, dt, energy_shift=True):
    """Rigorous bound on ``||psi_CN(t) - psi(t)||`` for Crank-Nicolson.

    Parameters
    ----------
    H : scipy.sparse matrix
        Hamiltonian, eV.
    psi : numpy.ndarray
        Initial ket (normalised).
    t : float
        Total time, fs.
    dt : float
        Step, fs.
    energy_shift : bool, default: True
        Energies measured from ``<H>`` (what the integrator does by default).

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np, scipy.sparse
    >>> H = scipy.sparse.diags([0.0, 1.0])
    >>> psi = np.array([1.0, 1.0]) / np.sqrt(2)
    >>> bound = crank_nicolson_bound(H, psi, 100.0, 0.1)
    >>> round(bound, 4)                  # 100 fs * 0.01 fs^2 * 0.125 eV^3 / (12 hbar^3)
    0.0365
    """
    v = np.asarray(psi, dtype=complex).ravel()
    E0 = float(np.vdot(v, H @ v).real) if energy_shift else 0.0
    for _ in range(3):
        v = H @ v - E0 * v
    return float(t) * float(dt) ** 2 / (12 * HBAR_EV_FS ** 3) * float(
        np.linalg.norm(v))


def _dominant_parameter(model):
    """The config key of the energy scale that dominates the spectrum."""
    terms = {"chain.hopping": 2 * abs(model.gamma),
             "local_spins.J_sd": abs(model.J_sd) * model.S,
             "local_spins.J": abs(model.J) * model.S ** 2 * (model.N - 1),
             "local_spins.Jz": abs(model.Jz) * model.S ** 2 * (model.N - 1),
             "local_spins.field": 2 * model.S * model.N * float(
                 np.abs(model.field).max(initial=0.0)),
             "electron.field": abs(model.electron_field),
             "chain.potential": 0.0 if model.potential is None else float(
                 np.abs(model.potential).max()),
             "electrons.hubbard_U": abs(getattr(model, "hubbard_U", 0.0))}
    return max(terms, key=terms.get)


def _spans(times):
    """Total span and longest output interval of ``times`` (fs)."""
    times = np.asarray(times, dtype=float)
    span = float(times[-1] - times[0])
    interval = float(np.max(np.diff(times))) if times.size > 1 else 0.0
    return span, interval


#: The paper's scales: spectral half-width (eV) of its chain, its t_max and
#: its output interval (fs). A refusal blames whichever of energy and time
#: is further beyond its paper value.
_PAPER_HALF_WIDTH, _PAPER_SPAN, _PAPER_INTERVAL = 2.0, 500.0, 5.0


def _blame(model, half, time, paper_time):
    """The key a refusal names: the dominant energy, or ``evolution.t_max``
    when the time is further beyond the paper's than the energy is."""
    if time / paper_time > half / _PAPER_HALF_WIDTH:
        return "evolution.t_max"
    return _dominant_parameter(model)


def _change(model):
    return f"reduce {_dominant_parameter(model)} or evolution.t_max"


def chebyshev_limits(model, times):
    """Method ``"chebyshev"``: refuse a series of more than :data:`CHEBYSHEV_MAX_PHASE` terms.

    The sector route never builds the ``Qobj`` H: it is bounded from its
    terms (:func:`qutip_stt.model.bounds.hamiltonian_bounds`).

    Parameters
    ----------
    model : STTModel
    times : numpy.ndarray
        Output times, fs (increasing).

    Returns
    -------
    dict
        ``{"E_min", "E_max"}``, eV.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> chebyshev_limits(STTModel(Lx=40, N=1, gamma=1e3), [0, 1e5])
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: chain.hopping: method 'chebyshev' needs about 3e+08 Chebyshev terms (spectral half-width 1.99e+03 eV over 100000 fs), at most 1e+08: reduce chain.hopping or evolution.t_max
    """
    from ..model.bounds import hamiltonian_bounds
    lo, hi = hamiltonian_bounds(model)
    _series_limit("chebyshev", model, lo, hi, times)
    return {"E_min": lo, "E_max": hi}


def _series_limit(method, model, lo, hi, times):
    """Refuse a Chebyshev run of more than :data:`CHEBYSHEV_MAX_PHASE` terms
    over the spectrum ``[lo, hi]`` (eV)."""
    span, _ = _spans(times)
    half = 0.5 * (hi - lo)
    terms = half * span / HBAR_EV_FS + 50 * (len(times) - 1)
    if span > 0 and terms > CHEBYSHEV_MAX_PHASE:
        raise ConfigError(_blame(model, half, span, _PAPER_SPAN),
                          f"method '{method}' "
                          f"needs about {terms:.2g} Chebyshev terms "
                          f"(spectral half-width {half:.3g} eV over "
                          f"{span:g} fs), at most "
                          f"{CHEBYSHEV_MAX_PHASE:.0e}: {_change(model)}")


def exact_limits(model, state, times, available=None):
    """Method ``"exact"``: refuse sectors larger than memory, or too long a series.

    Parameters
    ----------
    model : ManyElectronModel
    state : ManyElectronState
        The initial ket (its populated sectors are propagated).
    times : numpy.ndarray
        Output times, fs.
    available : int, optional
        Bytes available; default :func:`qutip_stt._util.resources.available_memory`.

    Returns
    -------
    dict
        ``{"memory estimate"}`` (bytes) and the largest sector ``{"largest
        sector"}`` (``(m, states)``), ``{"E_min", "E_max"}`` (eV).

    Raises
    ------
    ConfigError
        ``electrons.count`` when the sectors do not fit, with both numbers
        (and the MPS method, ``method = "mps"``, for such runs); the dominant energy
        parameter when the series would exceed :data:`CHEBYSHEV_MAX_PHASE`.
    """
    from .._util.resources import MEMORY_FRACTION, available_memory
    from .memory import fermion_memory
    sizes = state.sizes
    need = fermion_memory(model, sizes, len(times))
    if available is None:
        available = available_memory()
    check_fermion_memory(need, available, MEMORY_FRACTION)
    bounds = [model.sector_bounds(m) for m in sizes]
    lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
    _series_limit("exact", model, lo, hi, times)
    return {"memory estimate": need["total"], "largest sector": need["largest"],
            "E_min": lo, "E_max": hi}


def check_fermion_memory(need, available, fraction):
    """Refuse a many-electron run whose estimate ``need`` (:func:`~qutip_stt.solvers.memory.fermion_memory`) exceeds ``fraction`` of ``available`` bytes.

    Examples
    --------
    >>> need = {"total": 40 * 2**30, "largest": (1.5, 10**9)}
    >>> check_fermion_memory(need, 16 * 2**30, 0.8)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: electrons.count: the exact sectors need about 40.0 GiB (the largest, total S^z = 1.5, holds 1,000,000,000 states), more than 80% of the 16.0 GiB available; reduce electrons.count or chain.length, or use the MPS method (method = "mps", [mps] chi_max, pip install "qutip-stt[mps]")
    """
    if available is None or need["total"] <= fraction * available:
        return
    gib = 2 ** 30
    m, states = need["largest"]
    raise ConfigError("electrons.count", f"the exact sectors need about "
                      f"{need['total'] / gib:.1f} GiB (the largest, total S^z "
                      f"= {m:g}, holds {states:,} states), more than "
                      f"{fraction:.0%} of the {available / gib:.1f} GiB "
                      "available; reduce electrons.count or chain.length, or "
                      "use the MPS method (method = \"mps\", [mps] chi_max, "
                      "pip install \"qutip-stt[mps]\")")


def sesolve_limits(model, times, options=None):
    """Method ``"sesolve"``: refuse output intervals beyond dop853's ``nsteps``.

    Parameters
    ----------
    model : STTModel
    times : numpy.ndarray
        Output times, fs.
    options : dict, optional
        ``nsteps`` of :func:`qutip.sesolve` (default 100,000).

    Returns
    -------
    dict
        ``{"E_min", "E_max"}``: Gershgorin bounds of the ``Qobj`` H, eV.
    """
    from ..model.bounds import gershgorin_bounds
    lo, hi = gershgorin_bounds(model.hamiltonian.data_as("csr_matrix"))
    _, interval = _spans(times)
    radius = max(abs(lo), abs(hi))
    phase = radius * interval / HBAR_EV_FS
    nsteps = (options or {}).get("nsteps", 100_000)
    limit = SESOLVE_MAX_PHASE * nsteps / 100_000
    if phase > limit:
        raise ConfigError(_blame(model, radius, interval, _PAPER_INTERVAL),
                          f"method 'sesolve' "
                          f"would need more than its nsteps in one output "
                          f"interval: |E| up to {radius:.3g} eV over "
                          f"{interval:g} fs is {phase:.2g} rad, at most "
                          f"{limit:.0e}: use method 'auto' or "
                          f"{_change(model)}")
    return {"E_min": lo, "E_max": hi}


def crank_nicolson_limits(model, state, times, dt):
    """Method ``"crank-nicolson"``: refuse a step whose phase-error bound exceeds :data:`CN_REFUSE`.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Initial ket.
    times : numpy.ndarray
        Output times, fs.
    dt : float
        Step, fs (an output interval shorter than it is one step).

    Returns
    -------
    dict
        ``{"E_min", "E_max"}`` (Gershgorin, eV) and ``"cn_bound"`` (of the
        energy-shifted scheme, the default: observables do not see a global
        phase).
    """
    from ..model.bounds import gershgorin_bounds
    H = model.hamiltonian.data_as("csr_matrix")
    lo, hi = gershgorin_bounds(H)
    out = {"E_min": lo, "E_max": hi}
    span, interval = _spans(times)
    if span == 0:
        return out
    step = min(float(dt), interval)
    unit = crank_nicolson_bound(H, state.full().ravel(), span, 1.0,
                                energy_shift=True)
    bound = out["cn_bound"] = unit * step ** 2
    if bound > CN_REFUSE:
        good = math.sqrt(CN_TOLERANCE / unit)
        steps = span / good
        hint = (f"dt <= {good:.3g} fs ({steps:.3g} steps)" if steps <= 1e8
                else f"method 'auto' (dt <= {good:.2g} fs would take "
                f"{steps:.2g} steps)")
        raise ConfigError("evolution.dt", f"Crank-Nicolson with dt = "
                          f"{step:g} fs over {span:g} fs has a phase error "
                          f"bound of {bound:.2g} (state norm), above "
                          f"{CN_REFUSE:g}: use {hint} (bound "
                          f"{CN_TOLERANCE:g})")
    return out


def check_limits(model, state, times, method, *, dt=None, options=None):
    """Refuse a run its method cannot do accurately or in reasonable time.

    The lookup of the method's declared ``limits``
    (:class:`~qutip_stt.solvers.registry.Method`).

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Initial ket.
    times : numpy.ndarray
        Output times, fs (increasing).
    method : str
        A registered method name.
    dt : float, optional
        The step of a fixed-step method, fs.
    options : dict, optional
        The method's options.

    Returns
    -------
    dict
        What the method's limits report (``E_min``, ``E_max`` in eV,
        ``cn_bound``); empty for a method without limits.

    Raises
    ------
    ConfigError
        Naming ``evolution.dt``, the dominant energy parameter
        (``chain.hopping``, ``local_spins.J_sd``, ...) or
        ``evolution.t_max``.
    """
    from .registry import check_options, get_method
    found = get_method(method)
    if found.limits is None:
        return {}
    opts = dict(options or {})
    if dt is not None:
        opts["dt"] = dt
    if found.pass_through is None:
        opts = {k: v for k, v in opts.items() if found.option(k) is not None}
    return found.limits(model, state, np.asarray(times, dtype=float),
                        check_options(found, opts))
