"""Validated models of ``region.toml``.

Every key a region may hold is declared here once, with its units. Unknown keys are
rejected (``extra="forbid"``) so that a typo such as ``pathh`` never passes silently.
The README's region format reference documents the same models.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from processing.kernels.event_depths import EventDepths


class StrictModel(BaseModel):
    """Base for every config model: unknown keys are errors, values are not coerced loosely.

    Numbers must be finite: TOML's ``nan`` and ``inf`` are refused as such, before any range.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class LayerMeta(StrictModel):
    """Provenance shown in the UI and in exports for every layer."""

    title: str | None = None
    source: str = "unknown"
    licence: str = "unknown"
    date: str | None = None


class VectorLayer(LayerMeta):
    """A polygon layer read with pyogrio (GeoPackage, GeoJSON, shapefile, ...)."""

    path: str
    layer: str | None = Field(default=None, description="layer name inside a multi-layer file")
    id_field: str
    name_field: str | None = None


class SitesLayer(LayerMeta):
    """Project sites: points from a vector file or a CSV with longitude/latitude columns."""

    path: str
    layer: str | None = None
    id_field: str = "site_id"
    name_field: str | None = "name"
    type_field: str = "type"
    status_field: str | None = "status"
    lon_field: str = Field(default="lon", description="CSV only: longitude column, WGS84 degrees")
    lat_field: str = Field(default="lat", description="CSV only: latitude column, WGS84 degrees")
    csv_crs: str = Field(default="EPSG:4326", description="CSV only: CRS of the coordinates")
    encoding: str = "utf-8"


class RasterLayer(LayerMeta):
    """A single raster file, optionally with a declared nodata value and scale factor."""

    path: str
    nodata: float | None = Field(
        default=None, description="overrides the file's nodata value when the file has none"
    )
    scale: float = Field(default=1.0, gt=0, description="multiplier applied on read (CHELSA: 0.01)")


class MonthlyRaster(LayerMeta):
    """Monthly values: one multi-band file (``path``) or one file per month (``paths``).

    ``kind = "climatology"`` means 12 bands, January to December. ``kind = "series"`` means
    a consecutive monthly series starting at ``start`` (``YYYY-MM``), 12 x years bands.
    """

    path: str | None = None
    paths: list[str] | None = None
    kind: Literal["climatology", "series"] = "climatology"
    start: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    units: str
    nodata: float | None = None
    scale: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _one_source(self) -> MonthlyRaster:
        if (self.path is None) == (self.paths is None):
            raise ValueError(
                "give exactly one of 'path' (multi-band file) or 'paths' (one file per month)"
            )
        if self.kind == "series" and self.start is None:
            raise ValueError("kind = 'series' needs start = 'YYYY-MM' (the first month)")
        return self

    @property
    def files(self) -> list[str]:
        """Relative paths of every file of the layer, in band order."""
        return [self.path] if self.path is not None else list(self.paths or [])


class DailyRainfall(LayerMeta):
    """Daily rainfall, mm/day, beside a monthly series: the curve number runs on each day.

    Either gridded days or station days. ``path`` is one multi-band file (GeoTIFF, or
    NetCDF with a daily time axis), a band per day from the first day of the monthly series,
    or a folder or glob of one GeoTIFF per day dated by its name (:mod:`layers.daily_files`:
    CHIRPS daily ``chirps-v2.0.YYYY.MM.DD.tif``, ``YYYY-MM-DD`` or ``YYYYMMDD``); the days
    cover the monthly series' months exactly, and the monthly layer is their sum per month
    (``landwater init --rainfall-daily`` writes both). ``stations`` is a station table with
    daily rain files (:mod:`layers.station_days`), inverse-distance weighted onto every
    cell as the monthly station rain is (``landwater init --stations`` writes both).
    """

    path: str | None = None
    stations: str | None = None
    nodata: float | None = None
    scale: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _one_source(self) -> DailyRainfall:
        if (self.path is None) == (self.stations is None):
            raise ValueError(
                "give exactly one of 'path' (daily grids) or 'stations' (a station table"
                " with daily rain files)"
            )
        return self


