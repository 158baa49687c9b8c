"""Numba scatter-add kernels of the zonal statistics engine (arrays in, arrays out).

One pass over a block of cells accumulates, per zone label, the count of valid cells, the
count of nodata cells, the sum, the sum of squares, the minimum and the maximum. The label
grid is computed once; each band is streamed through in row blocks. ``np.bincount`` would
cast labels to int64 and values to float64 on every call; these kernels read the arrays as
they are.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def accumulate_moments(
    labels: np.ndarray,
    values: np.ndarray,
    nodata: float | np.generic,
    has_nodata: bool,
    count: np.ndarray,
    nodata_count: np.ndarray,
    nan_count: np.ndarray,
    total: np.ndarray,
    shift: np.ndarray,
    shifted_sum: np.ndarray,
    shifted_sq: np.ndarray,
    vmin: np.ndarray,
    vmax: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Add a block of cells of every band to per-band, per-label moments (in place).

    ``labels`` is a ``(rows, cols)`` grid (label 0 means "no zone") shared by the bands of
    ``values`` ``(bands, rows, cols)``; the accumulators are ``(labels, bands)`` (a
    label's bands side by side).
    ``nodata`` has the dtype of ``values`` (the comparison is made in that dtype). NaN
    values count in ``nan_count``, values equal to ``nodata`` (when ``has_nodata``) in
    ``nodata_count``. The variance comes from sums of ``value - shift`` and their squares,
    ``shift`` being the label's first valid value, so a large offset cancels exactly.

    A row is read as runs of one label, found once for all bands; each band's run is summed
    in local variables and written back once (the additions of a cell-by-cell pass, in the
    same order).
    """
    rows, cols = labels.shape
    for r in range(rows):
        start = 0
        while start < cols:
            lab = labels[r, start]
            end = start + 1
            while end < cols and labels[r, end] == lab:
                end += 1
            if lab == 0:
                start = end
                continue
            for b in range(values.shape[0]):
                n, n_nodata, n_nan = count[lab, b], nodata_count[lab, b], nan_count[lab, b]
                s, ds, dq = total[lab, b], shifted_sum[lab, b], shifted_sq[lab, b]
                lo, hi, sh = vmin[lab, b], vmax[lab, b], shift[lab, b]
                for c in range(start, end):
                    v = values[b, r, c]
                    if v != v:
                        n_nan += 1
                        continue
                    if has_nodata and v == nodata:
                        n_nodata += 1
                        continue
                    fv = np.float64(v)
                    if n == 0:
                        sh = fv
                    d = fv - sh
                    n += 1
                    s += fv
                    ds += d
                    dq += d * d
                    lo = min(lo, fv)
                    hi = max(hi, fv)
                count[lab, b], nodata_count[lab, b], nan_count[lab, b] = n, n_nodata, n_nan
                total[lab, b], shifted_sum[lab, b], shifted_sq[lab, b] = s, ds, dq
                vmin[lab, b], vmax[lab, b], shift[lab, b] = lo, hi, sh
            start = end


