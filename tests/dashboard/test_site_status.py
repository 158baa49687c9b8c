"""A site's status in the profile and the brief: the latest monitoring record's where any."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.brief import sites_html
from dashboard.i18n import translator
from dashboard.profile import site_status
from processing.programme import latest_records, monitored_status, programme_table

SITES = pd.DataFrame(
    {
        "pan_id": ["P1", "P2", "P3"],
        "name": ["Water pan 1", "Water pan 2", "Check dam"],
        "type": ["water_pan", "water_pan", "check_dam"],
        "status": ["planned", "planned", "ongoing"],
    }
)
RECORDS = pd.DataFrame(
    {
        "site_id": ["P1", "P1", "P2", "X9"],
        "date": [
            dt.date(2024, 3, 31),
            dt.date(2024, 9, 30),
            dt.date(2023, 12, 31),
            dt.date(2024, 1, 1),
        ],
        "status": ["ongoing", "completed", "abandoned", "completed"],
        "households": [10, 12, 0, 5],
        "households_women_led": [3, 4, 0, 1],
        "households_youth_led": [1, 2, 0, 0],
    }
)


def test_a_monitored_site_shows_its_latest_record_and_others_the_layer() -> None:
    out = monitored_status(SITES, "pan_id", RECORDS)
    assert list(out["status"]) == ["completed", "abandoned", "ongoing"]
    assert list(out["status_date"]) == ["2024-09-30", "2023-12-31", None]
    assert list(SITES["status"]) == ["planned", "planned", "ongoing"]  # the layer is untouched
    # the same statuses the programme totals count, site by site
    table_sites = (
        SITES.drop(columns="status")
        .rename(columns={"pan_id": "site_id"})
        .assign(community="C", watershed="W", community_id="C1", watershed_id="W1")
    )
    mine = RECORDS[RECORDS["site_id"].isin(SITES["pan_id"])]
    totals = programme_table(latest_records(mine), table_sites, "community").iloc[-1]
    monitored = out[out["status_date"].notna()]
    for status in ("completed", "abandoned", "ongoing", "planned"):
        assert totals[f"sites_{status}"] == (monitored["status"] == status).sum(), status


def test_no_records_keeps_the_layers_status() -> None:
    out = monitored_status(SITES, "pan_id", RECORDS.iloc[0:0])
    assert list(out["status"]) == list(SITES["status"])
    assert out["status_date"].isna().all()


def test_profile_and_brief_say_the_monitored_status_and_its_date() -> None:
    out = monitored_status(SITES, "pan_id", RECORDS)
    rows = [r for _, r in out.iterrows()]
    assert site_status(rows[0], translator("fr")) == "achevé au 2024-09-30"
    assert site_status(rows[0], translator("en")) == "completed on 2024-09-30"
    assert site_status(rows[2], translator("fr")) == "en cours"
    page = sites_html(out)
    assert "<li>Water pan 1 - water pan (completed on 2024-09-30)</li>" in page
    assert "<li>Check dam - check dam (ongoing)</li>" in page
    assert "planned" not in page
