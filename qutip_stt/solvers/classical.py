r"""Method ``"classical"``: the mean-field limit, from a product ket to observables.

The equations, their units and the integrator are in
:mod:`qutip_stt.solvers.mean_field`
(docs/theory.md, "Classical limit"). This module turns the initial ket of a
config into the electron spinor wave packet and the classical spins
``M_n = <Sigma_n>`` (refusing states with no classical counterpart), drives
the integrator through the output times with step-doubling control, and
reduces each state to the observables of a quantum run (``local/spin`` =
``M_n``; ``purity/local`` = 1 and ``entropy/local`` = 0 by definition,
:data:`BY_DEFINITION`).
"""

import math
import time

import numpy as np
from scipy.special import comb

from ..errors import ConfigError
from ..model.operators import dense_spin_operators
from .._util.validation import check_real
from .mean_field import _PAULI, MeanFieldSTT, _Counters
from .methods.classical import DEFAULT_TOL

__all__ = ["classical_initial_state", "evolve_classical", "observables",
           "BY_DEFINITION"]
#: Stored observables that are fixed by the classical model, not measured.
BY_DEFINITION = {
    "purity/local": "1 by definition: classical local spins are in a "
                    "product of spin-coherent (pure) states",
    "entropy/local": "0 by definition: classical local spins carry no "
                     "entanglement entropy",
}


def classical_initial_state(model, state):
    """Electron spinor wave packet and classical spins of a product ket.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Ket ``psi_e (x) |Omega_1> (x) ... (x) |Omega_N>`` with the model's
        dims and every local spin in a spin-coherent state (as made by
        :func:`qutip_stt.initial_state`).

    Returns
    -------
    psi : numpy.ndarray
        ``(Lx, 2)`` electron amplitudes ``psi_e(x, s)``, s = up, down.
    M : numpy.ndarray
        ``(N, 3)`` ``M_n = <Sigma_n>``, each of length ``2S``.

    Raises
    ------
    ConfigError
        If the electron is entangled with the local spins or a local spin is
        not in a spin-coherent state (``|<Sigma_n>| < 2S``): such a state has
        no classical counterpart.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> psi, M = classical_initial_state(model, initial_state(model, x0=10))
    >>> psi.shape, M
    ((40, 2), array([[0., 0., 1.],
           [0., 0., 1.]]))
    """
    amp = state.full().reshape(2 * model.Lx, -1)
    u, sv, vh = np.linalg.svd(amp, full_matrices=False)
    if sv.size > 1 and sv[1] > 1e-9 * sv[0]:
        raise ConfigError("state", "method 'classical' needs a product of the "
                          "electron and local-spin states (the electron is "
                          f"entangled: Schmidt ratio {sv[1] / sv[0]:.2e})")
    psi = (u[:, 0] * sv[0]).reshape(model.Lx, 2)
    local = vh[0].reshape([model.spin_dim] * model.N)
    ops = dense_spin_operators(model.S)
    M = np.empty((model.N, 3))
    for n in range(model.N):
        mat = np.moveaxis(local, n, 0).reshape(model.spin_dim, -1)
        rho = mat @ mat.conj().T
        M[n] = np.real(np.einsum("kji,ij->k", ops, rho))
        if np.linalg.norm(M[n]) < 2 * model.S * (1 - 1e-9):
            raise ConfigError(
                "state", f"method 'classical' needs every local spin in a "
                f"spin-coherent state; |<Sigma_{n + 1}>| = "
                f"{np.linalg.norm(M[n]):.6f} < 2S = {2 * model.S:g}")
    # exactly 2S: the coherent-state value, free of the SVD's round-off
    M *= 2 * model.S / np.linalg.norm(M, axis=1, keepdims=True)
    return psi, M


def _coherent_probabilities(M, S):
    """``|<m|Omega>|^2`` for m = S..-S of spin-coherent states along each M."""
    twoS = int(round(2 * S))
    cos2 = np.clip((1 + M[:, 2] / np.linalg.norm(M, axis=1)) / 2, 0, 1)
    k = np.arange(twoS + 1)                      # S - m
    return (comb(twoS, k)[None, :] * cos2[:, None] ** (twoS - k)
            * (1 - cos2[:, None]) ** k)


