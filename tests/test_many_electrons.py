"""Many electrons at once: each claim held to an independent route.

* ``count = 1`` against today's one-electron ``simulate`` (every dataset the
  two files share, through the files);
* free electrons (``J_sd = 0``, ``U = 0``) against the one-body propagation
  of the Slater determinant, in closed form;
* tiny systems against QuTiP's own fermions (``qutip.fdestroy``) on the
  whole Fock space;
* conservation laws with ``U`` and fields on;
* two well-separated packets against the train channel ``Phi(Phi(rho0))``,
  and two overlapping ones of the same spin not (Pauli);
* bad input refused in one line.
"""

import numpy as np
import pytest
import qutip
import scipy.linalg

import qutip_stt as stt
from qutip_stt.config import resolve_config
from qutip_stt.errors import ConfigError
from qutip_stt.io import read_result, write_result
from qutip_stt.model.many_electron import ManyElectronModel
from qutip_stt.simulation import simulate
from qutip_stt.states.fermions import many_electron_state, slater_state
from qutip_stt.trains import electron_channel

pytestmark = pytest.mark.filterwarnings(
    "ignore::qutip_stt.solvers.evolution.ReflectionWarning")

HBAR = stt.HBAR_EV_FS


# -- count = 1 is today's model ------------------------------------------------
ONE = """\
[chain]
length = 60
potential = {{ start = 38, stop = 41, height = 0.15 }}
[local_spins]
count = 2
first_site = 30
direction = {{ theta = 50, phi = 20 }}
field = 0.02
[{table}]
{packet}
[evolution]
t_max = 24
n_times = 7
[analysis]
pairs = [[1, 2]]
blocks = true
"""
PACKET = dict(k=0.9, dk=0.35, x0=15.0, spin={"theta": 60.0, "phi": 30.0})


def _config(text):
    import tomllib
    return resolve_config(tomllib.loads(text))


def test_count_one_equals_the_one_electron_simulate(tmp_path):
    spin = "{ theta = 60, phi = 30 }"
    one = _config(ONE.format(table="electron", packet=(
        f"k = {PACKET['k']}\ndk = {PACKET['dk']}\nx0 = {PACKET['x0']}\n"
        f"spin = {spin}")))
    many = _config(ONE.format(table="electrons", packet=(
        f"state = \"packets\"\npackets = [{{ k = {PACKET['k']}, dk = "
        f"{PACKET['dk']}, x0 = {PACKET['x0']}, spin = {spin} }}]")))
    r1 = simulate(one, store_states=True)
    rm = simulate(many)
    assert (r1.method, rm.method) == ("chebyshev", "exact")
    a = read_result(write_result(tmp_path / "one.h5", r1, one))
    b = read_result(write_result(tmp_path / "many.h5", rm, many))
    shared = ["times", "local_spin", "purity_local", "entropy_local", "norm",
              "energy", "total_sz", "density"]
    for key in shared:
        assert np.abs(a[key] - b[key]).max() <= 1e-10, key
    # the one electron's spin and purity are the electrons'
    assert np.abs(a["electron_spin"] - b["electrons_spin"]).max() <= 1e-10
    assert np.abs(a["purity_electron"] - b["purity_local"]).max() <= 1e-10
    # local-spin probabilities: the one-electron ones summed over its spin
    p1 = a["probabilities"].reshape(len(a["times"]), 2, -1).sum(axis=1)
    assert np.abs(p1 - b["probabilities"]).max() <= 1e-10
    assert np.array_equal(a["configurations"][:4, 1:], b["configurations"])
    for key in ("mutual_information", "concurrence", "log_negativity",
                "correlation", "block_entropy"):
        assert np.abs(a["entanglement"][key]
                      - b["entanglement"][key]).max() <= 1e-10, key
    # the spin density from the one-electron kets (ptrace over the spins)
    for state, sd in zip(r1.states, b["electrons_spin_density"]):
        A = state.full().reshape(60, 2, -1)
        rho = np.einsum("xsc,xtc->xst", A, A.conj())
        sigma = [qutip.sigmax().full(), qutip.sigmay().full(),
                 qutip.sigmaz().full()]
        ref = np.stack([np.einsum("xst,ts->x", rho, s).real for s in sigma],
                       axis=1)
        assert np.abs(ref - sd).max() <= 1e-10
    assert np.abs(b["electrons_count_right"]
                  - a["density"][:, 32:].sum(axis=1)).max() <= 1e-10


