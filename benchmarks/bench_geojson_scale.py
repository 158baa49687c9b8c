"""The community layer the map downloads, at 1,000 and 10,000 communities (issue 22: <= 1 MB).

Voronoi communities of about 3 km (10,000 over 300 x 300 km, 1,000 over 95 x 95 km) with
wiggling, densified shared boundaries (about 200 vertices each, like digitised
administrative boundaries), serialised both ways side by side, with the same
coverage-preserving simplification at the layer's tolerance:

- ``geojson``: gzipped GeoJSON, WGS84 at 5 decimals (the format the map used before);
- ``geobuf``: gzipped geobuf on the decimal grid of the tolerance, as the dashboard serves
  ``/geo/communities.pbf`` (:func:`dashboard.geometry.to_geobuf_gz`).

Plus, at 10,000, the GeoJSON at the fixed 20 m tolerance. Medians of 3 encodings. Writes
benchmarks/results/geojson_scale.json.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

RESULTS = Path(__file__).resolve().parent / "results" / "geojson_scale.json"
COMMUNITIES = (1_000, 10_000)
SIDE_M = 300_000.0  # of the 10,000; the square shrinks with the count, communities keep their size
RUNS = 3
PROPERTIES = ["id", "i", "name", "area_ha", "tooltip"]  # as dashboard.map_assets sends them


def communities(count: int = 10_000) -> gpd.GeoDataFrame:
    """``count`` polygons of about 3 km tiling a square, sharing wiggly boundaries."""
    rng = np.random.default_rng(0)
    x0, y0 = 200_000.0, 9_500_000.0
    side_m = SIDE_M * np.sqrt(count / 10_000)
    pts = rng.uniform(0, side_m, (count, 2)) + np.array([x0, y0])
    box = shapely.box(x0, y0, x0 + side_m, y0 + side_m)
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
    gdf["i"] = np.arange(len(gdf))
    return gdf


def timed(encode: Callable[[], bytes]) -> dict[str, float]:
    """Size (gzipped and raw) and median encoding time of ``encode``'s body."""
    times, body = [], b""
    for _ in range(RUNS):
        t0 = time.perf_counter()
        body = encode()
        times.append(time.perf_counter() - t0)
    return {
        "mb_gz": round(len(body) / 2**20, 3),
        "mb_raw": round(len(gzip.decompress(body)) / 2**20, 2),
        "encode_s_median": round(statistics.median(times), 2),
    }


def main() -> None:
    from dashboard.geometry import (
        MIN_TOLERANCE_M,
        coord_decimals,
        simplify_tolerance_m,
        to_geobuf_gz,
        to_geojson_gz,
    )

    report: dict[str, object] = {"budget_mb_gz_at_10000": 1.0, "runs": RUNS}
    for count in COMMUNITIES:
        gdf = communities(count)
        tol = simplify_tolerance_m(gdf)
        entry: dict[str, object] = {
            "communities": len(gdf),
            "vertices": int(shapely.get_num_coordinates(gdf.geometry.values).sum()),
            "tolerance_m": tol,
            "geojson": {
                "decimals": 5,
                **timed(lambda g=gdf, t=tol: to_geojson_gz(g, PROPERTIES, t)),
            },
            "geobuf": {
                "decimals": coord_decimals(tol),
                **timed(lambda g=gdf, t=tol: to_geobuf_gz(g, PROPERTIES, t)),
            },
        }
        if count == 10_000:
            fixed = timed(lambda g=gdf: to_geojson_gz(g, PROPERTIES, MIN_TOLERANCE_M))
            entry["geojson_fixed_20m"] = fixed
        report[str(count)] = entry
        print(json.dumps(entry, indent=2), flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
