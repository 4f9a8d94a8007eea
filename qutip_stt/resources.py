"""Memory a run needs, estimated before it starts, and the up-front check.

:func:`qutip_stt.simulate` (and so ``qutip-stt simulate``, sweeps and the
reproduction) calls :func:`check_memory` before it builds anything: a run
whose estimate exceeds the memory available is refused with the estimate,
and with the exact sector method suggested when that one would fit.

The estimates are upper envelopes calibrated on this package's measured
peak resident memory (QuTiP 5.3, SciPy 1.17, 64-bit indices): they count the
sparse Hamiltonian (entries of 16 + 8 bytes, about three copies while the
``tensor`` products are summed), the solver's working vectors, the
Crank-Nicolson LU factors (measured fill of 160-270 entries per row for
spin-space dimensions 64-1458) and the dense reduced density matrices of
the analysis. Measured vs estimated peak, in MiB above the imported package:

=====================  =========  ========  =========
case (Lx, N, S)        method     measured  estimate
=====================  =========  ========  =========
200, 8, 1/2 (tilted)   chebyshev  75        134
200, 8, 1/2 (tilted)   sesolve    108       147
200, 8, 1/2 (tilted)   CN         414       682
200, 9, 1/2 (tilted)   chebyshev  147       289
200, 6, 1 (tilted)     CN         1,873     2,818
400, 5, 1/2            CN         98        124
=====================  =========  ========  =========
"""

import os

from .errors import ConfigError

__all__ = ["hilbert_dimension", "hamiltonian_bytes", "run_memory",
           "reflection_memory",
           "available_memory", "check_memory", "MEMORY_FRACTION",
           "MAX_DIMENSION"]

#: A run may use at most this fraction of the memory available when it starts.
MEMORY_FRACTION = 0.8

#: Largest Hilbert-space dimension the model agrees to build (about 1.5 GiB
#: for the sparse Hamiltonian of a chain of spin-1/2).
MAX_DIMENSION = 20_000_000


def hilbert_dimension(Lx, N, S):
    """Dimensions of the model's spaces: ``(full, spin space, one local spin)``.

    The full space is orbital (``Lx``) x electron spin (2) x ``N`` local
    spins of dimension ``2S+1``: ``Lx * 2 * (2S+1)**N``; the spin space is
    ``2 * (2S+1)**N``.

    Parameters
    ----------
    Lx, N : int
    S : float
        Half-integer spin.

    Returns
    -------
    (int, int, int)

    Examples
    --------
    >>> hilbert_dimension(400, 5, 0.5)
    (25600, 64, 2)
    """
    d = int(round(2 * S)) + 1
    spin_space = 2 * d ** int(N)
    return int(Lx) * spin_space, spin_space, d

_ENTRY = 16 + 8          # complex128 value + int64 column index (CSR)
_VECTOR = 16             # bytes per complex amplitude


def hamiltonian_bytes(dimension, n_spins):
    """Upper estimate of the bytes of the sparse Hamiltonian (one copy).

    Each row holds at most 2 hopping entries, 1 diagonal, 2 s-d spin flips
    and one XXZ flip per bond.

    Parameters
    ----------
    dimension : int
        ``Lx * 2 * (2S+1)**N``.
    n_spins : int
        ``N``.

    Returns
    -------
    int

    Examples
    --------
    >>> round(hamiltonian_bytes(25_600, 5) / 2**20, 1)  # the paper's H, MiB
    5.3
    """
    return int(dimension) * (5 + max(int(n_spins) - 1, 0)) * _ENTRY


def run_memory(Lx, N, S, method, n_times=101, store_states=False,
               t_max=500.0):
    """Estimated peak memory of one run, by part, in bytes.

    Parameters
    ----------
    Lx, N : int
        Chain length and number of local spins.
    S : float
        Local spin.
    method : {"auto", "chebyshev", "sesolve", "crank-nicolson"}
    n_times : int, default: 101
        Output times (observables are kept for every one).
    store_states : bool, default: False
        Whether every ket is kept.
    t_max : float, default: 500
        Last output time, fs (sets the reflection check's steps).

    Returns
    -------
    dict
        ``{"hamiltonian", "solver", "analysis", "states", "reflection",
        "total"}``, bytes (``reflection``: the chain-end check,
        :func:`reflection_memory`).

    Examples
    --------
    >>> mem = run_memory(400, 5, 0.5, "auto")
    >>> mem["total"] < 2**30
    True
    """
    dim, spin_dim, d = hilbert_dimension(Lx, N, S)
    H = hamiltonian_bytes(dim, N)
    parts = {"hamiltonian": 3 * H}
    if method in ("auto", "chebyshev"):
        # sector blocks (one more H) and the Chebyshev recursion's vectors
        parts["solver"] = H + 8 * dim * _VECTOR
    elif method == "sesolve":
        # H / hbar and dop853's 13 stages plus error and state vectors
        parts["solver"] = H + 16 * dim * _VECTOR
    else:
        # 1 +- i H dt / 2 and the LU factors of the first
        fill = 150 + 0.15 * spin_dim
        parts["solver"] = 2 * H + int(dim * fill * _ENTRY)
    small = min(2 * Lx, d ** N)
    parts["analysis"] = (3 * Lx * spin_dim + 4 * small ** 2 + Lx ** 2
                         + n_times * (Lx + spin_dim + 3 * N + 8)) * _VECTOR
    parts["states"] = n_times * dim * _VECTOR if store_states else 0
    parts["reflection"] = reflection_memory(Lx, N, t_max)
    parts["total"] = sum(parts.values())
    return parts


