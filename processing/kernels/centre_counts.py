"""Cell centres inside polygons, counted per polygon by scanlines (arrays in, arrays out).

The count is the one GDAL's polygon fill gives (rasterio's ``rasterize`` without
``all_touched``): on each row, the ring crossings of the line through the cell centres are
sorted and every other interval is filled (even-odd over the rings of one polygon), a cell
being in when its centre lies in the interval. When a centre lies within ``tolerance`` of a
crossing, or a vertex within ``tolerance`` of a row's centre line, rounding decides whether
GDAL burns the cell: such a polygon is flagged *ambiguous* and its count is not to be
trusted.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _near_centre(v: float, tolerance: float) -> bool:  # pragma: no cover - compiled
    """Whether ``v`` (cell units) lies within ``tolerance`` of a cell centre line (k + 0.5)."""
    return abs(v - 0.5 - np.floor(v)) < tolerance


@njit(cache=True, nogil=True)
def _edges(
    x: np.ndarray, y: np.ndarray, ring_start: np.ndarray, k0: int, k1: int
) -> np.ndarray:  # pragma: no cover - compiled
    """Non-horizontal edges of rings ``k0:k1`` as rows ``(x_low, y_low, x_high, y_high)``."""
    out = np.empty((ring_start[k1] - ring_start[k0], 4), np.float64)
    m = 0
    for k in range(k0, k1):
        a0, a1 = ring_start[k], ring_start[k + 1]
        for i in range(a0, a1):
            j = i + 1 if i + 1 < a1 else a0
            if y[i] < y[j]:
                out[m] = (x[i], y[i], x[j], y[j])
                m += 1
            elif y[i] > y[j]:
                out[m] = (x[j], y[j], x[i], y[i])
                m += 1
    return out[:m]


@njit(cache=True, nogil=True)
def _insertion_sort(v: np.ndarray, a: int, b: int) -> None:  # pragma: no cover - compiled
    """Sort ``v[a:b]`` in place (a row holds a few crossings: usually two)."""
    for i in range(a + 1, b):
        key = v[i]
        j = i - 1
        while j >= a and v[j] > key:
            v[j + 1] = v[j]
            j -= 1
        v[j + 1] = key


@njit(cache=True, nogil=True)
def _centre_rows(y_low: float, y_high: float) -> tuple[int, int]:  # pragma: no cover - compiled
    """First and last row whose centre line ``r + 0.5`` an edge crosses (low <= line < high)."""
    return int(np.ceil(y_low - 0.5)), int(np.ceil(y_high - 0.5)) - 1


@njit(cache=True, nogil=True)
def polygon_centre_counts(
    x: np.ndarray,
    y: np.ndarray,
    ring_start: np.ndarray,
    polygon_ring_start: np.ndarray,
    rows: int,
    cols: int,
    tolerance: float,
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Cells of a ``rows`` x ``cols`` grid whose centre each polygon covers.

    Parameters
    ----------
    x, y : numpy.ndarray
        Ring vertices in cell units: column and row from the grid's top-left corner
        (cell ``(r, c)`` has its centre at ``(c + 0.5, r + 0.5)``), float64.
    ring_start : numpy.ndarray
        Ring ``k`` holds vertices ``ring_start[k]:ring_start[k + 1]`` (closed or not).
    polygon_ring_start : numpy.ndarray
        Polygon ``p`` holds rings ``polygon_ring_start[p]:polygon_ring_start[p + 1]``.
    rows, cols : int
        Grid size; centres outside it are not counted.
    tolerance : float
        Distance (cell units) under which a centre is too close to a crossing to decide;
        widened along nearly horizontal edges, whose crossings rounding moves further.

    Returns
    -------
    counts : numpy.ndarray
        int64 cells per polygon.
    ambiguous : numpy.ndarray
        True where rounding may change the polygon's cells.
    """
    n = polygon_ring_start.size - 1
    counts = np.zeros(n, np.int64)
    ambiguous = np.zeros(n, np.bool_)
    for p in range(n):
        for v in range(ring_start[polygon_ring_start[p]], ring_start[polygon_ring_start[p + 1]]):
            if _near_centre(y[v], tolerance):
                ambiguous[p] = True
        edges = _edges(x, y, ring_start, polygon_ring_start[p], polygon_ring_start[p + 1])
        if edges.shape[0] == 0:
            continue
        r0 = max(_centre_rows(edges[:, 1].min(), 0.0)[0], 0)
        r1 = min(_centre_rows(0.0, edges[:, 3].max())[1], rows - 1)
        if r1 < r0:
            continue
        # crossings bucketed by row (counting sort), then sorted within each row
        start = np.zeros(r1 - r0 + 2, np.int64)
        for e in range(edges.shape[0]):
            lo, hi = _centre_rows(edges[e, 1], edges[e, 3])
            for r in range(max(lo, r0), min(hi, r1) + 1):
                start[r - r0 + 1] += 1
        start = np.cumsum(start)
        xs = np.empty(start[-1], np.float64)
        fill = start[:-1].copy()
        for e in range(edges.shape[0]):
            xa, ya, xb, yb = edges[e]
            slope = (xb - xa) / (yb - ya)
            slack = tolerance * (1.0 + abs(slope))
            lo, hi = _centre_rows(ya, yb)
            for r in range(max(lo, r0), min(hi, r1) + 1):
                xc = (r + 0.5 - ya) * slope + xa
                if _near_centre(xc, slack):
                    ambiguous[p] = True
                xs[fill[r - r0]] = xc
                fill[r - r0] += 1
        for r in range(r1 - r0 + 1):
            a, b = start[r], start[r + 1]
            _insertion_sort(xs, a, b)
            for m in range(a, b - 1, 2):
                c0 = max(int(np.floor(xs[m] + 0.5)), 0)
                c1 = min(int(np.floor(xs[m + 1] + 0.5)), cols)
                counts[p] += max(c1 - c0, 0)
    return counts, ambiguous
