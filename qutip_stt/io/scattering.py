"""HDF5 files of ``qutip-stt scatter``, written atomically with the package's provenance.

Datasets (``E`` energies, ``C = 2D`` outgoing channels, left lead first)::

    energy            (E,)     total energy, eV
    k                 (E,)     incoming wave number k a
    probabilities     (E, C)   probability to leave in each (lead, channel)
    channels          (C,)     labels "L ↑;M=3/2,n=0", "R ↓;↑↑↑↑↑", ... (UTF-8)
    channel_energy    (C,)     XXZ energy e_n of each channel, eV
    open              (E, C)   channel open at that energy (bool)
    spin_flip         (E,)     electron leaves with S^z flipped, both leads
    transmission      (E,)     total probability to leave right
    reflection        (E,)     total probability to leave left
    unitarity_error   (E,)     max |S^dagger S - 1| on the open channels
    thresholds        (K,)     energies e_n +- 2 gamma where channels open, eV
    packet/...                 the Eq. (4) packet average (probabilities (C,),
                               spin_flip, transmission, reflection, missed,
                               energy, density)

Attributes: ``format`` ("qutip-stt scattering"), ``format_version``, the
provenance of :func:`qutip_stt.io.provenance`, ``config`` (TOML) and
``config_json``, ``incoming_electron`` (theta, phi), ``incoming_chain``,
``incoming_eps``, ``wall_s``.
"""

import h5py
import numpy as np

from .atomic import atomic_h5, config_attrs, provenance
from ..errors import ConfigError
from .schema import check_file, is_present, open_hdf5

__all__ = ["write_scattering", "read_scattering", "FORMAT", "DATASETS"]

FORMAT = "qutip-stt scattering"
FORMAT_VERSION = 1

#: dataset -> attribute of :class:`ScatteringProbabilities`.
DATASETS = {"energy": "energy", "k": "k", "probabilities": "probabilities",
            "channel_energy": "channel_energy", "open": "is_open",
            "spin_flip": "spin_flip", "transmission": "transmission",
            "reflection": "reflection", "unitarity_error": "unitarity_error",
            "thresholds": "thresholds"}

_PACKET = ("probabilities", "spin_flip", "transmission", "reflection",
           "missed", "energy", "density")

#: The scattering file's layout for :func:`qutip_stt.io.schema.check_file`:
#: ``E`` energies, ``C`` channels, ``K`` thresholds.
SCATTERING_LAYOUT = {
    "energy": (("E",), "f"), "k": (("E",), "f"),
    "probabilities": (("E", "C"), "f"), "channels": (("C",), "SOU"),
    "channel_energy": (("C",), "f"), "open": (("E", "C"), "biu"),
    "spin_flip": (("E",), "f"), "transmission": (("E",), "f"),
    "reflection": (("E",), "f"), "unitarity_error": (("E",), "f"),
    "thresholds": (("K",), "f"),
}
#: The packet average, when stored (``X`` sites of its density).
SCATTERING_OPTIONAL = {
    "packet/probabilities": (("C",), "f"), "packet/spin_flip": ((), "f"),
    "packet/transmission": ((), "f"), "packet/reflection": ((), "f"),
    "packet/missed": ((), "f"), "packet/energy": (("X",), "f"),
    "packet/density": (("X",), "f"),
}


def write_scattering(path, result, config=None, packet=None, *,
                     overwrite=False, inputs=()):
    """Write :class:`ScatteringProbabilities` (and a packet average) to HDF5.

    Parameters
    ----------
    path : str or os.PathLike
        Output file; appears only when complete.
    result : ScatteringProbabilities
    config : dict, optional
        The resolved config, stored as TOML and JSON text.
    packet : PacketAverage, optional
        Stored in the group ``packet``.
    overwrite, inputs
        As for :func:`qutip_stt.io.check_output_path`.

    Returns
    -------
    str
        ``path``.

    Examples
    --------
    >>> import os, tempfile
    >>> from qutip_stt import STTModel
    >>> from qutip_stt.scattering import scattering_probabilities
    >>> res = scattering_probabilities(STTModel(N=2), [-2.0, -1.0])
    >>> path = write_scattering(os.path.join(tempfile.mkdtemp(), "S.h5"), res)
    >>> read_scattering(path)["probabilities"].shape
    (2, 16)
    """
    with atomic_h5(path, overwrite=overwrite, inputs=inputs) as f:
        for name, attr in DATASETS.items():
            f.create_dataset(name, data=np.asarray(getattr(result, attr)))
        f.create_dataset("channels", data=np.array(result.channels,
                                                   dtype=object),
                         dtype=h5py.string_dtype("utf-8"))
        for name in ("energy", "channel_energy", "thresholds"):
            f[name].attrs["unit"] = "eV"
        if packet is not None:
            g = f.create_group("packet")
            for name in _PACKET:
                g.create_dataset(name, data=np.asarray(getattr(packet, name)))
            g.attrs["nodes"] = packet.nodes
        f.attrs["format"] = FORMAT
        f.attrs["format_version"] = FORMAT_VERSION
        f.attrs.update(provenance())
        f.attrs["incoming_electron"] = np.asarray(
            result.incoming["electron"], dtype=float)
        f.attrs["incoming_chain"] = result.incoming["chain"]
        f.attrs["incoming_eps"] = float(result.incoming["eps"])
        f.attrs["wall_s"] = float(result.wall_time)
        f.attrs.update(config_attrs(config))
    return path


def read_scattering(path):
    """Read a file of :func:`write_scattering` into a dict.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    dict
        Every dataset by name, ``channels`` as a list of str, ``packet`` (a
        dict, if stored), ``attrs``.

    Raises
    ------
    ConfigError
        Missing, not a readable regular file (a directory, FIFO, device),
        not HDF5, or not a scattering file: the gate of every reader,
        :func:`qutip_stt.io.schema.open_hdf5`.
    """
    path, f = open_hdf5(path, FORMAT)
    with f:
        check_file(f, SCATTERING_LAYOUT, path, optional=SCATTERING_OPTIONAL,
                   allow_empty=("K",))
        if is_present(f, "packet"):
            missing = [n for n in _PACKET if f"packet/{n}" not in f]
            if missing:
                raise ConfigError(f"dataset packet/{missing[0]}",
                                  f"missing from {path}")
        try:
            return _read(f)
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            raise ConfigError("file", f"{path}: unreadable data "
                              f"({' '.join(str(exc).split())[:120]})") from None


def _read(f):
    """The datasets of a checked scattering file."""
    out = {name: f[name][()] for name in DATASETS}
    out["channels"] = [s.decode() if isinstance(s, bytes) else str(s)
                       for s in f["channels"][()]]
    if "packet" in f:
        out["packet"] = {n: f["packet"][n][()] for n in _PACKET}
    out["attrs"] = {k: (v.decode() if isinstance(v, bytes) else v)
                    for k, v in f.attrs.items()}
    return out