@njit(cache=True, nogil=True)
def accumulate_classes(
    labels: np.ndarray,
    values: np.ndarray,
    nodata: float | np.generic,
    has_nodata: bool,
    class_codes: np.ndarray,
    counts: np.ndarray,
    nodata_count: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Add a block of class codes to a per-label histogram ``counts[label, class_index]``.

    ``class_codes`` is sorted; a value not found in it is ignored (callers pass every code
    present).
    """
    rows, cols = labels.shape
    n = class_codes.shape[0]
    for r in range(rows):
        for c in range(cols):
            lab = labels[r, c]
            if lab == 0:
                continue
            v = values[r, c]
            if v != v or (has_nodata and v == nodata):
                nodata_count[lab] += 1
                continue
            # binary search of the class index
            lo, hi = 0, n
            while lo < hi:
                mid = (lo + hi) // 2
                if class_codes[mid] < v:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < n and class_codes[lo] == v:
                counts[lab, lo] += 1


def new_moments(n_labels: int, n_bands: int = 1) -> dict[str, np.ndarray]:
    """Empty accumulators for :func:`accumulate_moments`.

    ``(n_labels + 1, n_bands)`` arrays indexed by label (0 unused) and band.
    """
    shape = (n_labels + 1, n_bands)
    return {
        "count": np.zeros(shape, np.int64),
        "nodata": np.zeros(shape, np.int64),
        "nan": np.zeros(shape, np.int64),
        "sum": np.zeros(shape, np.float64),
        "shift": np.zeros(shape, np.float64),
        "shifted_sum": np.zeros(shape, np.float64),
        "shifted_sq": np.zeros(shape, np.float64),
        "min": np.full(shape, np.inf),
        "max": np.full(shape, -np.inf),
    }


def add_block(
    acc: dict[str, np.ndarray],
    labels: np.ndarray,
    values: np.ndarray,
    nodata: np.generic,
    has_nodata: bool,
) -> None:
    """Accumulate one block of cells into ``acc`` (made by :func:`new_moments`).

    ``labels`` ``(rows, cols)`` applies to every band of ``values`` ``(bands, rows, cols)``;
    ``nodata`` is a scalar of the dtype of ``values``.
    """
    accumulate_moments(
        labels,
        values,
        nodata,
        has_nodata,
        acc["count"],
        acc["nodata"],
        acc["nan"],
        acc["sum"],
        acc["shift"],
        acc["shifted_sum"],
        acc["shifted_sq"],
        acc["min"],
        acc["max"],
    )


def variance(acc: dict[str, np.ndarray]) -> np.ndarray:
    """Population variance per label from the shifted sums (NaN where no valid cell)."""
    n = acc["count"].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_d = acc["shifted_sum"] / n
        return np.maximum(acc["shifted_sq"] / n - mean_d * mean_d, 0.0)


@njit(cache=True, nogil=True)
def inside_value_range(
    labels: np.ndarray, values: np.ndarray, nodata: float | np.generic, has_nodata: bool
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Smallest and largest valid value inside any zone (inf, -inf when there is none)."""
    lo, hi = np.inf, -np.inf
    rows, cols = labels.shape
    for r in range(rows):
        for c in range(cols):
            if labels[r, c] == 0:
                continue
            v = values[r, c]
            if v != v or (has_nodata and v == nodata):
                continue
            fv = np.float64(v)
            if fv < lo:
                lo = fv
            if fv > hi:
                hi = fv
    return lo, hi


@njit(cache=True, nogil=True)
def accumulate_int_classes(
    labels: np.ndarray,
    values: np.ndarray,
    offset: int,
    nodata: float | np.generic,
    has_nodata: bool,
    counts: np.ndarray,
    nodata_count: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Histogram of integer class values: ``counts[label, value - offset] += 1`` (in place).

    For integer rasters whose valid values inside the zones span ``counts.shape[1]``
    values from ``offset``; no search, no float conversion.
    """
    rows, cols = labels.shape
    for r in range(rows):
        for c in range(cols):
            lab = labels[r, c]
            if lab == 0:
                continue
            v = values[r, c]
            if has_nodata and v == nodata:
                nodata_count[lab] += 1
                continue
            counts[lab, np.int64(v) - offset] += 1


@njit(cache=True, nogil=True)
def label_counts(labels: np.ndarray, n_labels: int) -> np.ndarray:  # pragma: no cover - compiled
    """Cells per label (0..n_labels) of a 2-D label grid, without ``np.bincount``'s int64 copy.

    Runs of one label along a row are counted first and added once: zones span many cells
    of a row, so the counts are not written cell by cell.
    """
    counts = np.zeros(n_labels + 1, np.int64)
    rows, cols = labels.shape
    if cols == 0:
        return counts
    for r in range(rows):
        run_label, run_start = labels[r, 0], 0
        for c in range(1, cols):
            lab = labels[r, c]
            if lab != run_label:
                counts[run_label] += c - run_start
                run_label, run_start = lab, c
        counts[run_label] += cols - run_start
    return counts
