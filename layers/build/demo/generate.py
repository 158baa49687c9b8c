"""Write the synthetic demo region: a deterministic, realistic highland landscape.

The region sits near Machakos in the Kenyan highlands (UTM zone 37S), 40 x 30 km on a
30 m grid. Everything is synthetic and labelled so in ``region.toml`` and in the UI.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from pyproj import CRS
from rasterio import features

from layers.build.demo import climate, landscape, people
from layers.build.demo.tables import LAND_USE_CLASSES, SOIL_CLASSES
from layers.build.demo.terrain import synth_dem
from layers.grid import Grid
from layers.io import replace_folder, write_cog, write_csv, write_text, write_vector
from processing.kernels.hydrology import delineate_subbasins
from processing.kernels.terrain import slope_pct

CRS_UTM37S = CRS.from_epsg(32737)
ORIGIN_E, TOP_N = 300_000.0, 9_859_980.0  # about 37.2 E, 1.27 S; multiples of the 30 m cell
CELL_M = 30.0
SIZE_M = (40_020.0, 30_000.0)
CLIMATE_CELL_DEG = 0.01
SYNTHETIC = "synthetic (landwater demo generator)"
LICENCE = "CC0-1.0"


def demo_grid() -> Grid:
    """The demo's 30 m grid in EPSG:32737."""
    width, height = int(SIZE_M[0] / CELL_M), int(SIZE_M[1] / CELL_M)
    return Grid(CRS_UTM37S, Affine(CELL_M, 0, ORIGIN_E, 0, -CELL_M, TOP_N), width, height)


