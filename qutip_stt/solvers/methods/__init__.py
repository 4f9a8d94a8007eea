"""The package's evolution methods, one module each, registering itself.

Every module here declares one :class:`~qutip_stt.solvers.registry.Method`
and registers it on import; :mod:`~qutip_stt.solvers.registry` imports them
all the first time it is asked for a method. A module declares options,
limits and memory as plain data and imports the physics only inside its
``run``, so reading the declarations imports no QuTiP. A new method of the
package is one new module here (and its tests).
"""

__all__ = []