def test_count_one_with_an_electron_field_in_python():
    params = dict(Lx=40, N=2, first_site=20, J_sd=0.15, J=0.08, Jz=0.12,
                  field=[0.03, -0.01], electron_field=0.02,
                  potential=np.linspace(0.0, 0.1, 40))
    one = stt.STTModel(**params)
    many = ManyElectronModel(Ne=1, **params)
    psi1 = stt.initial_state(one, k=1.0, dk=0.4, x0=8, electron="+x",
                             local=["+x", "-z"])
    psim = many_electron_state(many, "packets", packets=[
        {"k": 1.0, "dk": 0.4, "x0": 8, "spin": "+x"}], local=["+x", "-z"])
    times = np.linspace(0, 15, 4)
    r1, rm = stt.evolve(one, psi1, times), stt.evolve(many, psim, times)
    for key in ("local_spin", "electron_spin", "purity_local", "energy",
                "density", "total_sz"):
        assert np.abs(getattr(r1, key) - getattr(rm, key)).max() <= 1e-10


# -- free electrons: the Slater determinant propagated in closed form ---------
def _one_body(model, orbitals, spinors, t):
    """Density and spin density of the determinant of ``U(t) phi_k chi_k``,
    ``U = exp(-i h t / hbar)`` on the chain (any overlap of the orbitals:
    the one-body density matrix is ``Psi G^-1 Psi^dagger``)."""
    h = -model.gamma * (np.eye(model.Lx, k=1) + np.eye(model.Lx, k=-1))
    if model.potential is not None:
        h = h + np.diag(model.potential)
    U = scipy.linalg.expm(-1j * h * t / HBAR)
    psi = np.concatenate([U @ orbitals * spinors[:, 0],
                          U @ orbitals * spinors[:, 1]])    # (2 Lx, Ne)
    G = psi.conj().T @ psi
    rho = (psi @ np.linalg.solve(G, psi.conj().T)).reshape(2, model.Lx, 2,
                                                          model.Lx)
    diag = np.einsum("sxtx->xst", rho)                     # (Lx, 2, 2)
    pauli = [qutip.sigmax().full(), qutip.sigmay().full(),
             qutip.sigmaz().full()]
    spin = np.stack([np.einsum("xst,ts->x", diag, p).real for p in pauli],
                    axis=1)
    return np.einsum("xss->x", diag).real, spin


@pytest.mark.parametrize("start", ["packets", "none"])
def test_free_electrons_are_the_propagated_determinant(start):
    Lx = 36
    if start == "packets":
        model = ManyElectronModel(Lx=Lx, N=2, Ne=3, J_sd=0.0,
                                  potential=0.2 * (np.arange(Lx) > 24))
        psi = many_electron_state(model, "packets", packets=[
            {"k": 0.8, "dk": 0.4, "x0": 6, "spin": "-z"},
            {"k": 0.5, "dk": 0.5, "x0": 9, "spin": {"theta": 70, "phi": 40}},
            {"k": 1.2, "dk": 0.3, "x0": 10, "spin": "-z"}], local="+x")
    else:
        model = ManyElectronModel(Lx=24, N=1, Ne=4, J_sd=0.0)
        psi = many_electron_state(model, "lead", {"start": 3, "stop": 11},
                                  "none", local="-x")
    times = np.linspace(0, 12, 5)
    result = stt.evolve(model, psi, times)
    for t, density, sd in zip(times, result.density,
                              result.extra["electrons/spin_density"]):
        ref_density, ref_spin = _one_body(model, psi.orbitals, psi.spinors, t)
        assert np.abs(density - ref_density).max() <= 1e-10
        assert np.abs(sd - ref_spin).max() <= 1e-10
    assert np.abs(result.density.sum(axis=1) - model.Ne).max() <= 1e-10


