r"""Mean-field (Ehrenfest) equations of the model and their exact-flow splitting integrator.

The many-body ket is replaced by the product ansatz
``psi_e (x) |Omega_1> (x) ... (x) |Omega_N>`` of an electron spinor wave packet
``psi_e(x, s)`` and spin-coherent states of the local spins, and the local
spins by their expectation values, the classical vectors
``M_n = <Sigma_n>`` of fixed length ``2S`` (units hbar/2). Equations of
motion (docs/theory.md, "Classical limit"), with ``hbar`` in eV fs:

.. math::

    i\hbar\,\partial_t \psi_e = H_e(t)\,\psi_e, \qquad
    H_e(t) = H_{tb} - J_{sd}\sum_n |n\rangle\langle n|\otimes
             \boldsymbol\sigma\cdot\mathbf M_n(t),

    \partial_t \mathbf M_n = \frac{2}{\hbar}\,\mathbf M_n\times\mathbf B_n
        - \frac{\alpha}{2S}\,\mathbf M_n\times\partial_t\mathbf M_n, \qquad
    \mathbf B_n = J_{sd}\,\mathbf s_n + \sum_{m=n\pm1}
        (J M^x_m,\ J M^y_m,\ J_z M^z_m) + \mathbf h_n,

with ``s_n = sum_s,s' psi_e(n,s)^* sigma_ss' psi_e(n,s')`` the electron's spin
density on site ``n`` (units hbar/2), ``h_n`` the Zeeman field of spin ``n``
(``STTModel.field``, eV) and ``alpha >= 0`` the Gilbert damping.
For ``alpha = 0`` this is a Hamiltonian system with the mean-field energy

.. math::

    E = \langle\psi_e|H_{tb}|\psi_e\rangle - J_{sd}\sum_n \mathbf s_n\cdot\mathbf M_n
        - \sum_n [J (M^x_n M^x_{n+1} + M^y_n M^y_{n+1}) + J_z M^z_n M^z_{n+1}]
        - \sum_n \mathbf h_n\cdot\mathbf M_n,

which it conserves, with the total ``S^z = s_e^z + sum_n M^z_n`` (and the whole
total spin vector when ``J = Jz``).

Integrator: a symmetric (Strang) splitting whose every piece is solved exactly
by a unitary map or a rotation, so ``|M_n| = 2S`` and the electron norm hold
to round-off at every step whatever the step:

``A``
    hopping, ``psi_e <- exp(-i H_tb tau / hbar) psi_e``, exact in the
    eigenbasis of the open chain (the electron is carried in that basis);
``B``
    s-d exchange. For ``alpha = 0`` the exact joint flow on every spin site:
    ``K_n = s_n + M_n`` is conserved, ``M_n`` rotates about ``K_n`` and
    ``psi_e(n) <- exp(-i J_sd p_n tau/hbar) exp(i J_sd tau sigma.K_n/hbar)
    psi_e(n)`` with ``p_n`` the probability on site ``n``. For ``alpha > 0``:
    the spinors rotate about the frozen ``M_n`` and each ``M_n`` follows the
    exact single-spin LLG solution in the frozen field;
``C``
    XXZ exchange. For ``alpha = 0``: each bond's isotropic part
    ``-J M_n.M_n+1`` (both spins rotate about ``M_n + M_n+1``, even then odd
    bonds) and the Ising remainder ``-(Jz - J) M^z_n M^z_n+1`` (rotations
    about z), all exact, between two half steps of the Zeeman term (each
    spin about its own ``h_n``); for ``alpha > 0`` a symmetric sweep of
    exact single-spin LLG steps in the frozen field of the neighbours and
    ``h_n``.

``S2(tau) = A(tau/2) B(tau/2) C(tau) B(tau/2) A(tau/2)`` is second order and
time-symmetric (``A`` and ``C`` commute, so it is run as
``B(tau/2) A(tau) C(tau) B(tau/2)`` with neighbouring exact ``B`` merged);
the default is Suzuki's fourth-order fractal composition
``S4(tau) = S2(p tau)^2 S2((1 - 4p) tau) S2(p tau)^2``,
``p = 1 / (4 - 4^(1/3))``. For ``alpha = 0`` every piece
conserves total ``S^z`` exactly (and the total spin vector if ``J = Jz``), so
only the energy carries a step error, bounded in time (the pieces are exact
Hamiltonian flows). The step is controlled by step doubling: each output
interval is integrated with ``n`` and ``2n`` steps (the ``2n`` steps at most
``dt`` long) and ``n`` doubles until the difference, over ``2^order - 1``, is
at most ``tol`` in every electron amplitude and every ``M_n / 2S``
component; the ``2n``-step result is kept.
"""
import math
from dataclasses import dataclass

