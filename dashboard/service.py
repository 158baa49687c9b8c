"""The dashboard's view of one region: its results tables, profiles, metadata and tiles.

The map assets themselves are built by :mod:`dashboard.map_assets`.

One :class:`RegionService` is built per app by :func:`dashboard.app.create_app`; callbacks
and routes receive it instead of reaching for globals.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import orjson
import pandas as pd
from pyproj import Transformer

from dashboard.i18n import translator
from dashboard.map_assets import (
    RESULT_LAYERS,
    base_tiles,
    geojson_layers,
    result_tiles,
    site_popup,
)
from dashboard.profile import ProfileData
from dashboard.tiles import TileSource, cached_renderer
from layers.classes import class_key
from layers.region import Region, load_region
from layers.registry import LayerRegistry
from processing.clip import layer_ids
from processing.crops import region_crops
from processing.results_store import ResultsStore


@dataclass(frozen=True)
class LayerInfo:
    """Provenance of a layer as shown in the UI."""

    role: str
    title: str
    source: str
    licence: str
    date: str
    units: str


@dataclass(frozen=True)
class LegendEntry:
    """One class of a categorical legend."""

    code: int
    name: str
    colour: str


class RegionService:
    """Prepared map assets and metadata of one region.

    Parameters
    ----------
    region_dir : str or Path
        Region folder; the region must be valid.

    """

    def __init__(self, region_dir: str | Path) -> None:
        self.region: Region = load_region(region_dir)
        self.registry = LayerRegistry(self.region)
        self.map_dir = self.region.cache_dir / "map"
        self.tiles: dict[str, TileSource] = {}
        self.geojson: dict[str, Path] = {}
        self.render = cached_renderer()
        self.results: ResultsStore | None = None
        self.site_types: list[str] = []
        self.site_statuses: list[str] = []
        self.community_ids: list[str] = []  # in the map's GeoJSON feature order
        self._tables: dict[str, pd.DataFrame] = {}
        # read with the results tables, not on every profile or page
        self._calibration: tuple[dict[str, Any], pd.DataFrame] | None = None
        self._clip_layers: list[str] = []

    # -- preparation -----------------------------------------------------------------
    def prepare(self) -> RegionService:
        """Build (or reuse) every map asset: COGs for tiles and gzipped GeoJSON."""
        self.tiles.update(base_tiles(self.registry, self.map_dir))
        geo = geojson_layers(self.registry, self.map_dir)
        self.geojson.update(geo.paths)
        self.site_types, self.site_statuses = geo.site_types, geo.site_statuses
        self.community_ids = geo.community_ids
        self.ensure_results()
        return self

    def ensure_results(self) -> bool:
        """Load the results store once it exists (e.g. after a background run); True if loaded."""
        if self.results is None and (self.region.results_dir / "manifest.json").exists():
            self.results = ResultsStore(self.region.results_dir)
            self._tables.clear()
            self.tiles.update(result_tiles(self.region, self.results))
            from processing.calibration import read_calibration  # scipy: load on demand

            self._calibration = read_calibration(self.region.root)
            self._clip_layers = layer_ids(self.registry, self.results)
            for level in ("communities", "watersheds"):  # read once, not on the first click
                if self.summary(level) is not None:
                    self._monthly_mm(level)
                    self._unit_rows("suitability", level, "")
                    self._unit_rows("crops", level, "")
        return self.results is not None

    def crops(self) -> list[tuple[str, str]]:
        """(id, name) of the crops with a score raster in the results."""
        out = []
        for crop in region_crops(self.region.config):
            if f"crop_{crop.id}" in self.tiles:
                out.append((crop.id, crop.name))
        return out

    def crop_rows(self, crop_id: str) -> pd.DataFrame:
        """The crops table of the communities, rows of one crop (empty when absent)."""
        self._unit_rows("crops", "communities", "")
        table = self._tables.get("crops:communities", pd.DataFrame())
        return table[table["crop"] == crop_id] if len(table) else table

    def result_layers(self, lang: str = "en") -> dict[str, tuple[str, str, str]]:
        """Result raster overlays with tiles: key -> (label, subject, units), map order.

        Subjects (intervention names) are in language ``lang`` where the region names them.
        """
        out = {k: (label, "") for k, (label, _) in RESULT_LAYERS.items()}
        for iv in self.region.config.interventions:
            out[f"suitability_{iv.id}"] = ("Suitability", iv.name_in(lang))
        return {k: (*v, self.tiles[k].units) for k, v in out.items() if k in self.tiles}

    # -- metadata --------------------------------------------------------------------
    def layer_infos(self) -> list[LayerInfo]:
        """Provenance of every declared layer, in a stable order."""
        out = []
        for role, spec in self.region.config.layers:
            if spec is None:
                continue
            out.append(
                LayerInfo(
                    role,
                    spec.title or role.replace("_", " ").capitalize(),
                    spec.source,
                    spec.licence,
                    spec.date or "",
                    getattr(spec, "units", "") or "",
                )
            )
        return out

    def land_use_legend(self, lang: str = "en") -> list[LegendEntry]:
        """Land-use classes with their colours, named in ``lang`` where the table can.

        A ``name_<lang>`` column of the class table gives the names; English otherwise.
        """
        t = self.registry.class_table("land_use")
        names = t["name"].astype(str)
        if f"name_{lang}" in t.columns:
            local = t[f"name_{lang}"]
            names = local.where(local.notna() & (local.astype(str).str.strip() != ""), names)
        return [
            LegendEntry(int(c), str(n), str(col))
            for c, n, col in zip(t["code"], names, t["colour"], strict=True)
        ]

    def map_view(self) -> tuple[tuple[float, float], list[list[float]]]:
        """Centre ``(lat, lon)`` and bounds ``[[south, west], [north, east]]`` of the grid."""
        left, bottom, right, top = self.registry.grid.bounds
        t = Transformer.from_crs(self.registry.crs, 4326, always_xy=True)
        w, s, e, n = t.transform_bounds(left, bottom, right, top)
        return ((s + n) / 2, (w + e) / 2), [[s, w], [n, e]]

    # -- results ---------------------------------------------------------------------
    def summary(self, level: str = "communities") -> pd.DataFrame | None:
        """The results summary of a level, or None before ``landwater process`` has run."""
        if self.results is None or not (self.results.folder / f"{level}.csv").exists():
            return None  # not processed, or a region without that level (no watersheds)
        key = f"summary:{level}"
        if key not in self._tables:
            self._tables[key] = self.results.summary(level)
        return self._tables[key]

    def monthly_mm(self, level: str) -> pd.DataFrame:
        """The long monthly table of a level, its rows in mm only (read once)."""
        return self._monthly_mm(level)

    def _monthly_mm(self, level: str) -> pd.DataFrame:  # rows in mm only
        key = f"monthly:{level}"
        if key not in self._tables:
            assert self.results is not None
            m = self.results.monthly(level)
            self._tables[key] = m[m["unit"] == "mm"]
        return self._tables[key]

    def _unit_rows(self, kind: str, level: str, unit_id: str) -> pd.DataFrame:
        """Rows of one unit in the long ``suitability`` or ``crops`` table (empty if absent)."""
        key = f"{kind}:{level}"
        if key not in self._tables:
            assert self.results is not None
            path = self.results.folder / f"{kind}_{level}.csv"
            self._tables[key] = (
                pd.read_csv(path, dtype={"unit_id": str}) if path.exists() else pd.DataFrame()
            )
        table = self._tables[key]
        return table[table["unit_id"] == unit_id] if len(table) else table

    def clip_layers(self) -> list[str]:
        """Raster layers and results that can be clipped and downloaded (ids)."""
        return self._clip_layers or layer_ids(self.registry, None)

    def units(self, level: str) -> tuple[gpd.GeoDataFrame | None, str]:
        """The polygons of a level (working CRS) and their id field; None when absent."""
        layers = self.region.config.layers
        if level == "communities":
            return self.registry.communities, layers.communities.id_field
        if layers.watersheds is None:
            return None, ""
        return self.registry.watersheds, layers.watersheds.id_field

    def unit_names(self, level: str = "communities") -> dict[str, str]:
        """Unit id -> name, from the results summary (empty before results)."""
        summary = self.summary(level)
        if summary is None or "name" not in summary.columns:
            return {}
        return dict(zip(summary["id"].astype(str), summary["name"].astype(str), strict=True))

    def unit_bounds(self, level: str, unit_id: str) -> list[list[float]] | None:
        """``[[south, west], [north, east]]`` (degrees) of one unit; None when unknown."""
        units, id_field = self.units(level)
        if units is None:
            return None
        hit = units[units[id_field].astype(str) == str(unit_id)]
        if hit.empty:
            return None
        w, s, e, n = hit.to_crs(4326).total_bounds
        return [[float(s), float(w)], [float(n), float(e)]]

    def _sites_in(self, level: str) -> pd.DataFrame:
        """Project sites with the id of the unit of ``level`` they lie in (column ``unit``)."""
        key = f"sites:{level}"
        if key not in self._tables:
            sites = self.registry.sites
            spec = self.region.config.layers.project_sites
            units, id_field = self.units(level)
            if sites is None or spec is None or units is None:
                self._tables[key] = pd.DataFrame(columns=["unit", "name", "type", "status"])
            else:
                joined = sites.sjoin(units[[id_field, "geometry"]], how="inner", predicate="within")

                def column(name: str | None) -> pd.Series:
                    return (
                        joined[name].astype(str)
                        if name and name in joined
                        else pd.Series("", index=joined.index)
                    )

                self._tables[key] = pd.DataFrame(
                    {
                        "unit": joined[id_field].astype(str),
                        "name": column(spec.name_field),
                        "type": column(spec.type_field),
                        "status": column(spec.status_field),
                    }
                )
        return self._tables[key]

    @staticmethod
    def filtered_sites(
        body_gz: bytes, types: list[str], statuses: list[str], none: bool, lang: str = "en"
    ) -> bytes:
        """Gzipped sites GeoJSON keeping the given types and statuses (empty list: all).

        The popups are in language ``lang`` (:func:`dashboard.map_assets.site_popup`).
        """
        fc = RegionService.sites_collection(body_gz, types, statuses, none, lang)
        return gzip.compress(orjson.dumps(fc), compresslevel=6, mtime=0)

    def sites_data(
        self, types: list[str], statuses: list[str], none: bool, lang: str = "en"
    ) -> dict[str, Any]:
        """The region's sites as a FeatureCollection, filtered as :meth:`filtered_sites`."""
        return self.sites_collection(
            self.geojson["sites"].read_bytes(), types, statuses, none, lang
        )

    @staticmethod
    def sites_collection(
        body_gz: bytes, types: list[str], statuses: list[str], none: bool, lang: str = "en"
    ) -> dict[str, Any]:
        """The sites FeatureCollection of :meth:`filtered_sites`, as a dict."""
        fc: dict[str, Any] = orjson.loads(gzip.decompress(body_gz))
        fc["features"] = [
            f
            for f in fc["features"]
            if not none
            and (not types or f["properties"].get("type") in types)
            and (not statuses or f["properties"].get("status") in statuses)
        ]
        if lang != "en":
            t = translator(lang)
            for f in fc["features"]:
                f["properties"]["popup"] = site_popup(f["properties"].get("fields", []), t)
        return fc

    def unit_options(self, lang: str = "en") -> list[dict[str, str]]:
        """Searchable list of every community and watershed: label and ``level:id`` value.

        Labels name the kind of unit in language ``lang`` ("Community: Matha (C020)").
        """
        t = translator(lang)
        options = []
        for level, word in (("communities", "Community"), ("watersheds", "Watershed")):
            summary = self.summary(level)
            if summary is None:
                continue
            for uid, name in zip(summary["id"], summary["name"], strict=True):
                options.append({"label": f"{t(word)}: {name} ({uid})", "value": f"{level}:{uid}"})
        return options

    def profile(
        self, unit_id: str, level: str = "communities", lang: str = "en"
    ) -> ProfileData | None:
        """Profile data of a community or watershed, or None when unknown or not processed.

        Intervention names are in language ``lang`` where the region names them.
        """
        summary = self.summary(level)
        units, id_field = self.units(level)
        if summary is None or units is None:
            return None
        rows = summary[summary["id"] == str(unit_id)]
        if rows.empty:
            return None
        monthly = self._monthly_mm(level)
        attrs_row = units[units[id_field].astype(str) == str(unit_id)]
        attributes = {
            k: attrs_row[k].iloc[0]
            for k in ("population", "households")
            if k in attrs_row and not attrs_row.empty
        }
        sites = self._sites_in(level)
        calibration = self.calibration() if level == "watersheds" else None
        if calibration is not None and str(calibration[0].get("watershed_id")) != str(unit_id):
            calibration = None
        return ProfileData(
            summary=rows.iloc[0],
            monthly=monthly[monthly["unit_id"] == str(unit_id)],
            attributes=attributes,
            sites=sites[sites["unit"] == str(unit_id)],
            land_use_colours=self.land_use_colours(),
            land_use_names=self._land_use_names_by_key(lang),
            suitability=self._suitability_rows(level, str(unit_id), lang),
            crops=self._unit_rows("crops", level, str(unit_id)),
            level=level,
            calibration=calibration,
        )

    def calibration(self) -> tuple[dict[str, Any], pd.DataFrame] | None:
        """The region's calibration report and monthly flows (``landwater calibrate``)."""
        return self._calibration

    def land_use_names(self, lang: str = "en") -> dict[int, str]:
        """Land-use code -> class name in ``lang`` where the class table has it (English else)."""
        return {e.code: e.name for e in self.land_use_legend(lang)}

    def _land_use_names_by_key(self, lang: str) -> dict[str, str]:
        """Land-use class key (as in ``lu_<key>_pct`` columns) -> class name in ``lang``."""
        local = self.land_use_names(lang)
        return {class_key(name): local[code] for code, name in self.land_use_names().items()}

    def land_use_colours(self) -> dict[str, str]:
        """Land-use class key (as in ``lu_<key>_pct`` columns) -> colour."""
        table = self.registry.class_table("land_use")
        return {
            class_key(str(n)): str(c) for n, c in zip(table["name"], table["colour"], strict=True)
        }

    def _suitability_rows(self, level: str, unit_id: str, lang: str = "en") -> pd.DataFrame:
        rows = self._unit_rows("suitability", level, unit_id)
        names = self.intervention_names_in(lang)
        return rows.assign(name=rows["intervention"].map(names)) if len(rows) else rows

    @property
    def intervention_names(self) -> dict[str, str]:
        """Intervention id -> display name, from region.toml."""
        return self.intervention_names_in("en")

    def intervention_names_in(self, lang: str) -> dict[str, str]:
        """Intervention id -> name in language ``lang`` (``name_<lang>`` in region.toml)."""
        return {iv.id: iv.name_in(lang) for iv in self.region.config.interventions}

    def tile(self, key: str, z: int, x: int, y: int, band: int = 1) -> bytes | None:
        """PNG bytes of a tile, or None when the layer or band is unknown."""
        source = self.tiles.get(key)
        if source is None or not 1 <= band <= source.bands:
            return None
        return self.render(source, z, x, y, band)
