"""Whether a one-strip (whole-grid) run of the pipeline fits in memory, asked before it starts.

``landwater process`` holds every monthly band of the grid in memory (rain, ET0 and crop
PET as float64, the cells' balance, the suitability criteria); on a national grid that is
tens of GB and the process (or the server running it in the background) would be killed by
the kernel. The estimate below is checked first and a clear error points to the block-wise
path instead. Measured on this project's machine: see ``BYTES_PER_CELL_MONTH``.
"""

from __future__ import annotations

from layers.memory import ENV_LIMIT, available_bytes

# peak resident memory of `landwater process`, bytes per cell and month plus bytes per
# cell; measured (12 months): the demo, 1.33 M cells with 5 suitability profiles and 7
# crops, 1.43 GB (estimate 1.63 GB); the synthetic 2,000 x 2,000 region without
# suitability, 2.23 GB (estimate 4.9 GB)
BYTES_PER_CELL_MONTH = 60
BYTES_PER_CELL = 500
SHARE_OF_AVAILABLE = 0.8


def whole_grid_bytes(cells: int, months: int) -> int:
    """Estimated peak memory (bytes) of a whole-grid run for a grid and months."""
    return cells * (BYTES_PER_CELL_MONTH * months + BYTES_PER_CELL)


class GridTooLargeError(ValueError):
    """A whole-grid run would not fit in memory (the message says what to do)."""


def check_whole_grid(cells: int, months: int, available: int | None = None) -> None:
    """Refuse a whole-grid run that would not fit.

    Raises
    ------
    GridTooLargeError
        With the estimate, what is available and the block-wise command to use instead.
    """
    need, have = _need_and_have(cells, months, available)
    if need > SHARE_OF_AVAILABLE * have:
        raise GridTooLargeError(
            f"the working grid has {cells:,} cells x {months} months: the whole-grid pipeline"
            f" needs about {need / 2**30:.1f} GB, this machine has {have / 2**30:.1f} GB"
            " available; run `landwater process REGION --blockwise` (bounded memory, on a"
            " Dask cluster with --scheduler), or a coarser [region] resolution_m"
            f" (set {ENV_LIMIT} to override the available memory)"
        )


def check_designer(cells: int, months: int, available: int | None = None) -> None:
    """Refuse to build the designer's engine (every criterion grid in memory) if too large.

    A national region's store, computed block-wise, is served without it.

    Raises
    ------
    GridTooLargeError
        With the estimate, what is available and what still works.
    """
    need, have = _need_and_have(cells, months, available)
    if need > SHARE_OF_AVAILABLE * have:
        raise GridTooLargeError(
            f"site design holds the whole grid in memory ({cells:,} cells x {months} months:"
            f" about {need / 2**30:.1f} GB, {have / 2**30:.1f} GB available), so it is off for"
            " this region; the maps (stored suitability and crop scores included), profiles,"
            " crop rankings, tables and downloads still work. For site design, use a region"
            " with a coarser [region] resolution_m"
            f" or a machine with more memory (set {ENV_LIMIT} to override the available memory)"
        )


def _need_and_have(cells: int, months: int, available: int | None) -> tuple[int, int]:
    return whole_grid_bytes(cells, months), available_bytes() if available is None else available
