"""Analysts' exports: every table per community or watershed, in the formats they use.

Tables keep every attribute of the user's own layer (ids, names, codes) so they join back
to their data, then the results columns (units in the names: ``_mm_yr``, ``_m3_yr``, ``_ha``,
``_pct``). Formats: CSV (one table), Excel (summary, monthly, annual, trends, suitability, crops,
sites and a README sheet with the region, the date, which water figure to use for what,
the method of every figure, units, and each layer's source and licence), GeoJSON (WGS84,
geometry + summary) and GeoPackage (communities, watersheds, project sites and saved
shortlists as layers). Every file is written atomically through :mod:`layers.io`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layers.io import write_csv, write_vector, write_vector_layers, write_xlsx
from layers.region import Region
from layers.registry import LayerRegistry
from layers.workspace import Workspace
from processing.calibration import read_calibration
from processing.future_profile import (
    FUTURE_SHEET,
    CommunityFuture,
    future_readme_rows,
    future_sheet,
)
from processing.glossary import glossary
from processing.output_spec import GROUPS, WATER_STORY, Output
from processing.results_store import ResultsStore

LEVELS = {"community": "communities", "watershed": "watersheds"}
FORMATS = ("csv", "xlsx", "geojson", "gpkg")
TABLES = ("summary", "monthly", "annual", "trends", "suitability", "crops")


def _level(level: str) -> str:
    if level in LEVELS:
        return LEVELS[level]
    if level in LEVELS.values():
        return level
    raise ValueError(f"unknown level '{level}'; choose community or watershed")


def unit_table(
    reg: LayerRegistry, store: ResultsStore, level: str, only: Sequence[str] | None = None
) -> gpd.GeoDataFrame:
    """The user's layer (every attribute, geometry) joined to the results summary by id.

    Raises
    ------
    ValueError
        Unknown level, a region without that level, or ids in ``only`` that do not exist.
    """
    lv = _level(level)
    spec = getattr(reg.region.config.layers, lv)
    gdf = reg.communities if lv == "communities" else reg.watersheds
    if spec is None or gdf is None:
        raise ValueError(f"the region has no {lv}")
    summary = store.summary(lv)
    ids = gdf[spec.id_field].astype(str)
    if only:
        unknown = sorted(set(only) - set(ids))
        if unknown:
            noun = "community" if lv == "communities" else "watershed"
            raise ValueError(f"unknown {noun} id(s): {', '.join(unknown)}")
    results = summary.drop(columns=["name"], errors="ignore").set_index("id")
    own = gdf.drop(columns="geometry").copy()
    clash = [c for c in own.columns if c in results.columns]
    own = own.rename(columns={c: f"src_{c}" for c in clash})
    joined = pd.concat(
        [own.reset_index(drop=True), results.reindex(ids.to_numpy()).reset_index(drop=True)],
        axis=1,
    )
    joined = joined.join(_site_counts(reg, gdf, ids))
    out = gpd.GeoDataFrame(joined, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    if only:
        out = out[ids.isin(only).to_numpy()].reset_index(drop=True)
    return out


def _site_counts(reg: LayerRegistry, units: gpd.GeoDataFrame, ids: pd.Series) -> pd.DataFrame:
    sites = reg.sites
    spec = reg.region.config.layers.project_sites
    if sites is None or spec is None or spec.type_field not in sites:
        return pd.DataFrame(index=range(len(units)))
    zones = gpd.GeoDataFrame(
        {"_unit": range(len(units))}, geometry=units.geometry.to_numpy(), crs=units.crs
    )
    joined = sites.sjoin(zones, how="inner", predicate="within")
    counts = pd.crosstab(joined["_unit"], joined[spec.type_field].astype(str))
    counts.columns = [f"sites_{c}" for c in counts.columns]
    return counts.reindex(range(len(units)), fill_value=0).astype(int)


def long_tables(
    store: ResultsStore, level: str, ids: Sequence[str] | None
) -> dict[str, pd.DataFrame]:
    """Tidy tables of a level (monthly, annual, trends, suitability, crops), filtered by ``ids``."""
    lv = _level(level)
    out = {}
    for name in ("monthly", "annual", "trends", "suitability", "crops"):
        path = store.folder / f"{name}_{lv}.csv"
        if not path.exists():
            continue
        table = pd.read_csv(path, dtype={"unit_id": str})
        out[name] = table[table["unit_id"].isin(ids)] if ids else table
    return out


README_GROUPS = (
    "summary",
    "exports",
    "variables",
    "monthly",
    "annual",
    "trends",
    "suitability",
    "crops",
)


def _column_rows(store: ResultsStore) -> list[tuple[str, str, str, str, str]]:
    """One row per declared column of the tables this store holds (and the exports add)."""
    found = {g for g in README_GROUPS if any(store.folder.glob(f"{g}_*.csv"))}
    held = {"summary", "exports", "variables"} | found
    rows = []
    for group in README_GROUPS:
        if group not in held:
            continue
        entries: tuple[Output, ...] = GROUPS[group]
        for e in entries:
            item = f"variable {e.name}" if group == "variables" else f"{group} column {e.name}"
            rows.append((item, e.meaning, e.units, e.method, ""))
    return rows


def _glossary_rows() -> list[tuple[str, str, str, str, str]]:
    """The water story, then one row per glossary entry: label, what it means, what for."""
    rows = [("water figures", WATER_STORY, "", "", "")]
    rows += [(f"glossary {t.key}", f"{t.label}: {t.text}", t.units, "", "") for t in glossary()]
    return rows


def readme_table(region: Region, store: ResultsStore) -> pd.DataFrame:
    """The README sheet: region, date, which water figure to use, every column, provenance.

    The glossary and the columns come from :mod:`processing.output_spec` (the tables the
    store holds).
    """
    manifest = store.manifest
    rows = [
        ("region", region.name, "", "", ""),
        ("exported", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "", "", ""),
        ("results computed", str(manifest.get("created", "")), "", "", ""),
        ("reference ET", str(manifest.get("et0_source", "")), "", "", ""),
        ("deficit month", f"PET - AET > {manifest.get('deficit_month_mm', '')}", "mm", "", ""),
        ("synthetic data", "yes" if region.config.region.synthetic else "no", "", "", ""),
        ("working CRS", str(manifest.get("crs", "")), "", "", ""),
    ]
    rows += _glossary_rows()
    rows += _column_rows(store)
    for role, spec in region.config.layers:
        if spec is None:
            continue
        rows.append((f"layer {role}", spec.title or role, spec.source, "", spec.licence))
    columns = ["item", "value", "units / source", "method", "licence"]
    return pd.DataFrame(rows, columns=columns)


def export_level(
    region: Region,
    reg: LayerRegistry,
    store: ResultsStore,
    level: str,
    fmt: str,
    out: str | Path,
    only: Sequence[str] | None = None,
    table: str = "summary",
    shortlists: gpd.GeoDataFrame | None = None,
    future: CommunityFuture | None = None,
) -> Path:
    """Write one export file; nothing is written anywhere but ``out``.

    Parameters
    ----------
    level : {"community", "watershed"}
    fmt : {"csv", "xlsx", "geojson", "gpkg"}
    only : sequence of str, optional
        Unit ids to keep (all when omitted).
    table : str
        CSV only: which table (``summary``, ``monthly``, ``annual``, ``trends``, ``suitability``,
        ``crops``).
    shortlists : GeoDataFrame, optional
        Saved shortlist sites (GeoPackage only, as the ``shortlists`` layer).
    future : CommunityFuture, optional
        A community under a future-climate scenario (Excel only: the
        :data:`processing.future_profile.FUTURE_SHEET` sheet, its columns in the README).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose {', '.join(FORMATS)}")
    units = unit_table(reg, store, level, only)
    lv = _level(level)
    id_field = getattr(region.config.layers, lv).id_field
    ids = units[id_field].astype(str).tolist() if only else None
    plain = pd.DataFrame(units.drop(columns="geometry"))
    if fmt == "csv":
        if table == "summary":
            return write_csv(plain, out, for_spreadsheets=True)
        longs = long_tables(store, lv, ids)
        if table not in longs:
            raise ValueError(f"unknown or empty table '{table}'; choose {', '.join(TABLES)}")
        return write_csv(longs[table], out, for_spreadsheets=True)
    if fmt == "xlsx":
        sheets = {"summary": plain, **long_tables(store, lv, ids)}
        sites = reg.sites
        if sites is not None:
            sheets["sites"] = pd.DataFrame(sites.to_crs(4326).drop(columns="geometry"))
        calibration = read_calibration(region.root)
        if calibration is not None and lv == "watersheds":
            sheets["calibration"] = calibration[1]
        readme = readme_table(region, store)
        if future is not None:
            sheets[FUTURE_SHEET] = future_sheet(future)
            extra = pd.DataFrame(future_readme_rows(future), columns=readme.columns)
            readme = pd.concat([readme, extra], ignore_index=True)
        sheets["README"] = readme
        return write_xlsx(sheets, out)
    if fmt == "geojson":
        return write_vector(units.to_crs(4326), out)
    layers: dict[str, gpd.GeoDataFrame] = {lv: units}
    other = "watersheds" if lv == "communities" else "communities"
    if getattr(region.config.layers, other) is not None:
        layers[other] = unit_table(reg, store, other)
    if reg.sites is not None:
        layers["project_sites"] = reg.sites
    if shortlists is not None and len(shortlists):
        layers["shortlists"] = shortlists.to_crs(units.crs)
    return write_vector_layers(layers, out)


