"""The Chebyshev series of the propagator: its Bessel coefficients.

``exp(-i a x t / hbar) = sum_k (2 - delta_k0) (-i)^k J_k(a t / hbar) T_k(x)``
for ``x`` in [-1, 1]. This module gives the coefficients for one interval
(:func:`chebyshev_coefficients`), how many a tolerance keeps
(:func:`series_length`, cheaply), and the real weights that combine one
series into several output times at once (:func:`chebyshev_table`);
:class:`~qutip_stt.solvers.chebyshev.ChebyshevPropagator` applies them.
"""

import numpy as np
import scipy.special

from ..constants import HBAR_EV_FS
from .methods.chebyshev import DEFAULT_TOL

__all__ = ["DEFAULT_TOL", "chebyshev_coefficients", "series_length",
           "chebyshev_table"]

def chebyshev_coefficients(half_width, dt, tol=DEFAULT_TOL):
    """Chebyshev coefficients of ``exp(-i a x dt / hbar)`` for x in [-1, 1].

    Parameters
    ----------
    half_width : float
        ``a``, half the spectral width, eV.
    dt : float
        Time step, fs.
    tol : float
        Cut where every further ``|c_k|`` is below ``tol``.

    Returns
    -------
    numpy.ndarray
        Complex coefficients ``c_k = (2 - delta_k0) (-i)^k J_k(alpha)``,
        ``alpha = a dt / hbar``.

    Examples
    --------
    >>> c = chebyshev_coefficients(1.0, 1.0)        # 1 eV half width, 1 fs
    >>> bool(abs(c[-1]) < 1e-12 < abs(c[0]))
    True
    """
    alpha = half_width * dt / HBAR_EV_FS
    kmax = _largest_term(alpha)
    k = np.arange(kmax + 1)
    jk = scipy.special.jv(k, alpha)
    big = np.flatnonzero(np.abs(jk) * 2 >= tol)
    n_keep = (big[-1] + 2) if big.size else 1
    n_keep = min(n_keep, kmax + 1)
    c = 2.0 * (-1j) ** k[:n_keep] * jk[:n_keep]
    c[0] /= 2.0
    return c


def _largest_term(alpha):
    """Index beyond which ``|J_k(alpha)|`` is far below any tolerance."""
    return int(alpha + 20 * np.cbrt(max(alpha, 1.0)) + 40)


def series_length(half_width, dt, tol=DEFAULT_TOL):
    """Number of terms :func:`chebyshev_coefficients` keeps, at a fraction
    of its cost: ``|J_k(alpha)|`` falls monotonically for ``k > alpha``, so
    the last term above the tolerance is found by bisection beyond
    ``alpha``.

    Examples
    --------
    >>> series_length(2.5, 2.6) == chebyshev_coefficients(2.5, 2.6).size
    True
    """
    alpha = half_width * dt / HBAR_EV_FS
    kmax = _largest_term(alpha)
    lo, hi = int(alpha), kmax           # |J_k| >= tol / 2 at lo, not at hi

    def big(k):
        return abs(scipy.special.jv(k, alpha)) * 2 >= tol

    if not big(lo):
        return 1
    while hi - lo > 1:                  # bisection: ~7 Bessel values
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if big(mid) else (lo, mid)
    return int(min(lo + 2, kmax + 1))


def chebyshev_table(half_width, offsets, tol=DEFAULT_TOL):
    """Real Bessel weights of the Chebyshev series for several intervals at once.

    For intervals ``tau_j`` (``offsets``) all expanded in one series of
    length ``K`` (set by the longest), ``exp(-i a x tau_j / hbar) =
    sum_k (2 - delta_k0) (-i)^k J_k(alpha_j) T_k(x)``. The factor ``(-i)^k``
    is ``(-1)^(k/2)`` for even ``k`` and ``-i (-1)^((k-1)/2)`` for odd
    ``k``, so the series splits into two real combinations, of the even and
    of the odd Chebyshev vectors, done as real matrix products.

    Parameters
    ----------
    half_width : float
        ``a``, half the spectral width, eV.
    offsets : array_like
        Intervals ``tau_j >= 0``, fs.
    tol : float
        Every dropped term is below ``tol`` for every interval.

    Returns
    -------
    even, odd : numpy.ndarray
        ``(len(offsets), ceil(K/2))`` and ``(len(offsets), floor(K/2))``
        real weights: the ket at ``tau_j`` is ``sum_i even[j, i] v_{2i} -
        i sum_i odd[j, i] v_{2i+1}`` times ``exp(-i b tau_j / hbar)``.

    Examples
    --------
    >>> even, odd = chebyshev_table(1.0, [0.5, 1.0])
    >>> c = chebyshev_coefficients(1.0, 1.0)
    >>> bool(np.allclose(even[1, :c[::2].size], c[::2].real, atol=1e-13))
    True
    """
    offsets = np.asarray(offsets, dtype=float)
    K = series_length(half_width, float(offsets.max()), tol)
    alpha = half_width * offsets / HBAR_EV_FS
    k = np.arange(K)
    weights = 2.0 * scipy.special.jv(k[None, :], alpha[:, None])
    weights[:, 0] /= 2.0
    weights *= np.where(k % 4 < 2, 1.0, -1.0)          # real part of (-i)^k
    return weights[:, 0::2].copy(), weights[:, 1::2].copy()
