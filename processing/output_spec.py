"""Every output of the results store, declared once: name, units, method and meaning.

The manifest's ``outputs`` section, the README sheet of the Excel exports, the README's
results-store tables and the dashboard's indicator units are generated from these
declarations. A name is either concrete (``area_ha``) or a pattern with one placeholder
(``lu_<class>_ha``); a placeholder with ``values`` takes only those values (``<level>``:
communities, watersheds), any other matches any non-empty text.

The water indicators also carry a :class:`Gloss`: plain words for a field officer on what
the figure means and what to use it for (:mod:`processing.glossary` gathers them).
:mod:`processing.output_manifest` writes the manifest's ``outputs`` from these declarations
and :mod:`processing.output_readme` the README's tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from processing.kernels.suitability import CLASS_LIMITS
from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.trends import DRY_PERCENTILE, TREND_VARIABLES

LEVELS = ("communities", "watersheds")
BALANCE_METHOD = "per-cell monthly balance on the climatology"
LUMPED_METHOD = "the unit's lumped monthly balance on its mean inputs: sum of the months / years"
_PLACEHOLDER = re.compile(r"<([a-z]+)>")


@dataclass(frozen=True)
class Gloss:
    """Plain words for a water indicator, for a field officer.

    Attributes
    ----------
    label : str
        Short name shown beside the figure (English; the dashboard translates it).
    means : str
        What the figure is, in one or two sentences.
    use : str
        Which decision to take with it (or not to).
    """

    label: str
    means: str
    use: str


@dataclass(frozen=True)
class Output:
    """One declared output: a store file, a table column or a balance variable.

    Attributes
    ----------
    name : str
        Concrete name, or a pattern with one ``<placeholder>``.
    units : str
        Units of the values ("" for text and identifiers).
    method : str
        How the values are computed, in short.
    meaning : str
        What the output is, in one line.
    values : tuple of str
        The values the placeholder takes, when it is a fixed set.
    when : str
        The condition for the output to exist ("" when it always does).
    table : str
        For a table file: the key of its columns in :data:`TABLES`.
    gloss : Gloss, optional
        Plain words for the glossary (water indicators only).
    """

    name: str
    units: str
    method: str
    meaning: str
    values: tuple[str, ...] = ()
    when: str = ""
    table: str = ""
    gloss: Gloss | None = None

    @property
    def placeholder(self) -> str:
        """The placeholder's name (``"class"`` for ``lu_<class>_ha``), "" when concrete."""
        found = _PLACEHOLDER.search(self.name)
        return found.group(1) if found else ""

    def names(self) -> tuple[str, ...]:
        """The concrete names this entry stands for (none for an open pattern)."""
        if not self.placeholder:
            return (self.name,)
        return tuple(_PLACEHOLDER.sub(v, self.name) for v in self.values)

    def match(self, name: str) -> str | None:
        """The placeholder's value in ``name`` ("" for a concrete entry), None if no match."""
        if not self.placeholder:
            return "" if name == self.name else None
        head, tail = _PLACEHOLDER.split(self.name, maxsplit=1)[::2]
        value = "|".join(map(re.escape, self.values)) if self.values else ".+"
        found = re.fullmatch(f"{re.escape(head)}({value}){re.escape(tail)}", name)
        return found.group(1) if found else None


# AET/PET bands of the stress index's gloss: FAO Irrigation and Drainage Paper 33's yield
# response 1 - Ya/Ym = Ky (1 - ETa/ETm) with maize's Ky = 1.25 loses 25 % of the yield at 0.8
# and 62 % at 0.5
STRESS_MILD = 0.8
STRESS_SEVERE = 0.5
CROSS_CHECK = "InVEST-compatible cross-check, not for planning"
WATER_STORY = (
    "The monthly water balance is the main account: rain = actual ET + runoff + recharge"
    " + change in soil water, and streamflow = runoff + baseflow. The Budyko water yield is"
    " an InVEST-compatible cross-check of the annual yield, not the figure to plan with."
)

