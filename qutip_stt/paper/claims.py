r"""Every quantitative statement of the paper, declared as measure -> test -> explanation.

A :class:`Claim` names the paper's statement and value, and three functions of
the reproduction's numbers (:class:`Evidence`):

``measure``
    the numbers that decide the claim (a dict; ``ours`` is what the report's
    "ours" column shows);
``grade``
    the verdict, one of :data:`GRADES`, from stated thresholds;
``explain``
    the sentence of the report's "why" column, built from the measured
    numbers *and the verdict*, so it never says more than they do.

Grades (:data:`GRADES`):

``"agrees"``
    quantitatively, within the paper's precision (its quoted digits), or an
    exact identity holding to :data:`~qutip_stt.paper.cases.EXACT_TOL`;
``"agrees qualitatively"``
    the paper's qualitative statement holds; the explanation says by how much;
``"differs"``
    it does not hold; the explanation gives the numbers.

Narrative that is not computed (why the orbital purity falls, why the packet
spreads) belongs in the docs (the reproduce page), not here.
"""

import math
from dataclasses import dataclass
from typing import Callable

from .cases import PAPER_VALUES
from .measures import (AGREES, DIFFERS, GRADES, QUALITATIVE, _a2b2,
                       _collinear_fixed, _dominant, _e0, _electron_decoheres,
                       _equal_purities, _exact, _explain_alike,
                       _explain_multiplet, _explain_orbital, _explain_packet,
                       _explain_parallel_ground, _explain_reflection,
                       _explain_resonance, _explain_rotation, _grade_alike,
                       _grade_macro_collinear, _grade_multiplet,
                       _grade_reflection, _grade_resonance, _grade_rotation,
                       _grade_shrinks, _half, _macro_collinear, _multiplet,
                       _one_flip_labels, _orbital, _packet, _parallel,
                       _parallel_ground, _reflection, _resonance, _rotation,
                       _shrinks, _spins_alike, _total_sz, _words)

__all__ = ["Claim", "Evidence", "CLAIMS", "GRADES", "evaluate_claims"]



@dataclass
class Evidence:
    """Everything the claims are decided on.

    Attributes
    ----------
    numbers : dict
        Spectrum and wave-packet numbers (see :func:`qutip_stt.paper.reproduce`).
    cases : dict
        Preset name -> run data (arrays of a result, ``labels``, ``config``,
        ``t_edge``, ``t_echo``, ``purity_check_index``,
        ``purity_electron_ptrace``, and ``echo``: the
        :func:`~qutip_stt.paper.compute.echo_effect` of the run or None).
    """

    numbers: dict
    cases: dict

    def p(self, case, label):
        """Probability of one spin configuration over time in a run."""
        d = self.cases[case]
        return d["probabilities"][:, d["labels"].index(label)]

    @property
    def N(self):
        return self.cases["paper-collinear"]["local_spin"].shape[1]


@dataclass(frozen=True)
class Claim:
    """One statement of the paper and how the reproduction decides it.

    Parameters
    ----------
    key, figure, statement
        Identifier, where the paper says it, and what it says.
    paper : object
        The paper's value (a number, or words such as ``"< 1"``).
    threshold : str
        The test, in words (shown in the docs' table of claims).
    measure : callable
        ``Evidence -> dict`` with at least ``"ours"``.
    grade : callable
        ``dict -> str``, one of :data:`GRADES`.
    explain : callable
        ``(dict, verdict) -> str``.
    """

    key: str
    figure: str
    statement: str
    paper: object
    threshold: str
    measure: Callable
    grade: Callable
    explain: Callable

    def evaluate(self, evidence):
        """The report row: key, figure, claim, paper, ours, verdict, why, values."""
        values = self.measure(evidence)
        verdict = self.grade(values)
        if verdict not in GRADES:
            raise ValueError(f"{self.key}: grade {verdict!r} not in {GRADES}")
        return {"key": self.key, "figure": self.figure,
                "claim": self.statement, "paper": self.paper,
                "ours": values["ours"], "verdict": verdict,
                "why": self.explain(values, verdict),
                "threshold": self.threshold}


