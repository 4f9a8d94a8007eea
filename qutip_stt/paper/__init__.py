"""The paper, recomputed: ``qutip-stt reproduce``.

Recomputes Figs. 2-6 of Mondal et al. (PRB 99, 094431) and an electron
density map on the paper's parameters, and grades every quantitative
statement of the paper against the numbers (:mod:`~qutip_stt.paper.core`,
loaded on first use).
"""

import importlib


def __getattr__(name):
    mod = importlib.import_module(f"{__name__}.core")
    try:
        value = getattr(mod, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute "
                             f"{name!r}") from None
    globals()[name] = value
    return value
