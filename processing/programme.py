"""The programme's progress from the monitoring records: sites by status, households, water.

Every total reads each site's latest record (on or before a date): its status, and the
households it reaches with those led by women and by young people. Totals are given per
community, watershed or intervention type (the sites layer's type), and for the whole
region. The women-led and youth-led counts travel with the households through every table
here, so no output carries households without them.

Water harvested and recharge gained by the completed sites: the portfolio's numbers
(:func:`processing.portfolio_impacts.impact_table`, impacts ``"m3"`` and ``"recharge"``):
the ``k`` completed sites of a type that an intervention lists in ``site_types``, in one
community, count as ``k`` units of that intervention; each site carries an equal share of
what they give. The recharge gained is the designer's scenario with ``k`` units for the
intervention's ``scenario_lever``, minus the baseline
(:func:`processing.portfolio_impacts.recharge_table`). Sites whose type no intervention
lists, whose intervention has no cost model (or, for recharge, no ``scenario_lever``),
or more than ``MAX_UNITS`` completed sites of one type in one community, carry none (NaN).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.config import InterventionConfig
from layers.monitoring import COUNT_COLUMNS, STATUSES
from layers.registry import LayerRegistry
from processing.portfolio import PortfolioError
from processing.portfolio_impacts import CommunityFacts, impact_table
from processing.portfolio_terms import MAX_UNITS

Grouping = Literal["community", "watershed", "type"]
GROUPINGS: tuple[Grouping, ...] = ("community", "watershed", "type")
WATER_COLUMN = "water_harvested_m3_yr"
# what the programme view says of its water numbers (the dashboard translates it)
WATER_NOTE = (
    "Water harvested and recharge gained are the scenario model's numbers for each "
    "completed site's intervention. Recharge gained is negative where trees use more "
    "water than the crops they replace; a water pan's seepage counts as a loss of the "
    "pan, not as recharge; – where the site's type has no intervention in the model."
)
RECHARGE_COLUMN = "recharge_gained_m3_yr"
REGION_ROW = "All sites"
SITE_COLUMNS = ("site_id", "name", "type", "community", "watershed")


def site_table(reg: LayerRegistry) -> pd.DataFrame:
    """The project sites with their type, community and watershed (names), one row a site.

    ``community_id`` and ``watershed_id`` are the unit ids (empty when a site lies outside
    every unit).
    """
    sites = reg.sites
    spec = reg.region.config.layers.project_sites
    if sites is None or spec is None:
        return pd.DataFrame(columns=[*SITE_COLUMNS, "community_id", "watershed_id"])
    out = pd.DataFrame(
        {
            "site_id": sites[spec.id_field].astype(str).to_numpy(),
            "name": (
                sites[spec.name_field].astype(str).to_numpy()
                if spec.name_field and spec.name_field in sites
                else sites[spec.id_field].astype(str).to_numpy()
            ),
            "type": (
                sites[spec.type_field].astype(str).to_numpy()
                if spec.type_field in sites
                else np.full(len(sites), "")
            ),
        }
    )
    for level, col in (("communities", "community"), ("watersheds", "watershed")):
        units = reg.units(level)
        if units is None:
            out[col], out[f"{col}_id"] = "", ""
            continue
        joined = gpd.sjoin(
            gpd.GeoDataFrame(geometry=sites.geometry.to_numpy(), crs=sites.crs),
            units,
            how="left",
            predicate="within",
        )
        first = joined[~joined.index.duplicated()]
        out[f"{col}_id"] = first["id"].fillna("").astype(str).to_numpy()
        out[col] = first["name"].fillna("").astype(str).to_numpy()
    return out


def latest_records(records: pd.DataFrame, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Each site's latest record (on or before ``as_of`` when given), one row a site."""
    if records.empty:
        return records.copy()
    rows = records if as_of is None else records[pd.to_datetime(records["date"]) <= as_of]
    order = rows.assign(_day=pd.to_datetime(rows["date"])).sort_values(["site_id", "_day"])
    return order.groupby("site_id", sort=True).tail(1).drop(columns="_day").reset_index(drop=True)


