"""Energy-resolved scattering of one electron off the spin chain.

The multichannel S-matrix (Fisher-Lee, exact lead self-energies, one dense
solve per total-S^z sector), its probabilities for any incoming electron
spin and chain eigenstate, and their average over the Eq. (4) packet.
"""

from .channels import ChannelBasis
from .smatrix import (scattering_matrix, scattering_probabilities,
                      ScatteringMatrix, ScatteringProbabilities)

__all__ = ["ChannelBasis", "scattering_matrix", "scattering_probabilities",
           "ScatteringMatrix", "ScatteringProbabilities"]
from .packet import packet_average, PacketAverage, momentum_density, channel_weights
from .closed_form import single_impurity

__all__ += ["packet_average", "PacketAverage", "momentum_density",
            "channel_weights", "single_impurity"]
