"""``python -m qutip_stt`` is the ``qutip-stt`` command."""

import sys

from .cli import main

sys.exit(main())
