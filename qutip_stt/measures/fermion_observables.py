r"""Every observable of a many-electron run, from its sector amplitudes.

The many-electron route (:mod:`qutip_stt.solvers.fermion_route`) hands
:func:`reduce_fermions` the kets of a chunk of output times as sector
stacks ``{m: (T, n_m)}`` (basis of
:class:`~qutip_stt.model.fermion_sectors.FermionSector`). A block's
amplitudes are a ``(C_up, C_down, n_loc)`` tensor, so

* the **local spins** see an environment of determinants: for each electron
  composition ``n_up`` the blocks of every sector share their determinant
  rows, and their columns (local configurations) side by side give the
  ``(environment x local configuration)`` amplitude matrix ``A``; the local
  spins' density matrix is ``sum A^T A^*``, and their Bloch vectors, purity,
  entropy and configuration probabilities come from the same code as the
  one-electron reducer's (:mod:`qutip_stt.measures.spin_reduction`);
* the **electrons**: the density ``<n_i>`` and ``<n_i up - n_i down>`` from
  the marginals of ``|A|^2`` over the determinants of each species; the
  transverse spin density ``<c^dagger_{i up} c_{i down}>`` joins the block
  ``(m, n_up)`` to ``(m + 1, n_up + 1)`` with the Jordan-Wigner signs of
  :func:`~qutip_stt.model.fock.spin_flip_map`.

Spins in units of hbar/2: ``electrons/spin_density`` is ``<c^dagger_i
sigma c_i>``, the sum over electrons of ``<sigma>`` on site ``i``.
"""

import numpy as np
import scipy.sparse

from ..model.fock import occupations, spin_flip_map
from .spin_reduction import FLUSH_BELOW, mixedness, spin_side

__all__ = ["reduce_fermions", "FERMION_OBSERVABLES", "local_density_matrix"]

#: What :func:`reduce_fermions` adds to the observables of
#: :data:`~qutip_stt.measures.reducer.OBSERVABLES` (dataset paths).
FERMION_OBSERVABLES = {
    "electrons/spin_density": ("(T, Lx, 3)", "<c+_i sigma c_i>: the sum over "
                               "electrons of <sigma_x,y,z> on site i, hbar/2"),
    "electrons/spin": ("(T, 3)", "total spin of the electrons, "
                       "sum_i <c+_i sigma c_i>, hbar/2"),
    "electrons/count_right": ("(T,)", "electrons beyond the last local "
                              "spin, sum_{i > last spin site} <n_i>"),
}


def _flushed(a):
    """A copy of ``a`` without the entries below :data:`FLUSH_BELOW`."""
    a = np.array(a, dtype=complex)
    a[a.real ** 2 + a.imag ** 2 < FLUSH_BELOW ** 2] = 0.0
    return a


def _flip_maps(model, n_up, n_down):
    """Every site's :func:`spin_flip_map` of a composition, concatenated:
    ``(source, target, where)`` with ``where`` the ``(pairs, Lx)`` sparse
    matrix of each pair's sign on its site; cached on the model."""
    cache = model.__dict__.setdefault("_flip_maps", {})
    key = (n_up, n_down)
    if key not in cache:
        parts = [spin_flip_map(model.Lx, n_up, n_down, i)
                 for i in range(model.Lx)]
        sign = np.concatenate([p[2] for p in parts])
        site = np.concatenate([np.full(p[0].size, i)
                               for i, p in enumerate(parts)])
        where = scipy.sparse.csr_matrix(
            (sign, (np.arange(sign.size), site)), shape=(sign.size, model.Lx))
        cache[key] = (np.concatenate([p[0] for p in parts]),
                      np.concatenate([p[1] for p in parts]), where.T.tocsr())
    return cache[key]


def _transverse(stacks, model):
    """``(T, Lx)`` ``<c^dagger_{i up} c_{i down}>`` from the pairs of sectors ``m``, ``m + 1``."""
    T = next(iter(stacks.values())).shape[0]
    plus = np.zeros((T, model.Lx), dtype=complex)
    for m, stack in stacks.items():
        upper = next((s for k, s in stacks.items() if abs(k - m - 1) < 1e-9),
                     None)
        if upper is None:
            continue
        sector, above = model.sector(m), model.sector(m + 1)
        for block, A in zip(sector.blocks, sector.split(stack)):
            target = above.block(block.n_up + 1)
            if target is None or block.n_down == 0:
                continue
            B = upper[:, target.offset:target.offset + target.size]
            B = B.reshape(T, -1, target.local.size)
            A = A.reshape(T, -1, block.local.size)
            src, dst, where = _flip_maps(model, block.n_up, block.n_down)
            values = np.einsum("tpc,tpc->tp", B[:, dst].conj(), A[:, src])
            plus += (where @ values.T).T
    return plus


