"""``landwater init``: build a region folder from raw files.

Every raster is reprojected onto one working grid (the chosen CRS or the UTM zone of the
area, chosen cell size) covering the communities (or the DEM, or the watersheds) and the
outlets' catchments plus a margin, and written as a COG under ``REGION/data/``; outlet
catchments are delineated on the DEM's own grid first (:mod:`layers.build.outlets`);
vectors are reprojected and written as GeoPackages; class
tables come from a known product or the user's tables; ``region.toml`` is written last and
the folder is validated. The folder is built beside the target and moved into place only
when it validates, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
import tomlkit
from pyproj import CRS
from pyproj.exceptions import CRSError

from layers.align import align_to_grid
from layers.build.daily_rain import write_daily_rain
from layers.build.delineation import (
    MAX_HEXAGONS,
    hex_count,
    hex_grid,
    label_polygons,
    route_with_streams,
    subbasins,
)
from layers.build.init_plan import plan_lines, report_text
from layers.build.init_spec import (
    MONTHLY_ROLES,
    InitError,
    InitSpec,
    _daily,
    _monthly,
)
from layers.build.monthly_layer import write_monthly
from layers.build.outlets import OutletCatchments, delineate_outlets
from layers.build.per_layer import apply_provenance, for_layer
from layers.build.starter_profiles import starter_profiles
from layers.build.station_daily import write_station_days
from layers.errors import Problem
from layers.futures import future_climates, reference_climate
from layers.grid import Grid, grid_for_bounds, transform_bounds, utm_crs_for
from layers.io import (
    band_metadata,
    raster_info,
    read_vector,
    write_cog,
    write_csv,
    write_text,
    write_vector,
)
from layers.memory import ENV_LIMIT, available_bytes
from layers.products import PRODUCT_NODATA, complete_class_table, product_table
from layers.soil_tables import swat_soil_table
from layers.stations import WET_DAY_MM, StationSeries, read_stations, station_field
from layers.validate import has_errors, validate_region

# the watershed id the region keeps, and the fields read as it (InVEST's ws_id, subws_id)
WS_ID = "ws_id"
WATERSHED_ID_NAMES = ("ws_id", "subws_id", "name", "id", "basin_id", "hybas_id")
REPORT_NAME = "init-report.md"
LON_NAMES = ("lon", "longitude", "long", "lng", "long_wgs84", "longitude_wp", "x")
LAT_NAMES = ("lat", "latitude", "lat_wgs84", "latitude_wp", "y")


Say = Callable[[str], None]

# bytes per working-grid cell that init holds at once: the DEM as float64 and the routing
# grids of the watersheds (flow direction, accumulation, catchment labels), a dozen arrays
INIT_BYTES_PER_CELL = 96
INIT_SHARE_OF_AVAILABLE = 0.8


def check_size(spec: InitSpec, grid: Grid, available: int | None = None) -> None:
    """Refuse, before anything is written, a grid or a hexagon grid too large to build.

    Raises
    ------
    InitError
        The working grid would not fit in memory, or the hexagons would be too many.
    """
    cells = grid.width * grid.height
    need = cells * INIT_BYTES_PER_CELL
    have = available_bytes() if available is None else available
    if need > INIT_SHARE_OF_AVAILABLE * have:
        raise InitError(
            f"--resolution-m {spec.resolution_m:g}: the working grid would have {cells:,} cells"
            f" ({grid.width:,} x {grid.height:,}), about {need / 2**30:,.1f} GB to build, and"
            f" {have / 2**30:.1f} GB is available; use a coarser --resolution-m (default 30)"
            f" (set {ENV_LIMIT} to override the available memory)"
        )
    if spec.communities is None and spec.hex_size_km is not None:
        count = hex_count(grid.bounds, spec.hex_size_km)
        if count > MAX_HEXAGONS:
            raise InitError(
                f"--hex-size-km {spec.hex_size_km:g}: about {count:,.0f} hexagons over the area,"
                f" more than {MAX_HEXAGONS:,}; use larger hexagons (e.g. --hex-size-km 2)"
            )


def _exists(path: Path | None, option: str) -> None:
    if path is not None and not Path(path).exists():
        raise InitError(f"{option} {path}: file not found; check the path")


def _check(spec: InitSpec) -> None:
    for option in ("dem", "land_use", "stations", "rain_days", "communities", "outlets", "area"):
        _exists(getattr(spec, option), f"--{option.replace('_', '-')}")
    for option in ("streams", "soil", "soil_table", "swat_soil_lookup", "swat_usersoil", "sites"):
        _exists(getattr(spec, option), f"--{option.replace('_', '-')}")
    for p in [*spec.land_use_table, *spec.watersheds]:
        _exists(p, "file")
    if spec.land_use is None and spec.land_use_class is None:
        raise InitError("no land use: give --land-use RASTER or --land-use-class CODE")
    if spec.land_use_product is None and not spec.land_use_table:
        raise InitError(
            "no land-use class table: give --land-use-product worldcover|lc100|generic"
            " or --land-use-table CSV"
        )
    if spec.rainfall is None and spec.rainfall_daily is None and spec.stations is None:
        raise InitError(
            "no rainfall: give --rainfall FILES, --rainfall-daily FILES or --stations TABLE"
        )
    if spec.rainfall is not None and spec.rainfall_daily is not None:
        raise InitError(
            "give --rainfall or --rainfall-daily, not both (the monthly rain is the daily sums)"
        )
    if spec.communities is None and spec.hex_size_km is None:
        raise InitError("no communities: give --communities FILE or --hex-size-km SIZE")
    if spec.outlets is not None and spec.dem is None:
        raise InitError("--outlets needs --dem to delineate the watersheds")
    if (spec.swat_soil_lookup is None) != (spec.swat_usersoil is None):
        raise InitError("SWAT soils need both --swat-soil-lookup and --swat-usersoil")
    _check_futures(spec)


def _check_futures(spec: InitSpec) -> None:
    """Every ``--future`` set and the ``--future-reference`` read by their names, or say why."""
    if spec.future_reference is not None and not spec.future:
        raise InitError("--future-reference needs --future (the future climatologies)")
    try:
        for f in spec.future:
            future_climates(f)
        if spec.future_reference is not None:
            reference_climate(spec.future_reference)
    except ValueError as exc:
        raise InitError(f"--future: {exc}") from exc


def _futures(spec: InitSpec) -> list[dict[str, str]]:
    """``[[futures]]`` tables naming the user's files where they are (never copied)."""
    ref = str(Path(spec.future_reference).absolute()) if spec.future_reference else None
    return [
        {"path": str(Path(f).absolute()), **({"reference": ref} if ref else {})}
        for f in spec.future
    ]


