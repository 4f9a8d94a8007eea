r"""The many-electron sector route: each (``Ne``, total ``S^z``) piece propagated exactly.

:class:`FermionSectors` is the sector system of
:class:`~qutip_stt.model.many_electron.ManyElectronModel` for the loop of
:func:`~qutip_stt.solvers.sector_route.evolve_sectors` (chunks of output
times, two threads for large runs, every output time hit exactly): the
ket's pieces (:class:`~qutip_stt.states.fermions.ManyElectronState`), each
group's exact propagator, the reduction of a chunk
(:func:`qutip_stt.measures.fermion_observables.reduce_fermions`), the
local spins' amplitudes for the pair measures, the ket of a time. A group's
propagator is :func:`~qutip_stt.solvers.chebyshev.propagator_for` on the
real sparse block (the sectors of a group as their direct sum): the
eigenbasis for small blocks, else a Chebyshev series run by the compiled
recursion (:class:`~qutip_stt.solvers.kernels.Recursion`), over the bounds
of :func:`~qutip_stt.model.fermion_blocks.fermion_sector_bounds`.
"""

import numpy as np

from ..measures.amplitudes import amplitudes_from_density_matrix
from ..measures.fermion_observables import (local_density_matrix,
                                            reduce_fermions)
from ..states.fermions import ManyElectronState
from .chebyshev import propagator_for

#: The most output intervals one Chebyshev series spans on a block of fewer
#: than :data:`SMALL_BLOCK` states: such a block holds few entries a row and
#: is cheap per product, so a longer series' Bessel table (whose cost does
#: not shrink with the block) and its combinations cost more than the
#: products the longer series saves. Larger blocks take the cost model's
#: choice (:meth:`~qutip_stt.solvers.chebyshev.ChebyshevPropagator.group_size`).
MAX_GROUP = 4

#: See :data:`MAX_GROUP`.
SMALL_BLOCK = 2 ** 18

__all__ = ["FermionSectors", "fermion_propagator", "evolve_fermions",
           "fermion_reflection_times"]


def fermion_propagator(model, group, tol, concurrent=False, bounds_of=None):
    """The exact propagator of a group of many-electron sectors.

    Parameters
    ----------
    model : ManyElectronModel
    group : tuple of float
        The sectors' total S^z (hbar); the propagator acts on their pieces
        one after the other.
    tol : float
        Chebyshev series tolerance.
    concurrent : bool, default: False
        Other threads propagate beside it.
    bounds_of : tuple of float, optional
        The sectors whose bounds' union the series runs over (default the
        group's).

    Returns
    -------
    EigenPropagator or ChebyshevPropagator

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=20, N=1, Ne=2)
    >>> type(fermion_propagator(model, (0.5,), 1e-12)).__name__
    'ChebyshevPropagator'
    """
    block = model.sector_hamiltonian(list(group))      # their direct sum
    bounds = [model.sector_bounds(m) for m in (bounds_of or group)]
    lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
    return propagator_for(block, tol, (lo, hi), None, concurrent,
                          max_group=(MAX_GROUP if block.shape[0] < SMALL_BLOCK
                                     else None))


