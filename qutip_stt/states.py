r"""Initial states: the Eq. (4) wave packet, spinors and local-spin states.

The many-body state at ``t = 0`` is the product (Eq. 4)

.. math::

    \langle x|\Psi(0)\rangle = C e^{i k x - \delta k^2 (x - x_0)^2 / 4}
        \otimes \chi_e \otimes \chi_1 \otimes \dots \otimes \chi_N,

assembled with :func:`qutip.tensor` in the model's tensor order.
"""

import math
import numbers

import numpy as np
import qutip

from .errors import ConfigError, ConfigTypeError
from .validation import check_ket, check_real, spin_label

__all__ = ["wave_packet", "spin_state", "spinor", "spin_coherent",
           "parse_direction",
           "local_spins_state", "initial_state", "DIRECTIONS", "neel_state",
           "xxz_ground_state", "random_product_state", "local_state",
           "LOCAL_STATES"]

#: Named many-spin initial states of the local spins (``[local_spins] state``).
LOCAL_STATES = {
    "product": "every spin along local_spins.direction",
    "neel": "spin 1 along direction, then alternately opposite and along it",
    "ground": "ground state of the XXZ chain, in the total-S^z sector "
              "local_spins.sector or the lowest overall",
    "random": "product of spin-coherent states with directions uniform on the "
              "sphere, drawn with local_spins.seed",
}

#: Named Bloch directions as (theta, phi) in degrees.
DIRECTIONS = {
    "+z": (0.0, 0.0), "-z": (180.0, 0.0),
    "+x": (90.0, 0.0), "-x": (90.0, 180.0),
    "+y": (90.0, 90.0), "-y": (90.0, 270.0),
}


def wave_packet(Lx, k=0.1, dk=0.2, x0=160.0):
    r"""The Gaussian packet of Eq. (4) on a chain of ``Lx`` sites, normalised.

    ``psi(x) = C exp(i k x - dk^2 (x - x0)^2 / 4)`` for ``x = 0 .. Lx-1``.

    Parameters
    ----------
    Lx : int
        Number of sites.
    k : float, default: 0.1
        Mean wave number ``k_x a`` (sites^-1); the packet moves right for
        ``0 < k < pi``.
    dk : float, default: 0.2
        Momentum width ``delta k_x a``, > 0. The probability density has
        standard deviation ``1/dk`` sites.
    x0 : float, default: 160
        Centre, site index (may be fractional), within ``[0, Lx-1]``.

    Returns
    -------
    qutip.Qobj
        Ket of dimension ``Lx``.

    Examples
    --------
    >>> psi = wave_packet(400)
    >>> abs(psi.norm() - 1) < 1e-14
    True
    """
    k = check_real("k", k)
    dk = check_real("dk", dk, minimum=0, strict_minimum=True)
    x0 = check_real("x0", x0, minimum=0, maximum=Lx - 1)
    x = np.arange(Lx, dtype=float)
    amp = np.exp(1j * k * x - dk ** 2 * (x - x0) ** 2 / 4)
    norm = np.linalg.norm(amp)
    if norm == 0 or not np.isfinite(norm):
        raise ConfigError("dk", f"the packet vanishes on the chain (dk={dk})")
    return qutip.Qobj(amp / norm, dims=[[Lx], [1]])


def parse_direction(direction, key="direction"):
    """Return ``(theta, phi)`` in degrees for a named direction or a dict.

    Accepts ``"+z" "-z" "+x" "-x" "+y" "-y"`` or a mapping
    ``{"theta": 60, "phi": 30}`` (degrees, ``phi`` optional). A pair of
    numbers is *not* read as angles (``(0, 1)`` is the spinor "down"
    everywhere in the package: see :func:`spin_state`).

    Parameters
    ----------
    direction : str or dict
        The direction.
    key : str, default: "direction"
        Name used in error messages (the config key).

    Returns
    -------
    (float, float)
        Polar and azimuthal angles in degrees.

    Examples
    --------
    >>> parse_direction("-x"), parse_direction({"theta": 60})
    ((90.0, 180.0), (60.0, 0.0))
    """
    if isinstance(direction, str):
        if direction not in DIRECTIONS:
            raise ConfigError(key, f"expected one of {', '.join(DIRECTIONS)} "
                              f"or {{theta, phi}} in degrees, got {direction!r}")
        return DIRECTIONS[direction]
    if isinstance(direction, dict):
        unknown = set(direction) - {"theta", "phi"}
        if unknown:
            raise ConfigError(f"{key}.{sorted(unknown)[0]}",
                              "unknown key; allowed: theta, phi (degrees)")
        if "theta" not in direction:
            raise ConfigError(f"{key}.theta", "missing; a polar angle in "
                              "degrees from 0 to 180 is required")
        theta = check_real(f"{key}.theta", direction["theta"], 0, 180)
        phi = check_real(f"{key}.phi", direction.get("phi", 0.0), -360, 360)
        return theta, phi
    raise ConfigTypeError(key, "expected one of " + ", ".join(DIRECTIONS)
                          + f" or {{theta, phi}} in degrees, got {direction!r}")


