r"""Scattering channels and the scattering region, one total-S^z sector at a time.

A channel is a state of the electron spin and the XXZ chain far from the
region where they interact: ``|sigma> (x) |M, n>`` with ``sigma`` the
electron's ``m_e = +-1/2`` and ``|M, n>`` the ``n``-th eigenstate (energy
``e_n``, ascending) of the XXZ chain in its sector of local
``S^z = M`` (hbar). Channels are eigenstates of the lead Hamiltonian
``T (x) 1 + 1 (x) X`` and of the total ``S^z``, ``m = m_e + M``; the
region Hamiltonian is block diagonal in ``m``, so the S-matrix is computed
sector by sector on dense matrices of size ``L_s n_m`` (``L_s`` region sites,
``n_m`` spin configurations of the sector).

Degenerate XXZ levels inside one ``M`` sector come as an arbitrary
orthonormal basis (LAPACK); probabilities summed over a degenerate set do
not depend on that choice.
"""

from functools import cached_property

import numpy as np
import scipy.linalg

from ..errors import ConfigError
from .._util.validation import check_int, spin_label

__all__ = ["ChannelBasis", "MAX_REGION_DIMENSION"]

#: Largest dense region block (sites x spin states of one sector) accepted;
#: one complex matrix of this size is 256 MiB.
MAX_REGION_DIMENSION = 4000