def monitored_status(sites: pd.DataFrame, id_column: str, records: pd.DataFrame) -> pd.DataFrame:
    """The sites with each one's latest monitored status where it has records.

    Parameters
    ----------
    sites : pandas.DataFrame
        Project sites with a ``status`` column (the sites layer's) and ids in ``id_column``.
    id_column : str
        The column of ``sites`` holding the ``site_id`` the records name.
    records : pandas.DataFrame
        Monitoring records (:mod:`layers.monitoring`).

    Returns
    -------
    pandas.DataFrame
        A copy of ``sites`` whose ``status`` is the latest record's where a site has
        records (the layer's otherwise), and ``status_date``: that record's date as
        ``YYYY-MM-DD``, None for a site without records.
    """
    out = sites.copy()
    latest = latest_records(records)
    if latest.empty or id_column not in out:
        out["status_date"] = None
        return out
    by_site = latest.set_index("site_id")
    ids = out[id_column].astype(str)
    known = ids.isin(by_site.index).to_numpy()
    status = by_site["status"].reindex(ids).to_numpy()
    day = by_site["date"].reindex(ids).to_numpy()
    layer = out["status"] if "status" in out else pd.Series(None, index=out.index, dtype=object)
    out["status"] = np.where(known, status, layer.to_numpy())
    out["status_date"] = [
        pd.Timestamp(d).date().isoformat() if k else None for d, k in zip(day, known, strict=True)
    ]
    return out


def completed_impact(
    latest: pd.DataFrame,
    sites: pd.DataFrame,
    facts: CommunityFacts,
    interventions: Sequence[InterventionConfig],
    impact: Literal["m3", "recharge"] = "m3",
    recharge: Callable[[InterventionConfig, int], np.ndarray] | None = None,
) -> pd.Series:
    """What each completed site gives (m3/yr), by ``site_id`` (NaN: none known).

    ``impact`` is ``"m3"`` (water harvested) or ``"recharge"`` (recharge gained, from
    ``recharge(iv, K)``: the recharge-gained table of
    :func:`processing.portfolio_impacts.impact_table`; without it no site has any).
    One impact table per intervention, as wide as its most completed sites in one community.
    """
    by_type = {t: iv for iv in interventions for t in iv.site_types}
    done = latest[latest["status"] == "completed"].merge(sites, on="site_id", how="left")
    out = pd.Series(np.nan, index=latest["site_id"].to_numpy(), dtype=float)
    row_of = {c: i for i, c in enumerate(facts.ids)}
    groups: list[tuple[InterventionConfig, int, np.ndarray]] = []
    for (kind, community), group in done.groupby(["type", "community_id"]):
        iv = by_type.get(str(kind))
        if iv is not None and str(community) in row_of and len(group) <= MAX_UNITS:
            groups.append((iv, row_of[str(community)], group["site_id"].to_numpy()))
    widest: dict[str, int] = {}
    for iv, _, site_ids in groups:
        widest[iv.id] = max(widest.get(iv.id, 0), site_ids.size)
    tables: dict[str, np.ndarray] = {}
    for iv, _, _ in groups:
        if iv.id in tables or (impact == "recharge" and recharge is None):
            continue
        try:
            tables[iv.id] = impact_table(facts, iv, impact, widest[iv.id], recharge)
        except PortfolioError:
            continue
    for iv, row, site_ids in groups:
        if iv.id in tables:
            k = site_ids.size
            out[site_ids] = tables[iv.id][row, k] / k
    return out


def completed_water(
    latest: pd.DataFrame,
    sites: pd.DataFrame,
    facts: CommunityFacts,
    interventions: Sequence[InterventionConfig],
) -> pd.Series:
    """Water harvested (m3/yr) each completed site gives, by ``site_id`` (NaN: none known)."""
    return completed_impact(latest, sites, facts, interventions, "m3")


def completed_recharge(
    latest: pd.DataFrame,
    sites: pd.DataFrame,
    facts: CommunityFacts,
    interventions: Sequence[InterventionConfig],
    recharge: Callable[[InterventionConfig, int], np.ndarray],
) -> pd.Series:
    """Recharge gained (m3/yr) each completed site gives, by ``site_id`` (NaN: none known).

    ``recharge(iv, K)`` gives the recharge-gained table
    (:class:`processing.portfolio_impacts.RechargeTables`).
    """
    return completed_impact(latest, sites, facts, interventions, "recharge", recharge)