def spin_state(S, value, key="direction"):
    """One spin-``S`` ket from any of the forms the package accepts.

    * a direction: ``"+z" "-z" "+x" "-x" "+y" "-y"`` or a mapping
      ``{"theta": 60, "phi": 30}`` in degrees (a spin coherent state,
      :func:`spin_coherent`);
    * the ``2S+1`` components of a ket, as a sequence or array in QuTiP's
      basis order (``m = S`` first), or a ``qutip.Qobj`` ket: normalised.
      So ``(0, 1)`` is spin down, as the paper writes ``chi_e = (0, 1)``.

    Parameters
    ----------
    S : float
        Spin size.
    value : str, dict, sequence, numpy.ndarray or qutip.Qobj
    key : str, default: "direction"
        Name used in error messages.

    Returns
    -------
    qutip.Qobj
        Normalised ket of dimension ``2S+1``.

    Examples
    --------
    >>> spin_state(0.5, [0, 1]).full().ravel().real
    array([0., 1.])
    >>> spin_state(0.5, {"theta": 90}).full().ravel().real.round(4)
    array([0.7071, 0.7071])
    """
    d = int(round(2 * S)) + 1
    if isinstance(value, qutip.Qobj):
        return check_ket(key, value, [d], normalize=True)
    if isinstance(value, (str, dict)):
        return spin_coherent(S, value, key)
    if _is_number_sequence(value):
        vec = np.asarray(value, dtype=complex).ravel()
        if vec.size != d:
            raise ConfigError(key, f"a ket of a spin {spin_label(S)} has "
                              f"{d} components, got {vec.size}; for angles "
                              f"write {{\"theta\": ..., \"phi\": ...}} in "
                              f"degrees")
        return check_ket(key, qutip.Qobj(vec.reshape(d, 1)), [d],
                         normalize=True)
    raise ConfigTypeError(key, "expected one of " + ", ".join(DIRECTIONS)
                          + ", {theta, phi} in degrees, or the "
                          f"{d} components of a ket, got {value!r}")


def _is_number_sequence(value):
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iufc"
    return (isinstance(value, (list, tuple)) and len(value) > 0 and all(
        isinstance(a, numbers.Number) and not isinstance(a, bool)
        for a in value))


def spinor(direction="-z"):
    """Spin-1/2 state along a Bloch direction: ``(cos(theta/2), e^{i phi} sin(theta/2))``.

    Parameters
    ----------
    direction : str, dict, sequence or qutip.Qobj
        See :func:`spin_state`; ``"-z"`` is ``theta = 180``,
        ``"+x"`` is ``theta = 90, phi = 0``, ``(0, 1)`` is down.

    Returns
    -------
    qutip.Qobj
        Two-component ket in QuTiP's basis order (``basis(2, 0)`` is up).

    Examples
    --------
    >>> spinor("+x").full().ravel().round(4)
    array([0.7071+0.j, 0.7071+0.j])
    """
    return spin_state(0.5, direction, "electron.spin")