VARIABLES = (
    Output(
        "rain",
        "mm, m3",
        "mean of the rainfall layer over the unit",
        "rainfall",
        gloss=Gloss(
            "Rainfall",
            "All the rain that falls on the area in a year, as a depth of water"
            " (1 mm over 1 ha is 10 m³).",
            "The water that every other figure shares out; most of it returns to the air,"
            " so it is not the water you can use.",
        ),
    ),
    Output(
        "pet",
        "mm, m3",
        "Kc x ET0 (ET0: the manifest's et0_source), mean over the unit",
        "crop potential evapotranspiration",
        gloss=Gloss(
            "Crop PET",
            "The water the crops and other plants would use if the soil never dried out"
            " (potential evapotranspiration).",
            "Compare it with rainfall: where it is higher, plants go short unless water is"
            " stored or brought in.",
        ),
    ),
    Output(
        "aet",
        "mm, m3",
        "Thornthwaite-Mather soil store (capacity: storage_capacity_mm)",
        "actual evapotranspiration",
        gloss=Gloss(
            "Actual ET",
            "The water the plants really use and return to the air (actual"
            " evapotranspiration); it falls below crop PET when the soil dries out.",
            "Water taken by the land itself: it is not available for ponds, wells or streams.",
        ),
    ),
    Output(
        "runoff",
        "mm, m3",
        "SCS curve number per land-use x soil-group unit, expected over rain events",
        "surface runoff",
        gloss=Gloss(
            "Runoff",
            "Rain that runs off the surface during storms instead of soaking in (quick runoff).",
            "Use it for water harvesting: it is the water that farm ponds, water pans and"
            " sand dams can catch.",
        ),
    ),
    Output("infiltration", "mm, m3", "rain - runoff", "rain that enters the soil"),
    Output(
        "recharge",
        "mm, m3",
        "Thornthwaite-Mather store: water above its capacity",
        "soil surplus that leaves the root zone",
        gloss=Gloss(
            "Recharge",
            "Water that drains below the root zone once the soil is full, and refills the"
            " groundwater.",
            "Use it for wells, boreholes and springs: it is the yearly amount that refills them.",
        ),
    ),
    Output(
        "baseflow",
        "mm, m3",
        "recharge through a linear reservoir ([water_balance] baseflow_k_months)",
        "groundwater flow to the streams",
        gloss=Gloss(
            "Baseflow",
            "Groundwater that seeps back into the streams and keeps them flowing in the dry"
            " months.",
            "The dry-season part of streamflow.",
        ),
    ),
    Output(
        "streamflow",
        "mm, m3",
        "runoff + baseflow",
        "flow the unit yields at its outlet (as calibrated by landwater calibrate)",
        gloss=Gloss(
            "Streamflow",
            "Water that leaves the area in its streams: runoff plus baseflow.",
            "Use it for downstream users (river intakes, irrigation schemes, livestock):"
            " water harvested or used upstream reduces it.",
        ),
    ),
    Output(
        "storage",
        "mm, m3",
        "Thornthwaite-Mather store at the end of the month",
        "soil water in the root zone",
        when="the long tables",
        gloss=Gloss(
            "Soil water",
            "Water held in the root zone at the end of the month.",
            "Shows when the soil is full and when it is dry; it carries water from the wet"
            " months into the dry ones.",
        ),
    ),
    Output(
        "deficit",
        "mm, m3",
        "pet - aet",
        "unmet water demand",
        gloss=Gloss(
            "Deficit",
            "Water the crops needed but did not get: crop PET minus actual ET.",
            "Use it as the irrigation need: what irrigation or stored water would have to add"
            " for crops to grow without water stress.",
        ),
    ),
)
ANNUAL_VARIABLES = tuple(v.name for v in VARIABLES if v.name != "storage")  # summary
RASTER_BALANCE = ("aet", "runoff", "recharge", "deficit")
RASTER_VARIABLES = (*RASTER_BALANCE, "water_yield")

