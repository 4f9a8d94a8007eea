r"""The initial ket of ``Ne`` electrons and the local spins: a Slater determinant times their state.

The electrons start in the Slater determinant of ``Ne`` spin-orbitals
``phi_k(x) chi_k`` (:mod:`qutip_stt.states.orbitals`),

.. math::

    |\Psi_e\rangle = \prod_{k=1}^{N_e} \Big(\sum_{x,s} \phi_k(x) \chi_k(s)\,
        c^\dagger_{xs}\Big) |0\rangle, \qquad
    \langle u; d|\Psi_e\rangle = \det M_{u,d},

``M_{u,d}`` the ``Ne x Ne`` matrix of the spin-orbitals on the occupied
modes of the determinant (up sites ``u`` first, then down sites ``d``; the
basis of :mod:`qutip_stt.model.fock`), times the local spins' ket: every
block of every sector gets ``det M (x) chi_local``. Two starts
(:func:`many_electron_state`):

* ``"lead"``: the ground state of free electrons confined to the sites
  ``[start, stop)``, the lowest orbitals of that open segment
  (:func:`~qutip_stt.states.orbitals.lead_orbitals`), all along one
  direction, or both spins (``"none"``: the lowest ``Ne/2`` orbitals doubly
  filled), released at ``t = 0``;
* ``"packets"``: one Eq. (4) packet per electron, each with its spin.

Linearly dependent spin-orbitals (two identical packets of the same spin)
make the determinant vanish and are refused, naming the Pauli principle.
"""

import numpy as np

from .._util.validation import check_int
from ..errors import ConfigError, ConfigTypeError
from .local import local_spins_state
from .orbitals import (check_independent, lead_orbitals, packet_amplitudes,
                       spin_orbitals)
from .spin import spin_state

__all__ = ["ManyElectronState", "slater_state", "many_electron_state",
           "start_orbitals",
           "check_many_electron_state", "start_sectors"]

#: Determinants evaluated at once (batched LAPACK calls).
_DET_BATCH = 1 << 18

#: Amplitudes of the start below this are set to zero (as the reducer's
#: :data:`~qutip_stt.measures.spin_reduction.FLUSH_BELOW`).
_TINY = 1e-150


class ManyElectronState:
    """A ket of the many-electron model, held as its total-S^z sector pieces.

    Attributes
    ----------
    model : ManyElectronModel
    pieces : dict
        ``{m: amplitudes}``, complex vectors over the bases of
        :meth:`~qutip_stt.model.many_electron.ManyElectronModel.sector`;
        sectors where the ket vanishes are left out.
    orbitals : numpy.ndarray or None
        ``(Lx, Ne)`` spatial orbitals of the Slater determinant it was built
        from (for the free-propagation checks), None otherwise.
    spinors : numpy.ndarray or None
        ``(Ne, 2)`` their spinors.
    local : qutip.Qobj or None
        The local spins' ket of the product it was built from.
    built : bool
        False while the pieces of a determinant given by its orbitals alone
        (``pieces=None``) have not been asked for: they are built from
        ``orbitals``, ``spinors`` and ``local`` on first use
        (:func:`slater_state`), so a route that needs only the orbitals (the
        MPS method) never builds the sectors.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=40, N=2, Ne=3)
    >>> psi = many_electron_state(model, "lead", lead={"start": 0, "stop": 10})
    >>> psi.sizes, round(psi.norm(), 12)       # three down electrons, two up spins
    ({-0.5: 103480}, 1.0)
    """

    def __init__(self, model, pieces, orbitals=None, spinors=None,
                 local=None):
        self.model = model
        self._pieces = None if pieces is None else {
            float(m): np.asarray(v, dtype=complex) for m, v in pieces.items()}
        self.orbitals = orbitals
        self.spinors = spinors
        self.local = local
        if pieces is None and (orbitals is None or spinors is None
                               or local is None):
            raise ConfigError("state", "a ket without pieces needs its "
                              "orbitals, spinors and local ket")

    @property
    def pieces(self):
        """``{m: amplitudes}`` (built on first use for a ket given by its orbitals)."""
        if self._pieces is None:
            self._pieces = slater_state(self.model, self.orbitals,
                                        self.spinors, self.local)._pieces
        return self._pieces

    @property
    def built(self):
        """Whether the sector pieces exist (see the class)."""
        return self._pieces is not None

    @property
    def sizes(self):
        """``{m: states}`` of the populated sectors."""
        return {m: v.size for m, v in self.pieces.items()}

    def norm(self):
        """``sqrt(<psi|psi>)``."""
        return float(np.sqrt(sum(np.vdot(v, v).real
                                 for v in self.pieces.values())))

    def to_qobj(self):
        """The ket as a ``Qobj`` on the Fock space (x) local spins (small systems only,
        :func:`qutip_stt.model.fermion_qobj.fock_ket`)."""
        from ..model.fermion_qobj import fock_ket
        return fock_ket(self.model, self.pieces)

    def __repr__(self):
        if not self.built:
            return (f"ManyElectronState(Ne={self.model.Ne}, a determinant "
                    "of orbitals, pieces not built)")
        return (f"ManyElectronState(Ne={self.model.Ne}, sectors="
                f"{self.sizes})")