class RainfallLayer(MonthlyRaster):
    """Monthly rainfall, mm/month, and optionally the daily rainfall it sums."""

    units: Literal["mm/month"]
    daily: DailyRainfall | None = Field(
        default=None, description="daily rain files; the monthly layer is their sum per month"
    )

    @model_validator(mode="after")
    def _daily_series(self) -> RainfallLayer:
        if self.daily is not None and self.kind != "series":
            raise ValueError(
                "[layers.rainfall.daily] needs a monthly series (kind = 'series', start ="
                " 'YYYY-MM') whose months the days cover"
            )
        return self


class TemperatureLayer(MonthlyRaster):
    """Monthly mean minimum or maximum air temperature, degrees Celsius."""

    units: Literal["degC"]


class Et0Layer(MonthlyRaster):
    """Monthly reference evapotranspiration, mm/month (overrides Hargreaves/Thornthwaite)."""

    units: Literal["mm/month"]


class ClassRaster(RasterLayer):
    """A categorical raster with a CSV class table keyed by the raster's integer codes."""

    class_table: str


class ElevationLayer(RasterLayer):
    """Digital elevation model, metres above sea level."""

    units: Literal["m"]


class SoilDepthLayer(RasterLayer):
    """Depth to the root-restricting layer, mm (InVEST's ``depth_to_root_rest_layer``)."""

    units: Literal["mm"]


class LayersConfig(StrictModel):
    """All layer roles of a region; ``communities``, ``rainfall`` and ``land_use`` are required."""

    communities: VectorLayer
    watersheds: VectorLayer | None = None
    rainfall: RainfallLayer
    tmin: TemperatureLayer | None = None
    tmax: TemperatureLayer | None = None
    et0: Et0Layer | None = None
    land_use: ClassRaster
    soil: ClassRaster | None = None
    depth_to_root_restricting_layer: SoilDepthLayer | None = Field(
        default=None, description="caps root depth (overrides the soil table's depth_mm)"
    )
    elevation: ElevationLayer | None = None
    project_sites: SitesLayer | None = None
    roads: VectorLayer | None = None
    protected_areas: VectorLayer | None = Field(
        default=None, description="polygons where interventions are excluded (reserves, parks)"
    )

    @model_validator(mode="after")
    def _pet_source(self) -> LayersConfig:
        if self.et0 is None and (self.tmin is None or self.tmax is None):
            raise ValueError(
                "no reference-ET source: add [layers.et0] (mm/month) or both "
                "[layers.tmin] and [layers.tmax] (degC)"
            )
        return self


class RegionSection(StrictModel):
    """The ``[region]`` table: name, working grid and labels."""

    name: str
    description: str = ""
    crs: str | None = Field(
        default=None,
        description="projected working CRS; default: UTM zone of the communities' centroid",
    )
    resolution_m: Annotated[float, Field(gt=0, le=5000)] = 30.0
    margin_m: Annotated[float, Field(ge=0)] = 0.0
    synthetic: bool = False
    country: str | None = None