def shortlist_points(
    workspace: Workspace, shortlist_id: int | None = None
) -> gpd.GeoDataFrame | None:
    """Saved shortlists' sites as points (one row per site), or None when there are none.

    All shortlists, or only ``shortlist_id`` (KeyError when it does not exist).
    """
    rows = []
    records = (
        workspace.list_shortlists()
        if shortlist_id is None
        else [workspace.get_shortlist(shortlist_id)]
    )
    for sl in records:
        for i, site in enumerate(sl.sites):
            rows.append(
                {
                    "shortlist_id": sl.id,
                    "shortlist": sl.name,
                    "author": sl.author,
                    "intervention": sl.intervention,
                    "order": i + 1,
                    "score": site.get("score"),
                    "class": site.get("suitability_class"),
                    "community_id": site.get("community_id"),
                    "note": site.get("note", ""),
                    "lon": site["lon"],
                    "lat": site["lat"],
                }
            )
    if not rows:
        return None
    xy = gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows])
    return gpd.GeoDataFrame(rows, geometry=xy, crs=4326)


def slug(text: str, limit: int = 40) -> str:
    """Lower-case letters, digits and single underscores (safe in any file name)."""
    raw = "".join(ch if ch.isalnum() else "_" for ch in text.lower())
    return "_".join(part for part in raw.split("_") if part)[:limit] or "x"


def export_filename(
    region: Region, level: str, fmt: str, table: str = "summary", subset: str = ""
) -> str:
    """``landwater_<region>_<level>[_<subset>][_<table>]_<YYYY-MM-DD>.<ext>`` (safe characters).

    ``subset`` names the units exported when they are not all of them (a unit's id, "area").
    """
    part = f"_{table}" if fmt == "csv" and table != "summary" else ""
    if subset:
        part = f"_{slug(subset)}{part}"
    day = dt.date.today().isoformat()
    return f"landwater_{slug(region.name)}_{_level(level)}{part}_{day}.{fmt}"
