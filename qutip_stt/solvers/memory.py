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

__all__ = ["run_memory", "fermion_memory", "sector_memory"]


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


def fermion_memory(model, sizes, n_times=101, store_states=False):
    """Estimated peak memory of a many-electron run (method ``"exact"``), by part, in bytes.

    Parameters
    ----------
    model : ManyElectronModel
    sizes : dict
        ``{m: states}`` of the populated sectors (each is propagated whole).
    n_times : int, default: 101
    store_states : bool, default: False

    Returns
    -------
    dict
        ``{"hamiltonian", "solver", "analysis", "states", "total",
        "largest"}``: bytes, and ``largest`` the ``(m, states)`` of the
        largest sector. The blocks hold about ``2 Ne + N + 4`` entries a row
        (hops of every electron, the local spins' terms, the diagonal and
        the s-d flips), built as COO triplets and kept as the propagator's
        copies (real CSR, its rescaled complex copy, the recursion's); the
        series keeps its vectors in two buffers of at most
        :data:`~qutip_stt.solvers.chebyshev.GROUP_BYTES`, and a chunk of
        outputs (:data:`~qutip_stt.solvers.sector_route.MIN_CHUNK` at least)
        is held three times while it is reduced.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=400, N=5, Ne=2)
    >>> mem = fermion_memory(model, {1.5: model.sector_size(1.5)})
    >>> mem["largest"], 1 < mem["total"] / 2**30 < 8
    ((1.5, 1677800), True)
    """
    total = sum(sizes.values())
    per_row = 2 * model.Ne + model.N + 4
    largest = max(sizes.items(), key=lambda kv: kv[1])
    chunk = max(8, min(64, (64 * 2 ** 20) // max(16 * total, 1)))
    parts = {"hamiltonian": 72 * per_row * total,
             "solver": 12 * total * VECTOR_BYTES
             + 2 * min(64 * 2 ** 20, 64 * total * VECTOR_BYTES),
             "analysis": 3 * chunk * total * VECTOR_BYTES
             + n_times * (model.Lx * 4 + model.N * 3 + 16) * 8,
             "states": n_times * total * VECTOR_BYTES if store_states else 0}
    parts["total"] = sum(parts.values())
    parts["largest"] = (float(largest[0]), int(largest[1]))
    return parts


def sector_memory(model, sizes, n_times=101, store_states=False):
    """Estimated peak memory of a sector-route run of a :class:`~qutip_stt.states.sector_state.SectorState`, by part, in bytes.

    The run holds only the populated sectors: their blocks (at most
    ``N + 5`` entries a row: two hops, the diagonal, the s-d and XXZ flips;
    three copies, as :func:`fermion_memory` counts them), the Chebyshev
    vectors, a chunk of outputs three times while it is reduced, and the
    spin density matrix over the ``n`` populated configurations (``n x n``
    per output of the chunk, twice).

    Parameters
    ----------
    model : STTModel
    sizes : dict
        ``{m: states}`` of the populated sectors.
    n_times : int, default: 101
    store_states : bool, default: False

    Returns
    -------
    dict
        ``{"hamiltonian", "solver", "analysis", "states", "total"}``, bytes.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> model = STTModel(Lx=4000, N=50, full_space=False)
    >>> sector_memory(model, {24.5: 204_000})["total"] < 2 * 2**30
    True
    """
    total = sum(sizes.values())
    n = total // model.Lx
    chunk = max(8, min(64, (64 * 2 ** 20) // max(16 * total, 1)))
    parts = {"hamiltonian": 72 * (model.N + 5) * total,
             "solver": 12 * total * VECTOR_BYTES
             + 2 * min(64 * 2 ** 20, 64 * total * VECTOR_BYTES),
             "analysis": (3 * chunk * total + 2 * chunk * n * n)
             * VECTOR_BYTES
             + n_times * (model.Lx + n + 3 * model.N + 16) * 8,
             "states": n_times * total * VECTOR_BYTES if store_states else 0}
    parts["total"] = sum(parts.values())
    return parts
