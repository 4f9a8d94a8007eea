"""The route through QuTiP's solvers: the full-space methods.

Methods ``"sesolve"`` (QuTiP's adaptive ``dop853``) and
``"crank-nicolson"`` (our :class:`~qutip_stt.solvers.crank_nicolson.CrankNicolson`,
registered with :class:`qutip.SESolver`) both integrate the ``Qobj``
Hamiltonian ``model.hamiltonian_fs`` with :func:`qutip.sesolve`; method
``"mesolve"`` integrates the density matrix of the open system (the bath's
collapse operators on the local spins) with :func:`qutip.mesolve`. An
:class:`~qutip_stt.measures.observables.ObservableRecorder` is the run's
``e_ops``: it hands every state to the one reducer as the run goes, so no
state is kept unless asked for.
"""

import time

import qutip

from . import crank_nicolson  # noqa: F401  (registers "crank-nicolson")
from .._util.progress import bar_options
from ..errors import ConfigError
from ..measures.observables import ObservableRecorder
from .registry import Outcome

__all__ = ["run_sesolve", "run_mesolve"]


def run_sesolve(request, solver_options):
    """Run :func:`qutip.sesolve` for an evolution request and reduce as it goes.

    Parameters
    ----------
    request : qutip_stt.solvers.registry.Run
    solver_options : dict
        Options of :func:`qutip.sesolve` (``method`` names its integrator);
        progress and storage options are set here.

    Returns
    -------
    qutip_stt.solvers.registry.Outcome
        With the :class:`qutip.solver.Result` and its ``stats``.
    """
    def solve(e_ops, options):
        return qutip.sesolve(request.model.hamiltonian_fs, request.state,
                             request.times, e_ops=e_ops, options=options)
    return _run_qutip(request, solve, solver_options, "qutip.sesolve")


def run_mesolve(request, solver_options):
    """Run :func:`qutip.mesolve` on the open model of a request, reducing as it goes.

    The density matrix of electron + local spins starts as
    ``|psi0><psi0|`` and evolves under ``model.hamiltonian_fs`` and the
    bath's ``model.collapse_operators`` (none for a closed model: then it
    is the Schrodinger evolution, as a density matrix).

    Parameters
    ----------
    request : qutip_stt.solvers.registry.Run
    solver_options : dict
        Options of :func:`qutip.mesolve`.

    Returns
    -------
    qutip_stt.solvers.registry.Outcome
    """
    model = request.model
    c_ops = list(getattr(model, "collapse_operators", [])) if getattr(
        model, "bath", None) is not None else []

    def solve(e_ops, options):
        return qutip.mesolve(model.hamiltonian_fs, request.state.proj(),
                             request.times, c_ops, e_ops=e_ops,
                             options=options)
    return _run_qutip(request, solve, solver_options, "qutip.mesolve")


def _run_qutip(request, solve, solver_options, name):
    """One QuTiP solver run with the recorder as its ``e_ops``."""
    bar_name, bar_kwargs = bar_options(request.progress_bar,
                                       request.progress_stage)
    opts = {"progress_bar": bar_name,
            "progress_kwargs": {"chunk_size": 10, **bar_kwargs},
            "store_states": False, "store_final_state": False,
            "normalize_output": False, **solver_options}
    start = time.perf_counter()
    recorder = ObservableRecorder(request.model,
                                  store_states=request.store_states,
                                  on_time=request.on_time,
                                  pair_recorder=request.pair_recorder)
    try:
        qres = solve({"norm": recorder}, opts)
    except KeyError as exc:           # QuTiP's word for an unknown option
        raise ConfigError("options", f"{name} does not take option "
                          f"{exc.args[0]!r}") from None
    wall = time.perf_counter() - start
    stats = {"run time": wall - recorder.reduce_time,
             "reduce time": recorder.reduce_time,
             "qutip stats": dict(qres.stats)}
    return Outcome(recorder.times, recorder.arrays(), recorder.states,
                   stats=stats, qutip_result=qres)
