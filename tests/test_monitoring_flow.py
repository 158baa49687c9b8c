"""Monitoring on the demo: the women-led and youth-led counts from a CSV to every output.

CLI import and export (CSV, workbook), the programme view, a community's profile section
and its brief, and the read-only server's refusal.
"""

from __future__ import annotations

import base64
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard import ids
from dashboard.access import READ_ONLY_MESSAGE, Access
from dashboard.brief import programme_html
from dashboard.designer_service import DesignerService
from dashboard.i18n import number, percent, translator
from dashboard.programme_callbacks import programme_action
from dashboard.programme_view import unit_totals_section
from dashboard.service import RegionService
from landwater.cli import main
from processing.programme import RECHARGE_COLUMN, REGION_ROW, WATER_COLUMN, site_table
from processing.scenario import Scenario, run_scenario

COUNTS = ["households", "households_women_led", "households_youth_led"]


def _csv(sites: pd.DataFrame, done: frozenset[str] = frozenset()) -> str:
    """Two records per site: ongoing in 2023, then in 2024 completed (even rows and the
    sites of ``done``) or ongoing."""
    rows = []
    for i, r in enumerate(sites.itertuples()):
        hh = 40 + 7 * i
        women, youth = hh // 3 + i % 5, hh // 4 + i % 3
        rows.append(f"{r.site_id},2023-06-30,ongoing,{hh // 2},{women // 2},{youth // 2}")
        status = "completed" if i % 2 == 0 or r.site_id in done else "ongoing"
        rows.append(f"{r.site_id},2024-06-30,{status},{hh},{women},{youth}")
    return ",".join(["site_id", "date", "status", *COUNTS]) + "\n" + "\n".join(rows) + "\n"


def _text(component: object) -> str:
    """The text of a Dash component tree."""
    if isinstance(component, str | int | float):
        return str(component)
    children = getattr(component, "children", None)
    if children is None:
        return ""
    if isinstance(children, list | tuple):
        return " ".join(_text(c) for c in children)
    return _text(children)