def _extent_lonlat(spec: InitSpec) -> tuple[float, float, float, float]:
    """The area to cover, lon/lat.

    The communities, else the ``area`` polygons, else the DEM, the land use, the first
    rainfall or ET0 raster, else the watersheds.
    """
    for polygons in (spec.communities, spec.area):
        if polygons is not None:
            w, s, e, n = read_vector(polygons).to_crs(4326).total_bounds
            return float(w), float(s), float(e), float(n)
    rasters: list[Path | None] = [spec.dem, spec.land_use]
    for role in ("rainfall", "et0"):
        if getattr(spec, role) is not None:
            src = _monthly(spec, role)
            if src.crs is not None:  # a CF NetCDF on longitude and latitude
                w, s, e, n = band_metadata(src.paths[0]).bounds
                return float(w), float(s), float(e), float(n)
            rasters.append(src.paths[0])
    if spec.rainfall_daily is not None:
        rasters.append(_daily(spec.rainfall_daily).bands[0][0])
    source = next((r for r in rasters if r is not None), None)
    if source is None:
        if not spec.watersheds:
            raise InitError("nothing gives the region an extent: add --communities or --dem")
        frames = [read_vector(p).to_crs(4326) for p in spec.watersheds]
        w, s, e, n = pd.concat(frames).total_bounds
        return float(w), float(s), float(e), float(n)
    info = raster_info(source)
    if info.crs is None:
        raise InitError(f"{source}: raster has no CRS; assign one with gdal_edit.py -a_srs")
    return transform_bounds(info.bounds, CRS.from_user_input(info.crs), CRS.from_epsg(4326))


