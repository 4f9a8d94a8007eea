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
    width): above :data:`CHEBYSHEV_MAX_PHASE` in total it would run for hours
    and, per interval, allocate the series' coefficients.

:func:`check_limits` (called by :func:`qutip_stt.solvers.evolve` before any
propagation) refuses with one :class:`~qutip_stt.errors.ConfigError`
naming the parameter to change. Spectral bounds are Gershgorin discs of the
Hamiltonian (O(nnz), rigorous).
"""

import math

import numpy as np

from ..constants import HBAR_EV_FS
from ..errors import ConfigError

__all__ = ["check_limits", "crank_nicolson_bound", "CN_TOLERANCE", "CN_REFUSE",
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
             "local_spins.Jz": abs(model.Jz) * model.S ** 2 * (model.N - 1)}
    return max(terms, key=terms.get)


def check_limits(model, state, times, method, *, dt=None, options=None):
    """Refuse a run its method cannot do accurately or in reasonable time.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Initial ket.
    times : numpy.ndarray
        Output times, fs (increasing).
    method : {"chebyshev", "sesolve", "crank-nicolson"}
        A resolved method name.
    dt : float, optional
        Crank-Nicolson step, fs.
    options : dict, optional
        The solver options (``energy_shift`` for Crank-Nicolson, ``nsteps``
        for sesolve).

    Returns
    -------
    dict
        ``{"E_min", "E_max"}`` (eV: Gershgorin bounds of the ``Qobj``
        Hamiltonian, or for ``"chebyshev"`` the term-wise bounds of
        :func:`qutip_stt.spectral_bounds.hamiltonian_bounds`) and, for
        Crank-Nicolson, ``"cn_bound"``.

    Raises
    ------
    ConfigError
        ``evolution.dt`` (bound above :data:`CN_REFUSE`; with the step that
        meets :data:`CN_TOLERANCE`) for
        Crank-Nicolson, else the dominant energy parameter
        (``chain.hopping``, ``local_spins.J_sd``, ...) or ``evolution.t_max``.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=1, gamma=1e10)
    >>> check_limits(model, initial_state(model, x0=10), [0, 10], "chebyshev")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: chain.hopping: method 'chebyshev' needs about 3e+11 Chebyshev terms (spectral half-width 1.99e+10 eV over 10 fs), at most 1e+08: reduce chain.hopping or evolution.t_max
    """
    from ..spectral_bounds import hamiltonian_bounds
    from .chebyshev import gershgorin_bounds

    options = options or {}
    if method not in ("chebyshev", "sesolve", "crank-nicolson"):
        return {}       # e.g. "classical": no many-body Hamiltonian is built
    times = np.asarray(times, dtype=float)
    span = float(times[-1] - times[0])
    interval = float(np.max(np.diff(times))) if times.size > 1 else 0.0
    if method == "chebyshev":
        # the sector route never builds the Qobj H: bound it from its terms
        lo, hi = hamiltonian_bounds(model)
    else:
        H = model.hamiltonian.data_as("csr_matrix")
        lo, hi = gershgorin_bounds(H)
    out = {"E_min": lo, "E_max": hi}
    if span == 0:
        return out
    key = _dominant_parameter(model)
    change = f"reduce {key} or evolution.t_max"
    if method == "chebyshev":
        half = 0.5 * (hi - lo)
        terms = half * span / HBAR_EV_FS + 50 * (times.size - 1)
        if terms > CHEBYSHEV_MAX_PHASE:
            raise ConfigError(key, f"method 'chebyshev' needs about "
                              f"{terms:.2g} Chebyshev terms (spectral "
                              f"half-width {half:.3g} eV over {span:g} fs), at "
                              f"most {CHEBYSHEV_MAX_PHASE:.0e}: {change}")
    elif method == "sesolve":
        radius = max(abs(lo), abs(hi))
        phase = radius * interval / HBAR_EV_FS
        limit = SESOLVE_MAX_PHASE * options.get("nsteps", 100_000) / 100_000
        if phase > limit:
            raise ConfigError(key, f"method 'sesolve' would need more than "
                              f"its nsteps in one output interval: |E| up to "
                              f"{radius:.3g} eV over {interval:g} fs is "
                              f"{phase:.2g} rad, at most {limit:.0e}: "
                              f"use method 'auto' or {change}")
    elif method == "crank-nicolson":
        step = min(float(dt), interval)
        psi = state.full().ravel()
        # Observables do not see a global phase: the bound of the energy-
        # shifted scheme (the default) is the one that matters for them.
        unit = crank_nicolson_bound(H, psi, span, 1.0, energy_shift=True)
        bound = unit * step ** 2
        out["cn_bound"] = bound
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
