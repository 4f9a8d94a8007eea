"""The paper's four cases as configs (Figs. 3-6), from its parameter set.

Built from :mod:`qutip_stt.model.parameters`, the one place of the paper's
numbers. ``first_site`` (198; 200 for the macrospin) and ``x0`` (160, as in
the authors' scripts) are left to their defaults, so that
``--set chain.length=...`` moves them along. Plain data: no QuTiP import.
"""

from ..model.parameters import (MACROSPIN_PARAMETERS, PAPER_PACKET,
                                PAPER_PARAMETERS, PAPER_TIMES)

__all__ = ["PRESETS"]


def _case(parameters, electron_spin):
    p = parameters
    return {
        "chain": {"length": p["Lx"], "hopping": p["gamma"]},
        "local_spins": {"count": p["N"], "spin": p["S"], "J": p["J"],
                        "Jz": p["Jz"], "J_sd": p["J_sd"], "direction": "+z"},
        "electron": {**PAPER_PACKET, "spin": electron_spin},
        "evolution": {**PAPER_TIMES, "method": "auto"},
    }


#: The paper's four cases, as written (resolve them for every default).
PRESETS = {
    "paper-collinear": _case(PAPER_PARAMETERS, "-z"),
    "paper-noncollinear": _case(PAPER_PARAMETERS, "+x"),
    "macrospin-collinear": _case(MACROSPIN_PARAMETERS, "-z"),
    "macrospin-noncollinear": _case(MACROSPIN_PARAMETERS, "+x"),
}
