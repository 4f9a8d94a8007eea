"""Pair and block measures (qutip_stt.measures.quantum_info, qutip_stt.measures.pairs)
against QuTiP and closed forms.

Independent routes: QuTiP's own ``ptrace``, ``entropy_mutual``, ``entropy_vn``,
``concurrence``, ``negativity`` and ``expect`` on the full ket; Bell and
product states; the closed-form mutual information of the Dicke state
(docs/theory.md, "Entanglement between spins").
"""

import math

import numpy as np
import pytest
import qutip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qutip_stt as stt
from qutip_stt.measures.pairs import PairRecorder, pair_measures
from qutip_stt.measures.selection import (resolve_blocks, resolve_pairs,
                                          spin_sizes)
from qutip_stt.measures.selection import MEASURES
from qutip_stt.measures.quantum_info import concurrence
from qutip_stt.measures.amplitudes import spin_measures
from qutip_stt.errors import ConfigError

TOL = 1e-10
fast = settings(derandomize=True, deadline=None, max_examples=30,
                suppress_health_check=[HealthCheck.too_slow])


def _random_amplitudes(L, dims, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(L, math.prod(dims))) \
        + 1j * rng.normal(size=(L, math.prod(dims)))
    return A / np.linalg.norm(A)


def _oracle(A, sizes, pairs, blocks):
    """Every measure from QuTiP's functions on ptrace of the full ket."""
    dims = [int(round(2 * s)) + 1 for s in sizes]
    L = A.shape[0]
    env = [L] if L > 1 else []           # a pure spin state has no environment
    off = len(env)
    psi = qutip.Qobj(A.ravel(), dims=[env + dims, [1] * (len(dims) + off)])
    out = {m: [] for m in MEASURES}
    for i, j in pairs:
        rho = psi.ptrace([i + off, j + off])
        out["mutual_information"].append(qutip.entropy_mutual(rho, 0, 1))
        if dims[i] == dims[j] == 2:
            # QuTiP's route takes square roots of eigenvalues of a
            # non-Hermitian product: accurate only for full-rank rho
            ok = rho.eigenenergies().min() > 1e-6
            out["concurrence"].append(qutip.concurrence(rho) if ok else None)
        else:
            out["concurrence"].append(np.nan)
        # method "eigenvalues": the default "tracenorm" takes sqrtm of
        # rho_pt^dag rho_pt and loses half the digits (1e-8) near rank loss
        out["log_negativity"].append(qutip.negativity(
            rho, 1, method="eigenvalues", logarithmic=True))
        Si, Sj = stt.spin_operators(sizes[i]), stt.spin_operators(sizes[j])
        both = sum(qutip.expect(qutip.tensor(a, b), rho) for a, b in zip(Si, Sj))
        vi = np.array([qutip.expect(a, rho.ptrace(0)) for a in Si])
        vj = np.array([qutip.expect(b, rho.ptrace(1)) for b in Sj])
        out["correlation"].append(both - vi @ vj)
    out["block_entropy"] = [
        qutip.entropy_vn(psi.ptrace(list(range(a + off, b + off + 1))))
        for a, b in blocks]
    return out


def _compare(mine, oracle):
    worst = 0.0
    for key, ref in oracle.items():
        for a, b in zip(mine[key], ref):
            if b is None:
                continue
            if np.isnan(b):
                assert np.isnan(a), key
                continue
            worst = max(worst, abs(a - b))
            assert abs(a - b) <= TOL, (key, a, b)
    return worst


spin_lists = st.lists(st.sampled_from([0.5, 1.0, 1.5]), min_size=2,
                      max_size=4).filter(
    lambda s: math.prod(int(2 * x) + 1 for x in s) <= 96)


@fast
@given(sizes=spin_lists, L=st.sampled_from([1, 2, 3, 7, 200]),
       seed=st.integers(0, 2**32 - 1))
def test_every_measure_equals_qutip_on_random_states(sizes, L, seed):
    """Spins 1/2, 1, 3/2 in any mix, environments smaller and larger than D."""
    dims = [int(2 * s) + 1 for s in sizes]
    A = _random_amplitudes(L, dims, seed)
    pairs = resolve_pairs("all", len(sizes))
    blocks = [(a, b) for a in range(len(sizes)) for b in range(a, len(sizes))]
    mine = spin_measures(A, sizes, pairs, blocks)
    _compare(mine, _oracle(A, sizes, pairs, blocks))


@fast
@given(N=st.integers(1, 3), S=st.sampled_from([0.5, 1.0, 1.5]),
       Lx=st.sampled_from([3, 6, 40]), seed=st.integers(0, 2**32 - 1))
def test_pair_measures_of_model_states_equal_qutip(N, S, Lx, seed):
    """The model's layout: (Lx, 2 (2S+1)^N) amplitudes, electron spin first."""
    model = stt.STTModel(Lx=Lx, N=N, S=S)
    A = _random_amplitudes(Lx, [2] + [model.spin_dim] * N, seed)
    mine = pair_measures(A, model, "all", blocks=True)
    pairs = resolve_pairs("all", N + 1)
    blocks = resolve_blocks(True, N + 1)
    _compare(mine, _oracle(A, spin_sizes(model), pairs,
                           blocks))


