r"""The electron + local-spins Hamiltonian of Mondal *et al.*, PRB 99, 094431.

Hilbert space, in this tensor order (Eq. 2 of the paper)::

    electron orbital (Lx sites) (x) electron spin (2) (x) local spin 1 ... (x) local spin N

each local spin of size ``S`` (dimension ``2S+1``). The Hamiltonian (Eq. 3)

.. math::

    H = -\gamma \sum_{\langle ij\rangle} |i\rangle\langle j|
        - J_{sd} \sum_n |n\rangle\langle n| \otimes
          \boldsymbol{\sigma}_e\cdot\boldsymbol{\Sigma}_n
        - \sum_{n=1}^{N-1} \left[ J (\Sigma^x_n\Sigma^x_{n+1}
          + \Sigma^y_n\Sigma^y_{n+1}) + J_z \Sigma^z_n\Sigma^z_{n+1}\right]

plus the optional Zeeman and site-potential terms (docs/theory.md)

.. math::

    H_Z = -\sum_n \mathbf{h}_n\cdot\boldsymbol{\Sigma}_n - h_e\sigma^z_e,
    \qquad H_V = \sum_x V_x |x\rangle\langle x| \otimes 1

is assembled with :func:`qutip.tensor` from QuTiP's operator library.
``J, Jz > 0`` is ferromagnetic, ``< 0`` antiferromagnetic; ``h > 0``
favours spin up. Spin
operators are in units of hbar/2: ``sigma`` are Pauli matrices and a local spin
``S`` uses ``Sigma = 2 * qutip.jmat(S)``. Energies are in eV. Both chains are open.
Every operator is kept in QuTiP's sparse CSR data layer.
"""

from functools import cached_property

import numpy as np

from .._util.lazy import lazy_module
from ..constants import HBAR_EV_FS
from ..errors import ConfigError
from .._util.resources import (MAX_DIMENSION, hamiltonian_bytes,
                               hilbert_dimension)
from .operators import spin_operators
from .sectors import configuration_labels, spin_grid
from .terms import Coupling, Field, check_potential, local_fields
from .._util.validation import check_energy, check_int, check_spin

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["STTModel"]


