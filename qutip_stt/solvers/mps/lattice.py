r"""The many-electron model as a TeNPy MPO: sites, their order and the Hamiltonian's terms.

The MPS has one site per chain site: TeNPy's
:class:`~tenpy.networks.site.SpinHalfFermionSite` (empty, up, down, full),
and on a site that carries a local spin the
:class:`~tenpy.networks.site.GroupedSite` of that fermion site and a
:class:`~tenpy.networks.site.SpinSite` (operators ``Cdu0``, ``Sz1``, ...).
Grouping keeps every term of H within nearest neighbours (the hop past a
local spin, the s-d exchange on one site, an XXZ bond between neighbouring
sites), so that two-site TDVP can grow every bond it needs: a local spin
placed as a site of its own between two chain sites makes that hop range 2,
and TDVP started from a product state there never lets an electron past
it (the spins beyond stay frozen). The charges are the electron number
``N`` and, when the run conserves it, ``2 S^z`` summed over both kinds of
site (``set_common_charges(..., "same")``: one total-S^z charge, so that
``s^+ S^-`` conserves it).

The terms come from the same :class:`~qutip_stt.model.many_electron.ManyElectronModel`
as the exact route (one source of signs): the hopping ``-gamma`` on every
bond and spin, the potential ``V_i n_i``, ``U n_up n_down``, and every
:class:`~qutip_stt.model.terms.Coupling` and
:class:`~qutip_stt.model.terms.Field` of ``model.couplings`` /
``model.fields``. Our spins are Pauli-unit operators (``sigma`` for an
electron, ``Sigma = 2 S`` for a local spin), TeNPy's ``Sz, Sp, Sm`` are in
units of hbar, so a coupling ``-[Jxy (Sigma^x Sigma^x + Sigma^y Sigma^y) +
Jz Sigma^z Sigma^z]`` is ``-2 Jxy (S^+ S^- + S^- S^+) - 4 Jz S^z S^z``
in TeNPy's operators, and a field ``-h . Sigma`` is ``-2 h . S``.
:meth:`~tenpy.models.model.CouplingModel.add_local_term` inserts the
Jordan-Wigner strings.
"""

import numpy as np

__all__ = ["Layout", "tenpy_sites", "tenpy_model"]


class Layout:
    """Which MPS site holds each chain site and local spin, and the operator names there.

    Parameters
    ----------
    model : ManyElectronModel

    Attributes
    ----------
    L : int
        ``Lx``: one MPS site per chain site.
    grouped : numpy.ndarray
        ``(Lx,)`` bool: the site carries a local spin (a grouped site).
    spins : numpy.ndarray
        ``(N,)`` MPS site of local spin ``n``.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> layout = Layout(ManyElectronModel(Lx=6, N=2, first_site=2))
    >>> layout.spins.tolist(), layout.electron("Cdu", 2), layout.spin("Sz", 1)
    ([2, 3], ('Cdu0', 2), ('Sz1', 3))
    """

    def __init__(self, model):
        self.L = model.Lx
        self.spins = np.asarray(model.sites, dtype=int)
        self.grouped = np.zeros(model.Lx, dtype=bool)
        self.grouped[self.spins] = True

    def electron(self, op, i):
        """``(name, site)`` of the fermion operator ``op`` on chain site ``i``."""
        return (op + "0" if self.grouped[i] else op), int(i)

    def spin(self, op, n):
        """``(name, site)`` of the spin operator ``op`` on local spin ``n`` (0-based)."""
        return op + "1", int(self.spins[n])

    def factor(self, op, k, site):
        """``(name, site)`` of ``op`` on spin factor ``k`` (0: the electron on
        chain ``site``; ``n``: local spin ``n``)."""
        return self.electron(op, site) if k == 0 else self.spin(op, k - 1)


