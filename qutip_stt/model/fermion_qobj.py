r"""The many-electron model on the whole Fock space, from QuTiP's own fermions.

For small systems: the ``2 Lx`` spin-orbitals are ``2 Lx`` two-level factors
(``(i, up)`` is factor ``i``, ``(i, down)`` factor ``Lx + i``), then the local
spins, and ``c_p`` is :func:`qutip.fdestroy` ``(2 Lx, p)`` (Jordan-Wigner
strings over the factors before ``p``; occupied is ``basis(2, 1)``). The
Hamiltonian of :class:`~qutip_stt.model.many_electron.ManyElectronModel` is
then a sum of products of those operators (:func:`fock_hamiltonian`): a
QuTiP user's entry point to the model and the test oracle of the sector
route. Every electron number is in this space; the sectors of a fixed
``Ne`` are a small part of it. :func:`fock_ket` places a ket given by its
sector pieces into it: the determinant of
:mod:`qutip_stt.model.fock` with sites ``u`` up and ``d`` down is the basis
state with those factors occupied, sign ``+1`` (its creators act in
increasing mode order, each string over empty modes).
"""

import math

import numpy as np
import qutip

from ..errors import ConfigError
from .fock import combinations
from .operators import spin_operators

__all__ = ["MAX_FOCK_DIMENSION", "fock_dims", "fock_annihilators",
           "fock_local_spin", "fock_hamiltonian", "fock_ket"]

#: Largest Fock space (x) local spins built as a ``Qobj``.
MAX_FOCK_DIMENSION = 2 ** 18


def fock_dims(model):
    """``[2] * 2 Lx + [2S+1] * N``: the tensor structure of the Fock-space ``Qobj``."""
    return [2] * (2 * model.Lx) + [model.spin_dim] * model.N


def _check(model):
    dim = math.prod(fock_dims(model))
    if dim > MAX_FOCK_DIMENSION:
        raise ConfigError("Lx", f"the Fock space of {2 * model.Lx} "
                          f"spin-orbitals times the local spins has dimension "
                          f"{dim:,}, more than the {MAX_FOCK_DIMENSION:,} "
                          "built as a Qobj; the sector route (method "
                          "\"exact\") needs no such space")


def fock_annihilators(model):
    """``[c_0, ..., c_{2Lx-1}]``: :func:`qutip.fdestroy` on each spin-orbital, times the local identity.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> c = fock_annihilators(ManyElectronModel(Lx=2, N=1, Ne=1))
    >>> len(c), c[0].dims[0]
    (4, [2, 2, 2, 2, 2])
    """
    _check(model)
    cache = model.__dict__.setdefault("_fock_annihilators", [])
    if not cache:
        local = qutip.qeye([model.spin_dim] * model.N)
        cache += [qutip.tensor(qutip.fdestroy(2 * model.Lx, p), local).to(
            "CSR") for p in range(2 * model.Lx)]
    return list(cache)


def fock_local_spin(model, n):
    """``[Sigma_x, Sigma_y, Sigma_z]`` of local spin ``n`` (1-based) on the Fock space (x) spins."""
    _check(model)
    fock = qutip.qeye([2] * (2 * model.Lx))
    out = []
    for op in spin_operators(model.S):
        factors = [qutip.qeye(model.spin_dim)] * model.N
        factors[n - 1] = op
        out.append(qutip.tensor(fock, *factors).to("CSR"))
    return out


def fock_hamiltonian(model):
    r"""The model's Hamiltonian on the Fock space (x) local spins, a CSR ``Qobj`` in eV.

    Built term by term from :func:`qutip.fdestroy` and :func:`qutip.fcreate`: hops and the potential
    on each species, ``U n_up n_down``, the electron field, each s-d
    :class:`~qutip_stt.model.terms.Coupling` as ``-[Jxy (s^x Sigma^x + s^y
    Sigma^y) + Jz s^z Sigma^z]`` with ``s^a = sum_{st} c^dagger_s
    sigma^a_{st} c_t`` on its site, and the local spins' own Hamiltonian.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> H = fock_hamiltonian(ManyElectronModel(Lx=3, N=1, Ne=2))
    >>> H.shape, H.isherm
    ((128, 128), True)
    """
    c = fock_annihilators(model)
    Lx = model.Lx
    local = qutip.qeye([model.spin_dim] * model.N)
    cd = [qutip.tensor(qutip.fcreate(2 * Lx, p), local).to("CSR")
          for p in range(2 * Lx)]
    n = [a * b for a, b in zip(cd, c)]
    H = qutip.qzero(c[0].dims[0]).to("CSR")
    for s in (0, Lx):
        for i in range(Lx - 1):
            H = H - model.gamma * (cd[s + i] * c[s + i + 1]
                                   + cd[s + i + 1] * c[s + i])
    if model.potential is not None:
        for i, v in enumerate(model.potential):
            H = H + float(v) * (n[i] + n[Lx + i])
    if model.hubbard_U:
        for i in range(Lx):
            H = H + model.hubbard_U * n[i] * n[Lx + i]
    for f in model.fields:
        if f.k == 0:
            for i in range(Lx):
                H = H - f.hz * (n[i] - n[Lx + i])
    for cp in model.couplings:
        if cp.site is None:
            continue
        j = cp.site
        flip = cd[j] * c[Lx + j]                  # c^dagger_{j up} c_{j down}
        back = cd[Lx + j] * c[j]
        s = (flip + back, -1j * flip + 1j * back, n[j] - n[Lx + j])
        Sigma = fock_local_spin(model, cp.b)
        H = H - (cp.Jxy * (s[0] * Sigma[0] + s[1] * Sigma[1])
                 + cp.Jz * s[2] * Sigma[2])
    H = H + qutip.tensor(qutip.qeye([2] * (2 * Lx)), model.local_hamiltonian)
    return H.to("CSR")


def fock_ket(model, pieces):
    """The ``Qobj`` ket on the Fock space (x) spins of a ket given by its sector pieces.

    Parameters
    ----------
    model : ManyElectronModel
    pieces : dict
        ``{m: amplitudes}`` over the sectors' bases
        (:class:`~qutip_stt.model.fermion_sectors.FermionSector`).

    Returns
    -------
    qutip.Qobj
        Dims ``[fock_dims(model), [1, ...]]``.

    Examples
    --------
    >>> from qutip_stt.model.many_electron import ManyElectronModel
    >>> model = ManyElectronModel(Lx=2, N=1, Ne=1)
    >>> sector = model.sector(1.0)            # the electron up on site 0 or 1
    >>> psi = fock_ket(model, {1.0: np.eye(sector.size)[0]})
    >>> int(np.flatnonzero(psi.full())[0])    # |1 0 ; 0 0> (x) |up>: bit 0 set
    16
    """
    _check(model)
    Lx, nl = model.Lx, model.spin_dim ** model.N
    weights = 2 ** np.arange(2 * Lx - 1, -1, -1, dtype=np.int64)
    full = np.zeros(math.prod(fock_dims(model)), dtype=complex)
    for m, vec in pieces.items():
        sector = model.sector(m)
        for block, amp in zip(sector.blocks, sector.split(np.asarray(vec))):
            up = weights[combinations(Lx, block.n_up)].sum(axis=1)
            down = weights[Lx + combinations(Lx, block.n_down)].sum(axis=1)
            fock = up[:, None] + down[None, :]
            index = (fock[:, :, None] * nl + block.local[None, None, :])
            full[index.ravel()] = amp.ravel()
    return qutip.Qobj(full, dims=[fock_dims(model),
                                  [1] * len(fock_dims(model))])
