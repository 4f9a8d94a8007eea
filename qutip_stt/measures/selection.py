"""Which spins a measurement looks at: pairs, blocks, measures (no QuTiP import).

The spins of the model are numbered as subsystems ``0`` (the electron spin)
and ``1 .. N`` (local spin ``n``). This module turns the ``[analysis]``
table's forms (``pairs = "nearest"``, ``blocks = true``, a list of
measures) into index arrays and checks them, so the config reader checks
them before any physics is loaded; :mod:`qutip_stt.measures.pairs` records
the measures during an evolution.
"""

import itertools

import numpy as np

from ..errors import ConfigError, ConfigTypeError

__all__ = ["MEASURES", "spin_sizes", "resolve_pairs", "resolve_blocks",
           "resolve_measures", "all_pairs"]

#: Pair measures, in the order they are stored.
MEASURES = ("mutual_information", "concurrence", "log_negativity",
            "correlation")


def spin_sizes(model):
    """Spin size of every subsystem, ``[1/2] + [S] * N`` (electron first).

    Parameters
    ----------
    model : STTModel

    Returns
    -------
    list of float

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> spin_sizes(STTModel(Lx=10, N=2, S=1))
    [0.5, 1.0, 1.0]
    """
    return [0.5] + [model.S] * model.N


