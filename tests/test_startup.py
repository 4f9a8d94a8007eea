"""Start-up stays light: what ``import qutip_stt`` and ``--help`` load.

Timing is measured by ``benchmarks/bench_speed.py`` (never by a test); here
the modules a fresh interpreter has loaded are inspected, which is what
makes start-up fast and does not depend on the machine's load.
"""

import json
import subprocess
import sys

HEAVY = ("qutip", "h5py", "matplotlib", "scipy")


def _loaded_after(code):
    probe = (f"import sys\n{code}\nimport json\n"
             f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_import_loads_no_qutip_h5py_or_matplotlib():
    assert _loaded_after("import qutip_stt") == []


def test_help_loads_no_qutip():
    code = ("import contextlib, io, runpy, sys\n"
            "sys.argv = ['qutip-stt', '--help']\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            "        runpy.run_module('qutip_stt', run_name='__main__')\n"
            "    except SystemExit as exc:\n"
            "        assert exc.code in (0, None)\n")
    loaded = _loaded_after(code)
    assert "qutip" not in loaded and "h5py" not in loaded
    assert "matplotlib" not in loaded


def test_lazy_names_still_resolve():
    code = "import qutip_stt\nqutip_stt.STTModel\nqutip_stt.evolve"
    assert "qutip" not in _loaded_after(code)


def test_the_python_api_stays_qutip_native():
    code = ("import qutip, qutip_stt\n"
            "H = qutip_stt.STTModel(Lx=20, N=2).hamiltonian\n"
            "assert isinstance(H, qutip.Qobj) and H.dims[0] == [20, 2, 2, 2]\n"
            "psi = qutip_stt.initial_state(qutip_stt.STTModel(Lx=20, N=2), x0=5)\n"
            "assert isinstance(psi, qutip.Qobj)")
    assert "qutip" in _loaded_after(code)


def _modules_of_simulate(tmp_path, *args):
    """The top-level modules and the qutip.* modules loaded by one simulate run."""
    out = tmp_path / "run.h5"
    code = ("import contextlib, io, json, runpy, sys\n"
            f"sys.argv = ['qutip-stt', 'simulate', {', '.join(map(repr, args))},"
            f" '--out', {str(out)!r}, '--quiet']\n"
            "try:\n"
            "    runpy.run_module('qutip_stt', run_name='__main__')\n"
            "except SystemExit as exc:\n"
            "    assert exc.code in (0, None), exc.code\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0]"
            " in ('qutip', 'matplotlib', 'h5py'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, check=True)
    assert out.exists()
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_simulate_default_route_loads_no_qutip_solver_or_matplotlib(tmp_path):
    loaded = _modules_of_simulate(
        tmp_path, "--preset", "paper-collinear", "--set", "chain.length=120",
        "--set", "evolution.t_max=30", "--set", "evolution.n_times=4")
    assert "h5py" in loaded                      # the file was written
    assert not [m for m in loaded if m.startswith("qutip")]
    assert not [m for m in loaded if m.startswith("matplotlib")]


def test_simulate_with_sesolve_still_loads_qutip(tmp_path):
    loaded = _modules_of_simulate(
        tmp_path, "--preset", "paper-collinear", "--set", "chain.length=40",
        "--set", "evolution.t_max=2", "--set", "evolution.n_times=2",
        "--method", "sesolve")
    assert "qutip.solver" in loaded
