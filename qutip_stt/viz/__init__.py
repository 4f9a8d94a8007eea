"""Pictures: paper-style figures (:mod:`~qutip_stt.viz.plotting`) and
Bloch-sphere stills and animations (:mod:`~qutip_stt.viz.bloch`).

Nothing here computes physics: every function draws arrays that the solvers
and readers produced.
"""
