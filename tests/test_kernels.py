"""The compiled Chebyshev recursion against SciPy's kernels and dense algebra.

qutip_stt.solvers._chebyshev_kernel is optional (built by ``pip install``
where a C compiler is found); without it every test here that needs it is
skipped and the package runs the SciPy route, which the rest of the suite
covers. The CI installs with a compiler and checks that it was built
(``.ci/run``).
"""

import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st

import qutip_stt as stt
from qutip_stt.model.sector_blocks import coupling_blocks, sector_hamiltonian
from qutip_stt.model.sectors import sector_values
from qutip_stt.solvers import chebyshev_combine, kernels
from qutip_stt.solvers.chebyshev import propagator_for
from qutip_stt.solvers.sector_operator import SectorOperator
from qutip_stt.model.bounds import sector_bounds

needs_compiled = pytest.mark.skipif(kernels.extension is None,
                                    reason="compiled module not built")


def _random_block(n, density, seed, symmetric=True):
    rng = np.random.default_rng(seed)
    A = scipy.sparse.random(n, n, density=density, random_state=rng,
                            data_rvs=rng.standard_normal, format="csr")
    A = A + scipy.sparse.diags(rng.standard_normal(n))
    A = (A + A.T).tocsr() if symmetric else A.tocsr()
    # as 2 H' of a Chebyshev series: rows of 1-norm at most 2, so that the
    # recursion's vectors stay of the size of its start
    return (2.0 / max(abs(A).sum(axis=1).max(), 1e-300)) * A


