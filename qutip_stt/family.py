"""QuTiP family registration: ``qutip.about()`` lists qutip-stt."""

from . import __version__


def version():
    """Name and version of this package, as ``qutip.about()`` expects."""
    return "qutip-stt", __version__