def spin_coherent(S, direction="+z", key="direction"):
    """Spin-``S`` coherent state pointing along a Bloch direction.

    The state ``exp(-i phi J_z) exp(-i theta J_y) |m = S>``, whose
    expectation value of ``Sigma = 2 J`` is ``2S (sin th cos ph, sin th sin ph, cos th)``.
    Built with :func:`qutip.spin_coherent`.

    Parameters
    ----------
    S : float
        Spin size, a positive half-integer.
    direction : str, dict or tuple, default: "+z"
        See :func:`parse_direction`.
    key : str, default: "direction"
        Name used in error messages.

    Returns
    -------
    qutip.Qobj
        Ket of dimension ``2S+1`` in QuTiP's basis order (``m = S`` first).

    Examples
    --------
    >>> from qutip_stt import spin_operators
    >>> psi = spin_coherent(2.5, {"theta": 90, "phi": 0})
    >>> [round(abs(qutip.expect(op, psi)), 6) for op in spin_operators(2.5)]
    [5.0, 0.0, 0.0]
    """
    theta, phi = parse_direction(direction, key)
    if theta == 0.0:
        return qutip.basis(int(round(2 * S)) + 1, 0)
    if theta == 180.0 and phi == 0.0:
        return qutip.basis(int(round(2 * S)) + 1, int(round(2 * S)))
    return qutip.spin_coherent(S, math.radians(theta), math.radians(phi))


def local_spins_state(model, direction="+z"):
    """Product state of the ``N`` local spins, or a check of a user state.

    Parameters
    ----------
    model : STTModel
    direction : str, dict, sequence, list or qutip.Qobj
        One spin state for every spin (any form of :func:`spin_state`: a
        direction, or the ``2S+1`` components of a ket), a list of ``N``
        such states (one per spin), or a ket on the whole local-spins space
        (for example an XXZ ground state from
        :func:`qutip_stt.spectrum.xxz_levels`).

    Returns
    -------
    qutip.Qobj
        Normalised ket on the local-spins space, dims ``[[2S+1]*N, [1]]``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> local_spins_state(STTModel(Lx=40, N=2), ["+z", {"theta": 90}]).dims
    [[2, 2], [1]]
    """
    dims = [model.spin_dim] * model.N
    if isinstance(direction, qutip.Qobj):
        return _check_ket("local_spins", direction, dims)
    if isinstance(direction, (list, tuple)) and not _is_number_sequence(
            direction):
        if len(direction) != model.N:
            raise ConfigError("local_spins.direction",
                              f"a list must have one entry per local spin "
                              f"(N = {model.N}), got {len(direction)}")
        factors = [spin_state(model.S, d, f"local_spins.direction[{n}]")
                   for n, d in enumerate(direction)]
    else:
        one = spin_state(model.S, direction, "local_spins.direction")
        factors = [one] * model.N
    return qutip.tensor(factors)


def _opposite(direction, key):
    theta, phi = parse_direction(direction, key)
    if theta in (0.0, 180.0):      # a pole: phi means nothing, keep |m = -+S>
        return {"theta": 180.0 - theta, "phi": 0.0}
    return {"theta": 180.0 - theta, "phi": (phi + 180.0) % 360.0}


def neel_state(model, direction="+z"):
    """Néel state: spin 1 along ``direction``, spin 2 opposite, and so on.

    Parameters
    ----------
    model : STTModel
    direction : str or dict, default: "+z"
        See :func:`parse_direction`; the opposite of ``(theta, phi)`` is
        ``(180 - theta, phi + 180)``.

    Returns
    -------
    qutip.Qobj
        Product ket on the local-spins space.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> psi = neel_state(STTModel(Lx=10, N=3))
    >>> int(abs(psi.full()).argmax())          # |up, down, up> = basis 0b010
    2
    """
    up = spin_coherent(model.S, direction, "local_spins.direction")
    down = spin_coherent(model.S, _opposite(direction, "local_spins.direction"),
                         "local_spins.direction")
    return qutip.tensor([up if n % 2 == 0 else down for n in range(model.N)])


def random_product_state(model, seed=None):
    """Product of spin-coherent states along random directions (uniform on the sphere).

    Parameters
    ----------
    model : STTModel
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same
        state.

    Returns
    -------
    qutip.Qobj
        Product ket on the local-spins space.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> model = STTModel(Lx=10, N=3)
    >>> (random_product_state(model, 7) - random_product_state(model, 7)).norm()
    0.0
    """
    rng = np.random.default_rng(seed)
    theta = np.degrees(np.arccos(rng.uniform(-1.0, 1.0, model.N)))
    phi = rng.uniform(0.0, 360.0, model.N)
    return qutip.tensor([spin_coherent(model.S, {"theta": t, "phi": p})
                         for t, p in zip(theta, phi)])