def programme_table(
    latest: pd.DataFrame,
    sites: pd.DataFrame,
    by: Grouping,
    water: pd.Series | None = None,
    recharge: pd.Series | None = None,
) -> pd.DataFrame:
    """Per group and for the whole region: sites by status, households, shares, water.

    Columns: the group (``by``), ``sites_<status>`` for every status, the counts of
    :data:`layers.monitoring.COUNT_COLUMNS`, ``women_led_pct`` and ``youth_led_pct`` (of the
    households), :data:`WATER_COLUMN` and :data:`RECHARGE_COLUMN` (the completed sites'
    water harvested and recharge gained, m3/yr, from the per-site ``water`` and
    ``recharge``; NaN where no site gives any). The last row is the whole region
    (:data:`REGION_ROW`).
    """
    joined = latest.merge(sites, on="site_id", how="left")
    joined[by] = joined[by].fillna("").astype(str).replace("", "-")
    for col, per_site in ((WATER_COLUMN, water), (RECHARGE_COLUMN, recharge)):
        joined[col] = (
            joined["site_id"].map(per_site).to_numpy(float) if per_site is not None else np.nan
        )
    status = pd.crosstab(joined[by], joined["status"]).reindex(columns=list(STATUSES), fill_value=0)
    status.columns = [f"sites_{s}" for s in STATUSES]
    sums = joined.groupby(by)[[*COUNT_COLUMNS, WATER_COLUMN, RECHARGE_COLUMN]].sum(min_count=1)
    table = status.join(sums).reset_index()
    total = {by: REGION_ROW, **{c: table[c].sum(min_count=1) for c in table.columns if c != by}}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    for col in [*COUNT_COLUMNS, *status.columns]:
        table[col] = pd.to_numeric(table[col]).fillna(0).astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        hh = table["households"].to_numpy(float)
        for col, pct in (
            ("households_women_led", "women_led_pct"),
            ("households_youth_led", "youth_led_pct"),
        ):
            share = np.where(hh > 0, table[col].to_numpy(float) / hh * 100.0, np.nan)
            table.insert(list(table.columns).index(col) + 1, pct, np.round(share, 1))
    for col in (WATER_COLUMN, RECHARGE_COLUMN):
        table[col] = pd.to_numeric(table[col]).round(0)
    return table


def status_over_time(
    records: pd.DataFrame, sites: pd.DataFrame, by: Grouping | None = None, group: str | None = None
) -> pd.DataFrame:
    """Sites in each status on every date a record was made (latest record up to that date).

    Only the sites of ``group`` (a value of the ``by`` column) when both are given.

    Returns
    -------
    pandas.DataFrame
        ``date`` and one column per status, one row per date.
    """
    rows = records
    if by is not None and group is not None:
        keep = sites.loc[sites[by].astype(str) == group, "site_id"]
        rows = records[records["site_id"].isin(keep)]
    days = sorted(pd.to_datetime(rows["date"]).unique())
    out = []
    for day in days:
        counts = latest_records(rows, day)["status"].value_counts()
        out.append({"date": day.date(), **{s: int(counts.get(s, 0)) for s in STATUSES}})
    return pd.DataFrame(out, columns=["date", *STATUSES])


COLUMN_NOTES = (
    ("site_id", "", "project site (the sites layer's id)"),
    ("date", "YYYY-MM-DD", "date of the record"),
    ("status", "", f"one of {', '.join(STATUSES)}"),
    ("households", "households", "households the site reaches"),
    ("households_women_led", "households", "of which led by women"),
    ("households_youth_led", "households", "of which led by young people"),
    ("women_led_pct", "%", "women-led share of the households"),
    ("youth_led_pct", "%", "youth-led share of the households"),
    *((f"sites_{s}", "sites", f"sites whose latest record says {s}") for s in STATUSES),
    (WATER_COLUMN, "m3/yr", "water harvested by the completed sites (the portfolio's numbers)"),
    (
        RECHARGE_COLUMN,
        "m3/yr",
        "recharge gained by the completed sites (the portfolio's numbers: designer's scenarios)",
    ),
)


def programme_sheets(
    records: pd.DataFrame,
    sites: pd.DataFrame,
    water: pd.Series | None = None,
    recharge: pd.Series | None = None,
) -> dict[str, pd.DataFrame]:
    """The workbook of the programme: the records, the totals per grouping, a README.

    ``water`` and ``recharge``: what each completed site gives (m3/yr, by ``site_id``).
    """
    latest = latest_records(records)
    named = records.merge(sites[list(SITE_COLUMNS)], on="site_id", how="left")
    sheets = {"records": named}
    for by in GROUPINGS:
        sheets[f"by_{by}"] = programme_table(latest, sites, by, water, recharge)
    sheets["over_time"] = status_over_time(records, sites)
    used = {c for s in sheets.values() for c in s.columns}
    sheets["README"] = pd.DataFrame(
        [n for n in COLUMN_NOTES if n[0] in used], columns=["column", "units", "meaning"]
    )
    return sheets
