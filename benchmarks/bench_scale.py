"""National scale: 10,000 communities on a 10,000 x 10,000 grid with 12-band rain and ET0.

A synthetic region (UTM 37S, 30 m cells, 300 x 300 km; smooth seasonal rain and ET0 fields,
four land-use classes, a DEM of rolling hills, 10,000 Voronoi communities, a road grid;
rasters written on the working grid, tiled and deflated; Tmin and Tmax as 1 km rasters, as
climate products are, warped window by window; two intervention profiles using slope,
runoff, distance to roads, land use and rainfall, and the built-in crops) is processed with
``landwater process --blockwise`` on this machine and on a 2-worker Dask ``LocalCluster``
(``--scheduler local``): the whole results store with its rasters (balance, suitability and
crop scores as COGs), and once more tables only (``--no-rasters``). Reports wall time and
peak memory (the largest process: ``getrusage`` of the children, a running maximum, so
later runs' figures are upper bounds) against the 4 GB budget, and checks the two full
runs' tables are byte-identical and their rasters equal. Writes benchmarks/results/scale.json.
Needs about 2 GB of free disk in the temp folder.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "scale.json"
SIZE = 10_000
CELL = 30.0
X0, Y0 = 199_980.0, 9_500_010.0  # multiples of 30 m, so the working grid is the rasters'
COMMUNITIES = 10_000
STRIP = 500
RAIN = np.array([40, 50, 110, 180, 120, 30, 20, 25, 30, 90, 140, 70], float)
ET0 = np.array([150, 150, 155, 130, 120, 110, 105, 115, 130, 145, 135, 140], float)
TMIN = np.array([13, 14, 14, 15, 14, 12, 11, 11, 12, 13, 14, 13], float)
CLIMATE_CELL = 1000.0
PROFILES = """
[[interventions]]
id = "farm_ponds"
name = "Farm ponds"
max_slope_pct = 12
  [[interventions.criteria]]
  layer = "slope_pct"
  function = "decreasing"
  params = [2, 10]
  weight = 3
  [[interventions.criteria]]
  layer = "runoff_mm_yr"
  function = "increasing"
  params = [0, 40]
  weight = 3
  [[interventions.criteria]]
  layer = "distance_to_roads_m"
  function = "decreasing"
  params = [500, 5000]
  weight = 1

[[interventions]]
id = "agroforestry"
name = "Agroforestry"
  [[interventions.criteria]]
  layer = "land_use"
  function = "classes"
  classes = { "1" = 1.0, "2" = 0.7, "3" = 0.5 }
  weight = 1
  [[interventions.criteria]]
  layer = "rainfall_annual_mm"
  function = "increasing"
  params = [600, 1000]
  weight = 1
