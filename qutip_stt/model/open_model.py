r"""The model with its local spins in contact with a bath: Lindblad operators from QuTiP.

:class:`OpenSTTModel` is :class:`~qutip_stt.model.hamiltonian.STTModel` plus
a :class:`~qutip_stt.model.bath.Bath` on the local spins. The density matrix
of electron + local spins obeys

.. math::

    \dot\rho = -\frac{i}{\hbar}[H, \rho]
        + \sum_{n, k} \left(L_{nk}\,\rho\,L_{nk}^\dagger
        - \tfrac12\{L_{nk}^\dagger L_{nk}, \rho\}\right),

with ``H`` the Hamiltonian of Eq. (3) (fields included) and the operators
``L_{nk}`` of :mod:`qutip_stt.model.bath` (rates in 1/fs), built from the
ladder operators of :func:`qutip.jmat` along each spin's axis. The local
spins alone, between electrons, follow the same equation with
``model.local_hamiltonian``: :attr:`OpenSTTModel.local_liouvillian` is that
generator as a QuTiP superoperator (:func:`qutip.liouvillian`, 1/fs).
"""

from functools import cached_property

import numpy as np

from .._util.lazy import lazy_module
from ..constants import HBAR_EV_FS
from ..errors import ConfigError
from .bath import Bath, spin_baths
from .hamiltonian import STTModel

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["OpenSTTModel", "has_bath"]


def has_bath(model):
    """True when ``model`` is an :class:`OpenSTTModel` with a nonzero rate.

    Examples
    --------
    >>> has_bath(STTModel(Lx=10, N=1)), has_bath(OpenSTTModel(Lx=10, N=1))
    (False, False)
    """
    bath = getattr(model, "bath", None)
    return bath is not None and bath.active


class OpenSTTModel(STTModel):
    """:class:`~qutip_stt.model.hamiltonian.STTModel` with a bath on the local spins.

    Parameters
    ----------
    *args, **kwargs
        As :class:`~qutip_stt.model.hamiltonian.STTModel`.
    bath : Bath or dict, optional
        The bath (a dict of :class:`~qutip_stt.model.bath.Bath`'s keywords);
        default: no rate (a closed system).

    Attributes
    ----------
    bath : Bath

    Examples
    --------
    >>> from qutip_stt.model.bath import Bath
    >>> model = OpenSTTModel(Lx=20, N=2, field=0.01,
    ...                      bath=Bath(relaxation=1e-3, dephasing=1e-4))
    >>> len(model.local_collapse_operators), model.collapse_operators[0].dims
    (4, [[20, 2, 2, 2], [20, 2, 2, 2]])
    >>> model.local_liouvillian.issuper
    True
    """

    def __init__(self, *args, bath=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bath is None:
            bath = Bath()
        elif isinstance(bath, dict):
            bath = Bath(**bath)
        elif not isinstance(bath, Bath):
            raise ConfigError("bath", f"expected a Bath or a dict of its "
                              f"parameters, got {type(bath).__name__}")
        self.bath = bath

    def parameters(self):
        """:meth:`STTModel.parameters` plus ``bath`` (a dict), so that
        ``OpenSTTModel(**p)`` rebuilds the model."""
        return {**super().parameters(), "bath": self.bath.as_dict()}

    def attributes(self):
        """:meth:`STTModel.attributes` plus the bath as ``bath_<key>``
        (rates 1/fs, temperature K, direction a unit vector)."""
        out = super().attributes()
        out.pop("bath")
        for key, value in self.bath.as_dict().items():
            out[f"bath_{key}"] = np.asarray(value, dtype=float)
        return out

    def __repr__(self):
        b = self.bath
        return (super().__repr__()[:-1] + f", bath=Bath(relaxation="
                f"{b.relaxation:g}, dephasing={b.dephasing:g}, temperature="
                f"{b.temperature:g}))")

    @cached_property
    def spin_baths(self):
        """The :class:`~qutip_stt.model.bath.SpinBath` (axis, rates) of
        every local spin."""
        return spin_baths(self.bath, self.field)

    @cached_property
    def local_collapse_operators(self):
        """The Lindblad operators ``L_nk`` on the local-spins space, 1/fs^(1/2).

        Per spin with a nonzero rate: ``sqrt(Gamma_down/2S) J^+``,
        ``sqrt(Gamma_up/2S) J^-`` and ``sqrt(2 gamma_phi) J_a`` along its
        axis (those with a zero rate are left out), CSR ``Qobj``.
        """
        J = [qutip.jmat(self.S, c) for c in "xyz"]
        out = []
        for sb in self.spin_baths:
            a, e1, e2 = _frame(sb.axis)
            along = sum(c * j for c, j in zip(a, J))
            plus = sum((c1 + 1j * c2) * j for c1, c2, j in zip(e1, e2, J))
            for rate, op in ((sb.down / (2 * self.S), plus),
                             (sb.up / (2 * self.S), plus.dag()),
                             (2 * sb.dephasing, along)):
                if rate > 0:
                    out.append(np.sqrt(rate)
                               * self._embed_local(op.to("CSR"), sb.spin - 1))
        return out

    @cached_property
    def collapse_operators(self):
        """:attr:`local_collapse_operators` on the full space (identity on
        the electron), for :func:`qutip.mesolve` with ``hamiltonian_fs``."""
        return [self._embed(local=c) for c in self.local_collapse_operators]

    @cached_property
    def local_liouvillian(self):
        """Generator of the local spins alone, ``L = -i[H_loc, .]/hbar +
        sum D[L_nk]``, 1/fs: :func:`qutip.liouvillian` of
        ``local_hamiltonian / hbar`` and :attr:`local_collapse_operators`."""
        return qutip.liouvillian(self.local_hamiltonian / HBAR_EV_FS,
                                 self.local_collapse_operators)


def _frame(axis):
    """``(a, e1, e2)``: ``a`` and a right-handed orthonormal pair, ``e1 x
    e2 = a``; ``(z, x, y)`` for the z axis."""
    a = np.asarray(axis, dtype=float)
    ref = np.array([0.0, 0.0, 1.0]) if abs(a[2]) < 0.9 else \
        np.array([1.0, 0.0, 0.0])
    if np.allclose(a, [0, 0, 1]):
        return a, np.array([1.0, 0, 0]), np.array([0, 1.0, 0])
    e2 = np.cross(a, ref)
    e2 /= np.linalg.norm(e2)
    e1 = np.cross(e2, a)
    return a, e1, e2
