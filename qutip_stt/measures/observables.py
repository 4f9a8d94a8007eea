r"""Observables of a many-body ket: Eqs. (5)-(8) of the paper.

Two routes, one the oracle of the other:

* :func:`qutip_stt.measures.reducer.reduce_amplitudes` is THE reducer (its own
  module, :mod:`qutip_stt.measures.reducer`; imported here too): every method of
  :func:`qutip_stt.solvers.evolve` hands it the ket as the ``(Lx, D)``
  amplitude matrix ``A`` (orbital site x spin configuration,
  ``D = 2 (2S+1)^N``) and gets back every stored observable
  (:data:`qutip_stt.measures.reducer.OBSERVABLES`). It never forms a full-space
  density matrix.
* :func:`snapshot` computes the same quantities from a ``Qobj`` ket with
  QuTiP's own :meth:`qutip.Qobj.ptrace`, :func:`qutip.expect` and
  :func:`qutip.entropy_vn` (QuTiP >= 5.2 never forms ``|psi><psi|`` in
  ``ptrace`` on a ket). It is public API and the test oracle of the reducer.

Subsystem names used throughout (tensor factor indices of the model)::

    "orbital"         electron orbital                       [0]
    "electron_spin"   electron spin                          [1]
    "electron"        electron orbital + spin                [0, 1]
    "local"           all local spins                        [2 .. N+1]
    "spins"           electron spin + all local spins        [1 .. N+1]
    "local:n"         local spin n (1-based)                 [n+1]

Spin expectation values are in units of hbar/2 (``Sigma = 2 jmat(S)``), so
a pure spin-S state has Bloch-vector length ``2S``.
"""

import time

import numpy as np

from .._util.lazy import lazy_module
from ..errors import ConfigError
from ..model.operators import dense_spin_operators, spin_operators
from .reducer import FLUSH_BELOW, OBSERVABLES, reduce_amplitudes  # noqa: F401
from .._util.validation import check_ket

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["subsystem_factors", "reduced_density_matrix", "bloch_vector",
           "purity", "spin_probabilities", "electron_density",
           "amplitudes", "reduce_amplitudes", "snapshot",
           "ObservableRecorder", "OBSERVABLES"]

#: Electron (orbital + spin) density matrices up to this dimension are built
#: with ptrace to compute their purity; above it the purity is computed from
#: the complementary (local-spins) side, where Tr rho_A^2 = Tr rho_B^2.
ELECTRON_PTRACE_LIMIT = 4096


def subsystem_factors(model, which):
    """Tensor-factor indices of a named subsystem (see the module docstring).

    Parameters
    ----------
    model : STTModel
    which : str
        ``"orbital"``, ``"electron_spin"``, ``"electron"``, ``"local"``,
        ``"spins"`` or ``"local:n"`` (``n`` = 1 .. N).

    Returns
    -------
    list of int
        Indices for :meth:`qutip.Qobj.ptrace`.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> model = STTModel(Lx=40, N=2)
    >>> subsystem_factors(model, "local"), subsystem_factors(model, "local:2")
    ([2, 3], [3])
    """
    N = model.N
    fixed = {
        "orbital": [0], "electron_spin": [1], "electron": [0, 1],
        "local": list(range(2, N + 2)), "spins": list(range(1, N + 2)),
    }
    if which in fixed:
        return fixed[which]
    if isinstance(which, str) and which.startswith("local:"):
        try:
            n = int(which.split(":", 1)[1])
        except ValueError:
            n = 0
        if 1 <= n <= N:
            return [n + 1]
        raise ConfigError("spin", f"local spin index must be 1..{N}, got "
                          f"{which.split(':', 1)[1]!r}")
    raise ConfigError("subsystem", f"expected one of {', '.join(fixed)} or "
                      f"'local:n' with n = 1..{N}, got {which!r}")


def reduced_density_matrix(state, model, which):
    """Eq. (5): ``Tr_other |psi><psi|`` for the named subsystem.

    Parameters
    ----------
    state : qutip.Qobj
        Ket (or density matrix) with the model's dims.
    model : STTModel
    which : str
        ``"orbital"``, ``"electron_spin"``, ``"electron"``, ``"local"``,
        ``"spins"`` or ``"local:n"``.

    Returns
    -------
    qutip.Qobj
        Density matrix of the subsystem.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> rho = reduced_density_matrix(initial_state(model, x0=10), model, "local:1")
    >>> rho.dims
    [[2], [2]]
    """
    state = _check_state(state, model)
    return state.ptrace(subsystem_factors(model, which))


