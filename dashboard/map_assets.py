"""Map assets of a region: tile sources and the vector layers the browser downloads.

Built once per server by :class:`dashboard.service.RegionService` (cached under
``REGION/.cache/map``, named by fingerprints of their sources).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from geopandas import GeoDataFrame

from dashboard.geometry import simplify_tolerance_m, to_geobuf_gz, to_geojson_gz
from dashboard.i18n import Translate
from dashboard.map_rasters import annual_rain_cog, band_interleaved_copy, hillshade_cog, stretch
from dashboard.tiles import TileSource, hex_to_rgba
from layers.io import atomic_path, fingerprint, raster_info
from layers.region import Region
from layers.registry import LayerRegistry
from processing.crops import region_crops
from processing.glossary import term
from processing.grids import rain_calendar
from processing.output_spec import raster_tags
from processing.results_store import ResultsStore

# result rasters shown on the map: key -> (title, rio-tiler colormap)
RESULT_LAYERS = {
    "water_yield": (term("water_yield_mm_yr").label, "blues"),
    "deficit": ("Water deficit", "oranges"),
    "recharge": ("Recharge", "purples"),
    "runoff": ("Runoff", "ylgnbu"),
}


def base_tiles(reg: LayerRegistry, map_dir: Path) -> dict[str, TileSource]:
    """Tile sources of the inputs: hillshade (from the DEM), land use, rainfall.

    The hillshade and the annual rainfall are written once as COGs under ``map_dir``, and the
    monthly rainfall as a band-interleaved copy (:func:`band_interleaved_copy`).
    """
    tiles: dict[str, TileSource] = {}
    grid = reg.grid
    if reg.has("elevation"):
        dem_path = reg.aligned_path("elevation")
        shade_path = map_dir / f"hillshade.{fingerprint([dem_path])}.tif"
        if not shade_path.exists():
            hillshade_cog(dem_path, shade_path, grid)
        tiles["hillshade"] = TileSource("hillshade", shade_path, "shade")
    lu_table = reg.class_table("land_use")
    tiles["land_use"] = TileSource(
        "land_use",
        reg.aligned_path("land_use"),
        "categorical",
        classes=tuple(
            (int(c), hex_to_rgba(str(col)))
            for c, col in zip(lu_table["code"], lu_table["colour"], strict=True)
        ),
        units="class",
    )
    rain_path = reg.aligned_path("rainfall")
    annual_path = map_dir / f"rainfall_annual.{fingerprint([rain_path])}.tif"
    _, first_month = rain_calendar(reg.region.config.layers.rainfall)
    if not annual_path.exists():
        annual_rain_cog(rain_path, annual_path, grid, first_month)
    lo, hi = stretch(annual_path) or (0.0, 1.0)
    tiles["rainfall_annual"] = TileSource(
        "rainfall_annual",
        annual_path,
        "continuous",
        1,
        (float(lo), float(hi)),
        "ylgnbu",
        units="mm/yr",
    )
    monthly_path = map_dir / f"rainfall_monthly.{fingerprint([rain_path])}.tif"
    if not monthly_path.exists():
        band_interleaved_copy(rain_path, monthly_path)
    (mhi,) = stretch(rain_path, (98,)) or (1.0,)
    tiles["rainfall"] = TileSource(
        "rainfall",
        monthly_path,
        "continuous",
        raster_info(rain_path).count,
        (0.0, mhi),
        "ylgnbu",
        units="mm/month",
    )
    return tiles


def result_tiles(region: Region, results: ResultsStore) -> dict[str, TileSource]:
    """Tile sources of the result rasters: annual mm/yr, suitability and crop scores."""
    tiles: dict[str, TileSource] = {}
    for key, (_, palette) in RESULT_LAYERS.items():
        path = results.raster_path(key)
        if not path.exists():
            continue
        lo, hi = stretch(path) or (0.0, 1.0)
        units = raster_tags(path.stem)["units"]
        tiles[key] = TileSource(
            key, path, "continuous", 1, (float(lo), float(hi)), palette, units=units
        )
    for iv in region.config.interventions:
        key = f"suitability_{iv.id}"
        try:
            path = results.score_path(key)
        except KeyError:
            continue  # skipped by process (see the manifest)
        tiles[key] = TileSource(
            key, path, "continuous", 1, (0.0, 1.0), "greens", units=raster_tags(key)["units"]
        )
    for crop in region_crops(region.config):
        key = f"crop_{crop.id}"
        try:
            path = results.score_path(key)
        except KeyError:
            continue
        tiles[key] = TileSource(
            key, path, "continuous", 1, (0.0, 1.0), "greens", units=raster_tags(key)["units"]
        )
    return tiles


# vector layers drawn for context only (never clicked): roads, protected areas
CONTEXT_LAYERS = ("roads", "protected_areas")


@dataclass(frozen=True)
class GeoJsonLayers:
    """The gzipped vector files the map downloads, and the sites' types and statuses.

    ``paths`` maps a layer to its file: ``*.pbf.gz`` (geobuf) for the polygons that tile
    the region (communities, watersheds), ``*.geojson.gz`` for the others.

    ``community_ids`` lists the communities in feature order: feature ``i`` (its ``i``
    property) is ``community_ids[i]``, so the choropleth sends one class per position.
    """

    paths: dict[str, Path]
    site_types: list[str]
    site_statuses: list[str]
    community_ids: list[str]


def site_word(value: str) -> str:
    """A site type or status as words ("water_pan" -> "water pan"), the English text of ``t``."""
    return value.replace("_", " ")


def site_popup(fields: Sequence[Sequence[Any]], t: Translate = str) -> str:
    """The HTML popup of a project site: each column's name and value, escaped.

    ``fields`` holds ``[column, value, worded]`` per column of the sites' file; column names,
    and the values of worded columns (the type and status, :func:`site_word`), are in
    ``t``'s language where its catalogue has them.
    """
    rows = []
    for column, value, worded in fields:
        name = str(column)
        # a snake_case name as words ("site_id" -> "Site id"); any other name as the file has it
        label = t(name.replace("_", " ").capitalize() if name.isidentifier() else name)
        shown = t(site_word(str(value))) if worded else str(value)
        rows.append(f"<b>{escape(label)}</b>: {escape(shown)}")
    return "<br>".join(rows)


def geojson_layers(reg: LayerRegistry, map_dir: Path) -> GeoJsonLayers:
    """Write (or reuse) the communities, watersheds, sites and context layers under ``map_dir``.

    Communities and watersheds are written as geobuf, simplified as a coverage
    (:func:`dashboard.geometry.to_geobuf_gz`); sites and context layers as GeoJSON.

    The ``tooltip`` and ``popup`` properties are HTML (Leaflet's ``bindTooltip`` and
    ``bindPopup`` render them as such): every text of the data in them is escaped here.
    """
    layers = reg.region.config.layers
    paths: dict[str, Path] = {}
    types: list[str] = []
    statuses: list[str] = []
    comm = reg.communities.copy()
    cspec = layers.communities
    comm["id"] = comm[cspec.id_field].astype(str)
    comm["name"] = comm[cspec.name_field].astype(str) if cspec.name_field else comm["id"]
    comm["area_ha"] = (comm.geometry.area / 1e4).round(1)
    comm["tooltip"] = comm["name"].map(escape)
    comm["i"] = np.arange(len(comm))
    tolerance = simplify_tolerance_m(comm)
    paths["communities"] = _write_geojson(
        reg, map_dir, "communities", comm, ["id", "i", "name", "area_ha", "tooltip"], tolerance
    )
    ws = reg.watersheds
    if ws is not None and layers.watersheds is not None:
        ws = ws.copy()
        wspec = layers.watersheds
        ws["id"] = ws[wspec.id_field].astype(str)
        ws["name"] = ws[wspec.name_field].astype(str) if wspec.name_field else ws["id"]
        ws["tooltip"] = ws["name"].map(escape)
        paths["watersheds"] = _write_geojson(
            reg, map_dir, "watersheds", ws, ["id", "name", "tooltip"], simplify_tolerance_m(ws)
        )
    for role in CONTEXT_LAYERS:
        spec = getattr(layers, role)
        gdf = getattr(reg, role)
        if spec is None or gdf is None:
            continue
        ctx = gdf.copy()
        ctx["id"] = ctx[spec.id_field].astype(str)
        named = spec.name_field is not None and spec.name_field in ctx
        ctx["name"] = ctx[spec.name_field].astype(str) if named else ctx["id"]
        paths[role] = _write_geojson(reg, map_dir, role, ctx, ["id", "name"], None)
    sites = reg.sites
    if sites is not None and layers.project_sites is not None:
        s = sites.copy()
        sspec = layers.project_sites
        cols = [c for c in s.columns if c != s.geometry.name]
        worded = {sspec.type_field, sspec.status_field}
        s["fields"] = [
            [[str(c), row[c], int(c in worded)] for c in cols]
            for _, row in s[cols].astype(str).iterrows()
        ]
        s["popup"] = [site_popup(fields) for fields in s["fields"]]
        s["type"] = s[sspec.type_field].astype(str) if sspec.type_field in s else "site"
        has_status = sspec.status_field is not None and sspec.status_field in s
        s["status"] = s[sspec.status_field].astype(str) if has_status else "unknown"
        s["tooltip"] = (
            s[sspec.name_field].astype(str)
            if sspec.name_field and sspec.name_field in s
            else s["type"]
        ).map(escape)
        paths["sites"] = _write_geojson(
            reg, map_dir, "sites", s, ["type", "status", "fields", "popup", "tooltip"], None
        )
        types = sorted(s["type"].unique().tolist())
        statuses = sorted(s["status"].unique().tolist())
    return GeoJsonLayers(paths, types, statuses, comm["id"].tolist())


def _write_geojson(
    reg: LayerRegistry,
    map_dir: Path,
    name: str,
    gdf: GeoDataFrame,
    props: list[str],
    tolerance: float | None,
) -> Path:
    """One layer's file, named by a fingerprint of its source (rebuilt when it changes).

    With a ``tolerance`` the layer is polygons tiling the region, written as geobuf;
    without, GeoJSON.
    """
    spec = getattr(reg.region.config.layers, "project_sites" if name == "sites" else name)
    key = fingerprint([reg.region.resolve(spec.path)], extra=f"{props}|{tolerance}|escaped")
    suffix = "geojson" if tolerance is None else "pbf"
    path = map_dir / f"{name}.{key}.{suffix}.gz"
    if not path.exists():
        if tolerance is None:
            body = to_geojson_gz(gdf, props)
        else:
            body = to_geobuf_gz(gdf, props, tolerance)
        with atomic_path(path) as tmp:
            tmp.write_bytes(body)
    return path
