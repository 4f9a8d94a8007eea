"""Which spins to draw and their Bloch vectors (normalised to the unit sphere).

Spins are selected by name: ``"electron"``, ``"local:n"`` (1-based),
``"all"``, a comma-separated list or a list of names (:func:`parse_spins`).
"""

import numpy as np

from ..errors import ConfigError
from ..io.runs import load_run

__all__ = ["parse_spins", "bloch_vectors"]


def parse_spins(spins, N, key="spin"):
    """Spin names from a selector: ``"electron"``, ``"local:n"``, ``"all"``, lists.

    Parameters
    ----------
    spins : str or sequence of str
        ``"electron"``, ``"local:n"`` (n = 1..N), ``"all"`` (electron and
        every local spin), a comma-separated string or a list of these.
    N : int
        Number of local spins of the run.
    key : str, default: "spin"
        Named in errors (``"--spin"`` on the command line).

    Returns
    -------
    list of str
        Names ``"electron"`` and ``"local:n"``, in the order given, without
        repetitions.

    Raises
    ------
    ConfigError
        Naming ``key`` for an unknown name or an index outside 1..N.

    Examples
    --------
    >>> parse_spins("all", 2)
    ['electron', 'local:1', 'local:2']
    >>> parse_spins("local:2,electron", 3)
    ['local:2', 'electron']
    """
    items = spins.split(",") if isinstance(spins, str) else list(spins)
    allowed = f"'electron', 'local:n' with n = 1..{N}, or 'all'"
    names = []
    for item in items:
        item = str(item).strip()
        if item == "all":
            new = ["electron"] + [f"local:{n}" for n in range(1, N + 1)]
        elif item == "electron":
            new = ["electron"]
        elif item.startswith("local:"):
            index = item.split(":", 1)[1]
            if not index.isdigit() or not 1 <= int(index) <= N:
                raise ConfigError(key, f"this run has local spins 1..{N}; "
                                  f"got {item!r} (expected {allowed})")
            new = [f"local:{int(index)}"]
        else:
            raise ConfigError(key, f"expected {allowed}, got {item!r}")
        names += [name for name in new if name not in names]
    if not names:
        raise ConfigError(key, f"expected {allowed}, got {spins!r}")
    return names


def bloch_vectors(run, spin):
    """Bloch vectors of one spin at every time, normalised to the unit sphere.

    Parameters
    ----------
    run : Run or anything :func:`load_run` accepts
    spin : str
        ``"electron"`` or ``"local:n"``.

    Returns
    -------
    numpy.ndarray
        ``(T, 3)``: ``<sigma>`` for the electron, ``<Sigma_n> / 2S`` for a
        local spin (dimensionless, length 1 for a pure spin-coherent state,
        below 1 for a mixed state).

    Examples
    --------
    >>> v = bloch_vectors("paper-collinear.h5", "local:1")   # doctest: +SKIP
    >>> np.linalg.norm(v[-1])                                 # doctest: +SKIP
    0.9405
    """
    run = load_run(run)
    (name,) = parse_spins(spin, run.N)
    if name == "electron":
        return run.electron_spin.copy()
    return run.local_spin[:, int(name.split(":")[1]) - 1] / (2 * run.S)


def _spin_title(name):
    return "electron spin" if name == "electron" else (
        f"local spin {name.split(':')[1]}")


def _readout(run, name, vector):
    """``|S| = 0.940  Tr rho^2 = 0.942`` (purity only for a spin 1/2)."""
    length = np.linalg.norm(vector)
    half = name == "electron" or run.S == 0.5
    text = f"|S| = {length:.3f}" if half else f"|S|/2S = {length:.3f}"
    if half:
        text += f"   Tr ρ² = {(1 + length ** 2) / 2:.3f}"
    return text