def observables(mf, phi, M):
    """Every stored observable of the mean-field state, keyed like the quantum ones.

    Parameters
    ----------
    mf : MeanFieldSTT
    phi : numpy.ndarray
        ``(Lx, 2)`` electron in the eigenbasis of ``H_tb``.
    M : numpy.ndarray
        ``(N, 3)`` local spins, hbar/2.

    Returns
    -------
    dict
        Keys and units of :data:`qutip_stt.measures.reducer.OBSERVABLES`.


    ``purity_local`` = 1 and ``entropy_local`` = 0 hold by definition
    (:data:`BY_DEFINITION`); ``probabilities`` are those of the mean-field
    product state (electron spin populations times the spin-coherent
    distributions along each ``M_n``); ``purity_electron`` is
    ``Tr rho_e^2 = <psi_e|psi_e>^2`` of the electron's own pure state and ``purity_orbital``
    the purity of its orbital factor (orbit and spin of the one electron can
    entangle).
    """
    model = mf.model
    psi = mf.to_sites(phi)
    weights = np.abs(psi) ** 2
    norm2 = float(weights.sum())
    gram = psi.conj().T @ psi        # gram[i, j] = sum_x psi*(x,i) psi(x,j)
    spin = np.real(np.einsum("ij,kij->k", gram, _PAULI))
    probs = np.array([np.real(gram[0, 0]), np.real(gram[1, 1])])
    for p in _coherent_probabilities(M, model.S):
        probs = np.multiply.outer(probs, p)
    return {
        "electron_spin": spin,
        "local_spin": M.copy(),
        "purity_local": 1.0,
        "purity_electron": norm2 ** 2,
        "purity_orbital": float(np.sum(np.abs(gram) ** 2)),
        "entropy_local": 0.0,
        "probabilities": probs.ravel(),
        "norm": math.sqrt(norm2),
        "energy": mf.energy(phi, M) / norm2,
        "total_sz": spin[2] + float(M[:, 2].sum()),
        "density": weights.sum(axis=1),
    }


def evolve_classical(model, psi, M, times, *, alpha=0.0, dt=0.1,
                     tol=DEFAULT_TOL, order=4, on_time=None):
    """Integrate the mean-field equations and record observables at ``times``.

    Parameters
    ----------
    model : STTModel
    psi : numpy.ndarray
        ``(Lx, 2)`` electron amplitudes at ``times[0]``.
    M : numpy.ndarray
        ``(N, 3)`` local spins at ``times[0]``, units hbar/2.
    times : array_like
        Increasing output times, fs.
    alpha : float, default: 0
        Gilbert damping, >= 0.
    dt : float, default: 0.1
        Largest step, fs: each output interval is run with steps of at most
        ``2 dt`` and of at most ``dt``, and both are halved until their
        difference meets ``tol``; the finer result is kept.
    tol : float, default: DEFAULT_TOL
        Step-doubling error estimate allowed per output interval.
    order : {4, 2}, default: 4
    on_time : callable, optional
        Called with each output time (fs) once its observables are computed.

    Returns
    -------
    times : numpy.ndarray
    arrays : dict
        Observables keyed like :data:`qutip_stt.measures.reducer.OBSERVABLES`.
    info : dict
        ``steps``, ``halvings``, ``max_error`` (largest accepted estimate),
        ``order``, ``tol``, ``alpha``, ``wall_s``.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> psi, M = classical_initial_state(model, initial_state(model, x0=20))
    >>> t, arrays, info = evolve_classical(model, psi, M, [0, 5, 10])
    >>> arrays["local_spin"].shape, info["order"]
    ((3, 2, 3), 4)
    """
    start = time.perf_counter()
    times = np.asarray(times, dtype=float)
    dt = check_real("evolution.dt", dt, minimum=0, strict_minimum=True)
    tol = check_real("tol", tol, minimum=0, strict_minimum=True)
    mf = MeanFieldSTT(model, alpha=alpha, order=order)
    counters = _Counters()
    phi, M = mf.to_eigenbasis(np.asarray(psi, complex)), np.array(M, float)
    records = [observables(mf, phi, M)]
    if on_time is not None:
        on_time(float(times[0]))
    n = None
    for t0, t1 in zip(times[:-1], times[1:]):
        span = t1 - t0
        # coarse steps of at most 2 dt, so the accepted (fine) step is <= dt
        n_max = max(1, math.ceil(span / (2 * dt) - 1e-9))
        n = n_max if n is None else min(max(1, n), n_max)
        (phi, M), used, err = mf.interval(phi, M, span, n, tol, counters)
        # next interval: the step that met tol, a coarser one if far below
        n = used // 4 if err < tol / 2 ** (mf.order + 2) else used // 2
        records.append(observables(mf, phi, M))
        if on_time is not None:
            on_time(float(t1))
    arrays = {key: np.asarray([r[key] for r in records]) for key in records[0]}
    info = {"steps": counters.steps, "halvings": counters.halvings,
            "max_error": counters.max_error, "order": mf.order, "tol": tol,
            "alpha": mf.alpha, "wall_s": time.perf_counter() - start}
    return times, arrays, info
