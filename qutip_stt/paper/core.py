r"""Reproduce Mondal *et al.*, PRB 99, 094431 (2019), figure by figure, with a report.

:func:`reproduce` (``qutip-stt reproduce --out DIR``) recomputes, on the
paper's parameters, everything behind Figs. 2-6 and one extra figure, saves
the data of each figure next to it as HDF5, draws every figure from those
files (:mod:`qutip_stt.viz.plotting`), and checks every quantitative statement of
the paper in ``DIR/report.md`` and ``DIR/report.json``.

What is computed
----------------
Fig. 2
    (a) all levels of the isolated XXZ chain, sector by sector in the local
    total ``S^z``; (b) the lowest levels of the full Hamiltonian, block by
    block in total ``S^z`` (:func:`qutip_stt.spectrum.ground_states`; the
    25,600 x 25,600 matrix is never diagonalized densely); (c) the Bloch
    vectors of every spin in each state of the two ground multiplets.
Figs. 3-6
    The four presets of :data:`qutip_stt.config.PRESETS` run with
    :func:`qutip_stt.simulate` (exact Chebyshev propagation per sector).
Fig. 7 (not in the paper)
    The electron density on the chain vs time, resolved by electron spin,
    for the collinear case, with the local spins and the times at which the
    packet reaches the chain ends and its echo the local spins.

``quick=True`` runs the same on a chain of :data:`QUICK_LENGTH` sites to
:data:`QUICK_T_MAX` fs (same N, S and couplings) for smoke tests.
"""

import json
import math
import os
import time
import warnings

import numpy as np
import qutip
import scipy.linalg
import scipy.optimize

from .. import observables as analysis, spectrum
from ..config import apply_overrides, preset
from ..errors import ConfigError
from ..io import (atomic_h5, atomic_file, check_output_path, provenance,
                 read_result, write_result)
from ..simulation import (ReflectionWarning, build, check_reflections,
                          simulate)

__all__ = ["reproduce", "CASES", "PAPER_VALUES", "REPORT_KEYS",
           "case_config", "xxz_sector_spectrum", "compute_spectrum",
           "packet_energy", "packet_width_for", "spin_resolved_density",
           "evaluate_claims", "make_figures", "write_report"]

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


# -- configurations ------------------------------------------------------------

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


# -- Fig. 2: spectra ---------------------------------------------------------------

def xxz_sector_spectrum(model):
    """All levels of the isolated XXZ chain, diagonalized sector by sector.

    The chain conserves the local total ``S^z``; diagonalizing each sector
    apart keeps every eigenvector inside one sector (degenerate ``+-m``
    doublets are not mixed), so its spins have definite Bloch vectors.

    Parameters
    ----------
    model : STTModel

    Returns
    -------
    energies : numpy.ndarray
        eV, ascending, all ``(2S+1)^N`` levels.
    sectors : numpy.ndarray
        Local total ``S^z`` (hbar) of each level.
    states : list of qutip.Qobj
        Eigenkets on the local-spins space (dims ``[[2S+1]*N, [1]*N]``).

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> e, m, _ = xxz_sector_spectrum(STTModel(Lx=10, N=2))
    >>> e.round(4).tolist(), m.tolist()
    ([-0.1005, -0.1005, -0.0995, 0.3005], [1.0, -1.0, 0.0, 0.0])
    """
    H = model.xxz_chain.full()
    n_local = model.spin_dim ** model.N
    # rows with the electron up enumerate the local basis in QuTiP order
    local_m = model.spin_configurations[:n_local, 1:].sum(axis=1)
    dims = [[model.spin_dim] * model.N, [1] * model.N]
    found = []
    for m in np.unique(local_m):
        idx = np.flatnonzero(np.isclose(local_m, m))
        vals, vecs = scipy.linalg.eigh(H[np.ix_(idx, idx)])
        for j, v in enumerate(vals):
            full = np.zeros(n_local, dtype=complex)
            full[idx] = vecs[:, j]
            found.append((v, m, full))
    found.sort(key=lambda item: (item[0], -item[1]))
    energies = np.array([f[0] for f in found])
    sectors = np.array([f[1] for f in found])
    states = [qutip.Qobj(f[2], dims=dims) for f in found]
    return energies, sectors, states


