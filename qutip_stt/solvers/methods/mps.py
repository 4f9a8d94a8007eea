"""Method ``"mps"``: ``Ne`` electrons and the local spins as a matrix-product state (TeNPy).

For the many-electron model (a config's ``[electrons]`` table) beyond the
exact route's memory: the same start, terms and file layout, evolved by
two-site TDVP or MPO evolution (:mod:`qutip_stt.solvers.mps`) at bond
dimension at most ``chi_max``. Its options are the ``[mps]`` table of a
config (``mps.chi_max``, ``mps.svd_min``, ``mps.dt``, ``mps.algorithm``).
``"auto"`` never picks it: it is an approximation whose accuracy the user
controls (``chi_max``, ``dt``); the exact route names it when its sectors
do not fit. TeNPy (``pip install "qutip-stt[mps]"``) is needed only here,
and imported only when the method runs.
"""

from ..._util.validation import check_int, check_name, check_real
from ...errors import ConfigError
from ..registry import Method, Option, Outcome, register_method

__all__ = ["METHOD", "STORES", "ALGORITHMS", "DEFAULTS", "MISSING_TENPY",
           "mps_memory", "tenpy_available"]

#: ``mps.algorithm`` values (described in :mod:`qutip_stt.solvers.mps.evolve`).
ALGORITHMS = ("tdvp", "expmpo")

#: The datasets the method adds to the observables.
STORES = ("electrons/spin_density", "electrons/spin",
          "electrons/count_right", "mps/truncation_error",
          "mps/bond_dimension", "mps/entanglement_entropy")

#: The one line a run without TeNPy stops with.
MISSING_TENPY = ("method \"mps\" needs TeNPy: pip install "
                 "\"qutip-stt[mps]\"")


def _chi_max(key, value):
    return check_int("mps.chi_max", value, minimum=1, maximum=100_000)


def _svd_min(key, value):
    value = check_real("mps.svd_min", value, minimum=0)
    if value >= 1:
        raise ConfigError("mps.svd_min", f"expected 0 <= svd_min < 1, got "
                          f"{value!r}")
    return value


def _dt(key, value):
    return check_real("mps.dt", value, minimum=0, strict_minimum=True)


def _algorithm(key, value):
    return check_name("mps.algorithm", value, ALGORITHMS)


OPTIONS = (
    Option("chi_max", 128, _chi_max, "largest bond dimension of the MPS; "
           "integer 1..100000; default 128"),
    Option("svd_min", 1e-10, _svd_min, "Schmidt values below this are "
           "discarded at every truncation; 0 <= svd_min < 1; default 1e-10"),
    Option("dt", 0.05, _dt, "largest time step, fs; > 0 and at most the "
           "interval between output times (each interval is cut into equal "
           "steps); default 0.05"),
    Option("algorithm", "tdvp", _algorithm, "\"tdvp\" (two-site TDVP, "
           "unitary, energy conserved) or \"expmpo\" (MPO evolution "
           "exp(-i H dt) ~ W^II, second order); default \"tdvp\""),
)

#: The ``[mps]`` table's defaults.
DEFAULTS = {o.name: o.default for o in OPTIONS}


def _requires(model):
    if not getattr(model, "many_electrons", False):
        return ("it propagates electrons given by [electrons] (a "
                "ManyElectronModel; count = 1 for one electron)")
    return None


def tenpy_available():
    """Whether TeNPy imports (False also when it is blocked, as in tests)."""
    try:
        import tenpy  # noqa: F401
    except ImportError:
        return False
    return True


def mps_memory(Lx, N, S, chi_max, n_times=101):
    """Bytes of an MPS run: the state, TDVP's environments and Krylov
    vectors (about ten tensors of ``chi^2 d`` per site, the MPO's bond
    dimension included) and the stored observables.

    Examples
    --------
    >>> round(mps_memory(75, 5, 0.5, 128) / 2**30, 2)     # GiB
    1.76
    """
    d_spin = int(round(2 * S)) + 1
    d = 4 * d_spin                     # a chain site grouped with a spin
    state = Lx * chi_max ** 2 * d * 16
    # per output: densities, spins, bond entropies and the spins'
    # (2S+1)^N configuration probabilities
    return int(12 * state + n_times * (4 * Lx + 3 * N + 8 + d_spin ** N) * 8)


def _limits(model, state, times, options):
    import numpy as np
    from ..mps.measure import MAX_BLOCK

    if not tenpy_available():
        raise ConfigError("evolution.method", MISSING_TENPY)
    gaps = np.diff(np.asarray(times, dtype=float))
    if gaps.size and options["dt"] > gaps.min() * (1 + 1e-12):
        raise ConfigError("mps.dt", f"{options['dt']:g} fs is longer than "
                          f"the {gaps.min():g} fs between output times; "
                          "give mps.dt <= the interval")
    if model.spin_dim ** model.N > MAX_BLOCK:
        raise ConfigError("local_spins.count", f"{model.N} local spins of "
                          f"spin {model.S:g} have {model.spin_dim ** model.N}"
                          f" configurations; the file's probabilities and "
                          f"the local spins' block are kept up to "
                          f"{MAX_BLOCK}")
    return {"memory estimate": mps_memory(model.Lx, model.N, model.S,
                                          options["chi_max"], len(times))}


def _run(request):
    from ..mps.evolve import evolve_mps

    o = request.options
    arrays, stats = evolve_mps(
        request.model, request.state, request.times, chi_max=o["chi_max"],
        svd_min=o["svd_min"], dt=o["dt"], algorithm=o["algorithm"],
        on_time=request.on_time, pair_recorder=request.pair_recorder)
    extra = {key: arrays.pop(key) for key in STORES}
    attrs = {key: {"unit": "hbar/2"} for key in STORES[:2]}
    attrs["mps/entanglement_entropy"] = {"base": "e"}
    attrs["mps/truncation_error"] = {
        "meaning": "discarded weight (sum of squared Schmidt values) "
                   "accumulated since t = 0"}
    return Outcome(request.times, arrays, None, stats=stats, extra=extra,
                   dataset_attrs=attrs,
                   file_attrs={"electrons": request.model.Ne,
                               **{f"mps_{k}": v for k, v in o.items()}})


METHOD = register_method(Method(
    name="mps",
    summary="Ne electrons and the local spins as a matrix-product state "
            "(TeNPy): two-site TDVP or MPO evolution at bond dimension "
            "chi_max ([mps] table)",
    run=_run, options=OPTIONS, requires=_requires, auto=None,
    limits=_limits, store_states=False, reflections="background",
    one_blas_thread=False, stores=STORES))
