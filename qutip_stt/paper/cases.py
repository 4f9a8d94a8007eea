"""The paper's cases and the numbers it quotes (what the reproduction runs and grades)."""

from ..config import apply_overrides, preset

__all__ = ["CASES", "QUICK_LENGTH", "QUICK_T_MAX", "QUICK_N_TIMES",
           "BAND_LEVELS", "PAPER_VALUES", "REPORT_KEYS", "EXACT_TOL",
           "case_config"]

#: The four dynamical cases: figure stem -> (preset, title).
CASES = {
    "fig3_collinear": ("paper-collinear", "Fig. 3: N = 5 spin-1/2, "
                       "electron spin −z, local spins +z (collinear)"),
    "fig4_noncollinear": ("paper-noncollinear", "Fig. 4: N = 5 spin-1/2, "
                          "electron spin +x (noncollinear)"),
    "fig5_macrospin_collinear": ("macrospin-collinear", "Fig. 5: one "
                                 "spin-5/2 macrospin, electron spin −z"),
    "fig6_macrospin_noncollinear": ("macrospin-noncollinear", "Fig. 6: one "
                                    "spin-5/2 macrospin, electron spin +x"),
}

#: Chain length, last time (fs) and number of outputs of ``quick=True``.
QUICK_LENGTH = 200
QUICK_T_MAX = 250.0
QUICK_N_TIMES = 26

#: Number of lowest levels of the full H computed for Fig. 2(b) (quick: 20).
BAND_LEVELS = 40

#: Numbers quoted in the paper (eV where an energy).
PAPER_VALUES = {
    "E0_eV": -2.43, "xxz_degeneracy": 6, "full_degeneracy": 7,
    "wave_packet_energy_eV": -2.36, "wave_packet_spread_eV": 0.054,
    "k": 0.1, "dk": 0.2,
}

#: Keys report.json always has (besides ``claims`` and ``cases``).
REPORT_KEYS = ("xxz_lowest_levels_eV", "full_lowest_levels_eV",
               "wave_packet_energy_eV", "wave_packet_spread_eV",
               "E0_eV", "xxz_multiplet_splitting_eV",
               "full_multiplet_splitting_eV", "dk_for_paper_energy",
               "dk_for_paper_spread", "cases", "claims", "quick",
               "parameters", "timings_s", "files")

#: Identities that hold exactly are checked to this absolute tolerance (the
#: Chebyshev propagation is exact to ~1e-12).
EXACT_TOL = 1e-8


def case_config(name, quick=False, overrides=()):
    """The resolved config of a preset, shrunk to the quick size if asked.

    Parameters
    ----------
    name : str
        A key of :data:`qutip_stt.config.PRESETS`.
    quick : bool, default: False
        ``chain.length = QUICK_LENGTH``, ``t_max = QUICK_T_MAX`` fs; the
        packet centre and the local spins move with the chain
        (``x0 = 0.4 Lx``, spins in the middle).
    overrides : sequence of str, optional
        More ``key=value`` settings (see
        :func:`qutip_stt.config.apply_overrides`).

    Returns
    -------
    dict
        A resolved config (see :mod:`qutip_stt.config`).

    Examples
    --------
    >>> case_config("paper-collinear", quick=True)["chain"]["length"]
    200
    """
    settings = []
    if quick:
        settings = [f"chain.length={QUICK_LENGTH}",
                    f"evolution.t_max={QUICK_T_MAX}",
                    f"evolution.n_times={QUICK_N_TIMES}"]
    return apply_overrides(preset(name, resolve=False),
                           settings + list(overrides))
