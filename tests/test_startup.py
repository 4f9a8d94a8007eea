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
    assert "qutip" in _loaded_after(code)