import numpy as np
from scipy.linalg import eigh_tridiagonal

from ..constants import HBAR_EV_FS
from ..errors import ConfigError
from .._util.validation import check_real

__all__ = ["MeanFieldSTT", "llg_rotate", "mean_field_energy", "ORDERS"]

#: Orders of the splitting: 2 (Strang) and 4 (Suzuki's fractal, default).
ORDERS = (2, 4)
#: Suzuki's fourth-order fractal weights: S4(tau) = S2(p tau)^2 S2((1-4p) tau)
#: S2(p tau)^2 with p = 1 / (4 - 4^(1/3)). Its error constant is far smaller
#: than Yoshida's three-stage triple jump, enough to outweigh its two extra
#: stages.
_P = 1.0 / (4.0 - 4.0 ** (1.0 / 3.0))
_WEIGHTS4 = (_P, _P, 1.0 - 4.0 * _P, _P, _P)
_PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]])

def _rot(v, k, angle):
    """Rodrigues rotation of the 3-tuple ``v`` about ``k`` (any length) by ``angle``.

    Plain floats: for a handful of spins numpy's fixed cost per call on
    tiny arrays outweighs the arithmetic. A zero axis leaves ``v`` unchanged.
    """
    kx, ky, kz = k
    n = math.sqrt(kx * kx + ky * ky + kz * kz)
    if n == 0.0 or angle == 0.0:
        return v
    kx, ky, kz = kx / n, ky / n, kz / n
    vx, vy, vz = v
    c, s = math.cos(angle), math.sin(angle)
    kv = (kx * vx + ky * vy + kz * vz) * (1.0 - c)
    return (vx * c + (ky * vz - kz * vy) * s + kx * kv,
            vy * c + (kz * vx - kx * vz) * s + ky * kv,
            vz * c + (kx * vy - ky * vx) * s + kz * kv)


def _llg(v, B, tau, alpha):
    """:func:`llg_rotate` on 3-tuples."""
    b = math.sqrt(B[0] ** 2 + B[1] ** 2 + B[2] ** 2)
    omega = 2.0 * b / HBAR_EV_FS / (1.0 + alpha * alpha)
    v = _rot(v, B, -omega * tau)
    if alpha == 0.0 or b == 0.0:
        return v
    length = math.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2)
    cos_t = (v[0] * B[0] + v[1] * B[1] + v[2] * B[2]) / (length * b)
    theta = math.acos(max(-1.0, min(1.0, cos_t)))
    new = 2.0 * math.atan(math.tan(theta / 2) * math.exp(-alpha * omega * tau))
    axis = (v[1] * B[2] - v[2] * B[1], v[2] * B[0] - v[0] * B[2],
            v[0] * B[1] - v[1] * B[0])
    return _rot(v, axis, theta - new)


def llg_rotate(M, B, tau, alpha=0.0):
    r"""Exact solution of the single-spin LLG equation in a constant field.

    Solves ``dM/dt = (2/hbar) M x B - (alpha/|M|) M x dM/dt`` for time
    ``tau`` (fs) with ``B`` (eV) fixed: ``M`` precesses about ``B`` at the
    angular frequency ``omega = 2|B| / (hbar (1 + alpha^2))`` and its angle
    theta to ``B`` relaxes as ``tan(theta/2) -> tan(theta/2) exp(-alpha omega
    tau)``. Both are rotations, so ``|M|`` is kept to round-off.

    Parameters
    ----------
    M : array_like
        ``(3,)`` spin vector, units hbar/2.
    B : array_like
        ``(3,)`` field, eV (the energy is ``-B . M``).
    tau : float
        Time, fs (may be negative).
    alpha : float, default: 0

    Returns
    -------
    numpy.ndarray
        The vector at time ``tau``.

    Examples
    --------
    >>> from qutip_stt import HBAR_EV_FS
    >>> period = np.pi * HBAR_EV_FS / 0.1          # 2 pi / (2 |B| / hbar)
    >>> M = llg_rotate([1.0, 0, 0], [0, 0, 0.1], period / 4)   # M x B = -y
    >>> np.round(M, 12) + 0.0
    array([ 0., -1.,  0.])
    """
    out = _llg(tuple(float(x) for x in M), tuple(float(x) for x in B),
               float(tau), float(alpha))
    return np.array(out)


