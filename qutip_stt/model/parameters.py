"""The paper's parameter sets, as plain data (no QuTiP import).

One place for the numbers of Mondal *et al.*, PRB 99, 094431: the model
(:class:`~qutip_stt.model.STTModel` keyword arguments), the packet of
Eq. (4) and the time span of Figs. 3-6. The config presets
(:data:`qutip_stt.config.PRESETS`) and the reproduction
(:mod:`qutip_stt.paper`) are built from these.
"""

__all__ = ["PAPER_PARAMETERS", "MACROSPIN_PARAMETERS", "PAPER_PACKET",
           "PAPER_TIMES", "X0_FRACTION", "default_x0"]

#: Parameters of the paper's main text (eV), as keyword arguments of STTModel.
PAPER_PARAMETERS = dict(Lx=400, N=5, S=0.5, gamma=1.0, J_sd=0.1, J=0.1,
                        Jz=0.1005)
#: Parameters of the paper's Appendix: one spin-5/2 macrospin on site 200.
MACROSPIN_PARAMETERS = dict(PAPER_PARAMETERS, N=1, S=2.5)
#: The Eq. (4) packet of the paper: ``k_x a``, ``delta k_x a``. Its centre
#: ``x0`` is left to the default 0.4 Lx (160 on the paper's chain, as in the
#: authors' scripts).
PAPER_PACKET = dict(k=0.1, dk=0.2)
#: Output times of Figs. 3-6: ``linspace(0, t_max, n_times)``, fs.
PAPER_TIMES = dict(t_max=500.0, n_times=101)
#: Where a packet starts when no centre is given: this fraction of the chain
#: (site 160 of the paper's 400), left of the local spins in its middle.
X0_FRACTION = 0.4


def default_x0(Lx):
    """The packet centre used when none is given: ``0.4 Lx`` (site 160 of 400).

    The one definition behind ``electron.x0``'s default in a config and the
    ``x0`` default of every function taking a packet
    (:func:`qutip_stt.states.packet.initial_state`, ``wave_packet``,
    ``electron_channel``, ``reflection_times``, ...).

    Examples
    --------
    >>> default_x0(400), default_x0(100)
    (160.0, 40.0)
    """
    return X0_FRACTION * Lx
