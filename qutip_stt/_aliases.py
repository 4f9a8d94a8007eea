"""Old module names of qutip-stt 0.1, kept importable with a DeprecationWarning.

Version 0.2 moved the flat modules into subpackages (see the architecture
page of the docs). ``import qutip_stt.analysis`` and friends still work: an
import hook hands out the new module under the old name and warns once.
"""

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

#: Old module (under ``qutip_stt.``) -> the module that replaces it.
MOVED = {
    "analysis": "qutip_stt.observables",
    "evolution": "qutip_stt.solvers.evolution",
    "integrators": "qutip_stt.solvers.crank_nicolson",
    "propagators": "qutip_stt.solvers.chebyshev",
    "bloch": "qutip_stt.viz.bloch",
    "plotting": "qutip_stt.viz.plotting",
    "reproduce": "qutip_stt.paper",
    "commands": "qutip_stt.cli.simulate",
}


def _warn(old, new):
    warnings.warn(f"qutip_stt.{old} is now {new}; the old name will be "
                  f"removed in a future version", DeprecationWarning,
                  stacklevel=3)


def old_module(name):
    """The module that replaces ``qutip_stt.<name>``, or None (with a warning)."""
    if name not in MOVED:
        return None
    _warn(name, MOVED[name])
    return importlib.import_module(MOVED[name])


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``qutip_stt.<old>`` and loads the new module in its place."""

    def find_spec(self, fullname, path, target=None):
        prefix, _, old = fullname.partition(".")
        if prefix != "qutip_stt" or old not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        old = spec.name.split(".", 1)[1]
        _warn(old, MOVED[old])
        module = importlib.import_module(MOVED[old])
        self._spec = module.__spec__    # importlib overwrites __spec__
        return module

    def exec_module(self, module):
        module.__spec__ = self._spec


def install():
    """Put the alias finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
