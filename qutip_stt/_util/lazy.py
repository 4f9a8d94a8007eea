"""Lazy package faces (PEP 562): names load from their module on first use.

Every subpackage of qutip-stt lists its public names by defining module and
hands the table to :func:`attach`, so that importing the package imports
none of its modules: ``from qutip_stt.config import resolve_config`` loads
the config layer alone, not QuTiP.

:func:`lazy_module` does the same for a heavy dependency: the modules of the
default route (config -> sectors -> Chebyshev -> reducer -> file) name
``qutip`` as a :func:`lazy_module`, so a run that never builds a ``Qobj``
never pays for importing QuTiP (its solvers, and matplotlib through
``qutip.bloch``).
"""

import importlib
import sys
import types

__all__ = ["attach", "lazy_module"]


class _LazyModule(types.ModuleType):
    """A module that imports ``name`` on its first attribute access."""

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)    # doctest and inspect probe these
        module = importlib.import_module(self.__dict__["_lazy_target"])
        return getattr(module, attr)

    def __repr__(self):
        return f"<lazy module {self.__dict__['_lazy_target']!r}>"


def lazy_module(name):
    """A stand-in for ``import name`` that imports on first attribute use.

    Parameters
    ----------
    name : str
        A module name (``"qutip"``).

    Returns
    -------
    types.ModuleType
        A module whose attributes are those of ``name``, imported when the
        first one is read; ``sys.modules`` is not touched before that.

    Examples
    --------
    >>> json = lazy_module("json")
    >>> json.dumps([1])
    '[1]'
    """
    module = _LazyModule(name)
    module.__dict__["_lazy_target"] = name
    return module


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
