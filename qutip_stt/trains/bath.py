r"""Electron trains with a bath: the spins relax between (and around) the electrons.

Between two electrons the local spins evolve under their own Hamiltonian and
the bath (:class:`~qutip_stt.model.open_model.OpenSTTModel`): for a time
``t`` that is the map

.. math::

    \Phi_\text{bath}(t) = e^{\mathcal L t}, \qquad
    \mathcal L\rho = -\frac{i}{\hbar}[H_\text{loc}, \rho] + \sum_{n,k}
        \mathcal D[L_{nk}]\rho ,

a QuTiP superoperator (:func:`qutip.liouvillian`, then
:meth:`qutip.Qobj.expm`); with every rate zero it is the unitary XXZ (and
Zeeman) evolution ``rho -> U(t) rho U(t)^dagger``. The electron channel
``Phi_e`` (:mod:`qutip_stt.trains.channel`) already contains that unitary
evolution for its whole interval ``T``. Write it as the scattering ``W`` at
the time ``t_s`` the packet passes the spins, between two free evolutions,
``Phi_e = U(T - t_s) W U(t_s)``; the bath acts on the spins before and
after it, so one period of the train is

.. math::

    \Phi_\text{total} = \Phi_\text{bath}(T - t_s)\,U(T - t_s)^{-1}\,
        \Phi_e\,U(t_s)^{-1}\,\Phi_\text{bath}(t_s)
    \;=\; \Phi_\text{bath}(T - t_s)\circ W\circ\Phi_\text{bath}(t_s),

which is ``Phi_e`` exactly at zero rates, CPTP (a composition of CPTP maps),
and, like ``Phi_e``, sampled at the end of each period. The bath's action
during the passage itself is approximated by its action before or after it,
an error of order ``gamma * (passage time)`` per electron; the default
``t_s`` is the time the free packet's centre reaches the middle of the spin
region. The fixed point and the spectral gap of ``Phi_total`` are
:mod:`qutip_stt.trains.steady`.
"""

import time

import numpy as np
import qutip

from ..constants import HBAR_EV_FS
from ..errors import ConfigError
from ..model.open_model import OpenSTTModel
from .._util.validation import check_real
from .channel import ElectronChannel, trace_error
from .packet import arrival_time

__all__ = ["BathChannel", "bath_map", "free_map", "with_bath",
           "scattering_time"]


def bath_map(model, t):
    """``Phi_bath(t) = exp(L t)`` on the local spins, a QuTiP superoperator.

    Parameters
    ----------
    model : OpenSTTModel
    t : float
        fs, >= 0.

    Returns
    -------
    qutip.Qobj
        ``superrep="super"``, dims of the local spins.

    Examples
    --------
    >>> from qutip_stt import OpenSTTModel, Bath
    >>> model = OpenSTTModel(Lx=10, N=1, field=0.01, bath=Bath(relaxation=0.1))
    >>> rho = qutip.vector_to_operator(bath_map(model, 100.0)
    ...                                @ qutip.operator_to_vector(qutip.basis(2, 1).proj()))
    >>> round(float(rho[0, 0].real), 6)                    # 1 - e^{-10}
    0.999955
    """
    t = check_real("t", t, minimum=0)
    return _dense((model.local_liouvillian * t).expm())


def free_map(model, t):
    """The unitary evolution ``rho -> U(t) rho U(t)^dagger`` of the local spins alone.

    ``U(t) = exp(-i H_loc t / hbar)`` with ``H_loc = model.local_hamiltonian``
    (XXZ chain and Zeeman term); any real ``t`` (negative: its inverse).

    Parameters
    ----------
    model : STTModel
    t : float
        fs.

    Returns
    -------
    qutip.Qobj
        Superoperator (:func:`qutip.to_super` of ``U(t)``).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> model = STTModel(Lx=10, N=2)
    >>> S = free_map(model, 5.0) @ free_map(model, -5.0)
    >>> bool(np.allclose(S.full(), np.eye(16)))
    True
    """
    t = check_real("t", t)
    U = (-1j * t / HBAR_EV_FS * model.local_hamiltonian.to("dense")).expm()
    return _dense(qutip.to_super(U))


def _dense(S):
    return qutip.Qobj(S.full(), dims=S.dims, superrep="super")


def scattering_time(channel):
    """When the packet's centre reaches the middle of the spin region, fs.

    From the free packet's group velocity
    (:func:`~qutip_stt.trains.packet.arrival_time`), clipped to
    ``[0, interval]``.

    Parameters
    ----------
    channel : ElectronChannel

    Returns
    -------
    float
    """
    model, el = channel.model, channel.electron
    t = arrival_time(el["x0"], [float(np.mean(model.sites))], el["k"],
                     model.gamma, key="electron.x0")
    return float(min(max(t, 0.0), channel.interval))


