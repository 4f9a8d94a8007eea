import io
from contextlib import redirect_stdout

import qutip

import qutip_stt


def test_about_lists_package():
    buf = io.StringIO()
    with redirect_stdout(buf):
        qutip.about()
    assert f"qutip-stt: {qutip_stt.__version__}" in buf.getvalue()