def working_crs(spec: InitSpec) -> CRS:
    """The region's CRS: ``spec.crs`` when given (projected, metres), else the UTM zone."""
    if spec.crs is None:
        w, s, e, n = _extent_lonlat(spec)
        return utm_crs_for((w + e) / 2, (s + n) / 2)
    try:
        crs = CRS.from_user_input(spec.crs)
    except CRSError as exc:
        raise InitError(
            f"--crs {spec.crs}: not a known CRS; give an EPSG code such as EPSG:32637"
        ) from exc
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in ("metre", "meter"):
        raise InitError(
            f"--crs {spec.crs}: the working CRS must be projected in metres (got"
            f" {'geographic' if crs.is_geographic else unit or 'no unit'}); give a UTM zone"
            " such as EPSG:32637, or leave --crs out for the UTM zone of the area"
        )
    return crs


def working_grid(
    spec: InitSpec, crs: CRS, cover: tuple[float, float, float, float] | None = None
) -> Grid:
    """The grid of the area in ``crs`` at ``resolution_m`` with ``margin_m``.

    ``cover`` (bounds in ``crs``, e.g. the outlets' catchments) is added to the area.
    """
    bounds = transform_bounds(_extent_lonlat(spec), CRS.from_epsg(4326), crs)
    if cover is not None:
        bounds = (
            min(bounds[0], cover[0]),
            min(bounds[1], cover[1]),
            max(bounds[2], cover[2]),
            max(bounds[3], cover[3]),
        )
    margin = spec.margin_m if spec.communities or spec.area else 0.0
    return grid_for_bounds(bounds, crs, spec.resolution_m, margin)


def _station_layers(
    spec: InitSpec, grid: Grid, data: Path, dem: np.ndarray | None, say: Say
) -> tuple[dict[str, dict[str, Any]], list[StationSeries]]:
    assert spec.stations is not None
    try:
        stations = read_stations(spec.stations)
    except ValueError as exc:
        raise InitError(str(exc)) from exc
    for st in stations:
        for gap in st.gaps:
            say(f"gap: {gap}")
    spans = [
        (s.index[0], s.index[-1])
        for st in stations
        for s in (st.rain_mm, st.tmin_c, st.tmax_c)
        if s is not None
    ]
    if spec.period:
        lo, hi = (pd.Timestamp(f"{p}-01") for p in spec.period.split(":"))
    else:
        lo, hi = max(a for a, _ in spans), min(b for _, b in spans)
        lo = pd.Timestamp(year=lo.year + (lo.month > 1), month=1, day=1)
        hi = pd.Timestamp(year=hi.year - (hi.month < 12), month=12, day=1)
    months = pd.date_range(lo, hi, freq="MS")
    if len(months) < 12 or len(months) % 12:
        raise InitError(f"--period {spec.period}: give whole years, January to December")
    layers: dict[str, dict[str, Any]] = {}
    names = ", ".join(st.station_id for st in stations)
    for role, variable, units in (
        ("rainfall", "rain_mm", "mm/month"),
        ("tmin", "tmin_c", "degC"),
        ("tmax", "tmax_c", "degC"),
    ):
        if role == "rainfall" and (spec.rainfall or spec.rainfall_daily) is not None:
            continue
        if not any(getattr(st, variable) is not None for st in stations):
            continue
        daily = None
        try:
            if role == "rainfall":
                daily = write_station_days(spec.stations, stations, months, grid, data, say)
            # with daily rain, the monthly rain is the sum of the days the curve number sees
            have = (
                stations
                if daily is None
                else [replace(st, rain_mm=daily[1].get(st.station_id)) for st in stations]
            )
            field = station_field(grid, have, variable, months, dem)
        except ValueError as exc:
            raise InitError(f"{spec.stations}: {exc}") from exc
        write_cog(data / f"{role}.tif", field, grid.crs, grid.transform, float("nan"))
        method = "uniform" if len(stations) == 1 else "inverse-distance weighted"
        lapse = "" if role == "rainfall" else ", lapse rate -6.5 degC/km on the DEM"
        layers[role] = {
            "path": f"data/{role}.tif",
            "units": units,
            "kind": "series",
            "start": f"{months[0]:%Y-%m}",
            "source": f"stations {names} ({method}{lapse})",
        }
        if daily is not None:
            layers[role]["daily"] = daily[0]
    return layers, stations


