"""The files of ``qutip-stt reproduce`` besides the four result files:
Fig. 2 (spectra) and Fig. 7 (spin-resolved density), and text reports."""

import h5py
import numpy as np

from .atomic import atomic_file, atomic_h5, provenance

__all__ = ["write_spectrum", "write_density", "read_paper_file", "write_text"]


def write_spectrum(path, spec, model, overwrite=False):
    """Write the data of Fig. 2 (``fig2_spectrum.h5``).

    Parameters
    ----------
    path : str
    spec : dict
        From :func:`qutip_stt.paper.compute.compute_spectrum`.
    model : STTModel
    overwrite : bool, default: False
        Replace a file that is not a qutip-stt output (``--force``).
    """
    with atomic_h5(path, overwrite=overwrite) as f:
        f.attrs.update(provenance())
        for key, value in spec.items():
            f.create_dataset(key, data=np.asarray(value))
        for key, value in model.attributes().items():
            f.attrs[f"model_{key}"] = value
        f.attrs["units"] = "energies eV, sectors hbar, spins hbar/2"
        f.attrs["bloch_columns"] = ("xxz_bloch: local spins 1..N; full_bloch: "
                                    "electron, then local spins 1..N")


def write_density(path, times, up, down, sites, t_edge, t_echo,
                  overwrite=False):
    """Write the data of Fig. 7 (``fig7_density.h5``): spin-resolved density.

    Parameters
    ----------
    path : str
    times : numpy.ndarray
        fs.
    up, down : numpy.ndarray
        ``(T, Lx)`` densities of the two electron-spin components.
    sites : array_like
        Sites of the local spins.
    t_edge, t_echo : float or None
        From :func:`qutip_stt.model.reflections.reflection_times` (NaN when None).
    overwrite : bool, default: False
        Replace a file that is not a qutip-stt output (``--force``).
    """
    with atomic_h5(path, overwrite=overwrite) as f:
        f.attrs.update(provenance())
        f.create_dataset("t", data=times).attrs["unit"] = "fs"
        f.create_dataset("density_up", data=up)
        f.create_dataset("density_down", data=down)
        f.create_dataset("sites", data=np.asarray(sites))
        f.attrs["t_edge_fs"] = np.nan if t_edge is None else t_edge
        f.attrs["t_echo_fs"] = np.nan if t_echo is None else t_echo


def read_paper_file(path):
    """Every dataset and attribute of a Fig. 2 or Fig. 7 file, as one dict.

    Parameters
    ----------
    path : str

    Returns
    -------
    dict
    """
    with h5py.File(path, "r") as f:
        out = {k: f[k][()] for k in f.keys()}
        out.update({k: v for k, v in f.attrs.items()})
    return out


def write_text(path, text, overwrite=False):
    """Write a text file atomically (UTF-8).

    Parameters
    ----------
    path : str
    text : str
    overwrite : bool, default: False
        Replace a file that is not a qutip-stt output (``--force``).
    """
    with atomic_file(path, overwrite=overwrite) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
