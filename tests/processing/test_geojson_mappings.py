"""Bulk GeoJSON mappings burn the same cells as rasterio's own conversion of the geometries."""

from __future__ import annotations

import numpy as np
import shapely
from affine import Affine
from hypothesis import given
from hypothesis import strategies as st
from rasterio import features
from shapely.geometry.base import BaseGeometry

from processing.zonal_layers import geojson_mappings

T = Affine(1.0, 0, 0, 0, -1.0, 20.0)


@st.composite
def zones(draw: st.DrawFn) -> list[BaseGeometry]:
    """Polygons (some with holes), multipolygons, a line or a point, in any mix."""
    out: list[BaseGeometry] = []
    for _ in range(draw(st.integers(1, 6))):
        x, y = draw(st.floats(0, 15)), draw(st.floats(0, 15))
        w, h = draw(st.floats(0.3, 8)), draw(st.floats(0.3, 8))
        box = shapely.box(x, y, x + w, y + h)
        poly: BaseGeometry = box
        kind = draw(st.sampled_from(["box", "hole", "multi", "line", "point", "collection"]))
        if kind == "hole":
            poly = box.difference(shapely.Point(x + w / 2, y + h / 2).buffer(min(w, h) / 4))
        elif kind == "multi":
            poly = shapely.MultiPolygon([box, shapely.box(x + w + 1, y, x + w + 2, y + 1)])
        elif kind == "line":
            poly = shapely.LineString([(x, y), (x + w, y + h)])
        elif kind == "point":
            poly = shapely.Point(x, y)
        elif kind == "collection":
            poly = shapely.GeometryCollection([box, shapely.Point(x, y)])
        out.append(poly)
    return out


@given(zones(), st.booleans())
def test_bulk_mappings_burn_like_the_geometries(geoms: list, all_touched: bool) -> None:
    values = range(1, len(geoms) + 1)
    burn = lambda shapes: features.rasterize(  # noqa: E731
        list(zip(shapes, values, strict=True)),
        out_shape=(20, 20),
        transform=T,
        all_touched=all_touched,
        dtype=np.uint16,
    )
    np.testing.assert_array_equal(burn(geojson_mappings(geoms)), burn(geoms))


def test_polygons_become_multipolygons_with_their_rings() -> None:
    donut = shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2))
    (got,) = geojson_mappings([donut])
    assert got["type"] == "MultiPolygon"
    assert shapely.geometry.shape(got).equals(donut)
