r"""The same electron train through classical spins: the LLG + STT answer.

Method ``"classical"`` (:mod:`qutip_stt.solvers.classical`) treats the local
spins as classical vectors ``M_n`` of length ``2S`` under the
Landau-Lifshitz-Gilbert equation with damping ``alpha`` and the electron's
spin torque (the electron itself stays a quantum wave packet, in mean
field). :func:`classical_train` sends the electrons of a quantum train one
after another: each starts in the same Eq. (4) packet and spinor, evolves
with the spins for one interval ``T`` (the damping acts throughout, in the
spins' own field), and is then dropped; the spins keep ``M_n``. Its
quantum twin is :func:`qutip_stt.trains.iteration.iterate` of a channel
with a bath whose relaxation matches ``alpha``
(:func:`qutip_stt.model.bath.matching_alpha`).
"""

import dataclasses
import math
import time

import numpy as np

from .._util.blas_threads import one_blas_thread
from ..errors import ConfigError
from ..solvers.classical import evolve_classical
from ..solvers.methods.classical import DEFAULT_TOL
from ..solvers.methods.crank_nicolson import DEFAULT_DT
from ..states.forms import parse_direction
from ..states.packet import wave_packet
from ..states.spin import spinor
from .._util.validation import check_int, check_real
from ..model.parameters import default_x0

__all__ = ["ClassicalTrain", "classical_train", "collinear_stability"]


@dataclasses.dataclass
class ClassicalTrain:
    """Classical local spins after each electron, ``n = 0..K``.

    Attributes
    ----------
    n : numpy.ndarray
        ``(K+1,)``.
    local_spin : numpy.ndarray
        ``(K+1, N, 3)``: ``M_n`` of each spin, hbar/2.
    total_sz : numpy.ndarray
        ``(K+1,)``.
    alpha : float
    interval : float
        fs.
    wall_time : float
        Seconds.
    """

    n: np.ndarray
    local_spin: np.ndarray
    total_sz: np.ndarray
    alpha: float
    interval: float
    wall_time: float


def _directions(model, value):
    """``(N, 3)`` spins of length 2S from one direction, one per spin or an array."""
    if isinstance(value, np.ndarray) and value.shape == (model.N, 3):
        M = np.array(value, dtype=float)
    else:
        values = value if isinstance(value, list) else [value] * model.N
        if len(values) != model.N:
            raise ConfigError("M0", f"expected one direction per local spin "
                              f"({model.N}), got {len(values)}")
        M = []
        for v in values:
            theta, phi = np.radians(parse_direction(v, "M0"))
            M.append([np.sin(theta) * np.cos(phi),
                      np.sin(theta) * np.sin(phi), np.cos(theta)])
        M = np.array(M)
    norm = np.linalg.norm(M, axis=1, keepdims=True)
    if np.any(norm == 0):
        raise ConfigError("M0", "every classical spin needs a direction")
    return 2 * model.S * M / norm


def classical_train(model, interval, k=0.1, dk=0.2, x0=None, electron="-z",
                    M0="+z", electrons=10, *, alpha=0.0, dt=DEFAULT_DT,
                    tol=DEFAULT_TOL):
    """Send ``electrons`` mean-field electrons through classical LLG spins.

    Parameters
    ----------
    model : STTModel
        A closed model (the classical spins' damping is ``alpha``); fields on
        the local spins are included.
    interval : float
        fs, each electron's evolution time.
    k, dk, x0 : float
        The Eq. (4) packet, as :func:`qutip_stt.states.wave_packet`.
    electron : str, dict or tuple, default: "-z"
        Electron spin direction.
    M0 : str, dict, list or numpy.ndarray, default: "+z"
        Start of the spins: a direction, one per spin, or an ``(N, 3)``
        array (rescaled to length ``2S``).
    electrons : int, default: 10
    alpha : float, default: 0
        Gilbert damping, >= 0.
    dt, tol : float
        Largest step (fs) and step-doubling tolerance of
        :func:`qutip_stt.solvers.classical.evolve_classical`.

    Returns
    -------
    ClassicalTrain

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> model = STTModel(Lx=60, N=1, field=0.01)
    >>> out = classical_train(model, 10.0, k=1.2, dk=0.4, x0=15,
    ...                       electron={"theta": 150, "phi": 0}, electrons=2,
    ...                       alpha=0.02)
    >>> out.local_spin.shape, bool(abs(np.linalg.norm(out.local_spin[-1]) - 1) < 1e-12)
    ((3, 1, 3), True)
    """
    if x0 is None:
        x0 = default_x0(model.Lx)
    start = time.perf_counter()
    interval = check_real("train.interval", interval, minimum=0,
                          strict_minimum=True)
    K = check_int("train.electrons", electrons, minimum=0)
    psi = np.outer(wave_packet(model.Lx, k, dk, x0).full().ravel(),
                   spinor(electron).full().ravel())
    M = _directions(model, M0)
    out = [M]
    with one_blas_thread():         # (Lx, 2) electron, N spins: small products
        for _ in range(K):
            _, arrays, _ = evolve_classical(model, psi, M, [0.0, interval],
                                            alpha=alpha, dt=dt, tol=tol)
            M = arrays["local_spin"][-1]
            out.append(M)
    local = np.array(out)
    return ClassicalTrain(np.arange(K + 1), local, local[:, :, 2].sum(axis=1),
                          float(alpha), interval, time.perf_counter() - start)


def collinear_stability(model, interval, k=0.1, dk=0.2, x0=None,
                        electron="-z", *, alpha=0.0, tilt=1e-4, dt=DEFAULT_DT,
                        tol=DEFAULT_TOL):
    """Linear stability of classical spins all along ``+z`` under the train.

    Collinear with a ``z``-polarized electron, ``M_n = +2S z`` is a fixed
    point of the one-electron classical map (every torque vanishes). Its
    Jacobian on the ``2N`` transverse components, from ``2N`` runs each
    with one component tilted by ``tilt`` (radians), says whether a small
    tilt grows from electron to electron: the spins switch classically when
    the spectral radius exceeds 1 (the spin torque's anti-damping beats the
    Gilbert damping).

    Parameters
    ----------
    model : STTModel
    interval, k, dk, x0, electron, alpha, dt, tol
        As :func:`classical_train`.
    tilt : float, default: 1e-4
        Size of each perturbation, radians.

    Returns
    -------
    radius : float
        Largest ``|eigenvalue|`` of the Jacobian: the growth of the most
        unstable tilt per electron.
    jacobian : numpy.ndarray
        ``(2N, 2N)``, rows and columns ``(M^x_1, M^y_1, M^x_2, ...)``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> radius, _ = collinear_stability(STTModel(Lx=60, N=1, field=0.004), 12.0,
    ...                                 k=1.2, dk=0.4, x0=15)
    >>> bool(radius > 1)                   # no damping: a small tilt grows
    True
    """
    if x0 is None:
        x0 = default_x0(model.Lx)
    tilt = check_real("tilt", tilt, minimum=0, strict_minimum=True)
    N, length = model.N, 2 * model.S
    jac = np.zeros((2 * N, 2 * N))
    for col in range(2 * N):
        M = np.zeros((N, 3))
        M[:, 2] = 1.0
        M[col // 2, col % 2] = math.sin(tilt)
        M[col // 2, 2] = math.cos(tilt)
        out = classical_train(model, interval, k, dk, x0, electron, M, 1,
                              alpha=alpha, dt=dt, tol=tol)
        jac[:, col] = out.local_spin[-1, :, :2].ravel() / (length * tilt)
    return float(np.abs(np.linalg.eigvals(jac)).max()), jac