SUMMARY = (
    Output("id", "", "the layer's id_field", "unit id"),
    Output("name", "", "the layer's name_field (the id when it has none)", "unit name"),
    Output("area_ha", "ha", "polygon area in the working CRS", "unit area"),
    Output(
        "<var>_mm_yr",
        "mm/yr",
        LUMPED_METHOD,
        "annual <var> over the unit, as a depth (empty when an input is missing)",
        values=ANNUAL_VARIABLES,
    ),
    Output(
        "<var>_m3_yr",
        "m3/yr",
        "<var>_mm_yr x area / 1000",
        "annual <var> over the unit, as a volume",
        values=ANNUAL_VARIABLES,
    ),
    Output(
        "stress_index",
        "ratio",
        "aet / pet (1 where pet is 0)",
        "water-stress index",
        gloss=Gloss(
            "Water-stress index",
            "Actual ET divided by crop PET over the year: 1 means no water stress, 0 means"
            " the plants got no water.",
            f"{STRESS_MILD} or more is good; {STRESS_SEVERE} to {STRESS_MILD} is moderate"
            f" stress (rain-fed yields drop); below {STRESS_SEVERE} is severe stress, where"
            " rain-fed crops often fail without extra water.",
        ),
    ),
    Output(
        "months_in_deficit_per_yr",
        "months/yr",
        "months with pet - aet > deficit_month_mm (manifest), per year",
        "how often the unit is short of water",
        gloss=Gloss(
            "Months in deficit",
            f"How many months a year the crops get more than {DEFICIT_MONTH_MM:.0f} mm less"
            " water than they need.",
            "The length of the dry spell to bridge with stored water, irrigation or"
            " drought-tolerant crops.",
        ),
    ),
    Output(
        "water_yield_mm_yr",
        "mm/yr",
        "mean of the water_yield raster over the unit's cells that have a value",
        f"annual water yield (Budyko, never calibrated): {CROSS_CHECK}",
        gloss=Gloss(
            "Water yield (Budyko, InVEST cross-check)",
            "Rain minus the water plants use over a whole year, by the Budyko method of"
            " InVEST's annual water yield model; it has no soil store between months, so it"
            " is usually higher than streamflow.",
            "InVEST-compatible cross-check of the annual yield; not the figure to plan with:"
            " use runoff, recharge and streamflow.",
        ),
    ),
    Output(
        "water_yield_m3_yr",
        "m3/yr",
        "water_yield_mm_yr x area / 1000",
        f"annual water yield (Budyko): {CROSS_CHECK}",
    ),
    Output(
        "curve_number",
        "CN",
        "area-weighted mean of the unit's land-use x soil-group curve numbers (calibrated)",
        "SCS runoff curve number (runoff is computed per land-use x soil group, not on this mean)",
    ),
    Output(
        "storage_capacity_mm",
        "mm",
        "mean over the unit of AWC x min(root depth, soil depth) (calibrated)",
        "soil water storage capacity",
    ),
    Output("kc", "ratio", "mean over the unit of the land-use class's Kc", "crop coefficient"),
    Output(
        "lu_<class>_ha",
        "ha",
        "class areas of the aligned land-use raster",
        "area of land-use class <class> in the unit",
    ),
    Output(
        "lu_<class>_pct",
        "%",
        "lu_<class>_ha / area of every land-use class in the unit",
        "share of land-use class <class> in the unit",
    ),
    Output(
        "suit_<id>_score",
        "score 0..1",
        "mean of the cells' scores (excluded cells count 0)",
        "suitability of intervention <id>",
        when="interventions that could be scored",
    ),
    Output(
        "suit_<id>_s1s2_ha",
        "ha",
        "S1_ha + S2_ha of the suitability table",
        "area suitable for intervention <id> (classes S1 and S2)",
        when="interventions that could be scored",
    ),
    Output(
        "crop_<id>_score",
        "score 0..1",
        "best_month_score of the crops table (EcoCrop)",
        "suitability of crop <id> at its best planting month",
        when="regions with Tmin and Tmax layers",
    ),
    Output(
        "best_crop",
        "",
        "highest crop_<id>_score (the first crop listed on ties)",
        "best-suited crop",
        when="regions with Tmin and Tmax layers",
    ),
    Output(
        "best_crop_month",
        "month",
        "best_month_name of the best crop",
        "when to plant the best crop",
        when="regions with Tmin and Tmax layers",
    ),
    Output(
        "best_crop_score",
        "score 0..1",
        "crop_<id>_score of the best crop",
        "suitability of the best crop",
        when="regions with Tmin and Tmax layers",
    ),
)

