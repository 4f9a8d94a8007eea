"""Build of the one compiled module (package metadata lives in pyproject.toml).

``qutip_stt.solvers._chebyshev_kernel`` runs the Chebyshev recursion of the
exact propagator in C (docs/performance.md). It is optional: where no C
compiler is found the build goes on without it and the package uses the
same recursion through SciPy's sparse kernels (``qutip_stt.solvers.kernels``),
slower, with the same results.
"""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("qutip_stt.solvers._chebyshev_kernel",
              sources=["qutip_stt/solvers/_chebyshev_kernel.c",
                       "qutip_stt/solvers/_chebyshev_loops.c"],
              depends=["qutip_stt/solvers/_chebyshev_loops.h"],
              optional=True),
])
