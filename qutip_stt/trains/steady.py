r"""The stationary state of the local spins under a current: the fixed point of the channel.

A steady current is the channel applied again and again,
``rho_n = Phi^n(rho_0)``. With the eigenvalues ``1 = lambda_0 > |lambda_1| >=
...`` of the superoperator, ``rho_n`` approaches the fixed point
``Phi(rho_inf) = rho_inf`` as ``|lambda_1|^n``: the spectral gap, reported as
the number of electrons that reduce the slowest deviation by ``e``,

.. math:: n_\text{gap} = -1 / \ln|\lambda_1| .

A bath (:mod:`qutip_stt.trains.bath`) makes the fixed point unique; the
fixed point is then :func:`qutip.steadystate` of the generator
``Phi - 1`` (whose kernel it is). A channel with several fixed points (no
bath: the current alone may leave several states untouched) has the limit
that depends on ``rho_0``: the projection of ``rho_0`` on the eigenvalue-1
eigenspace.
"""

import dataclasses
import warnings

import numpy as np
import qutip
import scipy.linalg

from .._util.blas_threads import one_blas_thread
from .iteration import _rho0, local_observables

__all__ = ["SteadyState", "steady_state", "steady_map", "NoLimitWarning"]

#: Eigenvalues within this distance of 1 count as fixed points.
UNIT_TOLERANCE = 1e-10


class NoLimitWarning(UserWarning):
    """The channel has eigenvalues of modulus 1 other than 1: ``Phi^n(rho_0)``
    keeps oscillating, and the state reported is the average over a period."""


@dataclasses.dataclass
class SteadyState:
    """The fixed point of a channel and how fast a train reaches it.

    Attributes
    ----------
    rho : qutip.Qobj
        Density matrix of the local spins, ``Phi(rho) = rho``.
    local_spin : numpy.ndarray
        ``(N, 3)``, hbar/2.
    total_sz, purity, entropy : float
        Total ``<Sigma_z>`` (hbar/2), ``Tr rho^2``, von Neumann entropy
        (natural log).
    concurrence : numpy.ndarray or None
        ``(P,)`` for spin-1/2 pairs, as the train's ``pairs``.
    mutual_information : numpy.ndarray
        ``(P,)``, natural log.
    gap : float
        ``n_gap = -1 / ln|lambda_1|``, electrons (``inf`` when
        ``|lambda_1| = 1``).
    second_eigenvalue : complex
        ``lambda_1``.
    unique : bool
        The eigenvalue 1 is simple: every start reaches ``rho``.
    """

    rho: object
    local_spin: np.ndarray
    total_sz: float
    purity: float
    entropy: float
    concurrence: object
    mutual_information: np.ndarray
    gap: float
    second_eigenvalue: complex
    unique: bool


def steady_state(channel, rho0="+z"):
    """The fixed point of ``channel`` (the limit of ``Phi^n(rho0)``) and its gap.

    Parameters
    ----------
    channel : ElectronChannel or BathChannel
    rho0 : qutip.Qobj, str, dict, tuple or list, default: "+z"
        The start, as for :func:`~qutip_stt.trains.iteration.iterate`: it
        decides the limit only when the fixed point is not unique.

    Returns
    -------
    SteadyState

    Examples
    --------
    >>> from qutip_stt import OpenSTTModel, Bath
    >>> from qutip_stt.trains import electron_channel
    >>> from qutip_stt.trains.bath import with_bath
    >>> model = OpenSTTModel(Lx=80, N=1, field=0.01, bath=Bath(relaxation=1e-3))
    >>> phi = with_bath(electron_channel(model, 12.0, k=1.2, dk=0.4, x0=24))
    >>> fixed = steady_state(phi)
    >>> fixed.unique, bool(np.allclose(phi(fixed.rho).full(), fixed.rho.full()))
    (True, True)
    """
    model = channel.model
    N, S, d = model.N, model.S, model.spin_dim
    D = d ** N
    Smat = channel.superop.full()
    values, left, right = scipy.linalg.eig(Smat, left=True, right=True)
    unit = np.abs(values - 1) < UNIT_TOLERANCE
    rest = np.abs(values[~unit])
    second = values[~unit][np.argmax(rest)] if rest.size else 0.0
    modulus = float(abs(second))
    gap = np.inf if modulus >= 1 - UNIT_TOLERANCE else (
        0.0 if modulus == 0 else -1.0 / np.log(modulus))
    unique = int(unit.sum()) == 1
    dims = [[d] * N, [d] * N]
    if unique:
        generator = qutip.Qobj(Smat - np.eye(D * D), dims=channel.superop.dims,
                               superrep="super")
        rho = qutip.steadystate(generator).full()
    else:
        # the limit from rho0: its projection on the eigenvalue-1 eigenspace
        v0 = _rho0(channel, rho0).T.ravel()
        R, L = right[:, unit], left[:, unit]
        coeff = np.linalg.solve(L.conj().T @ R, L.conj().T @ v0)
        rho = (R @ coeff).reshape(D, D).T
    if modulus >= 1 - UNIT_TOLERANCE:
        warnings.warn(f"the channel has an eigenvalue {second:.6g} of modulus "
                      "1: Phi^n(rho_0) does not converge", NoLimitWarning,
                      stacklevel=2)
    rho = 0.5 * (rho + rho.conj().T)
    rho /= np.trace(rho).real
    obs = local_observables(rho[None], N, S)
    conc = obs["concurrence"]
    return SteadyState(
        rho=qutip.Qobj(rho, dims=dims), local_spin=obs["local_spin"][0],
        total_sz=float(obs["total_sz"][0]),
        purity=float(obs["purity_local"][0]),
        entropy=float(obs["entropy_local"][0]),
        concurrence=None if conc is None else conc[0],
        mutual_information=obs["mutual_information"][0], gap=float(gap),
        second_eigenvalue=complex(second), unique=unique)


