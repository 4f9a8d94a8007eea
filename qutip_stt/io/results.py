"""HDF5 result files: the layout of the docs' HDF5 reference (docs/guide/output.md), written atomically.

Datasets (``T`` times, ``N`` local spins, ``M`` spin configurations)::

    t                     (T,)        fs
    electron/spin         (T, 3)      <sigma_x,y,z> of the electron
    local/spin            (T, N, 3)   <Sigma_x,y,z> of each local spin, hbar/2
    purity/local          (T,)        Tr rho^2 of all local spins (Eq. 7)
    purity/electron       (T,)        Tr rho^2 of the electron (orbital + spin)
    purity/orbital        (T,)        Tr rho^2 of the orbital factor
    entropy/local         (T,)        von Neumann entropy (attribute base = "e")
    probabilities         (T, M)      Eq. (8)
    probabilities_m       (M, N+1)    m of the electron, then of each local spin
    probabilities_labels  (M,)        "↓;↑↑↑↑↑", "↑;3/2", ... (UTF-8)
    norm, energy          (T,)        <psi|psi>, <H> in eV
    total_sz              (T,)        total S^z, hbar/2
    density               (T, Lx)     electron probability on each site

Only when pair measures were asked for (``[analysis]``, see
:mod:`qutip_stt.measures.pairs`; ``P`` pairs, ``B`` blocks)::

    pairs/index               (P, 2)  subsystems: 0 electron spin, n local spin n
    pairs/mutual_information  (T, P)  nats (attribute base = "e")
    pairs/concurrence         (T, P)  NaN where not two spin-1/2
    pairs/log_negativity      (T, P)  bits (attribute base = "2")
    pairs/correlation         (T, P)  <Sigma_i.Sigma_j> - <Sigma_i>.<Sigma_j>
    blocks/index              (B, 2)  first and last local spin of each block
    blocks/entropy            (T, B)  nats (attribute base = "e")

Several electrons at once (``[electrons]``, method ``"exact"``): the same
layout without ``electron/spin``, ``purity/electron`` and
``purity/orbital`` (no one electron; the electrons' purity equals
``purity/local``), ``probabilities`` over the local-spin configurations
(``probabilities_m`` ``(M, N)``), and :data:`ELECTRONS_DATASETS`::

    electrons/spin_density  (T, Lx, 3)  <c+_i sigma c_i>: sum over electrons of <sigma> on site i
    electrons/spin          (T, 3)      the electrons' total spin, hbar/2
    electrons/count_right   (T,)        electrons beyond the last local spin

and the file attribute ``electrons`` (their number). Method ``"mps"``
adds :data:`MPS_DATASETS` (``B = Lx - 1`` bonds) and the attributes
``mps_chi_max``, ``mps_svd_min``, ``mps_dt``, ``mps_algorithm``::

    mps/truncation_error      (T,)        discarded weight accumulated since t = 0
    mps/bond_dimension        (T,)        largest bond dimension
    mps/entanglement_entropy  (T, B)      von Neumann entropy at each bond, nats

File attributes: ``format`` ("qutip-stt result"), ``format_version``,
``package``, ``package_version``, ``qutip_version``, ``config`` (TOML text),
``config_json``, ``method``, ``created`` (ISO 8601, UTC),
``evolution_wall_s``.

Files are written with :func:`qutip_stt.io.atomic.atomic_h5`, so an
interrupted run never leaves a half-written file. Nothing is pickled.
"""

import json

import h5py
import numpy as np

from ..errors import ConfigError
from .atomic import atomic_h5, config_attrs, provenance
from .schema import check_result_file, open_hdf5

__all__ = ["write_result", "write_result_group", "read_result",
           "FORMAT", "FORMAT_VERSION", "DATASETS", "ENTANGLEMENT_DATASETS",
           "ELECTRONS_DATASETS", "ONE_ELECTRON_DATASETS", "MPS_DATASETS"]

FORMAT = "qutip-stt result"
FORMAT_VERSION = 1

