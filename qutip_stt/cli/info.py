"""``qutip-stt info FILE``: the summary of a file the package wrote, and its config."""

import json

__all__ = ["add_cli", "run_info", "file_summary"]


def add_cli(sub):
    """Register ``qutip-stt info`` (see :mod:`qutip_stt.cli`)."""
    p = sub.add_parser(
        "info", help="print the summary of a qutip-stt file and its config",
        description="Print what 'simulate', 'train', 'scatter', 'sweep' or "
        "'compare-classical' printed when they wrote FILE (spins in units of "
        "hbar/2 with |<Sigma>| and purity, the electron's spin-flip "
        "probability, the chain-end echo), then the config it came from.")
    p.add_argument("file", help="an HDF5 file written by qutip-stt")
    p.add_argument("--no-config", action="store_true",
                   help="the summary only")
    p.set_defaults(func=run_info)


def run_info(args):
    """Run ``qutip-stt info`` (see :func:`add_cli`)."""
    text, config = file_summary(args.file)
    print(text)
    if config is not None and not args.no_config:
        from ..config import to_toml
        print("\nconfig:\n" + to_toml(config).rstrip())
    return 0


def file_summary(path):
    """The summary lines of a qutip-stt file and its config (or None).

    The file is read by the reader of its kind (:mod:`qutip_stt.io`), which
    checks it first; anything else is refused in one line naming it.

    Returns
    -------
    (str, dict or None)
    """
    import h5py

    from ..errors import ConfigError
    from ..io.schema import check_input_file

    check_input_file(path, "FILE")
    try:
        with h5py.File(path, "r") as f:
            kind = str(f.attrs.get("format", ""))
            config = f.attrs.get("config_json")
    except OSError:
        raise ConfigError("FILE", f"{path}: not an HDF5 file") from None
    config = json.loads(config) if config is not None else None
    readers = {"qutip-stt result": _result, "qutip-stt train": _train,
               "qutip-stt scattering": _scattering}
    if kind.startswith("qutip-stt sweep"):
        return _sweep(path), config
    if kind not in readers:
        raise ConfigError("FILE", f"{path}: not a file qutip-stt writes "
                          f"(format {kind!r})")
    return readers[kind](path, config), config


def _result(path, config):
    from ..io import read_result
    from ..solvers.summary import run_summary
    d = read_result(path)
    a = d["attrs"]
    many = "electrons_spin" in d
    spin = d["electrons_spin"] if many else d["electron_spin"]
    # several electrons: the purity of the electrons equals the spins'
    electron_purity = d.get("purity_electron", d["purity_local"])
    lines = [f"{path}: {_electrons(a) if many else ''}Lx = "
             f"{a.get('model_Lx')}, N = {a.get('model_N')}, S = "
             f"{float(a.get('model_S', 0.5)):g}",
             run_summary(a.get("method"), d["times"],
                         float(a.get("evolution_wall_s", 0.0)),
                         spin, d["local_spin"],
                         float(a.get("model_S", 0.5)), d["purity_local"],
                         electron_purity, d["norm"], d["energy"],
                         total_sz=d.get("total_sz"),
                         count_right=d.get("electrons_count_right"),
                         many=many)]
    echo = _echo(config)
    if echo:
        lines.append(echo)
    return "\n".join(lines)


def _electrons(attrs):
    return f"{int(attrs.get('electrons', 0))} electrons at once, "


def _echo(config):
    """The chain-end echo warning of a one-electron config, or ''."""
    if not config or "electron" not in config:
        return ""
    from ..model.reflections import reflection_times
    ch, ls, el = config["chain"], config["local_spins"], config["electron"]
    t_max = config["evolution"]["t_max"]
    sites = range(ls["first_site"], ls["first_site"] + ls["count"])
    t_edge, t_echo = reflection_times(ch["length"], el["k"], el["dk"],
                                      el["x0"], ch["hopping"], sites, t_max)
    if t_echo is None or t_echo >= t_max:
        return "echo: no chain-end reflection reaches the spins by t_max"
    return (f"echo warning: the packet's reflection from a chain end changes "
            f"the density on the spins from t = {t_echo:.0f} fs < t_max = "
            f"{t_max:g} fs; a longer chain.length removes it")


def _train(path, config):
    from ..io.trains import read_train
    from ..trains.iteration import electrons_needed
    d = read_train(path)
    sz = d["total_sz"]
    need = electrons_needed(sz)
    zero = ("does not cross zero within this train" if need["zero"] is None
            else f"crosses zero at n = {need['zero']}")
    ninety = ("is not 90% reversed within this train"
              if need["ninety"] is None
              else f"is 90% reversed at n = {need['ninety']}")
    S = float(d["attrs"].get("model_S", 0.5))
    from ..solvers.summary import local_spin_lines
    lines = [f"{path}: a train of {len(d['n']) - 1} electrons; spins in "
             "units of hbar/2",
             *local_spin_lines(d["local_spin"][-1], S, when="after")]
    lines.append(f"total S^z (hbar/2): {sz[0]:.4g} -> {sz[-1]:.4g}; it "
                 f"{zero} and {ninety}")
    if d.get("steady"):
        st = d["steady"]
        lines.append(f"fixed point: total S^z {float(st['total_sz']):.4g}, "
                     f"purity {float(st['purity']):.4g}")
    return "\n".join(lines)


def _scattering(path, config):
    from ..io.scattering import read_scattering
    d = read_scattering(path)
    flip = d["spin_flip"]
    return "\n".join([
        f"{path}: S-matrix at {len(d['energy'])} energies, "
        f"{d['energy'][0]:g}..{d['energy'][-1]:g} eV",
        f"spin-flip probability (both leads): max {flip.max():.5f}, "
        f"mean {flip.mean():.5f}",
        f"transmission {d['transmission'].min():.4f}..{d['transmission'].max():.4f}; "
        f"unitarity error {abs(d['unitarity_error']).max():.1e}"])


def _sweep(path):
    from ..io.sweep_files import read_sweep_summary
    d = read_sweep_summary(path)
    return f"{path}: a sweep\n" + "\n".join(
        f"{k}: {v}" for k, v in d.items() if not hasattr(v, "shape"))