@dataclass
class _Counters:
    steps: int = 0
    halvings: int = 0
    max_error: float = 0.0


class MeanFieldSTT:
    r"""The mean-field equations of motion and their splitting integrator.

    Parameters
    ----------
    model : STTModel
        Supplies ``Lx``, ``gamma``, ``J_sd``, ``J``, ``Jz``, ``S``, the
        spin sites and the local fields; no many-body operator is built.
    alpha : float, default: 0
        Gilbert damping of the local spins, >= 0.
    order : {4, 2}, default: 4
        Order of the splitting (see the module docstring).

    Attributes
    ----------
    eps : numpy.ndarray
        ``(Lx,)`` eigenvalues of ``H_tb`` (eV).
    V : numpy.ndarray
        ``(Lx, Lx)`` real orthogonal eigenvectors; the electron is carried as
        ``phi = V^T psi_e``.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> from qutip_stt.solvers.classical import classical_initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> mf = MeanFieldSTT(model)
    >>> psi, M = classical_initial_state(model, initial_state(model, x0=20))
    >>> phi, M2 = mf.step(mf.to_eigenbasis(psi), M, 0.1)
    >>> float(np.linalg.norm(M2, axis=1).max())
    1.0
    """

    def __init__(self, model, alpha=0.0, order=4):
        self.model = model
        self.alpha = check_real("evolution.alpha", alpha, minimum=0)
        if order not in ORDERS:
            raise ConfigError("order", f"expected one of {ORDERS}, got "
                              f"{order!r}")
        self.order = order
        Lx = model.Lx
        self.eps, self.V = eigh_tridiagonal(np.zeros(Lx),
                                            -model.gamma * np.ones(Lx - 1))
        self.Vs = self.V[model.sites].astype(complex)  # (N, Lx) spin-site rows
        self.length = 2 * model.S
        self._phase = {}
        # the local spins' Zeeman field h_n (eV), as 3-tuples
        self._h = [tuple(map(float, h)) for h in np.asarray(model.field)]
        self._has_field = bool(np.any(model.field))

    # -- representation ------------------------------------------------------
    def to_eigenbasis(self, psi):
        """``phi = V^T psi`` of ``(Lx, 2)`` site amplitudes."""
        return self.V.T @ psi

    def to_sites(self, phi):
        """``psi = V phi``, the ``(Lx, 2)`` amplitudes on the sites."""
        return self.V @ phi

    # -- fields and energy ---------------------------------------------------
    def spin_density(self, phi):
        """``s_n`` (N, 3) and ``p_n`` (N,) of the electron on the spin sites."""
        psi_s = self.Vs @ phi
        s = np.real(np.einsum("ni,kij,nj->nk", psi_s.conj(), _PAULI, psi_s))
        return s, np.sum(np.abs(psi_s) ** 2, axis=1)

    def exchange_field(self, M):
        """``(N, 3)`` XXZ field of the neighbours on each spin, eV."""
        m = self.model
        M = np.asarray(M, float)
        A = np.array([m.J, m.J, m.Jz])
        B = np.zeros_like(M)
        B[:-1] += A * M[1:]
        B[1:] += A * M[:-1]
        return B

    def energy(self, phi, M):
        """Mean-field energy ``E`` (eV) of the module docstring."""
        M = np.asarray(M, float)
        e_tb = float(np.sum(self.eps[:, None] * np.abs(phi) ** 2))
        s, _ = self.spin_density(phi)
        e_sd = -self.model.J_sd * float(np.sum(s * M))
        e_xxz = -0.5 * float(np.sum(M * self.exchange_field(M)))
        e_zeeman = -float(np.sum(np.asarray(self.model.field) * M))
        return e_tb + e_sd + e_xxz + e_zeeman

    # -- exact pieces (M is a list of 3-tuples inside a step) ------------------
    def _hop(self, phi, tau):
        phase = self._phase.get(tau)
        if phase is None:
            if len(self._phase) > 64:
                self._phase.clear()
            phase = self._phase[tau] = np.exp(
                -1j * self.eps * tau / HBAR_EV_FS)[:, None]
        return phi * phase

    def _sd(self, phi, M, tau):
        c = self.model.J_sd * tau / HBAR_EV_FS
        old = (self.Vs @ phi).tolist()
        new, out = [], []
        for (u, d), m in zip(old, M):
            ud = u.conjugate() * d
            uu, dd = abs(u) ** 2, abs(d) ** 2
            s = (2 * ud.real, 2 * ud.imag, uu - dd)
            if self.alpha == 0:
                # exact joint flow: K = s + M is conserved, both rotate about K
                K = (s[0] + m[0], s[1] + m[1], s[2] + m[2])
                phase = complex(math.cos(c * (uu + dd)),
                                -math.sin(c * (uu + dd)))
                m = _rot(m, K, -2 * c * math.sqrt(K[0] ** 2 + K[1] ** 2
                                                  + K[2] ** 2))
                new.append(_spinor_rotate(u, d, K, c, phase))
            else:
                # symmetric: spinor in the frozen M (tau/2), M in the frozen
                # s (exact LLG, tau), spinor in the new M (tau/2)
                u, d = _spinor_rotate(u, d, m, c / 2, 1.0)
                ud = u.conjugate() * d
                J_sd = self.model.J_sd
                s = (2 * J_sd * ud.real, 2 * J_sd * ud.imag,
                     J_sd * (abs(u) ** 2 - abs(d) ** 2))
                m = _llg(m, s, tau, self.alpha)
                new.append(_spinor_rotate(u, d, m, c / 2, 1.0))
            out.append(m)
        return phi + self.Vs.T @ (np.array(new) - np.array(old)), out

    def _xxz(self, M, tau):
        m = self.model
        if m.N == 1 or (m.J == 0 and m.Jz == 0):
            return self._zeeman(M, tau)
        if self.alpha == 0:
            M = self._zeeman(M, tau / 2)
            M = self._ising(M, tau / 2)
            for span, parity in ((tau / 2, 0), (tau, 1), (tau / 2, 0)):
                M = self._isotropic(M, span, parity)
            return self._zeeman(self._ising(M, tau / 2), tau / 2)
        M = list(M)
        for n in list(range(m.N)) + list(range(m.N - 1, -1, -1)):
            B = list(self._h[n])        # symmetric Gauss-Seidel sweep
            for j in (n - 1, n + 1):
                if 0 <= j < m.N:
                    B[0] += m.J * M[j][0]
                    B[1] += m.J * M[j][1]
                    B[2] += m.Jz * M[j][2]
            M[n] = _llg(M[n], B, tau / 2, self.alpha)
        return M

    def _zeeman(self, M, tau):
        """Exact LLG flow of ``-h_n . M_n``: each spin about its own field."""
        if not self._has_field:
            return M
        return [_llg(v, h, tau, self.alpha) for v, h in zip(M, self._h)]

    def _isotropic(self, M, tau, parity):
        """Exact flow of ``-J M_n . M_n+1`` on the bonds n = parity, parity+2, ..."""
        M = list(M)
        c = -2 * self.model.J * tau / HBAR_EV_FS
        for n in range(parity, self.model.N - 1, 2):
            a, b = M[n], M[n + 1]
            K = (a[0] + b[0], a[1] + b[1], a[2] + b[2])
            angle = c * math.sqrt(K[0] ** 2 + K[1] ** 2 + K[2] ** 2)
            M[n], M[n + 1] = _rot(a, K, angle), _rot(b, K, angle)
        return M

    def _ising(self, M, tau):
        """Exact flow of ``-(Jz - J) sum M^z_n M^z_n+1``: rotations about z."""
        dJ = self.model.Jz - self.model.J
        if dJ == 0:
            return M
        N, c = self.model.N, -2 * dJ * tau / HBAR_EV_FS
        out = []
        for n, (x, y, z) in enumerate(M):
            bz = (M[n - 1][2] if n > 0 else 0.0) + (
                M[n + 1][2] if n < N - 1 else 0.0)
            cos, sin = math.cos(c * bz), math.sin(c * bz)
            out.append((x * cos - y * sin, x * sin + y * cos, z))
        return out

    def _pieces(self, tau, n):
        """The exact pieces of ``n`` steps of ``tau``: ``("B", t)`` or ``("AC", t)``.

        ``S2(t) = B(t/2) A(t) C(t) B(t/2)`` (``A`` and ``C`` act on different
        variables and commute, so this is the Strang splitting
        ``A(t/2) B(t/2) C(t) B(t/2) A(t/2)`` regrouped); for ``alpha = 0``
        ``B`` is an exact flow, so neighbouring ``B`` pieces are merged.
        """
        weights = (1.0,) if self.order == 2 else _WEIGHTS4
        out = []
        for _ in range(n):
            for w in weights:
                for piece in (("B", w * tau / 2), ("AC", w * tau),
                              ("B", w * tau / 2)):
                    if self.alpha == 0 and out and out[-1][0] == "B" == piece[0]:
                        out[-1] = ("B", out[-1][1] + piece[1])
                    else:
                        out.append(piece)
        return out

    def step(self, phi, M, tau):
        """One step of length ``tau`` (fs) of the chosen order.

        Parameters
        ----------
        phi : numpy.ndarray
            ``(Lx, 2)`` electron in the eigenbasis of ``H_tb``.
        M : numpy.ndarray
            ``(N, 3)`` local spins.
        tau : float
            Step, fs.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            The new ``phi`` and ``M``.
        """
        return self.advance(phi, M, tau, 1)

    def advance(self, phi, M, span, n):
        """``n`` steps of ``span / n`` fs; returns the new ``phi`` and ``M``."""
        M = [tuple(v) for v in np.asarray(M, float).tolist()]
        for kind, t in self._pieces(span / n, n):
            if kind == "B":
                phi, M = self._sd(phi, M, t)
            else:
                phi, M = self._hop(phi, t), self._xxz(M, t)
        return phi, np.array(M)

    def interval(self, phi, M, span, n, tol, counters):
        """Integrate ``span`` fs to tolerance ``tol`` by step doubling.

        Returns the state, the number of steps that met ``tol`` and the
        error estimate.
        """
        coarse = self.advance(phi, M, span, n)
        counters.steps += n
        scale = 2 ** self.order - 1
        while True:
            fine = self.advance(phi, M, span, 2 * n)
            counters.steps += 2 * n
            err = max(np.max(np.abs(fine[0] - coarse[0])),
                      np.max(np.abs(fine[1] - coarse[1])) / self.length) / scale
            if err <= tol or n >= 2 ** 20:
                counters.max_error = max(counters.max_error, err)
                return fine, 2 * n, err
            counters.halvings += 1
            coarse, n = fine, 2 * n