_LONG_KEYS = (
    Output("unit_id", "", "id of the summary tables", "unit id"),
    Output("year", "", "calendar year (empty for a climatology)", "year"),
)
MONTHLY = (
    *_LONG_KEYS,
    Output("month", "1..12", "calendar month of the series", "month"),
    Output("variable", "", "see the balance variables", "balance variable"),
    Output("value", "mm or m3", "one month of the unit's lumped balance", "value of the month"),
    Output("unit", "", "mm (depth) or m3 (depth x area / 1000)", "units of value"),
)
ANNUAL = (
    *_LONG_KEYS,
    Output("variable", "", "see the balance variables", "balance variable"),
    Output("unit", "", "mm (depth) or m3 (depth x area / 1000)", "units of value"),
    Output(
        "value",
        "mm or m3",
        "sum of the year's months (storage: the year's last month)",
        "total of the year",
    ),
    Output("months", "months", "months of the year in the record", "months summed"),
)


_WHOLE_YEARS = "the unit's whole years (all 12 months; partial years are left out)"
TRENDS = (
    *_LONG_KEYS[:1],
    Output("year", "", "calendar year with all 12 months in the series", "year"),
    Output(
        "<var>_mm",
        "mm",
        "sum of the year's 12 months of the unit's lumped balance",
        "<var> of the year",
        values=TREND_VARIABLES,
    ),
    Output(
        "deficit_months",
        "months",
        f"months of the year with deficit > {DEFICIT_MONTH_MM:.0f} mm",
        "months in deficit in the year",
    ),
    Output(
        "dry_year",
        "true/false",
        f"rain_mm below the {DRY_PERCENTILE:.0f}th percentile (numpy, linear) of {_WHOLE_YEARS}",
        "the year is dry",
    ),
    Output(
        "<var>_anomaly_mm",
        "mm",
        f"<var>_mm - its mean over {_WHOLE_YEARS}",
        "<var> of the year against the period mean",
        values=TREND_VARIABLES,
    ),
    Output(
        "<var>_anomaly_pct",
        "%",
        "100 x <var>_anomaly_mm / the period mean (empty when the mean is 0)",
        "<var> of the year against the period mean, in %",
        values=TREND_VARIABLES,
    ),
)


def _class_range(name: str) -> str:
    """The scores of a suitability class, from :data:`CLASS_LIMITS`."""
    limits = sorted(CLASS_LIMITS.values(), reverse=True)
    low = CLASS_LIMITS.get(name)
    if low is None:
        return f"score < {limits[-1]}"
    above = [x for x in limits if x > low]
    return f"{low} <= score < {above[-1]}" if above else f"score >= {low}"


