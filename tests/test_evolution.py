"""Time evolution: conservation laws and agreement of independent integrators."""

import numpy as np
import pytest
import qutip

import qutip_stt as stt
from qutip_stt.constants import HBAR_EV_FS


def max_diff(a, b):
    keys = ("electron_spin", "local_spin", "purity_local", "purity_electron")
    return max(np.abs(getattr(a, k) - getattr(b, k)).max() for k in keys)


def exact_reference(model, psi0, times):
    """Exact propagation by diagonalizing H densely (small models only)."""
    H = model.hamiltonian.full()
    w, v = np.linalg.eigh(H)
    c = v.conj().T @ psi0.full().ravel()
    states = [qutip.Qobj(v @ (np.exp(-1j * w * t / HBAR_EV_FS) * c),
                         dims=psi0.dims) for t in times]
    return states


def test_conservation_sesolve(small_model, small_times):
    psi0 = stt.initial_state(small_model, x0=45, electron="+y")
    r = stt.evolve(small_model, psi0, small_times, "sesolve")
    # an adaptive Runge-Kutta method conserves these to its tolerance only
    assert np.abs(r.norm - 1).max() < 1e-6
    assert np.abs(r.energy - r.energy[0]).max() < 1e-6
    assert np.abs(r.total_sz - r.total_sz[0]).max() < 1e-6


def test_crank_nicolson_is_unitary(small_model, small_times):
    psi0 = stt.initial_state(small_model, x0=45, electron={"theta": 120,
                                                           "phi": 40})
    r = stt.evolve(small_model, psi0, small_times, "crank-nicolson", dt=0.2)
    assert np.abs(r.norm - 1).max() < 1e-12
    assert np.abs(r.energy - r.energy[0]).max() < 1e-12
    assert np.abs(r.total_sz - r.total_sz[0]).max() < 1e-11


@pytest.mark.parametrize("S, N, electron, local", [
    (0.5, 2, "-z", "+z"), (0.5, 2, "+x", "+z"),
    (1.0, 2, {"theta": 60, "phi": 30}, "+z"), (2.5, 1, "-z", "+z"),
    (0.5, 3, "-y", {"theta": 40, "phi": 10}),
])
def test_methods_agree_with_exact(S, N, electron, local):
    """sesolve and Crank-Nicolson (default dt) against dense diagonalization."""
    model = stt.STTModel(Lx=50, N=N, S=S, J_sd=0.25, J=0.08, Jz=0.1)
    psi0 = stt.initial_state(model, k=0.6, dk=0.3, x0=14, electron=electron,
                             local=local)
    times = np.linspace(0, 40, 9)
    exact = exact_reference(model, psi0, times)
    snaps = [stt.snapshot(s, model) for s in exact]
    for method, tol in (("sesolve", 1e-5), ("crank-nicolson", 1e-3)):
        r = stt.evolve(model, psi0, times, method)
        for key in ("electron_spin", "local_spin", "purity_local",
                    "purity_electron", "probabilities"):
            ref = np.array([s[key] for s in snaps])
            assert np.abs(getattr(r, key) - ref).max() < tol, (method, key)


def exact_error(model, psi0, times, result, _cache={}):
    key = (id(model), id(psi0), tuple(times))
    if key not in _cache:
        _cache[key] = [stt.snapshot(s, model)
                       for s in exact_reference(model, psi0, times)]
    snaps = _cache[key]
    keys = ("electron_spin", "local_spin", "purity_local", "purity_electron")
    return max(np.abs(getattr(result, k) - np.array([s[k] for s in snaps])).max()
               for k in keys)