def _spinor_rotate(u, d, K, c, phase):
    """``phase * exp(i c sigma . K)`` applied to the spinor ``(u, d)``."""
    kx, ky, kz = K
    k = math.sqrt(kx * kx + ky * ky + kz * kz)
    if k == 0.0:
        return (phase * u, phase * d)
    cos, sin = math.cos(c * k), math.sin(c * k)
    kx, ky, kz = kx / k, ky / k, kz / k
    su = kz * u + complex(kx, -ky) * d          # (sigma . k) psi
    sd = complex(kx, ky) * u - kz * d
    return (phase * (cos * u + 1j * sin * su), phase * (cos * d + 1j * sin * sd))


def mean_field_energy(model, psi, M):
    """Mean-field energy (eV) of site amplitudes ``psi`` (Lx, 2) and spins ``M``.

    Equals ``<H>`` of the product ket with spin-coherent local spins.

    Examples
    --------
    >>> import qutip
    >>> from qutip_stt import STTModel, initial_state
    >>> from qutip_stt.solvers.classical import classical_initial_state
    >>> model = STTModel(Lx=60, N=2)
    >>> psi0 = initial_state(model, x0=20)
    >>> psi, M = classical_initial_state(model, psi0)
    >>> E = mean_field_energy(model, psi, M)
    >>> bool(abs(E - qutip.expect(model.hamiltonian, psi0)) < 1e-12)
    True
    """
    mf = MeanFieldSTT(model)
    return mf.energy(mf.to_eigenbasis(psi), M)
