"""Method ``"classical"``: the mean-field limit (quantum electron, classical LLG spins).

The product ket of a config becomes the electron's spinor wave packet and
the classical spins ``M_n = <Sigma_n>``; :mod:`qutip_stt.solvers.classical`
integrates them (4th-order exact-flow splitting, step doubling) and reduces
each state to the observables of a quantum run, the purity and entropy of
the local spins fixed by definition (file attribute ``classical``).
"""

from ..registry import Method, Option, Outcome, register_method
from ._checks import integer, non_negative, one_electron, positive
from .crank_nicolson import DT_OPTION

__all__ = ["METHOD", "DEFAULT_TOL"]

#: Default step-doubling tolerance (per output interval, on electron
#: amplitudes and on M_n / 2S).
DEFAULT_TOL = 1e-8


def _requires(model):
    reason = one_electron(model)
    if reason:
        return reason
    bath = getattr(model, "bath", None)
    if bath is not None and bath.active:
        return _no_bath(model, bath)
    if model.electron_field or model.potential is not None:
        return ("the classical model does not include the electron's field "
                "or the site potential")
    return None


def _no_bath(model, bath):
    """Why a Lindblad bath has no meaning for classical spins, and what does."""
    import numpy as np
    from ...errors import ConfigError
    from ...model.bath import matching_alpha
    text = ("a Lindblad bath (relaxation, dephasing, temperature) has no "
            "meaning for classical spins of fixed length 2S; their relaxation "
            "is the Gilbert damping evolution.alpha")
    h = np.linalg.norm(np.asarray(model.field), axis=1)
    if bath.relaxation > 0 and np.all(h == h[0]) and h[0] > 0:
        try:
            alpha = matching_alpha(bath.relaxation, h[0])
        except ConfigError:
            return text
        text += (f" (alpha = {alpha:.4g} relaxes as bath.relaxation = "
                 f"{bath.relaxation:g} /fs in this field at T = 0)")
    return text


def _order(key, value):
    value = integer(key, value)
    if value not in (2, 4):
        from ...errors import ConfigError
        raise ConfigError(key, f"expected 2 or 4, got {value}")
    return value


def _run(request):
    from ..classical import (BY_DEFINITION, classical_initial_state,
                             evolve_classical)
    opts = request.options
    psi, M = classical_initial_state(request.model, request.state)
    t, arrays, info = evolve_classical(
        request.model, psi, M, request.times, dt=opts["dt"],
        alpha=opts["alpha"], tol=opts["tol"], order=opts["order"],
        on_time=request.on_time)
    attrs = {"classical": True,
             "classical_model": "mean-field (Ehrenfest) electron + classical "
                                "LLG local spins, docs/theory.md",
             "classical_by_definition": "; ".join(
                 f"{k}: {v}" for k, v in BY_DEFINITION.items()),
             **{f"classical_{k}": v for k, v in info.items()}}
    stats = {"run time": info["wall_s"], "steps": info["steps"],
             "halvings": info["halvings"], "max error": info["max_error"]}
    meaning = {name: {"by_definition": text}
               for name, text in BY_DEFINITION.items()}
    meaning["probabilities"] = {"meaning": (
        "mean-field product state: electron spin populations times the "
        "spin-coherent distributions along each M_n")}
    return Outcome(t, arrays, stats=stats, file_attrs=attrs,
                   dataset_attrs=meaning)


def _memory(Lx, N, S):
    # the chain's eigenbasis (dense Lx x Lx, three copies while built) and
    # O(Lx) electron vectors: no many-body Hamiltonian
    return {"hamiltonian": 0, "solver": 3 * 8 * Lx * Lx + 64 * 16 * Lx}


METHOD = register_method(Method(
    name="classical",
    summary="mean-field limit: classical local spins (LLG), quantum "
            "electron; 4th-order exact-flow splitting, step doubling",
    run=_run,
    options=(DT_OPTION,
             Option("alpha", 0.0, non_negative,
                    "Gilbert damping of the classical local spins; >= 0; "
                    "only with method \"classical\"; default 0", config=True,
                    only=True),
             Option("tol", DEFAULT_TOL, positive,
                    "step-doubling tolerance per output interval; > 0; "
                    "default 1e-8"),
             Option("order", 4, _order,
                    "order of the splitting, 2 or 4; default 4")),
    requires=_requires, memory=_memory, store_states=False, analysis=False))