def bloch_vector(rho, S=0.5):
    """Eq. (6): ``Tr[rho Sigma]`` of a single spin, units of hbar/2.

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        Density matrix (or ket) of one spin of size ``S``; a plain
        ``(2S+1, 2S+1)`` array is taken as a density matrix (the fast path
        of the sector analysis, which makes no Qobj per spin and time).
    S : float, default: 0.5
        Spin size; ``Sigma = 2 jmat(S)``, so the length is at most ``2S``.

    Returns
    -------
    numpy.ndarray
        ``(<Sigma_x>, <Sigma_y>, <Sigma_z>)``, units hbar/2.

    Examples
    --------
    >>> bloch_vector(qutip.basis(6, 0), S=2.5)     # |m = 5/2>
    array([0., 0., 5.])
    """
    if isinstance(rho, np.ndarray):
        # Tr(rho Sigma) = sum_ij rho_ij Sigma_ji
        return np.real(np.einsum("kji,ij->k", dense_spin_operators(S), rho))
    return np.array([qutip.expect(op, rho) for op in spin_operators(S)])


def purity(rho):
    """``Tr rho^2`` (Eq. 7) of a density matrix (1 for a ket).

    Parameters
    ----------
    rho : qutip.Qobj
        Density matrix, for example from :func:`reduced_density_matrix`.

    Returns
    -------
    float
        Between ``1/d`` (maximally mixed) and 1 (pure).

    Examples
    --------
    >>> purity(qutip.qeye(2) / 2)
    0.5
    """
    if rho.isket:
        return 1.0
    data = rho.full()
    return float(np.real(np.vdot(data, data)))


def amplitudes(state, model):
    """The ket as the ``(Lx, D)`` amplitude matrix, ``D = 2 (2S+1)^N``.

    Row ``x`` is the orbital site, column ``c`` the spin configuration
    ``model.spin_configurations[c]`` (the tensor order of the model).

    Parameters
    ----------
    state : qutip.Qobj or numpy.ndarray
        Ket with the model's dims, or its amplitudes.
    model : STTModel

    Returns
    -------
    numpy.ndarray
        Complex, shape ``(Lx, D)``.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> amplitudes(initial_state(model, x0=10), model).shape
    (40, 8)
    """
    state = _check_state(state, model)
    if not isinstance(state, np.ndarray):       # (a NumPy ket as it is)
        state = state.full()
    return state.reshape(model.Lx, model.spin_space_dimension)




def spin_probabilities(state, model):
    """Eq. (8): probability of every spin configuration ``|sigma_e; m_1, ..., m_N>``.

    The diagonal of the electron-spin + local-spins density matrix
    ``Tr_orbital |psi><psi|``, computed as ``sum_x |psi(x, c)|^2`` without
    forming the matrix.

    Parameters
    ----------
    state : qutip.Qobj
        Ket with the model's dims.
    model : STTModel

    Returns
    -------
    numpy.ndarray
        Shape ``(M,)``, ``M = 2 (2S+1)^N``; column ``c`` is the configuration
        ``model.spin_configurations[c]`` labelled
        ``model.spin_configuration_labels[c]``.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> p = spin_probabilities(initial_state(model, x0=10), model)
    >>> float(round(p[model.spin_configuration_labels.index("↓;↑↑")], 12))
    1.0
    """
    state = _check_state(state, model)
    amp = amplitudes(state, model)
    return np.einsum("xc,xc->c", amp.conj(), amp).real


def electron_density(state, model):
    """Probability of the electron on each site, ``<psi| |x><x| (x) 1 |psi>``.

    Parameters
    ----------
    state : qutip.Qobj
        Ket with the model's dims.
    model : STTModel

    Returns
    -------
    numpy.ndarray
        Shape ``(Lx,)``, summing to the squared norm.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> int(electron_density(initial_state(model, x0=10), model).argmax())
    10
    """
    state = _check_state(state, model)
    amp = amplitudes(state, model)
    return np.einsum("xc,xc->x", amp.conj(), amp).real


