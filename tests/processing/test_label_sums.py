"""The exact per-label sums kernel against numpy's bincount of the rounded values."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from processing.kernels.label_sums import quantized_label_sums
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