def test_crank_nicolson_converges():
    """Without the shift the error is the textbook dt^2; with it, far smaller."""
    model = stt.STTModel(Lx=80, N=2)
    psi0 = stt.initial_state(model, x0=25)
    times = np.linspace(0, 30, 4)

    def err(dt, shift):
        r = stt.evolve(model, psi0, times, "crank-nicolson", dt=dt,
                       options={"energy_shift": shift})
        return exact_error(model, psi0, times, r)

    plain = [err(dt, False) for dt in (0.2, 0.1, 0.05)]
    assert 3.5 < plain[0] / plain[1] < 4.3
    assert 3.7 < plain[1] / plain[2] < 4.3
    shifted = [err(dt, True) for dt in (0.4, 0.1, 0.025)]
    assert shifted[0] > shifted[1] > shifted[2]
    assert shifted[2] < 2e-6
    assert shifted[1] < plain[1] / 100


def test_crank_nicolson_registered_in_sesolve(small_model):
    """A QuTiP user can call the integrator through qutip.sesolve directly."""
    psi0 = stt.initial_state(small_model, x0=45)
    H = small_model.hamiltonian / HBAR_EV_FS
    times = [0.0, 7.0, 13.5]  # uneven: output times are hit exactly
    r = qutip.sesolve(H, psi0, times, options={"method": "crank-nicolson",
                                               "dt": 0.05})
    ref = qutip.sesolve(H, psi0, times, options={"method": "dop853",
                                                 "atol": 1e-12, "rtol": 1e-10})
    assert r.times == times
    for a, b in zip(r.states, ref.states):
        assert abs(a.overlap(b)) > 1 - 1e-5


def test_energy_shift_restores_global_phase():
    model = stt.STTModel(Lx=80, N=2)
    psi0 = stt.initial_state(model, x0=25)
    times = np.linspace(0, 30, 4)
    r = stt.evolve(model, psi0, times, "crank-nicolson", dt=0.025,
                   store_states=True)
    exact = exact_reference(model, psi0, times[-1:])[0]
    assert abs(r.final_state.overlap(exact) - 1) < 1e-5


@pytest.mark.parametrize("times, key", [
    ([], "times"), ([0, 1, 1], "times"), ([0, float("nan")], "times"),
])
def test_bad_times(small_model, times, key):
    psi0 = stt.initial_state(small_model, x0=45)
    with pytest.raises(ValueError, match=f"^{key}"):
        stt.evolve(small_model, psi0, times)


def test_bad_method_and_state(small_model):
    psi0 = stt.initial_state(small_model, x0=45)
    with pytest.raises(ValueError, match="^evolution.method"):
        stt.evolve(small_model, psi0, [0, 1], "euler")
    with pytest.raises(ValueError, match="^evolution.dt"):
        stt.evolve(small_model, psi0, [0, 1], "crank-nicolson", dt=0)
    other = stt.initial_state(stt.STTModel(Lx=20, N=1), x0=5)
    with pytest.raises(ValueError, match="^state"):
        stt.evolve(small_model, other, [0, 1])


@pytest.mark.parametrize("method", ["chebyshev", "crank-nicolson", "sesolve"])
def test_progress_bar_and_time_reached(method, capsys):
    """Every route drives a QuTiP progress bar and reports each time reached."""
    model = stt.STTModel(Lx=40, N=2)
    times = np.linspace(0, 4, 5)
    reached = []
    stt.evolve(model, stt.initial_state(model, x0=10), times, method,
               progress_bar="text", on_time=reached.append)
    assert "Total run time" in capsys.readouterr().out
    assert reached == list(times)
    # with a stage, every line of the text bar names it (qutip_stt._util.progress)
    stt.evolve(model, stt.initial_state(model, x0=10), times, method,
               progress_bar="text", progress_stage="run 1 of 4")
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(ln.startswith("run 1 of 4: ") for ln in lines)
    assert lines[-2].startswith("run 1 of 4: 100%")


@pytest.mark.parametrize("method", ["chebyshev", "sesolve", "crank-nicolson"])
def test_wall_time_is_the_run_time(method):
    # the result's wall_time (written to the HDF5 file) is the run's own
    # duration: positive and within the time measured around the call
    # (tilted spins: several sectors, propagated together on the sector
    # route)
    import time
    model = stt.STTModel(Lx=30, N=2)
    psi0 = stt.initial_state(model, x0=10, local={"theta": 40.0})
    start = time.perf_counter()
    r = stt.evolve(model, psi0, np.linspace(0.0, 5.0, 6), method,
                   warn_reflections=False)
    elapsed = time.perf_counter() - start
    assert 0.0 < r.wall_time <= elapsed