def test_counts_travel_from_csv_to_every_output(
    processed_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    service = RegionService(processed_demo)
    service.ensure_results()
    sites = site_table(service.registry)
    kinds = sites[sites["type"].isin(["sand_dam", "water_pan", "tree_nursery"])]
    # and the agroforestry plots of a community with two, both completed
    plots = sites[sites["type"] == "agroforestry_plot"]
    two = plots["community_id"].value_counts().idxmax()
    pair = plots[plots["community_id"] == two]
    assert len(pair) == 2
    chosen = pd.concat([kinds.groupby("type").head(4), pair]).reset_index(drop=True)
    csv = tmp_path / "monitoring.csv"
    csv.write_text(_csv(chosen, frozenset(pair["site_id"])))
    raw = pd.read_csv(csv)
    latest = raw[raw["date"] == "2024-06-30"]
    want = latest[COUNTS].sum()

    # bad file first: nothing stored, the row and column named
    bad = tmp_path / "bad.csv"
    bad.write_text(
        csv.read_text().replace(",2024-06-30,completed,40,", ",2024-06-30,completed,-1,")
    )
    assert main(["monitoring", "import", str(processed_demo), str(bad), "--database-url", url]) == 1
    assert "row 3, column 'households'" in capsys.readouterr().err

    assert main(["monitoring", "import", str(processed_demo), str(csv), "--database-url", url]) == 0
    assert f"{len(raw)} records of {len(chosen)} sites" in capsys.readouterr().out

    out_csv, out_xlsx = tmp_path / "records.csv", tmp_path / "programme.xlsx"
    for out in (out_csv, out_xlsx):
        args = ["monitoring", "export", str(processed_demo), "-o", str(out), "--database-url", url]
        assert main(args) == 0
    exported = pd.read_csv(out_csv)
    assert exported[COUNTS].sum().tolist() == raw[COUNTS].sum().tolist()
    book = pd.read_excel(out_xlsx, sheet_name=None)
    assert book["records"][COUNTS].sum().tolist() == raw[COUNTS].sum().tolist()
    for by in ("community", "watershed", "type"):
        sheet = book[f"by_{by}"].set_index(by)
        assert sheet.loc[REGION_ROW, COUNTS].tolist() == want.tolist(), by
        assert sheet.drop(index=REGION_ROW)[COUNTS].sum().tolist() == want.tolist(), by
    by_type = book["by_type"].set_index("type")
    # completed sand dams and water pans harvest water; tree nurseries are no intervention
    assert by_type.loc["sand_dam", WATER_COLUMN] > 0
    assert pd.isna(by_type.loc["tree_nursery", WATER_COLUMN])
    assert "households_youth_led" in set(book["README"]["column"])
    assert openpyxl.load_workbook(out_xlsx)["records"]["A1"].value == "site_id"

    # the dashboard: the programme view's totals, a community's profile section and brief
    designer = DesignerService(service, url, Access())
    message, totals, table, charts, groups, _ = programme_action(
        designer.programme, None, None, None, [None] * 6, "type", "en"
    )
    assert [c.id for c in charts] == [
        ids.PROG_STATUS_CHART,
        ids.PROG_HH_CHART,
        ids.PROG_WATER_CHART,
    ]
    water_chart = charts[2].figure
    # the water chart: the workbook's numbers, tree nurseries (no intervention) left out
    bars = {trace.name: dict(zip(trace.x, trace.y, strict=True)) for trace in water_chart.data}
    assert set(bars["Water harvested"]) == {"agroforestry_plot", "sand_dam", "water_pan"}
    for name, col in (("Water harvested", WATER_COLUMN), ("Recharge gained", RECHARGE_COLUMN)):
        for kind, value in bars[name].items():
            want_value = by_type.loc[kind, col]
            assert value == want_value or (value is None and pd.isna(want_value)), (name, kind)
    shown = _text(totals)
    for value in want:
        assert f"{value:,}" in shown
    assert f"{want['households']:,}" in _text(table)
    assert [g["value"] for g in groups] == [
        "agroforestry_plot",
        "sand_dam",
        "tree_nursery",
        "water_pan",
    ]
    # the status chart follows one type's sites: on the last date, 2 completed, 2 ongoing
    *_, charts, _, picked = programme_action(
        designer.programme, None, ids.PROG_GROUP, None, [None] * 6, "type", "en", "sand_dam"
    )
    figure = charts[0].figure
    assert picked == "sand_dam"
    last = {trace.name: trace.y[-1] for trace in figure.data}
    assert last == {"planned": 0, "ongoing": 2, "completed": 2, "abandoned": 0}
    # recharge gained: per community, its completed sites' scenario alone; nothing else counts
    completed = latest.loc[latest["status"] == "completed", "site_id"]
    recharge = _recharge_by_hand(designer, sites, completed)
    assert two in recharge and len(recharge) >= 3
    for community in sorted(set(chosen["community_id"])):
        totals_row = designer.programme.unit_totals("communities", community)
        assert totals_row is not None
        if community in recharge:
            assert totals_row[RECHARGE_COLUMN] == pytest.approx(recharge[community], abs=0.51)
        else:  # ongoing sites, sand dams and tree nurseries
            assert pd.isna(totals_row[RECHARGE_COLUMN]), community
    by_community = book["by_community"].set_index("community")
    assert by_community.loc[REGION_ROW, RECHARGE_COLUMN] == pytest.approx(
        sum(recharge.values()), abs=0.51
    )
    community = two
    mine = latest[latest["site_id"].isin(sites.loc[sites["community_id"] == community, "site_id"])]
    row = designer.programme.unit_totals("communities", community)
    assert row is not None and row[COUNTS].tolist() == mine[COUNTS].sum().tolist()
    french = translator("fr")
    profile = _text(unit_totals_section(row, french))
    brief = programme_html(row)
    hh, women, youth = (int(v) for v in mine[COUNTS].sum())
    assert number(hh, 0, french) in profile
    gained = recharge[community]
    assert f"Recharge gagnée par les sites achevés {number(round(gained), 0, french)}" in profile
    assert f"Recharge gained by completed sites (m³/yr)</td><td>{gained:,.0f}<" in brief
    for part in (women, youth):
        assert f"{number(part, 0, french)} ({percent(part / hh, 1, french)})" in profile
        assert f"{part:,} ({100 * part / hh:.1f} %)" in brief

    # a read-only server shows the totals and refuses the import
    upload = "data:text/csv;base64," + base64.b64encode(csv.read_bytes()).decode()
    message, totals, *_ = programme_action(
        designer.programme, READ_ONLY_MESSAGE, ids.PROG_UPLOAD, upload, [None] * 6, None, "en"
    )
    assert READ_ONLY_MESSAGE in _text(message) and _text(totals) == shown
    form = [chosen["site_id"].iloc[0], "2025-01-31", "abandoned", 1, 0, 0]
    message, *_ = programme_action(
        designer.programme, READ_ONLY_MESSAGE, ids.PROG_SAVE, None, form, None, "en"
    )
    assert READ_ONLY_MESSAGE in _text(message)
    assert len(designer.programme.records()) == len(raw)
    # an editor's form entry is checked like a CSV row, then stored
    message, *_ = programme_action(designer.programme, None, ids.PROG_SAVE, None, form, None, "en")
    assert "1 record(s) stored" in _text(message)
    bad_form = [chosen["site_id"].iloc[0], "2025-02-30", "done", 3, 4, 0]
    message, *_ = programme_action(
        designer.programme, None, ids.PROG_SAVE, None, bad_form, None, "en"
    )
    assert "column 'date'" in _text(message) and "column 'status'" in _text(message)
    assert "households_women_led" in _text(message)
    assert len(designer.programme.records()) == len(raw) + 1
    designer.workspace.close()


def _recharge_by_hand(
    designer: DesignerService, sites: pd.DataFrame, completed: pd.Series
) -> dict[str, float]:
    """Per community: each intervention's completed sites run as one scenario there alone."""
    by_type = {t: iv for iv in designer.service.region.config.interventions for t in iv.site_types}
    done = sites[sites["site_id"].isin(completed)]
    out: dict[str, float] = {}
    for (kind, community), group in done.groupby(["type", "community_id"]):
        iv = by_type.get(str(kind))
        if iv is None or iv.scenario_lever is None:
            continue
        k, where = len(group), [str(community)]
        sc = {
            "ponds": Scenario(ponds=k, pond_volume_m3=float(iv.storage_m3 or 0), communities=where),
            "terraces": Scenario(terraces_ha=k * iv.unit_size, communities=where),
            "agroforestry": Scenario(agroforestry_ha=k * iv.unit_size, communities=where),
        }[iv.scenario_lever]
        table = run_scenario(designer.scenario.scenarios, sc).table.set_index("id")
        out[community] = out.get(community, 0.0) + float(
            table.loc[community, "recharge_delta_m3_yr"]
        )
    return out
