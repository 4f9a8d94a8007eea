"""One BLAS thread around a piece of work, at the cost of a context manager.

``threadpoolctl.threadpool_limits`` finds the process's BLAS libraries anew
at every call (it walks every loaded shared library, a fixed cost paid
each time the limit is set, twice in the paper's run). One
:class:`threadpoolctl.ThreadpoolController`, made at the first call (after
NumPy and SciPy have loaded their BLAS), serves every later one.
"""

import threading

import numpy  # noqa: F401  (their BLAS libraries are loaded before the
import scipy.linalg  # noqa: F401  controller looks for them)
from threadpoolctl import ThreadpoolController

__all__ = ["one_blas_thread"]

_controller = None
_lock = threading.Lock()


def one_blas_thread():
    """A context manager limiting every BLAS library to one thread.

    The limit is process-wide, as with ``threadpoolctl``; the previous
    numbers of threads come back on exit.

    Examples
    --------
    >>> import numpy as np
    >>> with one_blas_thread():
    ...     value = float(np.ones((4, 4)) @ np.ones(4) @ np.ones(4))
    >>> value
    16.0
    """
    global _controller
    with _lock:
        if _controller is None:
            _controller = ThreadpoolController()
    return _controller.limit(limits=1)