def test_one_blas_thread_limits_and_restores():
    # the cached controller limits every BLAS library, as threadpool_limits
    # does, and gives the previous numbers back, also after an error
    from threadpoolctl import threadpool_info, threadpool_limits
    from qutip_stt._util.blas_threads import one_blas_thread

    def threads():
        return [lib["num_threads"] for lib in threadpool_info()
                if lib["user_api"] == "blas"]

    with threadpool_limits(limits=2, user_api="blas"):
        before = threads()
        assert before and all(n == 2 for n in before)
        with one_blas_thread():
            assert all(n == 1 for n in threads())
        assert threads() == before
        with pytest.raises(RuntimeError):
            with one_blas_thread():
                raise RuntimeError
        assert threads() == before


@pytest.mark.parametrize("method", ["chebyshev", "sesolve", "crank-nicolson",
                                    "classical"])
def test_result_speaks_qutip_on_every_method(method):
    """``expect`` is a list and ``e_data`` a dict, in the order of the
    reducer's observables; ``stats`` says what ran and where the time went;
    the named arrays are the same objects."""
    from qutip_stt.measures.reducer import OBSERVABLES
    model = stt.STTModel(Lx=50, N=2)
    psi0 = stt.initial_state(model, x0=15, electron="+x")
    times = [0.0, 2.0, 4.0]
    res = stt.evolve(model, psi0, times, method=method,
                     warn_reflections=False)
    assert isinstance(res.expect, list) and len(res.expect) == len(
        OBSERVABLES)
    assert list(res.e_data) == list(OBSERVABLES)
    for key, values in zip(OBSERVABLES, res.expect):
        assert values is getattr(res, key) is res.e_data[key]
        assert len(values) == len(times)
    stats = res.stats
    assert stats["method"] == method == res.method
    assert stats["num_expect"] == len(OBSERVABLES)
    for phase in ("init time", "run time", "total time"):
        assert 0 <= stats[phase] <= stats["total time"], phase
    assert stats["memory estimate"] > 0
    np.testing.assert_array_equal(res.times, times)
    if method == "chebyshev":
        # +x electron on up spins: all up (50 sites) and one flip (150)
        assert stats["sectors"] == {1.5: 50, 0.5: 150}
        # one thread: both sectors in one Chebyshev series (their direct sum)
        assert stats["series terms"] > 0 and stats["threads"] == 1
    if method in ("sesolve", "crank-nicolson"):
        assert stats["qutip stats"]["solver"] == "Schrodinger Evolution"


def test_options_dict_and_shorthands_agree(small_model):
    psi0 = stt.initial_state(small_model, x0=45)
    times = [0.0, 5.0]
    a = stt.evolve(small_model, psi0, times, "crank-nicolson", dt=0.05,
                   store_states=True)
    b = stt.evolve(small_model, psi0, times, options={
        "method": "crank-nicolson", "dt": 0.05, "store_states": True})
    np.testing.assert_array_equal(a.local_spin, b.local_spin)
    assert len(a.states) == len(b.states) == 2 and b.final_state is b.states[-1]
    with pytest.raises(stt.ConfigError, match="options.method: given twice"):
        stt.evolve(small_model, psi0, times, "sesolve",
                   options={"method": "chebyshev"})
    with pytest.raises(stt.ConfigError, match="options.atol: method "
                       "'chebyshev' takes the options tol, not 'atol'"):
        stt.evolve(small_model, psi0, times, options={"atol": 1e-9})
    with pytest.raises(stt.ConfigError, match="store_states: method "
                       "'classical' has no many-body ket"):
        stt.evolve(small_model, psi0, times, "classical", store_states=True)