def tenpy_sites(model, conserve_sz=True):
    """The TeNPy sites of the MPS, in order, with common charges.

    Parameters
    ----------
    model : ManyElectronModel
    conserve_sz : bool, default: True
        Conserve total ``2 S^z`` beside the electron number (False: the
        electron number only, for a start or a field that mixes S^z).

    Returns
    -------
    list of tenpy.networks.site.Site

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> sites = tenpy_sites(ManyElectronModel(Lx=4, N=1))
    >>> [type(s).__name__ for s in sites], sites[0].leg.chinfo.names
    (['SpinHalfFermionSite', 'SpinHalfFermionSite', 'GroupedSite', 'SpinHalfFermionSite'], ['N', '2*Sz'])
    """
    from tenpy.networks.site import (GroupedSite, SpinHalfFermionSite,
                                     SpinSite, set_common_charges)

    sz = "Sz" if conserve_sz else None
    electron = SpinHalfFermionSite(cons_N="N", cons_Sz=sz)
    spin = SpinSite(S=model.S, conserve=sz)
    if conserve_sz:
        set_common_charges([electron, spin], new_charges="same")
    else:
        # the spin site carries no charge: give it the electron's (N) one
        set_common_charges([electron, spin], new_charges=[[(1, 0, "N")]],
                           new_names=["N"])
    pair = GroupedSite([electron, spin])
    layout = Layout(model)
    return [pair if g else electron for g in layout.grouped]


def tenpy_model(model, conserve_sz=True):
    """The Hamiltonian of ``model`` as a TeNPy model with its MPO (eV).

    Parameters
    ----------
    model : ManyElectronModel
    conserve_sz : bool, default: True
        As :func:`tenpy_sites`; a transverse field needs False.

    Returns
    -------
    tenpy.models.model.MPOModel
        Also a :class:`~tenpy.models.model.CouplingModel` (its terms);
        ``.H_MPO`` is the MPO, ``.layout`` the :class:`Layout`.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> m = tenpy_model(ManyElectronModel(Lx=4, N=1, Ne=2))
    >>> m.H_MPO.L, bool(m.H_MPO.is_hermitian())
    (4, True)
    """
    from tenpy.models.lattice import TrivialLattice
    from tenpy.models.model import CouplingModel, MPOModel

    if conserve_sz and not model.conserves_sz:
        from ...errors import ConfigError
        raise ConfigError("local_spins.field", "a transverse field breaks "
                          "total-S^z conservation: build the MPO with "
                          "conserve_sz=False")
    layout = Layout(model)
    lat = TrivialLattice(tenpy_sites(model, conserve_sz), bc="open",
                         bc_MPS="finite")

    class _Model(CouplingModel, MPOModel):
        def __init__(self):
            CouplingModel.__init__(self, lat, explicit_plus_hc=False)
            _add_terms(self, model, layout, conserve_sz)
            MPOModel.__init__(self, lat, self.calc_H_MPO())

    out = _Model()
    out.layout = layout
    return out


def _term(*ops):
    """A term of ``(name, site)`` pairs as TeNPy's lattice indices."""
    return [(name, [0, site]) for name, site in ops]


def _add_terms(tm, model, layout, conserve_sz):
    """Every term of ``model`` added to the TeNPy model ``tm``."""
    e = layout.electron
    for i in range(model.Lx - 1):
        for c, cd in (("Cu", "Cdu"), ("Cd", "Cdd")):
            tm.add_local_term(-model.gamma, _term(e(cd, i), e(c, i + 1)),
                              plus_hc=True)
    if model.potential is not None:
        for i, v in enumerate(model.potential):
            if v:
                tm.add_local_term(float(v), _term(e("Ntot", i)))
    if model.hubbard_U:
        for i in range(model.Lx):
            tm.add_local_term(model.hubbard_U, _term(e("NuNd", i)))
    f = layout.factor
    for c in model.couplings:
        for p, q in (("Sp", "Sm"), ("Sm", "Sp")):
            tm.add_local_term(-2 * c.Jxy, _term(f(p, c.a, c.site),
                                                f(q, c.b, c.site)))
        tm.add_local_term(-4 * c.Jz, _term(f("Sz", c.a, c.site),
                                           f("Sz", c.b, c.site)))
    for fd in model.fields:
        where = range(model.Lx) if fd.k == 0 else [None]
        for i in where:
            for name, h in (("Sx", fd.hx), ("Sy", fd.hy), ("Sz", fd.hz)):
                if h:
                    tm.add_local_term(-2 * h, _term(f(name, fd.k, i)))
