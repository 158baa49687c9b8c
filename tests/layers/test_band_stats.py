"""The validator's band statistics equal numpy's on the cells it calls valid, in any strip."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import layers.validate_values as vv

FILL = -9999.0
values = st.one_of(
    st.floats(-1e6, 1e6, width=32), st.just(float("nan")), st.just(FILL), st.just(float("inf"))
)


@settings(max_examples=40, deadline=None)
@given(
    data=arrays(
        np.float32,
        st.tuples(st.integers(1, 4), st.integers(1, 30), st.integers(1, 20)),
        elements=values,
    ),
    declared=st.booleans(),
    scan_rows=st.integers(1, 9),
)
def test_band_stats_are_numpys_on_the_valid_cells(
    data: np.ndarray, declared: bool, scan_rows: int
) -> None:
    """Valid: finite and not the nodata value (the file's, else the config's)."""
    bands, rows, cols = data.shape
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        mp.setattr(vv, "SCAN_BYTES", scan_rows * bands * cols * 8)  # strips of scan_rows
        path = Path(tmp) / "x.tif"
        profile = {"driver": "GTiff", "width": cols, "height": rows, "count": bands,
                   "dtype": "float32", "transform": Affine(30, 0, 0, 0, -30, 0)}  # fmt: skip
        with rasterio.open(path, "w", **profile, nodata=FILL if declared else None) as dst:
            dst.write(data)
        got = vv.band_stats(path, None if declared else FILL)
    assert len(got) == bands
    for band, stats in zip(data.astype(np.float64), got, strict=True):
        valid = band[np.isfinite(band) & (band != FILL)]
        assert stats.count == valid.size
        if valid.size:
            assert (stats.low, stats.high) == (valid.min(), valid.max())
            assert stats.mean == pytest.approx(valid.mean(), rel=1e-9, abs=1e-6)
        else:
            assert np.isnan(stats.mean)


def test_a_rewritten_file_is_scanned_again(tmp_path: Path) -> None:
    """The per-process cache keys on the file's size and time: new values, new statistics."""
    path = tmp_path / "x.tif"
    profile = {"driver": "GTiff", "width": 3, "height": 2, "count": 1, "dtype": "float32",
               "transform": Affine(30, 0, 0, 0, -30, 0)}  # fmt: skip
    for value in (1.0, 5.0):
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(np.full((1, 2, 3), value, np.float32))
        assert vv.band_stats(path, None)[0].high == value