class FermionSectors:
    """The sector system of a many-electron run (see the module).

    Parameters
    ----------
    model : ManyElectronModel
    state : ManyElectronState

    Attributes
    ----------
    pieces : dict
        ``{m: amplitudes}`` of the initial ket.
    bytes_per_time : int
        Memory of one output time's amplitudes.
    """

    def __init__(self, model, state):
        self.model = model
        self.pieces = dict(state.pieces)
        self.bytes_per_time = 16 * sum(v.size for v in self.pieces.values())

    def groups(self, sizes, workers):
        """The sectors propagated together: one direct sum per thread, of
        nearly equal sizes (each series' Bessel tables and combinations are
        paid once per group; the products are the same either way)."""
        if workers <= 1:
            return [tuple(sizes)]
        bins = [[] for _ in range(workers)]
        load = [0] * workers
        for m in sorted(sizes, key=lambda m: -sizes[m]):
            k = load.index(min(load))
            bins[k].append(m)
            load[k] += sizes[m]
        return [tuple(b) for b in bins if b]

    def propagator(self, group, tol, concurrent):
        """:func:`fermion_propagator` of the group, over the bounds of every
        populated sector (the groups' series then share their lengths)."""
        return fermion_propagator(self.model, group, tol, concurrent,
                                  bounds_of=tuple(self.pieces))

    def reduce(self, stacks, energy):
        """:func:`~qutip_stt.measures.fermion_observables.reduce_fermions`."""
        return reduce_fermions(stacks, self.model, energy)

    def amplitudes(self, stacks):
        """Per time, an ``(r, (2S+1)^N)`` amplitude matrix of the local spins
        alone with their density matrix (the pair measures' input)."""
        rho, columns = local_density_matrix(stacks, self.model)
        nl = self.model.spin_dim ** self.model.N
        out = []
        for r in rho:
            full = np.zeros((nl, nl), dtype=complex)
            full[np.ix_(columns, columns)] = r
            out.append(amplitudes_from_density_matrix(full))
        return out

    def state(self, pieces):
        """The :class:`~qutip_stt.states.fermions.ManyElectronState` of one time's pieces."""
        return ManyElectronState(self.model, {m: np.array(v) for m, v in
                                              pieces.items()})


def evolve_fermions(model, state, times, **options):
    """:func:`~qutip_stt.solvers.sector_route.evolve_sectors` with :class:`FermionSectors`.

    Parameters
    ----------
    model : ManyElectronModel
    state : ManyElectronState
    times : array_like
        Increasing output times, fs.
    **options
        ``tol``, ``store_states``, ``progress_bar``, ``progress_stage``,
        ``on_time``, ``pair_recorder`` of
        :func:`~qutip_stt.solvers.sector_route.evolve_sectors`.

    Returns
    -------
    times, arrays, states, stats
        As :func:`~qutip_stt.solvers.sector_route.evolve_sectors`; ``arrays``
        also holds the ``electrons/...`` datasets.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> from qutip_stt.states.fermions import many_electron_state
    >>> model = ManyElectronModel(Lx=20, N=1, Ne=2)
    >>> psi = many_electron_state(model, lead={"start": 0, "stop": 6})
    >>> t, arrays, _, stats = evolve_fermions(model, psi, [0.0, 2.0])
    >>> arrays["electrons/spin_density"].shape, stats["sectors"]
    ((2, 20, 3), {-0.5: 590})
    """
    from .sector_route import evolve_sectors
    return evolve_sectors(model, state, times,
                          system=FermionSectors(model, state), **options)


def fermion_reflection_times(model, state, t_max):
    """When the electrons reach a chain end and their echo the spins (fs).

    The one-body orbitals of the initial Slater determinant, propagated on
    the free chain (:func:`qutip_stt.model.reflections.reflection_times`),
    weighted so that their density is the mean density per electron: what
    :func:`~qutip_stt.solvers.evolution.evolve` checks (beside the run) for
    a many-electron model. A ket not built from orbitals is not checked.

    Returns
    -------
    (float or None, float or None)
        ``t_edge`` and ``t_echo`` (None when nothing is checked or found).

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> from qutip_stt.states.fermions import many_electron_state
    >>> model = ManyElectronModel(Lx=200, N=1, Ne=2)
    >>> psi = many_electron_state(model, lead={"start": 80, "stop": 90})
    >>> fermion_reflection_times(model, psi, 10.0)       # nothing reaches an end
    (None, None)
    """
    from ..model.reflections import reflection_times

    if getattr(state, "orbitals", None) is None or t_max <= 0:
        return None, None
    phi = np.asarray(state.orbitals)
    phi = phi / np.linalg.norm(phi, axis=0) / np.sqrt(phi.shape[1])
    return reflection_times(model.Lx, gamma=model.gamma, sites=model.sites,
                            t_max=t_max, orbitals=phi)
