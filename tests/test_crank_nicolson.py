"""QuTiP's own integrator contract tests, run on our Crank-Nicolson.

QuTiP ships ``qutip/tests/solver/test_integrator.py``. In QuTiP 5.2-5.3 its
``TestIntegratorCte.test_se_integration`` checks every integrator registered
with ``SESolver`` on ``-i pi sigma_x`` (every output time against
``cos(pi t)``); QuTiP's development branch replaces the interface with
``rhs_format`` and checks every ``"matrix"`` integrator with
``TestIntegratorMatrix`` (Hermitian and non-Hermitian generators against
``expm``). Whichever the installed QuTiP has, we run it unchanged on our
integrator (only the options differ: a step small enough for QuTiP's
``atol = 2e-5`` at second order). QuTiP 5.2's version of that test hands
every integrator empty options (Crank-Nicolson's default step is too coarse
for its tolerance): there the matrix-form test below covers the interface.
"""

import inspect

import numpy as np
import pytest
import qutip

from qutip_stt.solvers.crank_nicolson import CrankNicolson

contract = pytest.importorskip("qutip.tests.solver.test_integrator")


if hasattr(contract, "TestIntegratorMatrix"):           # QuTiP >= 5.4
    class TestCrankNicolsonContract(contract.TestIntegratorMatrix):
        """QuTiP's TestIntegratorMatrix with our Crank-Nicolson."""

        @pytest.fixture
        def integrator(self):
            # second order: dt = 2e-4 meets QuTiP's atol = 2e-5 over t = 3
            return CrankNicolson, {"dt": 2e-4}
elif "self.kopt" in inspect.getsource(
        contract.TestIntegratorCte.test_se_integration):  # QuTiP 5.3
    class TestCrankNicolsonContract(contract.TestIntegratorCte):
        """QuTiP's test_se_integration with our registered Crank-Nicolson."""

        kopt = {"dt": 1e-3}
        test_me_integration = None       # master-equation and Monte-Carlo
        test_mc_integration = None       # integrators are not ours
        test_mc_integration_mixed = None

        @pytest.fixture
        def se_method(self):
            return "crank-nicolson"


def test_accepts_the_matrix_form():
    """The rhs_format = "matrix" interface (QuTiP >= 5.4), on any QuTiP."""
    H = qutip.rand_herm(5, seed=1)
    psi0 = qutip.rand_ket(5, seed=2)
    cn = CrankNicolson((-1j * H).data, {"dt": 1e-3})
    cn.set_state(0.0, psi0.data)
    t, state = cn.integrate(1.5)
    exact = ((-1j * H * 1.5).expm() @ psi0).full()
    assert t == 1.5
    np.testing.assert_allclose(state.to_array(), exact, atol=1e-6)


def test_registered_with_sesolve_and_second_order():
    """Through qutip.sesolve: error falls 4x when dt halves (second order)."""
    H = qutip.rand_herm(6, seed=3)
    psi0 = qutip.rand_ket(6, seed=4)
    exact = (-1j * H * 2.0).expm() @ psi0
    errs = []
    for dt in (0.02, 0.01):
        res = qutip.sesolve(H, psi0, [0.0, 2.0],
                            options={"method": "crank-nicolson", "dt": dt,
                                     "energy_shift": False})
        errs.append((res.states[-1] - exact).norm())
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.05)
    assert res.stats["method"] == "qutip-stt Crank-Nicolson"


def test_refuses_time_dependent_hamiltonians():
    H = qutip.QobjEvo([qutip.sigmaz(), [qutip.sigmax(), "cos(t)"]])
    with pytest.raises(ValueError, match="only constant"):
        qutip.sesolve(H, qutip.basis(2, 0), [0, 1],
                      options={"method": "crank-nicolson"})
