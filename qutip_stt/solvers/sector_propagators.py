"""Which exact propagator a total-S^z sector gets: one rule for every caller.

The sector route (:mod:`~qutip_stt.solvers.sector_route`) and the electron
trains (:mod:`qutip_stt.trains.channel`) both propagate sector pieces; both
ask :func:`sector_propagator`, so the choice between an eigenbasis, a
Chebyshev series on the sparse block and one applied from the sector's
tensor structure is made here alone:

* a single sector of at most :data:`~qutip_stt.model.bounds.EIGEN_LIMIT`
  states: its eigenbasis (:class:`~qutip_stt.solvers.eigen.EigenPropagator`);
* with the compiled recursion (:data:`~qutip_stt.solvers.kernels.COMPILED`),
  every other group: a Chebyshev series applied from the tensor structure
  (:meth:`~qutip_stt.solvers.sector_operator.SectorOperator.direct_sum`),
  its sparse block never built;
* without it, sectors of
  :data:`~qutip_stt.solvers.sector_operator.OPERATOR_MIN_STATES` states or
  more from their structure too, smaller ones from their sparse block (a
  group's: the block-diagonal matrix).

The series runs over the union of the sectors' bounds from the terms
(:func:`~qutip_stt.model.bounds.sector_bounds`).
"""

import scipy.sparse

from ..model.bounds import EIGEN_LIMIT, sector_bounds
from ..model.sector_blocks import coupling_blocks, sector_hamiltonian
from . import kernels
from .chebyshev import propagator_for
from .sector_operator import OPERATOR_MIN_STATES, SectorOperator

__all__ = ["sector_groups", "sector_propagator"]


def sector_groups(sizes, workers):
    """The sectors propagated together, as groups.

    In one thread the sectors go into one group, propagated by one series
    over the union of their bounds: their spectra nearly coincide (the
    chain's band plus a little spin energy), so the series is hardly
    longer, and each term is one product instead of one per sector. In two
    threads each sector is a group of its own. Without the compiled
    recursion the sectors applied from their structure stand alone.

    Parameters
    ----------
    sizes : dict
        ``{m: states}`` of the populated sectors.
    workers : int
        Threads that propagate.

    Returns
    -------
    list of tuple
        The sectors (``m``) of each group; a group's ket is its sectors'
        pieces one after the other.

    Examples
    --------
    >>> sector_groups({0.5: 2400, 1.5: 400}, 1)
    [(0.5, 1.5)]
    >>> sector_groups({0.5: 2400, 1.5: 400}, 2)
    [(0.5,), (1.5,)]
    """
    alone = set() if kernels.COMPILED else {
        m for m, n in sizes.items() if n >= OPERATOR_MIN_STATES}
    merged = tuple(m for m in sizes if m not in alone)
    groups = [(m,) for m in sizes if m in alone]
    if workers == 1 and len(merged) > 1:
        return groups + [merged]
    return groups + [(m,) for m in merged]


def sector_propagator(model, group, tol, *, concurrent=False, terms=None):
    """The exact propagator of a group of sectors (see the module's rule).

    Parameters
    ----------
    model : STTModel
    group : tuple of float
        The sectors' total S^z (hbar); the propagator acts on their pieces
        one after the other.
    tol : float
        Chebyshev series tolerance.
    concurrent : bool, default: False
        Other threads propagate beside it.
    terms : dict, optional
        ``{m: coupling_blocks(model, m)}`` when already computed.

    Returns
    -------
    EigenPropagator or ChebyshevPropagator
    """
    terms = {m: (terms or {}).get(m) or coupling_blocks(model, m)
             for m in group}
    bounds = [sector_bounds(model, m, terms[m]) for m in group]
    lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
    sizes = [model.Lx * terms[m][0][1].shape[0] for m in group]
    structured = kernels.COMPILED or all(n >= OPERATOR_MIN_STATES
                                         for n in sizes)
    small = len(group) == 1 and sizes[0] <= EIGEN_LIMIT
    if structured and not small:
        operator = SectorOperator.direct_sum(model,
                                             [terms[m] for m in group])
        return propagator_for(None, tol, (lo, hi), operator, concurrent)
    blocks = [sector_hamiltonian(model, m, terms[m]) for m in group]
    block = (blocks[0] if len(group) == 1 else
             scipy.sparse.block_diag(blocks, format="csr"))
    return propagator_for(block, tol, (lo, hi), None, concurrent)