#: Optional pair/block datasets -> key of ``STTResult.entanglement``.
ENTANGLEMENT_DATASETS = {
    "pairs/index": "pairs_index",
    "pairs/mutual_information": "mutual_information",
    "pairs/concurrence": "concurrence",
    "pairs/log_negativity": "log_negativity",
    "pairs/correlation": "correlation",
    "blocks/index": "blocks_index",
    "blocks/entropy": "block_entropy",
}

#: Attributes of the optional datasets.
_ENTANGLEMENT_ATTRS = {
    "pairs/index": {"meaning": "subsystem indices: 0 electron spin, n local spin n"},
    "pairs/mutual_information": {"base": "e"},
    "pairs/log_negativity": {"base": "2"},
    "pairs/correlation": {"unit": "(hbar/2)^2"},
    "blocks/index": {"meaning": "first and last local spin (1-based, inclusive)"},
    "blocks/entropy": {"base": "e"},
}

#: HDF5 dataset path -> STTResult attribute.
DATASETS = {
    "t": "times",
    "electron/spin": "electron_spin",
    "local/spin": "local_spin",
    "purity/local": "purity_local",
    "purity/electron": "purity_electron",
    "purity/orbital": "purity_orbital",
    "entropy/local": "entropy_local",
    "probabilities": "probabilities",
    "probabilities_m": "configurations",
    "norm": "norm",
    "energy": "energy",
    "total_sz": "total_sz",
    "density": "density",
}

#: Datasets of :data:`DATASETS` only one electron has.
ONE_ELECTRON_DATASETS = ("electron/spin", "purity/electron", "purity/orbital")

#: The many-electron file's extra datasets -> key of :func:`read_result`.
ELECTRONS_DATASETS = {
    "electrons/spin_density": "electrons_spin_density",
    "electrons/spin": "electrons_spin",
    "electrons/count_right": "electrons_count_right",
}

#: A file of method ``"mps"``: its extra datasets -> key of :func:`read_result`.
MPS_DATASETS = {
    "mps/truncation_error": "mps_truncation_error",
    "mps/bond_dimension": "mps_bond_dimension",
    "mps/entanglement_entropy": "mps_entanglement_entropy",
}


def _datasets(many):
    """:data:`DATASETS` of a one- or many-electron file."""
    return {k: v for k, v in DATASETS.items()
            if not (many and k in ONE_ELECTRON_DATASETS)}


def write_result(path, result, config=None, *, attrs=None, overwrite=False,
                 inputs=()):
    """Write an :class:`~qutip_stt.solvers.STTResult` as an HDF5 file.

    Parameters
    ----------
    path : str or os.PathLike
    result : STTResult
    config : dict, optional
        The resolved run configuration, stored as TOML and JSON text.
    attrs : dict, optional
        Extra file attributes.
    overwrite : bool, default: False
        Replace an existing file that is not a qutip-stt output (see
        :func:`qutip_stt.io.check_output_path` for the policy).
    inputs : sequence of str, optional
        Files the caller read; ``path`` may not be one of them.

    Returns
    -------
    str
        ``path``.

    Examples
    --------
    >>> import os, tempfile
    >>> from qutip_stt import STTModel, initial_state, evolve
    >>> model = STTModel(Lx=40, N=2)
    >>> result = evolve(model, initial_state(model, x0=10), [0.0, 5.0])
    >>> path = write_result(os.path.join(tempfile.mkdtemp(), "run.h5"), result)
    >>> read_result(path)["local_spin"].shape
    (2, 2, 3)
    """
    with atomic_h5(path, overwrite=overwrite, inputs=inputs) as f:
        write_result_group(f, result)
        f.attrs["format"] = FORMAT
        f.attrs["format_version"] = FORMAT_VERSION
        f.attrs.update(provenance())
        f.attrs["method"] = result.method
        f.attrs["evolution_wall_s"] = float(result.wall_time)
        f.attrs.update(config_attrs(config))
        for key, value in {**getattr(result, "file_attrs", {}),
                           **(attrs or {})}.items():
            f.attrs[key] = value
    return path