"""


def write_climate(data: Path, size: int, cell: float) -> None:
    """Tmin and Tmax, 12 bands of 1 km cells over the region (cooler on the hills)."""
    import rasterio
    from affine import Affine

    n = int(np.ceil(size * cell / CLIMATE_CELL))
    x = np.arange(n) * CLIMATE_CELL
    cool = 3 * np.sin(x[None] / 40_000) * np.cos(x[:, None] / 55_000)
    profile = {
        "driver": "GTiff",
        "width": n,
        "height": n,
        "count": 12,
        "dtype": "float32",
        "crs": "EPSG:32737",
        "transform": Affine(CLIMATE_CELL, 0, X0, 0, -CLIMATE_CELL, Y0 + size * cell),
        "nodata": -9999.0,
    }
    for name, offset in (("tmin", 0.0), ("tmax", 12.0)):
        with rasterio.open(data / f"{name}.tif", "w", **profile) as dst:
            for m in range(12):
                dst.write((TMIN[m] + offset - cool).astype(np.float32), m + 1)


def write_roads(data: Path, size: int, cell: float) -> None:
    """A road every 12 km east-west and every 15 km north-south."""
    import geopandas as gpd
    import shapely

    side = size * cell
    lines = [
        shapely.LineString([(X0, Y0 + y), (X0 + side, Y0 + y)]) for y in range(0, int(side), 12_000)
    ]
    lines += [
        shapely.LineString([(X0 + x, Y0), (X0 + x, Y0 + side)]) for x in range(0, int(side), 15_000)
    ]
    gpd.GeoDataFrame({"rid": range(len(lines))}, geometry=lines, crs=32737).to_file(
        data / "roads.gpkg"
    )


def write_region(root: Path, size: int = SIZE, cell: float = CELL) -> None:
    """Communities, rasters, class table and region.toml of the synthetic region.

    ``size`` x ``size`` cells of ``cell`` metres from (X0, Y0); 10,000 communities.
    """
    import geopandas as gpd
    import rasterio
    import shapely
    from affine import Affine

    from layers.products import product_table

    data = root / "data"
    data.mkdir(parents=True)
    side = size * cell
    rng = np.random.default_rng(1)
    pts = rng.uniform(0, side, (COMMUNITIES, 2)) + np.array([X0, Y0])
    box = shapely.box(X0, Y0, X0 + side, Y0 + side)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=box))
    polys = [shapely.intersection(c, box) for c in cells]
    gpd.GeoDataFrame(
        {"cid": [f"C{i:05d}" for i in range(len(polys))]}, geometry=polys, crs=32737
    ).to_file(data / "communities.gpkg")
    product_table("generic").to_csv(data / "classes.csv", index=False)
    transform = Affine(cell, 0, X0, 0, -cell, Y0 + side)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "crs": "EPSG:32737",
        "transform": transform,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "deflate",
        "BIGTIFF": "YES",
    }
    x = np.arange(size) * cell
    with (
        rasterio.open(
            data / "rain.tif", "w", count=12, dtype="float32", nodata=-9999.0, **profile
        ) as rain,
        rasterio.open(
            data / "et0.tif", "w", count=12, dtype="float32", nodata=-9999.0, **profile
        ) as et0,
        rasterio.open(data / "lu.tif", "w", count=1, dtype="uint8", nodata=0, **profile) as lu,
        rasterio.open(
            data / "dem.tif", "w", count=1, dtype="float32", nodata=-9999.0, **profile
        ) as dem,
    ):
        for r0 in range(0, size, STRIP):
            rows = min(STRIP, size - r0)
            window = rasterio.windows.Window(0, r0, size, rows)
            y = (r0 + np.arange(rows))[:, None] * cell
            wet = 1 + 0.4 * np.sin(x[None] / 40_000) * np.cos(y / 55_000)  # orographic pattern
            for m in range(12):
                rain.write(np.round(RAIN[m] * wet, 1).astype(np.float32), m + 1, window=window)
                et0.write(
                    np.round(ET0[m] * (2 - wet) / 1.0, 1).astype(np.float32), m + 1, window=window
                )
            classes = 1 + ((x[None] // 3000 + y // 4000) % 4)  # cropland, grass, shrub, forest
            lu.write(classes.astype(np.uint8), 1, window=window)
            hills = 1500 + 300 * wet + 40 * np.sin(x[None] / 900) * np.cos(y / 1100)
            dem.write(hills.astype(np.float32), 1, window=window)
    write_climate(data, size, cell)
    write_roads(data, size, cell)
    (root / "region.toml").write_text(
        '[region]\nname = "Scale test (synthetic)"\ncrs = "EPSG:32737"\n'
        f"resolution_m = {cell}\n"
        "synthetic = true\n\n"
        '[layers.communities]\npath = "data/communities.gpkg"\nid_field = "cid"\n\n'
        '[layers.rainfall]\npath = "data/rain.tif"\nunits = "mm/month"\n\n'
        '[layers.et0]\npath = "data/et0.tif"\nunits = "mm/month"\n\n'
        '[layers.land_use]\npath = "data/lu.tif"\nclass_table = "data/classes.csv"\n\n'
        '[layers.elevation]\npath = "data/dem.tif"\nunits = "m"\n\n'
        '[layers.tmin]\npath = "data/tmin.tif"\nunits = "degC"\n\n'
        '[layers.tmax]\npath = "data/tmax.tif"\nunits = "degC"\n\n'
        '[layers.roads]\npath = "data/roads.gpkg"\nid_field = "rid"\n' + PROFILES
    )


def run(region: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and the peak resident memory (GB) of one process run and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    cmd = [
        sys.executable,
        "-m",
        "landwater",
        "process",
        str(region),
        "--blockwise",
        "--out",
        str(out),
        *extra,
    ]
    subprocess.run(cmd, check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak_kb, before) / 2**20


def serve_prepare(region: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (GB) of a server preparing the region's map assets.

    ``RegionService.prepare``: every raster aligned to the grid as a COG, the hillshade,
    the annual rainfall, colour stretches and the GeoJSON layers, from an empty cache.
    """
    shutil.rmtree(region / ".cache", ignore_errors=True)
    code = (
        "import resource, sys; from dashboard.service import RegionService;"
        " RegionService(sys.argv[1]).prepare();"
        " print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(region)], check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - t0
    return seconds, int(done.stdout.split()[-1]) / 2**20


def _same_raster(tmp: Path, name: str) -> bool:
    """The local and Dask runs' raster ``name`` hold the same values (compared by strips)."""
    import rasterio
    from rasterio.windows import Window

    with (
        rasterio.open(tmp / "local" / "rasters" / name) as a,
        rasterio.open(tmp / "dask" / "rasters" / name) as b,
    ):
        for row in range(0, a.height, 1000):
            w = Window(0, row, a.width, min(1000, a.height - row))
            if not np.array_equal(a.read(1, window=w), b.read(1, window=w), equal_nan=True):
                return False
    return True


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="landwater-scale-") as tmp:
        root = Path(tmp) / "region"
        t0 = time.perf_counter()
        write_region(root)
        build_s = time.perf_counter() - t0
        tables_s, tables_gb = run(root, Path(tmp) / "tables", "--no-rasters")
        local_s, local_gb = run(root, Path(tmp) / "local")
        dask_s, dask_gb = run(root, Path(tmp) / "dask", "--scheduler", "local")
        same = all(
            (Path(tmp) / "local" / n).read_bytes() == (Path(tmp) / "dask" / n).read_bytes()
            for n in ("communities.csv", "monthly_communities.csv", "suitability_communities.csv",
                      "crops_communities.csv")
        )  # fmt: skip
        rasters = sorted(p.name for p in (Path(tmp) / "local" / "rasters").glob("*.tif"))
        same_rasters = all(_same_raster(Path(tmp), name) for name in rasters)
        raster_mb = (
            sum((Path(tmp) / "local" / "rasters" / name).stat().st_size for name in rasters) / 2**20
        )
        rows = len((Path(tmp) / "local" / "communities.csv").read_text().splitlines()) - 1
        shutil.copytree(Path(tmp) / "local", root / "results")
        serve_s, serve_gb = serve_prepare(root)
        crops = sum(1 for name in rasters if name.startswith("crop_"))
    report = {
        "grid": f"{SIZE} x {SIZE} cells (30 m), rain and ET0 12 bands each, land use, DEM;"
        " Tmin/Tmax 12 bands of 1 km (warped by window); roads",
        "outputs": "the whole store: balance, water yield, 2 intervention profiles, "
        f"{crops} crops, tables and rasters",
        "communities": rows,
        "synthetic_inputs_written_s": round(build_s, 1),
        "blockwise_tables_only": {
            "seconds": round(tables_s, 1),
            "peak_rss_gb": round(tables_gb, 2),
        },
        "blockwise_local": {
            "seconds": round(local_s, 1),
            "peak_rss_gb_at_most": round(local_gb, 2),
        },
        "blockwise_dask_2_workers": {
            "seconds": round(dask_s, 1),
            "peak_rss_gb_at_most": round(dask_gb, 2),
        },
        "serve_prepare (map assets from an empty cache, with the store)": {
            "seconds": round(serve_s, 1),
            "peak_rss_gb": round(serve_gb, 2),
        },
        "rasters": rasters,
        "rasters_mb": round(raster_mb, 1),
        "identical_tables": same,
        "identical_rasters": same_rasters,
        "budget": "peak memory < 4 GB",
        "machine": "2 cores, 24 GB",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
