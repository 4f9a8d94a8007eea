"""Physical constants and unit conventions of qutip-stt.

Energies are in eV and times in femtoseconds at every user-facing surface.
The Schrodinger equation ``i hbar d|psi>/dt = H |psi>`` is integrated as
``d|psi>/dt = -i (H / HBAR_EV_FS) |psi>`` with ``t`` in fs.
"""

#: Reduced Planck constant in eV fs (CODATA 2018).
HBAR_EV_FS = 0.6582119569

#: Boltzmann constant in eV/K (CODATA 2018, exact): temperatures in kelvin.
K_B_EV_PER_K = 8.617333262e-5

__all__ = ["HBAR_EV_FS", "K_B_EV_PER_K"]
