"""The printed summary of a run: units, lengths, purities, the electron's flip."""

import re

import numpy as np
import pytest

import qutip_stt as stt


@pytest.fixture(scope="module")
def run():
    model = stt.STTModel(Lx=60, N=2)
    psi0 = stt.initial_state(model, k=1.0, dk=0.4, x0=20,
                             local=["+z", {"theta": 60, "phi": 0}])
    return model, stt.evolve(model, psi0, np.linspace(0, 15, 4))


def _number(text, label):
    return float(re.search(label + r"\s*([-+0-9.e]+)", text).group(1))


def test_summary_states_units_lengths_and_spin_half_purities(run):
    model, res = run
    text = res.summary()
    assert "spins in units of hbar/2" in text.splitlines()[0]
    for n in (1, 2):
        line = next(l for l in text.splitlines()
                    if l.startswith(f"final local spin {n} "))
        v = res.local_spin[-1, n - 1]
        assert _number(line, r"\|<Sigma>\| =") == pytest.approx(
            np.linalg.norm(v), abs=1e-5)
        assert line.rstrip().split(" of ")[1].startswith("1, purity")
        assert _number(line, "purity") == pytest.approx(
            (1 + np.dot(v, v)) / 2, abs=1e-5)


def test_the_electron_flip_is_the_probability_of_the_opposite_spin():
    model = stt.STTModel(Lx=60, N=1)
    psi0 = stt.initial_state(model, k=1.0, dk=0.4, x0=20)
    res = stt.evolve(model, psi0, np.linspace(0, 15, 4), store_states=True)
    flip = _number(res.summary(), r"spin-flip probability \(found opposite "
                   r"to its initial direction\)")
    # the electron starts -z: the flip is the weight of electron spin up,
    # from QuTiP's ptrace of the final ket
    rho_e = stt.reduced_density_matrix(res.final_state, model, "electron_spin")
    assert flip == pytest.approx(float(rho_e.full()[0, 0].real), abs=1e-5)
    assert flip > 1e-3


def test_spin_half_purity_is_the_single_spin_ptrace():
    model = stt.STTModel(Lx=60, N=2)
    psi0 = stt.initial_state(model, k=1.0, dk=0.4, x0=20)
    res = stt.evolve(model, psi0, np.linspace(0, 15, 4), store_states=True)
    line = next(l for l in res.summary().splitlines()
                if l.startswith("final local spin 1 "))
    rho = stt.reduced_density_matrix(res.final_state, model, "local:1")
    assert _number(line, "purity") == pytest.approx(
        float((rho * rho).tr().real), abs=1e-5)