SUITABILITY = (
    Output("unit_id", "", "id of the summary tables", "unit id"),
    Output("intervention", "", "the profile's id", "intervention"),
    Output(
        "mean_score",
        "score 0..1",
        "mean of the unit's cell scores (excluded cells count 0)",
        "mean suitability",
    ),
    *(
        Output(
            f"{k}_{suffix}",
            units,
            f"cells with {_class_range(k)}",
            f"{what} of the unit in class {k}",
        )
        for k in (*CLASS_LIMITS, "N")
        for suffix, units, what in (("ha", "ha", "area"), ("pct", "%", "share of the scored area"))
    ),
    Output("excluded_ha", "ha", "cells a constraint excludes", "area excluded"),
    Output(
        "best_score",
        "score 0..1",
        "highest cell score (the lowest cell index on ties)",
        "score of the best cell",
    ),
    Output("best_x", "m", "cell centre, working CRS", "x of the best cell"),
    Output("best_y", "m", "cell centre, working CRS", "y of the best cell"),
    Output("best_lon", "degrees", "cell centre, WGS84", "longitude of the best cell"),
    Output("best_lat", "degrees", "cell centre, WGS84", "latitude of the best cell"),
    Output(
        "limiting_criterion",
        "",
        "largest mean weighted shortfall w (1 - m) over the allowed cells;"
        " 'constraints' when no cell is allowed, empty when nothing falls short",
        "the criterion that limits suitability most",
    ),
)

CROPS = (
    Output("unit_id", "", "id of the summary tables", "unit id"),
    Output("crop", "", "the crop's id", "crop"),
    Output("crop_name", "", "the crop's name", "crop name"),
    Output(
        "best_month",
        "1..12",
        "month with the best unit-mean EcoCrop score (0 when never suitable)",
        "best planting month",
    ),
    Output(
        "best_month_name",
        "month",
        "name of best_month ('all year' for perennials)",
        "best planting month",
    ),
    Output(
        "best_month_score",
        "score 0..1",
        "unit-mean EcoCrop score of planting in best_month",
        "suitability at the best planting month",
    ),
    Output(
        "potential_score",
        "score 0..1",
        "mean of each cell's own best-month score",
        "suitability with the best month of each cell",
    ),
    Output(
        "suitable_ha",
        "ha",
        "cells whose best-month score is 0.5 or more",
        "area suitable for the crop",
    ),
)

EXPORTS = (
    Output(
        "src_<column>",
        "",
        "the layer's own attribute, renamed when a results column has its name",
        "attribute of the user's layer",
    ),
    Output(
        "sites_<type>",
        "count",
        "project sites of the type within the unit",
        "project sites of type <type>",
        when="regions with project sites",
    ),
    Output(
        "calibration",
        "mm/month, m3/s",
        "landwater calibrate at the calibrated outlet",
        "sheet: observed and simulated monthly flow",
        when="calibrated regions, watersheds",
    ),
)

TABLES: Mapping[str, tuple[Output, ...]] = {
    "summary": SUMMARY,
    "monthly": MONTHLY,
    "annual": ANNUAL,
    "trends": TRENDS,
    "suitability": SUITABILITY,
    "crops": CROPS,
}

