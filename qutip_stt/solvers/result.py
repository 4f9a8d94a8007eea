"""The result of an evolution: times and every observable, like a QuTiP ``Result``.

:class:`STTResult` keeps every observable under its own name
(``result.local_spin``) and answers to what a user of
:class:`qutip.solver.Result` reaches for: ``times``, ``expect`` (a list, in
the order of :data:`~qutip_stt.measures.reducer.OBSERVABLES`), ``e_data``
(a dict of the same arrays), ``stats``, ``states`` and ``final_state``.
"""

from dataclasses import dataclass, field

import numpy as np

from ..measures.reducer import OBSERVABLES

__all__ = ["STTResult", "build_result"]


@dataclass
class STTResult:
    """Result of an evolution: times and every observable, like a QuTiP ``Result``.

    Attributes
    ----------
    times : numpy.ndarray
        Output times, fs, shape ``(T,)``.
    electron_spin : numpy.ndarray
        ``(T, 3)``: ``<sigma_x>, <sigma_y>, <sigma_z>`` of the electron.
    local_spin : numpy.ndarray
        ``(T, N, 3)``: the same for every local spin, units hbar/2.
    purity_local, purity_electron, purity_orbital : numpy.ndarray
        ``(T,)``: ``Tr rho^2`` of all local spins (Eq. 7), of the electron
        (orbital + spin), and of the electron orbital factor alone.
    entropy_local : numpy.ndarray
        ``(T,)``: von Neumann entropy of all local spins, natural log.
    probabilities : numpy.ndarray
        ``(T, M)``: Eq. (8), columns as in ``configurations``.
    configurations : numpy.ndarray
        ``(M, N+1)``: m of the electron then of each local spin per column.
    labels : list of str
        ``(M,)`` labels like ``"↓;↑↑↑↑↑"``.
    norm, energy, total_sz : numpy.ndarray
        ``(T,)``: ``<psi|psi>``, ``<H>`` in eV, total ``S^z`` in hbar/2.
    density : numpy.ndarray
        ``(T, Lx)``: electron probability on each site.
    states : list of qutip.Qobj or None
        Kets at every output time when ``store_states=True``.
    method : str
        The method that ran (``"auto"`` resolved).
    model : STTModel
    wall_time : float
        Seconds spent evolving and reducing.
    qutip_result : qutip.solver.Result or None
        The underlying QuTiP result where a QuTiP solver ran.
    entanglement : dict or None
        Pair and block measures when asked for (``analysis=`` of
        :func:`~qutip_stt.solvers.evolve`): ``pairs_index`` ``(P, 2)``,
        ``blocks_index`` ``(B, 2)``, and ``(T, P)`` arrays
        ``mutual_information`` (nats), ``concurrence``, ``log_negativity``
        (bits), ``correlation``, and ``block_entropy`` ``(T, B)`` (nats); see
        :mod:`qutip_stt.measures.pairs`.
    file_attrs : dict
        Extra HDF5 file attributes the method wants recorded (method
        ``"classical"``: ``classical = True`` and its integrator's numbers).
    stats : dict
        As QuTiP's ``Result.stats``: ``"method"``, ``"solver"``,
        ``"init time"`` (checks and limits), ``"preparation time"``,
        ``"run time"``, ``"reduce time"`` and ``"total time"`` (seconds),
        ``"memory estimate"`` (bytes), ``"num_expect"``, and what the
        method counted (``"sectors"``, ``"series terms"``, ``"steps"``, or
        QuTiP's own ``"qutip stats"``).
    extra : dict
        Arrays a method stores beyond the observables (its declared
        ``stores``), keyed by dataset path.
    dataset_attrs : dict
        Attributes the method records on datasets of the file
        (``{path: {name: value}}``: what a value means for this method).

    Examples
    --------
    >>> from qutip_stt import STTModel, evolve, initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> result = evolve(model, initial_state(model, x0=20), [0, 5, 10])
    >>> result.method, result.purity_local.shape, list(result.e_data)[:2]
    ('chebyshev', (3,), ['electron_spin', 'local_spin'])
    >>> result.expect[1] is result.local_spin, result.stats["method"]
    (True, 'chebyshev')
    """

    times: np.ndarray
    electron_spin: np.ndarray
    local_spin: np.ndarray
    purity_local: np.ndarray
    purity_electron: np.ndarray
    purity_orbital: np.ndarray
    entropy_local: np.ndarray
    probabilities: np.ndarray
    configurations: np.ndarray
    labels: list
    norm: np.ndarray
    energy: np.ndarray
    total_sz: np.ndarray
    density: np.ndarray
    method: str
    model: object = field(repr=False)
    states: list = field(default=None, repr=False)
    wall_time: float = 0.0
    qutip_result: object = field(default=None, repr=False)
    entanglement: dict = field(default=None, repr=False)
    file_attrs: dict = field(default_factory=dict, repr=False)
    stats: dict = field(default_factory=dict, repr=False)
    extra: dict = field(default_factory=dict, repr=False)
    dataset_attrs: dict = field(default_factory=dict, repr=False)

    @property
    def e_data(self):
        """Every observable as a dict of arrays, time first, keyed as
        :data:`~qutip_stt.measures.reducer.OBSERVABLES` (QuTiP's
        ``Result.e_data``)."""
        return {key: getattr(self, key) for key in OBSERVABLES}

    @property
    def expect(self):
        """Every observable as a list of arrays, in the order of
        :data:`~qutip_stt.measures.reducer.OBSERVABLES` (QuTiP's
        ``Result.expect``): ``result.expect[1]`` is ``result.local_spin``."""
        return [getattr(self, key) for key in OBSERVABLES]

    @property
    def final_state(self):
        """The ket at the last time, if states were stored."""
        return self.states[-1] if self.states else None

    def summary(self):
        """A few lines: final spins with their lengths, purities, the
        electron's spin flip, norm and energy drift, wall time.

        Spins are in units of hbar/2 (``<Sigma> = 2 <S>``): a pure spin S
        has ``|<Sigma>| = 2S``, and a spin that *shrinks* without rotating
        (the quantum spin-transfer torque) keeps its direction while
        ``|<Sigma>|`` falls. A spin 1/2's own purity is
        ``(1 + |<Sigma>|^2) / 2``. The lines are those of
        :func:`qutip_stt.solvers.summary.run_summary` (also what
        ``qutip-stt info`` prints from a file).
        """
        from .summary import run_summary

        return run_summary(
            self.method, self.times, self.wall_time, self.electron_spin,
            self.local_spin, float(getattr(self.model, "S", 0.5)),
            self.purity_local, self.purity_electron, self.norm, self.energy,
            total_sz=self.total_sz,
            count_right=(self.extra or {}).get("electrons/count_right"),
            many="electrons/spin" in (self.extra or {}))


