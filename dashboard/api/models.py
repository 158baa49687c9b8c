"""Request and response models of the JSON API (pydantic v2).

The same classes validate the requests, shape the responses and, through
:mod:`dashboard.api.openapi`, make the OpenAPI document: one definition of each message.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dashboard.designer_service import CONSTRAINT_NAMES
from dashboard.input_checks import MAX_SITES
from layers.workspace import MAX_NAME_CHARS, MAX_NOTES_CHARS
from processing.scenario import Scenario

MAX_PAGE_ITEMS = 500  # items in one page of a list
MAX_WEIGHTS = 50  # criterion weights in one request
MAX_SPACING_M = 100_000.0  # 100 km between recommended sites covers any region's grid
MAX_AUTHOR_CHARS = 100
MAX_SITE_NOTE_CHARS = 500

Level = Literal["communities", "watersheds"]
Constraint = Literal[CONSTRAINT_NAMES]  # type: ignore[valid-type]
Value = float | int | str | None
Longitude = Annotated[float, Field(ge=-180, le=180, description="WGS84 degrees")]
Latitude = Annotated[float, Field(ge=-90, le=90, description="WGS84 degrees")]
Weight = Annotated[float, Field(ge=0, le=1e6)]


class _Strict(BaseModel):
    """Unknown fields are refused, so a misspelt option is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    """What went wrong, and how to fix it."""

    code: str = Field(description="machine-readable: bad_request, not_found, invalid, ...")
    message: str = Field(description="for a person: names the input and the fix")


class ErrorResponse(BaseModel):
    """Every error of the API."""

    error: ErrorBody


class Named(BaseModel):
    """An identifier and its display name."""

    id: str
    name: str


class Column(BaseModel):
    """A column or variable of the results, as declared in ``processing/output_spec.py``."""

    name: str
    units: str
    meaning: str
    method: str = ""


class RegionOut(BaseModel):
    """The region: its name, grid, extent and what can be asked of it."""

    api_version: str
    name: str
    crs: str = Field(description="the working CRS of areas and distances")
    resolution_m: float
    bounds: list[float] = Field(description="west, south, east, north in WGS84 degrees")
    levels: list[Level]
    has_results: bool = Field(description="false until `landwater process` has run")
    interventions: list[Named]
    crops: list[Named]
    constraints: list[Constraint]
    links: dict[str, str]


class LayerOut(BaseModel):
    """An input layer of region.toml with its provenance."""

    role: str
    title: str
    source: str
    licence: str
    date: str
    units: str


class ResultLayerOut(BaseModel):
    """A result raster the map shows as tiles."""

    key: str
    label: str
    subject: str
    units: str
    tiles: str = Field(description="XYZ tile URL template")


class LayersOut(BaseModel):
    """The region's input layers and result rasters."""

    layers: list[LayerOut]
    results: list[ResultLayerOut]


class PageQuery(_Strict):
    """Which part of a long list to return."""

    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_ITEMS)] = 100


class UnitSummary(BaseModel):
    """One community or watershed with its summary figures (column units in ``columns``)."""

    id: str
    name: str
    values: dict[str, Value]


class UnitPage(BaseModel):
    """A page of the units of a level."""

    level: Level
    total: int
    offset: int
    limit: int
    columns: list[Column]
    items: list[UnitSummary]


class UnitOut(UnitSummary):
    """One unit: its summary figures, attributes and where to read more."""

    level: Level
    columns: list[Column]
    attributes: dict[str, Value]
    links: dict[str, str]


class MonthValues(BaseModel):
    """One month of a unit's balance: each variable in mm."""

    month: Annotated[int, Field(ge=1, le=12)]
    values: dict[str, float | None]


class MonthlyOut(BaseModel):
    """A unit's monthly water balance (the climatology), in mm."""

    level: Level
    id: str
    units: str
    variables: list[Column]
    months: list[MonthValues]


class SuitabilityRow(BaseModel):
    """A unit's suitability for one intervention."""

    intervention: str
    name: str
    values: dict[str, Value]


class SuitabilityOut(BaseModel):
    """A unit's suitability for every intervention (column units in ``columns``)."""

    level: Level
    id: str
    columns: list[Column]
    interventions: list[SuitabilityRow]


class _Design(_Strict):
    intervention: Annotated[str, Field(min_length=1, max_length=100)]
    weights: Annotated[list[Weight], Field(max_length=MAX_WEIGHTS)] | None = Field(
        None, description="one per criterion of the profile (its own weights when omitted)"
    )
    constraints: Annotated[list[Constraint], Field(max_length=len(CONSTRAINT_NAMES))] | None = (
        Field(None, description="constraints that apply (all of the profile's when omitted)")
    )


