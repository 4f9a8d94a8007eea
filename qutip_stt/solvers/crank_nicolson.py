r"""Crank-Nicolson, registered as a :func:`qutip.sesolve` integrator.

The scheme (Bayfield, Ref. [30] of the paper; used by the authors)

.. math::

    \left(1 + \tfrac{i}{\hbar} H \tfrac{dt}{2}\right) \psi(t + dt)
        = \left(1 - \tfrac{i}{\hbar} H \tfrac{dt}{2}\right) \psi(t)

is unitary to round-off for Hermitian ``H``. The left-hand matrix is
factorized once with SuperLU (:func:`scipy.sparse.linalg.splu`); every step is
one sparse product and two triangular solves.

Energy origin. Crank-Nicolson replaces ``exp(-i E dt/hbar)`` by a Cayley
transform whose phase error per step grows as ``(E dt / hbar)^3 / 12``, so
it depends on where the energy zero is. The integrator shifts H by the mean
energy ``<psi|H|psi>`` of the state it starts from (an exact global phase,
restored on output), so the error is set by the spread of energies in the
state (~0.1 eV for the paper) rather than by ``|E| ~ 2.4 eV``.

After ``import qutip_stt`` any QuTiP user can call::

    qutip.sesolve(H, psi0, tlist, options={"method": "crank-nicolson", "dt": 0.1})

The step ``dt`` is in the units of ``tlist``. Every output time is hit
exactly: an interval between outputs is split into ``ceil(interval / dt)``
equal steps (no longer than ``dt``).
"""

import math

import numpy as np
import scipy.sparse
import scipy.sparse.linalg
from qutip import SESolver
from qutip.core import data as _data
from qutip.solver.integrator import Integrator, IntegratorException

__all__ = ["CrankNicolson"]


class CrankNicolson(Integrator):
    """Crank-Nicolson integrator for constant Hamiltonians (``method="crank-nicolson"``).

    Registered with :class:`qutip.SESolver` when :mod:`qutip_stt` is
    imported, so that ``qutip.sesolve`` accepts
    ``options={"method": "crank-nicolson", "dt": ...}``. Each step solves
    ``(1 + i H dt / 2 hbar) psi(t + dt) = (1 - i H dt / 2 hbar) psi(t)`` with
    one sparse LU factorization, reused for every step: unitary to round-off,
    error ``O(dt^2)``. Output times that are not multiples of ``dt`` get one
    shorter step.

    Works with both interfaces QuTiP has given integrators: QuTiP 5.2-5.3
    hand the solver's constant ``QobjEvo``; QuTiP's development branch hands
    the constant matrix itself (``rhs_format = "matrix"``, as its Krylov
    and diagonalization integrators). The contract tests QuTiP runs on its
    own matrix integrators run on this one too (``tests/test_crank_nicolson.py``).

    Parameters
    ----------
    system : qutip.core.QobjEvo or qutip.core.data.Data
        The constant generator ``L = -i H`` (per unit of ``tlist`` time):
        the ``QobjEvo`` of :class:`qutip.SESolver` (QuTiP 5.2-5.3) or its
        matrix (``rhs_format = "matrix"``).
    options : dict
        ``dt`` (step, in the units of ``tlist``; default 0.1) and
        ``energy_shift`` (default True: measure energies from ``<H>`` of the
        initial state, which reduces the phase error).

    Examples
    --------
    >>> import numpy as np, qutip
    >>> H = qutip.sigmax()
    >>> res = qutip.sesolve(H, qutip.basis(2, 0), [0.0, np.pi / 2],
    ...                     e_ops=[qutip.sigmaz()],
    ...                     options={"method": "crank-nicolson", "dt": 0.01})
    >>> round(float(res.expect[0][-1]), 3)                # exact: cos(pi) = -1
    -1.0
    """

    integrator_options = {"dt": 0.1, "energy_shift": True}
    support_time_dependant = False
    supports_blackbox = False
    #: QuTiP >= 5.4 hands "matrix" integrators the constant matrix itself.
    rhs_format = "matrix"
    method = "crank-nicolson"

    def __init__(self, system, options):
        if isinstance(system, _data.Data):           # rhs_format = "matrix"
            L = system
        else:                                        # QuTiP 5.2-5.3: QobjEvo
            if not system.isconstant:
                raise ValueError("crank-nicolson: only constant "
                                 "(time-independent) Hamiltonians are "
                                 "supported")
            L = system(0).data
        self.system = system
        self._L = _data.to(_data.CSR, L).as_scipy().tocsc()
        self._is_set = False
        self._back = (np.inf, None)
        self._options = self.integrator_options.copy()
        self.options = options
        self._prepare()

    def _prepare(self):
        dt = self.options["dt"]
        if not (isinstance(dt, (int, float)) and math.isfinite(dt) and dt > 0):
            raise ValueError(f"dt: expected a positive step, got {dt!r}")
        self._eye = scipy.sparse.identity(self._L.shape[0], dtype=complex,
                                          format="csc")
        self._factor = {}
        self._shift = 0.0
        self.name = "qutip-stt Crank-Nicolson"

    def _propagator(self, h):
        """``(A_lu, B)`` with ``A = 1 - L' h/2``, ``B = 1 + L' h/2`` for step ``h``."""
        key = round(h, 15)
        if key not in self._factor:
            Lp = self._L + 1j * self._shift * self._eye
            A = (self._eye - 0.5 * h * Lp).tocsc()
            B = (self._eye + 0.5 * h * Lp).tocsr()
            self._factor = {key: (scipy.sparse.linalg.splu(A), B)}
        return self._factor[key]

    def set_state(self, t, state0):
        y = state0.to_array().ravel().astype(complex)
        if self.options["energy_shift"]:
            # <H> = <y| i L |y> / <y|y>, the mean energy of the state.
            norm2 = np.vdot(y, y).real
            shift = float(np.real(1j * np.vdot(y, self._L @ y)) / norm2) \
                if norm2 > 0 else 0.0
            if shift != self._shift:
                self._shift = shift
                self._factor = {}
        self._t0 = t
        self._t = t
        self._y = y
        self._is_set = True

    def integrate(self, t, copy=True):
        interval = t - self._t
        if interval < 0:
            raise IntegratorException(
                f"crank-nicolson integrates forward only: {t} < {self._t}")
        if interval > 0:
            n = max(1, math.ceil(interval / self.options["dt"] - 1e-9))
            lu, B = self._propagator(interval / n)
            y = self._y
            for _ in range(n):
                y = lu.solve(B @ y)
            self._y = y
            self._t = t
        return self.get_state(copy)

    def get_state(self, copy=True):
        # Undo the energy shift: exp(-i E (t - t0)) is the exact global phase.
        phase = np.exp(-1j * self._shift * (self._t - self._t0))
        y = self._y * phase
        return self._t, _data.dense.fast_from_numpy(y.reshape(-1, 1))

    @property
    def options(self):
        """
        Supported options by the "crank-nicolson" method:

        dt : float, default: 0.1
            Largest time step, in the units of ``tlist`` (fs in qutip-stt).
            Each interval between output times is split into equal steps
            no longer than ``dt``.

        energy_shift : bool, default: True
            Measure the Hamiltonian from the mean energy of the initial state,
            which shrinks Crank-Nicolson's phase error without changing any
            observable (the global phase is restored exactly).
        """
        return self._options

    @options.setter
    def options(self, new_options):
        Integrator.options.fset(self, new_options)


SESolver.add_integrator(CrankNicolson, "crank-nicolson")
