"""The Chebyshev propagator: exactness, output times, norm, spectral bounds."""

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse

from qutip_stt.constants import HBAR_EV_FS
from qutip_stt.errors import ConfigError
from qutip_stt.solvers import chebyshev
from qutip_stt.solvers.chebyshev import (EIGEN_LIMIT, ChebyshevPropagator,
                                   EigenPropagator, propagator_for,
                                   chebyshev_coefficients, spectral_bounds)


def _random_hermitian(n, seed):
    rng = np.random.default_rng(seed)
    M = scipy.sparse.random(n, n, density=0.05, random_state=rng,
                            data_rvs=rng.standard_normal).astype(complex)
    M = M + 1j * scipy.sparse.random(n, n, density=0.05, random_state=rng,
                                     data_rvs=rng.standard_normal)
    return ((M + M.getH()) * 0.5).tocsr()


def _random_ket(n, seed):
    rng = np.random.default_rng(seed)
    psi = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    return psi / np.linalg.norm(psi)


@pytest.mark.parametrize("n", [50, 600])  # dense and Lanczos bounds
def test_step_equals_dense_exponential(n):
    H = _random_hermitian(n, seed=n)
    psi = _random_ket(n, seed=1)
    prop = ChebyshevPropagator(H, tol=1e-14)
    for dt in (0.3, 7.0):
        exact = scipy.linalg.expm(-1j * H.toarray() * dt / HBAR_EV_FS) @ psi
        assert np.max(np.abs(prop.step(psi, dt) - exact)) < 1e-11


def test_bounds_enclose_spectrum():
    H = _random_hermitian(600, seed=3)
    vals = scipy.linalg.eigvalsh(H.toarray())
    lo, hi = spectral_bounds(H)
    assert lo <= vals[0] and vals[-1] <= hi


def test_output_times_hit_exactly():
    # Uneven times: each output equals one exact exponential from t = 0.
    H = _random_hermitian(80, seed=5)
    psi0 = _random_ket(80, seed=6)
    times = np.array([0.0, 0.1, 1.7, 1.75, 9.0])
    prop = ChebyshevPropagator(H, tol=1e-14)
    out = list(prop.evolve(psi0, times))
    assert [t for t, _ in out] == list(times)
    for t, psi in out:
        exact = scipy.linalg.expm(-1j * H.toarray() * t / HBAR_EV_FS) @ psi0
        assert np.max(np.abs(psi - exact)) < 1e-11


@pytest.mark.parametrize("buffer_bytes, pieces, group, concurrent", [
    (None, None, None, False), (3 * 32 * 120, None, None, False),
    (None, (5, 2), 24, False), (None, (1, 2), 24, False),
    (None, (5, 2), 24, True), (3 * 32 * 120, None, None, True)])
def test_series_over_several_outputs_equals_exponential(monkeypatch,
                                                       buffer_bytes, pieces,
                                                       group, concurrent):
    # evolve_many spans several outputs with one series (group_size > 1),
    # combining its vectors in pieces (each into the outputs that still need
    # it; here also 5 pieces of >= 2 vectors, or one) and when they exceed
    # GROUP_BYTES (here forced down to 3 vectors per parity), by SciPy's
    # dgemm or (concurrent) numpy's matmul: each output equals expm
    if buffer_bytes is not None:
        monkeypatch.setattr(chebyshev, "GROUP_BYTES", buffer_bytes)
    if pieces is not None:
        monkeypatch.setattr(chebyshev, "PIECES", pieces[0])
        monkeypatch.setattr(chebyshev, "MIN_PIECE", pieces[1])
    H = _random_hermitian(120, seed=9)
    psi0 = _random_ket(120, seed=10)
    prop = ChebyshevPropagator(H, tol=1e-14, concurrent=concurrent)
    times = np.r_[0.0, np.linspace(0.5, 40.0, 30), 41.3, 55.0]
    assert prop.group_size(times[2] - times[1]) > 1
    if group is not None:
        prop._group = (round(times[2] - times[1], 12), group)
    kets = prop.evolve_many(psi0, times)
    dense = H.toarray()
    for t, psi in zip(times, kets):
        exact = scipy.linalg.expm(-1j * dense * t / HBAR_EV_FS) @ psi0
        assert np.max(np.abs(psi - exact)) < 1e-11
    # <H> from the rescaled block, conserved by the exact propagation
    energy = np.vdot(psi0, H @ psi0).real
    np.testing.assert_allclose(prop.expectations(kets), energy, atol=1e-11)