def steady_map(channel, electrons_per_t1, temperatures, *, dephasing=0.0,
               direction=(0.0, 0.0, 1.0)):
    """Fixed points of one electron channel over a grid of baths: the switching diagram.

    The current is measured in electrons per relaxation time,
    ``nu = 1 / (gamma_1 T)`` (``T`` the interval): for each ``nu`` and
    temperature the channel is composed with that bath
    (:func:`qutip_stt.trains.bath.with_bath`) and its fixed point found.

    Parameters
    ----------
    channel : ElectronChannel
    electrons_per_t1 : array_like
        ``nu`` values, > 0.
    temperatures : array_like
        K, >= 0.
    dephasing : float, default: 0
        ``gamma_phi``, 1/fs, the same at every point.
    direction : sequence of 3 floats, default: +z
        The bath's axis for spins without a field.

    Returns
    -------
    dict
        ``electrons_per_t1``, ``temperature``, ``relaxation`` (1/fs) and,
        with shape ``(len(nu), len(T))``, ``total_sz`` (hbar/2),
        ``purity``, ``entropy``, ``gap`` (electrons); ``concurrence`` and
        ``mutual_information`` with a last axis over the pairs
        (concurrence None beyond spin 1/2).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> from qutip_stt.trains import electron_channel
    >>> phi = electron_channel(STTModel(Lx=80, N=1, field=0.004), 12.0,
    ...                        k=1.2, dk=0.4, x0=24)
    >>> out = steady_map(phi, [0.1, 1e4], [0.0])
    >>> out["total_sz"][:, 0].round(2)      # relaxation wins, then the current
    array([ 1.  , -0.99])
    """
    from ..model.bath import Bath
    from .bath import with_bath

    nus = np.asarray(electrons_per_t1, dtype=float)
    temps = np.asarray(temperatures, dtype=float)
    keys = ("total_sz", "purity", "entropy", "gap", "concurrence",
            "mutual_information")
    rows = {key: [] for key in keys}
    if not np.all(nus > 0):
        from ..errors import ConfigError
        raise ConfigError("electrons_per_t1", f"expected values > 0, got "
                          f"{nus[~(nus > 0)][0]!r}")
    # D^2-square matrices: BLAS threads only wait for one another
    with one_blas_thread():
        for nu in nus:
            for T in temps:
                bath = Bath(1.0 / (nu * channel.interval), dephasing, T,
                            direction)
                fixed = steady_state(with_bath(channel, bath=bath))
                for key in keys:
                    rows[key].append(getattr(fixed, key))
    shape = (nus.size, temps.size)
    out = {"electrons_per_t1": nus, "temperature": temps,
           "relaxation": 1.0 / (nus * channel.interval)}
    for key in keys:
        if key == "concurrence" and rows[key][0] is None:
            out[key] = None
            continue
        values = np.array(rows[key])
        out[key] = values.reshape(shape + values.shape[1:])
    return out
