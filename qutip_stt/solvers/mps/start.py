r"""The initial MPS: the electrons' Slater determinant times the local spins' product state.

The start of the exact route (:mod:`qutip_stt.states.fermions`) is
``prod_k c^dagger_k |0> (x) |chi_local>`` with ``c^dagger_k = sum_{x,s}
phi_k(x) chi_k(s) c^dagger_{xs}``. Here the same spin-orbitals (the
released lead's lowest orbitals or the Eq. (4) packets,
:func:`~qutip_stt.states.fermions.start_orbitals`) act on the product MPS of
the empty chain and the local spins: each ``c^dagger_k`` is TeNPy's
:meth:`~tenpy.networks.mpo.MPO.from_wavepacket` (bond dimension 2, its
Jordan-Wigner string included), applied without truncation. A determinant
of ``Ne`` orbitals has bond dimension at most ``2^Ne`` (fewer where the
orbitals are confined), so the start is exact: its tests compare every
observable with the exact route's start.

The local spins must start in a product state (a direction, one direction
per spin, the Néel or a random product state); an entangled local start
(``local_spins.state = "ground"``) is refused, naming the key.
"""

import numpy as np

from ...errors import ConfigError

__all__ = ["local_factors", "initial_mps", "conserves_sz_start", "settle"]


def settle(options):
    """Mark every key of a TeNPy :class:`~tenpy.tools.params.Config` (and
    its sub-configs) as read: the options given are deliberate, and a key an
    engine did not need (a run without steps) is no typo to warn about."""
    from tenpy.tools.params import Config

    options.unused.clear()
    for value in options.options.values():
        if isinstance(value, Config):
            settle(value)


def local_factors(chi, N, S):
    """One ket per local spin whose product is ``chi`` (up to a phase).

    Parameters
    ----------
    chi : array_like
        ``((2S+1)^N,)`` the local spins' ket, QuTiP order.
    N : int
    S : float

    Returns
    -------
    list of numpy.ndarray
        ``N`` kets of size ``2S+1`` (QuTiP order, ``m = S .. -S``).

    Raises
    ------
    ConfigError
        ``chi`` is entangled (naming ``local_spins.state``).

    Examples
    --------
    >>> up, down = np.array([1.0, 0]), np.array([0, 1.0])
    >>> [np.abs(f).tolist() for f in local_factors(np.kron(up, down), 2, 0.5)]
    [[1.0, 0.0], [0.0, 1.0]]
    """
    d = int(round(2 * S)) + 1
    chi = np.asarray(chi, dtype=complex).reshape((d,) * N)
    factors = []
    for n in range(N):
        M = np.moveaxis(chi, n, 0).reshape(d, -1)
        u, s, _ = np.linalg.svd(M, full_matrices=False)
        factors.append(u[:, 0])
    product = factors[0]
    for f in factors[1:]:
        product = np.kron(product, f)
    if abs(abs(np.vdot(product, chi.ravel())) - 1) > 1e-10:
        raise ConfigError("local_spins.state", "method \"mps\" starts from "
                          "a product state of the local spins (a direction, "
                          "one per spin, \"neel\" or \"random\"); this one is "
                          "entangled")
    return factors


def conserves_sz_start(spinors, factors):
    """True when every electron spinor and every local ket is an S^z eigenstate.

    Examples
    --------
    >>> conserves_sz_start([[0, 1]], [np.array([1, 0])])
    True
    >>> conserves_sz_start([[1, 1]], [np.array([1, 0])])
    False
    """
    def eigen(v):
        return np.count_nonzero(np.abs(np.asarray(v)) > 1e-14) == 1
    return all(eigen(c) for c in spinors) and all(eigen(f) for f in factors)


def _site_state(site, ket, S):
    """The product-state entry of a grouped site: the empty chain site times
    ``ket`` (QuTiP order ``m = S .. -S``) in the site's basis; an index when
    it is a basis state, else the vector."""
    electron, spin = site.sites
    m = np.real(spin.Sz.to_ndarray().diagonal())
    amplitude = np.asarray(ket)[np.rint(S - m).astype(int)]
    empty = electron.state_labels["empty"]
    vector = np.zeros(site.dim, dtype=complex)
    for j, a in enumerate(amplitude):
        vector[site.leg.map_incoming_flat([empty, j])] = a
    nonzero = np.flatnonzero(np.abs(vector) > 1e-14)
    return int(nonzero[0]) if nonzero.size == 1 else vector