def resolve_pairs(pairs, n_spins, key="analysis.pairs", electron=True):
    """The pairs ``(i, j)``, ``i < j``, that a pair specification stands for.

    Parameters
    ----------
    pairs : {"all", "nearest", "none"} or list of (int, int)
        ``"all"``: every pair among subsystems ``0 .. n_spins-1`` (electron
        spin 0 included); ``"nearest"``: neighbouring local spins ``(n, n+1)``,
        ``n = 1 .. n_spins-2``; ``"none"``: no pair; or explicit pairs of
        distinct subsystem indices.
    n_spins : int
        Number of subsystems, ``N + 1`` for the model.
    key : str
        Name used in error messages.
    electron : bool, default: True
        Subsystem 0 is the electron spin. False for several electrons
        (``[electrons]``): the subsystems are the local spins ``1 ..
        n_spins-1`` alone, ``"all"`` is every pair of them and a pair with
        0 is refused.

    Returns
    -------
    numpy.ndarray
        ``(P, 2)`` integers, each row sorted.

    Examples
    --------
    >>> resolve_pairs("all", 3, electron=False).tolist()
    [[1, 2]]
    >>> resolve_pairs("nearest", 4).tolist(), resolve_pairs([[3, 1]], 4).tolist()
    ([[1, 2], [2, 3]], [[1, 3]])
    >>> resolve_pairs([[1, 5]], 4)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: analysis.pairs: pair [1, 5]: indices must be 0 (electron spin) .. 3 (local spins 1..3) and distinct
    """
    if isinstance(pairs, str):
        if pairs == "all":
            out = list(itertools.combinations(range(0 if electron else 1,
                                                    n_spins), 2))
        elif pairs == "nearest":
            out = [(n, n + 1) for n in range(1, n_spins - 1)]
        elif pairs == "none":
            out = []
        else:
            raise ConfigError(key, f"expected \"all\", \"nearest\", \"none\" "
                              f"or a list of [i, j] pairs, got {pairs!r}")
    elif isinstance(pairs, (list, tuple, np.ndarray)):
        out = []
        for pair in pairs:
            if (not isinstance(pair, (list, tuple, np.ndarray)) or len(pair) != 2
                    or not all(isinstance(v, (int, np.integer))
                               and not isinstance(v, bool) for v in pair)):
                raise ConfigTypeError(key, f"expected pairs [i, j] of integers,"
                                      f" got {pair!r}")
            i, j = (int(v) for v in pair)
            if not electron and 0 in (i, j):
                raise ConfigError(key, f"pair [{pair[0]}, {pair[1]}]: with "
                                  "several electrons ([electrons]) there is "
                                  "no single electron spin; indices must be "
                                  f"local spins 1 .. {n_spins - 1}")
            if not (0 <= i < n_spins and 0 <= j < n_spins) or i == j:
                raise ConfigError(key, f"pair [{pair[0]}, {pair[1]}]: indices "
                                  f"must be 0 (electron spin) .. {n_spins - 1} "
                                  f"(local spins 1..{n_spins - 1}) and distinct")
            out.append((min(i, j), max(i, j)))
    else:
        raise ConfigTypeError(key, f"expected \"all\", \"nearest\", \"none\" "
                              f"or a list of [i, j] pairs, got {pairs!r}")
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def resolve_blocks(blocks, n_spins, key="analysis.blocks"):
    """Contiguous blocks ``(a, b)`` of local spins (subsystems ``a`` to ``b``, 1-based).

    Parameters
    ----------
    blocks : bool or list of (int, int)
        ``True``: every contiguous block of the local spins ``1 .. n_spins-1``
        (the half chain ``1 .. N//2`` and the whole chain included);
        ``False``: none; or explicit ``[a, b]`` with ``1 <= a <= b``.
    n_spins : int
        Number of subsystems, ``N + 1`` for the model.
    key : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
        ``(B, 2)`` integers: first and last local spin of each block.

    Examples
    --------
    >>> resolve_blocks(True, 4).tolist()
    [[1, 1], [1, 2], [1, 3], [2, 2], [2, 3], [3, 3]]
    """
    N = n_spins - 1
    if isinstance(blocks, bool):
        out = ([(a, b) for a in range(1, N + 1) for b in range(a, N + 1)]
               if blocks else [])
    elif isinstance(blocks, (list, tuple, np.ndarray)):
        out = []
        for block in blocks:
            if (not isinstance(block, (list, tuple, np.ndarray))
                    or len(block) != 2 or not all(
                        isinstance(v, (int, np.integer))
                        and not isinstance(v, bool) for v in block)):
                raise ConfigTypeError(key, f"expected [first, last] local "
                                      f"spins, got {block!r}")
            a, b = (int(v) for v in block)
            if not 1 <= a <= b <= N:
                raise ConfigError(key, f"block [{a}, {b}]: expected "
                                  f"1 <= first <= last <= {N}")
            out.append((a, b))
    else:
        raise ConfigTypeError(key, f"expected true, false or a list of "
                              f"[first, last] blocks, got {blocks!r}")
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def resolve_measures(measures, sizes, pairs, key="analysis.measures"):
    """Check a list of pair measures against the spins of the pairs.

    Parameters
    ----------
    measures : "all" or list of str
        Names from :data:`MEASURES`. ``"all"`` stores concurrence as ``NaN``
        where it is undefined; naming ``"concurrence"`` explicitly for a pair
        that is not two spin-1/2 is an error.
    sizes : list of float
        Spin size of each subsystem (:func:`spin_sizes`).
    pairs : numpy.ndarray
        ``(P, 2)`` from :func:`resolve_pairs`.
    key : str
        Name used in error messages.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> resolve_measures(["concurrence"], [0.5, 1.0], [[0, 1]])
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: analysis.measures: concurrence is defined for two spin-1/2 only; pair [0, 1] has spins 1/2 and 1.0 (use "all" to store NaN there)
    """
    if isinstance(measures, str) and measures == "all":
        return MEASURES
    if not isinstance(measures, (list, tuple)) or not all(
            isinstance(m, str) for m in measures):
        raise ConfigTypeError(key, "expected \"all\" or a list of "
                              + ", ".join(MEASURES) + f", got {measures!r}")
    for m in measures:
        if m not in MEASURES:
            raise ConfigError(key, f"unknown measure {m!r}; allowed: "
                              + ", ".join(MEASURES))
    if "concurrence" in measures:
        for i, j in np.asarray(pairs).reshape(-1, 2):
            if sizes[i] != 0.5 or sizes[j] != 0.5:
                raise ConfigError(
                    key, f"concurrence is defined for two spin-1/2 only; pair "
                    f"[{i}, {j}] has spins {_spin_text(sizes[i])} and "
                    f"{_spin_text(sizes[j])} (use \"all\" to store NaN there)")
    return tuple(m for m in MEASURES if m in measures)


def _spin_text(s):
    return "1/2" if s == 0.5 else repr(float(s))


def all_pairs(N):
    """Every pair ``(i, j)``, ``1 <= i < j <= N``, of local spins (numbered from 1).

    Examples
    --------
    >>> all_pairs(3).tolist()
    [[1, 2], [1, 3], [2, 3]]
    """
    return resolve_pairs("all", N + 1)[N:]
