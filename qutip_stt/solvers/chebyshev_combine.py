"""How a Chebyshev series' vectors are combined into its output kets.

:class:`~qutip_stt.solvers.chebyshev.ChebyshevPropagator` keeps the
vectors of a series by parity in real views and adds each piece of them
into every output that still needs it: ``out += weights @ vectors``, a
real matrix product. Three ways of doing it, because SciPy's BLAS wrappers
hold the GIL while they run and numpy's matrix product releases it:

* :func:`accumulate`, one ``dgemm`` accumulating in place: the faster one
  alone (no temporary product, no second pass to add it);
* :class:`Combination`, :func:`numpy.matmul` into a kept buffer, then an
  in-place :func:`numpy.add`: without the compiled module, the one to use
  when another thread propagates beside it (the sector route's two
  threads), which would otherwise wait for every ``dgemm``;
* :func:`released`, with the package's compiled module: the same BLAS
  ``dgemm`` as :func:`accumulate` (SciPy's, from
  :mod:`scipy.linalg.cython_blas`), called without the GIL and without
  the Python-level checks of SciPy's wrapper: both in one, and what the
  propagators use whenever the module is built (the same product as
  :func:`accumulate`, with less overhead per call).
"""

import numpy as np
import scipy.linalg.blas

from . import kernels

__all__ = ["accumulate", "Combination", "released", "RELEASED"]


def _use_dgemm():
    """Hands SciPy's ``dgemm`` to the compiled module; False without it."""
    if kernels.extension is None:
        return False
    try:
        import scipy.linalg.cython_blas
        kernels.extension.use_dgemm(
            scipy.linalg.cython_blas.__pyx_capi__["dgemm"])
    except (ImportError, AttributeError, KeyError, ValueError):  # pragma: no cover
        return False
    return True


#: Whether :func:`released` can run (the compiled module is built and found
#: SciPy's ``dgemm``); the propagators use it when
#: :data:`~qutip_stt.solvers.kernels.COMPILED` is on as well.
RELEASED = _use_dgemm()


def released(out, weights, vectors):
    """``out += weights @ vectors.view(float)`` in place by BLAS ``dgemm``
    without the GIL (:data:`RELEASED` must be true; ``out`` and
    ``vectors`` in C order).

    Examples
    --------
    >>> out = np.zeros((1, 4))
    >>> if RELEASED:
    ...     released(out, np.array([[2.0]]), np.array([[1 + 1j, 2 - 1j]]))
    ... else:
    ...     accumulate(out, np.array([[2.0]]), np.array([[1 + 1j, 2 - 1j]]))
    >>> out
    array([[ 2.,  2.,  4., -2.]])
    """
    if weights.size:
        kernels.extension.combine(out, np.ascontiguousarray(weights),
                                  vectors, weights.shape[0], weights.shape[1])


def accumulate(out, weights, vectors):
    """``out += weights @ vectors.view(float)`` in place: one BLAS ``dgemm``
    on the transposed (Fortran) views, without the temporary result of
    ``@`` (no allocation of it and no second pass to add it: what counts
    on the long real rows of large sectors).

    Examples
    --------
    >>> out = np.zeros((1, 4))
    >>> accumulate(out, np.array([[2.0]]), np.array([[1 + 1j, 2 - 1j]]))
    >>> out
    array([[ 2.,  2.,  4., -2.]])
    """
    result = scipy.linalg.blas.dgemm(
        1.0, vectors.view(float).T, np.asfortranarray(weights.T), beta=1.0,
        c=out.T, overwrite_c=True)
    if not np.shares_memory(result, out):           # pragma: no cover
        out[...] = result.T


class Combination:
    """``out += weights @ vectors.view(float)`` by :func:`numpy.matmul`
    (which releases the GIL) into a product buffer kept between calls,
    then :func:`numpy.add` in place (which releases it too). One per
    propagator: the buffer is not shared between threads.

    Examples
    --------
    >>> combine, out = Combination(), np.zeros((1, 4))
    >>> combine(out, np.array([[2.0]]), np.array([[1 + 1j, 2 - 1j]]))
    >>> out
    array([[ 2.,  2.,  4., -2.]])
    """

    def __init__(self):
        self._buffer = np.empty(0)

    def __call__(self, out, weights, vectors):
        real = vectors.view(float)
        size = weights.shape[0] * real.shape[1]
        if self._buffer.size < size:
            self._buffer = np.empty(size)
        product = self._buffer[:size].reshape(weights.shape[0], real.shape[1])
        np.matmul(weights, real, out=product)
        np.add(out, product, out=out)
