"""Physical constants and unit conventions of qutip-stt.

Energies are in eV and times in femtoseconds at every user-facing surface.
The Schrodinger equation ``i hbar d|psi>/dt = H |psi>`` is integrated as
``d|psi>/dt = -i (H / HBAR_EV_FS) |psi>`` with ``t`` in fs.
"""

#: Reduced Planck constant in eV fs (CODATA 2018).
HBAR_EV_FS = 0.6582119569

__all__ = ["HBAR_EV_FS"]
