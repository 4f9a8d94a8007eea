"""The figures of ``qutip-stt reproduce``, drawn from its HDF5 files only."""

import os

from ..io import read_result
from ..io.paper_files import read_paper_file
from .cases import CASES
from ..viz import plotting
from ..viz.style import save_figure
from ..viz.spectrum_figures import plot_spectrum_figure

__all__ = ["make_figures"]


def make_figures(out_dir, progress=None, overwrite=False):
    """Draw every figure from the HDF5 files of a reproduction in ``out_dir``.

    Re-run it after restyling :mod:`qutip_stt.viz.plotting` (or the modules
    it gathers, such as :mod:`qutip_stt.viz.style`); nothing is recomputed.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Folder written by :func:`reproduce`.
    progress : callable, optional
        Called with no argument after each of the ``2 + len(CASES)`` figures.
    overwrite : bool, default: False
        Replace files that are not qutip-stt outputs (``--force``).

    Returns
    -------
    list of str
        The written PNG and PDF paths.
    """
    tick = progress or (lambda: None)
    out = []
    spec = read_paper_file(os.path.join(out_dir, "fig2_spectrum.h5"))
    fig = plot_spectrum_figure(
        spec["xxz_energies"], spec["xxz_sectors"], spec["full_energies"],
        spec["full_sectors"], spec["xxz_bloch"], spec["full_bloch"],
        spec["xxz_ground_sectors"], spec["full_ground_sectors"],
        xxz_ground_energies=spec["xxz_ground_energies"],
        full_ground_energies=spec["full_ground_energies"],
        title=f"Fig. 2: spectra (N = {spec['model_N']}, "
              f"Lx = {spec['model_Lx']}) and ground-multiplet spins")
    out += save_figure(fig, os.path.join(out_dir, "fig2_spectrum"),
                       overwrite=overwrite)
    tick()
    for stem, (_, title) in CASES.items():
        data = read_result(os.path.join(out_dir, f"{stem}.h5"))
        fig = plotting.plot_case(data, title=title)
        out += save_figure(fig, os.path.join(out_dir, stem),
                           overwrite=overwrite)
        if data["local_spin"].shape[1] > 1:
            fig = plotting.plot_local_spins(data, title=title + ": every "
                                            "local spin")
            out += save_figure(
                fig, os.path.join(out_dir, f"{stem}_local_spins"),
                overwrite=overwrite)
        tick()
    dens = read_paper_file(os.path.join(out_dir, "fig7_density.h5"))
    fig = plotting.plot_density_map(
        dens["t"], dens["density_up"], dens["density_down"], dens["sites"],
        t_edge=float(dens["t_edge_fs"]), t_echo=float(dens["t_echo_fs"]),
        title="Fig. 7 (not in the paper): electron density of the collinear "
              "case (Fig. 3)")
    out += save_figure(fig, os.path.join(out_dir, "fig7_density"),
                       overwrite=overwrite)
    tick()
    return out
