"""Figures (matplotlib); submodules are imported on demand.

:mod:`qutip_stt.viz.entanglement`: pair-measure heat maps and their time evolution.
"""