FILES = (
    Output(
        "manifest.json",
        "",
        "written last",
        "inputs fingerprint, date, methods (ET0 source), CRS, files and these outputs",
    ),
    Output(
        "<level>.csv",
        "",
        "see the summary columns",
        "one row per unit: water balance, land use, suitability and crops",
        values=LEVELS,
        table="summary",
    ),
    Output(
        "monthly_<level>.csv",
        "mm, m3",
        "see the monthly columns",
        "long: every balance variable of every month of the record",
        values=LEVELS,
        table="monthly",
    ),
    Output(
        "annual_<level>.csv",
        "mm, m3",
        "see the annual columns",
        "long: per-year totals of every balance variable",
        values=LEVELS,
        when="multi-year monthly series",
        table="annual",
    ),
    Output(
        "trends_<level>.csv",
        "mm, months",
        "see the trends columns",
        "per unit and whole year: rain, runoff, recharge, deficit, anomalies, dry years",
        values=LEVELS,
        when="multi-year monthly series",
        table="trends",
    ),
    Output(
        "suitability_<level>.csv",
        "",
        "see the suitability columns",
        "long: one row per unit and intervention",
        values=LEVELS,
        when="interventions that could be scored",
        table="suitability",
    ),
    Output(
        "crops_<level>.csv",
        "",
        "see the crops columns",
        "long: one row per unit and crop",
        values=LEVELS,
        when="regions with Tmin and Tmax layers",
        table="crops",
    ),
    Output(
        "results.gpkg",
        "",
        "working CRS",
        "layers communities and watersheds: geometry + the summary columns",
    ),
    Output(
        "rasters/<var>_mm_yr.tif",
        "mm/yr",
        BALANCE_METHOD,
        "annual <var> of each cell (COG)",
        values=RASTER_BALANCE,
    ),
    Output(
        "rasters/water_yield_mm_yr.tif",
        "mm/yr",
        "Budyko (Fu/Zhang, as InVEST) per cell on the annual climatology, with the tables'"
        " uncalibrated values; nodata where InVEST has none (no soil data or soil depth)",
        f"annual water yield of each cell (COG): {CROSS_CHECK}",
    ),
    Output(
        "rasters/suitability_<id>.tif",
        "score 0..1",
        "intervention suitability: weighted criteria memberships, 0 where excluded",
        "score of each cell for intervention <id> (COG)",
        when="interventions that could be scored",
    ),
    Output(
        "rasters/crop_<id>.tif",
        "score 0..1",
        "crop suitability: EcoCrop on ~250 m climate cells, best planting month",
        "score of each cell for crop <id> (COG)",
        when="regions with Tmin and Tmax layers",
    ),
)

GROUPS: Mapping[str, tuple[Output, ...]] = {
    "files": FILES,
    **TABLES,
    "variables": VARIABLES,
    "exports": EXPORTS,
}


def resolve(name: str, group: str = "summary") -> tuple[Output, str]:
    """The entry of a concrete name in a group, and its placeholder's value.

    Concrete entries are tried first, then patterns with fixed values, then open ones.

    Parameters
    ----------
    name : str
        A file path of the store (``rasters/crop_maize.tif``), a column or a variable.
    group : str
        A key of :data:`GROUPS` (``"files"``, ``"summary"``, ``"crops"``, ...).

    Returns
    -------
    tuple of (Output, str)
        The entry and the placeholder's value ("" for a concrete entry).

    Raises
    ------
    KeyError
        When no entry of the group matches.
    """
    entries = GROUPS[group]
    ranked = sorted(entries, key=lambda e: (bool(e.placeholder), not e.values))
    for entry in ranked:
        value = entry.match(name)
        if value is not None:
            return entry, value
    raise KeyError(f"'{name}' is not a declared output of {group} (processing/output_spec.py)")


def describe(name: str, group: str = "summary") -> dict[str, str]:
    """Units, method and meaning of a concrete name, its placeholder filled in.

    In a ``<var>`` entry the meaning names the balance variable and the method adds the
    variable's own method (unless it refers to another ``<var>`` column).
    """
    entry, value = resolve(name, group)
    if not entry.placeholder:
        return {"units": entry.units, "method": entry.method, "meaning": entry.meaning}
    word, method = value, entry.method
    if entry.placeholder == "var":
        var, _ = resolve(value, "variables")
        word = var.meaning
        if "<var>" not in method:
            method = f"{method}; {value}: {var.method}"
    return {
        "units": entry.units,
        "method": _PLACEHOLDER.sub(value, method),
        "meaning": _PLACEHOLDER.sub(word, entry.meaning),
    }


def units_of(name: str, group: str = "summary") -> str:
    """Units of a concrete name (``units_of("rain_mm_yr")`` is ``"mm/yr"``)."""
    return resolve(name, group)[0].units


def raster_tags(stem: str) -> dict[str, str]:
    """GeoTIFF tags of a store raster by file stem (``aet_mm_yr``, ``suitability_<id>``)."""
    entry, _ = resolve(f"rasters/{stem}.tif", "files")
    return {"units": entry.units, "variable": stem.removesuffix("_mm_yr"), "method": entry.method}
