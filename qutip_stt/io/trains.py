"""HDF5 files of electron trains (``qutip-stt train``), written atomically.

Datasets (``K`` electrons, ``N`` local spins, ``D = (2S+1)^N`` configurations,
``P`` pairs, ``R`` Kraus operators)::

    n                          (K+1,)       electron number
    local/spin                 (K+1, N, 3)  <Sigma_x,y,z> of each local spin, hbar/2
    purity/local               (K+1,)       Tr rho_n^2
    entropy/local              (K+1,)       von Neumann entropy (attribute base = "e")
    total_sz                   (K+1,)       total S^z of the local spins, hbar/2
    probabilities              (K+1, D)     local-spin configurations (Eq. 8 style)
    probabilities_m            (D, N)       m of each local spin per column
    probabilities_labels       (D,)         "↑↑↓", "3/2,1/2", ... (UTF-8)
    pairs/index                (P, 2)       local spins of each pair, numbered from 1
    pairs/concurrence          (K+1, P)     spin-1/2 only
    pairs/mutual_information   (K+1, P)     natural log
    channel/kraus              (R, D, D)    compressed Kraus operators of Phi
    channel/choi_eigenvalues   (D^2,)       spectrum of the Choi matrix
    leftover                   ()           largest electron probability within
                                            `margin` sites of the spins at t = interval

A train with a bath on the local spins also holds the fixed point of its
channel (:mod:`qutip_stt.trains.steady`)::

    steady/local/spin          (N, 3)       <Sigma_x,y,z> of each spin at the fixed point
    steady/total_sz            ()           hbar/2
    steady/purity              ()           Tr rho^2
    steady/entropy             ()           natural log (attribute base = "e")
    channel/gap                ()           electrons to reach it: -1 / ln|lambda_1|
                                            (attributes modulus = |lambda_1|, unique)

and the bath's parameters as file attributes ``model_bath_*``.
``leftover`` carries attributes ``at_chain_ends``, ``reached_chain_end``,
``margin_sites``. File attributes: ``format`` ("qutip-stt train"),
``format_version``, the provenance of :func:`qutip_stt.io.provenance`,
``config`` / ``config_json`` (with the interval used), ``interval_fs``,
``polarization``, ``electrons_needed_zero`` and ``electrons_needed_90``
(-1: not within the train), ``channel_wall_s``, ``iteration_wall_s`` and
``evolution_wall_s`` (their sum).
"""

import json

import h5py
import numpy as np

from .atomic import atomic_h5, config_attrs, provenance
from ..errors import ConfigError
from .schema import check_file, open_hdf5

__all__ = ["write_train", "read_train", "TRAIN_FORMAT", "TRAIN_DATASETS",
           "STEADY_DATASETS"]

TRAIN_FORMAT = "qutip-stt train"
TRAIN_FORMAT_VERSION = 1

#: Dataset path -> TrainResult attribute.
TRAIN_DATASETS = {
    "n": "n",
    "local/spin": "local_spin",
    "purity/local": "purity_local",
    "entropy/local": "entropy_local",
    "total_sz": "total_sz",
    "probabilities": "probabilities",
    "probabilities_m": "configurations",
    "pairs/index": "pairs",
    "pairs/mutual_information": "mutual_information",
}


#: The train file's layout for :func:`qutip_stt.io.schema.check_file`:
#: ``K1`` = K + 1 electron numbers, ``N`` local spins, ``D`` configurations,
#: ``P`` pairs (0 for one spin), ``R`` Kraus operators, ``D2`` = D^2.
TRAIN_LAYOUT = {
    "n": (("K1",), "iu"),
    "local/spin": (("K1", "N", 3), "f"),
    "purity/local": (("K1",), "f"),
    "entropy/local": (("K1",), "f"),
    "total_sz": (("K1",), "f"),
    "probabilities": (("K1", "D"), "f"),
    "probabilities_m": (("D", "N"), "f"),
    "probabilities_labels": (("D",), "SOU"),
    "pairs/index": (("P", 2), "iu"),
    "pairs/mutual_information": (("K1", "P"), "f"),
    "channel/kraus": (("R", "D", "D"), "fc"),
    "channel/choi_eigenvalues": (("D2",), "f"),
    "leftover": ((), "f"),
}
#: Datasets a train file may hold (concurrence: spin-1/2 only; the fixed
#: point of the channel and its gap: a train with a bath).
TRAIN_OPTIONAL = {"pairs/concurrence": (("K1", "P"), "f"),
                  "steady/local/spin": (("N", 3), "f"),
                  "steady/total_sz": ((), "f"),
                  "steady/purity": ((), "f"),
                  "steady/entropy": ((), "f"),
                  "channel/gap": ((), "f")}


