"""One schema check for every file kind, optional datasets included.

A result file (with its ``pairs/*`` and ``blocks/*`` datasets), a train file
(with ``pairs/*``) and a scattering file (with its ``packet/*`` average) are
written once; then every dataset the layout declares is crafted in every way
a hostile or damaged file can be (missing, a huge declared shape, one
dimension too many, strings, NaN, a soft or external link, a group), and
every reader must refuse it with one :class:`ConfigError` naming the dataset
(see the output page of the docs, ``docs/guide/output.md``). A file without
its optional datasets still reads.
"""

import json
import shutil

import h5py
import numpy as np
import pytest

from qutip_stt.cli import main
from qutip_stt.errors import ConfigError
from qutip_stt.io import read_result
from qutip_stt.io.schema import RESULT_LAYOUT, RESULT_OPTIONAL
from qutip_stt.io.scattering import (SCATTERING_LAYOUT, SCATTERING_OPTIONAL,
                                     read_scattering)
from qutip_stt.io.trains import TRAIN_LAYOUT, TRAIN_OPTIONAL, read_train

TWO = ["--preset", "paper-collinear", "--set", "chain.length=60", "--set",
       "local_spins.count=2", "--set", "local_spins.spin=0.5"]

#: kind -> (command, reader, required layout, optional layout, may be NaN)
KINDS = {
    "result": (["simulate", *TWO, "--set", "evolution.t_max=5", "--set",
                "evolution.n_times=4", "--set", 'analysis.pairs="all"',
                "--set", "analysis.blocks=true"],
               read_result, RESULT_LAYOUT, RESULT_OPTIONAL,
               ("pairs/concurrence",)),
    # with a bath: the file holds the fixed point and the gap too
    "train": (["train", *TWO, "--set", "chain.length=120", "--set",
               "bath.relaxation=0.001", "--electrons", "3"], read_train,
              TRAIN_LAYOUT, TRAIN_OPTIONAL, ()),
    "scattering": (["scatter", *TWO[:2], "--set", "local_spins.count=1",
                    "--set", "scatter.k={start=0.2,stop=1.0,num=4}"],
                   read_scattering, SCATTERING_LAYOUT, SCATTERING_OPTIONAL,
                   ()),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kinds")
    out = {}
    import warnings
    for kind, (args, *_rest) in KINDS.items():
        path = folder / f"{kind}.h5"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(args + ["--out", str(path), "--quiet"]) == 0
        out[kind] = path
    return out


def _datasets(kind, path):
    _, _, layout, optional, _ = KINDS[kind]
    with h5py.File(path, "r") as f:
        present = [n for n in optional if n in f]
    return list(layout), present


def _missing(name):
    def edit(f):
        del f[name]
    return edit


def _soft(name):
    def edit(f):
        del f[name]
        f[name] = h5py.SoftLink("/nowhere/at/all")
    return edit


def _external(name):
    def edit(f):
        del f[name]
        f[name] = h5py.ExternalLink("/etc/other.h5", "/x")
    return edit


def _group(name):
    def edit(f):
        del f[name]
        f.create_group(name)
    return edit


def _extra_dim(name):
    def edit(f):
        data = f[name][()]
        del f[name]
        f[name] = np.asarray(data)[..., None]
    return edit


def _huge(name):
    def edit(f):
        ds = f[name]
        shape, dtype = ds.shape, ds.dtype
        del f[name]
        shape = (10 ** 11,) + shape[1:] if shape else (10 ** 11,)
        f.create_dataset(name, shape=shape, dtype=dtype if dtype.kind != "O"
                         else "f8", chunks=(1,) + shape[1:])
    return edit


def _strings(name):
    def edit(f):
        shape = f[name].shape
        kind = f[name].dtype.kind
        del f[name]
        if kind in "SOU":
            f[name] = np.zeros(shape or (), dtype=float)
        else:
            f[name] = np.full(shape or (), b"x", dtype="S1")
    return edit


def _nan(name):
    def edit(f):
        data = np.array(f[name][()])
        if data.dtype.kind not in "fc":
            data = data.astype(float)
        if data.ndim == 0:
            data = np.array(np.nan)
        else:
            data.flat[data.size // 2] = np.nan
        del f[name]
        f[name] = data
    return edit


def _all_cases():
    # the dataset names come from the layouts; the files from the fixture
    out = []
    for kind, (_, _, layout, optional, nan_ok) in KINDS.items():
        specs = {**layout, **optional}
        for name, (_, kinds) in specs.items():
            for how in ("soft-link", "external-link", "group", "extra-dim",
                        "huge", "strings", "nan", "missing"):
                if how == "nan" and (name in nan_ok
                                     or not set(kinds) & set("fciu")):
                    continue
                if how == "missing" and name in optional:
                    continue
                out.append(pytest.param(kind, name, how,
                                        id=f"{kind}-{name}-{how}"))
    return out


EDITS = {"soft-link": _soft, "external-link": _external, "group": _group,
         "extra-dim": _extra_dim, "huge": _huge, "strings": _strings,
         "nan": _nan, "missing": _missing}


@pytest.mark.parametrize("kind, name, how", _all_cases())
def test_crafted_dataset_refused_naming_it(kind, name, how, files, tmp_path):
    path = tmp_path / f"{kind}.h5"
    shutil.copy(files[kind], path)
    with h5py.File(path, "a") as f:
        if name not in f:
            pytest.skip(f"{name} is not written for this {kind} file")
        # (NaN in an integer dataset makes it float: a wrong dtype)
        EDITS[how](name)(f)
    read = KINDS[kind][1]
    with pytest.raises(ConfigError) as info:
        read(str(path))
    text = str(info.value)
    assert "\n" not in text
    if how == "huge":
        assert "dataset" in text        # size, or the budget, named
    else:
        assert f"dataset {name}" in text, text


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("value, fragment", [
    ("{not json", "attribute config_json"), ("[1, 2]", "attribute config_json"),
    (b"\xff\xfe", "attribute config_json")])
def test_bad_config_json_refused(kind, value, fragment, files, tmp_path):
    path = tmp_path / f"{kind}.h5"
    shutil.copy(files[kind], path)
    with h5py.File(path, "a") as f:
        assert "config_json" in f.attrs
        f.attrs["config_json"] = value
    with pytest.raises(ConfigError, match=fragment):
        KINDS[kind][1](str(path))


@pytest.mark.parametrize("kind", list(KINDS))
def test_optional_datasets_may_be_absent(kind, files, tmp_path):
    path = tmp_path / f"{kind}.h5"
    shutil.copy(files[kind], path)
    _, present = _datasets(kind, path)
    assert present, f"the {kind} file should hold optional datasets"
    with h5py.File(path, "a") as f:
        for name in present:
            del f[name]
        for group in ("pairs", "blocks", "packet"):
            if group in f and not len(f[group]):
                del f[group]
    data = KINDS[kind][1](str(path))
    assert json.loads(json.dumps(data.get("config", {}))) == data.get(
        "config", {})


def test_partial_packet_refused(files, tmp_path):
    path = tmp_path / "s.h5"
    shutil.copy(files["scattering"], path)
    with h5py.File(path, "a") as f:
        del f["packet/density"]
    with pytest.raises(ConfigError, match="dataset packet/density"):
        read_scattering(str(path))


def test_animate_refuses_crafted_pairs(files, tmp_path, run_cli):
    """Through the command line: one line, exit 2, no output."""
    path = tmp_path / "r.h5"
    shutil.copy(files["result"], path)
    with h5py.File(path, "a") as f:
        _huge("pairs/mutual_information")(f)
    code, lines = run_cli(["animate", str(path), "--frame", "1", "--out",
                           "f.png"])
    assert code == 2 and len(lines) == 1, lines
    assert "dataset pairs/" in lines[0]
    assert not (tmp_path / "f.png").exists()