def build_result(model, times, arrays, method, *, states=None, wall_time=0.0,
                 qutip_result=None, pair_recorder=None, file_attrs=None,
                 stats=None, extra=None, dataset_attrs=None,
                 configurations=None):
    """Assemble an :class:`STTResult` from observable arrays (used by every route).

    Parameters
    ----------
    model : STTModel
    times : array_like
        Output times, fs.
    arrays : dict
        Observables keyed as :data:`qutip_stt.measures.reducer.OBSERVABLES`.
    method : str
    states, wall_time, qutip_result, file_attrs, stats, extra, dataset_attrs
        Stored on the result as given.
    pair_recorder : qutip_stt.measures.pairs.PairRecorder, optional
        Its arrays become ``result.entanglement``.
    configurations : numpy.ndarray, optional
        ``(M, N+1)`` the configurations of ``probabilities`` when they are
        not all of the model's (a
        :class:`~qutip_stt.states.sector_state.SectorState`'s populated
        sectors); default ``model.spin_configurations``.

    Returns
    -------
    STTResult
    """
    if configurations is None:
        configurations = model.spin_configurations
        labels = list(model.spin_configuration_labels)
    else:
        from ..model.sectors import configuration_labels
        labels = configuration_labels(configurations, model.S)
    return STTResult(
        times=np.asarray(times, dtype=float),
        configurations=configurations, labels=labels,
        method=method, model=model, states=states, wall_time=wall_time,
        qutip_result=qutip_result, file_attrs=dict(file_attrs or {}),
        stats=dict(stats or {}), extra=dict(extra or {}),
        dataset_attrs=dict(dataset_attrs or {}),
        entanglement=None if pair_recorder is None else pair_recorder.arrays(),
        **arrays)
