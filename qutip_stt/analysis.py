r"""Subsystem analysis of a many-body ket: Eqs. (5)-(8) of the paper.

Every reduced density matrix is obtained with :meth:`qutip.Qobj.ptrace`
directly on the ket (QuTiP >= 5.2 never forms ``|psi><psi|`` for that), so the
25,600 x 25,600 density matrix of the paper case is never built.

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

from functools import lru_cache

import numpy as np
import qutip

from .errors import ConfigError
from .model import spin_operators

__all__ = ["subsystem_factors", "reduced_density_matrix", "bloch_vector",
           "purity", "spin_probabilities", "electron_density",
           "snapshot", "ObservableRecorder", "OBSERVABLES"]

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
    _check_state(state, model)
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
        return np.real(np.einsum("kji,ij->k", _dense_spin_operators(S), rho))
    return np.array([qutip.expect(op, rho) for op in spin_operators(S)])


@lru_cache(maxsize=None)
def _dense_spin_operators(S):
    """The three ``Sigma`` of :func:`spin_operators` as one dense array."""
    return np.array([op.full() for op in spin_operators(S)])


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


def _amplitudes(state, model):
    """The ket as an ``(Lx, 2 (2S+1)^N)`` array: orbital site x spin configuration."""
    return state.full().reshape(model.Lx, model.spin_space_dimension)


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
    _check_state(state, model)
    amp = _amplitudes(state, model)
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
    _check_state(state, model)
    amp = _amplitudes(state, model)
    return np.einsum("xc,xc->x", amp.conj(), amp).real


#: Names, shapes (``T`` times, ``N`` local spins, ``M`` configurations,
#: ``Lx`` sites) and meaning of everything :func:`snapshot` returns.
OBSERVABLES = {
    "electron_spin": ("(T, 3)", "<sigma_x,y,z> of the electron spin, hbar/2"),
    "local_spin": ("(T, N, 3)", "<Sigma_x,y,z> of each local spin, hbar/2"),
    "purity_local": ("(T,)", "Tr rho^2 of all local spins (Eq. 7)"),
    "purity_electron": ("(T,)", "Tr rho^2 of the electron, orbital + spin"),
    "purity_orbital": ("(T,)", "Tr rho^2 of the electron orbital factor"),
    "entropy_local": ("(T,)", "von Neumann entropy of all local spins (nats)"),
    "probabilities": ("(T, M)", "Eq. (8) probability of each spin "
                                "configuration"),
    "norm": ("(T,)", "<psi|psi>"),
    "energy": ("(T,)", "<H>, eV"),
    "total_sz": ("(T,)", "<sigma_z + sum Sigma_z>, hbar/2"),
    "density": ("(T, Lx)", "electron probability on each site"),
}


def snapshot(state, model):
    """Every observable of :data:`OBSERVABLES` for one ket, as a dict.

    The reduced density matrices come from :meth:`qutip.Qobj.ptrace` on the
    ket; ``<H>`` and the norm from sparse matrix-vector products.

    Parameters
    ----------
    state : qutip.Qobj
        Ket with the model's dims.
    model : STTModel

    Returns
    -------
    dict
        Keys and units as in :data:`OBSERVABLES`, without the time axis.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> values = snapshot(initial_state(model, x0=10), model)
    >>> values["local_spin"]
    array([[0., 0., 1.],
           [0., 0., 1.]])
    """
    _check_state(state, model)
    norm2 = state.norm() ** 2
    out = {"norm": np.sqrt(norm2)}
    out["electron_spin"] = bloch_vector(state.ptrace(1), 0.5)
    out["local_spin"] = np.array([bloch_vector(state.ptrace(n + 2), model.S)
                                  for n in range(model.N)])
    rho_local = state.ptrace(subsystem_factors(model, "local"))
    out["purity_local"] = purity(rho_local)
    out["entropy_local"] = float(qutip.entropy_vn(rho_local))
    rho_orb = state.ptrace(0)
    out["purity_orbital"] = purity(rho_orb)
    if 2 * model.Lx <= ELECTRON_PTRACE_LIMIT:
        out["purity_electron"] = purity(state.ptrace([0, 1]))
    else:
        out["purity_electron"] = out["purity_local"]
    amp = _amplitudes(state, model)
    weights = (amp.conj() * amp).real
    out["probabilities"] = weights.sum(axis=0)
    out["density"] = weights.sum(axis=1)
    out["total_sz"] = float(np.dot(out["probabilities"],
                                   2 * model.sector_labels))
    out["energy"] = float(qutip.expect(model.hamiltonian, state)) / norm2
    return out


class ObservableRecorder:
    """Collects :func:`snapshot` at each output time of an evolution.

    An instance is a QuTiP ``e_ops`` callable ``f(t, state)``: handed to
    :func:`qutip.sesolve`, it reduces each state as the run goes, so no state
    needs to be kept. It returns the norm, which QuTiP stores in its own
    ``Result.e_data``.

    Parameters
    ----------
    model : STTModel
    store_states : bool, default: False
        Also keep every ket.
    pair_recorder : qutip_stt.entanglement.PairRecorder, optional
        Also records the pair and block measures of every state.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state, HBAR_EV_FS
    >>> model = STTModel(Lx=40, N=2)
    >>> recorder = ObservableRecorder(model)
    >>> _ = qutip.sesolve(model.hamiltonian / HBAR_EV_FS, initial_state(model, x0=10),
    ...                   [0.0, 1.0, 2.0], e_ops={"norm": recorder})
    >>> recorder.arrays()["local_spin"].shape
    (3, 2, 3)
    """

    def __init__(self, model, store_states=False, pair_recorder=None):
        self.model = model
        self.pair_recorder = pair_recorder
        self.store_states = store_states
        self.times = []
        self.states = [] if store_states else None
        self._data = {key: [] for key in OBSERVABLES}

    def __call__(self, t, state):
        values = snapshot(state, self.model)
        self.times.append(float(t))
        for key, value in values.items():
            self._data[key].append(value)
        if self.store_states:
            self.states.append(state.copy())
        if self.pair_recorder is not None:
            self.pair_recorder.record(state)
        return values["norm"]

    def arrays(self):
        """The collected observables as numpy arrays, time along axis 0."""
        return {key: np.asarray(vals) for key, vals in self._data.items()}


def _check_state(state, model):
    if not isinstance(state, qutip.Qobj):
        raise TypeError(f"state: expected a qutip.Qobj ket, got "
                        f"{type(state).__name__}")
    if state.dims[0] != model.dims:
        raise ConfigError("state", f"dims {state.dims[0]} do not match the "
                          f"model's {model.dims}")
