"""Categorical zonal statistics: cell count and area per class value per zone."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from processing.kernels.zonal_kernels import (
    accumulate_classes,
    accumulate_int_classes,
    inside_value_range,
)
from processing.zonal_grid import RasterSource, nodata_in_dtype, prefetched_blocks
from processing.zonal_layers import ZoneLayer

MAX_DIRECT_CLASSES = 65_536  # integer value span counted by direct indexing


def class_counts(
    src: RasterSource, layers: list[ZoneLayer], n: int, band: int, cell_area_m2: float | None
) -> pd.DataFrame:
    """Cell count and area (ha) per class value per zone."""
    area = cell_area_m2 if cell_area_m2 is not None else abs(src.transform.a * src.transform.e)
    per_layer = []
    for layer in layers:
        if layer.window is None or layer.labels is None:
            continue
        codes, counts = _layer_class_counts(src, layer, band)
        names = [str(int(c)) if float(c).is_integer() else str(c) for c in codes]
        table: dict[str, np.ndarray] = {f"count_{k}": counts[1:, i] for i, k in enumerate(names)}
        table.update({f"area_ha_{k}": counts[1:, i] * area / 1e4 for i, k in enumerate(names)})
        per_layer.append(pd.DataFrame(table, index=layer.members))
    if not per_layer:
        return pd.DataFrame(index=range(n))
    out = pd.concat(per_layer).reindex(range(n))
    keys = sorted({c.split("_", 2)[-1] for c in out.columns}, key=lambda k: float(k))
    cols = [f"count_{k}" for k in keys] + [f"area_ha_{k}" for k in keys]
    return out[cols]


def _layer_class_counts(
    src: RasterSource, layer: ZoneLayer, band: int
) -> tuple[np.ndarray, np.ndarray]:
    """Class values present in a layer's zones and their counts ``(zones + 1, classes)``."""
    assert layer.window is not None and layer.labels is not None
    window = layer.window
    nodata_count = np.zeros(len(layer.members) + 1, np.int64)
    nd_value, has_nd = nodata_in_dtype(src.nodata, src.dtype())
    nd = np.float64(nd_value)

    def blocks() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(labels, values) per row block; labels 0 where a mask hides the cell."""
        for r, c, block, data in prefetched_blocks(src, [band], window):
            lab = layer.labels[r : r + int(block.height), c : c + int(block.width)]  # type: ignore[index]
            if band in src.masked_bands:
                lab = np.where(src.read_valid(band, block), lab, 0).astype(lab.dtype)
            yield lab, data[0]

    dtype = src.dtype()
    if dtype.kind in "iu":
        # integer classes: one histogram pass by direct indexing, after a pass for the value
        # range unless the type's whole range is small (8-bit)
        lo, hi = np.inf, -np.inf
        if dtype.itemsize == 1:
            lo, hi = int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)
        else:
            for lab, values in blocks():
                b_lo, b_hi = inside_value_range(lab, values, nd_value, has_nd)
                lo, hi = min(lo, b_lo), max(hi, b_hi)
        if not np.isfinite(lo):
            return np.array([]), np.zeros((len(layer.members) + 1, 0), np.int64)
        if hi - lo < MAX_DIRECT_CLASSES:
            span = np.zeros((len(layer.members) + 1, int(hi - lo) + 1), np.int64)
            for lab, values in blocks():
                accumulate_int_classes(lab, values, int(lo), nd_value, has_nd, span, nodata_count)
            present = np.flatnonzero(span.sum(axis=0))
            return present + lo, span[:, present]
    present_values: set[float] = set()
    for lab, values in blocks():
        v = values[lab > 0]
        if v.dtype.kind == "f":
            v = v[~np.isnan(v)]
        if has_nd:
            v = v[v != nd_value]
        present_values.update(np.unique(v).tolist())
    codes = np.array(sorted(present_values), dtype=np.float64)
    counts = np.zeros((len(layer.members) + 1, codes.size), np.int64)
    for lab, values in blocks():
        accumulate_classes(lab, values.astype(np.float64), nd, has_nd, codes, counts, nodata_count)
    return codes, counts
