"""Pictures: paper-style figures (:mod:`~qutip_stt.viz.plotting`),
Bloch-sphere stills and animations (:mod:`~qutip_stt.viz.bloch`), and
pair-measure maps between spins (:mod:`~qutip_stt.viz.entanglement`).

The figures of one run are drawn from one-job modules:
:mod:`~qutip_stt.viz.style` (shared colours, line styles, legends, saving),
:mod:`~qutip_stt.viz.echo` (the chain-end echo), :mod:`~qutip_stt.viz.panels`
(spin components and purities vs time), :mod:`~qutip_stt.viz.probabilities`
(configuration probabilities) and :mod:`~qutip_stt.viz.spectrum_figures`
(Fig. 2); :mod:`~qutip_stt.viz.plotting` puts them together. The figures
of the other commands are :mod:`~qutip_stt.viz.trains`,
:mod:`~qutip_stt.viz.scattering`, :mod:`~qutip_stt.viz.classical` and
:mod:`~qutip_stt.viz.sweep_plots`.

Nothing here computes physics: every function draws arrays that the solvers
and readers produced.
"""

__all__ = []