class WaterBalanceConfig(StrictModel):
    """Method choices of the monthly water balance (used by ``processing``)."""

    pet_method: Literal["auto", "et0", "hargreaves", "thornthwaite"] = "auto"
    rain_days: list[Annotated[float, Field(gt=0, le=31)]] = Field(
        default_factory=lambda: [8.0] * 12, description="rain events per month, January..December"
    )
    rain_event_depths: EventDepths = Field(
        default="exponential",
        description="how a month's rain is spread over its rain_days events for the curve"
        " number: exponentially distributed depths (expected runoff) or equal depths",
    )
    spinup_years: Annotated[int, Field(ge=0, le=50)] = 5
    default_awc_mm_per_m: Annotated[float, Field(gt=0, le=400)] = 100.0
    default_hsg: Literal["A", "B", "C", "D"] = "B"
    z_parameter: Annotated[float, Field(gt=0, le=30)] = 6.0
    cn_multiplier: Annotated[float, Field(ge=0.75, le=1.25)] = Field(
        default=1.0, description="scales every curve number (set by `landwater calibrate`)"
    )
    awc_multiplier: Annotated[float, Field(ge=0.5, le=2.0)] = Field(
        default=1.0,
        description="scales the monthly balance's root-zone storage (set by calibration)",
    )
    baseflow_k_months: Annotated[float, Field(ge=0.5, le=24)] = Field(
        default=2.0, description="linear-reservoir recession constant of baseflow, months"
    )
    daily_curve_number: bool | None = Field(
        default=None,
        description="run the curve number on each day's rain of [layers.rainfall.daily]"
        " (true: required; false: on the monthly rain with rain_days and rain_event_depths;"
        " unset: on the days when the region has daily rain)",
    )

    @field_validator("rain_days")
    @classmethod
    def _twelve(cls, v: list[float]) -> list[float]:
        if len(v) != 12:
            raise ValueError(f"rain_days needs 12 values (January..December), got {len(v)}")
        return v


CriterionLayer = Literal[
    "rainfall_annual_mm",
    "slope_pct",
    "elevation_m",
    "land_use",
    "soil_hsg",
    "awc_mm_per_m",
    "distance_to_roads_m",
    "distance_to_sites_m",
    "deficit_mm_yr",
    "runoff_mm_yr",
    "recharge_mm_yr",
    "water_yield_mm_yr",
]
PARAM_COUNTS = {"trapezoid": 4, "increasing": 2, "decreasing": 2, "classes": 0}


class CriterionConfig(StrictModel):
    """One criterion of an intervention profile: a layer, a membership function, a weight.

    ``params``: trapezoid a1..a4, or increasing/decreasing low, high (in the layer's units);
    ``classes``: score 0..1 per class code (land use) or group (soil_hsg: "A".."D").
    """

    layer: CriterionLayer
    function: Literal["trapezoid", "increasing", "decreasing", "classes"]
    # an open end is infinite (a trapezoid that never falls: [0, 300, inf, inf]); NaN is not
    params: list[Annotated[float, Field(allow_inf_nan=True)]] = Field(default_factory=list)
    classes: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    weight: Annotated[float, Field(ge=0)] = 1.0
    rationale: str = ""

    @model_validator(mode="after")
    def _params_fit(self) -> CriterionConfig:
        need = PARAM_COUNTS[self.function]
        if self.function == "classes":
            if not self.classes:
                raise ValueError(
                    f"criterion on '{self.layer}': function 'classes' needs a classes table"
                )
        elif any(math.isnan(p) for p in self.params):
            raise ValueError(f"criterion on '{self.layer}': params must be numbers, got nan")
        elif len(self.params) != need:
            got = len(self.params)
            raise ValueError(
                f"criterion on '{self.layer}': '{self.function}' needs {need} params, got {got}"
            )
        elif self.params != sorted(self.params):
            raise ValueError(
                f"criterion on '{self.layer}': params must increase, got {self.params}"
            )
        return self


# ``name_fr = "..."`` in an intervention: its name in another language (ISO 639-1 code)
LOCAL_NAME_KEY = re.compile(r"name_([a-z]{2,3})")


CostUnit = Literal["site", "ha", "m3"]
ScenarioLever = Literal["ponds", "terraces", "agroforestry"]


