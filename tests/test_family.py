import io
from contextlib import redirect_stdout

import qutip

import qutip_stt
from qutip_stt import family


def test_version():
    assert family.version() == ("qutip-stt", qutip_stt.__version__)


def test_about_lists_package():
    buf = io.StringIO()
    with redirect_stdout(buf):
        qutip.about()
    assert f"qutip-stt: {qutip_stt.__version__}" in buf.getvalue()
