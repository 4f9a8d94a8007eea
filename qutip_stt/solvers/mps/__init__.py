"""Method ``"mps"``: the many-electron model on TeNPy's matrix-product states.

:mod:`~qutip_stt.solvers.mps.lattice` (the sites and the MPO from the
model's terms), :mod:`~qutip_stt.solvers.mps.start` (the Slater determinant
times the local spins as an MPS), :mod:`~qutip_stt.solvers.mps.measure`
(the observables of one state) and :mod:`~qutip_stt.solvers.mps.evolve`
(TDVP or MPO evolution between the output times). TeNPy
(``pip install "qutip-stt[mps]"``) is imported by these modules only, and
they are imported only when the method runs.
"""

__all__ = []
