"""Sizes of the model's spaces and the memory a machine has: the inputs of every memory check.

The dimensions of the Hilbert spaces (:func:`hilbert_dimension`), the bytes
of the sparse Hamiltonian (:func:`hamiltonian_bytes`, entries of 16 + 8
bytes) and of the chain-end reflection check (:func:`reflection_memory`),
and the memory available (:func:`available_memory`). The estimate of a
whole run, method by method, is :func:`qutip_stt.solvers.memory.run_memory`;
the check before a run is :func:`qutip_stt.simulation.check_memory`. The
calibration of the estimates against measured peak memory is on the
performance page of the docs.
"""

import os

from ..errors import ConfigError

__all__ = ["hilbert_dimension", "hamiltonian_bytes", "reflection_memory",
           "available_memory", "check_allocation", "MEMORY_FRACTION",
           "MAX_DIMENSION",
           "ENTRY_BYTES", "VECTOR_BYTES"]

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

#: Bytes of one entry of a complex CSR matrix: complex128 value + int64 index.
ENTRY_BYTES = 16 + 8
#: Bytes per complex amplitude.
VECTOR_BYTES = 16


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
    return int(dimension) * (5 + max(int(n_spins) - 1, 0)) * ENTRY_BYTES


def reflection_memory(Lx, N, t_max=500.0, orbitals=16):
    """Peak bytes of the reflection check (:func:`qutip_stt.model.reflections.reflection_times`).

    The check works on chains of ``Lx`` and ``3 Lx`` sites in their
    closed-form eigenbasis: the packet's eigencomponents (``orbitals``
    columns, three copies), the eigenvectors on the ``20 + N`` sites it
    watches (three float copies while they are built), and batches of at most
    ``2**20`` phases (one step per fs) with four temporaries of that size.
    O(Lx): no dense eigendecomposition of the ``3 Lx`` chain is made, whose
    memory would grow as ``Lx**2``. The estimate is an upper envelope of the
    measured peaks (performance page of the docs).

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
    phases = min(2 ** 20, steps * 3 * Lx) * VECTOR_BYTES
    per_site = (20 + int(N)) * 8 * 3 + int(orbitals) * VECTOR_BYTES * 3
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


def check_allocation(key, nbytes, what, hint="", available=None):
    """Refuse (:class:`~qutip_stt.errors.ConfigError` naming ``key``) an array that would not fit.

    What every constructor of a large array calls before it allocates, so
    that a state too large for the machine is one line naming the
    parameter, never the kernel's out-of-memory killer.

    Parameters
    ----------
    key : str
        The parameter that sets the size (``"N"``, ``"local_spins.count"``).
    nbytes : int
        Bytes the construction needs at its peak.
    what : str
        What would be built, for the message (``"the full-space ket"``).
    hint : str, optional
        What to change, appended to the message.
    available : int, optional
        Bytes available (default :func:`available_memory`).

    Examples
    --------
    >>> check_allocation("N", 2**20, "a small ket", available=2**30)
    >>> check_allocation("N", 2**40, "the full-space ket", available=2**30)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: N: the full-space ket needs about 1024.0 GiB, more than 80% of the 1.0 GiB available
    """
    if available is None:
        available = available_memory()
    if available is None or nbytes <= MEMORY_FRACTION * available:
        return
    raise ConfigError(key, f"{what} needs about {nbytes / 2**30:.1f} GiB, "
                      f"more than {MEMORY_FRACTION:.0%} of the "
                      f"{available / 2**30:.1f} GiB available"
                      + (f"; {hint}" if hint else ""))