def write_train(path, result, config=None, *, overwrite=False, inputs=()):
    """Write a :class:`~qutip_stt.trains.iteration.TrainResult` as an HDF5 file.

    Parameters
    ----------
    path : str or os.PathLike
    result : TrainResult
    config : dict, optional
        The resolved config (with the interval used).
    overwrite, inputs
        As for :func:`qutip_stt.io.check_output_path`.

    Returns
    -------
    str
        ``path``.
    """
    ch = result.channel
    need = result.electrons_needed
    with atomic_h5(path, overwrite=overwrite, inputs=inputs) as f:
        for name, attr in TRAIN_DATASETS.items():
            f.create_dataset(name, data=np.asarray(getattr(result, attr)))
        if result.concurrence is not None:
            f.create_dataset("pairs/concurrence", data=result.concurrence)
        f.create_dataset("probabilities_labels",
                         data=np.array(result.labels, dtype=object),
                         dtype=h5py.string_dtype("utf-8"))
        f.create_dataset("channel/kraus", data=ch.kraus_array)
        f.create_dataset("channel/choi_eigenvalues", data=ch.choi_eigenvalues)
        left = f.create_dataset("leftover", data=ch.leftover["near_spins"])
        left.attrs["at_chain_ends"] = ch.leftover["at_chain_ends"]
        left.attrs["reached_chain_end"] = ch.leftover["reached_chain_end"]
        left.attrs["margin_sites"] = ch.leftover["margin"]
        if result.steady is not None:
            _write_steady(f, result.steady)
        f["entropy/local"].attrs["base"] = "e"
        f["pairs/mutual_information"].attrs["base"] = "e"
        f["local/spin"].attrs["unit"] = "hbar/2"
        f["total_sz"].attrs["unit"] = "hbar/2"
        f.attrs["format"] = TRAIN_FORMAT
        f.attrs["format_version"] = TRAIN_FORMAT_VERSION
        f.attrs.update(provenance())
        f.attrs["interval_fs"] = ch.interval
        f.attrs["polarization"] = ch.electron["polarization"]
        f.attrs["electrons_needed_zero"] = -1 if need["zero"] is None \
            else need["zero"]
        f.attrs["electrons_needed_90"] = -1 if need["ninety"] is None \
            else need["ninety"]
        f.attrs["channel_wall_s"] = ch.wall_time
        f.attrs["iteration_wall_s"] = result.wall_time
        f.attrs["evolution_wall_s"] = ch.wall_time + result.wall_time
        for key, value in ch.model.attributes().items():
            f.attrs[f"model_{key}"] = value
        f.attrs.update(config_attrs(config))
    return path


#: Dataset path -> SteadyState attribute, in a train with a bath.
STEADY_DATASETS = {"steady/local/spin": "local_spin",
                   "steady/total_sz": "total_sz", "steady/purity": "purity",
                   "steady/entropy": "entropy", "channel/gap": "gap"}


def _write_steady(f, steady):
    """The fixed point of the channel and its gap (a train with a bath)."""
    for name, attr in STEADY_DATASETS.items():
        f.create_dataset(name, data=np.asarray(getattr(steady, attr)))
    f["steady/local/spin"].attrs["unit"] = "hbar/2"
    f["steady/total_sz"].attrs["unit"] = "hbar/2"
    f["steady/entropy"].attrs["base"] = "e"
    gap = f["channel/gap"]
    gap.attrs["unit"] = "electrons"
    gap.attrs["modulus"] = abs(steady.second_eigenvalue)
    gap.attrs["unique"] = steady.unique


def read_train(path):
    """Read a train file into a dict of arrays and attributes.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    dict
        Keys as the TrainResult attributes (``n``, ``local_spin``, ...), plus
        ``concurrence`` (or None), ``labels``, ``kraus``,
        ``choi_eigenvalues``, ``leftover`` (dict), ``steady`` (a dict of
        :data:`STEADY_DATASETS`' attributes, or None without a bath),
        ``attrs`` and ``config``.

    Raises
    ------
    ConfigError
        If the file is missing, not a readable regular file (a directory,
        FIFO, device), not HDF5 or not a train file: the gate of every
        reader, :func:`qutip_stt.io.schema.open_hdf5`.

    Examples
    --------
    >>> read_train("no-such-train.h5")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: file: no-such-train.h5: no such file
    """
    path, f = open_hdf5(path, TRAIN_FORMAT)
    with f:
        sizes = check_file(f, TRAIN_LAYOUT, path, optional=TRAIN_OPTIONAL,
                           allow_empty=("P",), increasing=("n",))
        if sizes["D2"] != sizes["D"] ** 2:
            raise ConfigError("dataset channel/choi_eigenvalues", f"has "
                              f"{sizes['D2']} values in {path}, expected "
                              f"D^2 = {sizes['D'] ** 2}")
        out = _read(f, path)
    if "config_json" in out["attrs"]:
        out["config"] = json.loads(out["attrs"]["config_json"])
    return out


def _read(f, path):
    """The datasets of a checked train file (a read error is one line)."""
    try:
        out = {attr: f[name][()] for name, attr in TRAIN_DATASETS.items()}
        out["concurrence"] = (f["pairs/concurrence"][()]
                              if "pairs/concurrence" in f else None)
        out["labels"] = [s.decode() if isinstance(s, bytes) else str(s)
                         for s in f["probabilities_labels"][()]]
        out["kraus"] = f["channel/kraus"][()]
        out["choi_eigenvalues"] = f["channel/choi_eigenvalues"][()]
        left = f["leftover"]
        out["leftover"] = {"near_spins": float(left[()]),
                           **{k: left.attrs[k] for k in left.attrs}}
        out["attrs"] = {k: (v.decode() if isinstance(v, bytes) else v)
                        for k, v in f.attrs.items()}
        out["steady"] = ({attr: f[name][()] for name, attr
                          in STEADY_DATASETS.items()}
                         if "channel/gap" in f else None)
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise ConfigError("file", f"{path}: unreadable data "
                          f"({' '.join(str(exc).split())[:120]})") from None
    return out
