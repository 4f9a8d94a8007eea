r"""A ket held as its total-S^z sector pieces: the start of a large ``N``.

``[H, S^z_tot] = 0``: a ket that lives in a few sectors evolves there, and
the full space (``Lx 2 (2S+1)^N`` states) is never needed. The Eq. (4)
start with every local spin along ``+z`` or ``-z`` is one spin
configuration per electron-spin component, so at most two sectors: for
``N = 50`` on 4,000 sites the one-flip sector of the paper's collinear run
holds ``51 x 4000`` states where the full space would hold ``2^51 x 4000``.
:class:`SectorState` is that object, the same pieces the sector route
propagates (:func:`qutip_stt.model.sectors.decompose` makes them from a
``Qobj``); :func:`sector_initial_state` builds it from the packet, the
electron's spinor and the local spins' one-spin kets without the full
space, checking the memory of every sector before it is listed.
"""

import numpy as np

from ..errors import ConfigError
from ..model.sectors import lowering_rows, sector_configurations, sector_size
from .._util.resources import (MAX_DIMENSION, VECTOR_BYTES, check_allocation)

__all__ = ["SectorState", "sector_initial_state", "start_sectors"]


class SectorState:
    """A ket of :class:`~qutip_stt.model.STTModel` held as its total-S^z sector pieces.

    Parameters
    ----------
    model : STTModel
    pieces : dict
        ``{m: amplitudes}``: ``m`` the total S^z (hbar), ``amplitudes`` the
        complex ``Lx n_m`` vector over the sector's states (site-major,
        configurations in the order of
        :func:`~qutip_stt.model.sectors.lowering_rows`), as
        :func:`~qutip_stt.model.sectors.decompose` gives; sectors where the
        ket vanishes are left out.

    Attributes
    ----------
    dims : list
        The model's ``[[Lx, 2, 2S+1, ...], [1, ...]]``, as a ``Qobj``'s.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> psi = initial_state(STTModel(Lx=4000, N=50, full_space=False),
    ...                     x0=1900, k=1.0, dk=0.1)
    >>> psi
    SectorState(Lx=4000, N=50, sectors={24.5: 204000})
    >>> round(psi.norm(), 12)
    1.0
    """

    def __init__(self, model, pieces):
        self.model = model
        self.pieces = {}
        for m, vec in sorted(pieces.items(), key=lambda kv: -kv[0]):
            vec = np.asarray(vec, dtype=complex).ravel()
            if vec.size != model.Lx * sector_size(model, m):
                raise ConfigError("pieces", f"sector {m:g} holds "
                                  f"{model.Lx * sector_size(model, m):,} "
                                  f"states, got {vec.size:,} amplitudes")
            self.pieces[float(m)] = vec
        if not self.pieces:
            raise ConfigError("pieces", "a state needs at least one sector")
        self.dims = [list(model.dims), [1] * len(model.dims)]

    @classmethod
    def from_qobj(cls, model, ket):
        """The pieces of a ``Qobj`` ket (:func:`~qutip_stt.model.sectors.decompose`)."""
        from ..model.sectors import decompose
        return cls(model, decompose(ket, model))

    @property
    def sizes(self):
        """``{m: states}`` of the populated sectors."""
        return {m: v.size for m, v in self.pieces.items()}

    def configurations(self):
        """The m quantum numbers of the populated sectors' configurations.

        Returns
        -------
        numpy.ndarray
            ``(n, N+1)``, electron first, sector by sector (highest ``m``
            first): the columns of the compact amplitudes the reducer gets.
        """
        return np.concatenate([sector_configurations(self.model, m)
                               for m in self.pieces])

    def norm(self):
        """``sqrt(<psi|psi>)``."""
        return float(np.sqrt(sum(np.vdot(v, v).real
                                 for v in self.pieces.values())))

    def to_qobj(self):
        """The ket as a ``qutip.Qobj`` on the full space, where it fits.

        Raises
        ------
        ConfigError
            Naming ``N`` when the full space is larger than
            :data:`~qutip_stt._util.resources.MAX_DIMENSION` or the memory
            available.
        """
        from ..model.sectors import reassemble
        dim = self.model.dimension
        if dim > MAX_DIMENSION:
            raise ConfigError("N", f"the full space of dimension {dim:,} is "
                              f"larger than the {MAX_DIMENSION:,} this package "
                              "builds: keep the SectorState (method "
                              "'chebyshev' evolves it)")
        check_allocation("N", 3 * dim * VECTOR_BYTES, "the full-space ket")
        return reassemble(self.pieces, self.model)

    def __repr__(self):
        return (f"SectorState(Lx={self.model.Lx}, N={self.model.N}, "
                f"sectors={self.sizes})")