class CostModel(StrictModel):
    """What an intervention costs, for budget portfolios (``landwater portfolio``).

    A portfolio allocates whole *units* to communities. One unit is ``unit_size`` of ``unit``
    (a site; hectares treated; m3 of storage) and costs ``unit_cost`` per ``unit``; a
    community given any unit costs ``fixed_cost_per_community`` once more (mobilisation,
    training, committees). All costs are in ``currency``.
    """

    unit_cost: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="cost per site, per ha or per m3 of storage, in currency"
    )
    unit: CostUnit | None = Field(default=None, description="site, ha or m3 (of storage)")
    unit_size: Annotated[float, Field(gt=0)] = Field(
        default=1.0, description="ha or m3 in one allocated unit (a pond's volume, a block's ha)"
    )
    fixed_cost_per_community: Annotated[float, Field(ge=0)] = Field(
        default=0.0, description="paid once in every community given at least one unit"
    )
    storage_m3_per_site: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="unit = site: water one site stores, m3 (its m3 harvested)"
    )
    scenario_lever: ScenarioLever | None = Field(
        default=None,
        description="how the designer's scenarios model a unit (for the recharge gained)",
    )
    currency: str = Field(default="USD", min_length=1, max_length=12)

    @model_validator(mode="after")
    def _cost_model(self) -> CostModel:
        try:
            self._check_costs()
        except ValueError as exc:
            owner = getattr(self, "id", None)
            raise ValueError(f"intervention '{owner}': {exc}" if owner else str(exc)) from None
        return self

    def _check_costs(self) -> None:
        if (self.unit_cost is None) != (self.unit is None):
            given, missing = ("unit_cost", "unit") if self.unit is None else ("unit", "unit_cost")
            raise ValueError(
                f"'{given}' needs '{missing}': give both (unit_cost = 4.0 with unit = 'site',"
                " 'ha' or 'm3'), or neither"
            )
        if self.unit == "site" and self.unit_size != 1:
            raise ValueError(
                "unit_size is the ha or m3 of one unit: with unit = 'site' leave it out"
                " (one unit is one site)"
            )
        if self.storage_m3_per_site is not None and self.unit != "site":
            raise ValueError(
                "storage_m3_per_site applies to unit = 'site'; with unit = 'm3' the storage"
                " of a unit is unit_size"
            )
        stores = self.unit == "m3" or self.storage_m3_per_site is not None
        if self.scenario_lever == "ponds" and not stores:
            raise ValueError(
                "scenario_lever = 'ponds' needs storage: unit = 'm3' (unit_size m3 per pond),"
                " or unit = 'site' with storage_m3_per_site"
            )
        if self.scenario_lever in ("terraces", "agroforestry") and self.unit != "ha":
            raise ValueError(f"scenario_lever = '{self.scenario_lever}' needs unit = 'ha'")

    @property
    def priced(self) -> bool:
        """Whether the intervention has a cost model (unit_cost and unit)."""
        return self.unit_cost is not None and self.unit is not None

    @property
    def storage_m3(self) -> float | None:
        """Water one unit stores, m3 (None: the unit stores none)."""
        if self.unit == "m3":
            return self.unit_size
        return self.storage_m3_per_site

    @property
    def cost_per_unit(self) -> float:
        """Cost of one allocated unit (``unit_cost`` x ``unit_size``), in currency."""
        return float(self.unit_cost or 0.0) * self.unit_size


class InterventionConfig(CostModel):
    """A suitability profile declared under ``[[interventions]]``, with its optional cost model.

    The cost keys (``unit_cost``, ``unit``, ...) are those of :class:`CostModel`.
    """

    id: str
    name: str
    names: dict[str, str] = Field(
        default_factory=dict,
        description="the name in other languages by language code (keys name_fr, name_es, ...)",
    )
    description: str = ""
    method: Literal["sum", "geometric"] = "sum"
    criteria: list[CriterionConfig] = Field(min_length=1)
    ahp: list[list[Annotated[float, Field(gt=0)]]] | None = Field(
        default=None, description="pairwise comparison matrix replacing the criteria weights"
    )
    exclude_land_use: list[int] = Field(default_factory=list)
    max_slope_pct: Annotated[float, Field(gt=0)] | None = None
    exclude_protected: bool = Field(
        default=True, description="exclude cells inside [layers.protected_areas]"
    )
    water_buffer_m: Annotated[float, Field(ge=0)] | None = Field(
        default=None,
        description="exclude cells closer than this to land-use classes named water/wetland",
    )
    site_types: list[str] = Field(
        default_factory=list,
        description="project-site types (the sites' type field) built as this intervention: "
        "monitoring counts each completed one as one unit",
    )

    @model_validator(mode="before")
    @classmethod
    def _local_names(cls, data: object) -> object:
        """``name_fr = "Mares"`` (as a class table's ``name_fr`` column) joins ``names``."""
        if not isinstance(data, dict):
            return data
        local = {m[1]: v for k, v in data.items() if (m := LOCAL_NAME_KEY.fullmatch(str(k)))}
        if not local:
            return data
        rest = {k: v for k, v in data.items() if not LOCAL_NAME_KEY.fullmatch(str(k))}
        return {**rest, "names": {**(rest.get("names") or {}), **local}}

    def name_in(self, lang: str) -> str:
        """The name in language ``lang`` when the region gives one, else ``name``."""
        return self.names.get(lang, "").strip() or self.name

    @model_validator(mode="after")
    def _weights(self) -> InterventionConfig:
        n = len(self.criteria)
        if self.ahp is not None:
            if len(self.ahp) != n or any(len(row) != n for row in self.ahp):
                raise ValueError(
                    f"intervention '{self.id}': ahp must be {n} x {n}, a row per criterion"
                )
        elif sum(c.weight for c in self.criteria) <= 0:
            raise ValueError(f"intervention '{self.id}': every criterion weight is zero")
        return self


