r"""Total-S^z sectors: the basis in which H is block diagonal.

``[H, S^z_tot] = 0`` (Eq. 3 conserves ``m = m_e + sum_n m_n``), so the full
basis splits into sectors of fixed total ``m``. The full basis index of
orbital site ``x`` and spin configuration ``c`` is ``x * D + c`` with
``D = 2 (2S+1)^N`` (the model's tensor order); a sector keeps the spin
configurations ``c`` with total ``m`` on every site, so a ket's piece in
sector ``m`` is an ``(Lx, n_m)`` amplitude matrix.

This module holds the bookkeeping: which sectors exist
(:func:`sector_values`), their basis indices (:func:`sector_indices`) and
spin configurations (:func:`sector_configurations`), and the split of a ket
into pieces and back (:func:`decompose`, :func:`reassemble`,
:func:`amplitude_matrix`, :func:`compact_amplitudes`). The blocks of H on a
sector are :mod:`qutip_stt.model.sector_blocks`, their spectral bounds
:mod:`qutip_stt.model.bounds`. Propagating the pieces is
:mod:`qutip_stt.solvers.sector_route`; reducing them to observables is
:func:`qutip_stt.measures.reducer.reduce_amplitudes`.
"""

import numpy as np

from .._util.lazy import lazy_module
from .._util.validation import check_ket, spin_label

qutip = lazy_module("qutip")   # imported when a Qobj is built

__all__ = ["sector_values", "sector_indices", "decompose", "reassemble",
           "amplitude_matrix", "compact_amplitudes", "sector_configurations",
           "lowering_rows", "spin_grid", "configuration_labels",
           "sector_size"]


def spin_grid(sizes):
    """The m quantum numbers of every basis state of spins of the given sizes.

    Parameters
    ----------
    sizes : sequence of float
        The spin of each factor, in tensor order.

    Returns
    -------
    numpy.ndarray
        ``(prod(2 s + 1), len(sizes))``: row ``c`` holds each factor's ``m``
        in basis state ``c``, in QuTiP's basis order (``m = s`` first).

    Examples
    --------
    >>> spin_grid([0.5, 1.0]).tolist()
    [[0.5, 1.0], [0.5, 0.0], [0.5, -1.0], [-0.5, 1.0], [-0.5, 0.0], [-0.5, -1.0]]
    """
    levels = [s - np.arange(int(round(2 * s)) + 1) for s in sizes]
    grids = np.meshgrid(*levels, indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1)


def configuration_labels(configurations, S, electron=True):
    """Labels of spin configurations: ``"↓;↑↑↑↑↑"`` (spin-1/2), ``"↑;3/2"``.

    Parameters
    ----------
    configurations : numpy.ndarray
        ``(M, n)`` m quantum numbers, as :func:`spin_grid` gives.
    S : float
        The local spins' size (arrows for 1/2, numbers otherwise).
    electron : bool, default: True
        Column 0 is the electron spin, written before a ``;``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> configuration_labels(spin_grid([0.5, 1.5]), 1.5)[:2]
    ['↑;3/2', '↑;1/2']
    >>> configuration_labels(spin_grid([0.5, 0.5]), 0.5, electron=False)
    ['↑↑', '↑↓', '↓↑', '↓↓']
    """
    out = []
    for row in configurations:
        local = row[1:] if electron else row
        if S == 0.5:
            text = "".join("↑" if m > 0 else "↓" for m in local)
        else:
            text = ",".join(spin_label(m) for m in local)
        out.append(("↑;" if row[0] > 0 else "↓;") + text if electron
                   else text)
    return out


def sector_values(model):
    """The total-S^z values (units of hbar) present in the model, highest first.

    Parameters
    ----------
    model : STTModel

    Returns
    -------
    numpy.ndarray
        ``m_e + sum_n m_n`` from ``1/2 + N S`` down to ``-(1/2 + N S)``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sector_values(STTModel(Lx=10, N=2))
    array([ 1.5,  0.5, -0.5, -1.5])
    """
    return np.unique(model.sector_labels)[::-1]


