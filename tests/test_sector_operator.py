"""The structured sector operator against the sparse sector block, and in a run."""

import numpy as np
import pytest
import scipy.linalg

import qutip_stt as stt
from qutip_stt.constants import HBAR_EV_FS
from qutip_stt.model.bounds import sector_bounds
from qutip_stt.model.sector_blocks import coupling_blocks, sector_hamiltonian
from qutip_stt.model.sectors import sector_values
from qutip_stt.solvers import kernels, sector_propagators, sector_route
from qutip_stt.solvers.chebyshev import ChebyshevPropagator
from qutip_stt.solvers.sector_operator import SectorOperator


def _models():
    rng = np.random.default_rng(4)
    yield stt.STTModel(Lx=30, N=3)
    yield stt.STTModel(Lx=17, N=2, S=2.5, J=-0.2, Jz=0.05, J_sd=0.3)
    yield stt.STTModel(Lx=11, N=3, S=1.0, first_site=0, J=rng.uniform(-0.3, 0.3),
                       Jz=rng.uniform(-0.3, 0.3), field=rng.uniform(-0.2, 0.2, 3),
                       electron_field=0.07, potential=rng.uniform(-0.5, 0.5, 11))
    yield stt.STTModel(Lx=12, N=1, first_site=11)      # spin on the last site


@pytest.mark.parametrize("model", list(_models()), ids=["paper-like", "S=5/2",
                                                         "fields+potential",
                                                         "N=1 at the end"])
def test_operator_equals_sparse_block(model):
    # y += s * 2 (H - b) / a x, for both signs, in every sector
    rng = np.random.default_rng(0)
    for m in sector_values(model):
        blocks = coupling_blocks(model, m)
        H = sector_hamiltonian(model, m, blocks)
        op = SectorOperator(model, blocks)
        center, half = 0.3, 2.7
        op.prepare(center, half)
        x = rng.standard_normal(H.shape[0]) + 1j * rng.standard_normal(H.shape[0])
        y0 = rng.standard_normal(H.shape[0]) + 0j
        expected = 2 * (H @ x - center * x) / half
        for sign in (1, -1):
            y = op.to_layout(y0)
            op.add(op.to_layout(x), y, sign)
            np.testing.assert_allclose(op.from_layout(y), y0 + sign * expected,
                                       atol=1e-13, err_msg=f"m={m}")


@pytest.mark.parametrize("with_block", [True, False],
                         ids=["block and operator", "operator alone"])
def test_propagator_with_operator_equals_expm(with_block):
    # the series from the structured form, with the sparse block beside it
    # or without it (the sector route's large sectors): kets, <H>, one step
    model = stt.STTModel(Lx=25, N=3, J=0.15, field=[0.05, 0.0, -0.03])
    m = 0.0
    blocks = coupling_blocks(model, m)
    H = sector_hamiltonian(model, m, blocks)
    rng = np.random.default_rng(1)
    psi = rng.standard_normal(H.shape[0]) + 1j * rng.standard_normal(H.shape[0])
    psi /= np.linalg.norm(psi)
    prop = ChebyshevPropagator(H if with_block else None, 1e-14,
                               sector_bounds(model, m, blocks),
                               SectorOperator(model, blocks))
    times = np.linspace(0.0, 30.0, 13)
    kets = prop.evolve_many(psi, times)
    dense = H.toarray()
    for t, ket in zip(times, kets):
        exact = scipy.linalg.expm(-1j * dense * t / HBAR_EV_FS) @ psi
        assert np.max(np.abs(ket - exact)) < 1e-11


def test_run_with_operator_equals_run_without(monkeypatch):
    # SciPy's kernels (the compiled module's route: tests/test_kernels.py):
    # the sector route with every Chebyshev sector structured, and with two
    # threads, gives the observables of the plain sparse route
    monkeypatch.setattr(kernels, "COMPILED", False)
    model = stt.STTModel(Lx=60, N=3)
    psi = stt.initial_state(model, x0=20, local={"theta": 30.0})
    times = np.linspace(0, 40, 9)
    plain = stt.evolve(model, psi, times, warn_reflections=False)
    monkeypatch.setattr(sector_propagators, "OPERATOR_MIN_STATES", 1)
    monkeypatch.setattr(sector_route, "THREAD_MIN_STATES", 1)
    fast = stt.evolve(model, psi, times, warn_reflections=False)
    for key in ("local_spin", "electron_spin", "purity_local", "entropy_local",
                "energy", "density", "norm"):
        np.testing.assert_allclose(getattr(fast, key), getattr(plain, key),
                                   atol=1e-12, err_msg=key)


def test_operator_nonzeros_are_about_the_blocks():
    # the cost model's count of the structured form is within 5% of the
    # sparse block's stored entries (exact up to diagonals stored twice)
    for model in _models():
        for m in sector_values(model):
            blocks = coupling_blocks(model, m)
            nnz = sector_hamiltonian(model, m, blocks).nnz
            assert SectorOperator(model, blocks).nonzeros == pytest.approx(
                nnz, rel=0.05), m


def test_propagator_without_block_needs_operator_and_bounds():
    model = stt.STTModel(Lx=12, N=2)
    blocks = coupling_blocks(model, 0.5)
    with pytest.raises(ValueError, match="block"):
        ChebyshevPropagator(None, 1e-12, None, SectorOperator(model, blocks))
    with pytest.raises(ValueError, match="block"):
        ChebyshevPropagator(None, 1e-12, sector_bounds(model, 0.5, blocks))
