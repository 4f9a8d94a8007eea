"""Pictures: paper-style figures (:mod:`~qutip_stt.viz.plotting`),
Bloch-sphere stills and animations (:mod:`~qutip_stt.viz.bloch`), and
pair-measure maps between spins (:mod:`~qutip_stt.viz.entanglement`).

Nothing here computes physics: every function draws arrays that the solvers
and readers produced.
"""
