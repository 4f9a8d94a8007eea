"""Files: atomic writing, result files, and the readers' checks.

* :mod:`~qutip_stt.io.atomic`: :func:`atomic_file`, :func:`atomic_h5`,
  :func:`check_output_path`, :func:`provenance`, used by every writer;
* :mod:`~qutip_stt.io.results`: the HDF5 layout of one run
  (:func:`write_result`, :func:`read_result`), described in the docs'
  HDF5 reference;
* :mod:`~qutip_stt.io.sweep_files`: the sweep file layout (writer,
  readers), checked on opening by :mod:`~qutip_stt.io.sweep_schema`;
* :mod:`~qutip_stt.io.locks`: one writer per output file.
* :mod:`~qutip_stt.io.schema`: :func:`check_layout`, the one check every
  reader runs on a file's layout and sizes before reading its data.
"""

from .atomic import (WriteError, atomic_file, atomic_h5, check_output_path,
                     is_our_file, provenance)
from .schema import check_layout, check_result_file
from .results import (DATASETS, FORMAT, FORMAT_VERSION, read_result,
                      write_result, write_result_group)

__all__ = ["write_result", "write_result_group", "read_result",
           "atomic_file", "atomic_h5", "check_output_path", "provenance",
           "is_our_file", "WriteError", "check_layout", "check_result_file",
           "FORMAT", "FORMAT_VERSION", "DATASETS"]