def _determinants(up, down, ups, downs):
    """``det`` of every ``(u, d)`` matrix: rows ``up[u]`` then ``down[d]``."""
    n_u, n_d = ups.shape[0], downs.shape[0]
    out = np.empty((n_u, n_d), dtype=complex)
    A_d = down[downs]                                   # (n_d, n_down, Ne)
    rows = max(1, _DET_BATCH // max(n_d, 1))
    for u0 in range(0, n_u, rows):
        A_u = up[ups[u0:u0 + rows]]                     # (r, n_up, Ne)
        M = np.concatenate(
            [np.broadcast_to(A_u[:, None], (A_u.shape[0], n_d) + A_u.shape[1:]),
             np.broadcast_to(A_d[None], (A_u.shape[0],) + A_d.shape)], axis=2)
        out[u0:u0 + rows] = np.linalg.det(M) if M.shape[-1] else 1.0
    return out


def _inside(sets, support):
    """Rows of ``sets`` whose sites all lie in ``support``."""
    mask = np.zeros(int(sets.max(initial=-1)) + 2, dtype=bool)
    mask[support[support < mask.size]] = True
    return np.flatnonzero(np.all(mask[sets], axis=1)) if sets.shape[1] else \
        np.arange(sets.shape[0])


def slater_state(model, orbitals, spinors, local="+z"):
    """The Slater determinant of the given spin-orbitals times a local-spin ket.

    Parameters
    ----------
    model : ManyElectronModel
    orbitals : array_like
        ``(Lx, Ne)`` spatial orbitals (any normalisation; the result is
        normalised).
    spinors : array_like
        ``(Ne, 2)`` (up, down) components of each electron's spin.
    local : str, dict, list or qutip.Qobj, default: "+z"
        The local spins' ket: a direction, one direction per spin, or a ket
        (:func:`~qutip_stt.states.local.local_spins_state`; named states such
        as the Néel state from :func:`~qutip_stt.states.local.local_state`
        on ``model.spins``).

    Returns
    -------
    ManyElectronState

    Raises
    ------
    ConfigError
        Linearly dependent spin-orbitals (Pauli principle), or a wrong
        number of orbitals.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=6, N=1, Ne=2)
    >>> phi = np.eye(6)[:, :2]                     # sites 0 and 1
    >>> psi = slater_state(model, phi, [[1, 0], [0, 1]])
    >>> sorted(psi.sizes)                          # up + down electron, spin up
    [0.5]
    """
    from ..model.fock import combinations

    orbitals = np.array(orbitals, dtype=complex)
    spinors = np.asarray(spinors, dtype=complex)
    if orbitals.shape != (model.Lx, model.Ne) or spinors.shape != (model.Ne,
                                                                   2):
        raise ConfigError("orbitals", f"expected ({model.Lx}, {model.Ne}) "
                          f"orbitals and ({model.Ne}, 2) spinors, got "
                          f"{orbitals.shape} and {spinors.shape}")
    orbitals[np.abs(orbitals) < _TINY] = 0.0        # Gaussian tails
    vectors = spin_orbitals(orbitals, spinors)
    check_independent(vectors)
    up, down = vectors[:model.Lx], vectors[model.Lx:]
    ket = local_spins_state(model.spins, local)
    chi = ket.full().ravel()
    weights = np.abs(chi) ** 2
    Lx = model.Lx
    support = [np.flatnonzero(np.any(v != 0, axis=1)) for v in (up, down)]
    electron = {}
    for n_up in range(max(0, model.Ne - Lx), min(model.Ne, Lx) + 1):
        n_down = model.Ne - n_up
        ups, downs = combinations(Lx, n_up), combinations(Lx, n_down)
        iu, idn = _inside(ups, support[0]), _inside(downs, support[1])
        if not iu.size or not idn.size:
            continue
        dets = _determinants(up, down, ups[iu], downs[idn])
        if np.any(dets != 0):
            electron[n_up] = (iu, idn, dets)
    pieces = {}
    local_m = model.spin_configurations.sum(axis=1)
    for m in model.sector_values():
        for n_up, (iu, idn, dets) in electron.items():
            m_loc = m - 0.5 * (2 * n_up - model.Ne)
            if not np.any(weights[np.isclose(local_m, m_loc)] > 0):
                continue
            sector = model.sector(m)
            block = sector.block(n_up)
            vec = pieces.setdefault(float(m), np.zeros(sector.size, complex))
            view = vec[block.offset:block.offset + block.size].reshape(
                block.shape)
            view[np.ix_(iu, idn, np.arange(block.local.size))] = \
                dets[:, :, None] * chi[block.local][None, None, :]
    for vec in pieces.values():
        # products of Gaussian tails are subnormal floats, which every later
        # product would handle on the processor's slow path
        for part in (vec.real, vec.imag):
            part[np.abs(part) < _TINY] = 0.0
    norm = np.sqrt(sum(np.vdot(v, v).real for v in pieces.values()))
    if not pieces or norm < 1e-300:
        raise ConfigError("electrons", "the Slater determinant vanishes "
                          "(Pauli principle)")
    return ManyElectronState(model, {m: v / norm for m, v in pieces.items()},
                             orbitals, spinors, ket)


def _local_ket(model, local):
    """The local spins' ket as an array (QuTiP order): a direction, a list
    of directions or a ket (:func:`~qutip_stt.states.local.local_spins_state`)."""
    return local_spins_state(model.spins, local).full().ravel()


def _spinor(direction, key):
    return spin_state(0.5, direction, key).full().ravel()


def start_orbitals(model, state="lead", lead=None, spin="-z", packets=()):
    """The spin-orbitals of a start of :func:`many_electron_state`, nothing else built.

    Parameters
    ----------
    model : ManyElectronModel
    state, lead, spin, packets
        As :func:`many_electron_state`.

    Returns
    -------
    orbitals : numpy.ndarray
        ``(Lx, Ne)`` spatial orbitals.
    spinors : numpy.ndarray
        ``(Ne, 2)`` their (up, down) spinors.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> phi, chi = start_orbitals(ManyElectronModel(Lx=30, N=1, Ne=2),
    ...                           lead={"start": 0, "stop": 4})
    >>> phi.shape, chi.real.tolist()
    ((30, 2), [[0.0, 1.0], [0.0, 1.0]])
    """
    Lx, Ne = model.Lx, model.Ne
    if state == "lead":
        lead = {"start": 0, "stop": model.first_site} if lead is None \
            else lead
        start = check_int("electrons.lead.start", lead["start"], minimum=0,
                          maximum=Lx - 1)
        stop = check_int("electrons.lead.stop", lead["stop"],
                         minimum=start + 1, maximum=Lx)
        if isinstance(spin, str) and spin == "none":
            if Ne % 2:
                raise ConfigError("electrons.count", f"spin = \"none\" fills "
                                  f"each orbital with both spins and needs an "
                                  f"even count, got {Ne}")
            phi = lead_orbitals(Lx, start, stop, Ne // 2, model.gamma)
            orbitals = np.repeat(phi, 2, axis=1)
            spinors = np.tile(np.eye(2), (Ne // 2, 1))
        else:
            orbitals = lead_orbitals(Lx, start, stop, Ne, model.gamma)
            spinors = np.tile(_spinor(spin, "electrons.spin"), (Ne, 1))
    elif state == "packets":
        if len(packets) != Ne:
            raise ConfigError("electrons.packets", f"one packet per electron:"
                              f" count = {Ne}, got {len(packets)} packets")
        orbitals = np.empty((Lx, Ne), dtype=complex)
        spinors = np.empty((Ne, 2), dtype=complex)
        for i, p in enumerate(packets):
            if not isinstance(p, dict):
                raise ConfigTypeError(f"electrons.packets[{i}]", "expected "
                                      "a table {k, dk, x0, spin}")
            orbitals[:, i] = packet_amplitudes(Lx, p.get("k", 0.1),
                                               p.get("dk", 0.2), p["x0"])
            spinors[i] = _spinor(p.get("spin", "-z"),
                                 f"electrons.packets[{i}].spin")
    else:
        raise ConfigError("electrons.state", f"expected \"lead\" or "
                          f"\"packets\", got {state!r}")
    return orbitals, spinors


def many_electron_state(model, state="lead", lead=None, spin="-z",
                        packets=(), local="+z", lazy=False):
    """The initial ket of the ``[electrons]`` keys: a released lead or packets, times the local spins.

    Parameters
    ----------
    model : ManyElectronModel
    state : {"lead", "packets"}, default: "lead"
    lead : dict, optional
        ``{"start": int, "stop": int}``: the free electrons' segment
        ``[start, stop)``; default ``[0, first_site)``, the chain left of
        the spins.
    spin : str or dict, default: "-z"
        The lead's common direction (any form of ``electron.spin``), or
        ``"none"``: both spins, the lowest ``Ne/2`` orbitals doubly filled
        (``Ne`` even).
    packets : list of dict
        ``state = "packets"``: one ``{k, dk, x0, spin}`` per electron
        (Eq. 4; ``k`` default 0.1, ``dk`` 0.2, ``spin`` "-z").
    local : str, dict, list or qutip.Qobj, default: "+z"
        The local spins' ket (a direction, a list of directions, or a ket
        such as :func:`qutip_stt.states.local_state` gives).
    lazy : bool, default: False
        Keep the orbitals and the local ket only and build the sector
        pieces on first use (:attr:`ManyElectronState.built`).

    Returns
    -------
    ManyElectronState

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=30, N=1, Ne=2)
    >>> psi = many_electron_state(model, "packets", packets=[
    ...     {"k": 1.0, "dk": 0.5, "x0": 5, "spin": "-z"},
    ...     {"k": 1.0, "dk": 0.5, "x0": 9, "spin": "+x"}])
    >>> sorted(psi.sizes)
    [-0.5, 0.5]
    """
    orbitals, spinors = start_orbitals(model, state, lead, spin, packets)
    if lazy:
        check_independent(spin_orbitals(np.asarray(orbitals, complex),
                                        spinors))
        return ManyElectronState(model, None, orbitals, spinors,
                                 local_spins_state(model.spins, local))
    return slater_state(model, orbitals, spinors, local)


def check_many_electron_state(state, model):
    """``state`` checked as a ket of ``model``, normalised (what :func:`qutip_stt.evolve` calls).

    Raises
    ------
    ConfigTypeError
        Not a :class:`ManyElectronState`.
    ConfigError
        Another model's ket (sites, spins or electron number), pieces of the
        wrong size, or zero norm.
    """
    if not isinstance(state, ManyElectronState):
        raise ConfigTypeError("state", "expected a ManyElectronState (from "
                              "many_electron_state or slater_state), got "
                              f"{type(state).__name__}")
    other = state.model
    for name in ("Lx", "N", "S", "Ne"):
        if getattr(other, name) != getattr(model, name):
            raise ConfigError("state", f"a ket of {name} = "
                              f"{getattr(other, name)}, the model has "
                              f"{getattr(model, name)}")
    if not state.built:
        return state                     # a determinant: normalised when built
    for m, vec in state.pieces.items():
        if vec.shape != (model.sector_size(m),):
            raise ConfigError("state", f"sector {m:g} has {vec.size} "
                              f"amplitudes, the model {model.sector_size(m)}")
    norm = state.norm()
    if not np.isfinite(norm) or norm == 0:
        raise ConfigError("state", "the state has zero or non-finite norm")
    return ManyElectronState(model, {m: v / norm for m, v in
                                     state.pieces.items()},
                             state.orbitals, state.spinors, state.local)


def start_sectors(model, state="lead", spin="-z", packets=(), local="+z"):
    """The sectors a start of :func:`many_electron_state` can populate, from its spins alone.

    Nothing is built but the local spins' ket: an electron along ``+z`` is
    up, along ``-z`` down, any other direction both, so ``n_up`` runs over
    the compositions those allow, and every total ``m = (2 n_up - Ne)/2 +
    m_loc`` with ``m_loc`` a magnetization the local ket holds is listed
    (a superset of the populated ones: what the memory check sizes).

    Returns
    -------
    list of float
        Total ``S^z`` (hbar), highest first.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=40, N=2, Ne=3)
    >>> start_sectors(model), start_sectors(model, spin="+x")
    ([-0.5], [2.5, 1.5, 0.5, -0.5])
    """
    Ne = model.Ne
    if state == "packets":
        chis = [_spinor(p.get("spin", "-z"), f"electrons.packets[{i}].spin")
                for i, p in enumerate(packets)]
    elif isinstance(spin, str) and spin == "none":
        chis = [np.array([1.0, 0.0]), np.array([0.0, 1.0])] * (Ne // 2)
    else:
        chis = [_spinor(spin, "electrons.spin")] * Ne
    up = sum(abs(c[1]) < 1e-15 for c in chis)
    both = sum(abs(c[0]) >= 1e-15 and abs(c[1]) >= 1e-15 for c in chis)
    weights = np.abs(_local_ket(model, local)) ** 2
    local_m = np.unique(model.spin_configurations.sum(axis=1)[weights > 0])
    allowed = {round(float(m), 6) for m in model.sector_values()}
    found = {float(round(0.5 * (2 * n_up - Ne) + m, 6))
             for n_up in range(up, up + both + 1) for m in local_m}
    return sorted(found & allowed, reverse=True)