class ChannelBasis:
    """The lead channels of a model and its scattering region, sector by sector.

    Parameters
    ----------
    model : STTModel
        Supplies ``gamma``, ``J_sd``, ``J``, ``Jz``, ``N``, ``S`` and its
        spin-space operators; ``Lx`` and ``first_site`` play no role (the
        leads are semi-infinite).
    padding : int, default: 0
        Free chain sites added to the region on each side of the spins; the
        S-matrix does not depend on it (a check, tested).

    Attributes
    ----------
    m_e, M, n, energy, sector : numpy.ndarray
        Per channel (``D = 2 (2S+1)^N`` of them, the same in both leads):
        electron ``m_e``, local ``S^z`` ``M``, level index ``n`` in sector
        ``M``, XXZ energy ``e_n`` (eV), total ``m = m_e + M``.
    vectors : numpy.ndarray
        ``(D, D)`` unitary; column ``c`` is channel ``c`` in the spin
        configuration basis of :attr:`STTModel.spin_configurations`.
    labels : list of str
        ``"↓;↑↑↑↑↑"`` when the channel is one spin configuration, else
        ``"↑;M=3/2,n=0"``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> basis = ChannelBasis(STTModel(N=5))
    >>> len(basis.labels), basis.labels[1], round(float(basis.energy[1]), 4)
    (64, '↓;↑↑↑↑↑', -0.402)
    """

    def __init__(self, model, padding=0):
        self.model = model
        self.padding = check_int("padding", padding, minimum=0, maximum=1000)
        self.gamma = model.gamma
        if not self.gamma > 0:
            raise ConfigError("chain.hopping", "the leads need a hopping "
                              f"gamma > 0 eV, got {self.gamma}")
        self.sites = model.N + 2 * self.padding
        conf = model.spin_configurations
        sizes = [int(np.sum(np.isclose(model.sector_labels, m)))
                 for m in np.unique(model.sector_labels)]
        largest = self.sites * max(sizes)
        if largest > MAX_REGION_DIMENSION:
            raise ConfigError(
                "local_spins.count", f"the largest sector of the scattering "
                f"region has {self.sites} sites x {max(sizes)} spin states = "
                f"{largest:,} > {MAX_REGION_DIMENSION:,} (about "
                f"{largest ** 2 * 16 / 2**30:.1f} GiB per dense matrix); "
                "lower local_spins.count, local_spins.spin or the padding")
        self._build_channels(conf)

    def _build_channels(self, conf):
        model = self.model
        nl = model.spin_dim ** model.N
        xxz = model.xxz_chain.full()
        local_M = conf[:nl, 1:].sum(axis=1)
        D = 2 * nl
        m_e, M_, n_, eps, vecs, labels = [], [], [], [], [], []
        for M in np.unique(local_M)[::-1]:
            idx = np.flatnonzero(np.isclose(local_M, M))
            w, v = scipy.linalg.eigh(xxz[np.ix_(idx, idx)])
            for e, (me, arrow) in enumerate(((0.5, "↑"), (-0.5, "↓"))):
                for j in range(idx.size):
                    col = np.zeros(D, dtype=complex)
                    col[e * nl + idx] = v[:, j]
                    m_e.append(me)
                    M_.append(M)
                    n_.append(j)
                    eps.append(w[j])
                    vecs.append(col)
                    single = np.flatnonzero(np.abs(v[:, j]) > 1 - 1e-12)
                    if single.size == 1:
                        labels.append(model.spin_configuration_labels[
                            e * nl + idx[single[0]]])
                    else:
                        labels.append(f"{arrow};M={spin_label(M)},n={j}")
        self.m_e = np.array(m_e)
        self.M = np.array(M_)
        self.n = np.array(n_)
        self.energy = np.array(eps)
        self.sector = self.m_e + self.M
        self.vectors = np.array(vecs).T
        self.labels = labels

    @property
    def size(self):
        """Number of channels per lead, ``D = 2 (2S+1)^N``."""
        return self.energy.size

    def sectors(self):
        """Total-S^z values (hbar) of the channels, highest first."""
        return np.unique(self.sector)[::-1]

    def find(self, m_e, M, n):
        """Index of channel ``(m_e, M, n)``.

        Parameters
        ----------
        m_e : float
            Electron ``+-1/2``.
        M : float
            Local-spin ``S^z`` (hbar).
        n : int
            Level index in sector ``M`` (0 = lowest).

        Returns
        -------
        int
        """
        hit = np.flatnonzero(np.isclose(self.m_e, m_e) & np.isclose(self.M, M)
                             & (self.n == n))
        if hit.size != 1:
            allowed = ", ".join(spin_label(v) for v in np.unique(self.M)[::-1])
            raise ConfigError("chain", f"no XXZ eigenstate M = {M}, n = {n}; "
                              f"M is one of {allowed} and n runs from 0 to "
                              "the sector size - 1")
        return int(hit[0])

    @cached_property
    def _sector_data(self):
        return {float(m): self._region(m) for m in self.sectors()}

    def region(self, m):
        """Dense region Hamiltonian and channel data of total-S^z sector ``m``.

        Parameters
        ----------
        m : float
            Total ``S^z`` (hbar).

        Returns
        -------
        dict
            ``H`` (``L_s n_m`` square, eV, basis index ``x n_m + c`` as
            :func:`qutip_stt.model.spectrum.sector_block`), ``U`` (``n_m`` square:
            the sector's channels in its configuration basis), ``channels``
            (their indices in the channel list), ``eps`` (their ``e_n``).
        """
        return self._sector_data[float(m)]

    def _region(self, m):
        model = self.model
        cfg = np.flatnonzero(np.isclose(model.sector_labels, m))
        chans = np.flatnonzero(np.isclose(self.sector, m))
        U = self.vectors[np.ix_(cfg, chans)]
        nm, Ls = cfg.size, self.sites
        spin_xxz = np.kron(np.eye(2), model.xxz_chain.full())
        X = spin_xxz[np.ix_(cfg, cfg)]
        T = -self.gamma * (np.eye(Ls, k=1) + np.eye(Ls, k=-1))
        H = np.kron(T, np.eye(nm)) + np.kron(np.eye(Ls), X)
        for j, coupling in enumerate(model.sd_coupling):
            V = -model.J_sd * coupling.full()[np.ix_(cfg, cfg)]
            site = self.padding + j
            P = np.zeros((Ls, Ls))
            P[site, site] = 1.0
            H = H + np.kron(P, V)
        return {"H": H, "U": U, "channels": chans,
                "eps": self.energy[chans], "configurations": cfg}