# -- tiny systems against QuTiP's own fermions ----------------------------------
def _fock_hamiltonian(model):
    """H on the whole Fock space, written here from qutip.fdestroy alone."""
    Lx, d, N = model.Lx, model.spin_dim, model.N
    loc = qutip.qeye([d] * N)
    c = [qutip.tensor(qutip.fdestroy(2 * Lx, p), loc) for p in range(2 * Lx)]
    n = [x.dag() * x for x in c]
    fock = qutip.qeye([2] * (2 * Lx))
    S = [[qutip.tensor(fock, *[2 * qutip.jmat(model.S, a) if k == j
                               else qutip.qeye(d) for k in range(N)])
          for a in "xyz"] for j in range(N)]
    H = 0
    for s in (0, Lx):
        for i in range(Lx - 1):
            H += -model.gamma * (c[s + i].dag() * c[s + i + 1]
                                 + c[s + i + 1].dag() * c[s + i])
    for i in range(Lx):
        H += model.hubbard_U * n[i] * n[Lx + i]
        H += -model.electron_field * (n[i] - n[Lx + i])
        if model.potential is not None:
            H += model.potential[i] * (n[i] + n[Lx + i])
    for j, site in enumerate(model.sites):
        up, down = c[site], c[Lx + site]
        s = [up.dag() * down + down.dag() * up,
             -1j * up.dag() * down + 1j * down.dag() * up,
             up.dag() * up - down.dag() * down]
        H += -model.J_sd * sum(s[a] * S[j][a] for a in range(3))
    for j in range(N - 1):
        H += -(model.J * (S[j][0] * S[j + 1][0] + S[j][1] * S[j + 1][1])
               + model.Jz * S[j][2] * S[j + 1][2])
    for j in range(N):
        H += -model.field[j, 2] * S[j][2]
    return H, c, S


def _largest(op):
    """Largest entry of an operator, in modulus."""
    data = op.data_as("csr_matrix")
    return float(abs(data).max()) if data.nnz else 0.0


@pytest.mark.parametrize("Lx, N, Ne", [(4, 2, 2), (4, 2, 3), (5, 1, 2),
                                       (5, 1, 3)])
def test_tiny_systems_against_qutip_fermions(Lx, N, Ne):
    model = ManyElectronModel(Lx=Lx, N=N, Ne=Ne, first_site=1, J_sd=0.35,
                              J=0.2, Jz=0.25, hubbard_U=1.3,
                              field=0.04, electron_field=-0.02,
                              potential=np.linspace(0.0, 0.3, Lx))
    rng = np.random.default_rng(Lx + 10 * N + 100 * Ne)
    orbitals = rng.normal(size=(Lx, Ne)) + 1j * rng.normal(size=(Lx, Ne))
    spinors = rng.normal(size=(Ne, 2)) + 1j * rng.normal(size=(Ne, 2))
    local = [{"theta": 70, "phi": 25}] + ["-z"] * (N - 1)      # tilted
    psi = slater_state(model, orbitals, spinors, local)
    H, c, S = _fock_hamiltonian(model)
    assert _largest(H - model.hamiltonian) <= 1e-12
    # the oracle's own start: the creators on the vacuum, times the spins
    chi = stt.local_spins_state(model.spins, local)
    ket = qutip.tensor(*[qutip.basis(2, 0)] * (2 * Lx), chi)
    for k in reversed(range(Ne)):
        ket = sum(orbitals[i, k] * (spinors[k, 0] * c[i].dag()
                                    + spinors[k, 1] * c[Lx + i].dag())
                  for i in range(Lx)) * ket
    ket = ket / ket.norm()
    assert abs(abs(ket.overlap(psi.to_qobj())) - 1) <= 1e-12
    # exact propagation inside the Ne subspace, which H leaves invariant
    number = sum(x.dag() * x for x in c)
    assert _largest(H * number - number * H) <= 1e-12
    keep = np.flatnonzero(np.isclose(number.diag(), Ne))
    E, V = np.linalg.eigh(H.full()[np.ix_(keep, keep)])
    times = np.linspace(0, 15, 4)
    result = stt.evolve(model, psi, times)
    v0 = ket.full().ravel()
    for i, t in enumerate(times):
        full = np.zeros_like(v0)
        full[keep] = V @ (np.exp(-1j * E * t / HBAR) * (V.conj().T
                                                       @ v0[keep]))
        state = qutip.Qobj(full, dims=ket.dims)
        rho = state.ptrace(list(range(2 * Lx, 2 * Lx + N)))
        assert abs(qutip.expect(H, state) - result.energy[i]) <= 1e-10
        for j in range(N):
            bloch = [qutip.expect(op, state) for op in S[j]]
            assert np.abs(bloch - result.local_spin[i, j]).max() <= 1e-10
        assert abs(rho.purity() - result.purity_local[i]) <= 1e-10
        assert abs(qutip.entropy_vn(rho) - result.entropy_local[i]) <= 1e-10
        assert np.abs(rho.diag() - result.probabilities[i]).max() <= 1e-10
        for x in range(Lx):
            up, down = c[x], c[Lx + x]
            nx = qutip.expect(up.dag() * up + down.dag() * down, state)
            assert abs(nx - result.density[i, x]) <= 1e-10
            flip = up.dag() * down
            ref = [2 * qutip.expect(flip, state).real,
                   2 * qutip.expect(flip, state).imag,
                   qutip.expect(up.dag() * up - down.dag() * down, state)]
            sd = result.extra["electrons/spin_density"][i, x]
            assert np.abs(np.array(ref) - sd).max() <= 1e-10
        total = qutip.expect(sum(x.dag() * x for x in c[:Lx])
                             - sum(x.dag() * x for x in c[Lx:])
                             + sum(S[j][2] for j in range(N)), state)
        assert abs(total - result.total_sz[i]) <= 1e-10