def _on_model(channel, model):
    """``channel`` (the same electron map) described on ``model``."""
    return ElectronChannel(model, channel.superop, channel.kraus_array,
                           channel.choi_eigenvalues, channel.interval,
                           channel.leftover, channel.electron,
                           channel._tp_error, channel.wall_time)


class BathChannel(ElectronChannel):
    r"""One period of an electron train with a bath, ``Phi_total`` (module docstring).

    Built by :func:`with_bath`. Everything of
    :class:`~qutip_stt.trains.channel.ElectronChannel` (``superop``,
    ``kraus``, ``__call__``, ``cptp_errors``, ``leftover``, ``electron``,
    ``interval``) describes ``Phi_total``; the Kraus operators are
    :func:`qutip.to_kraus` of it.

    Attributes
    ----------
    electron_channel : ElectronChannel
        ``Phi_e``, the electron without the bath.
    bath : Bath
    scattering_time : float
        ``t_s``, fs.
    """

    def __init__(self, electron_channel, superop, scattering_time, wall_time):
        # the Kraus operators and the Choi spectrum are computed when first
        # asked for (a scan of baths needs only the superoperator)
        super().__init__(electron_channel.model, superop, None, None,
                         electron_channel.interval, electron_channel.leftover,
                         electron_channel.electron,
                         trace_error(superop.full()), wall_time)
        self.electron_channel = electron_channel
        self.bath = electron_channel.model.bath
        self.scattering_time = float(scattering_time)

    @property
    def kraus_array(self):
        """``(R, D, D)`` Kraus operators, :func:`qutip.to_kraus` of ``superop``."""
        if self._kraus is None:
            self._kraus = np.array([k.full()
                                    for k in qutip.to_kraus(self.superop)])
        return self._kraus

    @kraus_array.setter
    def kraus_array(self, value):
        self._kraus = value

    @property
    def choi_eigenvalues(self):
        """Spectrum of :func:`qutip.to_choi` of ``superop``, ascending."""
        if self._choi_values is None:
            choi = qutip.to_choi(self.superop).full()
            self._choi_values = np.linalg.eigvalsh(0.5 * (choi + choi.conj().T))
        return self._choi_values

    @choi_eigenvalues.setter
    def choi_eigenvalues(self, value):
        self._choi_values = value

    def __repr__(self):
        b = self.bath
        return (f"BathChannel(D={self.kraus_array.shape[1]}, interval="
                f"{self.interval:g} fs, relaxation={b.relaxation:g} /fs, "
                f"dephasing={b.dephasing:g} /fs, temperature="
                f"{b.temperature:g} K)")


def with_bath(channel, t_s=None, bath=None):
    """Compose an electron channel with the bath of its model: ``Phi_total``.

    Parameters
    ----------
    channel : ElectronChannel
        Built on an :class:`~qutip_stt.model.open_model.OpenSTTModel`, or
        on any model when ``bath`` is given.
    t_s : float, optional
        Time of the scattering within the interval, fs, ``0 <= t_s <=
        interval``; default :func:`scattering_time`.
    bath : Bath or dict, optional
        Another bath for the same channel (one electron channel serves a
        whole scan of rates and temperatures); default the model's.

    Returns
    -------
    BathChannel

    Examples
    --------
    >>> from qutip_stt import OpenSTTModel, Bath
    >>> from qutip_stt.trains import electron_channel
    >>> model = OpenSTTModel(Lx=80, N=1, field=0.01, bath=Bath(relaxation=1e-3))
    >>> phi = with_bath(electron_channel(model, 12.0, k=1.2, dk=0.4, x0=24))
    >>> round(phi.scattering_time, 3), bool(phi.cptp_errors()["trace_preservation"] < 1e-10)
    (5.65, True)
    """
    start = time.perf_counter()
    model = channel.model
    if bath is not None:
        model = OpenSTTModel(**{**model.parameters(), "bath": bath})
        channel = _on_model(channel, model)
    if getattr(model, "bath", None) is None:
        raise ConfigError("bath", "the channel's model has no bath: build it "
                          "on an OpenSTTModel (config: a [bath] table)")
    T = channel.interval
    t_s = scattering_time(channel) if t_s is None else check_real(
        "t_s", t_s, minimum=0, maximum=T)
    after = bath_map(model, T - t_s) @ free_map(model, -(T - t_s))
    before = free_map(model, -t_s) @ bath_map(model, t_s)
    S = _dense(after @ channel.superop @ before)
    return BathChannel(channel, S, t_s,
                       channel.wall_time + time.perf_counter() - start)
