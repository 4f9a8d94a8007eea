r"""Sectors of ``Ne`` electrons and the local spins at fixed total ``S^z``.

The many-electron Hamiltonian conserves the electron number ``Ne`` and the
total ``S^z = (n_up - n_down)/2 + sum_n m_n`` (units of hbar), so a ket
splits into sectors of fixed total ``m``. Within a sector every electron
composition ``n_up + n_down = Ne`` is a *block*: the up determinants
(:func:`~qutip_stt.model.fock.combinations` ``(Lx, n_up)``) times the down
ones times the local-spin configurations of ``m_loc = m - (n_up -
n_down)/2`` (rows of the local spins' basis in QuTiP's order, ``m = S``
first). A block's basis index is ``(u * C(Lx, n_down) + d) * n_loc + c``
and the blocks follow each other by increasing ``n_up``: the tensor
structure the sector Hamiltonian
(:func:`qutip_stt.model.fermion_blocks.fermion_sector_hamiltonian`) and the
reduction to observables use, without ever listing the full Fock space.
:func:`sector_dimension` counts a sector's states from binomials alone, for
the memory check before any work.
"""

import math
from typing import NamedTuple

import numpy as np

from .sectors import spin_grid

__all__ = ["FermionBlock", "FermionSector", "local_magnetizations",
           "fermion_sector_values", "sector_dimension", "block_compositions"]


class FermionBlock(NamedTuple):
    """One electron composition of a sector: ``n_up``, ``n_down`` and the
    local configurations it pairs with.

    Attributes
    ----------
    n_up, n_down : int
    local : numpy.ndarray
        Indices (QuTiP order of the local spins' basis) of the local
        configurations of ``m_loc``.
    offset : int
        Index of the block's first state in the sector.
    n_sets_up, n_sets_down : int
        ``C(Lx, n_up)``, ``C(Lx, n_down)``.
    """

    n_up: int
    n_down: int
    local: np.ndarray
    offset: int
    n_sets_up: int
    n_sets_down: int

    @property
    def shape(self):
        """``(C(Lx, n_up), C(Lx, n_down), n_loc)``."""
        return (self.n_sets_up, self.n_sets_down, self.local.size)

    @property
    def size(self):
        """States of the block."""
        return self.n_sets_up * self.n_sets_down * self.local.size

    @property
    def electron_sz(self):
        """``(n_up - n_down) / 2``, hbar."""
        return 0.5 * (self.n_up - self.n_down)


def local_magnetizations(N, S):
    """Total ``m`` of the local spins in each basis state (QuTiP order).

    Examples
    --------
    >>> local_magnetizations(2, 0.5).tolist()
    [1.0, 0.0, 0.0, -1.0]
    """
    return spin_grid([S] * N).sum(axis=1)


def block_compositions(Lx, Ne, N, S, m):
    """The ``(n_up, n_down, local count)`` of every block of sector ``m``.

    Examples
    --------
    >>> block_compositions(4, 2, 1, 0.5, 0.5)     # up-down with up; up-up with down
    [(1, 1, 1), (2, 0, 1)]
    """
    local_m = local_magnetizations(N, S)
    out = []
    for n_up in range(max(0, Ne - Lx), min(Ne, Lx) + 1):
        n_down = Ne - n_up
        count = int(np.count_nonzero(np.isclose(
            local_m, m - 0.5 * (n_up - n_down))))
        if count:
            out.append((n_up, n_down, count))
    return out


def sector_dimension(Lx, Ne, N, S, m):
    """States of sector ``m`` from binomials alone (nothing is built).

    Parameters
    ----------
    Lx, Ne, N : int
        Sites, electrons, local spins.
    S : float
    m : float
        Total ``S^z``, hbar.

    Returns
    -------
    int

    Examples
    --------
    >>> sector_dimension(400, 2, 5, 0.5, 1.5)     # two down electrons on the paper's spins
    1677800
    """
    return sum(math.comb(Lx, u) * math.comb(Lx, d) * c
               for u, d, c in block_compositions(Lx, Ne, N, S, m))


def fermion_sector_values(Lx, Ne, N, S):
    """Every total ``S^z`` (hbar) of ``Ne`` electrons and the local spins, highest first.

    Examples
    --------
    >>> fermion_sector_values(4, 2, 1, 0.5).tolist()
    [1.5, 0.5, -0.5, -1.5]
    """
    electron = [0.5 * (2 * u - Ne)
                for u in range(max(0, Ne - Lx), min(Ne, Lx) + 1)]
    local = np.unique(local_magnetizations(N, S))
    values = {round(e + m_loc, 6) for e in electron for m_loc in local}
    return np.array(sorted(values, reverse=True))


class FermionSector:
    """The basis of one sector: its blocks in order.

    Parameters
    ----------
    Lx, Ne, N : int
    S : float
    m : float
        Total ``S^z``, hbar.

    Attributes
    ----------
    m : float
    blocks : list of FermionBlock
        By increasing ``n_up``.
    size : int

    Examples
    --------
    >>> sector = FermionSector(4, 2, 1, 0.5, 0.5)
    >>> [(b.n_up, b.n_down, b.offset, b.size) for b in sector.blocks], sector.size
    ([(1, 1, 0, 16), (2, 0, 16, 6)], 22)
    """

    def __init__(self, Lx, Ne, N, S, m):
        self.Lx, self.Ne, self.N, self.S = Lx, Ne, N, S
        self.m = float(m)
        local_m = local_magnetizations(N, S)
        self.blocks = []
        offset = 0
        for n_up, n_down, _ in block_compositions(Lx, Ne, N, S, m):
            local = np.flatnonzero(np.isclose(local_m,
                                              m - 0.5 * (n_up - n_down)))
            block = FermionBlock(n_up, n_down, local, offset,
                                 math.comb(Lx, n_up), math.comb(Lx, n_down))
            self.blocks.append(block)
            offset += block.size
        if not self.blocks:
            raise ValueError(f"m: no sector with total S^z = {m} for "
                             f"{Ne} electrons and N = {N} spins {S:g}")
        self.size = offset

    def block(self, n_up):
        """The block of ``n_up`` up electrons, or None."""
        return next((b for b in self.blocks if b.n_up == n_up), None)

    def split(self, vector):
        """``vector`` (``(..., size)``) as the ``(..., C_up, C_down, n_loc)``
        views of its blocks, in order."""
        lead = vector.shape[:-1]
        return [vector[..., b.offset:b.offset + b.size].reshape(
            lead + b.shape) for b in self.blocks]

    def __repr__(self):
        return (f"FermionSector(m={self.m:g}, Ne={self.Ne}, "
                f"blocks={[(b.n_up, b.n_down) for b in self.blocks]}, "
                f"size={self.size})")