def reflection_memory(Lx, N, t_max=500.0, orbitals=16):
    """Peak bytes of the reflection check (:func:`qutip_stt.states.reflection_times`).

    The check works on chains of ``Lx`` and ``3 Lx`` sites in their
    closed-form eigenbasis: the packet's eigencomponents (``orbitals``
    columns, three copies), the eigenvectors on the ``20 + N`` sites it
    watches (three float copies while they are built), and batches of at most
    ``2**20`` phases (one step per fs) with four temporaries of that size.
    O(Lx). Measured peaks above the imported package (one orbital, N = 5,
    t_max = 500 fs): 51 MiB at Lx = 2,000 (estimate 85), 72 MiB at 10,000
    (106), 265 MiB at 100,000 (323); before this check was O(Lx), a dense
    eigendecomposition of the 3 Lx chain peaked at 3.4 GiB for Lx = 4,000 and
    21.3 GB for 10,000.

    Parameters
    ----------
    Lx, N : int
    t_max : float, default: 500
        Last output time, fs.
    orbitals : int, default: 16
        Schmidt components of the electron's orbital state followed.

    Returns
    -------
    int

    Examples
    --------
    >>> reflection_memory(10_000, 5) < 2**30
    True
    """
    Lx = int(Lx)
    steps = min(int(float(t_max)) + 1, 20_001)
    phases = min(2 ** 20, steps * 3 * Lx) * _VECTOR
    per_site = (20 + int(N)) * 8 * 3 + int(orbitals) * _VECTOR * 3
    return int(5 * phases + 4 * Lx * per_site)


def available_memory():
    """Bytes of memory available to a new run (``MemAvailable``), or None.

    Reads ``/proc/meminfo`` (Linux, and the cgroup-limited value is not
    seen there); falls back to ``os.sysconf`` free pages elsewhere.

    Returns
    -------
    int or None
        Bytes, or None where neither source is available.
    """
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(config, *, method=None, store_states=False, available=None):
    """Refuse a run (:class:`~qutip_stt.errors.ConfigError`) that would not fit.

    Parameters
    ----------
    config : dict
        A resolved config.
    method : str, optional
        Overrides ``config["evolution"]["method"]``.
    store_states : bool, default: False
    available : int, optional
        Bytes available (default :func:`available_memory`).

    Returns
    -------
    dict
        The estimate of :func:`run_memory` when the run fits.

    Raises
    ------
    ConfigError
        Naming ``evolution.method`` when the exact sector method would fit,
        else ``local_spins.count``, with both numbers in GiB.
    """
    ch, ls, ev = config["chain"], config["local_spins"], config["evolution"]
    method = method or ev["method"]
    field = ls.get("field", 0.0)
    # a transverse field: no sectors, "auto" runs sesolve (solvers.evolution)
    full_only = isinstance(field, dict) and any(field.get(c) for c in "xy")
    if full_only and method == "auto":
        method = "sesolve"
    args = (ch["length"], ls["count"], ls["spin"])
    need = run_memory(*args, method, ev["n_times"], store_states,
                      ev["t_max"])
    if available is None:
        available = available_memory()
    if available is None or need["total"] <= MEMORY_FRACTION * available:
        return need
    gib = 2 ** 30
    what = (f"method {method!r} needs about {need['total'] / gib:.1f} GiB "
            f"for length={args[0]}, count={args[1]}, spin={args[2]:g}, more "
            f"than {MEMORY_FRACTION:.0%} of the {available / gib:.1f} GiB "
            f"available")
    exact = run_memory(*args, "auto", ev["n_times"], store_states,
                       ev["t_max"])
    if not full_only and method not in ("auto", "chebyshev") and \
            exact["total"] <= MEMORY_FRACTION * available:
        raise ConfigError("evolution.method", f"{what}; method 'auto' (exact, "
                          f"per total-S^z sector) needs about "
                          f"{exact['total'] / gib:.1f} GiB: use it")
    raise ConfigError("local_spins.count", f"{what}; reduce chain.length, "
                      "local_spins.count or local_spins.spin")
