"""QuTiP family registration: ``qutip.about()`` lists qutip-stt."""

from ._version import __version__

__all__ = ["version"]


def version():
    """Name and version of this package, as ``qutip.about()`` expects."""
    return "qutip-stt", __version__
