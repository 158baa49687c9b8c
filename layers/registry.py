"""Lazy access to a region's layers, aligned to its working grid and CRS.

Files are opened on first use and kept for the life of the registry object (one per
process or per request handler, never module-level state). Vectors are reprojected to the
working CRS once; rasters are aligned to the working grid once and cached as COGs.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.align import GridSource, align_to_grid
from layers.classes import read_class_table
from layers.config import (
    ClassRaster,
    ElevationLayer,
    MonthlyRaster,
    SitesLayer,
    SoilDepthLayer,
    VectorLayer,
)
from layers.daily_files import DailySource, daily_source, series_days
from layers.errors import LayerReadError
from layers.grid import Grid, grid_for_bounds, utm_crs_for
from layers.io import raster_info, read_points_csv, read_raster, read_vector
from layers.region import Region
from layers.station_days import StationDays, read_station_days

RasterRole = Literal[
    "rainfall",
    "tmin",
    "tmax",
    "et0",
    "land_use",
    "soil",
    "depth_to_root_restricting_layer",
    "elevation",
]
SOIL_DEPTH_ROLE: Final = "depth_to_root_restricting_layer"
VectorRole = Literal["communities", "watersheds", "roads", "protected_areas"]
CATEGORICAL_ROLES = {"land_use", "soil"}


def repair_geometries(
    gdf: gpd.GeoDataFrame, id_field: str | None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Repair invalid geometries with ``shapely.make_valid``, keeping polygonal parts.

    Returns
    -------
    gdf : GeoDataFrame
        A copy with valid geometries.
    repaired : list of str
        Ids (or row numbers) of the repaired features.

    """
    geoms = gdf.geometry.values
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if not invalid.any():
        return gdf, []
    out = gdf.copy()
    fixed = shapely.make_valid(geoms[invalid])
    polygonal = [
        shapely.unary_union(
            [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        )
        if g.geom_type == "GeometryCollection"
        else g
        for g in fixed
    ]
    out.loc[invalid, out.geometry.name] = polygonal
    labels = (
        gdf.loc[invalid, id_field].astype(str)
        if id_field and id_field in gdf
        else gdf.index[invalid].astype(str)
    )
    return out, list(labels)


class LayerRegistry:
    """Every layer of one region, loaded lazily.

    Parameters
    ----------
    region : Region
        A loaded region.

    """

    def __init__(self, region: Region) -> None:
        self.region = region
        self.repairs: dict[str, list[str]] = {}

    # -- vectors -------------------------------------------------------------------------
    def _vector_spec(self, role: VectorRole) -> VectorLayer:
        spec = getattr(self.region.config.layers, role)
        if spec is None:
            raise LayerReadError(
                self.region.root / "region.toml",
                f"region has no [{role}] layer",
                f"add [layers.{role}]",
            )
        return spec

    def _read_vector(self, role: VectorRole) -> gpd.GeoDataFrame:
        spec = self._vector_spec(role)
        path = self.region.resolve(spec.path)
        gdf = read_vector(path, spec.layer)
        if gdf.crs is None:
            raise LayerReadError(
                path, "layer has no CRS", "save it with a .prj / CRS (e.g. EPSG:4326)"
            )
        return gdf

    def _prepare_vector(self, role: VectorRole, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf, repaired = repair_geometries(gdf, self._vector_spec(role).id_field)
        if repaired:
            self.repairs[role] = repaired
        return gdf.to_crs(self.crs)

    @cached_property
    def _communities_raw(self) -> gpd.GeoDataFrame:
        return self._read_vector("communities")

    @cached_property
    def crs(self) -> CRS:
        """The working projected CRS: declared, else the UTM zone of the communities' centre."""
        declared = self.region.config.region.crs
        if declared:
            crs = CRS.from_user_input(declared)
            if crs.is_geographic:
                raise LayerReadError(
                    self.region.root / "region.toml",
                    f"region.crs {declared} is geographic",
                    "use a projected CRS such as a UTM zone",
                )
            return crs
        w, s, e, n = self._communities_raw.to_crs(4326).total_bounds
        return utm_crs_for((w + e) / 2, (s + n) / 2)

    @cached_property
    def communities(self) -> gpd.GeoDataFrame:
        """Community polygons in the working CRS, geometries repaired."""
        return self._prepare_vector("communities", self._communities_raw)

    @cached_property
    def watersheds(self) -> gpd.GeoDataFrame | None:
        """Watershed polygons in the working CRS, or None when the region has none."""
        if self.region.config.layers.watersheds is None:
            return None
        return self._prepare_vector("watersheds", self._read_vector("watersheds"))

    def unit_layer(self, level: str) -> tuple[gpd.GeoDataFrame, str, str | None] | None:
        """A level's polygons with all their attributes, its id field and name field.

        ``level`` is ``"communities"`` or ``"watersheds"``; None when the region has no
        such layer.
        """
        layers = self.region.config.layers
        spec = layers.communities if level == "communities" else layers.watersheds
        gdf = self.communities if level == "communities" else self.watersheds
        if gdf is None or spec is None:
            return None
        return gdf, spec.id_field, spec.name_field

    def units(self, level: str) -> gpd.GeoDataFrame | None:
        """A level's units: ``id`` and ``name`` as text, geometry in the working CRS.

        Every table and raster of the results store is keyed by these, in this order; None
        when the region has no such layer.
        """
        found = self.unit_layer(level)
        if found is None:
            return None
        gdf, id_field, name_field = found
        return gpd.GeoDataFrame(
            {
                "id": gdf[id_field].astype(str).to_numpy(),
                "name": gdf[name_field or id_field].astype(str).to_numpy(),
            },
            geometry=gdf.geometry.to_numpy(),
            crs=gdf.crs,
        )

    @cached_property
    def roads(self) -> gpd.GeoDataFrame | None:
        """Road lines in the working CRS, or None when the region has none."""
        if self.region.config.layers.roads is None:
            return None
        return self._read_vector("roads").to_crs(self.crs)

    @cached_property
    def protected_areas(self) -> gpd.GeoDataFrame | None:
        """Protected-area polygons in the working CRS (geometries repaired), or None."""
        if self.region.config.layers.protected_areas is None:
            return None
        return self._prepare_vector("protected_areas", self._read_vector("protected_areas"))

    @cached_property
    def sites(self) -> gpd.GeoDataFrame | None:
        """Project sites (points) in the working CRS, or None."""
        spec: SitesLayer | None = self.region.config.layers.project_sites
        if spec is None:
            return None
        path = self.region.resolve(spec.path)
        if path.suffix.lower() in (".csv", ".txt"):
            gdf = read_points_csv(path, spec.lon_field, spec.lat_field, spec.csv_crs, spec.encoding)
        else:
            gdf = read_vector(path, spec.layer)
        gdf = gdf[~gdf.geometry.is_empty & gdf.geometry.notna()]
        return gdf.to_crs(self.crs)

    # -- grid and rasters ----------------------------------------------------------------
    @cached_property
    def grid(self) -> Grid:
        """The working grid: communities' extent in the working CRS, snapped to the resolution."""
        cfg = self.region.config.region
        bounds = tuple(self._communities_raw.to_crs(self.crs).total_bounds)
        return grid_for_bounds(bounds, self.crs, cfg.resolution_m, cfg.margin_m)

    def _raster_spec(
        self, role: RasterRole
    ) -> MonthlyRaster | ClassRaster | ElevationLayer | SoilDepthLayer:
        spec = getattr(self.region.config.layers, role)
        if spec is None:
            raise LayerReadError(
                self.region.root / "region.toml",
                f"region has no [layers.{role}]",
                f"add [layers.{role}]",
            )
        return spec

    def has(self, role: str) -> bool:
        """Whether the region declares a layer role."""
        return getattr(self.region.config.layers, role, None) is not None

    def source(self, role: RasterRole) -> GridSource:
        """The layer's source files, class or value, nodata override and scale."""
        spec = self._raster_spec(role)
        files = spec.files if isinstance(spec, MonthlyRaster) else [spec.path]
        return GridSource(
            tuple(self.region.resolve(f) for f in files),
            role in CATEGORICAL_ROLES,
            spec.nodata,
            float(spec.scale),
        )

    def daily_rain(self) -> DailySource | None:
        """The gridded days of ``[layers.rainfall.daily]`` (None when the region has none).

        Raises
        ------
        LayerReadError
            Files that do not form consecutive days (see :func:`layers.daily_files.daily_source`).
        """
        spec = self.region.config.layers.rainfall
        if spec.daily is None or spec.daily.path is None or spec.start is None:
            return None
        first = dt.date(int(spec.start[:4]), int(spec.start[5:7]), 1)
        path = self.region.resolve(spec.daily.path)
        try:
            return daily_source(str(path), first)
        except ValueError as exc:
            fix = "see [layers.rainfall.daily] in the README"
            raise LayerReadError(path, str(exc), fix) from exc

    def station_days(self) -> StationDays | None:
        """The stations' days of ``[layers.rainfall.daily]`` over the monthly series' months.

        None when the region has no daily station rain.

        Raises
        ------
        LayerReadError
            An unreadable station table or file, or days that do not cover the series (see
            :func:`layers.station_days.read_station_days`).
        """
        spec = self.region.config.layers.rainfall
        if spec.daily is None or spec.daily.stations is None or spec.start is None:
            return None
        first = dt.date(int(spec.start[:4]), int(spec.start[5:7]), 1)
        days = series_days(first, self.band_count("rainfall"))
        path = self.region.resolve(spec.daily.stations)
        try:
            return read_station_days(path, first, days, self.crs)
        except ValueError as exc:
            fix = "see [layers.rainfall.daily] in the README"
            raise LayerReadError(path, str(exc), fix) from exc

    def band_count(self, role: RasterRole) -> int:
        """Bands of a raster layer (every file's bands: months of a monthly layer)."""
        return sum(raster_info(f).count for f in self.source(role).files)

    def aligned_path(self, role: RasterRole) -> Path:
        """Path of the layer's COG on the working grid (built on first use, then cached)."""
        spec = self._raster_spec(role)
        src = self.source(role)
        units = getattr(spec, "units", "class")
        return align_to_grid(
            list(src.files),
            self.grid,
            categorical=src.categorical,
            cache_file=self.region.cache_dir / "aligned" / f"{role}.tif",
            nodata=src.nodata,
            scale=src.scale,
            tags={"units": units, "source": spec.source, "licence": spec.licence, "layer": role},
        )

    def raster(self, role: RasterRole) -> np.ndarray:
        """Aligned pixel values, shape ``(bands, rows, cols)``.

        Continuous layers are float32 with NaN for missing data; class layers are int16
        with ``CATEGORICAL_NODATA``.
        """
        arr, _ = read_raster(self.aligned_path(role))
        return arr

    def class_table(self, role: Literal["land_use", "soil"]) -> pd.DataFrame:
        """The class table of a categorical layer, indexed by code."""
        spec = self._raster_spec(role)
        assert isinstance(spec, ClassRaster)
        return read_class_table(self.region.resolve(spec.class_table), role)