def compute_spectrum(model, n_levels=BAND_LEVELS, n_xxz=6, n_full=7):
    """Everything Fig. 2 shows, as a dict of arrays.

    Parameters
    ----------
    model : STTModel
    n_levels : int, default: 40
        Lowest levels of the full Hamiltonian to compute (panel (b)).
    n_xxz, n_full : int, default: 6, 7
        Size of the ground multiplets whose spins panel (c) draws.

    Returns
    -------
    dict
        ``xxz_energies``, ``xxz_sectors`` (all XXZ levels),
        ``full_energies``, ``full_sectors`` (the ``n_levels`` lowest),
        ``xxz_bloch`` ``(n_xxz, N, 3)``, ``full_bloch`` ``(n_full, N+1, 3)``
        (electron first), and ``xxz_ground_*`` / ``full_ground_*`` energies
        and sectors of the two multiplets; energies in eV, ``S^z`` in hbar,
        spins in hbar/2.
    """
    xe, xm, xstates = xxz_sector_spectrum(model)
    xxz_bloch = np.array([[analysis.bloch_vector(st.ptrace(n), model.S)
                           for n in range(model.N)]
                          for st in xstates[:n_xxz]])
    fe, fstates = spectrum.ground_states(model, k=n_levels)
    fm = np.array([float(np.dot(analysis.spin_probabilities(st, model),
                                model.sector_labels)) for st in fstates])
    full_bloch = np.array([
        [analysis.bloch_vector(analysis.reduced_density_matrix(
            st, model, "electron_spin"))]
        + [analysis.bloch_vector(analysis.reduced_density_matrix(
            st, model, f"local:{n}"), model.S) for n in range(1, model.N + 1)]
        for st in fstates[:n_full]])
    return {
        "xxz_energies": xe, "xxz_sectors": xm,
        "xxz_ground_energies": xe[:n_xxz], "xxz_ground_sectors": xm[:n_xxz],
        "xxz_bloch": xxz_bloch,
        "full_energies": fe, "full_sectors": np.round(fm, 9),
        "full_ground_energies": fe[:n_full],
        "full_ground_sectors": np.round(fm[:n_full], 9),
        "full_bloch": full_bloch,
    }


# -- Eq. (4): energy and spread of the initial state --------------------------------

def packet_energy(model, state):
    """Mean energy and energy spread of a ket: ``<H>`` and ``sqrt(<H^2> - <H>^2)``.

    Parameters
    ----------
    model : STTModel
    state : qutip.Qobj
        Normalised ket with the model's dims (e.g. the Eq. (4) state).

    Returns
    -------
    (float, float)
        eV.

    Examples
    --------
    >>> from qutip_stt import STTModel, initial_state
    >>> model = STTModel(Lx=400, N=5)
    >>> E, dE = packet_energy(model, initial_state(model))
    >>> round(E, 4), round(dE, 4)
    (-2.3821, 0.0243)
    """
    H = model.hamiltonian
    h_psi = H @ state
    energy = float(np.real(state.overlap(h_psi)))
    second = float(np.real(h_psi.overlap(h_psi)))
    return energy, math.sqrt(max(second - energy ** 2, 0.0))


def packet_width_for(config, target, which="energy", bracket=(0.2, 1.5)):
    """The ``dk`` of Eq. (4) for which the initial state has a given energy or spread.

    Parameters
    ----------
    config : dict
        Resolved config; everything but ``electron.dk`` is kept.
    target : float
        eV.
    which : {"energy", "spread"}
    bracket : (float, float)
        Interval of ``dk`` searched.

    Returns
    -------
    float or None
        ``dk`` (``delta k_x a``), or None if no ``dk`` in ``bracket`` fits.
    """
    position = {"energy": 0, "spread": 1}[which]
    model = build(config)[0]

    def mismatch(dk):
        cfg = apply_overrides(config, [f"electron.dk={dk!r}"])
        return packet_energy(model, build(cfg)[1])[position] - target

    lo, hi = bracket
    if mismatch(lo) * mismatch(hi) > 0:
        return None
    return float(scipy.optimize.brentq(mismatch, lo, hi, xtol=1e-6))


# -- dynamics ---------------------------------------------------------------------

def spin_resolved_density(states, model):
    """Electron density on each site for spin up and spin down.

    Parameters
    ----------
    states : list of qutip.Qobj
        Kets at each time.
    model : STTModel

    Returns
    -------
    up, down : numpy.ndarray
        Shape ``(T, Lx)``; ``up + down`` is the ``density`` of a result.
    """
    up, down = [], []
    for st in states:
        amp = st.full().reshape(model.Lx, 2, -1)
        w = (amp.conj() * amp).real.sum(axis=2)
        up.append(w[:, 0])
        down.append(w[:, 1])
    return np.array(up), np.array(down)


def _run_case(name, quick):
    """Simulate one preset; return the result and numbers needing the kets."""
    config = case_config(name, quick)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReflectionWarning)
        t_edge, t_echo = check_reflections(config)
        result = simulate(config, store_states=True)
    model = result.model
    # Electron purity straight from its own reduced density matrix (the
    # sector route takes it from the local-spins side, equal by Schmidt).
    picks = np.unique(np.linspace(0, len(result.times) - 1, 11).astype(int))
    p_el = np.array([analysis.purity(analysis.reduced_density_matrix(
        result.states[i], model, "electron")) for i in picks])
    extra = {"config": config, "t_edge": t_edge, "t_echo": t_echo,
             "purity_check_index": picks, "purity_electron_ptrace": p_el}
    if name == "paper-collinear":
        extra["density_up"], extra["density_down"] = spin_resolved_density(
            result.states, model)
    result.states = None
    return result, extra