def initial_mps(model, sites, layout, orbitals, spinors, factors):
    """The start as a TeNPy MPS (normalised).

    Parameters
    ----------
    model : ManyElectronModel
    sites : list of tenpy.networks.site.Site
        :func:`~qutip_stt.solvers.mps.lattice.tenpy_sites` (their charges
        decide what a spinor may be: with S^z conserved, up or down).
    layout : Layout
    orbitals : numpy.ndarray
        ``(Lx, Ne)`` spatial orbitals.
    spinors : numpy.ndarray
        ``(Ne, 2)``.
    factors : list of numpy.ndarray
        The local spins' kets (:func:`local_factors`).

    Returns
    -------
    tenpy.networks.mps.MPS

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> from qutip_stt.solvers.mps.lattice import Layout, tenpy_sites
    >>> model = ManyElectronModel(Lx=6, N=1, Ne=2)
    >>> phi = np.eye(6)[:, :2]
    >>> psi = initial_mps(model, tenpy_sites(model), Layout(model), phi,
    ...                   np.array([[0, 1], [0, 1]]), [np.array([1, 0])])
    >>> psi.expectation_value("Ntot", [0, 1, 2]).round(12).tolist()
    [1.0, 1.0, 0.0]
    """
    from tenpy.networks.mpo import MPO
    from tenpy.networks.mps import MPS
    from tenpy.tools.params import Config

    state = ["empty"] * layout.L
    for n, f in enumerate(factors):
        state[layout.spins[n]] = _site_state(sites[layout.spins[n]], f,
                                             model.S)
    psi = MPS.from_product_state(sites, state, bc="finite", dtype=complex,
                                 unit_cell_width=layout.L)
    options = Config({"compression_method": "SVD",
                      "trunc_params": {"chi_max": 2 ** 20, "svd_min": 1e-15,
                                       "trunc_cut": None}}, "start")
    try:
        for k in range(model.Ne - 1, -1, -1):
            op = _creator(sites, layout, spinors[k], k)
            # eps = 0: every site keeps its entry (an orbital's zeros too),
            # so TeNPy can derive the MPO's charges on every bond
            MPO.from_wavepacket(sites, orbitals[:, k], op, eps=0.0,
                                unit_cell_width=layout.L).apply(psi, options)
            psi.canonical_form()
    finally:
        settle(options)
    norm = psi.norm
    if not norm > 1e-300:
        raise ConfigError("electrons", "the Slater determinant vanishes "
                          "(Pauli principle)")
    psi.norm = 1.0
    return psi


def _creator(sites, layout, spinor, k):
    """The name, on every site, of ``chi_up c^dagger_up + chi_down
    c^dagger_down`` (TeNPy's ``Cdu``, ``Cdd`` or their combination for a
    tilted spin; on a grouped site the operator of its fermion part is
    added under that name, as :meth:`~tenpy.networks.mpo.MPO.from_wavepacket`
    takes one name for every site)."""
    up, down = complex(spinor[0]), complex(spinor[1])
    if abs(up) > 1e-14 and abs(down) > 1e-14 and \
            "2*Sz" in sites[0].leg.chinfo.names:
        raise ConfigError("electrons.spin", "a tilted electron spin mixes "
                          "total-S^z sectors: build the sites without S^z "
                          "conservation")
    name = ("Cdu" if abs(down) < 1e-14 else "Cdd" if abs(up) < 1e-14
            else f"Cd_spinor{k}")
    for site in {id(s): s for s in sites}.values():
        if name in site.opnames:
            continue
        suffix = "0" if hasattr(site, "sites") else ""
        if name in ("Cdu", "Cdd"):
            op = site.get_op(name + suffix)
        else:
            op = up * site.get_op("Cdu" + suffix) + down * site.get_op(
                "Cdd" + suffix)
        site.add_op(name, op, need_JW=True, hc=False)
    return name