class STTModel:
    """The quantum spin-transfer-torque model of Eq. (3), as QuTiP ``Qobj``.

    Parameters
    ----------
    Lx : int, default: 400
        Number of sites of the tight-binding chain (config ``chain.length``).
    N : int, default: 5
        Number of local spins (``local_spins.count``).
    S : float, default: 0.5
        Size of every local spin, a positive half-integer (``local_spins.spin``).
    gamma : float, default: 1.0
        Nearest-neighbour hopping, eV (``chain.hopping``).
    J_sd : float, default: 0.1
        s-d exchange between electron and local spins, eV.
    J : float, default: 0.1
        Transverse XXZ exchange between neighbouring local spins, eV.
    Jz : float, default: 0.1005
        Longitudinal XXZ exchange, eV.
    first_site : int, optional
        Site (0-based) of local spin 1; the spins occupy
        ``first_site .. first_site + N - 1``. Default ``Lx // 2 - N // 2``
        (sites 198..202 for the paper).
    full_space : bool, default: True
        Refuse (``ConfigError``) a Hilbert space larger than
        :data:`qutip_stt._util.resources.MAX_DIMENSION`. With False the model
        describes its terms for :func:`qutip_stt.model.sector_blocks.sector_hamiltonian`
        (for example N = 100 in one sector) and every full-space operator
        raises instead.
    field : float, sequence of N floats or dict, default: 0.0
        Magnetic field on the local spins, eV (``H_Z = -sum_n h_n .
        Sigma_n``, ``h > 0`` favours up): a number (uniform, along z), one
        ``h_z`` per local spin, or ``{"x": ..., "y": ..., "z": ...}``
        (uniform; a transverse ``x`` or ``y`` breaks total-S^z conservation,
        so only the full-space methods apply). Config ``local_spins.field``.
    electron_field : float, default: 0.0
        Field ``h_e`` on the electron spin along z, eV (``-h_e sigma^z_e``).
        Config ``electron.field``.
    potential : array_like or None, default: None
        Site potential ``V_x`` (eV), one value per site:
        ``H_V = sum_x V_x |x><x|``. Config ``chain.potential`` (barriers and
        wells, :func:`qutip_stt.model.terms.potential_profile`).

    Attributes
    ----------
    dims : list
        ``[Lx, 2, 2S+1, ..., 2S+1]``, the tensor structure of a ket.
    sites : numpy.ndarray
        Chain sites of the local spins.

    Examples
    --------
    >>> model = STTModel(Lx=40, N=2)
    >>> model.hamiltonian.dims
    [[40, 2, 2, 2], [40, 2, 2, 2]]
    """

    def __init__(self, Lx=400, N=5, S=0.5, gamma=1.0, J_sd=0.1, J=0.1,
                 Jz=0.1005, first_site=None, *, full_space=True, field=0.0,
                 electron_field=0.0, potential=None):
        self.Lx = check_int("Lx", Lx, minimum=2)
        self.N = check_int("N", N, minimum=1, maximum=self.Lx)
        self.S = check_spin("S", S)
        self.gamma = check_energy("gamma", gamma)
        self.J_sd = check_energy("J_sd", J_sd)
        self.J = check_energy("J", J)
        self.Jz = check_energy("Jz", Jz)
        if first_site is None:
            first_site = self.Lx // 2 - self.N // 2
        self.first_site = check_int("first_site", first_site, minimum=0,
                                    maximum=self.Lx - self.N)
        self.spin_dim = int(round(2 * self.S)) + 1
        self.dims = [self.Lx, 2] + [self.spin_dim] * self.N
        self.sites = np.arange(self.first_site, self.first_site + self.N)
        self.field = local_fields(field, self.N, "field")
        self.electron_field = check_energy("electron_field", electron_field)
        self.potential = check_potential(potential, self.Lx, "potential")
        self.full_space = bool(full_space)
        if full_space:
            self._check_full_space()

    def _check_full_space(self):
        dim = self.dimension
        if dim > MAX_DIMENSION:
            raise ConfigError(
                "N", f"Hilbert space of dimension {dim:,} (Lx * 2 * (2S+1)^N) "
                f"is larger than the {MAX_DIMENSION:,} this package builds; "
                f"the Hamiltonian alone would need about "
                f"{hamiltonian_bytes(dim, self.N) / 2**30:.1f} GiB")

    # -- sizes ---------------------------------------------------------------
    @property
    def dimension(self):
        """Dimension of the full Hilbert space, ``Lx * 2 * (2S+1)**N``."""
        return hilbert_dimension(self.Lx, self.N, self.S)[0]

    @property
    def spin_space_dimension(self):
        """Dimension of electron spin (x) local spins, ``2 * (2S+1)**N``."""
        return hilbert_dimension(self.Lx, self.N, self.S)[1]

    def parameters(self):
        """The model parameters as a dict of keyword arguments.

        ``field``, ``electron_field`` and ``potential`` appear only when
        set (a uniform z field as a number, per-spin z fields as a list, a
        transverse field as ``{"x", "y", "z"}``), so ``STTModel(**p)``
        rebuilds the model.
        """
        out = dict(Lx=self.Lx, N=self.N, S=self.S, gamma=self.gamma,
                   J_sd=self.J_sd, J=self.J, Jz=self.Jz,
                   first_site=self.first_site)
        # the optional terms only when present, so the file of a plain run
        # and its attributes hold no key for a term it does not have
        if np.any(self.field):
            h = self.field
            if np.any(h[:, :2]):
                out["field"] = dict(zip("xyz", map(float, h[0])))
            elif np.all(h[:, 2] == h[0, 2]):
                out["field"] = float(h[0, 2])
            else:
                out["field"] = h[:, 2].tolist()
        if self.electron_field:
            out["electron_field"] = self.electron_field
        if self.potential is not None:
            out["potential"] = self.potential.tolist()
        return out

    def attributes(self):
        """:meth:`parameters` as HDF5-attribute values (what result files store
        as ``model_<key>``): a field, when present, as the ``(N, 3)`` array of
        ``(h_x, h_y, h_z)`` per local spin, eV.

        Examples
        --------
        >>> STTModel(Lx=10, N=2, field={"x": 0.1}).attributes()["field"]
        array([[0.1, 0. , 0. ],
               [0.1, 0. , 0. ]])
        """
        out = self.parameters()
        if "field" in out:
            out["field"] = self.field.copy()
        return out

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.parameters().items()
                         if k != "potential")
        if self.potential is not None:
            args += ", potential=<array>"
        return f"STTModel({args})"

    # -- operator building blocks ----------------------------------------------
    @cached_property
    def _local_ops(self):
        return spin_operators(self.S)

    def _embed_local(self, op, n):
        """``op`` acting on local spin ``n`` (0-based), on the local-spins space."""
        factors = [qutip.qeye(self.spin_dim)] * self.N
        factors[n] = op
        return qutip.tensor(factors).to("CSR")

    def _embed(self, orbital=None, electron=None, local=None):
        """Tensor an orbital, an electron-spin and a local-spins factor.

        ``None`` stands for the identity of that factor.
        """
        self._check_full_space()
        orbital = qutip.qeye(self.Lx) if orbital is None else orbital
        electron = qutip.qeye(2) if electron is None else electron
        local = (qutip.qeye([self.spin_dim] * self.N) if local is None
                 else local)
        return qutip.tensor(orbital, electron, local).to("CSR")

    def _check_spin_index(self, n):
        return check_int("n", n, minimum=1, maximum=self.N)

    def _check_site(self, i):
        return check_int("site", i, minimum=0, maximum=self.Lx - 1)

    # -- Hamiltonian pieces ------------------------------------------------------
    @cached_property
    def couplings(self):
        """Every spin-spin term of Eq. (3) as a :class:`Coupling`.

        The s-d exchange of each local spin with the electron on its site
        first, then the XXZ bonds. The one description of the model's spin
        terms: :attr:`hamiltonian` and the sector blocks of
        :func:`qutip_stt.model.sector_blocks.sector_hamiltonian` are both built from it
        (with the hopping ``gamma``).

        Examples
        --------
        >>> STTModel(Lx=10, N=2).couplings[-1]
        Coupling(a=1, b=2, Jxy=0.1, Jz=0.1005, site=None)
        """
        sd = [Coupling(0, n + 1, self.J_sd, self.J_sd, int(site))
              for n, site in enumerate(self.sites)]
        xxz = [Coupling(n, n + 1, self.J, self.Jz, None)
               for n in range(1, self.N)]
        return tuple(sd + xxz)

    @cached_property
    def fields(self):
        """Every Zeeman term as a :class:`Field`: the electron's first, then
        each local spin's (only the nonzero ones).

        With :attr:`couplings`, the one description of the spin terms.

        Examples
        --------
        >>> STTModel(Lx=10, N=2, field=[0.0, 0.02], electron_field=0.01).fields
        (Field(k=0, hx=0.0, hy=0.0, hz=0.01), Field(k=2, hx=0.0, hy=0.0, hz=0.02))
        """
        out = []
        if self.electron_field:
            out.append(Field(0, 0.0, 0.0, self.electron_field))
        for n, h in enumerate(self.field):
            if np.any(h):
                out.append(Field(n + 1, *map(float, h)))
        return tuple(out)

    @property
    def conserves_sz(self):
        """False when a transverse field breaks total-S^z conservation.

        Then the total-S^z sectors do not exist and only the full-space
        methods (``"sesolve"``, ``"crank-nicolson"``) apply.
        """
        return not any(f.transverse for f in self.fields)

    def _field_operator(self, f, electron=True):
        """Field ``f`` as a Qobj on electron spin (x) local spins (or on the
        local spins alone, ``electron=False``, for ``f.k >= 1``)."""
        if f.k == 0:
            op = -(f.hx * qutip.sigmax() + f.hy * qutip.sigmay()
                   + f.hz * qutip.sigmaz())
            return qutip.tensor(op, qutip.qeye([self.spin_dim] * self.N)
                                ).to("CSR")
        sx, sy, sz = self._local_ops
        op = self._embed_local(-(f.hx * sx + f.hy * sy + f.hz * sz), f.k - 1)
        return (qutip.tensor(qutip.qeye(2), op) if electron else op).to("CSR")

    def _coupling_operator(self, c, electron=True):
        """The spin part of coupling ``c`` as a Qobj, on electron spin (x)
        local spins (or on the local spins alone, ``electron=False``)."""
        paulis = (qutip.sigmax(), qutip.sigmay(), qutip.sigmaz())

        def factor(k, i):
            if k == 0:
                return paulis[i]
            return self._embed_local(self._local_ops[i], k - 1)

        def spin_space(k, i):
            if not electron:
                return factor(k, i)
            if k == 0:
                return qutip.tensor(factor(0, i),
                                    qutip.qeye([self.spin_dim] * self.N))
            return qutip.tensor(qutip.qeye(2), factor(k, i))

        out = 0
        for i, coeff in enumerate((c.Jxy, c.Jxy, c.Jz)):
            out = out - coeff * spin_space(c.a, i) * spin_space(c.b, i)
        return out.to("CSR")

    @cached_property
    def xxz_chain(self):
        """The XXZ Heisenberg chain alone, on the local-spins space (eV).

        ``-sum_n [J (Sx_n Sx_n+1 + Sy_n Sy_n+1) + Jz Sz_n Sz_n+1]`` with
        ``Sigma = 2 jmat(S)``, open boundaries; dims ``[[2S+1]*N, [2S+1]*N]``.
        For ``N = 1`` it is the zero operator. Without fields; the local
        spins' Hamiltonian with their Zeeman term is :attr:`local_hamiltonian`.
        J, Jz > 0 is ferromagnetic, < 0 antiferromagnetic.
        """
        dims = [self.spin_dim] * self.N
        H = qutip.qzero(dims).to("CSR")
        for c in self.couplings:
            if c.site is None:
                H = H + self._coupling_operator(c, electron=False)
        return H

    @cached_property
    def local_hamiltonian(self):
        """The local spins alone: :attr:`xxz_chain` plus their Zeeman term (eV).

        ``-sum_n [J (...) + Jz (...)] - sum_n h_n . Sigma_n`` on the
        local-spins space; what :func:`qutip_stt.model.spectrum.xxz_levels` and
        :func:`qutip_stt.states.xxz_ground_state` diagonalize. Equal to
        :attr:`xxz_chain` without a field.

        Examples
        --------
        >>> m = STTModel(Lx=10, N=1, field=0.05)
        >>> m.local_hamiltonian.full().real.diagonal()   # -h Sigma^z: up lower
        array([-0.05,  0.05])
        """
        H = self.xxz_chain
        for f in self.fields:
            if f.k >= 1:
                H = H + self._field_operator(f, electron=False)
        return H.to("CSR")

    @cached_property
    def hopping(self):
        """The tight-binding chain ``-gamma sum_<ij> |i><j|`` on the orbital space."""
        off = -self.gamma * np.ones(self.Lx - 1)
        return qutip.qdiags([off, off], [1, -1], dims=[[self.Lx], [self.Lx]]
                            ).to("CSR")

    @cached_property
    def sd_coupling(self):
        """``sigma_e . Sigma_n`` for every local spin n, on electron spin (x) local spins.

        A list of N operators; the s-d term of H is
        ``-J_sd sum_n projector(site_n) (x) sd_coupling[n]``.
        """
        return [-self._coupling_operator(Coupling(0, n + 1, 1.0, 1.0, None))
                for n in range(self.N)]

    @cached_property
    def H_tb(self):
        """Hopping term on the full space (eV)."""
        return self._embed(orbital=self.hopping)

    @cached_property
    def H_sd(self):
        """s-d exchange term on the full space (eV)."""
        self._check_full_space()
        H = 0
        for c in self.couplings:
            if c.site is not None:
                proj = qutip.projection(self.Lx, c.site, c.site)
                H = H + qutip.tensor(proj, self._coupling_operator(c))
        return H.to("CSR")

    @cached_property
    def H_xxz(self):
        """XXZ term on the full space (eV)."""
        return self._embed(local=self.xxz_chain)

    @cached_property
    def H_zeeman(self):
        """Zeeman term ``-sum_n h_n . Sigma_n - h_e sigma^z_e`` on the full
        space (eV), from :attr:`fields` (zero without fields)."""
        self._check_full_space()
        H = qutip.qzero([2] + [self.spin_dim] * self.N).to("CSR")
        for f in self.fields:
            H = H + self._field_operator(f)
        return qutip.tensor(qutip.qeye(self.Lx), H).to("CSR")

    @cached_property
    def H_potential(self):
        """Site potential ``sum_x V_x |x><x| (x) 1`` on the full space (eV),
        from :attr:`potential` (zero without one)."""
        V = np.zeros(self.Lx) if self.potential is None else self.potential
        return self._embed(orbital=qutip.qdiags(V, 0, dims=[[self.Lx],
                                                            [self.Lx]]))

    @cached_property
    def hamiltonian(self):
        """The full Hamiltonian (Eq. 3 plus fields and potential), a sparse
        (CSR) ``Qobj`` in eV."""
        H = self.H_tb + self.H_sd + self.H_xxz
        if self.fields:
            H = H + self.H_zeeman
        if self.potential is not None:
            H = H + self.H_potential
        return H.to("CSR")

    @property
    def hamiltonian_fs(self):
        """``H / hbar`` in rad/fs: hand it to QuTiP's solvers with times in fs.

        :func:`qutip.sesolve`, :func:`qutip.mesolve` and :func:`qutip.mcsolve`
        integrate ``d psi/dt = -i H psi`` in the units of ``tlist``; with
        this operator and ``tlist`` in femtoseconds they run in the package's
        units (``model.hamiltonian`` is in eV).

        Examples
        --------
        >>> import qutip
        >>> from qutip_stt import STTModel, initial_state
        >>> model = STTModel(Lx=40, N=2)
        >>> res = qutip.sesolve(model.hamiltonian_fs, initial_state(model, x0=10),
        ...                     [0.0, 5.0], e_ops=[model.total_sz])
        >>> round(float(res.expect[0][-1]), 8)           # conserved: 1 - 1 + 1
        1.0
        """
        return self.hamiltonian / HBAR_EV_FS

    # -- observables on the full space -----------------------------------------
    @cached_property
    def electron_spin(self):
        """``[sigma_x, sigma_y, sigma_z]`` of the electron on the full space."""
        return [self._embed(electron=p)
                for p in (qutip.sigmax(), qutip.sigmay(), qutip.sigmaz())]

    def local_spin(self, n):
        """``[Sigma_x, Sigma_y, Sigma_z]`` of local spin ``n`` (1-based), full space.

        Units of hbar/2: ``Sigma = 2 jmat(S)``.
        """
        n = self._check_spin_index(n)
        return [self._embed(local=self._embed_local(op, n - 1))
                for op in self._local_ops]

    @cached_property
    def total_sz(self):
        """Total ``sigma^z_e + sum_n Sigma^z_n`` (units hbar/2); commutes with H."""
        sz = self._embed(electron=qutip.sigmaz())
        for n in range(self.N):
            sz = sz + self._embed(local=self._embed_local(self._local_ops[2], n))
        return sz.to("CSR")

    @cached_property
    def position(self):
        """Orbital position operator ``sum_i i |i><i|`` (site index) on the full space."""
        return self._embed(orbital=qutip.qdiags(
            np.arange(self.Lx, dtype=float), 0, dims=[[self.Lx], [self.Lx]]))

    def site_projector(self, i):
        """``|i><i|`` on the orbital factor, identity on the spins, full space."""
        i = self._check_site(i)
        return self._embed(orbital=qutip.projection(self.Lx, i, i))

    # -- spin configurations ---------------------------------------------------
    @cached_property
    def spin_configurations(self):
        """The m quantum numbers of every basis state of electron spin (x) local spins.

        Array of shape ``(2 (2S+1)^N, N+1)``: column 0 is the electron's
        ``+-1/2``, then each local spin's ``m``; rows follow QuTiP's basis
        order (``m = S`` first), so row ``c`` is basis state ``c`` of
        ``ptrace`` over the orbital factor.
        """
        return spin_grid([0.5] + [self.S] * self.N)

    @cached_property
    def spin_configuration_labels(self):
        """Labels like ``"↓;↑↑↑↑↑"`` (spin-1/2) or ``"↑;3/2"`` for each configuration."""
        return configuration_labels(self.spin_configurations, self.S)

    @cached_property
    def sector_labels(self):
        """Total ``S^z`` (units of hbar, ``m_e + sum m_n``) of each spin configuration."""
        return self.spin_configurations.sum(axis=1)