def sector_indices(model, m):
    """Full-space basis indices of the sector with total ``S^z = m`` (hbar).

    The full basis index of orbital site ``x`` and spin configuration ``c``
    is ``x * D + c`` with ``D = 2 (2S+1)^N`` (the tensor order of the model).

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar (one of :func:`sector_values`).

    Returns
    -------
    numpy.ndarray
        Increasing integer indices into the full basis.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sector_indices(STTModel(Lx=3, N=1), 1.0)      # |x; up, up> on 3 sites
    array([0, 4, 8])
    """
    spin = _sector_columns(model, m)
    if spin.size == 0:
        raise ValueError(f"m: no sector with total S^z = {m}; allowed: "
                         f"{', '.join(f'{v:g}' for v in sector_values(model))}")
    D = model.spin_space_dimension
    return (np.arange(model.Lx)[:, None] * D + spin[None, :]).ravel()


def decompose(state, model):
    """Split a ket into its non-zero total-S^z pieces.

    Parameters
    ----------
    state : qutip.Qobj or numpy.ndarray
        Ket with the model's dims, or its amplitudes
        (:func:`~qutip_stt._util.validation.check_ket`).
    model : STTModel

    Returns
    -------
    dict
        ``{m: amplitudes}`` with ``m`` the total S^z (hbar) and
        ``amplitudes`` a 1-D complex array over :func:`sector_indices`
        ``(model, m)``; sectors where the ket is exactly zero are left out.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> sorted(decompose(initial_state(model, x0=10), model))
    [0.5]
    """
    state = check_ket("state", state, model.dims)
    full = state if isinstance(state, np.ndarray) else state.full().ravel()
    pieces = {}
    for m in sector_values(model):
        vec = full[sector_indices(model, m)]
        if np.any(vec != 0):
            pieces[float(m)] = vec.copy()
    return pieces


def reassemble(pieces, model):
    """The full ket (``qutip.Qobj``) from its sector pieces (inverse of :func:`decompose`).

    Parameters
    ----------
    pieces : dict
        ``{m: amplitudes}`` as from :func:`decompose`.
    model : STTModel

    Returns
    -------
    qutip.Qobj
        Ket with the model's dims.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> psi = initial_state(model, x0=10, electron="+x")
    >>> (reassemble(decompose(psi, model), model) - psi).norm() < 1e-15
    True
    """
    full = np.zeros(model.dimension, dtype=complex)
    for m, vec in pieces.items():
        full[sector_indices(model, m)] = vec
    return qutip.Qobj(full, dims=[model.dims, [1] * len(model.dims)])


def amplitude_matrix(pieces, model):
    """The ``(Lx, D)`` amplitude matrix of the ket whose sector pieces are given.

    Parameters
    ----------
    pieces : dict
        ``{m: amplitudes}`` as from :func:`decompose`, or ``{m: (T, n_m)}``
        stacks of them (several output times).
    model : STTModel

    Returns
    -------
    numpy.ndarray
        Complex ``(Lx, D)``: orbital site x spin configuration, the input of
        :func:`qutip_stt.measures.reducer.reduce_amplitudes` (``(T, Lx, D)`` for
        stacks).

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> amplitude_matrix(decompose(initial_state(model, x0=10), model), model).shape
    (40, 8)
    """
    D = model.spin_space_dimension
    lead = next(iter(pieces.values())).shape[:-1] if pieces else ()
    A = np.zeros(lead + (model.Lx, D), dtype=complex)
    for m, vec in pieces.items():
        cols = _sector_columns(model, m)
        A[..., cols] = vec.reshape(lead + (model.Lx, cols.size))
    return A


def compact_amplitudes(pieces, model):
    """The populated columns of the amplitude matrix, and which they are.

    :func:`amplitude_matrix` without the columns of the sectors absent from
    ``pieces`` (all zero): the input of
    :func:`qutip_stt.measures.reducer.reduce_amplitudes` with its ``columns``.

    Parameters
    ----------
    pieces : dict
        ``{m: amplitudes}`` or ``{m: (T, n_m)}`` stacks, as for
        :func:`amplitude_matrix`.
    model : STTModel

    Returns
    -------
    A : numpy.ndarray
        Complex ``(..., Lx, n)``.
    columns : numpy.ndarray
        The ``n`` spin configurations of ``A``'s columns.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=40, N=2)
    >>> A, columns = compact_amplitudes(decompose(initial_state(model, x0=10), model), model)
    >>> A.shape, columns.tolist()
    ((40, 3), [1, 2, 4])
    """
    parts, columns = [], []
    for m, vec in pieces.items():
        cols = _sector_columns(model, m)
        parts.append(vec.reshape(vec.shape[:-1] + (model.Lx, cols.size)))
        columns.append(cols)
    return np.concatenate(parts, axis=-1), np.concatenate(columns)