def test_bell_pair_and_product_state_values():
    bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
    out = spin_measures(bell, [0.5, 0.5], [[0, 1]])
    assert abs(out["concurrence"][0] - 1) < 1e-14
    assert abs(out["log_negativity"][0] - 1) < 1e-14          # 1 bit
    assert abs(out["mutual_information"][0] - 2 * math.log(2)) < 1e-14
    assert abs(out["correlation"][0] - 1) < 1e-14   # <xx>+<yy>+<zz> = 1-1+1
    rng = np.random.default_rng(5)
    for sizes in ([0.5, 0.5], [1.0, 1.5], [0.5, 1.5]):
        dims = [int(2 * s) + 1 for s in sizes]
        a, b = (rng.normal(size=d) + 1j * rng.normal(size=d) for d in dims)
        product = np.kron(a, b) / np.linalg.norm(a) / np.linalg.norm(b)
        out = spin_measures(product, sizes, [[0, 1]])
        for key in ("mutual_information", "log_negativity", "correlation"):
            assert abs(out[key][0]) < 1e-12, key
        if dims == [2, 2]:
            assert out["concurrence"][0] < 1e-7      # sqrt of round-off
        else:
            assert np.isnan(out["concurrence"][0])


def dicke_edge_mi_bits(N):
    """Closed form (docs/theory.md): edge-pair MI of the S^z = 0 superposition.

    2N spin-1/2 (N electron + N local spins), all C(2N, N) configurations
    with N up, equal weights. Any pair has eigenvalues a, a, b, 0 with
    a = (N-1)/(2(2N-1)), b = N/(2N-1); each spin is maximally mixed, so
    I = 2 - H2(a, a, b) bits.
    """
    a, b = (N - 1) / (2 * (2 * N - 1)), N / (2 * N - 1)
    h = -sum(p * math.log2(p) for p in (a, a, b) if p > 0)
    return 2 - h


def _dicke(n, k):
    """Equal superposition of the n-qubit configurations with k spins up."""
    v = np.zeros(2 ** n)
    for c in range(2 ** n):
        if bin(c).count("1") == k:
            v[c] = 1
    return v / np.linalg.norm(v)


@pytest.mark.parametrize("N", [2, 3, 4, 5, 6])
def test_dicke_edge_mutual_information_closed_form(N):
    psi = _dicke(2 * N, N)          # spins 0..N-1 electrons, N..2N-1 local
    out = spin_measures(psi, [0.5] * (2 * N), [[N, 2 * N - 1]])
    mi_bits = out["mutual_information"][0] / math.log(2)
    assert abs(mi_bits - dicke_edge_mi_bits(N)) < 1e-12


def test_dicke_closed_form_tends_to_half_a_bit():
    values = [dicke_edge_mi_bits(N) for N in (1, 2, 5, 10, 100, 10_000)]
    assert values[0] == pytest.approx(2.0)
    assert all(a > b for a, b in zip(values, values[1:]))
    assert abs(values[-1] - 0.5) < 1e-3


def test_concurrence_of_spin_one_is_an_error():
    with pytest.raises(ConfigError, match="concurrence"):
        concurrence(np.eye(9) / 9)
    model = stt.STTModel(Lx=4, N=2, S=1)
    with pytest.raises(ConfigError, match="analysis.measures"):
        PairRecorder(model, pairs=[[1, 2]], measures=["concurrence"])
    with pytest.raises(ConfigError, match="analysis.pairs"):
        PairRecorder(model, pairs=[[0, 3]])


@pytest.mark.parametrize("method", ["chebyshev", "crank-nicolson"])
def test_evolve_records_measures_of_every_output_state(method):
    """Both routes (sector amplitudes, sesolve e_ops) agree with QuTiP per state."""
    model = stt.STTModel(Lx=60, N=3)
    psi0 = stt.initial_state(model, x0=22, electron="+x")
    result = stt.evolve(model, psi0, [0, 15, 30], method, store_states=True,
                        analysis={"pairs": "all", "blocks": True})
    ent = result.entanglement
    sizes = spin_sizes(model)
    for t, psi in enumerate(result.states):
        A = psi.full().reshape(model.Lx, -1)
        ref = _oracle(A, sizes, ent["pairs_index"], ent["blocks_index"])
        _compare({k: ent[k][t] for k in ref}, ref)
    # the electron entangles spins 1 and 3, which never interact directly
    assert ent["mutual_information"][-1, 4] > 1e-3


def test_no_analysis_costs_nothing():
    model = stt.STTModel(Lx=40, N=2)
    result = stt.evolve(model, stt.initial_state(model, x0=10), [0, 5])
    assert result.entanglement is None
