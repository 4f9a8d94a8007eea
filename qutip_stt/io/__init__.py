"""Files: atomic writing, result files, and the readers' checks.

* :mod:`~qutip_stt.io.atomic`: :func:`atomic_file`, :func:`atomic_h5`,
  :func:`check_output_path`, :func:`provenance`, used by every writer;
* :mod:`~qutip_stt.io.results`: the HDF5 layout of one run
  (:func:`write_result`, :func:`read_result`), described in the docs'
  HDF5 reference;
* :mod:`~qutip_stt.io.sweep_files`: the sweep file layout (writer,
  readers), checked on opening by :mod:`~qutip_stt.io.sweep_schema`;
* :mod:`~qutip_stt.io.locks`: one writer per output file.
"""

from .atomic import atomic_file, atomic_h5, check_output_path, provenance
from .results import (DATASETS, FORMAT, FORMAT_VERSION, read_result,
                      write_result, write_result_group)

__all__ = ["write_result", "write_result_group", "read_result",
           "atomic_file", "atomic_h5", "check_output_path", "provenance",
           "FORMAT", "FORMAT_VERSION", "DATASETS"]