def _sector_columns(model, m):
    """Spin-configuration columns of sector ``m`` (cached on the model: the
    sector route asks at every output time)."""
    cache = model.__dict__.setdefault("_sector_columns", {})
    if m not in cache:
        cache[m] = np.flatnonzero(np.isclose(model.sector_labels, m))
    return cache[m]


def lowering_rows(model, m):
    """The spin configurations of sector ``m`` as lowering steps from the top.

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar.

    Returns
    -------
    numpy.ndarray
        ``(n_m, N+1)`` uint8 rows ``(k_e, k_1 .. k_N)``: ``m_e = 1/2 - k_e``,
        ``m_n = S - k_n``, in QuTiP's basis order (lexicographic). The other
        sectors are never enumerated.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> lowering_rows(STTModel(Lx=10, N=2), 0.5).tolist()
    [[0, 0, 1], [0, 1, 0], [1, 0, 0]]
    """
    d = model.spin_dim
    target = int(round(model.N * model.S + 0.5 - m))
    if not np.isclose(model.N * model.S + 0.5 - m, target) or not (
            0 <= target <= 1 + (d - 1) * model.N):
        raise ValueError(f"m: no sector with total S^z = {m} for N = "
                         f"{model.N}, S = {model.S}")
    rows = [[e] for e in (0, 1) if target - e >= 0]
    left = [target - e for e in (0, 1) if target - e >= 0]
    for remaining in range(model.N, 0, -1):
        new_rows, new_left = [], []
        for r, rest in zip(rows, left):
            for k in range(min(d - 1, rest) + 1):
                if rest - k <= (d - 1) * (remaining - 1):
                    new_rows.append(r + [k])
                    new_left.append(rest - k)
        rows, left = new_rows, new_left
    return np.array(rows, dtype=np.uint8).reshape(-1, model.N + 1)


def sector_size(model, m):
    """The number of spin configurations of sector ``m``, counted without listing them.

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar.

    Returns
    -------
    int
        ``n_m``: the sector holds ``Lx n_m`` states; 0 when no configuration
        has total ``m``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sector_size(STTModel(Lx=60, N=50, full_space=False), 24.5)     # one flip
    51
    """
    d = model.spin_dim
    target = model.N * model.S + 0.5 - m
    steps = int(round(target))
    if not np.isclose(target, steps) or steps < 0:
        return 0
    # ways to lower N spins of 2S+1 levels by k in all: coefficients of
    # (1 + z + ... + z^(d-1))^N, then the electron's 0 or 1
    ways = [1] + [0] * steps
    for _ in range(model.N):
        ways = [sum(ways[k - j] for j in range(min(d - 1, k) + 1))
                for k in range(steps + 1)]
    return int(ways[steps] + (ways[steps - 1] if steps >= 1 else 0))


def sector_configurations(model, m):
    """The m quantum numbers of the spin configurations of sector ``m``.

    Parameters
    ----------
    model : STTModel
    m : float
        Total S^z, hbar.

    Returns
    -------
    numpy.ndarray
        ``(n_m, N+1)``: electron first (``+-1/2``), then each local spin's
        ``m``; rows in basis order, equal to the rows of
        ``model.spin_configurations`` with total ``m`` (without building
        those for every sector).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> sector_configurations(STTModel(Lx=10, N=2), 0.5)
    array([[ 0.5,  0.5, -0.5],
           [ 0.5, -0.5,  0.5],
           [-0.5,  0.5,  0.5]])
    """
    rows = lowering_rows(model, m)
    mz = model.S - rows.astype(float)
    mz[:, 0] = 0.5 - rows[:, 0]
    return mz