def _rain_days(spec: InitSpec, stations: list[StationSeries], say: Say) -> list[float] | None:
    """Rain events per calendar month.

    The user's table, else the wet days of daily station rain (over ``--period`` when
    given), else none (the default is kept).
    """
    if spec.rain_days is not None:
        table = pd.read_csv(spec.rain_days)
        cols = [c for c in table.columns if str(c).lower() in ("events", "rain_days", "days")]
        if len(table) != 12 or not cols:
            raise InitError(f"{spec.rain_days}: needs 12 rows with a column 'events' (Jan..Dec)")
        return [float(max(v, 1.0)) for v in table[cols[0]]]
    series = [st.wet_days for st in stations if st.wet_days is not None]
    if not series:
        return None
    if spec.period:
        lo, hi = (pd.Timestamp(f"{p}-01") for p in spec.period.split(":"))
        series = [s[(s.index >= lo) & (s.index <= hi)] for s in series]
    wet = pd.concat(series)
    by_month = wet.groupby(pd.DatetimeIndex(wet.index).month).mean().reindex(range(1, 13))
    if by_month.isna().any():
        return None
    days = [round(float(max(v, 1.0)), 1) for v in by_month]
    say(
        f"rain events per month from the stations' daily rain (days with at least {WET_DAY_MM:g}"
        f" mm): {', '.join(f'{d:g}' for d in days)}"
    )
    return days


def _watersheds(
    spec: InitSpec,
    grid: Grid,
    data: Path,
    dem: np.ndarray | None,
    catchments: OutletCatchments | None,
    say: Say,
) -> dict[str, Any] | None:
    if spec.watersheds:
        frames = []
        for path in spec.watersheds:
            gdf = read_vector(path).to_crs(grid.crs)
            lower = {str(c).lower(): c for c in gdf.columns}
            field = spec.watershed_id_field or next(
                (lower[c] for c in WATERSHED_ID_NAMES if c in lower), None
            )
            if field is None or field not in gdf.columns:
                cols = [c for c in gdf.columns if c != gdf.geometry.name]
                raise InitError(
                    f"{path}: no watershed id column; give --watershed-id-field, one of {cols}"
                )
            if field != WS_ID and WS_ID in gdf.columns:  # the file's own ws_id is kept aside
                kept = _free_name(f"src_{WS_ID}", gdf.columns)
                say(f"watersheds: {path.name} has a '{WS_ID}' field too; kept as '{kept}'")
                gdf = gdf.rename(columns={WS_ID: kept})
            frames.append(gdf.rename(columns={field: WS_ID}))
        ws = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=grid.crs)
        ws[WS_ID] = ws[WS_ID].astype(str)
        area = shapely.box(*grid.bounds)
        ws["geometry"] = ws.geometry.make_valid().intersection(area)
        ws = ws[~ws.geometry.is_empty]
        if ws.empty:
            raise InitError("no watershed overlaps the region's extent")
        write_vector(ws, data / "watersheds.gpkg", layer="watersheds")
        return {"path": "data/watersheds.gpkg", "id_field": WS_ID}
    if catchments is not None:
        write_vector(catchments.polygons, data / "watersheds.gpkg", layer="watersheds")
        report = data.parent / "delineation" / "outlets.csv"
        report.parent.mkdir()
        write_csv(catchments.table(), report)
        burned = " (streams burned in)" if spec.streams is not None else ""
        return {
            "path": "data/watersheds.gpkg",
            "id_field": "id",
            "source": (
                f"delineated with pysheds on {catchments.dem.name} at its own grid"
                f" ({catchments.grid_text()}){burned}: catchments of the outlets in"
                f" {spec.outlets.name if spec.outlets else 'the outlet file'}, snapped within"
                f" {spec.snap_m:g} m; snap report in delineation/outlets.csv"
            ),
        }
    if dem is None:
        return None
    streams = None
    if spec.streams is not None:
        streams = read_vector(spec.streams).to_crs(grid.crs).geometry
    routing = route_with_streams(dem, grid.transform, streams)
    labels = subbasins(routing, grid.cell_area_m2, spec.min_watershed_km2)
    how = f"sub-basins of at least {spec.min_watershed_km2} km2"
    ws = label_polygons(labels, grid.transform, grid.crs)
    burned = " (streams burned in)" if streams is not None else ""
    say(f"{len(ws)} watershed(s) delineated from the DEM with pysheds: {how}{burned}")
    for _, row in ws.iterrows():
        say(f"  {row['id']}: {row['area_km2']:.2f} km2")
    write_vector(ws, data / "watersheds.gpkg", layer="watersheds")
    return {
        "path": "data/watersheds.gpkg",
        "id_field": "id",
        "source": f"delineated from the DEM with pysheds: {how}{burned}",
    }


