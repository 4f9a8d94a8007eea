r"""``Ne`` electrons at once: the many-electron model, with the local spins as today.

.. math::

    H = -\gamma \sum_{i,s} (c^\dagger_{is} c_{i+1,s} + \mathrm{h.c.})
        + \sum_i V_i n_i + U \sum_i n_{i\uparrow} n_{i\downarrow}
        - J_{sd} \sum_n (c^\dagger_{j_n} \boldsymbol\sigma c_{j_n})
          \cdot \boldsymbol\Sigma_n
        - \sum_{n=1}^{N-1} \left[J (\Sigma^x_n\Sigma^x_{n+1}
          + \Sigma^y_n\Sigma^y_{n+1}) + J_z \Sigma^z_n\Sigma^z_{n+1}\right]
        - \sum_n \mathbf h_n\cdot\boldsymbol\Sigma_n
        - h_e \sum_i (n_{i\uparrow} - n_{i\downarrow})

in the units and signs of :class:`~qutip_stt.model.hamiltonian.STTModel`
(eV; Pauli ``sigma``, ``Sigma = 2 jmat(S)``; ``J, Jz, J_sd > 0``
ferromagnetic). Its spin terms are the same
:class:`~qutip_stt.model.terms.Coupling` and
:class:`~qutip_stt.model.terms.Field` list, taken from a one-electron
``STTModel`` of the same parameters (:attr:`ManyElectronModel.spins`), so
that with ``Ne = 1`` this is Eq. (3) exactly. Papers that write the s-d term
``-J s.S`` with spin-1/2 operators ``s = sigma/2``, ``S = Sigma/2`` mean
``J_sd = J / 4`` here.

``Ne`` and the total ``S^z`` are conserved: the model works sector by sector
(:mod:`qutip_stt.model.fermion_sectors`, the determinant basis of
:mod:`qutip_stt.model.fock`; blocks from the terms,
:mod:`qutip_stt.model.fermion_blocks`). On small systems the whole Fock space
is also available as QuTiP ``Qobj`` built from :func:`qutip.fdestroy`
(:mod:`qutip_stt.model.fermion_qobj`).
"""

from functools import cached_property

import numpy as np

from .._util.validation import check_int, check_real
from .fermion_blocks import fermion_sector_bounds, fermion_sector_hamiltonian
from .fermion_sectors import (FermionSector, fermion_sector_values,
                              sector_dimension)
from .hamiltonian import STTModel
from .sectors import configuration_labels, spin_grid

__all__ = ["ManyElectronModel"]