def _levels(model, factors, key):
    """``(steps, weight)``: each local spin's lowering step ``k`` (``m = S -
    k``) and the product of their amplitudes, for one-spin kets of definite
    S^z; refused naming ``key`` otherwise."""
    levels = []
    for n, vec in enumerate(factors):
        vec = np.asarray(vec, dtype=complex).ravel()
        nonzero = np.flatnonzero(vec != 0)
        if nonzero.size != 1:
            raise ConfigError(key, f"local spin {n + 1} is not along +z or "
                              "-z: its start spreads over many total-S^z "
                              "sectors; start every local spin along +-z, or "
                              "use the full space (full_space=True)")
        levels.append((int(nonzero[0]), vec[nonzero[0]]))
    steps = np.array([k for k, _ in levels], dtype=np.uint8)
    return steps, np.prod([a for _, a in levels])


def start_sectors(model, chi, factors, key="local"):
    """The sectors of the Eq. (4) product and their sizes, without building it.

    Parameters
    ----------
    model : STTModel
    chi : array_like
        ``(2,)`` electron spinor (up, down).
    factors : list of array_like
        ``N`` one-spin kets, each of definite S^z.
    key : str, default: "local"
        The parameter named when a factor is not along z.

    Returns
    -------
    dict
        ``{m: Lx n_m}``: one sector per nonzero component of ``chi``.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> start_sectors(STTModel(Lx=4000, N=50, full_space=False), [0, 1],
    ...               [[1, 0]] * 50)
    {24.5: 204000}
    """
    steps, _ = _levels(model, factors, key)
    local_m = float(np.sum(model.S - steps.astype(float)))
    return {0.5 - k_e + local_m: model.Lx * sector_size(model,
                                                        0.5 - k_e + local_m)
            for k_e in (0, 1) if np.asarray(chi).ravel()[k_e] != 0}


def sector_initial_state(model, orbital, chi, factors, key="local"):
    """The Eq. (4) product as a :class:`SectorState`, without the full space.

    Parameters
    ----------
    model : STTModel
    orbital : numpy.ndarray
        ``(Lx,)`` packet amplitudes.
    chi : numpy.ndarray
        ``(2,)`` electron spinor (up, down).
    factors : list of numpy.ndarray
        ``N`` one-spin kets (``2S+1`` components each), each of definite
        S^z (a local spin along ``+z`` or ``-z``).
    key : str, default: "local"
        The parameter named when a factor is not along z.

    Returns
    -------
    SectorState
        At most two sectors, one per electron-spin component
        (:func:`start_sectors`).

    Raises
    ------
    ConfigError
        Naming ``key`` when a local spin is not along ``+-z`` (its start
        spreads over many sectors: build it on the full space); naming
        ``N`` when a sector would not fit in memory.
    """
    steps, weight = _levels(model, factors, key)
    pieces = {}
    for m, states in start_sectors(model, chi, factors, key).items():
        n_m = states // model.Lx
        k_e = int(round(0.5 - m + float(np.sum(model.S - steps.astype(float)))))
        # the sector's rows (N + 1 bytes each) and its Lx n_m amplitudes
        check_allocation("N", n_m * (model.N + 1 + 2 * model.Lx * VECTOR_BYTES),
                         f"the total-S^z sector {m:g} ({n_m:,} spin "
                         f"configurations x {model.Lx} sites)",
                         "reduce N or chain length")
        rows = lowering_rows(model, m)
        target = np.concatenate([[k_e], steps]).astype(np.uint8)
        column = int(np.flatnonzero(np.all(rows == target, axis=1))[0])
        block = np.zeros((model.Lx, n_m), dtype=complex)
        block[:, column] = orbital * chi[k_e] * weight
        pieces[m] = block.ravel()
    return SectorState(model, pieces)
