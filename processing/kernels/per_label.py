"""Numba kernels of per-label reductions: exact sums, and each label's best cell.

For the sums every value is rounded to a multiple of a power of two, so the float64 additions
are exact and the sums do not depend on their order or on how the grid is cut into strips, and
added to its label's total in one pass over the cells.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _quantized_sums(
    values: np.ndarray, labels: np.ndarray, n_labels: int, quantum: float, skip_nan: bool
) -> np.ndarray:  # pragma: no cover - compiled
    layers, cells = values.shape
    out = np.zeros((layers, n_labels))
    per_quantum = 1.0 / quantum  # exact: quantum is a power of two
    for k in range(layers):
        row = out[k]
        for i in range(cells):
            v = values[k, i]
            if skip_nan and np.isnan(v):
                continue
            row[labels[i]] += np.rint(v * per_quantum) * quantum
    return out


def quantized_label_sums(
    values: np.ndarray, labels: np.ndarray, n_labels: int, quantum: float, skip_nan: bool = False
) -> np.ndarray:
    """Per-label sums of each layer of ``values``, each value rounded to ``quantum`` first.

    Equal to ``np.bincount(labels, weights=np.round(v / quantum) * quantum,
    minlength=n_labels)`` for each layer ``v``: with ``quantum`` a power of two, the rounded
    values are exact binary fractions and their float64 sum is exact while it stays below
    2**53 quanta, whatever the order of the additions.

    Parameters
    ----------
    values : numpy.ndarray
        ``(layers, cells)`` or ``(cells,)``, any real dtype.
    labels : numpy.ndarray
        ``(cells,)`` non-negative integer labels below ``n_labels``.
    n_labels : int
        Length of each output row.
    quantum : float
        A power of two.
    skip_nan : bool
        Leave NaN values out (as zeros) instead of letting them make their label's sum NaN.

    Returns
    -------
    numpy.ndarray
        ``(layers, n_labels)`` float64, or ``(n_labels,)`` for 1-D ``values``.
    """
    flat = np.asarray(values)
    one = flat.ndim == 1
    grid = np.ascontiguousarray(flat.reshape(1, -1) if one else flat)
    sums = _quantized_sums(
        grid, np.ascontiguousarray(labels), int(n_labels), float(quantum), bool(skip_nan)
    )
    return sums[0] if one else sums


@njit(cache=True, nogil=True)
def _best(
    labels: np.ndarray, scores: np.ndarray, cells: np.ndarray, n_labels: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    best = np.full(n_labels, -np.inf)
    where = np.full(n_labels, -1, dtype=np.int64)
    for i in range(labels.size):
        lab, s, c = labels[i], scores[i], cells[i]
        held = where[lab]
        if held < 0:
            take = True
        elif np.isnan(best[lab]):
            take = not np.isnan(s) or c < held
        else:
            take = s > best[lab] or (s == best[lab] and c < held)
        if take:
            best[lab] = s
            where[lab] = c
    return best, where


def best_per_label(
    labels: np.ndarray, scores: np.ndarray, cells: np.ndarray, n_labels: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each label's highest score and its cell, the lowest cell among equal scores.

    NaN ranks below every number. Labels without a cell get ``-inf`` and cell ``-1``.

    Parameters
    ----------
    labels : numpy.ndarray
        ``(n,)`` non-negative integer labels below ``n_labels``.
    scores : numpy.ndarray
        ``(n,)`` float scores.
    cells : numpy.ndarray
        ``(n,)`` integer cell indices.
    n_labels : int
        Length of the outputs.

    Returns
    -------
    best : numpy.ndarray
        ``(n_labels,)`` float64.
    cell : numpy.ndarray
        ``(n_labels,)`` int64.
    """
    return _best(
        np.ascontiguousarray(labels),
        np.ascontiguousarray(scores, dtype=np.float64),
        np.ascontiguousarray(cells, dtype=np.int64),
        int(n_labels),
    )