def _free_name(name: str, taken: Any) -> str:
    """``name``, or ``name_2``, ``name_3``, ... the first not in ``taken``."""
    used = {str(c) for c in taken}
    candidate, i = name, 1
    while candidate in used:
        i += 1
        candidate = f"{name}_{i}"
    return candidate


def _outlet_catchments(spec: InitSpec, crs: CRS, say: Say) -> OutletCatchments | None:
    """Catchments of ``--outlets`` on the DEM's own grid, with the snap report said."""
    if spec.outlets is None or spec.watersheds:
        return None
    assert spec.dem is not None
    points = _read_points(spec.outlets, "outlets", say)
    if points.empty:
        raise InitError(f"--outlets {spec.outlets}: no point with valid coordinates")
    if not (points.geometry.geom_type == "Point").all():
        raise InitError(f"--outlets {spec.outlets}: give points (one per outlet)")
    streams = read_vector(spec.streams).geometry if spec.streams is not None else None
    try:
        found = delineate_outlets(spec.dem, points, crs, spec.snap_m, streams)
    except ValueError as exc:
        raise InitError(f"--outlets {spec.outlets}: {exc}") from exc
    burned = " (streams burned in)" if streams is not None else ""
    say(
        f"{len(found.polygons)} watershed(s) delineated with pysheds on {spec.dem.name}"
        f" at its own grid ({found.grid_text()}){burned}: catchments of the outlets"
    )
    for line in found.lines():
        say(line)
    for _, row in found.polygons.iterrows():
        say(f"  {row['id']}: {row['area_km2']:.2f} km2")
    return found


