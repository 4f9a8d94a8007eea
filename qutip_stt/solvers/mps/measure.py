r"""Every observable of one output time, from the MPS.

One-site expectation values give the electron density ``<n_i>``, the
electron spin density ``<c^dagger_i sigma c_i> = 2 <s_i>`` and each local
spin's Bloch vector ``<Sigma_n> = 2 <S_n>`` (hbar/2 units; with total S^z
conserved the transverse components vanish identically and are not
evaluated). The local spins' block density matrix (TeNPy's
:meth:`~tenpy.networks.mps.MPS.get_rho_segment` over their sites, the chain
traced out), in QuTiP's basis order, goes through the exact route's
kernels: configuration probabilities, purity and entropy from
:func:`~qutip_stt.measures.spin_reduction.mixedness`, and the ``[analysis]``
pair and block measures from its amplitudes
(:func:`~qutip_stt.measures.amplitudes.amplitudes_from_density_matrix`,
the :class:`~qutip_stt.measures.pairs.PairRecorder` of the exact route). A
block above :data:`MAX_BLOCK` configurations is not formed: its purity,
entropy and probabilities are NaN. The energy is the MPO's expectation
value; every bond's von Neumann entropy (nats) and the largest bond
dimension come from the Schmidt values.
"""

import numpy as np

from ...measures.amplitudes import amplitudes_from_density_matrix
from ...measures.spin_reduction import mixedness

__all__ = ["MAX_BLOCK", "block_fits", "local_block", "measure"]

#: Largest number of local-spin configurations ``(2S+1)^N`` whose block
#: density matrix is formed at each output time.
MAX_BLOCK = 1024


def block_fits(model):
    """Whether the local spins' block density matrix is formed (:data:`MAX_BLOCK`).

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> block_fits(ManyElectronModel(Lx=10, N=5)), block_fits(ManyElectronModel(Lx=20, N=11))
    (True, False)
    """
    return model.spin_dim ** model.N <= MAX_BLOCK


def _split(site):
    """``(d_e, d_s)`` index table of a grouped site's basis (fermion part,
    spin part in QuTiP order ``m = S .. -S``)."""
    electron, spin = site.sites
    m = np.real(spin.Sz.to_ndarray().diagonal())
    order = np.argsort(-m)
    return np.array([[site.leg.map_incoming_flat([e, j]) for j in order]
                     for e in range(electron.dim)])


def local_block(psi, sites, layout):
    """The local spins' density matrix in QuTiP's basis order (each spin from ``m = S`` down to ``-S``).

    The chain is traced out site by site from the first local spin's site to
    the last (right-canonical tensors beyond it trace to the identity),
    keeping the spin parts of the grouped sites: ``chi^2 D^2`` numbers at
    most, ``D = (2S+1)^N``.

    Parameters
    ----------
    psi : tenpy.networks.mps.MPS
    sites : list of tenpy.networks.site.Site
    layout : Layout

    Returns
    -------
    numpy.ndarray
        ``(D, D)``, trace 1.
    """
    first, last = int(layout.spins[0]), int(layout.spins[-1])
    R = None
    for i in range(first, last + 1):
        B = (psi.get_theta(i, 1) if i == first else psi.get_B(i))
        B = B.to_ndarray()                      # (vL, p, vR)
        if layout.grouped[i]:
            B = B[:, _split(sites[i]), :]       # (vL, e, s, vR)
        else:
            B = B[:, :, None, :]
        if R is None:                           # (a, b, s, t)
            R = np.einsum("lesa,letb->abst", B, B.conj())
            continue
        X = np.tensordot(R, B, axes=(0, 0))     # (b, s, t, e, u, a')
        R = np.tensordot(X, B.conj(), axes=([0, 3], [0, 1]))
        # (s, t, u, a', v, b') -> (a', b', s u, t v)
        R = R.transpose(3, 5, 0, 2, 1, 4)
        n = R.shape
        R = R.reshape(n[0], n[1], n[2] * n[3], n[4] * n[5])
    return np.einsum("aast->st", R)


def measure(psi, tm, sites, model, conserve_sz, pair_recorder=None):
    """The observables of one state.

    Parameters
    ----------
    psi : tenpy.networks.mps.MPS
    tm : the TeNPy model (:func:`~qutip_stt.solvers.mps.lattice.tenpy_model`)
    sites : list of tenpy.networks.site.Site
    model : ManyElectronModel
    conserve_sz : bool
        Whether the transverse spin components vanish identically.
    pair_recorder : PairRecorder, optional
        Handed the local spins' amplitudes.

    Returns
    -------
    dict
        One time's values under the keys of
        :data:`~qutip_stt.measures.reducer.OBSERVABLES` and the
        ``electrons/...`` and ``mps/...`` datasets.
    """
    layout = tm.layout
    # TeNPy's expectation values read the tensors as canonical; TDVP's
    # sweeps leave them canonical only to the Krylov tolerance (the sum of
    # the densities was off N by 6e-9 at dt = 0.01 fs), so a canonical copy
    # is measured and the engine's own state is left as it is
    psi = psi.copy()
    psi.canonical_form()
    norm2 = psi.norm ** 2

    def one_site(where):
        return np.array([np.real(psi.expectation_value(n, [i])[0])
                         for n, i in where]) * norm2

    electron = [lambda op, i=i: layout.electron(op, i) for i in range(model.Lx)]
    spin = [lambda op, n=n: layout.spin(op, n) for n in range(model.N)]
    density = one_site([f("Ntot") for f in electron])
    spin_density = np.zeros((model.Lx, 3))
    local = np.zeros((model.N, 3))
    components = ((2, "Sz"),) if conserve_sz else ((0, "Sx"), (1, "Sy"),
                                                   (2, "Sz"))
    for c, name in components:
        spin_density[:, c] = 2 * one_site([f(name) for f in electron])
        local[:, c] = 2 * one_site([f(name) for f in spin])
    D = model.spin_dim ** model.N
    probabilities = np.full(D, np.nan)
    purity = entropy = np.nan
    if block_fits(model):
        rho = local_block(psi, sites, layout) * norm2
        probabilities = rho.diagonal().real.copy()
        p, s = mixedness(rho[None] / np.trace(rho).real)
        purity, entropy = float(p[0]), float(s[0])
        if pair_recorder is not None:
            pair_recorder.record(amplitudes_from_density_matrix(rho))
    last = model.first_site + model.N - 1
    bonds = psi.entanglement_entropy()
    return {
        "electron_spin": spin_density.sum(axis=0),
        "local_spin": local,
        "purity_local": purity,
        "purity_electron": purity,
        "purity_orbital": np.nan,
        "entropy_local": entropy,
        "probabilities": probabilities,
        "norm": psi.norm,
        "energy": float(np.real(tm.H_MPO.expectation_value(psi))),
        "total_sz": spin_density[:, 2].sum() + local[:, 2].sum(),
        "density": density,
        "electrons/spin_density": spin_density,
        "electrons/spin": spin_density.sum(axis=0),
        "electrons/count_right": density[last + 1:].sum(),
        "mps/bond_dimension": max(psi.chi),
        "mps/entanglement_entropy": np.asarray(bonds, dtype=float),
    }