def snapshot(state, model):
    """Every observable of :data:`~qutip_stt.measures.reducer.OBSERVABLES` for one ket, from QuTiP's ``ptrace``.

    The independent route (and test oracle) of :func:`~qutip_stt.measures.reducer.reduce_amplitudes`:
    reduced density matrices from :meth:`qutip.Qobj.ptrace` on the ket,
    ``<H>`` from :func:`qutip.expect`, the entropy from
    :func:`qutip.entropy_vn`. The electron purity comes from its own
    ``ptrace`` when the electron has at most
    :data:`ELECTRON_PTRACE_LIMIT` states.

    Parameters
    ----------
    state : qutip.Qobj
        Ket with the model's dims.
    model : STTModel

    Returns
    -------
    dict
        Keys and units as in :data:`~qutip_stt.measures.reducer.OBSERVABLES`, without the time axis.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> values = snapshot(initial_state(model, x0=10), model)
    >>> values["local_spin"]
    array([[0., 0., 1.],
           [0., 0., 1.]])
    """
    state = _check_state(state, model)
    norm2 = state.norm() ** 2
    out = {"norm": np.sqrt(norm2)}
    out["electron_spin"] = bloch_vector(state.ptrace(1), 0.5)
    out["local_spin"] = np.array([bloch_vector(state.ptrace(n + 2), model.S)
                                  for n in range(model.N)])
    rho_local = state.ptrace(subsystem_factors(model, "local"))
    out["purity_local"] = purity(rho_local)
    out["entropy_local"] = float(qutip.entropy_vn(rho_local))
    out["purity_orbital"] = purity(state.ptrace(0))
    if 2 * model.Lx <= ELECTRON_PTRACE_LIMIT:
        out["purity_electron"] = purity(state.ptrace([0, 1]))
    else:
        out["purity_electron"] = out["purity_local"]
    amp = amplitudes(state, model)
    weights = (amp.conj() * amp).real
    out["probabilities"] = weights.sum(axis=0)
    out["density"] = weights.sum(axis=1)
    out["total_sz"] = float(qutip.expect(model.total_sz, state)) / norm2
    out["energy"] = float(qutip.expect(model.hamiltonian, state)) / norm2
    return out


class ObservableRecorder:
    """Reduces each state of a QuTiP solver run with :func:`~qutip_stt.measures.reducer.reduce_amplitudes`.

    An instance is a QuTiP ``e_ops`` callable ``f(t, state)``: handed to
    :func:`qutip.sesolve`, it reduces each state as the run goes, so no state
    needs to be kept. It returns the norm, which QuTiP stores in its own
    ``Result.e_data``. Handed to :func:`qutip.mesolve` it reduces each
    density matrix with
    :func:`~qutip_stt.measures.reducer.reduce_density_matrix` (the norm is
    then ``sqrt(Tr rho)``).

    Parameters
    ----------
    model : STTModel
    store_states : bool, default: False
        Also keep every ket.
    on_time : callable, optional
        Called with each output time (fs) once its observables are computed
        (how a caller learns where an interrupted run stopped).
    pair_recorder : qutip_stt.measures.pairs.PairRecorder, optional
        Also records the pair and block measures of every state (from the
        same amplitude matrix).

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> recorder = ObservableRecorder(model)
    >>> _ = qutip.sesolve(model.hamiltonian_fs, initial_state(model, x0=10),
    ...                   [0.0, 1.0, 2.0], e_ops={"norm": recorder})
    >>> recorder.arrays()["local_spin"].shape
    (3, 2, 3)
    """

    def __init__(self, model, store_states=False, on_time=None,
                 pair_recorder=None):
        self.model = model
        self.pair_recorder = pair_recorder
        self.store_states = store_states
        self.on_time = on_time
        self.times = []
        self.states = [] if store_states else None
        #: Seconds spent reducing states so far.
        self.reduce_time = 0.0
        self._H = model.hamiltonian.data_as("csr_matrix")
        self._data = {key: [] for key in OBSERVABLES}

    def __call__(self, t, state):
        tick = time.perf_counter()
        if state.isoper:
            values, A = self._reduce_density_matrix(state.full())
        else:
            vec = state.full().ravel()
            energy = np.vdot(vec, self._H @ vec).real
            A = vec.reshape(self.model.Lx,
                            self.model.spin_space_dimension).copy()
            values = reduce_amplitudes(A, self.model, energy)
        if self.pair_recorder is not None:
            self.pair_recorder.record(A)
        self.times.append(float(t))
        for key, value in values.items():
            self._data[key].append(value)
        if self.store_states:
            self.states.append(state.copy())
        self.reduce_time += time.perf_counter() - tick
        if self.on_time is not None:
            self.on_time(float(t))
        return values["norm"]

    def _reduce_density_matrix(self, rho):
        """Observables of a density matrix, and amplitudes of the spins'
        purification (``A^T A^* = Tr_orbital rho``) for the pair measures."""
        from .amplitudes import amplitudes_from_density_matrix
        from .reducer import reduce_density_matrix, spin_density_matrix
        energy = float(self._H.multiply(rho.T).sum().real)    # Tr(H rho)
        values = reduce_density_matrix(rho, self.model, energy)
        A = None
        if self.pair_recorder is not None:
            A = amplitudes_from_density_matrix(
                spin_density_matrix(rho, self.model))
        return values, A

    def arrays(self):
        """The collected observables as numpy arrays, time along axis 0."""
        return {key: np.asarray(vals) for key, vals in self._data.items()}


def _check_state(state, model):
    return check_ket("state", state, model.dims)