def _run_parallel(quick):
    """The Appendix's parallel start |G> (x) |up> (x) |5/2>: nothing may happen."""
    config = case_config("macrospin-collinear", quick, ["electron.spin=+z"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReflectionWarning)
        result = simulate(config)
    S = result.model.S
    return {
        "max_purity_loss": float(np.max(1 - result.purity_local)),
        "max_spin_change": float(np.max(np.abs(
            result.local_spin[:, 0] - [0, 0, 2 * S]))),
        "min_orbital_purity": float(result.purity_orbital.min()),
    }


# -- claims -------------------------------------------------------------------------

def _row(key, figure, claim, paper, ours, verdict, why):
    return {"key": key, "figure": figure, "claim": claim, "paper": paper,
            "ours": ours, "verdict": "agrees" if verdict else "differs",
            "why": why}


def _p(data, label):
    return data["probabilities"][:, data["labels"].index(label)]


def _one_flip_labels(N):
    return [f"↑;{'↑' * i}↓{'↑' * (N - 1 - i)}" for i in range(N)]


def evaluate_claims(numbers, cases):
    """One report row per quantitative statement of the paper.

    Parameters
    ----------
    numbers : dict
        Spectrum and wave-packet numbers (see :func:`reproduce`).
    cases : dict
        Preset name -> :func:`qutip_stt.io.read_result`-style dict, with the
        extra keys ``t_edge``, ``t_echo`` and ``purity_electron_ptrace``.

    Returns
    -------
    list of dict
        Rows with ``key``, ``figure``, ``claim``, ``paper``, ``ours``,
        ``verdict`` (``"agrees"`` or ``"differs"``) and ``why``.
    """
    rows = []
    pv = PAPER_VALUES
    e0 = numbers["E0_eV"]
    rows.append(_row(
        "E0", "2(b)", "ground-state energy of the full H", pv["E0_eV"],
        round(e0, 6), abs(e0 - pv["E0_eV"]) < 0.01,
        f"{e0:.4f} eV: the paper's two digits are this value truncated "
        f"(rounded it would be {e0:.2f})"))
    for key, n, fig in (("xxz", 6, "2(a)"), ("full", 7, "2(b)")):
        levels = np.asarray(numbers[f"{key}_levels_all_eV"])
        split, gap = levels[n - 1] - levels[0], levels[n] - levels[n - 1]
        rows.append(_row(
            f"{key}_degeneracy", fig,
            f"ground state {'of the XXZ chain' if key == 'xxz' else 'of H'} "
            f"is {n}-fold degenerate", n,
            {"splitting_eV": round(split, 6), "gap_to_next_eV": round(gap, 6)},
            split < 0.2 * gap,
            f"near-degenerate, not degenerate: the {n} lowest levels lie "
            f"within {split * 1e3:.2f} meV, {gap * 1e3:.1f} meV below the "
            f"next level; they are the total-spin S = {(n - 1) / 2:g} "
            f"multiplet, exactly degenerate for Jz = J, split by the "
            f"anisotropy Jz > J into doublets +-m"))
    bloch = np.asarray(numbers["full_ground_bloch"])
    transverse = float(np.max(np.abs(bloch[..., :2])))
    same_sign = all(np.all(z >= -1e-9) or np.all(z <= 1e-9)
                    for z in bloch[..., 2])
    rows.append(_row(
        "ground_state_parallel", "2(c)",
        "in the ground multiplet electron and local spins are parallel",
        "parallel arrows", {"max_transverse": transverse,
                            "lowest_state_Sz": bloch[0, :, 2].round(6).tolist()},
        transverse < 1e-6 and same_sign,
        "every spin lies along z with one common sign in each of the 7 states;"
        " in the lowest state all have <S^z> = +-1"))
    E, dE = numbers["wave_packet_energy_eV"], numbers["wave_packet_spread_eV"]
    dkE, dkS = numbers["dk_for_paper_energy"], numbers["dk_for_paper_spread"]
    rows.append(_row(
        "wave_packet_energy", "Eq. (4)", "wave-packet energy E",
        pv["wave_packet_energy_eV"], round(E, 6),
        abs(E - pv["wave_packet_energy_eV"]) < 0.005,
        f"Eq. (4) as written (k = 0.1, dk = 0.2) gives {E:.4f} eV; "
        f"dk = {dkE:.3f} would give -2.36 eV" if dkE else
        f"Eq. (4) as written gives {E:.4f} eV"))
    rows.append(_row(
        "wave_packet_spread", "Eq. (4)", "wave-packet energy spread dE",
        pv["wave_packet_spread_eV"], round(dE, 6),
        abs(dE - pv["wave_packet_spread_eV"]) < 0.005,
        f"Eq. (4) as written gives {dE:.4f} eV; dk = {dkS:.3f} would give "
        f"0.054 eV (and E = {numbers['energy_at_dk_for_spread_eV']:.4f} eV): "
        f"both of the paper's numbers fit a packet {dkS / pv['dk']:.2f}x "
        f"wider in momentum (real-space width 1/dk = {1 / dkS:.1f} instead "
        f"of {1 / pv['dk']:.0f} sites) than Eq. (4) with dk = 0.2" if dkS
        else f"Eq. (4) as written gives {dE:.4f} eV"))

    col, nc = cases["paper-collinear"], cases["paper-noncollinear"]
    mc, mnc = cases["macrospin-collinear"], cases["macrospin-noncollinear"]
    N = col["local_spin"].shape[1]
    transverse = max(float(np.max(np.abs(col["local_spin"][..., :2]))),
                     float(np.max(np.abs(col["electron_spin"][:, :2]))))
    rows.append(_row(
        "collinear_no_rotation", "3(a),(c)",
        "collinear: S^x = S^y = 0 for the electron and every local spin",
        0.0, transverse, transverse < EXACT_TOL,
        f"largest |S^x|, |S^y| over 0..{col['times'][-1]:g} fs: "
        f"{transverse:.1e}"))
    s1z = col["local_spin"][:, 0, 2]
    rows.append(_row(
        "collinear_shrinking", "3(c)", "local spin 1 shrinks: S_1^z < 1",
        "< 1", round(float(s1z[-1]), 6), s1z[-1] < 1 - 1e-3,
        f"S_1^z(t_max) = {s1z[-1]:.4f} (minimum {s1z.min():.4f}); "
        f"|s_e|(t_max) = {np.linalg.norm(col['electron_spin'][-1]):.4f}"))
    se = np.linalg.norm(col["electron_spin"], axis=1)
    rows.append(_row(
        "electron_decoherence", "3(a)", "the electron spin decoheres: |s_e| < 1",
        "< 1", round(float(se[-1]), 6), se[-1] < 1 - 1e-3,
        f"|s_e|(t_max) = {se[-1]:.4f}, s_e stays along -z "
        f"(s_e^z = {col['electron_spin'][-1, 2]:+.4f})"))
    spread = float(np.max(np.abs(col["local_spin"][:, :, 2]
                                 - s1z[:, None])))
    final = col["local_spin"][-1, :, 2]
    lows = col["local_spin"][:, :, 2].min(axis=0)
    rows.append(_row(
        "spins_2_to_5_alike", "3(c)",
        "spins 2-5 have virtually the same S^z(t) as spin 1", "nearly equal",
        spread, spread < 0.25 * (1 - s1z.min()),
        f"same trend, and at t_max S^z = {final.min():.4f}..{final.max():.4f}"
        f" for the five spins; but while the packet passes they differ by up "
        f"to {spread:.4f} (lowest S^z: "
        + ", ".join(f"{v:.3f}" for v in lows)
        + f" for spins 1..{N}), comparable to the shrinking 1 - S_1^z "
        f"<= {1 - s1z.min():.4f}: the end spins dip more"))
    for name, fig in (("paper-collinear", "3(b)"),
                      ("paper-noncollinear", "4(b)"),
                      ("macrospin-collinear", "5(b)"),
                      ("macrospin-noncollinear", "6(b)")):
        d = cases[name]
        diff = float(np.max(np.abs(
            d["purity_electron_ptrace"]
            - d["purity_local"][d["purity_check_index"]])))
        rows.append(_row(
            f"equal_purities_{name}", fig,
            "purity of the electron subsystem equals that of all local spins",
            "identical", diff, diff < EXACT_TOL,
            f"electron purity from its own reduced density matrix (ptrace) "
            f"vs local-spin purity at 11 times: largest difference "
            f"{diff:.1e}; final purity {d['purity_local'][-1]:.4f}"))
    down0 = "↓;" + "↑" * N
    p_down = _p(col, down0)
    rows.append(_row(
        "initial_state_dominant", "3(d)",
        f"|{down0}⟩ keeps its probability close to 1", "close to 1",
        round(float(p_down.min()), 6), p_down.min() > 0.5,
        f"smallest over the run {p_down.min():.4f}, at t_max "
        f"{p_down[-1]:.4f}; every other configuration stays below "
        f"{max(_p(col, lab).max() for lab in _one_flip_labels(N)):.4f}"))
    flips = _one_flip_labels(N)
    peaks = np.array([_p(col, lab).max() for lab in flips])
    order = np.argsort(-peaks)
    rows.append(_row(
        "open_chain_resonance", "3(d)",
        f"|{flips[-1]}⟩ enhanced (open chain: resonant with |{flips[0]}⟩)",
        "enhanced", {lab: round(float(v), 6) for lab, v in zip(flips, peaks)},
        order[0] == N - 1 and set(order[:2]) == {0, N - 1},
        f"largest probability over time of each one-flip configuration: "
        f"{flips[-1]} {peaks[-1]:.4f} is the largest, {flips[0]} "
        f"{peaks[0]:.4f} next, the middle {flips[N // 2]} {peaks[N // 2]:.4f}"
        f" (the paper writes |↑;↑↑↑↓⟩ with four local spins, a typo)"))
    for name, fig, a in (("paper", "4(d)", (col, nc, flips + [down0],
                                            "↑;" + "↑" * N)),
                         ("macrospin", "6(d)", (mc, mnc, ["↑;3/2", "↓;5/2"],
                                                "↑;5/2"))):
        c, n, labels, up = a
        half = max(float(np.max(np.abs(_p(n, lab) - _p(c, lab) / 2)))
                   for lab in labels)
        stay = float(np.max(np.abs(_p(n, up) - 0.5)))
        rows.append(_row(
            f"noncollinear_half_{name}", fig,
            f"noncollinear probabilities are half the collinear ones and "
            f"|{up}⟩ stays at 1/2", "exactly 1/2",
            {"max_deviation_half": half, "max_deviation_up_state": stay},
            max(half, stay) < EXACT_TOL,
            f"largest |p_nc - p_c/2| = {half:.1e} over {', '.join(labels)}; "
            f"largest |p({up}) - 1/2| = {stay:.1e}"))
    s1 = nc["local_spin"][:, 0]
    rows.append(_row(
        "noncollinear_rotation", "4(c)", "noncollinear: S_1^x != 0, S_1^y != 0",
        "nonzero", {"max_abs_Sx": float(np.max(np.abs(s1[:, 0]))),
                    "max_abs_Sy": float(np.max(np.abs(s1[:, 1])))},
        np.max(np.abs(s1[:, 0])) > 1e-3 and np.max(np.abs(s1[:, 1])) > 1e-3,
        f"S_1(t_max) = ({s1[-1, 0]:+.4f}, {s1[-1, 1]:+.4f}, {s1[-1, 2]:+.4f}),"
        f" |S_1| = {np.linalg.norm(s1[-1]):.4f} < 1: rotation and shrinking"))
    drift = max(float(np.max(np.abs(d["total_sz"] - d["total_sz"][0])))
                for d in cases.values())
    rows.append(_row(
        "total_sz_conserved", "3(d), A", "total S^z is conserved", 0.0, drift,
        drift < EXACT_TOL, f"largest drift of <S^z_tot> over the four runs "
        f"{drift:.1e} (hbar/2)"))
    ab = float(np.max(np.abs(_p(mc, "↓;5/2") + _p(mc, "↑;3/2") - 1)))
    rows.append(_row(
        "macrospin_a2_b2", "5(d), Eq. (A1b)", "|a|^2 + |b|^2 = 1", 1.0, ab,
        ab < EXACT_TOL, f"largest |p(↓;5/2) + p(↑;3/2) - 1| = {ab:.1e}; "
        f"|b|^2(t_max) = {_p(mc, '↑;3/2')[-1]:.4f}"))
    ms = mc["local_spin"][:, 0]
    rows.append(_row(
        "macrospin_collinear", "5(c)",
        "macrospin does not rotate (S^x = S^y = 0) but shrinks", "< 5",
        round(float(ms[-1, 2]), 6),
        np.max(np.abs(ms[:, :2])) < EXACT_TOL and ms[-1, 2] < 5 - 1e-3,
        f"S^z(t_max) = {ms[-1, 2]:.4f} (hbar/2, starts at 5); largest "
        f"|S^x|, |S^y| = {np.max(np.abs(ms[:, :2])):.1e}"))
    ms = mnc["local_spin"][:, 0]
    rows.append(_row(
        "macrospin_noncollinear", "6(c)", "macrospin rotates and shrinks",
        "rotates, |S| < 5", round(float(np.linalg.norm(ms[-1])), 6),
        np.max(np.abs(ms[:, :2])) > 1e-3 and np.linalg.norm(ms[-1]) < 5 - 1e-3,
        f"S(t_max) = ({ms[-1, 0]:+.4f}, {ms[-1, 1]:+.4f}, {ms[-1, 2]:+.4f}), "
        f"|S| = {np.linalg.norm(ms[-1]):.4f}"))
    par = numbers.get("parallel")
    if par is not None:
        rows.append(_row(
            "parallel_no_dynamics", "Appendix",
            "|G> (x) |↑> (x) |5/2> is an eigenstate of the spins: no STT, no "
            "entanglement", 0.0, {k: par[k] for k in (
                "max_purity_loss", "max_spin_change")},
            max(par["max_purity_loss"], par["max_spin_change"]) < EXACT_TOL,
            f"electron +z on the +z macrospin: purity stays 1 to "
            f"{par['max_purity_loss']:.1e} and the macrospin at (0, 0, 5) to "
            f"{par['max_spin_change']:.1e}; the orbital purity stays "
            f"{par['min_orbital_purity']:.3f}"))
    orb = {name: float(d["purity_orbital"].min()) for name, d in cases.items()}
    rows.append(_row(
        "orbital_uncorrelated", "Appendix",
        "orbital and spin parts stay uncorrelated, |Psi> = |G> (x) |spins>",
        1.0, {k: round(v, 6) for k, v in orb.items()},
        min(orb.values()) > 1 - 1e-3,
        f"the orbital purity would stay 1; it falls to "
        f"{orb['macrospin-collinear']:.4f} (macrospin, collinear) and "
        f"{orb['paper-collinear']:.4f} (N = 5): the s-d term "
        f"|n><n| (x) sigma.Sigma_n couples position and spin, so each spin "
        f"configuration scatters into its own orbital state (the |↓;↑..⟩ "
        f"part is mostly reflected by the +J_sd barrier, the flipped part "
        f"leaves both ways; Fig. 7) and orbit and spins entangle"))
    t_edge, t_echo = col["t_edge"], col["t_echo"]
    t_max = float(col["times"][-1])
    rows.append(_row(
        "no_reflection", "3-6",
        f"Lx = {col['density'].shape[1]} keeps the packet from reflecting "
        f"within the time frame", "no reflection",
        {"t_edge_fs": t_edge, "t_echo_fs": t_echo, "t_max_fs": t_max},
        t_edge is None,
        "the packet (x0 = {:g}) spreads fast near the band bottom: 1% of it "
        "is within 10 sites of a chain end at {} fs, and the echo changes the "
        "density on the local spins by 1e-3 at {} fs, before t_max = {:g} fs "
        "(Fig. 7)".format(col["config"]["electron"]["x0"], t_edge, t_echo,
                          t_max) if t_edge is not None else
        "the packet stays away from the chain ends"))
    return rows


# -- files ---------------------------------------------------------------------------

def _write_spectrum(path, spec, model):
    with atomic_h5(path) as f:
        for key, value in spec.items():
            f.create_dataset(key, data=np.asarray(value))
        for key, value in model.parameters().items():
            f.attrs[f"model_{key}"] = value
        f.attrs["units"] = "energies eV, sectors hbar, spins hbar/2"
        f.attrs["bloch_columns"] = ("xxz_bloch: local spins 1..N; full_bloch: "
                                    "electron, then local spins 1..N")


def _write_density(path, times, up, down, sites, t_edge, t_echo):
    with atomic_h5(path) as f:
        f.create_dataset("t", data=times).attrs["unit"] = "fs"
        f.create_dataset("density_up", data=up)
        f.create_dataset("density_down", data=down)
        f.create_dataset("sites", data=np.asarray(sites))
        f.attrs["t_edge_fs"] = np.nan if t_edge is None else t_edge
        f.attrs["t_echo_fs"] = np.nan if t_echo is None else t_echo


def _read_h5(path):
    import h5py
    with h5py.File(path, "r") as f:
        out = {k: f[k][()] for k in f.keys()}
        out.update({k: v for k, v in f.attrs.items()})
    return out


def _atomic_text(path, text):
    with atomic_file(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)


def make_figures(out_dir, progress=None):
    """Draw every figure from the HDF5 files of a reproduction in ``out_dir``.

    Re-run it after restyling :mod:`qutip_stt.viz.plotting`; nothing is
    recomputed.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Folder written by :func:`reproduce`.
    progress : callable, optional
        Called with no argument after each of the ``2 + len(CASES)`` figures.

    Returns
    -------
    list of str
        The written PNG and PDF paths.
    """
    from ..viz import plotting

    tick = progress or (lambda: None)
    out = []
    spec = _read_h5(os.path.join(out_dir, "fig2_spectrum.h5"))
    fig = plotting.plot_spectrum_figure(
        spec["xxz_energies"], spec["xxz_sectors"], spec["full_energies"],
        spec["full_sectors"], spec["xxz_bloch"], spec["full_bloch"],
        spec["xxz_ground_sectors"], spec["full_ground_sectors"],
        xxz_ground_energies=spec["xxz_ground_energies"],
        full_ground_energies=spec["full_ground_energies"],
        title=f"Fig. 2: spectra (N = {spec['model_N']}, "
              f"Lx = {spec['model_Lx']}) and ground-multiplet spins")
    out += plotting.save_figure(fig, os.path.join(out_dir, "fig2_spectrum"))
    tick()
    for stem, (_, title) in CASES.items():
        data = read_result(os.path.join(out_dir, f"{stem}.h5"))
        fig = plotting.plot_case(data, title=title)
        out += plotting.save_figure(fig, os.path.join(out_dir, stem))
        if data["local_spin"].shape[1] > 1:
            fig = plotting.plot_local_spins(data, title=title + ": every "
                                            "local spin")
            out += plotting.save_figure(
                fig, os.path.join(out_dir, f"{stem}_local_spins"))
        tick()
    dens = _read_h5(os.path.join(out_dir, "fig7_density.h5"))
    fig = plotting.plot_density_map(
        dens["t"], dens["density_up"], dens["density_down"], dens["sites"],
        t_edge=float(dens["t_edge_fs"]), t_echo=float(dens["t_echo_fs"]),
        title="Fig. 7 (not in the paper): electron density of the collinear "
              "case (Fig. 3)")
    out += plotting.save_figure(fig, os.path.join(out_dir, "fig7_density"))
    tick()
    return out


def write_report(out_dir, report):
    """Write ``report.json`` and ``report.md`` (atomically) from a report dict.

    Parameters
    ----------
    out_dir : str or os.PathLike
        An existing folder.
    report : dict
        The report of :func:`reproduce` (``parameters``, ``claims`` with the
        rows of :func:`evaluate_claims`, versions, ...).

    Returns
    -------
    None
    """
    _atomic_text(os.path.join(out_dir, "report.json"),
                 json.dumps(report, indent=2, ensure_ascii=False,
                            default=_json_default) + "\n")
    _atomic_text(os.path.join(out_dir, "report.md"), _markdown(report))


def _json_default(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _fmt(value):
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return f"{v:.2e}" if v != 0 and abs(v) < 1e-3 else f"{v:.6g}"
    return str(value)


def _markdown(report):
    p = report["parameters"]
    agree = sum(r["verdict"] == "agrees" for r in report["claims"])
    lines = [
        "# Reproduction of Mondal et al., PRB 99, 094431 (2019)",
        "",
        f"qutip-stt {report['package_version']}, QuTiP "
        f"{report['qutip_version']}, {report['created']}"
        + (" — **quick run (smaller chain), not the paper's sizes**"
           if report["quick"] else ""),
        "",
        f"Parameters: Lx = {p['Lx']}, N = 5 (spin-1/2) and N = 1 (spin-5/2), "
        f"gamma = {p['gamma']} eV, J_sd = {p['J_sd']} eV, J = {p['J']} eV, "
        f"Jz = {p['Jz']} eV; packet k = {p['k']}, dk = {p['dk']}, "
        f"x0 = {p['x0']:g} (the text says 'centered on the left edge'; the "
        f"authors' scripts start it 40 sites before the spins); "
        f"t = 0..{p['t_max']:g} fs. Wall time {report['timings_s']['total']:.1f}"
        f" s.",
        "",
        f"**{agree} of {len(report['claims'])} statements agree.**",
        "",
        "| # | figure | paper's statement | paper | ours | verdict | why |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(report["claims"], 1):
        cells = [str(i), r["figure"], r["claim"], _fmt(r["paper"]),
                 _fmt(r["ours"]), f"**{r['verdict']}**", r["why"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|")
                                       for c in cells) + " |")
    lines += ["", "## Levels (eV)", "",
              "XXZ chain alone, lowest six: "
              + ", ".join(f"{e:.6f}" for e in report["xxz_lowest_levels_eV"]),
              "",
              "Full H, lowest seven: "
              + ", ".join(f"{e:.6f}" for e in report["full_lowest_levels_eV"]),
              "", "## Final values of the four runs", "",
              "| case | figure | final purity of local spins | final "
              "<S_1> (hbar/2) | final <s_e> |", "|---|---|---|---|---|"]
    for name, c in report["cases"].items():
        lines.append(f"| {name} | {c['figure']} | {c['final_purity_local']:.6f}"
                     f" | {_fmt(c['final_local_spin_1'])} | "
                     f"{_fmt(c['final_electron_spin'])} |")
    lines += ["", "## Files", "",
              "Every figure is drawn from the HDF5 file of the same name "
              "(`qutip_stt.paper.make_figures(DIR)` redraws them).", ""]
    lines += [f"- `{f}`" for f in report["files"]]
    return "\n".join(lines) + "\n"


# -- the whole reproduction ------------------------------------------------------

def reproduce(out_dir, quick=False, progress_bar=None):
    """Recompute Figs. 2-6 and Fig. 7, write data, figures and the report.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Folder for the output (created if missing; its parent must exist).
    quick : bool, default: False
        Run on a chain of :data:`QUICK_LENGTH` sites to :data:`QUICK_T_MAX`
        fs (about 10 s) instead of the paper's 400 sites and 500 fs.
    progress_bar : str, optional
        A QuTiP progress bar name (``"tqdm"``, ``"text"``, ...).

    Returns
    -------
    dict
        The content of ``report.json``.

    Examples
    --------
    >>> report = reproduce("paper-figures", quick=True)   # doctest: +SKIP
    >>> report["full_lowest_levels_eV"][0]                 # doctest: +SKIP
    -2.43778...
    """
    from qutip.ui.progressbar import progress_bars

    if progress_bar not in progress_bars:
        raise ConfigError("progress_bar", "expected one of "
                          + ", ".join(repr(k) for k in progress_bars
                                      if isinstance(k, str))
                          + f", got {progress_bar!r}")
    out_dir = _check_out_dir(out_dir)
    start = time.perf_counter()
    timings = {}
    bar = progress_bars[progress_bar or ""](
        # spectrum, runs, parallel run, figures, report
        1 + len(CASES) + 1 + (2 + len(CASES)) + 1, **({"desc": "reproduce"}
                               if progress_bar in ("tqdm", "Tqdm") else {}))

    # Fig. 2 and Eq. (4)
    tic = time.perf_counter()
    config = case_config("paper-collinear", quick)
    model, psi0, _ = build(config)
    spec = compute_spectrum(model, BAND_LEVELS // 2 if quick else BAND_LEVELS)
    _write_spectrum(os.path.join(out_dir, "fig2_spectrum.h5"), spec, model)
    levels = np.asarray(spectrum.xxz_levels(model, k=6))
    E, dE = packet_energy(model, psi0)
    dk_e = packet_width_for(config, PAPER_VALUES["wave_packet_energy_eV"],
                            "energy")
    dk_s = packet_width_for(config, PAPER_VALUES["wave_packet_spread_eV"],
                            "spread")
    at_dk_s = packet_energy(model, build(apply_overrides(
        config, [f"electron.dk={dk_s!r}"]))[1]) if dk_s else (None, None)
    numbers = {
        "xxz_lowest_levels_eV": levels.tolist(),
        "full_lowest_levels_eV": spec["full_energies"][:7].tolist(),
        "xxz_levels_all_eV": spec["xxz_energies"].tolist(),
        "full_levels_all_eV": spec["full_energies"].tolist(),
        "full_ground_bloch": spec["full_bloch"],
        "E0_eV": float(spec["full_energies"][0]),
        "xxz_multiplet_splitting_eV": float(levels[-1] - levels[0]),
        "full_multiplet_splitting_eV": float(spec["full_energies"][6]
                                             - spec["full_energies"][0]),
        "wave_packet_energy_eV": E, "wave_packet_spread_eV": dE,
        "dk_for_paper_energy": dk_e, "dk_for_paper_spread": dk_s,
        "energy_at_dk_for_spread_eV": at_dk_s[0],
    }
    timings["spectrum_and_packet"] = time.perf_counter() - tic
    bar.update()

    # Figs. 3-6 (and the data of Fig. 7)
    cases, summary = {}, {}
    for stem, (name, _) in CASES.items():
        tic = time.perf_counter()
        result, extra = _run_case(name, quick)
        write_result(os.path.join(out_dir, f"{stem}.h5"), result,
                     extra["config"], attrs={
                         "figure": stem,
                         "purity_check_index": extra["purity_check_index"],
                         "purity_electron_ptrace":
                             extra["purity_electron_ptrace"]})
        if "density_up" in extra:
            _write_density(os.path.join(out_dir, "fig7_density.h5"),
                           result.times, extra["density_up"],
                           extra["density_down"], result.model.sites,
                           extra["t_edge"], extra["t_echo"])
        data = {k: getattr(result, k) for k in (
            "times", "electron_spin", "local_spin", "purity_local",
            "purity_orbital", "probabilities", "total_sz", "density")}
        data.update(labels=list(result.labels), **{
            k: extra[k] for k in ("config", "t_edge", "t_echo",
                                  "purity_check_index",
                                  "purity_electron_ptrace")})
        cases[name] = data
        summary[name] = {
            "figure": stem.split("_")[0],
            "final_purity_local": float(result.purity_local[-1]),
            "final_purity_orbital": float(result.purity_orbital[-1]),
            "final_local_spin_1": result.local_spin[-1, 0].tolist(),
            "final_electron_spin": result.electron_spin[-1].tolist(),
            "norm_drift": float(np.max(np.abs(result.norm - 1))),
            "energy_drift_eV": float(np.max(np.abs(result.energy
                                                   - result.energy[0]))),
            "evolution_wall_s": float(result.wall_time),
        }
        timings[name] = time.perf_counter() - tic
        bar.update()

    tic = time.perf_counter()
    numbers["parallel"] = _run_parallel(quick)
    timings["macrospin-parallel"] = time.perf_counter() - tic
    bar.update()

    tic = time.perf_counter()
    files = make_figures(out_dir, progress=bar.update)
    timings["figures"] = time.perf_counter() - tic

    claims = evaluate_claims(numbers, cases)
    timings["total"] = time.perf_counter() - start
    el = config["electron"]
    report = {
        "quick": bool(quick),
        **{k: v for k, v in provenance().items() if k != "package"},
        "parameters": {**{k: v for k, v in model.parameters().items()
                          if k != "first_site"},
                       "first_site": model.first_site, "k": el["k"],
                       "dk": el["dk"], "x0": el["x0"],
                       "t_max": config["evolution"]["t_max"],
                       "n_times": config["evolution"]["n_times"]},
        **{k: v for k, v in numbers.items() if k != "full_ground_bloch"},
        "paper": PAPER_VALUES,
        "cases": summary, "claims": claims, "timings_s": timings,
        "files": sorted(os.path.basename(f) for f in files)
        + sorted(f"{s}.h5" for s in CASES)
        + ["fig2_spectrum.h5", "fig7_density.h5", "report.json", "report.md"],
    }
    write_report(out_dir, report)
    bar.update()
    bar.finished()
    return json.loads(json.dumps(report, default=_json_default))


def _check_out_dir(out_dir):
    out_dir = os.fspath(out_dir)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise ConfigError("--out", f"{out_dir} exists and is not a folder")
    parent = os.path.dirname(os.path.abspath(out_dir))
    if not os.path.isdir(parent):
        raise ConfigError("--out", f"folder {parent} does not exist")
    os.makedirs(out_dir, exist_ok=True)
    check_output_path(os.path.join(out_dir, "report.json"))  # a real probe
    return out_dir
