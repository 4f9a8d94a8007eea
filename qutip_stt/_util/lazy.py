"""Lazy package faces (PEP 562): names load from their module on first use.

Every subpackage of qutip-stt lists its public names by defining module and
hands the table to :func:`attach`, so that importing the package imports
none of its modules: ``from qutip_stt.config import resolve_config`` loads
the config layer alone, not QuTiP.
"""

import importlib
import sys

__all__ = ["attach"]


def attach(package, table, modules=()):
    """``(__getattr__, __dir__, __all__)`` of a package face.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    table : dict
        ``{module: [names]}``: each public name and the module (relative to
        the package) that defines it. Every module of the table is itself
        public too (``qutip_stt.states.spin``).
    modules : sequence of str, optional
        More public submodules that define no name of the face.

    Returns
    -------
    tuple
        The package's ``__getattr__`` and ``__dir__`` functions and its
        ``__all__`` list (the names, then the modules), in which ``dir()``
        of the package and ``__all__`` agree.

    Examples
    --------
    >>> getattr_, dir_, all_ = attach("json", {"decoder": ["JSONDecodeError"]})
    >>> getattr_("JSONDecodeError").__name__, all_
    ('JSONDecodeError', ['JSONDecodeError', 'decoder'])
    """
    where = {name: module for module, names in table.items()
             for name in names}
    submodules = list(dict.fromkeys([*table, *modules]))
    public = [*where, *[m for m in submodules if m not in where]]

    def __getattr__(name):
        if name in where:
            value = getattr(importlib.import_module(
                f"{package}.{where[name]}"), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute "
                                 f"{name!r}")
        setattr(sys.modules[package], name, value)    # once per name
        return value

    def __dir__():
        return list(public)

    return __getattr__, __dir__, public