# -- conservation -------------------------------------------------------------
def test_norm_energy_number_and_total_sz_are_conserved():
    Lx = 30
    model = ManyElectronModel(Lx=Lx, N=3, Ne=3, hubbard_U=2.0, J_sd=0.3,
                              field=[0.05, -0.03, 0.02], electron_field=0.04,
                              potential=0.3 * np.exp(-(np.arange(Lx) - 22.0)
                                                     ** 2 / 8))
    psi = many_electron_state(model, "packets", packets=[
        {"k": 0.7, "dk": 0.4, "x0": 8, "spin": "+x"},
        {"k": 0.9, "dk": 0.4, "x0": 12, "spin": {"theta": 120, "phi": 10}},
        {"k": 0.5, "dk": 0.5, "x0": 5, "spin": "-z"}],
        local=["+x", {"theta": 30, "phi": 60}, "-z"])
    result = stt.evolve(model, psi, np.linspace(0, 40, 9))
    assert len(result.stats["sectors"]) > 2          # a generic start
    for key in ("norm", "energy", "total_sz"):
        values = getattr(result, key)
        assert np.abs(values - values[0]).max() <= 1e-10, key
    assert np.abs(result.density.sum(axis=1) - 3).max() <= 1e-10
    electrons = result.extra["electrons/spin"][:, 2]
    assert np.abs(electrons + result.local_spin[:, :, 2].sum(axis=1)
                  - result.total_sz).max() <= 1e-10
    # the spins do move: the check is not trivial
    assert np.abs(result.local_spin[-1] - result.local_spin[0]).max() > 1e-2


# -- two packets against the train channel; the Pauli physics -----------------
FAST = dict(k=np.pi / 2, dk=0.4)
SITE, XA, LX = 50, 36.0, 140


def _geometry(separation):
    """Arrival times at the spin of packets at XA and XA - s, the channel's
    first interval (half way between) and the end time (fs)."""
    v = 2 * np.sin(FAST["k"]) / HBAR                     # sites / fs
    t_a, t_b = (SITE - XA) / v, (SITE - XA + separation) / v
    return 0.5 * (t_a + t_b), t_b + 12.0


def _fermions(separation):
    """Bloch vector of the local spin after the two packets, both -z, the
    spin along +x: the exact two-fermion run."""
    many = ManyElectronModel(Lx=LX, N=1, Ne=2, first_site=SITE)
    psi = many_electron_state(many, "packets", packets=[
        {**FAST, "x0": XA, "spin": "-z"},
        {**FAST, "x0": XA - separation, "spin": "-z"}], local="+x")
    return stt.evolve(many, psi, [0.0, _geometry(separation)[1]]
                      ).local_spin[-1, 0]


def _channel(separation):
    """The same from the train channel: Phi_b(Phi_a(rho0)), electron a over
    [0, t_mid], electron b from its own start over [0, t_end] (one spin: no
    dynamics of its own in between)."""
    one = stt.STTModel(Lx=LX, N=1, first_site=SITE)
    t_mid, t_end = _geometry(separation)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        phi_a = electron_channel(one, t_mid, x0=XA, electron="-z", **FAST)
        phi_b = electron_channel(one, t_end, x0=XA - separation,
                                 electron="-z", **FAST)
    rho = phi_b(phi_a(stt.local_spins_state(one, "+x")))
    return np.array([qutip.expect(op, rho) for op in stt.spin_operators(0.5)])


