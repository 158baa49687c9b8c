"""The exact per-label sums kernel against numpy's bincount of the rounded values."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from processing.kernels.per_label import best_per_label, quantized_label_sums
from processing.unit_labels import SUM_QUANTUM

finite = st.floats(-1e6, 1e6, allow_nan=False, width=32)


@settings(max_examples=60)
@given(
    values=hnp.arrays(
        st.sampled_from([np.float32, np.float64]),
        st.tuples(st.integers(1, 4), st.integers(0, 300)),
        elements=finite,
    ),
    data=st.data(),
)
def test_sums_equal_numpys_bincount_of_the_rounded_values(
    values: np.ndarray, data: st.DataObject
) -> None:
    cells = values.shape[1]
    n_labels = data.draw(st.integers(1, 20))
    labels = data.draw(hnp.arrays(np.int32, cells, elements=st.integers(0, n_labels - 1)))
    got = quantized_label_sums(values, labels, n_labels, SUM_QUANTUM)
    rounded = np.round(values.astype(np.float64) / SUM_QUANTUM) * SUM_QUANTUM
    expected = np.stack([np.bincount(labels, weights=v, minlength=n_labels) for v in rounded])
    np.testing.assert_array_equal(got, expected)
    # one layer given flat gives one row; any order of the cells gives the same bits
    np.testing.assert_array_equal(
        quantized_label_sums(values[0], labels, n_labels, SUM_QUANTUM), expected[0]
    )
    order = np.random.default_rng(cells).permutation(cells)
    np.testing.assert_array_equal(
        quantized_label_sums(values[:, order], labels[order], n_labels, SUM_QUANTUM), expected
    )


def test_nan_reaches_its_label_only() -> None:
    values = np.array([[1.0, np.nan, 2.0]])
    got = quantized_label_sums(values, np.array([0, 1, 2]), 3, SUM_QUANTUM)
    assert got[0, 0] == 1.0 and np.isnan(got[0, 1]) and got[0, 2] == 2.0


def _best_by_lexsort(
    labels: np.ndarray, scores: np.ndarray, cells: np.ndarray, m: int
) -> tuple[np.ndarray, np.ndarray]:
    """numpy's answer: sort by label, then highest score (NaN last), then lowest cell."""
    best = np.full(m, -np.inf)
    where = np.full(m, -1, dtype=np.int64)
    if labels.size:
        order = np.lexsort((cells, -scores, labels))
        first = np.minimum(np.searchsorted(labels[order], np.arange(m)), labels.size - 1)
        hit = labels[order][first] == np.arange(m)
        best[hit] = scores[order[first[hit]]]
        where[hit] = cells[order[first[hit]]]
    return best, where


@settings(max_examples=80)
@given(data=st.data(), n=st.integers(0, 200), m=st.integers(1, 12))
def test_best_per_label_equals_numpys_lexsort(data: st.DataObject, n: int, m: int) -> None:
    labels = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, m - 1)))
    scores = data.draw(
        hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 0.25, 0.5, 1.0, np.nan]))
    )
    cells = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, 50)))
    got_best, got_cell = best_per_label(labels, scores, cells, m)
    want_best, want_cell = _best_by_lexsort(labels, scores, cells, m)
    np.testing.assert_array_equal(got_best, want_best)
    np.testing.assert_array_equal(got_cell, want_cell)


def test_skip_nan_sums_as_numpys_nan_to_num() -> None:
    rng = np.random.default_rng(3)
    values = rng.random((12, 500)).astype(np.float32)
    values[rng.random((12, 500)) < 0.2] = np.nan
    labels = rng.integers(0, 7, 500)
    got = quantized_label_sums(values, labels, 7, SUM_QUANTUM, skip_nan=True)
    rounded = np.round(np.nan_to_num(values).astype(np.float64) / SUM_QUANTUM) * SUM_QUANTUM
    expected = np.stack([np.bincount(labels, weights=v, minlength=7) for v in rounded])
    np.testing.assert_array_equal(got, expected)
