"""`landwater portfolio`: the table, the totals, the constraints and bad input."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from landwater.cli import main


def _run(region: Path, *extra: str) -> list[str]:
    return ["portfolio", str(region), "--intervention", "farm_ponds", *extra]


def test_portfolio_table_and_totals(
    processed_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "portfolio.csv"
    args = _run(processed_demo, "--budget", "40000", "--max-per-community", "4")
    assert (
        main([*args, "--impact", "households", "--min-women-youth-share", "0.6", "-o", str(out)])
        == 0
    )
    printed = capsys.readouterr().out
    table = pd.read_csv(out, dtype={"community_id": str})
    assert 0 < table["cost_usd"].sum() <= 40000
    assert table["units"].between(1, 4).all()
    led = table["women_youth_led"] == "yes"
    assert table.loc[led, "cost_usd"].sum() >= 0.6 * table["cost_usd"].sum()
    # households reached: the communities layer's own counts, read here with geopandas
    comm = gpd.read_file(processed_demo / "data" / "communities.gpkg")
    households = comm.set_index("community_id")["households"]
    assert (
        table["households_reached"] == households.reindex(table["community_id"]).to_numpy()
    ).all()
    assert "impact:" in printed and f"{table['households_reached'].sum():,.1f}" in printed
    # every unit costs 3 USD/m3 x 100 m3, plus 1,500 once per community (the demo's costs)
    assert (table["cost_usd"] == table["units"] * 300 + 1500).all()


def test_portfolio_to_standard_output(
    processed_demo: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Standard output holds the CSV alone (the solver, compiled code, writes nothing there)."""
    assert main(_run(processed_demo, "--budget", "5000", "--impact", "ha")) == 0
    captured = capfd.readouterr()
    assert captured.out.startswith("community_id,community,units,storage_m3,cost_usd,s1s2_ha")
    table = pd.read_csv(io.StringIO(captured.out))
    assert len(table) >= 1 and 0 < table["cost_usd"].sum() <= 5000
    assert "cost:" in captured.err


def test_portfolio_workbook(processed_demo: Path, tmp_path: Path) -> None:
    """``-o *.xlsx``: the table, the frontier, the totals and a README naming every column."""
    out = tmp_path / "portfolio.xlsx"
    assert main([*_run(processed_demo, "--budget", "20000"), "-o", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["portfolio", "frontier", "totals", "README"]
    table = sheets["portfolio"]
    assert 0 < table["cost_usd"].sum() <= 20000
    assert set(sheets["README"]["column"]) == set(table.columns)
    frontier = sheets["frontier"]
    assert (frontier["cost_usd"] <= frontier["budget_usd"] + 1e-6).all()
    totals = dict(zip(sheets["totals"]["figure"], sheets["totals"]["value"], strict=True))
    assert float(totals["cost"]) == pytest.approx(table["cost_usd"].sum())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--budget", "0"], "budget must be a number above 0"),
        (["--budget", "-100"], "budget must be a number above 0"),
        (["--budget", "100"], "raise the budget"),
        (["--budget", "1000", "--min-women-youth-share", "1.5"], "between 0 and 1"),
        (["--budget", "1000", "--max-per-community", "0"], "from 1 to"),
        (["--budget", "1000", "--impact", "recharge"], "no allocation has any impact"),
    ],
)
def test_portfolio_bad_input_exits_1(
    processed_demo: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_run(processed_demo, *extra)) == 1
    assert message in capsys.readouterr().err


def test_portfolio_unknown_intervention(
    processed_demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["portfolio", str(processed_demo), "--intervention", "wells", "--budget", "100"]
    assert main(args) == 1
    assert "unknown intervention 'wells' (known: farm_ponds" in capsys.readouterr().err