def _distinguishable(separation):
    """The same two packets at once as distinguishable particles: the
    product state on (orbital, spin) x (orbital, spin) x local spin, no
    antisymmetrization, H of Eq. (3) for each electron."""
    import scipy.sparse.linalg as sla
    one = stt.STTModel(Lx=LX, N=1, first_site=SITE)
    I_o, I_s, I_l = qutip.qeye(LX), qutip.qeye(2), qutip.qeye(2)
    H = (qutip.tensor(one.hopping, I_s, I_o, I_s, I_l)
         + qutip.tensor(I_o, I_s, one.hopping, I_s, I_l))
    P = qutip.projection(LX, SITE, SITE)
    paulis = (qutip.sigmax(), qutip.sigmay(), qutip.sigmaz())
    for p in paulis:
        H -= one.J_sd * (qutip.tensor(P, p, I_o, I_s, p)
                         + qutip.tensor(I_o, I_s, P, p, p))
    down = qutip.basis(2, 1)
    psi = qutip.tensor(stt.wave_packet(LX, x0=XA, **FAST), down,
                       stt.wave_packet(LX, x0=XA - separation, **FAST), down,
                       stt.spin_coherent(0.5, "+x"))
    out = sla.expm_multiply(-1j * _geometry(separation)[1] / HBAR
                            * H.data_as("csr_matrix"), psi.full().ravel())
    rho = qutip.Qobj(out, dims=psi.dims).ptrace(4)
    return np.array([qutip.expect(op, rho) for op in paulis])


def test_separated_packets_follow_the_train_channel():
    diffs = [np.abs(_fermions(s) - _channel(s)).max() for s in (8, 16, 30)]
    assert diffs[0] > diffs[1] > diffs[2]                # falls with separation
    assert diffs[2] <= 1e-6 < diffs[0]


def test_overlapping_packets_of_one_spin_are_pauli_blocked():
    # separated: fermions, distinguishable electrons and the channel agree
    far = _fermions(30)
    assert np.abs(far - _distinguishable(30)).max() <= 1e-8
    # overlapping, same spin: the antisymmetrized pair is not two
    # independent electrons, and not two electrons one after the other
    near = _fermions(2.0)
    assert np.abs(near - _distinguishable(2.0)).max() > 1e-3
    assert np.abs(near - _channel(2.0)).max() > 1e-2


def test_identical_packets_of_one_spin_are_refused_as_pauli():
    model = ManyElectronModel(Lx=30, N=1, Ne=2)
    packet = {"k": 0.5, "dk": 0.3, "x0": 10, "spin": "-z"}
    with pytest.raises(ConfigError, match="Pauli principle"):
        many_electron_state(model, "packets", packets=[packet, packet])
    opposite = many_electron_state(model, "packets", packets=[
        packet, {**packet, "spin": "+z"}])               # allowed
    assert abs(opposite.norm() - 1) < 1e-12


def test_pairs_and_blocks_of_the_local_spins_match_qutip():
    model = ManyElectronModel(Lx=6, N=3, Ne=2, first_site=2, J=0.0, Jz=0.0,
                              J_sd=0.4)
    psi = many_electron_state(model, "lead", {"start": 0, "stop": 3},
                              local=["+z", "+x", "-z"])
    result = stt.evolve(model, psi, [0.0, 8.0], options={
        "store_states": True}, analysis={"pairs": "all", "blocks": True})
    ent = result.entanglement
    assert ent["pairs_index"].tolist() == [[1, 2], [1, 3], [2, 3]]
    rho_all = result.states[-1].to_qobj().ptrace([12, 13, 14])
    for p, (i, j) in enumerate(ent["pairs_index"]):
        pair = rho_all.ptrace([i - 1, j - 1])
        mi = qutip.entropy_mutual(pair, 0, 1)
        assert abs(mi - ent["mutual_information"][-1, p]) <= 1e-10
        assert abs(qutip.concurrence(pair) - ent["concurrence"][-1, p]) \
            <= 1e-10
    for b, (first, last) in enumerate(ent["blocks_index"]):
        block = rho_all.ptrace(list(range(first - 1, last)))
        assert abs(qutip.entropy_vn(block) - ent["block_entropy"][-1, b]) \
            <= 1e-10