def _communities(
    spec: InitSpec, grid: Grid, data: Path, ws: gpd.GeoDataFrame | None
) -> dict[str, Any]:
    if spec.communities is not None:
        gdf = read_vector(spec.communities).to_crs(grid.crs)
        kinds = sorted(set(gdf.geom_type.dropna()))
        if not {"Polygon", "MultiPolygon"} & set(kinds):
            raise InitError(
                f"{spec.communities}: no polygon features (found {', '.join(kinds) or 'none'});"
                " give one polygon feature per community, with an id field"
            )
        if not [c for c in gdf.columns if c != "geometry"]:
            raise InitError(
                f"{spec.communities}: the features have no attributes, so no community ids;"
                " add an id field (e.g. in QGIS) or use --hex-size-km instead"
            )
        id_field = spec.id_field or next(
            (c for c in gdf.columns if str(c).lower() in ("id", "code", "community_id")), None
        )
        if id_field is None or id_field not in gdf.columns:
            cols = [c for c in gdf.columns if c != "geometry"]
            raise InitError(f"{spec.communities}: give --id-field, one of {cols}")
        write_vector(gdf, data / "communities.gpkg", layer="communities")
        cfg = {"path": "data/communities.gpkg", "id_field": id_field}
        if spec.name_field:
            cfg["name_field"] = spec.name_field
        return cfg
    assert spec.hex_size_km is not None
    area = shapely.box(*grid.bounds)
    if spec.area is not None:
        area = read_vector(spec.area).to_crs(grid.crs).geometry.make_valid().union_all()
    if ws is not None and len(ws):
        area = area.intersection(ws.geometry.union_all())
    hexes = hex_grid(area, spec.hex_size_km, grid.crs)
    if hexes.empty:
        raise InitError(f"--hex-size-km {spec.hex_size_km}: no hexagon fits the area")
    write_vector(hexes, data / "communities.gpkg", layer="communities")
    return {
        "path": "data/communities.gpkg",
        "id_field": "id",
        "name_field": "name",
        "source": f"regular hexagon grid, {spec.hex_size_km} km across",
    }


def _read_points(path: Path, role: str, say: Say) -> gpd.GeoDataFrame:
    """Points from a vector file, or from a CSV with longitude/latitude columns (WGS84)."""
    if path.suffix.lower() != ".csv":
        return read_vector(path)
    try:
        df = pd.read_csv(path, low_memory=False)
    except UnicodeDecodeError:
        df = pd.read_csv(path, low_memory=False, encoding="latin-1")
    lower = {str(c).lower(): c for c in df.columns}
    lon = next((lower[k] for k in LON_NAMES if k in lower), None)
    lat = next((lower[k] for k in LAT_NAMES if k in lower), None)
    if lon is None or lat is None:
        raise InitError(f"{path}: no longitude/latitude columns; columns are {list(df.columns)}")
    x, y = pd.to_numeric(df[lon], errors="coerce"), pd.to_numeric(df[lat], errors="coerce")
    bad = ~(x.between(-180, 180) & y.between(-90, 90))
    if bad.any():
        say(f"{role}: {int(bad.sum())} row(s) without valid lon/lat dropped")
    df = df[~bad]
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(x[~bad], y[~bad]), crs=4326)


def _sites(spec: InitSpec, grid: Grid, data: Path, say: Say) -> dict[str, Any] | None:
    if spec.sites is None:
        return None
    path = spec.sites
    gdf = _read_points(path, "sites", say)
    gdf = gdf.to_crs(grid.crs)
    inside = gdf.within(shapely.box(*grid.bounds))
    if not inside.all():
        say(f"sites: {int((~inside).sum())} of {len(gdf)} outside the region's extent dropped")
    gdf = gdf[inside].copy()
    if gdf.empty:
        say("sites: none inside the region; no project-site layer written")
        return None
    lower = {str(c).lower(): c for c in gdf.columns}

    def pick(names: tuple[str, ...]) -> str | None:
        return next((lower[k] for k in names if k in lower), None)

    ident = pick(("site_id", "id", "pumpid", "wpdx_id"))
    name = pick(("name", "description", "station"))
    kind = pick(("type", "wptype", "site_type"))
    status = pick(("status", "functional3"))
    used = {ident, name, kind, status, gdf.geometry.name}
    out = pd.DataFrame(
        {
            "site_id": gdf[ident].astype(str) if ident else [f"S{i + 1}" for i in range(len(gdf))],
            "name": gdf[name].astype(str) if name else None,
            "type": gdf[kind].astype(str) if kind else "water point",
            "status": gdf[status].astype(str) if status else "unknown",
        },
        index=gdf.index,
    )
    if name is None:
        out["name"] = out["site_id"]
    extra = gdf[[c for c in gdf.columns if c not in used]].add_prefix("src_")
    gdf = gpd.GeoDataFrame(pd.concat([out, extra], axis=1), geometry=gdf.geometry, crs=gdf.crs)
    write_vector(gdf, data / "project_sites.gpkg", layer="project_sites")
    return {"path": "data/project_sites.gpkg"}


