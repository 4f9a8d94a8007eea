"""Initial kets of the ``N`` local spins: product, Néel, random, XXZ ground state.

One job: the state of the local spins at ``t = 0`` from the
``[local_spins]`` keys (:func:`local_state`, named states in
:data:`LOCAL_STATES`), or a check of a ket or list of spin states given in
Python (:func:`local_spins_state`). Single-spin kets come from
:mod:`qutip_stt.states.spin`; :func:`qutip_stt.states.initial_state` puts
the local spins' ket next to the electron's.
"""

import numpy as np

from .._util.lazy import lazy_module
from ..errors import ConfigError
from .forms import LOCAL_STATES, is_number_sequence, opposite_direction
from .spin import spin_coherent, spin_state
from .._util.resources import VECTOR_BYTES, check_allocation
from .._util.validation import check_ket, check_real

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["LOCAL_STATES", "local_spins_state", "neel_state",
           "random_product_state", "xxz_ground_state", "local_state",
           "local_factors"]


def _tensor(model, factors):
    """``qutip.tensor`` of the one-spin kets, after checking its memory
    (the ket and QuTiP's intermediate products)."""
    check_allocation("N", 3 * model.spin_dim ** model.N * VECTOR_BYTES,
                     f"the local spins' ket of dimension "
                     f"{model.spin_dim ** model.N:,}",
                     "start the local spins along +z or -z with a model of "
                     "full_space=False (a SectorState), or reduce N")
    return qutip.tensor(factors)


def _factors(model, direction):
    """The ``N`` one-spin kets of :func:`local_spins_state`'s direction(s)."""
    if isinstance(direction, (list, tuple)) and not is_number_sequence(
            direction):
        if len(direction) != model.N:
            raise ConfigError("local_spins.direction",
                              f"a list must have one entry per local spin "
                              f"(N = {model.N}), got {len(direction)}")
        return [spin_state(model.S, d, f"local_spins.direction[{n}]")
                for n, d in enumerate(direction)]
    return [spin_state(model.S, direction, "local_spins.direction")] * model.N


def local_factors(model, state="product", direction="+z", seed=None):
    """The one-spin kets of a product start of the local spins (None if it is not one).

    What :func:`local_state` multiplies, for the routes that never form the
    local spins' ket (a :class:`~qutip_stt.states.sector_state.SectorState`).

    Parameters
    ----------
    model : STTModel
    state, direction, seed
        As :func:`local_state`; ``state`` may also be a list of ``N``
        one-spin states.

    Returns
    -------
    list of qutip.Qobj or None
        ``N`` kets of dimension ``2S+1``; None for the XXZ ground state or a
        ket of all the local spins (not products).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> [int(abs(f.full()).argmax()) for f in local_factors(STTModel(Lx=10, N=3), "neel")]
    [0, 1, 0]
    """
    if isinstance(state, qutip.Qobj) or (isinstance(state, str)
                                        and state == "ground"):
        return None
    if isinstance(state, (list, tuple)):
        return _factors(model, list(state))
    if state == "product":
        return _factors(model, direction)
    if state == "neel":
        up = spin_coherent(model.S, direction, "local_spins.direction")
        down = spin_coherent(model.S, opposite_direction(
            direction, "local_spins.direction"), "local_spins.direction")
        return [up if n % 2 == 0 else down for n in range(model.N)]
    if state == "random":
        rng = np.random.default_rng(seed)
        theta = np.degrees(np.arccos(rng.uniform(-1.0, 1.0, model.N)))
        phi = rng.uniform(0.0, 360.0, model.N)
        return [spin_coherent(model.S, {"theta": t, "phi": p})
                for t, p in zip(theta, phi)]
    raise ConfigError("local_spins.state", f"unknown state {state!r}; expected "
                      "one of " + ", ".join(LOCAL_STATES) + ", a list of one "
                      "direction per spin, or a ket")




def local_spins_state(model, direction="+z"):
    """Product state of the ``N`` local spins, or a check of a user state.

    Parameters
    ----------
    model : STTModel
    direction : str, dict, sequence, list or qutip.Qobj
        One spin state for every spin (any form of
        :func:`~qutip_stt.states.spin.spin_state`: a direction, or the
        ``2S+1`` components of a ket), a list of ``N`` such states (one per
        spin), or a ket on the whole local-spins space
        (for example an XXZ ground state from
        :func:`qutip_stt.model.spectrum.xxz_levels`).

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
    return _tensor(model, _factors(model, direction))


def neel_state(model, direction="+z"):
    """Néel state: spin 1 along ``direction``, spin 2 opposite, and so on.

    Parameters
    ----------
    model : STTModel
    direction : str or dict, default: "+z"
        See :func:`~qutip_stt.states.forms.parse_direction`; the opposite
        of ``(theta, phi)`` is ``(180 - theta, phi + 180)``.

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
    return _tensor(model, local_factors(model, "neel", direction))


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
    return _tensor(model, local_factors(model, "random", seed=seed))


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
    from ..model.spectrum import lowest_eigenpairs

    # the configurations of electron and local spins (N + 1 floats each)
    check_allocation("N", 2 * (model.N + 2) * 8 * model.spin_space_dimension,
                     "the XXZ ground state's configurations", "reduce N")
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
        vals, vecs = lowest_eigenpairs(H[idx][:, idx], 1, vectors=True)
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
        spin, forms of :func:`~qutip_stt.states.spin.spin_state`), or a
        ket.
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
    if isinstance(state, qutip.Qobj):
        return local_spins_state(model, state)
    if isinstance(state, str) and state == "ground":
        return xxz_ground_state(model, sector)
    return _tensor(model, local_factors(model, state, direction, seed))


def _check_ket(key, state, dims):
    return check_ket(key, state, dims, normalize=True)