class ManyElectronModel:
    """``Ne`` fermions on the chain with the local spins (sectors of ``Ne``, total S^z).

    Parameters
    ----------
    Lx, N, S, gamma, J_sd, J, Jz, first_site, field, electron_field, potential
        As :class:`~qutip_stt.model.hamiltonian.STTModel` (``electron_field``
        acts on every electron: ``-h_e sum_i (n_i up - n_i down)``).
    Ne : int, default: 2
        Number of electrons, ``1 <= Ne <= 2 Lx`` (config ``electrons.count``).
    hubbard_U : float, default: 0.0
        On-site repulsion ``U sum_i n_i up n_i down``, eV
        (``electrons.hubbard_U``).

    Attributes
    ----------
    spins : STTModel
        The one-electron model of the same parameters (``full_space=False``):
        its couplings, fields and local spins' Hamiltonian are this model's.
    sites : numpy.ndarray
        Chain sites of the local spins.

    Examples
    --------
    >>> model = ManyElectronModel(Lx=400, N=5, Ne=2)
    >>> model.sector_size(1.5)          # two electrons down, the spins up
    1677800
    >>> model.couplings[0]
    Coupling(a=0, b=1, Jxy=0.1, Jz=0.1, site=198)
    """

    #: Subsystems of pair measures are the local spins only (no one
    #: electron spin): :func:`qutip_stt.measures.selection.resolve_pairs`.
    many_electrons = True

    def __init__(self, Lx=400, N=5, S=0.5, gamma=1.0, J_sd=0.1, J=0.1,
                 Jz=0.1005, first_site=None, *, Ne=2, hubbard_U=0.0,
                 field=0.0, electron_field=0.0, potential=None):
        self.spins = STTModel(Lx, N, S, gamma, J_sd, J, Jz, first_site,
                              full_space=False, field=field,
                              electron_field=electron_field,
                              potential=potential)
        for name in ("Lx", "N", "S", "gamma", "J_sd", "J", "Jz",
                     "first_site", "sites", "spin_dim", "field",
                     "electron_field", "potential"):
            setattr(self, name, getattr(self.spins, name))
        self.Ne = check_int("Ne", Ne, minimum=1, maximum=2 * self.Lx)
        self.hubbard_U = check_real("hubbard_U", hubbard_U)
        self._sectors, self._bounds = {}, {}

    # -- terms (the one-electron model's) ------------------------------------
    @property
    def couplings(self):
        """The spin-spin terms, as :attr:`STTModel.couplings`."""
        return self.spins.couplings

    @property
    def fields(self):
        """The Zeeman terms, as :attr:`STTModel.fields` (``k = 0``: every electron)."""
        return self.spins.fields

    @property
    def conserves_sz(self):
        """False when a transverse field breaks total-S^z conservation."""
        return self.spins.conserves_sz

    @property
    def local_hamiltonian(self):
        """The local spins alone: XXZ chain plus their Zeeman term (``Qobj``, eV)."""
        return self.spins.local_hamiltonian

    @property
    def xxz_chain(self):
        """The XXZ chain on the local spins (``Qobj``, eV)."""
        return self.spins.xxz_chain

    # -- local-spin configurations -------------------------------------------
    @cached_property
    def spin_configurations(self):
        """``(( 2S+1)^N, N)``: the m of each local spin in each basis state
        of the local spins (QuTiP order), the columns of ``probabilities``."""
        return spin_grid([self.S] * self.N)

    @cached_property
    def spin_configuration_labels(self):
        """Labels like ``"↑↑↓"`` (spin-1/2) or ``"3/2,1/2"``."""
        return configuration_labels(self.spin_configurations, self.S,
                                    electron=False)

    # -- sectors ---------------------------------------------------------------
    def sector_values(self):
        """Every total ``S^z`` (hbar) of the model, highest first.

        Examples
        --------
        >>> ManyElectronModel(Lx=4, N=1, Ne=2).sector_values().tolist()
        [1.5, 0.5, -0.5, -1.5]
        """
        return fermion_sector_values(self.Lx, self.Ne, self.N, self.S)

    def sector_size(self, m):
        """States of sector ``m`` (from binomials, nothing built)."""
        return sector_dimension(self.Lx, self.Ne, self.N, self.S, m)

    def sector(self, m):
        """The :class:`~qutip_stt.model.fermion_sectors.FermionSector` of total ``S^z = m`` (cached)."""
        key = round(float(m), 6)
        if key not in self._sectors:
            self._sectors[key] = FermionSector(self.Lx, self.Ne, self.N,
                                               self.S, key)
        return self._sectors[key]

    def sector_hamiltonian(self, m):
        """The block of H on sector ``m`` (or the direct sum of a list of sectors): real CSR, eV (:func:`~qutip_stt.model.fermion_blocks.fermion_sector_hamiltonian`)."""
        self._check_conserved()
        if isinstance(m, (list, tuple)):
            return fermion_sector_hamiltonian(self, [self.sector(x)
                                                     for x in m])
        return fermion_sector_hamiltonian(self, self.sector(m))

    def sector_bounds(self, m):
        """Rigorous spectral bounds of sector ``m``, eV (:func:`~qutip_stt.model.fermion_blocks.fermion_sector_bounds`; cached)."""
        self._check_conserved()
        key = round(float(m), 6)
        if key not in self._bounds:
            self._bounds[key] = fermion_sector_bounds(self, self.sector(m))
        return self._bounds[key]

    def _check_conserved(self):
        if not self.conserves_sz:
            from ..errors import ConfigError
            raise ConfigError("local_spins.field", "a transverse field (x or "
                              "y) breaks total-S^z conservation, which the "
                              "many-electron sectors need")

    # -- QuTiP's fermions on the whole Fock space (small systems) -------------
    @cached_property
    def hamiltonian(self):
        """H on the whole Fock space (x) local spins, from :func:`qutip.fdestroy` (``Qobj``, eV).

        Modes ``(i, up)`` are factors ``0 .. Lx-1``, ``(i, down)`` factors
        ``Lx .. 2Lx-1``, then the local spins; every electron number is in
        it. Refused above :data:`~qutip_stt.model.fermion_qobj.MAX_FOCK_DIMENSION`.
        See :mod:`qutip_stt.model.fermion_qobj`.
        """
        from .fermion_qobj import fock_hamiltonian
        return fock_hamiltonian(self)

    # -- description -------------------------------------------------------------
    def parameters(self):
        """The parameters as keyword arguments: ``ManyElectronModel(**p)`` rebuilds it."""
        out = self.spins.parameters()
        out.update(Ne=self.Ne, hubbard_U=self.hubbard_U)
        return out

    def attributes(self):
        """:meth:`parameters` as HDF5-attribute values (``model_<key>`` in files)."""
        out = self.spins.attributes()
        out.update(Ne=self.Ne, hubbard_U=self.hubbard_U)
        return out

    def __repr__(self):
        inner = repr(self.spins)[len("STTModel("):-1]
        return (f"ManyElectronModel({inner}, Ne={self.Ne}, "
                f"hubbard_U={self.hubbard_U!r})")

    def __eq__(self, other):
        if not isinstance(other, ManyElectronModel):
            return NotImplemented
        a, b = self.parameters(), other.parameters()
        return a.keys() == b.keys() and all(
            np.array_equal(a[k], b[k]) for k in a)

    __hash__ = object.__hash__