def _class_tables(spec: InitSpec, region: Path, say: Say) -> dict[str, Any]:
    if spec.land_use_product is not None:
        table = product_table(spec.land_use_product)
    else:
        try:
            completed = complete_class_table([pd.read_csv(p) for p in spec.land_use_table])
        except ValueError as exc:
            names = ", ".join(str(p) for p in spec.land_use_table)
            raise InitError(f"--land-use-table {names}: {exc}") from exc
        table = completed.table
        for line in completed.filled:
            say(f"land-use table: filled {line}")
    write_csv(table, region / "land_use_classes.csv")
    return {"class_table": "land_use_classes.csv"}


def _soil(spec: InitSpec, grid: Grid, region: Path, data: Path) -> dict[str, Any] | None:
    if spec.soil is None:
        return None
    if spec.swat_soil_lookup is not None and spec.swat_usersoil is not None:
        try:
            table = swat_soil_table(
                pd.read_csv(spec.swat_soil_lookup), pd.read_csv(spec.swat_usersoil)
            )
        except ValueError as exc:
            raise InitError(f"{spec.swat_usersoil}: {exc}") from exc
    elif spec.soil_table is not None:
        table = pd.read_csv(spec.soil_table)
    else:
        raise InitError("--soil needs --soil-table or --swat-soil-lookup with --swat-usersoil")
    write_csv(table, region / "soil_classes.csv")
    align_to_grid([spec.soil], grid, categorical=True, cache_file=data / "soil.tif")
    return {"path": "data/soil.tif", "class_table": "soil_classes.csv"}


def build_region(
    spec: InitSpec, out_dir: str | Path, force: bool = False, say: Say = print
) -> list[Problem]:
    """Build the region folder ``out_dir`` from ``spec``; return validation warnings.

    Raises
    ------
    InitError
        Bad input (naming the file or option and the fix), or a region that does not
        validate (listing every error); ``out_dir`` is then left as it was.
    """
    _check(spec)
    out = Path(out_dir).resolve()
    if out.exists() and any(out.iterdir()) and not force:
        raise InitError(f"{out} is not empty; choose a new folder or pass --force")
    crs = working_crs(spec)
    catchments = _outlet_catchments(spec, crs, say)
    cover = None
    if catchments is not None:
        w, s, e, n = (float(v) for v in catchments.polygons.total_bounds)
        cover = (w, s, e, n)
    grid = working_grid(spec, crs, cover)
    check_size(spec, grid)
    say(
        f"working grid: {grid.crs.to_string()}, {grid.res_m:g} m,"
        f" {grid.width} x {grid.height} cells"
    )
    plan, _ = plan_lines(spec, grid)
    said: list[str] = []

    def say_and_keep(line: str) -> None:
        said.append(line)
        say(line)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.init.", dir=out.parent))
    try:
        try:
            problems = _build(spec, grid, tmp, catchments, say_and_keep)
            said += [str(p) for p in problems]
            write_text(tmp / REPORT_NAME, report_text(plan, said))
        except (InitError, ValueError) as exc:  # name the region, not its build folder
            raise InitError(str(exc).replace(str(tmp), str(out))) from exc
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return problems


def plan_region(spec: InitSpec, say: Say = print) -> int:
    """``init --dry-run``: say what each input was recognised as and what would be written.

    Nothing is written and no raster is aligned. Returns the number of problems found.

    Raises
    ------
    InitError
        Options that give no region at all (no land use, no rainfall, ...).
    """
    _check(spec)
    grid = working_grid(spec, working_crs(spec))
    lines, problems = plan_lines(spec, grid)
    for line in lines:
        say(line)
    if spec.outlets is not None:
        say("(the grid grows to hold the outlets' catchments, delineated when building)")
    return len(problems)