class EvaluateIn(_Design):
    """A point to evaluate for an intervention."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"intervention": "farm_ponds", "lon": 37.35, "lat": -1.4}}
    )

    lon: Longitude
    lat: Latitude


class RecommendIn(_Design):
    """Ask for the best sites of an intervention."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "intervention": "farm_ponds",
                "count": 10,
                "min_spacing_m": 1000,
                "max_per_community": 2,
            }
        }
    )

    count: Annotated[int, Field(ge=1, le=MAX_SITES)]
    min_spacing_m: Annotated[float, Field(ge=0, le=MAX_SPACING_M)]
    max_per_community: Annotated[int, Field(ge=1, le=MAX_SITES)] | None = None
    min_distance_from_existing_m: Annotated[float, Field(ge=0, le=MAX_SPACING_M)] | None = None
    within: dict[str, Any] | None = Field(
        None, description="a GeoJSON Polygon or MultiPolygon (WGS84): only inside it"
    )


class CriterionOut(BaseModel):
    """One criterion at a site: value in the layer's units, membership 0..1, weight."""

    layer: str
    value: float | None
    membership: float | None
    weight: float
    rationale: str


class SiteOut(BaseModel):
    """A site's evaluation for an intervention (``processing.sites.SiteEvaluation``)."""

    intervention: str
    lon: float
    lat: float
    x: float = Field(description="metres in the region's working CRS")
    y: float = Field(description="metres in the region's working CRS")
    score: float | None
    suitability_class: str
    exclusions: list[str]
    criteria: list[CriterionOut]
    limiting_criterion: str | None
    community_id: str | None
    community_name: str | None
    watershed_id: str | None
    watershed_name: str | None
    rainfall_annual_mm: float | None
    land_use: str | None
    slope_pct: float | None
    nearest_site_id: str | None
    nearest_site_m: float | None
    water_balance: dict[str, float | None]
    rank: int | None = None


class SitesOut(BaseModel):
    """Recommended sites, best first (fewer than asked when allowed land runs out)."""

    count: int
    items: list[SiteOut]


class ShortlistSiteIn(BaseModel):
    """A site of a shortlist: WGS84 lon/lat inside the region, plus any details."""

    model_config = ConfigDict(extra="allow")

    lon: Longitude
    lat: Latitude
    note: Annotated[str, Field(max_length=MAX_SITE_NOTE_CHARS)] = ""


class ShortlistIn(_Strict):
    """A new shortlist."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "name": "Ponds, phase 1",
                "intervention": "farm_ponds",
                "author": "amina",
                "sites": [{"lon": 37.35, "lat": -1.4, "note": "near the school"}],
            }
        }
    )

    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
    intervention: Annotated[str, Field(max_length=100)] = ""
    author: Annotated[str, Field(max_length=MAX_AUTHOR_CHARS)] = ""
    notes: Annotated[str, Field(max_length=MAX_NOTES_CHARS)] = ""
    sites: Annotated[list[ShortlistSiteIn], Field(max_length=MAX_SITES)]


class ShortlistEdit(_Strict):
    """A change to a saved shortlist: the version it was read at and what changes."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"version": 1, "name": "Ponds, phase 1 (final)"}}
    )

    version: Annotated[int, Field(ge=1, description="the version read (409 if it changed)")]
    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)] | None = None
    notes: Annotated[str, Field(max_length=MAX_NOTES_CHARS)] | None = None
    sites: Annotated[list[ShortlistSiteIn], Field(max_length=MAX_SITES)] | None = None


class ShortlistInfo(BaseModel):
    """A saved shortlist without its sites."""

    id: int
    name: str
    author: str
    notes: str
    intervention: str
    site_count: int
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    links: dict[str, str]


class ShortlistOut(ShortlistInfo):
    """A saved shortlist with its sites."""

    sites: list[dict[str, Any]]


class ShortlistPage(BaseModel):
    """A page of the saved shortlists, most recently updated first."""

    total: int
    offset: int
    limit: int
    items: list[ShortlistInfo]


class ScenarioIn(_Strict):
    """A scenario to run and save with its results, as the dashboard saves one."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {"author": "amina", "scenario": {"name": "drier", "rain_pct": -15}}
        }
    )

    author: Annotated[str, Field(max_length=MAX_AUTHOR_CHARS)] = ""
    notes: Annotated[str, Field(max_length=MAX_NOTES_CHARS)] = ""
    scenario: Scenario


class ScenarioInfo(BaseModel):
    """A saved scenario without its definition and results."""

    id: int
    name: str
    author: str
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class ScenarioOut(ScenarioInfo):
    """A saved scenario: its definition and the totals computed when it was saved."""

    spec: dict[str, Any]
    results: dict[str, Any]


class ScenarioPage(BaseModel):
    """A page of the saved scenarios, most recently updated first."""

    total: int
    offset: int
    limit: int
    items: list[ScenarioInfo]


class ExportLink(BaseModel):
    """A download streamed by the dashboard's export route."""

    level: Literal["communities", "watersheds"]  # as in /units/{level}
    format: str
    table: str
    url: str


class ExportsOut(BaseModel):
    """Every table export of the region (add ``&only=ID,ID`` to a URL for some units)."""

    items: list[ExportLink]


class Deleted(BaseModel):
    """What was deleted."""

    id: int
    deleted: bool
