"""The TOML run configuration of ``qutip-stt simulate``: schema, defaults, presets.

A config has these tables (all optional; every key has a default)::

    [chain]        length = 400, hopping = 1.0, potential = []
    [local_spins]  count = 5, spin = 0.5, first_site = Lx//2 - N//2,
                   J = 0.1, Jz = 0.1005, J_sd = 0.1, direction = "+z",
                   state = "product", sector = "lowest", seed = 0,
                   field = 0.0
    [electron]     k = 0.1, dk = 0.2, x0 = 0.4 * Lx, spin = "-z", field = 0.0
    [evolution]    t_max = 500.0, n_times = 101, method = "auto", dt = 0.1,
                   alpha = 0.0 (Gilbert damping, method "classical" only)
    [analysis]     pairs = "none", blocks = false, measures = "all"
    [train]        electrons = 20, interval = "auto", polarization = 1.0
                   (read by ``qutip-stt train`` only)
    [scatter]      energies = {start, stop, num} (eV) or k = {start, stop, num},
                   padding = 0   (read by ``qutip-stt scatter`` only)

The config layer imports no QuTiP, so the command line can check a config
before loading the physics. Its three modules are below; this one
re-exports their public names (``from qutip_stt.config import
resolve_config``):

* :mod:`qutip_stt.config_schema`, the keys as data:
  :data:`~qutip_stt.config_schema.DEFAULTS`,
  :data:`~qutip_stt.config_schema.KEY_DOCS` (one line per key) and
  :data:`~qutip_stt.config_schema.PRESETS`;
* :mod:`qutip_stt.config_resolve`:
  :func:`~qutip_stt.config_resolve.resolve_config` checks a dict and fills
  in defaults;
* :mod:`qutip_stt.config_io`: :func:`~qutip_stt.config_io.load_config`
  reads a file, :func:`~qutip_stt.config_io.preset` copies a preset,
  :func:`~qutip_stt.config_io.apply_overrides` applies ``--set key=value``
  strings and :func:`~qutip_stt.config_io.to_toml` writes TOML.

:func:`qutip_stt.simulation.build` turns a resolved config into the model,
the initial state and the output times. Every problem raises
:class:`~qutip_stt.errors.ConfigError` naming the key (``local_spins.spin``)
and the allowed values.
"""

from .config_io import (apply_overrides, load_config, preset, read_config,
                        to_toml)
from .config_io import _toml_value  # noqa: F401  (docs/_ext/stt_docs.py)
from .config_resolve import resolve_config
from .config_schema import DEFAULTS, KEY_DOCS, PRESETS
from .config_schema import SCATTER_DEFAULT_K  # noqa: F401

__all__ = ["DEFAULTS", "PRESETS", "load_config", "read_config",
           "resolve_config",
           "apply_overrides", "preset", "to_toml", "KEY_DOCS"]


def build(config):
    """Deprecated alias of :func:`qutip_stt.simulation.build`.

    Parameters
    ----------
    config : dict
        A resolved config.

    Returns
    -------
    tuple
        ``(model, psi0, times)``.
    """
    import warnings

    from .simulation import build as _build
    warnings.warn("qutip_stt.config.build moved to qutip_stt.simulation.build",
                  DeprecationWarning, stacklevel=2)
    return _build(config)
