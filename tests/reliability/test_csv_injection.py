"""CSV injection (issue 20): no CSV the project writes for people holds a cell a spreadsheet
runs as a formula.

The reference is OWASP's rule for CSV injection: a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is prefixed with ``'``. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from landwater.cli import main
from layers.io import neutralise_formulas
from tests.regionkit import tiny_region

PAYLOADS = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
]
OWASP_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def assert_no_formula(text: str) -> None:
    """No cell starts a formula unless it is a plain number."""
    for cell in cells(text):
        if cell.startswith(OWASP_STARTS):
            float(cell)  # a number such as -2.5 is the only allowed start with - or +


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny region with a formula for every community name."""
    from processing.pipeline import process_region

    root = tmp_path_factory.mktemp("csv") / "region"
    tiny_region(root)
    path = root / "data" / "communities.gpkg"
    gdf = gpd.read_file(path)
    gdf["name"] = PAYLOADS
    gdf.to_file(path)
    process_region(root)
    return root


def test_landwater_export_csv(region: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert main(["export", str(region), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert_no_formula(text)
    for payload in PAYLOADS:
        assert "'" + payload in cells(text)
    # read back, the names are the payloads behind one quote; the numbers are numbers
    table = pd.read_csv(out)
    assert table["name"].tolist() == ["'" + p for p in PAYLOADS]
    assert pd.api.types.is_float_dtype(table["area_ha"])


def test_export_route_csv(region: Path) -> None:
    from dashboard.app import create_app

    client = create_app(region).server.test_client()
    for table in ("summary", "monthly"):
        resp = client.get(f"/export/community/csv?table={table}")
        assert resp.status_code == 200
        assert_no_formula(resp.data.decode("utf-8"))
    assert "'" + PAYLOADS[0] in cells(client.get("/export/community/csv").data.decode())


def test_shortlist_csv(region: Path, tmp_path: Path) -> None:
    from dashboard.export_files import shortlist_bytes
    from dashboard.service import RegionService
    from layers.workspace import Workspace
    from tests.reliability.test_hostile import INSIDE

    service = RegionService(region)
    workspace = Workspace(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    site: dict[str, Any] = dict(INSIDE, note=PAYLOADS[3], community_id=PAYLOADS[2])
    rec = workspace.save_shortlist(PAYLOADS[0], [site], author=PAYLOADS[1])
    _, data = shortlist_bytes(service, workspace, rec.id, "csv")
    text = data.decode("utf-8")
    assert_no_formula(text)
    assert {"'" + p for p in PAYLOADS} <= set(cells(text))


def test_zonal_csv_on_standard_output(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zones = tmp_path / "zones.gpkg"
    gpd.read_file(region / "data" / "communities.gpkg").to_file(zones)
    args = ["zonal", str(region / "data" / "lu.tif"), str(zones), "--id-field", "name"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert_no_formula(text)
    assert "'" + PAYLOADS[1] in cells(text)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text == text.strip()


@given(
    st.lists(st.text(max_size=8), min_size=1, max_size=6),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=6),
)
def test_neutralise_formulas_follows_owasp(texts: list[str], numbers: list[float]) -> None:
    frame = pd.DataFrame({"text": pd.Series(texts, dtype=object)})
    out = neutralise_formulas(frame)
    for before, after in zip(texts, out["text"], strict=True):
        if not before.startswith(OWASP_STARTS):
            assert after == before
        elif _is_float(before):
            assert after in (before, "'" + before)
        else:
            assert after == "'" + before
    values = pd.DataFrame({"v": numbers})
    pd.testing.assert_frame_equal(neutralise_formulas(values), values)
    assert frame["text"].tolist() == texts  # the input is left alone