def xxz_ground_state(model, sector=None, return_energy=False):
    """Ground state of the local spins' Hamiltonian (``model.local_hamiltonian``).

    The XXZ chain plus the local spins' Zeeman term (model ``field``): with
    ``J = Jz < 0`` (antiferromagnetic) and ``N = 2`` the singlet. A
    transverse field mixes the ``S^z`` sectors: then ``sector`` must be None
    and the ground state of the whole space is returned.

    Parameters
    ----------
    model : STTModel
    sector : float, optional
        Total ``S^z`` of the local spins, units of hbar (``N S``, ``N S - 1``,
        ..., ``-N S``). Default: the lowest state overall; when the lowest
        level is degenerate between sectors (the ferromagnetic chain's
        ``m = +-N S``), the sector of largest ``m`` is taken.
    return_energy : bool, default: False
        Also return its energy (eV).

    Returns
    -------
    qutip.Qobj
        Ket on the local-spins space, of definite total ``S^z``.
    float
        The energy, eV (only with ``return_energy``).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> model = STTModel(Lx=10, N=5)
    >>> [round(xxz_ground_state(model, m, return_energy=True)[1], 6)
    ...  for m in (2.5, 1.5, 0.5)]
    [-0.402, -0.400401, -0.399603]
    """
    from .spectrum import _lowest_of_block

    mz = model.spin_configurations[: model.spin_dim ** model.N, 1:].sum(axis=1)
    if not model.conserves_sz:
        if sector is not None:
            raise ConfigError("local_spins.sector", "a transverse field mixes "
                              "the S^z sectors: leave sector \"lowest\"")
        mz = np.zeros_like(mz)
    values = np.unique(mz)[::-1]
    if sector is None:
        chosen = values
    else:
        m = check_real("local_spins.sector", sector)
        if not np.any(np.isclose(values, m)):
            raise ConfigError("local_spins.sector", "expected the total S^z of "
                              "the local spins, one of " + ", ".join(
                                  f"{v:g}" for v in values) + f", got {sector!r}")
        chosen = values[np.isclose(values, m)]
    H = model.local_hamiltonian.data_as("csr_matrix")
    best = None
    for m in chosen:
        idx = np.flatnonzero(np.isclose(mz, m))
        vals, vecs = _lowest_of_block(H[idx][:, idx], 1, vectors=True)
        if best is None or vals[0] < best[0] - 1e-12:
            best = (float(vals[0]), idx, vecs[:, 0])
    energy, idx, vec = best
    full = np.zeros(model.spin_dim ** model.N, dtype=complex)
    full[idx] = vec
    # a fixed global phase: the largest amplitude real and positive
    k = np.argmax(np.abs(full))
    full *= abs(full[k]) / full[k]
    psi = qutip.Qobj(full, dims=[[model.spin_dim] * model.N, [1] * model.N])
    return (psi, energy) if return_energy else psi


def local_state(model, state="product", direction="+z", sector=None,
                seed=None):
    """Initial ket of the local spins from the ``[local_spins]`` keys.

    Parameters
    ----------
    model : STTModel
    state : str, list or qutip.Qobj, default: "product"
        A name of :data:`LOCAL_STATES`, a list of ``N`` spin states (one per
        spin, forms of :func:`spin_state`), or a ket.
    direction : str or dict, default: "+z"
        Direction of the product state, and of spin 1 of the Néel state.
    sector : float, optional
        Total S^z (hbar) of the ground state; default the lowest overall.
    seed : int, optional
        Seed of the random product state.

    Returns
    -------
    qutip.Qobj
        Ket on the local-spins space.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> local_state(STTModel(Lx=10, N=2), "neel").full().ravel().real
    array([0., 1., 0., 0.])
    >>> local_state(STTModel(Lx=10, N=2), "afm")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: local_spins.state: unknown state 'afm'; expected one of product, neel, ground, random, a list of one direction per spin, or a ket
    """
    if isinstance(state, (list, tuple, qutip.Qobj)):
        if isinstance(state, tuple):
            state = list(state)
        return local_spins_state(model, state)
    if state == "product":
        return local_spins_state(model, direction)
    if state == "neel":
        return neel_state(model, direction)
    if state == "ground":
        return xxz_ground_state(model, sector)
    if state == "random":
        return random_product_state(model, seed)
    raise ConfigError("local_spins.state", f"unknown state {state!r}; expected "
                      "one of " + ", ".join(LOCAL_STATES) + ", a list of one "
                      "direction per spin, or a ket")


