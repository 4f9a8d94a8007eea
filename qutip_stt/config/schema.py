"""The config schema as data: every key's default and its documentation.

One job: say what a run configuration may contain. :data:`DEFAULTS` lists
every table and key with its default (``None`` for a default derived from
other keys) and :data:`KEY_DOCS` documents each key in one line (the config
reference of the docs is generated from both). The evolution methods and
the ``[evolution]`` keys that are their options come from the method
registry (:mod:`qutip_stt.solvers.registry`), which reads them without
loading any physics. Checking a config against this schema is
:mod:`~qutip_stt.config.resolve`; the paper's presets are
:mod:`~qutip_stt.config.presets`. Plain data: no QuTiP import.
"""

from ..model.parameters import PAPER_PACKET, PAPER_PARAMETERS as _P
from ..model.parameters import PAPER_TIMES
from ..solvers.methods.mps import DEFAULTS as MPS_DEFAULTS, OPTIONS as MPS_OPTIONS
from ..solvers.registry import METHODS, config_options

__all__ = ["DEFAULTS", "SCATTER_DEFAULT_K", "KEY_DOCS", "EVOLUTION_KEYS"]

#: The keys of ``[evolution]`` every method reads; the others are options of
#: some methods (:func:`qutip_stt.solvers.registry.config_options`).
EVOLUTION_KEYS = ("t_max", "n_times", "method")

#: Defaults of every key; ``None`` means "derived from other keys" (see
#: KEY_DOCS). The paper's parameters are the defaults (:mod:`qutip_stt.model.parameters`).
DEFAULTS = {
    "chain": {"length": _P["Lx"], "hopping": _P["gamma"], "potential": []},
    "local_spins": {"count": _P["N"], "spin": _P["S"], "first_site": None,
                    "J": _P["J"], "Jz": _P["Jz"], "J_sd": _P["J_sd"],
                    "direction": "+z", "state": "product", "sector": "lowest",
                    "seed": 0, "field": 0.0},
    "electron": {**PAPER_PACKET, "x0": None, "spin": "-z", "field": 0.0},
    # several electrons at once, instead of [electron]
    "electrons": {"count": None, "state": "lead", "lead": None, "spin": "-z",
                  "packets": [], "hubbard_U": 0.0},
    "evolution": {**PAPER_TIMES, "method": "auto",
                  **{name: option.default for name, (option, _)
                     in config_options().items()}},
    # options of method "mps", read only with evolution.method = "mps"
    "mps": dict(MPS_DEFAULTS),
    "analysis": {"pairs": "none", "blocks": False, "measures": "all"},
    "train": {"electrons": 20, "interval": "auto", "polarization": 1.0},
    # a bath on the local spins: an open system when a rate is nonzero
    "bath": {"relaxation": 0.0, "dephasing": 0.0, "temperature": 0.0,
             "direction": "+z"},
    # read by ``qutip-stt scatter`` only; one of energies / k is set
    "scatter": {"energies": None, "k": None, "padding": 0},
}

#: ``[scatter]`` grid when neither ``energies`` nor ``k`` is given.
SCATTER_DEFAULT_K = {"start": 0.005, "stop": 1.2, "num": 1000}

