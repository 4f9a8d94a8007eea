"""The ``[electrons]`` table: several electrons at once, checked (no QuTiP import).

One job, :func:`resolve_electrons`: the keys of ``[electrons]`` (``count``,
``state``, ``lead``, ``spin``, ``packets``, ``hubbard_U``) checked and
completed, for a chain of ``length`` sites whose local spins start at
``first_site``. The physics checks (no more electrons of one spin than the
lead has orbitals; linearly independent spin-orbitals, the Pauli principle)
come from :mod:`qutip_stt.states.orbitals`, which needs NumPy only. A config
has either ``[electron]`` (one) or ``[electrons]`` (several):
:func:`~qutip_stt.config.resolve.resolve_config` refuses both.
"""

from ..errors import ConfigError, ConfigTypeError
from .._util.validation import (check_energy, check_int, check_real,
                                check_table_keys, check_wave_number,
                                did_you_mean)

__all__ = ["resolve_electrons", "require_one_electron", "PACKET_KEYS",
           "PACKET_DEFAULTS"]

#: Keys of one packet of ``electrons.packets``.
PACKET_KEYS = ("k", "dk", "x0", "spin")

#: Their defaults (``x0`` has none).
PACKET_DEFAULTS = {"k": 0.1, "dk": 0.2, "spin": "-z"}


def _direction(value, key):
    from ..states.forms import parse_direction
    if isinstance(value, str):
        parse_direction(value, key)
        return value
    theta, phi = parse_direction(value, key)
    return {"theta": theta, "phi": phi}


def _packets(value, Lx):
    key = "electrons.packets"
    if not isinstance(value, list):
        raise ConfigTypeError(key, "expected a list of tables { k, dk, x0, "
                              f"spin }}, got {value!r}")
    out = []
    for i, p in enumerate(value):
        k = f"{key}[{i}]"
        if not isinstance(p, dict):
            raise ConfigTypeError(k, f"expected a table {{ k, dk, x0, spin }}, "
                                  f"got {p!r}")
        unknown = set(p) - set(PACKET_KEYS)
        if unknown:
            raise ConfigError(f"{k}.{sorted(unknown)[0]}", "unknown key"
                              + did_you_mean(sorted(unknown)[0], PACKET_KEYS)
                              + "; "
                              "allowed: " + ", ".join(PACKET_KEYS))
        if "x0" not in p:
            raise ConfigError(f"{k}.x0", f"missing; the packet centre, a site "
                              f"0..{Lx - 1}, is required")
        q = {**PACKET_DEFAULTS, **p}
        out.append({"k": check_wave_number(f"{k}.k", q["k"]),
                    "dk": check_real(f"{k}.dk", q["dk"], minimum=0,
                                     strict_minimum=True),
                    "x0": check_real(f"{k}.x0", q["x0"], minimum=0,
                                     maximum=Lx - 1),
                    "spin": _direction(q["spin"], f"{k}.spin")})
    return out


def resolve_electrons(table, Lx, first_site):
    """Check the ``[electrons]`` table in place and fill in its defaults.

    Parameters
    ----------
    table : dict
        The table with every key (defaults of
        :data:`~qutip_stt.config.schema.DEFAULTS` filled in).
    Lx : int
        Chain length.
    first_site : int
        Site of local spin 1 (the default lead ends there).

    Returns
    -------
    dict
        ``table``.

    Examples
    --------
    >>> t = {"count": 3, "state": "lead", "lead": None, "spin": "-z",
    ...      "packets": [], "hubbard_U": 0.0}
    >>> resolve_electrons(t, 40, 19)["lead"]
    {'start': 0, 'stop': 19}
    >>> resolve_electrons({**t, "count": 30, "lead": {"start": 0, "stop": 10}}, 40, 19)
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: electrons.count: 30 electrons of one spin need 30 orbitals, but the lead [0, 10) has 10: at most 10 per spin (Pauli)
    """
    from ..states.orbitals import (check_independent, check_lead,
                                   packet_amplitudes, spin_orbitals,
                                   spinor_components)
    import numpy as np

    state = table["state"]
    if state not in ("lead", "packets"):
        raise ConfigError("electrons.state", f"expected \"lead\" or "
                          f"\"packets\", got {state!r}")
    table["hubbard_U"] = check_energy("electrons.hubbard_U",
                                      table["hubbard_U"])
    packets = _packets(table["packets"], Lx)
    if state == "packets":
        if not packets:
            raise ConfigError("electrons.packets", "state = \"packets\" needs "
                              "one table { k, dk, x0, spin } per electron")
        count = len(packets) if table["count"] is None else table["count"]
        count = check_int("electrons.count", count, minimum=1)
        if count != len(packets):
            raise ConfigError("electrons.count", f"{count}, but "
                              f"electrons.packets lists {len(packets)} "
                              "packets: one per electron")
        vectors = spin_orbitals(
            np.stack([packet_amplitudes(Lx, p["k"], p["dk"], p["x0"])
                      for p in packets], axis=1),
            [spinor_components(p["spin"]) for p in packets])
        check_independent(vectors, "electrons.packets")
        table.update(count=count, packets=packets, lead=None)
        return table
    if packets:
        raise ConfigError("electrons.packets", "packets are the start of "
                          "state = \"packets\"; with state = \"lead\" leave "
                          "them out")
    count = check_int("electrons.count", 1 if table["count"] is None
                      else table["count"], minimum=1, maximum=2 * Lx)
    lead = table["lead"]
    if lead is None:
        lead = {"start": 0, "stop": first_site}
    if not isinstance(lead, dict):
        raise ConfigTypeError("electrons.lead", "expected a table { start, "
                              f"stop }} of sites, got {lead!r}")
    check_table_keys("electrons.lead", lead, ("start", "stop"), "the lead")
    start = check_int("electrons.lead.start", lead["start"], minimum=0,
                      maximum=Lx - 1)
    stop = check_int("electrons.lead.stop", lead["stop"], minimum=start + 1,
                     maximum=Lx)
    spin = table["spin"]
    if spin == "none":
        if count % 2:
            raise ConfigError("electrons.count", f"spin = \"none\" fills "
                              f"each orbital with both spins and needs an "
                              f"even count, got {count}")
        check_lead(start, stop, count // 2)
    else:
        spin = _direction(spin, "electrons.spin")
        check_lead(start, stop, count)
    table.update(count=count, lead={"start": start, "stop": stop}, spin=spin,
                 packets=[])
    return table


def require_one_electron(config, what):
    """Refuse a config with ``[electrons]`` where ``what`` follows one electron.

    Examples
    --------
    >>> require_one_electron({"electrons": {}}, "qutip-stt train")
    Traceback (most recent call last):
    ...
    qutip_stt.errors.ConfigError: electrons: qutip-stt train follows one electron at a time: give [electron] instead of [electrons]
    """
    if "electrons" in config:
        raise ConfigError("electrons", f"{what} follows one electron at a "
                          "time: give [electron] instead of [electrons]")
