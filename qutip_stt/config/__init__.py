"""The TOML run configuration: schema as data, resolution, TOML in and out.

A config has these tables (all optional; every key has a default)::

    [chain]        length = 400, hopping = 1.0, potential = []
    [local_spins]  count = 5, spin = 0.5, first_site = Lx//2 - N//2,
                   J = 0.1, Jz = 0.1005, J_sd = 0.1, direction = "+z",
                   state = "product", sector = "lowest", seed = 0,
                   field = 0.0
    [electron]     k = 0.1, dk = 0.2, x0 = 0.4 * Lx, spin = "-z", field = 0.0
    [evolution]    t_max = 500.0, n_times = 101, method = "auto", and the
                   options of the methods: dt = 0.1, alpha = 0.0
    [analysis]     pairs = "none", blocks = false, measures = "all"
    [train]        electrons = 20, interval = "auto", polarization = 1.0
                   (read by ``qutip-stt train`` only)
    [bath]         relaxation = 0.0, dephasing = 0.0 (1/fs),
                   temperature = 0.0 (K), direction = "+z"
    [scatter]      energies = {start, stop, num} (eV) or k = {start, stop, num},
                   padding = 0   (read by ``qutip-stt scatter`` only)

The config layer imports no QuTiP, so the command line checks a config
before loading the physics:

* :mod:`~qutip_stt.config.schema`: the keys as data,
  :data:`~qutip_stt.config.schema.DEFAULTS` and
  :data:`~qutip_stt.config.schema.KEY_DOCS` (one line per key);
* :mod:`~qutip_stt.config.presets`: the paper's four cases,
  :data:`~qutip_stt.config.presets.PRESETS`;
* :mod:`~qutip_stt.config.resolve`:
  :func:`~qutip_stt.config.resolve.resolve_config` checks a dict and fills
  in defaults;
* :mod:`~qutip_stt.config.toml_io`: :func:`~qutip_stt.config.toml_io.load_config`
  reads a file, :func:`~qutip_stt.config.toml_io.preset` copies a preset,
  :func:`~qutip_stt.config.toml_io.apply_overrides` applies ``--set
  key=value`` strings and :func:`~qutip_stt.config.toml_io.to_toml` writes
  TOML.

:func:`qutip_stt.simulation.build` turns a resolved config into the model,
the initial state and the output times. Every problem raises
:class:`~qutip_stt.errors.ConfigError` naming the key (``local_spins.spin``)
and the allowed values.
"""

from .._util.lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "schema": ["DEFAULTS", "KEY_DOCS", "SCATTER_DEFAULT_K"],
    "presets": ["PRESETS"],
    "resolve": ["resolve_config"],
    "toml_io": ["read_config", "load_config", "preset", "apply_overrides",
                "merge_overrides", "to_toml", "toml_value"],
    "usage": ["keys_read", "check_command_keys"],
})
