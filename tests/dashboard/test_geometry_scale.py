"""The map's simplification tolerance follows the size of the units."""

from __future__ import annotations

import geopandas as gpd
import shapely

from dashboard.geometry import MIN_TOLERANCE_M, simplify_tolerance_m


def _squares(side_m: float, n: int = 9) -> gpd.GeoDataFrame:
    boxes = [shapely.box(i * side_m, 0, (i + 1) * side_m, side_m) for i in range(n)]
    return gpd.GeoDataFrame(geometry=boxes, crs=32737)


def test_tolerance_is_a_share_of_the_typical_width() -> None:
    assert simplify_tolerance_m(_squares(3000)) == 45.0  # 1.5 % of 3 km
    assert simplify_tolerance_m(_squares(40_000)) == 600.0  # districts
    assert simplify_tolerance_m(_squares(200)) == MIN_TOLERANCE_M  # never below 20 m
    assert simplify_tolerance_m(_squares(3000, 0)) == MIN_TOLERANCE_M