#: One line of documentation per key: meaning, unit, default, allowed range.
KEY_DOCS = {
    "chain.length": "Lx, number of sites; integer >= 2 and >= count; default 400",
    "chain.hopping": "gamma, eV; -1e4..1e4; default 1.0",
    "chain.potential": "site potential V_x, eV: a table { start, stop, height "
                       "} adds height on sites start <= x < stop (a barrier "
                       "for height > 0, a well for < 0); a list of such "
                       "tables adds up; 0 <= start < stop <= length, "
                       "height -1e4..1e4; default [] (none)",
    "local_spins.count": "N, number of local spins; integer >= 1; default 5",
    "local_spins.spin": "S; positive half-integer 0.5, 1, 1.5, ... 20 (or "
                        "\"5/2\"); default 0.5",
    "local_spins.first_site": "site of local spin 1 (0-based); 0..Lx-N; "
                              "default Lx//2 - N//2",
    "local_spins.J": "transverse XXZ exchange, eV, in -J (SxSx + SySy); "
                     "> 0 ferromagnetic, < 0 antiferromagnetic; -1e4..1e4; "
                     "default 0.1",
    "local_spins.Jz": "longitudinal XXZ exchange, eV, in -Jz SzSz; > 0 "
                      "ferromagnetic, < 0 antiferromagnetic; -1e4..1e4; "
                      "default 0.1005",
    "local_spins.J_sd": "s-d exchange, eV; -1e4..1e4; default 0.1",
    "local_spins.direction": "initial direction of every local spin: \"+z\" "
                             "\"-z\" \"+x\" \"-x\" \"+y\" \"-y\" or "
                             "{theta, phi} in degrees; default \"+z\"",
    "local_spins.state": "initial state of the local spins: \"product\" (all "
                         "along direction), \"neel\" (alternating, spin 1 along "
                         "direction), \"ground\" (XXZ ground state, see sector), "
                         "\"random\" (random directions, see seed), or a list of "
                         "one direction per spin; default \"product\"",
    "local_spins.sector": "total S^z of the local spins (hbar) for state = "
                          "\"ground\": N S, N S - 1, ..., -N S, or \"lowest\" "
                          "(lowest state overall, largest S^z if degenerate); "
                          "default \"lowest\"",
    "local_spins.seed": "seed of state = \"random\"; integer >= 0; default 0",
    "local_spins.field": "magnetic field h on the local spins, eV, in "
                         "-h . Sigma_n (h > 0 favours up): a number (uniform, "
                         "along z), a list of one number per spin (along z), "
                         "or a table { x, y, z } (uniform; a nonzero x or y "
                         "breaks total-S^z conservation: method \"auto\" "
                         "then runs \"sesolve\" and warns, \"chebyshev\" is "
                         "refused); each value -1e4..1e4; default 0",
    "electron.k": "k_x a, mean wave number; -pi..pi (the Brillouin zone; "
                  "0 < k < pi moves right); default 0.1",
    "electron.dk": "delta k_x a, momentum width; > 0 (a packet narrower "
                   "than a site sits on the site(s) nearest x0); default 0.2",
    "electron.x0": "packet centre, site index (may be fractional); 0..Lx-1; "
                   "default 0.4 Lx (160 for the paper)",
    "electron.spin": "electron spin direction, same forms as "
                     "local_spins.direction; default \"-z\"",
    "electron.field": "magnetic field h_e on the electron spin along z, eV, "
                      "in -h_e sigma^z (h_e > 0 favours up); -1e4..1e4; "
                      "default 0",
    "electrons.count": "Ne, electrons at once (a config has either [electron] "
                       "or [electrons]); integer 1..2 length; default the "
                       "number of packets (state = \"packets\"), else 1",
    "electrons.state": "their start: \"lead\" (the ground state of free "
                       "electrons on the sites of electrons.lead, released at "
                       "t = 0) or \"packets\" (one Eq. (4) packet each); "
                       "default \"lead\"",
    "electrons.lead": "{ start, stop }: the lead's sites start <= x < stop, "
                      "0 <= start < stop <= length, holding the lowest count "
                      "orbitals of that open segment (at most stop - start "
                      "per spin: Pauli); default { start = 0, stop = "
                      "first_site }",
    "electrons.spin": "the lead's common spin direction, same forms as "
                      "electron.spin, or \"none\": both spins, the lowest "
                      "count/2 orbitals doubly filled (count even); default "
                      "\"-z\"",
    "electrons.packets": "state = \"packets\": a list of tables { k, dk, "
                         "x0, spin } (k default 0.1, dk 0.2 > 0, x0 a site "
                         "0..length-1 required, spin default \"-z\"); "
                         "linearly dependent spin-orbitals (two identical "
                         "packets of one spin) are refused: Pauli principle; "
                         "default []",
    "electrons.hubbard_U": "on-site repulsion U in U sum_i n_i up n_i down, "
                           "eV; finite real; default 0",
    "evolution.t_max": "last output time, fs; >= 0 (0 only with n_times = 1); "
                       "default 500",
    "evolution.n_times": "number of output times linspace(0, t_max, n_times); "
                         "integer 1..1000000 (1, the initial state only, "
                         "needs t_max = 0); default 101",
    "evolution.method": "one of " + ", ".join(f'"{m}"' for m in METHODS)
                        + "; default \"auto\"",
    **{f"evolution.{name}": option.doc
       for name, (option, _) in config_options().items()},
    **{f"mps.{o.name}": o.doc + " (read with evolution.method = \"mps\" "
       "only)" for o in MPS_OPTIONS},
    "analysis.pairs": "pairs of spins whose measures are stored (0 electron "
                      "spin, n local spin n): \"none\", \"all\", \"nearest\" "
                      "(local neighbours) or a list [[i, j], ...]; default "
                      "\"none\"",
    "analysis.blocks": "store the entropy of every contiguous block of local "
                       "spins (true), none (false) or a list [[first, last], "
                       "...]; default false",
    "analysis.measures": "\"all\" or a list of mutual_information, concurrence "
                         "(spin-1/2 pairs only), log_negativity, correlation; "
                         "default \"all\" (concurrence NaN where undefined)",
    "train.electrons": "K, electrons sent one after another by qutip-stt "
                       "train; integer >= 0; default 20",
    "train.interval": "time between electrons, fs; > 0 and at least the time "
                      "the packet centre needs to pass the spins, or \"auto\" "
                      "(least free-packet leftover near the spins and at the "
                      "chain ends); default \"auto\"",
    "train.polarization": "spin polarization of the current along "
                          "electron.spin: 1 fully polarized, 0 unpolarized; "
                          "0..1; default 1.0",
    "bath.relaxation": "gamma_1, 1/fs: each local spin relaxes towards the "
                       "Gibbs state of its Zeeman term -h_n . Sigma_n at "
                       "bath.temperature (T_1 = 1/gamma_1 for spin 1/2); "
                       ">= 0; default 0 (no bath)",
    "bath.dephasing": "gamma_phi, 1/fs: pure dephasing along the same axis "
                      "(transverse components decay at gamma_phi, S^z "
                      "untouched); >= 0; default 0",
    "bath.temperature": "T of the bath, K (k_B = 8.617333262e-5 eV/K): "
                        "detailed balance between the ladder operators along "
                        "each spin's field; >= 0; default 0",
    "bath.direction": "axis of a spin without a field, towards which it "
                      "relaxes at T = 0 (same forms as local_spins.direction)"
                      "; default \"+z\"",
    "scatter.energies": "total energies E of `qutip-stt scatter`, eV: "
                        "{start, stop, num} for linspace(start, stop, num), "
                        "start <= stop, num 1..1000000; each inside the "
                        "incoming channel's band; give this or scatter.k",
    "scatter.k": "incoming wave numbers k a instead of energies: {start, stop, "
                 "num}, 0 < start <= stop < pi; default { start = 0.005, "
                 "stop = 1.2, num = 1000 } when neither is given",
    "scatter.padding": "free chain sites added to the scattering region on "
                       "each side of the spins (the S-matrix does not depend "
                       "on it); integer 0..1000; default 0",
}