def _random_kets(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def _ring_reference(A, even, odd, first, stop, n_odd):
    """The recursion of Recursion.terms with dense products."""
    size = even.shape[0]
    dense = A.toarray()
    for i in range(first, stop):
        j, p = i % size, (i - 1) % size
        even[j] = even[p] - dense @ odd[p]
        if i < n_odd:
            odd[j] = odd[p] + dense @ even[j]


@needs_compiled
@pytest.mark.parametrize("first,stop,n_odd,size", [
    (1, 8, 8, 8), (1, 8, 7, 8), (5, 13, 13, 8), (9, 9, 9, 4), (3, 20, 19, 3)],
    ids=["one piece", "last odd term missing", "wraps around",
         "no terms", "several wraps"])
def test_recursion_terms_both_routes_equal_dense(first, stop, n_odd, size):
    A = _random_block(57, 0.08, 1)
    start_even = _random_kets((size, 57), 2)
    start_odd = _random_kets((size, 57), 3)
    expected = (start_even.copy(), start_odd.copy())
    _ring_reference(A, *expected, first, stop, n_odd)
    for compiled in (True, False):
        rec = kernels.Recursion(A, compiled=compiled)
        assert rec.compiled is compiled
        even, odd = start_even.copy(), start_odd.copy()
        rec.terms(even, odd, first, stop, n_odd)
        np.testing.assert_allclose(even, expected[0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(odd, expected[1], rtol=0, atol=1e-12)


@needs_compiled
def test_recursion_apply_and_expectations_equal_dense():
    A = _random_block(80, 0.05, 4)
    kets = _random_kets((6, 80), 5)
    dense = A.toarray()
    for compiled in (True, False):
        rec = kernels.Recursion(A, compiled=compiled)
        y = np.empty(80, dtype=complex)
        rec.apply(kets[0], y, -0.5)
        np.testing.assert_allclose(y, -0.5 * dense @ kets[0], atol=1e-13)
        expected = np.einsum("ij,ij->i", kets.conj(), kets @ dense.T).real
        values = rec.expectations(kets)
        np.testing.assert_allclose(values[:, 0], expected, rtol=1e-13)
        np.testing.assert_allclose(values[:, 1],
                                   np.linalg.norm(kets, axis=1) ** 2,
                                   rtol=1e-13)


@needs_compiled
@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 40), density=st.floats(0.0, 0.5),
       seed=st.integers(0, 2 ** 16), steps=st.integers(0, 12),
       size=st.integers(2, 6))
def test_recursion_routes_agree_for_any_block(n, density, seed, steps, size):
    # any real square block, unsorted or with empty rows: the compiled
    # terms are SciPy's to rounding
    A = _random_block(n, density, seed, symmetric=False)
    even, odd = _random_kets((size, n), seed + 1), _random_kets((size, n),
                                                                seed + 2)
    results = []
    for compiled in (True, False):
        e, o = even.copy(), odd.copy()
        kernels.Recursion(A, compiled=compiled).terms(e, o, 1, 1 + steps,
                                                      steps)
        results.append((e, o))
    scale = max(1.0, np.abs(results[1][0]).max(), np.abs(results[1][1]).max())
    for a, b in zip(results[0], results[1]):
        assert np.abs(a - b).max() <= 1e-12 * scale


def test_complex_block_takes_scipy_route():
    A = _random_block(10, 0.3, 6).astype(complex) * (1 + 0.5j)
    assert not kernels.Recursion(A).compiled
    with pytest.raises(ValueError, match="compiled"):
        kernels.Recursion(A, compiled=True)
    # a complex dtype with a zero imaginary part is real
    assert kernels.Recursion(_random_block(10, 0.3, 6).astype(complex)
                             ).compiled is kernels.COMPILED


def test_recursion_rejects_non_square():
    with pytest.raises(ValueError, match="square"):
        kernels.Recursion(scipy.sparse.csr_matrix(np.ones((2, 3))))


def _models():
    rng = np.random.default_rng(4)
    yield stt.STTModel(Lx=30, N=3)
    yield stt.STTModel(Lx=17, N=2, S=2.5, J=-0.2, Jz=0.05, J_sd=0.3)
    yield stt.STTModel(Lx=11, N=3, S=1.0, first_site=0,
                       J=rng.uniform(-0.3, 0.3), Jz=rng.uniform(-0.3, 0.3),
                       field=rng.uniform(-0.2, 0.2, 3), electron_field=0.07,
                       potential=rng.uniform(-0.5, 0.5, 11))
    yield stt.STTModel(Lx=12, N=1, first_site=11)
    yield stt.STTModel(Lx=2, N=2, first_site=0)


@needs_compiled
@pytest.mark.parametrize("model", list(_models()), ids=[
    "paper-like", "S=5/2", "fields+potential", "N=1 at the end", "two sites"])
def test_sector_operator_compiled_equals_sparse_block(model, monkeypatch):
    # apply, terms and expectations of the compiled structured form, for
    # each sector and for the direct sum of all, against the sparse blocks
    values = list(sector_values(model))
    groups = [[m] for m in values] + [values]
    for group in groups:
        blocks = [coupling_blocks(model, m) for m in group]
        H = scipy.sparse.block_diag([sector_hamiltonian(model, m, b)
                                     for m, b in zip(group, blocks)],
                                    format="csr")
        n = H.shape[0]
        center, half = 0.2, 3.1
        A = (2.0 / half) * (H - center * scipy.sparse.identity(n))
        ops = {}
        for compiled in (True, False):
            monkeypatch.setattr(kernels, "COMPILED", compiled)
            ops[compiled] = SectorOperator.direct_sum(model, blocks)
            ops[compiled].prepare(center, half)
            assert ops[compiled].compiled is compiled
        kets = _random_kets((5, n), 7)
        size, steps = 3, 7
        for compiled, op in ops.items():
            layout = op.to_layout(kets)
            np.testing.assert_array_equal(op.from_layout(layout), kets)
            y = np.empty(n, dtype=complex)
            op.apply(layout[0], y, 0.5)
            np.testing.assert_allclose(op.from_layout(y), 0.5 * A @ kets[0],
                                       atol=1e-12, err_msg=str(group))
            expected = np.einsum("ij,ij->i", kets.conj(),
                                 (A @ kets.T).T).real
            values = op.expectations(layout)
            np.testing.assert_allclose(values[:, 0], expected,
                                       rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(values[:, 1],
                                       np.linalg.norm(kets, axis=1) ** 2,
                                       rtol=1e-13)
            even, odd = layout[:size].copy(), layout[2:2 + size].copy()
            ref_even = op.from_layout(even)
            ref_odd = op.from_layout(odd)
            _ring_reference(A, ref_even, ref_odd, 1, 1 + steps, steps)
            op.terms(even, odd, 1, 1 + steps, steps)
            scale = np.abs(ref_even).max()
            np.testing.assert_allclose(op.from_layout(even), ref_even,
                                       atol=1e-12 * scale)
            np.testing.assert_allclose(op.from_layout(odd), ref_odd,
                                       atol=1e-12 * scale)


@needs_compiled
def test_compiled_module_refuses_bad_buffers():
    # wrong lengths, indices or forms give an error naming the argument,
    # never a crash
    k = kernels.extension
    A = _random_block(6, 0.5, 8)
    block = (A.indptr.astype(np.int32), A.indices.astype(np.int32), A.data)
    even, odd = np.zeros((2, 6), complex), np.zeros((2, 6), complex)
    k.terms(block, even, odd, 2, 1, 2, 2)
    with pytest.raises(ValueError, match="odd"):
        k.terms(block, even, odd[:1], 2, 1, 2, 2)
    with pytest.raises(ValueError, match="size"):
        k.terms(block, even, odd, 1, 1, 2, 2)
    with pytest.raises(ValueError, match="not a size"):   # no overflow
        k.terms(block, even, odd, 2 ** 62, 1, 2, 2)
    with pytest.raises(ValueError, match="wrong lengths"):
        k.terms((block[0], block[1][:-1], block[2]), even, odd, 2, 1, 2, 2)
    with pytest.raises(TypeError, match="block"):
        k.terms(block[:2], even, odd, 2, 1, 2, 2)
    bad = block[1].copy()
    bad[0] = 6
    with pytest.raises(ValueError, match="column index"):
        k.check((block[0], bad, block[2]))
    with pytest.raises(ValueError, match="indptr"):
        k.check((block[0][::-1].copy(), block[1], block[2]))
    with pytest.raises(ValueError, match="y"):
        k.apply(block, even[0], np.zeros(3, complex), 1.0)
    with pytest.raises((TypeError, BufferError)):
        k.apply(block, even[0], np.zeros(12, complex)[::2], 1.0)  # strided
    # the sector form checks its small matrices at every call
    model = stt.STTModel(Lx=8, N=2)
    op = SectorOperator(model, coupling_blocks(model, 0.5))
    op.prepare(0.0, 2.0)
    good = op._args
    x, y = np.zeros(op.size, complex), np.zeros(op.size, complex)
    k.apply(good, x, y, 1.0)

    def changed(i, value):
        return good[:i] + (value,) + good[i + 1:]

    sites = good[7].copy()
    sites[0] = 8
    with pytest.raises(ValueError, match="sites"):
        k.apply(changed(7, sites), x, y, 1.0)
    spin_idx = good[5].copy()
    spin_idx[0] = op.n_c
    with pytest.raises(ValueError, match="spin terms"):
        k.apply(changed(5, spin_idx), x, y, 1.0)
    with pytest.raises(ValueError, match="pot"):
        k.apply(changed(3, np.zeros(3)), x, y, 1.0)
    with pytest.raises(ValueError, match="n_c"):
        k.apply(changed(1, 0), x, y, 1.0)
    with pytest.raises(ValueError, match="kets"):
        k.expectations(good, x[:-1], np.zeros((1, 2)))


def test_environment_switches_the_compiled_module_off():
    code = ("from qutip_stt.solvers import kernels; "
            "print(kernels.COMPILED, kernels.extension is not None)")
    env = dict(os.environ, QUTIP_STT_KERNEL="scipy")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    assert out[0] == "False"
    env["QUTIP_STT_KERNEL"] = ""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    assert out[0] == out[1]          # on exactly when built


@needs_compiled
@pytest.mark.parametrize("threads", [1, 2])
def test_run_compiled_equals_run_with_scipy(threads, monkeypatch):
    # a run with every sector populated (tilted spins, +x electron), in one
    # thread (one group, the direct sum) and in two (one group per sector):
    # every observable as with SciPy's kernels
    from qutip_stt.solvers import sector_route
    model = stt.STTModel(Lx=60, N=3)
    psi = stt.initial_state(model, x0=20, electron="+x",
                            local={"theta": 30.0})
    times = np.linspace(0, 40, 9)
    monkeypatch.setattr(sector_route, "THREAD_MIN_STATES",
                        1 if threads == 2 else 10 ** 9)
    runs = {}
    for compiled in (True, False):
        monkeypatch.setattr(kernels, "COMPILED", compiled)
        runs[compiled] = stt.evolve(model, psi, times, warn_reflections=False,
                                    options={"tol": 1e-14}, store_states=True)
    for key in ("local_spin", "electron_spin", "purity_local",
                "entropy_local", "energy", "density", "norm"):
        np.testing.assert_allclose(getattr(runs[True], key),
                                   getattr(runs[False], key),
                                   rtol=0, atol=1e-12, err_msg=key)
    for a, b in zip(runs[True].states, runs[False].states):
        assert np.abs(a.full() - b.full()).max() < 1e-12


@pytest.mark.skipif(not chebyshev_combine.RELEASED,
                    reason="compiled module not built")
def test_released_combination_equals_scipy_dgemm():
    # out += weights @ vectors, weights a column slice of a table (as the
    # propagator passes them), vectors complex kets seen as floats
    rng = np.random.default_rng(9)
    table = rng.standard_normal((5, 40))
    vectors = _random_kets((12, 33), 10)
    start = rng.standard_normal((3, 66))
    a, b = start.copy(), start.copy()
    chebyshev_combine.accumulate(a, table[2:, 7:19], vectors)
    chebyshev_combine.released(b, table[2:, 7:19], vectors)
    np.testing.assert_allclose(b, a, rtol=0, atol=1e-13)
    np.testing.assert_allclose(
        b, start + table[2:, 7:19] @ vectors.view(float), atol=1e-13)
    with pytest.raises(ValueError, match="combine"):
        kernels.extension.combine(b, table[:1, :12].copy(),
                                  np.zeros((12, 30), complex),
                                  1, 12)


@pytest.mark.parametrize("form", ["operator", "block", "eigen"])
def test_evolve_many_energies_are_the_kets_expectations(form):
    # <H> computed inside evolve_many (in the operator's layout) is
    # expectations() of the returned kets, and conserved
    model = stt.STTModel(Lx=40 if form != "eigen" else 20, N=2)
    m = 0.5
    blocks = coupling_blocks(model, m)
    H = sector_hamiltonian(model, m, blocks)
    psi = _random_kets(H.shape[0], 11)
    psi /= np.linalg.norm(psi)
    if form == "eigen":
        prop = propagator_for(H)
    else:
        prop = propagator_for(
            H if form == "block" else None, bounds=sector_bounds(model, m),
            operator=SectorOperator(model, blocks) if form == "operator"
            else None)
    kets, energy = prop.evolve_many(psi, np.linspace(0, 30, 11),
                                    energies=True)
    np.testing.assert_allclose(energy, prop.expectations(kets), atol=1e-12)
    np.testing.assert_allclose(energy, np.vdot(psi, H @ psi).real, atol=1e-10)


@needs_compiled
def test_train_channel_compiled_equals_scipy(monkeypatch):
    # the electron channel's sector runs from the tensor structure, input
    # by input, give the sparse block's channel (all inputs at once); the
    # 450-state sectors take the compiled route, the 150-state ones their
    # eigenbasis either way
    from qutip_stt.trains import electron_channel
    model = stt.STTModel(Lx=150, N=2)
    calls = []
    terms = SectorOperator.terms
    monkeypatch.setattr(SectorOperator, "terms",
                        lambda self, *a: calls.append(1) or terms(self, *a))
    channels = {}
    for compiled in (True, False):
        monkeypatch.setattr(kernels, "COMPILED", compiled)
        channels[compiled] = electron_channel(model, 90.0, 0.1, 0.2, 50.0,
                                              "+x", 0.7,
                                              leftover_tolerance=1.0)
        assert bool(calls) is compiled
        calls.clear()
    a, b = (channels[c].superop.full() for c in (True, False))
    assert np.abs(a - b).max() < 1e-11