# -- bad input ------------------------------------------------------------------
BASE = """\
[chain]
length = 40
[local_spins]
count = 2
[electrons]
count = 2
lead = { start = 0, stop = 8 }
[evolution]
t_max = 4
n_times = 3
"""

BAD = [
    ("both-tables", BASE + "[electron]\nk = 0.2\n",
     "electrons: a config has either [electron] (one electron) or "
     "[electrons]"),
    ("lead-too-small", BASE.replace("count = 2\nlead", "count = 9\nlead"),
     "electrons.count: 9 electrons of one spin need 9 orbitals, but the "
     "lead [0, 8) has 8: at most 8 per spin (Pauli)"),
    ("none-odd", BASE.replace("count = 2\nlead", "count = 3\nspin = \"none\""
                              "\nlead"), "needs an even count"),
    ("pauli", BASE.replace("lead = { start = 0, stop = 8 }",
                           "state = \"packets\"\npackets = [{ x0 = 5, k = 0.5"
                           " }, { x0 = 5, k = 0.5 }]"),
     "electrons.packets: the electrons' spin-orbitals are linearly dependent"),
    ("pair-with-electron", BASE + "[analysis]\npairs = [[0, 1]]\n",
     "analysis.pairs: pair [0, 1]: with several electrons"),
    ("too-large", BASE.replace("length = 40", "length = 400").replace(
        "count = 2\nlead", "count = 5\nlead"),
     "electrons.count: the exact sectors need about"),
    ("one-electron-method", BASE.replace("n_times = 3", "n_times = 3\n"
                                         "method = \"chebyshev\""),
     "'chebyshev' cannot run this model"),
]


@pytest.mark.parametrize("text, message", [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_and_exit_2(run_cli, tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    code, lines = run_cli(["simulate", str(path), "--out", "out.h5"])
    assert code == 2 and len(lines) == 1, lines
    assert message in lines[0], lines[0]
    assert not (tmp_path / "out.h5").exists()


def test_too_large_names_both_numbers_and_the_planned_mps(run_cli, tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(BAD[5][1])
    code, lines = run_cli(["simulate", str(path), "--out", "out.h5"])
    assert code == 2 and "GiB" in lines[0] and "states" in lines[0]
    assert "GiB available" in lines[0] and "method = \"mps\"" in lines[0]


def test_simulate_writes_the_many_electron_layout(run_cli, tmp_path):
    path = tmp_path / "run.toml"
    path.write_text(BASE + "[analysis]\npairs = \"all\"\nblocks = true\n")
    code, lines = run_cli(["simulate", str(path), "--out", "run.h5"])
    assert code == 0, lines
    out = read_result(tmp_path / "run.h5")
    T, L = 3, 40
    assert out["electrons_spin_density"].shape == (T, L, 3)
    assert out["electrons_spin"].shape == (T, 3)
    assert out["electrons_count_right"].shape == (T,)
    assert out["probabilities"].shape == (T, 4) and out["labels"][0] == "↑↑"
    assert "electron_spin" not in out and out["attrs"]["electrons"] == 2
    assert out["config"]["electrons"]["count"] == 2
    assert out["entanglement"]["pairs_index"].tolist() == [[1, 2]]


def test_an_electrons_config_resolves_without_qutip():
    import subprocess
    import sys
    blocker = ("import sys\n"
               "class _Block:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name == 'qutip' or name.startswith('qutip.'):\n"
               "            raise ImportError('qutip is blocked')\n"
               "sys.meta_path.insert(0, _Block())\n")
    code = ("import qutip_stt.config as c\n"
            "cfg = c.resolve_config({'electrons': {'state': 'packets', "
            "'packets': [{'x0': 10}, {'x0': 30, 'spin': '+x'}]}, "
            "'analysis': {'pairs': 'all'}})\n"
            "assert 'qutip' not in sys.modules and 'electron' not in cfg\n"
            "print(cfg['electrons']['count'], cfg['analysis']['pairs'])\n")
    proc = subprocess.run([sys.executable, "-c", blocker + code],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["2", "all"]