def write_result_group(group, result):
    """Write the datasets of one result into an open h5py group.

    The layout of :data:`DATASETS` plus ``probabilities_labels`` and the
    model parameters as ``model_*`` attributes; used by :func:`write_result`
    and by tools that store several results in one file.

    Parameters
    ----------
    group : h5py.Group
        An open file or group, written in place.
    result : STTResult
    """
    many = "electrons/spin" in (getattr(result, "extra", None) or {})
    for name, attr in _datasets(many).items():
        group.create_dataset(name, data=np.asarray(getattr(result, attr)))
    group.create_dataset("probabilities_labels",
                         data=np.array(result.labels, dtype=object),
                         dtype=h5py.string_dtype("utf-8"))
    group["t"].attrs["unit"] = "fs"
    group["energy"].attrs["unit"] = "eV"
    group["entropy/local"].attrs["base"] = "e"
    group["local/spin"].attrs["unit"] = "hbar/2"
    if not many:
        group["electron/spin"].attrs["unit"] = "hbar/2"
    ent = getattr(result, "entanglement", None) or {}
    for name, key in ENTANGLEMENT_DATASETS.items():
        table = name.split("/")[0]          # "pairs" or "blocks"
        if key in ent and len(ent.get(f"{table}_index", ())):
            group.create_dataset(name, data=np.asarray(ent[key]))
            group[name].attrs.update(_ENTANGLEMENT_ATTRS.get(name, {}))
    for name, values in (getattr(result, "extra", None) or {}).items():
        group.create_dataset(name, data=np.asarray(values))
    for name, attrs in (getattr(result, "dataset_attrs", None) or {}).items():
        group[name].attrs.update(attrs)
    model = result.model
    if model is not None:
        for key, value in model.attributes().items():
            group.attrs[f"model_{key}"] = value


def read_result(path):
    """Read a qutip-stt HDF5 result into a dict of arrays and attributes.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by :func:`write_result` or ``qutip-stt simulate``.

    Returns
    -------
    dict
        Keys as the :class:`~qutip_stt.solvers.STTResult` attributes
        (``times``, ``electron_spin``, ``local_spin``, ...; ``entanglement``
        is ``None`` for files without pair measures), plus ``labels``,
        ``attrs`` (file attributes) and ``config`` (the resolved config dict,
        if stored). A many-electron file has no ``electron_spin``,
        ``purity_electron``, ``purity_orbital`` and holds the values of
        :data:`ELECTRONS_DATASETS` instead; a file of method ``"mps"`` also
        those of :data:`MPS_DATASETS`.

    Raises
    ------
    ConfigError
        If the file is missing, not a readable regular file, not HDF5 or
        not a qutip-stt result (:func:`qutip_stt.io.schema.open_hdf5`, the
        gate of every reader), or fails the layout check
        (:func:`qutip_stt.io.schema.check_result_file`: shapes, dtypes, sizes,
        links, finite values), naming the dataset.

    Examples
    --------
    >>> read_result("no-such-file.h5")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: file: no-such-file.h5: no such file
    """
    path, f = open_hdf5(path, FORMAT)
    with f:
        check_result_file(f, path)
        many = "electrons" in f
        try:
            out = {attr: f[name][()] for name, attr in
                   _datasets(many).items()}
            if many:
                out.update({key: f[name][()] for name, key in
                            ELECTRONS_DATASETS.items()})
            if "mps" in f:
                out.update({key: f[name][()] for name, key in
                            MPS_DATASETS.items()})
            ent = {key: f[name][()] for name, key in
                   ENTANGLEMENT_DATASETS.items() if name in f}
            out["entanglement"] = ent or None
            out["labels"] = [s.decode(errors="replace") if isinstance(s, bytes)
                             else str(s) for s in f["probabilities_labels"][()]]
            out["attrs"] = {k: (v.decode(errors="replace")
                                if isinstance(v, bytes) else v)
                            for k, v in f.attrs.items()}
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            raise ConfigError("file", f"{path}: unreadable data "
                              f"({' '.join(str(exc).split())[:120]})") from None
    if "config_json" in out["attrs"]:
        out["config"] = json.loads(out["attrs"]["config_json"])
    return out
