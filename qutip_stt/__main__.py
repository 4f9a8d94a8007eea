"""``python -m qutip_stt`` is the ``qutip-stt`` command."""

import sys

from .cli import main

if __name__ == "__main__":  # importing this module (e.g. docs tools) runs nothing
    sys.exit(main())
