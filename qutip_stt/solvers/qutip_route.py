"""The route through :func:`qutip.sesolve`: the full-space methods.

Methods ``"sesolve"`` (QuTiP's adaptive ``dop853``) and
``"crank-nicolson"`` (our :class:`~qutip_stt.solvers.crank_nicolson.CrankNicolson`,
registered with :class:`qutip.SESolver`) both integrate the ``Qobj``
Hamiltonian ``model.hamiltonian_fs`` with QuTiP itself. An
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

__all__ = ["run_sesolve"]


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
        qres = qutip.sesolve(request.model.hamiltonian_fs, request.state,
                             request.times, e_ops={"norm": recorder},
                             options=opts)
    except KeyError as exc:           # QuTiP's word for an unknown option
        raise ConfigError("options", f"qutip.sesolve does not take option "
                          f"{exc.args[0]!r}") from None
    wall = time.perf_counter() - start
    stats = {"run time": wall - recorder.reduce_time,
             "reduce time": recorder.reduce_time,
             "qutip stats": dict(qres.stats)}
    return Outcome(recorder.times, recorder.arrays(), recorder.states,
                   stats=stats, qutip_result=qres)
