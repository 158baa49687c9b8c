"""The community layer the map downloads, at 10,000 communities (issue 9: < 3 MB gzipped).

10,000 Voronoi communities over 300 x 300 km with wiggling, densified shared boundaries
(about 200 vertices each, like digitised administrative boundaries), serialised exactly as
the dashboard does (coverage-preserving simplification at the layer's tolerance, WGS84,
5 decimals, gzip). Compares the fixed 20 m tolerance with the layer-scaled one. Writes
benchmarks/results/geojson_scale.json.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

RESULTS = Path(__file__).resolve().parent / "results" / "geojson_scale.json"
COMMUNITIES = 10_000
SIDE_M = 300_000.0
RUNS = 3


def communities() -> gpd.GeoDataFrame:
    """10,000 polygons tiling the square, sharing wiggly boundaries."""
    rng = np.random.default_rng(0)
    x0, y0 = 200_000.0, 9_500_000.0
    pts = rng.uniform(0, SIDE_M, (COMMUNITIES, 2)) + np.array([x0, y0])
    box = shapely.box(x0, y0, x0 + SIDE_M, y0 + SIDE_M)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=box))
    edges = shapely.union_all([shapely.intersection(c, box).boundary for c in cells])
    dense = shapely.segmentize(edges, 60.0)

    def wiggle(xy: np.ndarray) -> np.ndarray:
        return xy + 25 * np.column_stack([np.sin(xy[:, 1] / 170.0), np.cos(xy[:, 0] / 190.0)])

    polys = shapely.get_parts(
        shapely.polygonize(shapely.get_parts(shapely.transform(dense, wiggle)))
    )
    gdf = gpd.GeoDataFrame(
        {"id": [f"C{i:05d}" for i in range(len(polys))]}, geometry=polys, crs=32737
    )
    gdf["name"] = "Community " + gdf["id"]
    gdf["area_ha"] = (gdf.geometry.area / 1e4).round(1)
    gdf["tooltip"] = gdf["name"]
    return gdf


def main() -> None:
    from dashboard.geometry import MIN_TOLERANCE_M, simplify_tolerance_m, to_geojson_gz

    gdf = communities()
    vertices = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
    report: dict[str, object] = {
        "communities": len(gdf),
        "vertices": vertices,
        "budget_mb_gz": 3.0,
    }
    for label, tol in (("fixed_20m", MIN_TOLERANCE_M), ("scaled", simplify_tolerance_m(gdf))):
        times, body = [], b""
        for _ in range(RUNS):
            t0 = time.perf_counter()
            body = to_geojson_gz(gdf, ["id", "name", "area_ha", "tooltip"], tol)
            times.append(time.perf_counter() - t0)
        report[label] = {
            "tolerance_m": tol,
            "mb_gz": round(len(body) / 2**20, 2),
            "mb_raw": round(len(gzip.decompress(body)) / 2**20, 1),
            "seconds_median": round(statistics.median(times), 2),
        }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