class CropConfig(StrictModel):
    """EcoCrop parameters of one crop (temperature in degC, rain in mm per season, days)."""

    id: str
    name: str
    tmin: float
    topmn: float
    topmx: float
    tmax: float
    ktmp: float | None = None
    rmin: float
    ropmn: float
    ropmx: float
    rmax: float
    gmin: Annotated[int, Field(ge=1, le=365)]
    gmax: Annotated[int, Field(ge=1, le=365)]

    @model_validator(mode="after")
    def _ordered(self) -> CropConfig:
        for group in (
            ("tmin", "topmn", "topmx", "tmax"),
            ("rmin", "ropmn", "ropmx", "rmax"),
            ("gmin", "gmax"),
        ):
            values = [getattr(self, k) for k in group]
            if values != sorted(values):
                order = " <= ".join(group)
                raise ValueError(f"crop '{self.id}': needs {order}, got {values}")
        return self


TILE_PLACEHOLDERS = ("{z}", "{x}", "{y}")


class MapSection(StrictModel):
    """The ``[map]`` table: an optional online basemap (satellite imagery, for instance).

    The offline hillshade stays the default base layer; this one is a choice in the layer
    list and is fetched only when the user switches to it.
    """

    basemap_url: str | None = Field(
        default=None,
        description="XYZ tile URL with {z}, {x} and {y}, e.g. a satellite imagery service",
    )
    basemap_name: str = Field(default="Satellite", description="its name in the layer list")
    basemap_attribution: str = Field(default="", description="credit shown on the map")

    @field_validator("basemap_url")
    @classmethod
    def _tile_url(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if not v.startswith(("https://", "http://")) or not all(p in v for p in TILE_PLACEHOLDERS):
            raise ValueError(
                "basemap_url must be an http(s) tile URL holding {z}, {x} and {y}, e.g. "
                "https://example.org/tiles/{z}/{y}/{x}.jpg"
            )
        return v


class FutureConfig(StrictModel):
    """A set of downscaled CMIP6 monthly climatologies (``[[futures]]``; see layers.futures).

    ``path`` is a folder or a glob of WorldClim 2.1 or CHELSA-CMIP6 future files, relative
    to the region. ``reference`` is the same product's baseline climatology: the futures
    then change the region's climate by the product's own change (delta method); without
    it the future climatology, resampled to the grid, replaces the region's climatology.
    """

    path: str
    reference: str | None = None


class RegionConfig(StrictModel):
    """The whole of ``region.toml``."""

    region: RegionSection
    layers: LayersConfig
    water_balance: WaterBalanceConfig = Field(default_factory=WaterBalanceConfig)
    interventions: list[InterventionConfig] = Field(default_factory=list)
    crops: list[CropConfig] = Field(default_factory=list)
    futures: list[FutureConfig] = Field(default_factory=list)
    map: MapSection = Field(default_factory=MapSection)
