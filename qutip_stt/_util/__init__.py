"""Private helpers shared by every layer: checks, memory, progress, threads.

Nothing here is physics: :mod:`~qutip_stt._util.validation` (the checks
that name a parameter and its range), :mod:`~qutip_stt._util.resources`
(sizes and the memory available), :mod:`~qutip_stt._util.progress` (QuTiP
progress bars that name their stage), :mod:`~qutip_stt._util.blas_threads`
(one BLAS thread around a piece of work) and :mod:`~qutip_stt._util.lazy`
(the lazy faces of the subpackages). Importing this package imports none of
them.
"""
