"""What the designer's workbench needs from the server: suitability engine, sites, workspace.

One object per app (never module-level). The site planner (criterion grids and memberships)
is built once, on first use, under a lock; re-weighted score rasters are written as small
uint8 COGs under ``REGION/.cache/map/design/`` named by intervention and weights, so any
worker of a gunicorn server can serve their tiles and nothing grows without bound. Its
scenarios, present and future climates, are the :class:`ScenarioService` it holds.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from rasterio.errors import RasterioIOError

from dashboard.access import Access
from dashboard.programme_service import ProgrammeService
from dashboard.scenario_service import ScenarioService
from dashboard.service import RegionService
from dashboard.tiles import TileSource
from layers.config import InterventionConfig
from layers.io import write_cog
from layers.workspace import Workspace
from processing.kernels.suitability import normalise_weights
from processing.memory_budget import check_designer
from processing.sites import SitePlanner
from processing.suitability_engine import build_engine
from processing.suitability_model import profile_weights
from processing.suitability_summary import unit_suitability

SCORE_SCALE = 250  # uint8 score rasters: value = round(score * 250), 255 = no data
MAX_DESIGN_RASTERS = 64  # re-weighted rasters kept on disk (oldest removed first)
CONSTRAINT_NAMES = ("land_use", "slope", "protected", "water")
CROP_OPTION = "crop:"  # the intervention dropdown's values of crops ("crop:<id>")


def error_message(exc: Exception) -> str:
    """A user-facing message of an exception (KeyError's without its quotes)."""
    return str(exc.args[0]) if exc.args else str(exc)


def weights_key(weights: Sequence[float], constraints: Collection[str] | None = None) -> str:
    """Short stable name of a weight vector (normalised, 4 decimals) and constraint set."""
    w = normalise_weights(weights)
    text = ",".join(f"{v:.4f}" for v in w)
    if constraints is not None:
        text += "|" + ",".join(sorted(constraints))
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def parse_constraints(text: str | None) -> list[str] | None:
    """Constraints from a ``c=`` query value (None: the profile's; ``none``: no constraint)."""
    if text is None:
        return None
    names = [n for n in text.split(",") if n in CONSTRAINT_NAMES]
    return names


class DesignerService:
    """Suitability, site evaluation and the team workspace for one region's dashboard.

    Parameters
    ----------
    service : RegionService
    database_url : str, optional
        Workspace database; ``REGION/workspace.sqlite`` when omitted.
    """

    def __init__(
        self, service: RegionService, database_url: str | None = None, access: Access | None = None
    ) -> None:
        self.service = service
        self.access = access or Access()
        (s, w), (n, e) = service.map_view()[1]
        self.workspace = Workspace.for_region(service.region.root, database_url, (w, s, e, n))
        self.design_dir = service.map_dir / "design"
        self._planner: SitePlanner | None = None
        self._points: dict[str, tuple[float, float]] | None = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # one writer of re-weighted rasters
        self.scenario = ScenarioService(service.region, lambda: self.planner)
        self.programme = ProgrammeService(service, self.workspace, lambda: self.scenario.scenarios)

    @property
    def interventions(self) -> list[tuple[str, str]]:
        """(id, name) of every intervention profile."""
        return [(iv.id, iv.name) for iv in self.service.region.config.interventions]

    def crop_ranking(self, crop_id: str) -> pd.DataFrame:
        """Communities ranked by the crop's score in its best planting month."""
        rows = self.service.crop_rows(crop_id)
        summary = self.service.summary("communities")
        names = (
            dict(zip(summary["id"], summary["name"], strict=True)) if summary is not None else {}
        )
        table = pd.DataFrame(
            {
                "unit_id": rows["unit_id"].astype(str),
                "name": rows["unit_id"].astype(str).map(names),
                "mean_score": rows["best_month_score"],
                "s1s2_ha": rows["suitable_ha"],
                "limiting_criterion": rows["best_month_name"],
            }
        ).sort_values("mean_score", ascending=False, kind="stable")
        table.insert(0, "rank", np.arange(1, len(table) + 1))
        return table.reset_index(drop=True)

    def ready(self) -> bool:
        """Whether results exist, so suitability can be computed."""
        return self.service.ensure_results()

    @property
    def planner(self) -> SitePlanner:
        """The site planner (built on first use; needs results).

        Raises
        ------
        RuntimeError
            When the region has no results yet.
        GridTooLargeError
            (a ValueError) When the region's grid is too large to hold in memory.
        """
        with self._lock:
            if self._planner is None:
                if not self.ready() or self.service.results is None:
                    raise RuntimeError("no results yet: run `landwater process` on this region")
                store = self.service.results
                reg = self.service.registry
                check_designer(reg.grid.width * reg.grid.height, reg.band_count("rainfall"))
                engine = build_engine(reg, results=store)
                self._planner = SitePlanner(engine, store.summary("communities"))
            return self._planner

    def warm_up(self) -> None:
        """Build the planner and read the future climates now instead of on first request.

        The planner takes about 6 s on the demo; the future climates: see
        :meth:`ScenarioService.warm_up`. Run on a daemon thread by servers (``landwater
        serve``, gunicorn workers) so the first designer requests do not queue behind the
        build; quietly does nothing when there are no results yet.
        """
        try:
            _ = self.planner
        except (RuntimeError, ValueError):  # no results yet, or a grid too large to design on
            return
        self.scenario.warm_up()

    def community_points(self) -> dict[str, tuple[float, float]]:
        """(lat, lon) of a point inside each community, by id (map markers; needs results)."""
        planner = self.planner
        with self._lock:
            if self._points is None:
                units = planner.engine.reg.units("communities")
                if units is None:
                    self._points = {}
                else:
                    inner = units.geometry.representative_point().to_crs(4326)
                    self._points = {
                        str(i): (float(p.y), float(p.x))
                        for i, p in zip(units["id"], inner, strict=True)
                    }
            return self._points

    def community_options(self) -> list[dict[str, str]]:
        """Dropdown options of the communities: "name (id)"."""
        summary = self.service.summary("communities")
        if summary is None:
            return []
        return [
            {"label": f"{n} ({i})", "value": str(i)}
            for i, n in zip(summary["id"], summary["name"], strict=True)
        ]

    def land_use_options(self, lang: str = "en") -> list[dict[str, object]]:
        """Dropdown options of the land-use classes, named in ``lang`` where the table can."""
        return [{"label": n, "value": c} for c, n in self.service.land_use_names(lang).items()]

    def profile(self, intervention_id: str) -> InterventionConfig:
        """An intervention profile from region.toml (KeyError when unknown)."""
        for iv in self.service.region.config.interventions:
            if iv.id == intervention_id:
                return iv
        raise KeyError(f"unknown intervention '{intervention_id}'")

    def default_weights(self, intervention_id: str) -> list[float]:
        """The profile's own weights (normalised; from AHP when the profile has a matrix)."""
        return [float(v) for v in profile_weights(self.profile(intervention_id))]

    def area_constraints(self, intervention_id: str) -> list[str]:
        """The profile's area constraints that apply in this region (protected, water)."""
        profile = self.profile(intervention_id)
        out = []
        if profile.exclude_protected and self.service.region.config.layers.protected_areas:
            out.append("protected")
        if profile.water_buffer_m:
            out.append("water")
        return out

    def ranking(
        self,
        intervention_id: str,
        weights: Sequence[float] | None,
        constraints: Collection[str] | None = None,
    ) -> pd.DataFrame:
        """Community ranking for these weights and constraints: best mean score first."""
        eng = self.planner.engine
        table = unit_suitability(
            eng, intervention_id, "communities", weights, with_best=False, constraints=constraints
        )
        names = dict(zip(eng.unit_ids["communities"], eng.unit_names["communities"], strict=True))
        table.insert(1, "name", table["unit_id"].map(names))
        table["s1s2_ha"] = table["S1_ha"] + table["S2_ha"]
        # ordered by the unrounded means (the map's live scores), equal ones in unit order:
        # the rule of the ranking's robustness (processing.robustness.ranks_of)
        exact = eng.model(intervention_id).unit_means(weights, constraints)
        order = np.argsort(np.where(np.isnan(exact), np.inf, -exact), kind="stable")
        table = table.iloc[order]
        table.insert(0, "rank", np.arange(1, len(table) + 1))
        return table.reset_index(drop=True)

    def live_scores(
        self,
        intervention_id: str,
        weights: Sequence[float],
        constraints: Collection[str] | None = None,
    ) -> pd.Series:
        """Mean score per community id for these weights (the choropleth's values)."""
        eng = self.planner.engine
        means = eng.model(intervention_id).unit_means(weights, constraints)
        return pd.Series(np.round(means, 3), index=eng.unit_ids["communities"])

    # -- re-weighted score tiles ----------------------------------------------------------
    def score_source(
        self,
        intervention_id: str,
        weights: Sequence[float],
        constraints: Collection[str] | None = None,
    ) -> TileSource:
        """Tile source of the intervention's scores for these weights (written once)."""
        eng = self.planner.engine
        eng.profile(intervention_id)  # KeyError for an unknown id
        key = weights_key(weights, constraints)
        path = self.design_dir / f"{intervention_id}.{key}.tif"
        if not path.exists():
            # one writer per app: the map asks for a dozen tiles of a new raster at once, and
            # the others wait here and then find the file
            with self._write_lock:
                if not path.exists():
                    grid = eng.model(intervention_id).grid(weights, constraints)
                    codes = np.where(np.isfinite(grid), np.round(grid * SCORE_SCALE), 255).astype(
                        np.uint8
                    )
                    # written to a hidden temporary file and renamed (os.replace): a reader
                    # in another worker sees the whole file or none
                    write_cog(
                        path, codes, eng.reg.crs, eng.reg.grid.transform, 255, {"units": "score"}
                    )
                    self._prune(keep=path)
        return TileSource(
            f"design:{path.name}",
            path,
            "continuous",
            1,
            (0.0, float(SCORE_SCALE)),
            "greens",
            units="score 0..1",
        )

    def _prune(self, keep: Path | None = None) -> None:
        """Remove the oldest rasters beyond ``MAX_DESIGN_RASTERS`` (never ``keep``).

        Hidden files are another writer's unfinished temporary files, and a file may vanish
        between listing and ``stat`` (another worker pruned it): both are skipped.
        """
        dated = []
        for path in self.design_dir.glob("*.tif"):
            if path.name.startswith(".") or path == keep:
                continue
            try:
                dated.append((path.stat().st_mtime, path))
            except FileNotFoundError:
                continue
        dated.sort()
        extra = len(dated) + (keep is not None) - MAX_DESIGN_RASTERS
        for _, old in dated[: max(extra, 0)]:
            old.unlink(missing_ok=True)

    def tile(
        self,
        intervention_id: str,
        weights: Sequence[float],
        z: int,
        x: int,
        y: int,
        constraints: Collection[str] | None = None,
    ) -> bytes | None:
        """PNG tile of the re-weighted scores, or None for an unknown intervention."""
        for attempt in range(2):
            try:
                source = self.score_source(intervention_id, weights, constraints)
            except (KeyError, ValueError):
                return None
            try:
                return self.service.render(source, z, x, y, 1)
            except (FileNotFoundError, RasterioIOError):
                if attempt:  # pruned by another worker between writing and reading: once more
                    raise
        return None

    @staticmethod
    def tile_url(
        intervention_id: str,
        weights: Sequence[float],
        constraints: Collection[str] | None = None,
    ) -> str:
        """URL template of the re-weighted score tiles (``c=`` lists the constraints on)."""
        w = ",".join(f"{v:.4f}" for v in normalise_weights(weights))
        url = f"/tiles/design/{intervention_id}/{{z}}/{{x}}/{{y}}.png?w={w}"
        if constraints is not None:
            url += "&c=" + (",".join(sorted(constraints)) or "none")
        return url


def parse_weights(text: str | None, n: int) -> list[float] | None:
    """Weights from a ``w=`` query value: n non-negative numbers, not all zero (else None)."""
    if not text:
        return None
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        return None
    if len(values) != n or min(values) < 0 or sum(values) <= 0 or not all(map(np.isfinite, values)):
        return None
    return values
