"""Memory a run needs, estimated from its method before anything is built.

The estimates are upper envelopes calibrated on measured peak resident
memory (the calibration is on the performance page of the docs). The
method's declaration gives its own parts (``memory`` of
:class:`~qutip_stt.solvers.registry.Method`: the Hamiltonian it builds and
its solver's working memory); the parts every run shares are here: the
analysis (dense reduced density matrices and the stored observables), the
kets when stored, and the chain-end reflection check.
"""

from .._util.resources import (VECTOR_BYTES, hilbert_dimension,
                               reflection_memory)
from .registry import resolve_method

__all__ = ["run_memory"]


def run_memory(Lx, N, S, method, n_times=101, store_states=False,
               t_max=500.0):
    """Estimated peak memory of one run, by part, in bytes.

    Parameters
    ----------
    Lx, N : int
        Chain length and number of local spins.
    S : float
        Local spin.
    method : str
        ``"auto"`` or a registered method.
    n_times : int, default: 101
        Output times (observables are kept for every one).
    store_states : bool, default: False
        Whether every ket is kept.
    t_max : float, default: 500
        Last output time, fs (sets the reflection check's steps).

    Returns
    -------
    dict
        ``{"hamiltonian", "solver", "analysis", "states", "reflection",
        "total"}``, bytes (``reflection``: the chain-end check,
        :func:`qutip_stt._util.resources.reflection_memory`).

    Examples
    --------
    >>> mem = run_memory(400, 5, 0.5, "auto")
    >>> mem["total"] < 2**30
    True
    """
    found = resolve_method(method)
    dim, spin_dim, d = hilbert_dimension(Lx, N, S)
    parts = {"hamiltonian": 0, "solver": 0}
    if found.memory is not None:
        parts.update(found.memory(Lx, N, S))
    small = min(2 * Lx, d ** N)
    parts["analysis"] = (3 * Lx * spin_dim + 4 * small ** 2 + Lx ** 2
                         + n_times * (Lx + spin_dim + 3 * N + 8)
                         ) * VECTOR_BYTES
    parts["states"] = n_times * dim * VECTOR_BYTES if store_states else 0
    parts["reflection"] = reflection_memory(Lx, N, t_max)
    parts["total"] = sum(parts.values())
    return parts