def local_density_matrix(stacks, model):
    """The local spins' density matrices over the configurations present.

    Parameters
    ----------
    stacks : dict
        ``{m: (T, n_m)}`` sector amplitudes.
    model : ManyElectronModel

    Returns
    -------
    rho : numpy.ndarray
        ``(T, k, k)``.
    columns : numpy.ndarray
        The ``k`` local configurations (QuTiP order) of its rows.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> from qutip_stt.states.fermions import many_electron_state
    >>> model = ManyElectronModel(Lx=8, N=2, Ne=2)
    >>> psi = many_electron_state(model, lead={"start": 0, "stop": 4})
    >>> rho, cols = local_density_matrix({m: v[None] for m, v in psi.pieces.items()}, model)
    >>> cols.tolist(), rho[0].real.round(12).tolist()          # |up up>
    ([0, 1, 2, 3], [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    """
    T = next(iter(stacks.values())).shape[0]
    by_composition = {}
    for m, stack in stacks.items():
        sector = model.sector(m)
        for block, A in zip(sector.blocks, sector.split(stack)):
            by_composition.setdefault(block.n_up, []).append(
                (A.reshape(T, -1, block.local.size), block.local))
    columns = np.unique(np.concatenate([loc for parts in
                                        by_composition.values()
                                        for _, loc in parts]))
    position = np.searchsorted(columns, np.arange(columns.max() + 1))
    rho = np.zeros((T, columns.size, columns.size), dtype=complex)
    for parts in by_composition.values():
        A = _flushed(np.concatenate([a for a, _ in parts], axis=2))
        at = position[np.concatenate([loc for _, loc in parts])]
        # rho_cc' = sum_env A[env, c] A*[env, c'] = ((A^dagger A)^*)_cc'
        rho[:, at[:, None], at[None, :]] += np.matmul(
            A.transpose(0, 2, 1).conj(), A).conj()
    return rho, columns


def reduce_fermions(stacks, model, energy, density_matrix=False):
    """Every observable of the many-electron ket at each time of a chunk.

    Parameters
    ----------
    stacks : dict
        ``{m: (T, n_m)}`` sector amplitudes (not modified).
    model : ManyElectronModel
    energy : array_like
        ``(T,)`` ``<psi|H|psi>`` (eV) from the propagators; divided by the
        squared norm here.
    density_matrix : bool, default: False
        Also return ``"local_density"``: the ``(rho, columns)`` of
        :func:`local_density_matrix` (for the pair measures).

    Returns
    -------
    dict
        The keys of :data:`~qutip_stt.measures.reducer.OBSERVABLES`, time
        first (``electron_spin`` is the electrons' total spin,
        ``purity_electron`` the electrons' purity, equal to the local spins'
        for the pure whole; ``purity_orbital`` has no meaning with several
        electrons: NaN; ``probabilities`` over the local configurations),
        and those of :data:`FERMION_OBSERVABLES`.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> from qutip_stt.states.fermions import many_electron_state
    >>> model = ManyElectronModel(Lx=8, N=1, Ne=2)
    >>> psi = many_electron_state(model, lead={"start": 0, "stop": 4})
    >>> out = reduce_fermions({m: v[None] for m, v in psi.pieces.items()}, model, [0.0])
    >>> out["density"][0].sum().round(12), out["electrons/spin"][0].round(12).tolist()
    (np.float64(2.0), [0.0, 0.0, -2.0])
    """
    Lx, N, S = model.Lx, model.N, model.S
    T = next(iter(stacks.values())).shape[0]
    norm2, total_sz = np.zeros(T), np.zeros(T)
    up, down = np.zeros((T, Lx)), np.zeros((T, Lx))
    for m, stack in stacks.items():
        sector = model.sector(m)
        for block, A in zip(sector.blocks, sector.split(stack)):
            W = A.real ** 2 + A.imag ** 2                  # (T, C_u, C_d, n_c)
            weight = W.sum(axis=(1, 2, 3))
            norm2 += weight
            total_sz += 2 * m * weight
            up += (occupations(Lx, block.n_up).T @ W.sum(axis=(2, 3)).T).T
            down += (occupations(Lx, block.n_down).T
                     @ W.sum(axis=(1, 3)).T).T
    plus = _transverse(stacks, model)
    spin_density = np.stack([2 * plus.real, 2 * plus.imag, up - down], axis=2)
    density = up + down
    rho, columns = local_density_matrix(stacks, model)
    probabilities = np.zeros((T, model.spin_dim ** N))
    probabilities[:, columns] = rho.diagonal(axis1=1, axis2=2).real
    kept = (rho.copy(), columns) if density_matrix else None
    bloch, rho_l = spin_side(rho, probabilities, (S,) * N, columns)
    purity, entropy = mixedness(rho_l)
    last = model.first_site + N - 1
    out = {
        "electron_spin": spin_density.sum(axis=1),
        "local_spin": bloch,
        "purity_local": purity,
        "purity_electron": purity,
        "purity_orbital": np.full(T, np.nan),
        "entropy_local": entropy,
        "probabilities": probabilities,
        "norm": np.sqrt(norm2),
        "energy": np.asarray(energy, dtype=float) / norm2,
        "total_sz": total_sz,
        "density": density,
        "electrons/spin_density": spin_density,
        "electrons/spin": spin_density.sum(axis=1),
        "electrons/count_right": density[:, last + 1:].sum(axis=1),
    }
    if kept is not None:
        out["local_density"] = kept
    return out
