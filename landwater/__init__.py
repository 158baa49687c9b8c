"""landwater: land and water resource planning for smallholder farming programmes."""

from processing.kernels.numpy_env import default_to_small_pages

default_to_small_pages()  # before any module imports numpy

__version__ = "0.1.0"