def initial_state(model, k=0.1, dk=0.2, x0=160.0, electron="-z",
                  local="+z"):
    """The separable many-body state of Eq. (4) on the model's Hilbert space.

    Parameters
    ----------
    model : STTModel
    k, dk, x0 : float
        Wave packet, see :func:`wave_packet`.
    electron : str, dict, sequence or qutip.Qobj
        Electron spin: a direction (``"-z"``, ``{"theta": 60, "phi": 30}``)
        or a spinor (``(0, 1)`` is down, as the paper's ``chi_e``); see
        :func:`spin_state`.
    local : str, dict, sequence, list or qutip.Qobj
        Local spins, see :func:`local_spins_state`.

    Returns
    -------
    qutip.Qobj
        Ket with dims ``[[Lx, 2, 2S+1, ..., 2S+1], [1]]``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> psi0 = initial_state(STTModel(Lx=60, N=2), x0=20)
    >>> psi0.dims
    [[60, 2, 2, 2], [1]]
    """
    orbital = wave_packet(model.Lx, k, dk, x0)
    chi = spin_state(0.5, electron, "electron.spin")
    return qutip.tensor(orbital, chi, local_spins_state(model, local))


def _check_ket(key, state, dims):
    return check_ket(key, state, dims, normalize=True)


#: Chain modes whose amplitude is below this fraction of the largest are
#: left out of :func:`reflection_times` (densities change by < 1e-12).
MODE_CUTOFF = 1e-13