def watershed_polygons(
    labels: np.ndarray, grid: Grid, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    """Polygonise watershed labels, smooth their staircase edges keeping shared borders."""
    shapes = [
        (shapely.geometry.shape(g), int(v))
        for g, v in features.shapes(labels, transform=grid.transform)
    ]
    gdf = gpd.GeoDataFrame(
        {"label": [v for _, v in shapes]}, geometry=[g for g, _ in shapes], crs=grid.crs
    )
    gdf = gdf.dissolve("label").reset_index()
    gdf["geometry"] = shapely.coverage_simplify(gdf.geometry.values, tolerance=CELL_M * 1.5)
    names = people.community_names(len(gdf), rng)
    area_km2 = gdf.geometry.area / 1e6
    return gpd.GeoDataFrame(
        {
            "watershed_id": [f"W{i:02d}" for i in gdf["label"]],
            "name": [f"{n} River" for n in names],
            "area_km2": area_km2.round(2),
            "geometry": gdf.geometry,
        },
        crs=grid.crs,
    )


def forest_reserve(dem: np.ndarray, grid: Grid, radius_m: float = 2500.0) -> gpd.GeoDataFrame:
    """A hilltop forest reserve: a disc around the highest point, clipped to the grid."""
    r, c = np.unravel_index(int(np.nanargmax(dem)), dem.shape)
    x, y = grid.transform * (c + 0.5, r + 0.5)
    disc = (
        shapely.Point(x, y).buffer(radius_m, quad_segs=16).intersection(shapely.box(*grid.bounds))
    )
    return gpd.GeoDataFrame(
        {"pa_id": ["PA01"], "name": ["Hilltop forest reserve"], "designation": "forest reserve"},
        geometry=[disc],
        crs=grid.crs,
    )


def region_toml(seed: int) -> str:
    """The demo's ``region.toml``."""
    meta = f'source = "{SYNTHETIC}"\nlicence = "{LICENCE}"\ndate = "2026"'
    return f"""# Demo region written by `landwater demo --seed {seed}`. Every layer is SYNTHETIC.
[region]
name = "Demo highlands (synthetic)"
description = "A synthetic 40 x 30 km highland landscape near Machakos, Kenya. Not real data."
crs = "EPSG:32737"
resolution_m = {CELL_M:g}
synthetic = true
country = "KE"

[layers.communities]
path = "data/communities.gpkg"
id_field = "community_id"
name_field = "name"
title = "Communities"
{meta}

[layers.watersheds]
path = "data/watersheds.geojson"
id_field = "watershed_id"
name_field = "name"
title = "Watersheds (delineated from the DEM with pysheds)"
{meta}

[layers.rainfall]
path = "data/rainfall_monthly.tif"
kind = "climatology"
units = "mm/month"
title = "Monthly rainfall climatology"
{meta}

[layers.tmin]
path = "data/tmin_monthly.tif"
units = "degC"
title = "Monthly mean minimum temperature"
{meta}

[layers.tmax]
path = "data/tmax_monthly.tif"
units = "degC"
title = "Monthly mean maximum temperature"
{meta}

[layers.land_use]
path = "data/land_use.tif"
class_table = "data/land_use_classes.csv"
title = "Land use"
{meta}

[layers.soil]
path = "data/soil_units.tif"
class_table = "data/soil_classes.csv"
title = "Soil units"
{meta}

[layers.elevation]
path = "data/dem.tif"
units = "m"
title = "Elevation"
{meta}

[layers.project_sites]
path = "data/project_sites.csv"
id_field = "site_id"
name_field = "name"
type_field = "type"
status_field = "status"
lon_field = "lon"
lat_field = "lat"
title = "Project sites"
{meta}

[layers.roads]
path = "data/roads.gpkg"
id_field = "road_id"
title = "Main roads"
{meta}

[layers.protected_areas]
path = "data/protected_areas.geojson"
id_field = "pa_id"
name_field = "name"
title = "Forest reserve (hilltop)"
{meta}

[water_balance]
pet_method = "auto"
rain_days = [5, 4, 9, 13, 7, 2, 2, 2, 3, 8, 14, 10]
spinup_years = 5

[[futures]]  # synthetic futures named as WorldClim 2.1 files (three made-up models)
path = "data/futures"
"""


def build_demo(out: Path, seed: int) -> None:
    """Generate every file of the demo region into the folder ``out`` (which must exist)."""
    rng = np.random.default_rng(seed)
    grid = demo_grid()
    data = out / "data"
    tags = {"source": SYNTHETIC, "licence": LICENCE, "synthetic": "true"}

    dem, routing = synth_dem(grid.shape, grid.transform, rng)
    slope = slope_pct(dem, CELL_M)
    geo = climate.geographic_grid(grid, CLIMATE_CELL_DEG)
    elev_geo = climate.sample_on_geographic(dem, grid, geo, smooth_cells=15)
    annual_geo = climate.annual_rain_mm(elev_geo, rng)
    rain_geo = climate.monthly_rain_mm(annual_geo)
    tmin_geo, tmax_geo = climate.monthly_temperature_c(elev_geo)
    wgs84 = CRS.from_epsg(4326)
    months = [f"{m:02d}" for m in range(1, 13)]
    write_cog(
        data / "rainfall_monthly.tif",
        rain_geo,
        wgs84,
        geo.transform,
        -9999.0,
        {**tags, "units": "mm/month"},
        months,
    )
    write_cog(
        data / "tmin_monthly.tif",
        tmin_geo,
        wgs84,
        geo.transform,
        -9999.0,
        {**tags, "units": "degC"},
        months,
    )
    write_cog(
        data / "tmax_monthly.tif",
        tmax_geo,
        wgs84,
        geo.transform,
        -9999.0,
        {**tags, "units": "degC"},
        months,
    )
    for name, values in climate.future_files(rain_geo, tmin_geo, tmax_geo).items():
        write_cog(data / "futures" / name, values, wgs84, geo.transform, -9999.0, tags, months)
    write_cog(data / "dem.tif", dem, grid.crs, grid.transform, -9999.0, {**tags, "units": "m"})

    # annual rain on the working grid, for placing land use and sites
    rain_work = _annual_on_work_grid(annual_geo, geo, grid)
    terrain = landscape.Terrain(dem, slope, routing.acc_cells, rain_work, grid.transform)
    towns_rc = landscape.place_towns(terrain, rng, count=6, min_spacing_cells=260)
    towns_xy = np.array([grid.transform @ (c + 0.5, r + 0.5) for r, c in towns_rc])
    roads = landscape.road_network(towns_xy, grid.bounds, rng)
    road_mask = landscape.rasterize_lines(roads, grid.shape, grid.transform)
    lu = landscape.land_use(terrain, towns_rc, road_mask, rng)
    su = landscape.soils(terrain, rng)
    write_cog(data / "land_use.tif", lu, grid.crs, grid.transform, 0, tags)
    write_cog(data / "soil_units.tif", su, grid.crs, grid.transform, 0, tags)
    write_csv(LAND_USE_CLASSES, data / "land_use_classes.csv")
    write_csv(SOIL_CLASSES, data / "soil_classes.csv")

    labels = delineate_subbasins(routing, target_count=14, min_cells=int(12e6 / CELL_M**2))
    write_vector(watershed_polygons(labels, grid, rng).to_crs(wgs84), data / "watersheds.geojson")
    comm = people.communities(grid.bounds, grid.crs, target=110, rng=rng)
    comm = people.add_population(comm, lu, grid.transform, rng)
    write_vector(comm, data / "communities.gpkg", layer="communities")
    road_gdf = gpd.GeoDataFrame(
        {"road_id": [f"R{i + 1:02d}" for i in range(len(roads))], "class": "secondary"},
        geometry=roads,
        crs=grid.crs,
    )
    write_vector(road_gdf, data / "roads.gpkg", layer="roads")
    write_vector(forest_reserve(dem, grid).to_crs(wgs84), data / "protected_areas.geojson")
    sites = people.project_sites(terrain, lu, towns_rc, count=45, rng=rng)
    pts = gpd.GeoSeries(gpd.points_from_xy(sites.pop("x"), sites.pop("y")), crs=grid.crs).to_crs(
        wgs84
    )
    sites.insert(2, "lon", pts.x.round(6))
    sites.insert(3, "lat", pts.y.round(6))
    write_csv(pd.DataFrame(sites), data / "project_sites.csv")
    profiles = (Path(__file__).with_name("interventions.toml")).read_text(encoding="utf-8")
    write_text(out / "region.toml", region_toml(seed) + "\n" + profiles)
    write_text(
        out / "README.md",
        "# Demo region (synthetic)\n\nWritten by `landwater demo`. Every layer is synthetic.\n",
    )


def _annual_on_work_grid(annual_geo: np.ndarray, geo: climate.GeoGrid, grid: Grid) -> np.ndarray:
    from rasterio.enums import Resampling
    from rasterio.warp import reproject

    out = np.zeros(grid.shape, dtype=np.float32)
    reproject(
        annual_geo.astype(np.float32),
        out,
        src_transform=geo.transform,
        src_crs="EPSG:4326",
        dst_transform=grid.transform,
        dst_crs=grid.crs.to_wkt(),
        resampling=Resampling.bilinear,
    )
    return out


def generate_demo(out: str | Path, seed: int = 42, force: bool = False) -> Path:
    """Write the demo region to ``out``, atomically.

    The region is built in a temporary folder beside ``out`` and moved into place only when
    complete, so an interrupted run leaves nothing half-written.

    Parameters
    ----------
    out : str or Path
        Target folder; must not hold a region unless ``force``.
    seed : int
        Random seed; the same seed gives the same region.
    force : bool
        Replace an existing region.

    Returns
    -------
    Path
        The region folder.

    Raises
    ------
    FileExistsError
        When ``out`` is not empty and ``force`` is false.

    """
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()) and not force:
        raise FileExistsError(
            f"{out} is not empty; choose another --out or pass --force to replace it"
        )
    return replace_folder(out, lambda tmp: build_demo(tmp, seed))