#: Every claim, in the order of the report.
CLAIMS = [
    Claim("E0", "2(b)", "ground-state energy of the full H",
          PAPER_VALUES["E0_eV"], "|ours - paper| < 0.01 eV (two digits)",
          _e0, lambda v: AGREES if v["diff"] < 0.01 else DIFFERS,
          lambda v, verdict: f"{v['e0']:.4f} eV, {v['diff']:.4f} eV from the "
          f"paper's two digits; truncated to two digits it is "
          f"{math.trunc(v['e0'] * 100) / 100:.2f}, rounded {v['e0']:.2f}"),
    Claim("xxz_degeneracy", "2(a)", "ground state of the XXZ chain is 6-fold "
          "degenerate", 6, "degenerate: splitting < 1e-9 eV; qualitatively: "
          "splitting < 20% of the gap to the next level",
          _multiplet("xxz", 6), _grade_multiplet, _explain_multiplet),
    Claim("full_degeneracy", "2(b)", "ground state of H is 7-fold degenerate",
          7, "as xxz_degeneracy", _multiplet("full", 7), _grade_multiplet,
          _explain_multiplet),
    Claim("ground_state_parallel", "2(c)", "in the ground multiplet electron "
          "and local spins are parallel", "parallel arrows",
          "transverse components < 1e-6 and one sign of S^z per state",
          _parallel_ground,
          lambda v: AGREES if v["transverse"] < 1e-6 and not v["mixed"]
          else DIFFERS, _explain_parallel_ground),
    Claim("wave_packet_energy", "Eq. (4)", "wave-packet energy E",
          PAPER_VALUES["wave_packet_energy_eV"],
          "|ours - paper| < 0.005 eV (two digits)", _packet("energy"),
          lambda v: AGREES if v["diff"] < 0.005 else DIFFERS,
          _explain_packet("energy")),
    Claim("wave_packet_spread", "Eq. (4)", "wave-packet energy spread dE",
          PAPER_VALUES["wave_packet_spread_eV"],
          "|ours - paper| < 0.005 eV", _packet("spread"),
          lambda v: AGREES if v["diff"] < 0.005 else DIFFERS,
          _explain_packet("spread")),
    Claim("collinear_no_rotation", "3(a),(c)", "collinear: S^x = S^y = 0 for "
          "the electron and every local spin", 0.0, "exact: < 1e-8",
          _collinear_fixed, lambda v: _exact(v["value"]),
          _words("largest |S^x|, |S^y| over 0..{t_max:g} fs: {value:.1e}")),
    Claim("collinear_shrinking", "3(c)", "local spin 1 shrinks: S_1^z < 1",
          "< 1", "S_1^z(t_max) < 1 - 1e-3", _shrinks, _grade_shrinks,
          lambda v, verdict: f"S_1^z(t_max) = {v['final']:.4f} (minimum "
          f"{v['min']:.4f}), {1 - v['final']:.4f} below 1; |s_e|(t_max) = "
          f"{v['se']:.4f}"),
    Claim("electron_decoherence", "3(a)", "the electron spin decoheres: "
          "|s_e| < 1", "< 1", "|s_e|(t_max) < 1 - 1e-3", _electron_decoheres,
          lambda v: QUALITATIVE if v["final"] < 1 - 1e-3 else DIFFERS,
          _words("|s_e|(t_max) = {final:.4f}, along z (s_e^z = {sz:+.4f})")),
    Claim("spins_2_to_5_alike", "3(c)", "spins 2-5 have virtually the same "
          "S^z(t) as spin 1", "nearly equal", "largest difference from spin "
          "1 over the run < 10% of spin 1's shrinking", _spins_alike,
          _grade_alike, _explain_alike),
    *[Claim(f"equal_purities_{name}", fig, "purity of the electron subsystem "
            "equals that of all local spins", "identical", "exact: < 1e-8",
            _equal_purities(name), lambda v: _exact(v["value"]),
            _words("electron purity from its own reduced density matrix "
                   "(ptrace) vs local-spin purity at {n} times: largest "
                   "difference {value:.1e}; final purity {final:.4f}"))
      for name, fig in (("paper-collinear", "3(b)"),
                        ("paper-noncollinear", "4(b)"),
                        ("macrospin-collinear", "5(b)"),
                        ("macrospin-noncollinear", "6(b)"))],
    Claim("initial_state_dominant", "3(d)", "|↓;↑↑↑↑↑⟩ keeps its probability "
          "close to 1", "close to 1", "smallest probability over the run > "
          "0.5 and above every one-flip configuration", _dominant,
          lambda v: QUALITATIVE if v["min"] > max(0.5, v["others"])
          else DIFFERS,
          _words("smallest over the run {min:.4f}, at t_max {final:.4f}; "
                 "every other configuration stays below {others:.4f}")),
    Claim("open_chain_resonance", "3(d)", "|↑;↑↑↑↑↓⟩ enhanced (open chain: "
          "resonant with |↑;↓↑↑↑↑⟩)", "enhanced", "the last-spin flip has the "
          "largest peak probability and the first-spin flip the next",
          _resonance, _grade_resonance, _explain_resonance),
    Claim("noncollinear_half_paper", "4(d)", "noncollinear probabilities are "
          "half the collinear ones and |↑;↑↑↑↑↑⟩ stays at 1/2", "exactly 1/2",
          "exact: < 1e-8",
          _half("paper-collinear", "paper-noncollinear",
                lambda ev: _one_flip_labels(ev.N) + ["↓;" + "↑" * ev.N],
                lambda ev: "↑;" + "↑" * ev.N),
          lambda v: _exact(v["value"]),
          lambda v, verdict: f"largest |p_nc - p_c/2| = {v['half']:.1e} over "
          f"{len(v['labels'])} configurations; largest |p({v['up']}) - 1/2| = "
          f"{v['stay']:.1e}"),
    Claim("noncollinear_half_macrospin", "6(d)", "noncollinear probabilities "
          "are half the collinear ones and |↑;5/2⟩ stays at 1/2", "exactly 1/2",
          "exact: < 1e-8",
          _half("macrospin-collinear", "macrospin-noncollinear",
                lambda ev: ["↑;3/2", "↓;5/2"], lambda ev: "↑;5/2"),
          lambda v: _exact(v["value"]),
          lambda v, verdict: f"largest |p_nc - p_c/2| = {v['half']:.1e}; "
          f"largest |p({v['up']}) - 1/2| = {v['stay']:.1e}"),
    Claim("noncollinear_rotation", "4(c)", "noncollinear: S_1 rotates "
          "(S_1^x, S_1^y != 0) and shrinks", "nonzero", "largest |S^x|, "
          "|S^y| > 1e-3 and |S_1| < 1 - 1e-3",
          _rotation("paper-noncollinear", 1.0), _grade_rotation,
          _explain_rotation),
    Claim("total_sz_conserved", "3(d), A", "total S^z is conserved", 0.0,
          "exact: < 1e-8", _total_sz, lambda v: _exact(v["value"]),
          _words("largest drift of <S^z_tot> over the four runs {value:.1e} "
                 "(hbar/2)")),
    Claim("macrospin_a2_b2", "5(d), Eq. (A1b)", "|a|^2 + |b|^2 = 1", 1.0,
          "exact: < 1e-8", _a2b2, lambda v: _exact(v["value"]),
          _words("largest |p(↓;5/2) + p(↑;3/2) - 1| = {value:.1e}; "
                 "|b|^2(t_max) = {b2:.4f}")),
    Claim("macrospin_collinear", "5(c)", "macrospin does not rotate "
          "(S^x = S^y = 0) but shrinks", "< 5", "transverse < 1e-8 (exact) "
          "and S^z(t_max) < 5 - 1e-3", _macro_collinear,
          _grade_macro_collinear,
          _words("S^z(t_max) = {final:.4f} (hbar/2, starts at 5); largest "
                 "|S^x|, |S^y| = {transverse:.1e}")),
    Claim("macrospin_noncollinear", "6(c)", "macrospin rotates and shrinks",
          "rotates, |S| < 5", "largest |S^x|, |S^y| > 1e-3 and |S| < 5 - 1e-3",
          _rotation("macrospin-noncollinear", 5.0), _grade_rotation,
          _explain_rotation),
    Claim("parallel_no_dynamics", "Appendix", "|G> (x) |↑> (x) |5/2> is an "
          "eigenstate of the spins: no STT, no entanglement", 0.0,
          "exact: purity loss and spin change < 1e-8", _parallel,
          lambda v: _exact(v["value"]),
          lambda v, verdict: f"electron +z on the +z macrospin: purity loss "
          f"{v['ours']['max_purity_loss']:.1e}, largest change of the "
          f"macrospin {v['ours']['max_spin_change']:.1e}; the orbital purity "
          f"stays {v['orbital']:.3f}"),
    Claim("orbital_uncorrelated", "Appendix", "orbital and spin parts stay "
          "uncorrelated, |Psi> = |G> (x) |spins>", 1.0,
          "orbital purity > 1 - 1e-3 in every run", _orbital,
          lambda v: AGREES if v["lowest"] > 1 - 1e-3 else DIFFERS,
          _explain_orbital),
    Claim("no_reflection", "3-6", "Lx = 400 keeps the packet from reflecting "
          "within the time frame", "no reflection", "no echo on the spins "
          "before t_max; qualitatively: rerun on a chain with no echo changes "
          "spin and purities by < 1e-2", _reflection, _grade_reflection,
          _explain_reflection),
]


def evaluate_claims(numbers, cases):
    """One report row per claim of :data:`CLAIMS`.

    Parameters
    ----------
    numbers : dict
        Spectrum and wave-packet numbers (see :func:`qutip_stt.paper.reproduce`).
    cases : dict
        Preset name -> run data (see :class:`Evidence`).

    Returns
    -------
    list of dict
        Rows with ``key``, ``figure``, ``claim``, ``paper``, ``ours``,
        ``verdict`` (one of :data:`GRADES`), ``why`` and ``threshold``.
    """
    evidence = Evidence(numbers, cases)
    return [claim.evaluate(evidence) for claim in CLAIMS]
