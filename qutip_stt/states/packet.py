r"""The Eq. (4) wave packet and the many-body initial ket.

The many-body state at ``t = 0`` is the product (Eq. 4)

.. math::

    \langle x|\Psi(0)\rangle = C e^{i k x - \delta k^2 (x - x_0)^2 / 4}
        \otimes \chi_e \otimes \chi_1 \otimes \dots \otimes \chi_N,

assembled with :func:`qutip.tensor` in the model's tensor order:
:func:`wave_packet` is the orbital factor, :func:`initial_state` the
product. The spin factors come from :mod:`qutip_stt.states.spin` (one spin)
and :mod:`qutip_stt.states.local` (the local spins).
"""


import numpy as np

from .._util.lazy import lazy_module
from .._util.resources import MAX_DIMENSION, VECTOR_BYTES, check_allocation
from .._util.validation import check_real
from ..model.parameters import default_x0
from .local import _factors, local_spins_state
from .orbitals import packet_amplitudes
from .sector_state import SectorState, sector_initial_state
from .spin import spin_state

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["wave_packet", "initial_state"]


def wave_packet(Lx, k=0.1, dk=0.2, x0=None):
    r"""The Gaussian packet of Eq. (4) on a chain of ``Lx`` sites, normalised.

    ``psi(x) = C exp(i k x - dk^2 (x - x0)^2 / 4)`` for ``x = 0 .. Lx-1``.

    Parameters
    ----------
    Lx : int
        Number of sites.
    k : float, default: 0.1
        Mean wave number ``k_x a`` (sites^-1); the packet moves right for
        ``0 < k < pi``.
    dk : float, default: 0.2
        Momentum width ``delta k_x a``, > 0. The probability density has
        standard deviation ``1/dk`` sites.
    x0 : float, optional
        Centre, site index (may be fractional), within ``[0, Lx-1]``;
        default :func:`~qutip_stt.states.orbitals.default_x0` = 0.4 Lx
        (160 on the paper's 400 sites), as a config's ``electron.x0``.

    Returns
    -------
    qutip.Qobj
        Ket of dimension ``Lx``.

    Examples
    --------
    >>> psi = wave_packet(400)
    >>> abs(psi.norm() - 1) < 1e-14
    True
    """
    k = check_real("k", k)
    dk = check_real("dk", dk, minimum=0, strict_minimum=True)
    if x0 is None:
        x0 = default_x0(Lx)
    x0 = check_real("x0", x0, minimum=0, maximum=Lx - 1)
    return qutip.Qobj(packet_amplitudes(Lx, k, dk, x0), dims=[[Lx], [1]])


def initial_state(model, k=0.1, dk=0.2, x0=None, electron="-z",
                  local="+z", *, sectors=None):
    """The separable many-body state of Eq. (4) on the model's Hilbert space.

    A ``qutip.Qobj`` on the full space, or for a model made with
    ``full_space=False`` a :class:`~qutip_stt.states.sector_state.SectorState`:
    its total-S^z pieces, built without the full space when every local
    spin starts along ``+z`` or ``-z`` (at most two sectors; ``N = 50`` on
    4,000 sites is a few MB). Every construction checks its memory first
    and refuses in one line naming the parameter.

    Parameters
    ----------
    model : STTModel
    k, dk, x0 : float
        Wave packet, see :func:`wave_packet` (``x0`` defaults to 0.4 Lx, as
        in a config).
    electron : str, dict, sequence or qutip.Qobj
        Electron spin: a direction (``"-z"``, ``{"theta": 60, "phi": 30}``)
        or a spinor (``(0, 1)`` is down, as the paper's ``chi_e``); see
        :func:`~qutip_stt.states.spin.spin_state`.
    local : str, dict, sequence, list or qutip.Qobj
        Local spins, see :func:`~qutip_stt.states.local.local_spins_state`
        (a list of ``N`` one-spin states for a product, as
        :func:`~qutip_stt.states.local.local_factors` gives).
    sectors : bool, optional
        Return the :class:`~qutip_stt.states.sector_state.SectorState`
        (True) or the ``Qobj`` (False); default: the sector state exactly
        when the model was made with ``full_space=False``.

    Returns
    -------
    qutip.Qobj or SectorState
        Ket with dims ``[[Lx, 2, 2S+1, ..., 2S+1], [1]]``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> psi0 = initial_state(STTModel(Lx=60, N=2), x0=20)
    >>> psi0.dims
    [[60, 2, 2, 2], [1]]
    >>> psi0 = initial_state(STTModel(Lx=100, N=3))     # x0 = 0.4 Lx = 40
    >>> initial_state(STTModel(Lx=4000, N=50, full_space=False), x0=1900)
    SectorState(Lx=4000, N=50, sectors={24.5: 204000})
    """
    orbital = wave_packet(model.Lx, k, dk, x0)
    chi = spin_state(0.5, electron, "electron.spin")
    if sectors is None:
        sectors = not getattr(model, "full_space", True)
    if sectors and not isinstance(local, qutip.Qobj):
        factors = [f.full().ravel() for f in _factors(model, local)]
        if all(np.count_nonzero(f) == 1 for f in factors) or \
                model.dimension > MAX_DIMENSION:
            return sector_initial_state(model, orbital.full().ravel(),
                                        chi.full().ravel(), factors)
    # the ket and qutip.tensor's intermediate products
    check_allocation("N", 3 * model.dimension * VECTOR_BYTES,
                     f"the full-space ket of dimension {model.dimension:,}",
                     "start the local spins along +z or -z with a model of "
                     "full_space=False (a SectorState), or reduce N or Lx")
    ket = qutip.tensor(orbital, chi, local_spins_state(model, local))
    return SectorState.from_qobj(model, ket) if sectors else ket