def reflection_times(Lx, k=0.1, dk=0.2, x0=160.0, gamma=1.0, sites=None,
                     t_max=500.0, edge_probability=0.01, tolerance=1e-3, *,
                     orbitals=None):
    """When the free packet reaches the chain ends, and when their echo matters.

    The orbital packet is propagated exactly on the chain of ``Lx`` sites
    and, for comparison, on a chain three times longer with the same packet
    in its middle third, where the ends are out of reach. Both are open
    hopping chains, whose eigenvectors are known in closed form,
    ``v_n(j) = sqrt(2/(L+1)) sin(pi n (j+1)/(L+1))`` with energies
    ``-2 gamma cos(pi n/(L+1))``: the packet enters the eigenbasis with one
    fast sine transform (:func:`scipy.fft.dst`, type I) and only the
    densities on the end and local-spin sites are evaluated at each step.
    Memory is O(Lx) (no dense eigenvector matrix); the steps stop as soon as
    both times are known, or when the packet reaches the ends of the longer
    chain (after which no echo can be told apart).

    Parameters
    ----------
    Lx, k, dk, x0, gamma
        Chain and packet, as in :func:`wave_packet` (``gamma`` in eV).
    sites : array_like of int, optional
        Sites of the local spins; default the middle site.
    t_max : float
        Last time to look at, fs.
    edge_probability : float, default: 0.01
        Probability within 10 sites of an end that counts as "reached".
    tolerance : float, default: 1e-3
        Change of the density summed over ``sites`` that counts as the echo
        "mattering".
    orbitals : numpy.ndarray, optional
        ``(Lx, r)`` orbital amplitudes whose densities add up to the
        electron's (its Schmidt components, as
        :func:`qutip_stt.solvers.check_reflections` passes them); replaces
        the packet ``k, dk, x0``.

    Returns
    -------
    (float or None, float or None)
        ``t_edge``: first time (fs; 1 fs resolution, or ``t_max / 20000`` for
        longer runs) the packet has ``edge_probability`` within 10 sites of
        an end; ``t_echo``: first time the density on the local-spin sites
        differs from the infinite-chain one by ``tolerance``. ``None`` when
        it does not happen by ``t_max``.

    Examples
    --------
    >>> reflection_times(400, x0=160, t_max=50)       # too short to reach an end
    (None, None)
    >>> reflection_times(400, x0=160, sites=range(198, 203))   # the paper's
    (248.0, 327.0)
    """
    import scipy.fft

    from .constants import HBAR_EV_FS

    Lx = int(Lx)
    t_max = float(t_max)
    sites = np.array([Lx // 2] if sites is None else sites, dtype=int)
    if orbitals is None:
        x = np.arange(Lx, dtype=float)
        amp = np.exp(1j * k * x - dk ** 2 * (x - x0) ** 2 / 4)
        orbitals = (amp / np.linalg.norm(amp))[:, None]
    orbitals = np.asarray(orbitals, dtype=complex).reshape(Lx, -1)
    orbitals = orbitals / np.sqrt(np.sum(np.abs(orbitals) ** 2))
    ends = np.r_[0:10, Lx - 10:Lx] if Lx > 20 else np.arange(Lx)

    def chain(length, offset, rows):
        """Energies, eigencomponents of the packet and eigenvectors on
        ``rows`` (``(length, rows)``: mode by row)."""
        amp = np.zeros((length, orbitals.shape[1]), dtype=complex)
        amp[offset:offset + Lx] = orbitals
        n = np.arange(1, length + 1)
        energies = -2.0 * gamma * np.cos(np.pi * n / (length + 1))
        coeffs = scipy.fft.dst(amp, type=1, axis=0, norm="ortho")
        # a packet fills a narrow band of modes: the others (amplitude below
        # 1e-13 of the largest, so densities change by < 1e-12) are dropped
        weight = np.abs(coeffs).max(axis=1)
        used = np.flatnonzero(weight > MODE_CUTOFF * weight.max())
        n = n[used]
        vectors = np.sqrt(2.0 / (length + 1)) * np.sin(
            np.pi * np.outer(n, np.asarray(rows) + 1) / (length + 1))
        return energies[used] / HBAR_EV_FS, coeffs[used], vectors

    def densities(model, times):
        """Density on the chain's rows at each time: (len(times), rows)."""
        w, c, v = model
        # exp(-i w t) on the equally spaced times by repeated multiplication
        # (a cumulative product: ~10x cheaper than exp, error ~1e-14 here)
        phases = np.empty((times.size, w.size), dtype=complex)
        phases[0] = np.exp(-1j * times[0] * w)
        phases[1:] = np.exp(-1j * step * w)
        np.cumprod(phases, axis=0, out=phases)
        # real matrix products (numpy multiplies complex by real without
        # BLAS): the real and imaginary parts of all times at once
        out = 0.0
        for j in range(c.shape[1]):
            amp = phases * c[:, j]
            parts = np.concatenate([amp.real, amp.imag]) @ v
            out = out + parts[:times.size] ** 2 + parts[times.size:] ** 2
        return out

    far = np.r_[0:10, 3 * Lx - 10:3 * Lx]
    finite = chain(Lx, 0, np.r_[ends, sites])
    infinite = chain(3 * Lx, Lx, np.r_[sites + Lx, far])
    step = max(1.0, t_max / 20_000)
    n_steps = int(np.floor(t_max / step + 1e-9)) + 1
    largest = max(1, 2 ** 20 // (3 * Lx))     # at most ~16 MiB of phases
    t_edge = t_echo = None
    first, batch = 0, min(64, largest)
    while first < n_steps:
        times = step * np.arange(first, min(first + batch, n_steps))
        first, batch = first + batch, min(2 * batch, largest)
        fin = densities(finite, times)
        inf = densities(infinite, times)
        edge = fin[:, :ends.size].sum(axis=1) >= edge_probability
        echo = np.abs(fin[:, ends.size:] - inf[:, :sites.size]).sum(
            axis=1) >= tolerance
        if t_edge is None and edge.any():
            t_edge = float(times[np.argmax(edge)])
        if t_echo is None and echo.any():
            t_echo = float(times[np.argmax(echo)])
        if t_edge is not None and t_echo is not None:
            break
        if np.any(inf[:, sites.size:].sum(axis=1) >= edge_probability):
            break           # the reference chain's own ends are reached
    return t_edge, t_echo
