"""The Eq. (4) start as a NumPy vector, without QuTiP.

:func:`product_amplitudes` is :func:`~qutip_stt.states.packet.initial_state`
for a start whose spins are given as directions: the packet (the amplitudes
of :func:`~qutip_stt.states.orbitals.packet_amplitudes`) times the electron's
spinor times one spin coherent state per local spin
(:func:`~qutip_stt.states.spin.coherent_amplitudes`), in the basis order of
``qutip.tensor``. The sector route reads a ket as its amplitudes only, so
``qutip-stt simulate`` on the default route builds its start here and never
imports QuTiP (a ``Qobj`` start is built for every other form and method).
"""

import numpy as np

from .orbitals import packet_amplitudes
from .spin import coherent_amplitudes

__all__ = ["product_amplitudes", "is_direction"]


def is_direction(value):
    """Whether ``value`` is written as a direction (``"+z"``, ``{theta, phi}``).

    Examples
    --------
    >>> is_direction("-z"), is_direction({"theta": 60}), is_direction([0, 1])
    (True, True, False)
    """
    return isinstance(value, (str, dict))


def product_amplitudes(model, k, dk, x0, electron, local):
    """The ket of Eq. (4) as ``Lx 2 (2S+1)^N`` amplitudes, spins given by directions.

    Parameters
    ----------
    model : STTModel
    k, dk, x0 : float
        The packet, already checked (a resolved config's ``[electron]``).
    electron : str or dict
        The electron spin's direction.
    local : str, dict or list of str or dict
        One direction for every local spin, or one per spin.

    Returns
    -------
    numpy.ndarray
        Complex, flat: the amplitudes of
        ``initial_state(model, k, dk, x0, electron, local).full()``.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=30, N=2)
    >>> psi = product_amplitudes(model, 0.1, 0.2, 10, "+x", "+z")
    >>> ref = initial_state(model, 0.1, 0.2, 10, "+x", "+z").full().ravel()
    >>> bool(np.allclose(psi, ref, rtol=0, atol=1e-15))
    True
    """
    local = list(local) if isinstance(local, (list, tuple)) else (
        [local] * model.N)
    ket = np.kron(packet_amplitudes(model.Lx, k, dk, x0),
                  coherent_amplitudes(0.5, electron, "electron.spin"))
    for n, direction in enumerate(local):
        ket = np.kron(ket, coherent_amplitudes(
            model.S, direction, f"local_spins.direction[{n}]"))
    return ket