def _banded_hermitian(n, width, seed):
    rng = np.random.default_rng(seed)
    diags = [rng.standard_normal(n)] + [
        rng.standard_normal(n - k) + 1j * rng.standard_normal(n - k)
        for k in range(1, width + 1)]
    M = scipy.sparse.diags(diags, list(range(0, -width - 1, -1)), format="csr")
    return (M + scipy.sparse.triu(M.getH(), 1)).tocsr()


@pytest.mark.parametrize("make", [lambda: _random_hermitian(60, seed=11),
                                  lambda: _banded_hermitian(200, 1, seed=13),
                                  lambda: _banded_hermitian(200, 1, seed=15).real,
                                  lambda: _banded_hermitian(200, 6, seed=14)],
                         ids=["dense", "tridiagonal", "real tridiagonal",
                              "banded"])
def test_eigen_propagator_many_times_equals_steps(make):
    # dense LAPACK, and the banded solver for chains with few spin states
    H = make()
    psi0 = _random_ket(H.shape[0], seed=12)
    times = np.array([0.0, 0.4, 3.0, 3.5, 20.0])
    prop = EigenPropagator(H)
    kets = prop.evolve_many(psi0, times)
    for t, psi in zip(times, kets):
        exact = scipy.linalg.expm(-1j * H.toarray() * t / HBAR_EV_FS) @ psi0
        assert np.max(np.abs(psi - exact)) < 1e-12
    energy = np.vdot(psi0, H @ psi0).real
    np.testing.assert_allclose(prop.expectations(kets), energy, atol=1e-12)
    # a dense block: <H> from the eigenbasis instead of the sparse products
    np.testing.assert_allclose(EigenPropagator(H.toarray()).expectations(kets),
                               energy, atol=1e-12)


def test_norm_conserved_over_many_steps():
    H = _random_hermitian(300, seed=7)
    prop = ChebyshevPropagator(H)
    norms = [np.linalg.norm(psi) for _, psi in
             prop.evolve(_random_ket(300, seed=8), np.linspace(0, 500, 201))]
    assert np.max(np.abs(np.array(norms) - 1)) < 1e-12


def test_coefficients_truncated_at_tolerance():
    loose = chebyshev_coefficients(3.0, 5.0, tol=1e-6)
    tight = chebyshev_coefficients(3.0, 5.0, tol=1e-14)
    assert len(loose) < len(tight)
    assert abs(tight[len(loose):]).max() < 1e-6


def test_bad_tolerance():
    with pytest.raises(ConfigError, match="tol"):
        ChebyshevPropagator(scipy.sparse.identity(3, format="csr"), tol=0)


def test_eigen_propagator_equals_dense_exponential_and_is_chosen_for_small():
    H = _random_hermitian(120, seed=3)
    psi = _random_ket(120, seed=4)
    exact = scipy.linalg.expm(-1j * H.toarray() * 7.5 / HBAR_EV_FS) @ psi
    prop = propagator_for(H)
    assert isinstance(prop, EigenPropagator)
    out = prop.step(psi, 7.5)
    assert np.max(np.abs(out - exact)) < 1e-12
    assert abs(np.linalg.norm(out) - 1) < 1e-13
    big = _random_hermitian(EIGEN_LIMIT + 1, seed=5)
    assert isinstance(propagator_for(big), ChebyshevPropagator)
    with pytest.raises(ConfigError, match="tol"):
        propagator_for(H, tol=0)


def test_series_length_is_the_length_of_the_series():
    # series_length bisects the monotone Bessel tail; it must equal the
    # length chebyshev_coefficients keeps, over 5 decades of a t / hbar
    # and every tolerance a user may ask for
    from qutip_stt.solvers.chebyshev import (chebyshev_coefficients,
                                             series_length)
    for alpha in np.r_[0.0, 1e-9, 1e-3, np.geomspace(0.01, 3000, 60)]:
        for tol in (1e-6, 1e-10, 1e-12, 1e-14, 1e-16):
            assert (series_length(alpha, HBAR_EV_FS, tol)
                    == chebyshev_coefficients(alpha, HBAR_EV_FS, tol).size)
