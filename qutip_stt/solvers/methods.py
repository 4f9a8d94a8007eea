"""The evolution methods, their defaults and options (plain data, no QuTiP import).

The config schema (:mod:`qutip_stt.config`) and the command line read these
without loading the physics; :func:`qutip_stt.solvers.evolve` dispatches on
them.
"""

__all__ = ["METHODS", "DEFAULT_DT", "SESOLVE_OPTIONS"]

#: Default Crank-Nicolson step, fs. On the paper's collinear case it gives a
#: largest error of 1.2e-5 in any spin component or purity (0.05 fs: 3e-6).
DEFAULT_DT = 0.1

#: Options handed to qutip.sesolve for method "sesolve".
SESOLVE_OPTIONS = {"method": "dop853", "atol": 1e-10, "rtol": 1e-8,
                   "nsteps": 100_000}

#: The evolution methods and what they are.
METHODS = {
    "auto": "fastest exact method for the state",
    "sesolve": "qutip.sesolve on the full space (dop853, atol 1e-10, rtol 1e-8)",
    "crank-nicolson": "Crank-Nicolson, sparse LU factorized once, fixed step dt",
    "chebyshev": "exact Chebyshev propagator on each total-S^z sector",
    "classical": "mean-field limit: classical local spins (LLG), quantum "
                 "electron; 4th-order exact-flow splitting, step doubling",
}
