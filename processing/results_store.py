"""The results store that ``landwater process`` writes and the dashboard reads.

Its files and the columns of its tables, with units, method and meaning, are declared in
:mod:`processing.output_spec`; ``manifest.json`` carries them (``outputs``) for the files
of each store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.io import read_raster, write_csv, write_text, write_vector
from processing.output_manifest import store_outputs
from processing.output_spec import RASTER_VARIABLES
from processing.trends import trends_by_year

if TYPE_CHECKING:
    from processing.suitability_outputs import SuitabilityOutputs
    from processing.unit_tables import UnitResults


def write_tables(
    folder: Path, results: list[UnitResults], suitability: SuitabilityOutputs | None
) -> None:
    """The store's tables and its GeoPackage: everything but the rasters and the manifest."""
    for res in results:
        write_csv(res.summary, folder / f"{res.level}.csv")
        write_csv(res.monthly, folder / f"monthly_{res.level}.csv")
        yearly = annual_by_year(res.monthly)
        if yearly is not None:
            write_csv(yearly, folder / f"annual_{res.level}.csv")
        trends = trends_by_year(res.monthly)
        if trends is not None:
            write_csv(trends, folder / f"trends_{res.level}.csv")
        gdf = gpd.GeoDataFrame(
            res.summary, geometry=res.units.geometry.to_numpy(), crs=res.units.crs
        )
        write_vector(gdf, folder / "results.gpkg", layer=res.level)
    if suitability is not None:
        for level, table in suitability.interventions.items():
            write_csv(table, folder / f"suitability_{level}.csv")
        for level, table in suitability.crops.items():
            write_csv(table, folder / f"crops_{level}.csv")


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """``manifest.json`` (written last): the folder's files and what they hold.

    ``files`` lists the other files; ``outputs`` describes every file (this one too) and
    every column of the tables (see :func:`processing.output_manifest.store_outputs`).
    """
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    outputs = store_outputs(folder, ["manifest.json", *files])
    text = json.dumps({**manifest, "files": files, "outputs": outputs}, indent=2) + "\n"
    write_text(folder / "manifest.json", text)


def annual_by_year(monthly: pd.DataFrame) -> pd.DataFrame | None:
    """Per-year totals of a monthly series (None for a climatology).

    Storage is the end-of-year value; every other variable is summed over the months of
    the year (whole and partial years alike; ``months`` says how many).
    """
    if monthly["year"].isna().all():
        return None
    keys = ["unit_id", "year", "variable", "unit"]
    flows = monthly[monthly["variable"] != "storage"]
    totals = (
        flows.groupby(keys, sort=False)
        .agg(value=("value", "sum"), months=("month", "count"))
        .reset_index()
    )
    ends = (
        monthly[monthly["variable"] == "storage"]
        .groupby(keys, sort=False)
        .agg(value=("value", "last"), months=("month", "count"))
        .reset_index()
    )
    out = pd.concat([totals, ends], ignore_index=True)
    out["value"] = out["value"].round(3)
    return out.sort_values(["unit_id", "year", "variable", "unit"], kind="stable").reset_index(
        drop=True
    )


@dataclass(frozen=True)
class ResultsStore:
    """Read access to a results folder."""

    folder: Path

    @property
    def manifest(self) -> dict[str, Any]:
        """The manifest (fingerprint, methods, files)."""
        return dict(json.loads((self.folder / "manifest.json").read_text()))

    def summary(self, level: str) -> pd.DataFrame:
        """One row per unit of ``level`` ("communities" or "watersheds")."""
        return pd.read_csv(self.folder / f"{level}.csv", dtype={"id": str})

    def monthly(self, level: str) -> pd.DataFrame:
        """Long monthly table of ``level``."""
        return pd.read_csv(self.folder / f"monthly_{level}.csv", dtype={"unit_id": str})

    def raster_path(self, variable: str) -> Path:
        """Annual raster of a variable (see ``RASTER_VARIABLES``)."""
        if variable not in RASTER_VARIABLES:
            raise KeyError(f"unknown result raster '{variable}'; choose from {RASTER_VARIABLES}")
        return self.folder / "rasters" / f"{variable}_mm_yr.tif"

    def suitability(self, level: str) -> pd.DataFrame:
        """Long suitability table of ``level`` (one row per unit and intervention)."""
        return pd.read_csv(self.folder / f"suitability_{level}.csv", dtype={"unit_id": str})

    def crops(self, level: str) -> pd.DataFrame:
        """Long crop table of ``level`` (one row per unit and crop)."""
        return pd.read_csv(self.folder / f"crops_{level}.csv", dtype={"unit_id": str})

    def score_path(self, stem: str) -> Path:
        """Score raster ``suitability_<intervention>`` or ``crop_<crop>``.

        Raises
        ------
        KeyError
            When the store has no such raster.
        """
        path = self.folder / "rasters" / f"{stem}.tif"
        if not stem.replace("_", "").isalnum() or not path.is_file():
            raise KeyError(f"no score raster '{stem}' in {self.folder}")
        return path

    def rasters(self) -> dict[str, np.ndarray]:
        """Every annual result raster (mm/yr) on the working grid, by variable."""
        return {
            v: read_raster(self.raster_path(v))[0][0].astype(np.float32) for v in RASTER_VARIABLES
        }