def _build(
    spec: InitSpec, grid: Grid, region: Path, catchments: OutletCatchments | None, say: Say
) -> list[Problem]:
    data = region / "data"
    data.mkdir()
    period = None
    if spec.period:
        lo, hi = spec.period.split(":")
        period = (lo, hi)
    layers: dict[str, Any] = {}
    dem = None
    if spec.dem is not None:
        align_to_grid([spec.dem], grid, categorical=False, cache_file=data / "elevation.tif")
        layers["elevation"] = {"path": "data/elevation.tif", "units": "m"}
        with rasterio.open(data / "elevation.tif") as ds:
            dem = ds.read(1).astype(np.float64)
    lu_cfg = _class_tables(spec, region, say)
    if spec.land_use is not None:
        nodata = PRODUCT_NODATA.get(spec.land_use_product or "")
        align_to_grid(
            [spec.land_use], grid, categorical=True, cache_file=data / "land_use.tif", nodata=nodata
        )
        layers["land_use"] = {"path": "data/land_use.tif", **lu_cfg}
        if spec.land_use_product is not None:
            declared = f"{spec.land_use_product} classes (declared with --land-use-product)"
            layers["land_use"]["source"] = declared
        if nodata is not None:
            layers["land_use"]["nodata"] = nodata
    else:
        assert spec.land_use_class is not None
        codes = np.full((1, *grid.shape), spec.land_use_class, dtype=np.int16)
        write_cog(data / "land_use.tif", codes, grid.crs, grid.transform, -1)
        layers["land_use"] = {
            "path": "data/land_use.tif",
            "source": f"uniform class {spec.land_use_class} (no land-use map given)",
            **lu_cfg,
        }
    stations: list[StationSeries] = []
    if spec.stations is not None:
        station_layers, stations = _station_layers(spec, grid, data, dem, say)
        layers |= station_layers
    for role, units in MONTHLY_ROLES.items():
        if getattr(spec, role) is not None:
            try:
                layers[role] = write_monthly(
                    role, _monthly(spec, role), grid, data, units, for_layer(spec.units, role), say
                )
            except ValueError as exc:
                raise InitError(f"--{role}: {exc}") from exc
    if spec.rainfall_daily is not None:
        _daily(spec.rainfall_daily)  # a clear error for names without dates
        try:
            layers["rainfall"] = write_daily_rain(spec.rainfall_daily, period, grid, data, say)
        except ValueError as exc:
            raise InitError(f"--rainfall-daily: {exc}") from exc
    rain_start = layers.get("rainfall", {}).get("start")
    for role in ("tmin", "tmax", "et0"):
        start = layers.get(role, {}).get("start")
        if start and start != rain_start:
            say(
                f"{role}: the series starts {start}, the rainfall {rain_start or '(climatology)'};"
                f" its calendar-month means are used"
            )
    soil = _soil(spec, grid, region, data)
    if soil is not None:
        layers["soil"] = soil
    ws_cfg = _watersheds(spec, grid, data, dem, catchments, say)
    ws = gpd.read_file(data / "watersheds.gpkg") if ws_cfg else None
    if ws_cfg:
        layers["watersheds"] = ws_cfg
    layers["communities"] = _communities(spec, grid, data, ws)
    sites = _sites(spec, grid, data, say)
    if sites:
        layers["project_sites"] = sites
    apply_provenance(layers, spec.source, spec.licence, say)
    config: dict[str, Any] = {
        "region": {
            "name": spec.name,
            "description": "Built by landwater init from the user's files.",
            "crs": grid.crs.to_string(),
            "resolution_m": spec.resolution_m,
        },
        "layers": layers,
    }
    classes = pd.read_csv(region / "land_use_classes.csv")
    config["interventions"] = starter_profiles(classes, dem is not None, soil is not None)
    days = _rain_days(spec, stations, say)
    if days is not None:
        config["water_balance"] = {"rain_days": days}
    if spec.future:
        config["futures"] = _futures(spec)
    (region / "region.toml").write_text(tomlkit.dumps(config), encoding="utf-8")
    problems = validate_region(region)
    if has_errors(problems):
        listing = "\n".join(f"  {p}" for p in problems if p.severity == "error")
        raise InitError(f"the region built from these files does not validate:\n{listing}")
    return problems
