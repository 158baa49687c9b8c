"""The robustness builders: rows merged by id, the robust set, markers, field checks, export."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from dash import no_update

from dashboard.designer_callbacks import weights_state
from dashboard.designer_service import DesignerService
from dashboard.i18n import translator
from dashboard.robustness_callbacks import RobustnessService, ranking_csv, robustness_update
from dashboard.robustness_view import (
    ranking_export,
    robust_ids,
    robust_markers,
    robustness_problems,
    with_robustness,
)
from dashboard.service import RegionService

TABLE = pd.DataFrame(
    {
        "unit_id": ["a", "b", "c", "d"],
        "median_rank": [1.0, 2.5, 3.0, 4.0],
        "rank_p05": [1.0, 2.0, 2.0, 4.0],
        "rank_p95": [1.0, 3.0, 4.0, 4.0],
        "top_n_probability": [1.0, 0.8, 0.2, 0.0],
    }
)


def test_rows_gain_probability_and_interval_by_unit_id() -> None:
    rows = [{"unit_id": "c", "name": "C"}, {"unit_id": "a", "name": "A"}, {"unit_id": "zz"}]
    out = with_robustness(rows, TABLE, translator("fr"))
    assert out[0]["top_n_probability"] == 0.2
    assert out[0]["rank_interval"] == {"lo": 0.25, "hi": 1.0, "median": 0.625, "text": "2-4"}
    assert out[1]["rank_interval"]["text"] == "1"  # both ends agree
    assert "top_n_probability" not in out[2]  # an id the table lacks keeps its row as is
    assert rows[0] == {"unit_id": "c", "name": "C"}  # inputs untouched


def test_robust_set_is_probability_at_least_0_8_best_first() -> None:
    assert robust_ids(TABLE) == ["a", "b"]


def test_markers_keep_names_out_of_the_html() -> None:
    names = {"a": "<img src=x onerror=alert(1)>", "b": "B"}
    points = {"a": (-1.0, 37.0), "b": (-1.1, 37.1)}
    markers = robust_markers(TABLE, points, names, 3, translator("en"))
    assert len(markers) == 2
    assert all("<img" not in m.iconOptions["html"] for m in markers)
    assert markers[0].children.children.startswith("<img")  # as tooltip text, not HTML
    assert markers[0].position == [-1.0, 37.0]


def test_fields_are_checked_with_their_label_and_fix() -> None:
    t = translator("en")
    assert robustness_problems(10, 50, t) == []
    problems = robustness_problems(0.5, -1, t)
    assert len(problems) == 2
    assert problems[0].startswith("Top N: 0.5 is not allowed; enter a whole number")
    assert problems[1].startswith("Weight concentration: -1 is not allowed")
    assert robustness_problems(None, 50, t)[0].startswith("Top N: this field is required")


def test_export_adds_the_columns_to_the_ranking() -> None:
    ranking = pd.DataFrame({"rank": [1, 2], "unit_id": ["b", "a"], "name": ["=cmd()", "A"]})
    out = ranking_export(ranking, TABLE, 3)
    assert list(out["top_n_probability"]) == [0.8, 1.0]
    assert list(out["top_n"]) == [3, 3]
    assert list(out["rank"]) == [1, 2]


# -- on the demo: the designer's rows, its ranking and the CSV download ----------------------


@pytest.fixture(scope="module")
def designer(processed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> DesignerService:
    db = tmp_path_factory.mktemp("ws") / "workspace.sqlite"
    return DesignerService(RegionService(processed_demo).prepare(), f"sqlite:///{db}")


def test_designer_rows_and_ranking_agree_at_a_huge_concentration(
    designer: DesignerService,
) -> None:
    _pct, state, rows, _url = weights_state(designer, "farm_ponds", [10, 10, 6.5, 3.5], "en")
    robust = RobustnessService(designer)
    out, markers, message = robustness_update(robust, state, rows, 10, 1e9, "en")
    assert [r["unit_id"] for r in out] == [r["unit_id"] for r in rows]
    # weights that barely move keep the designer's own top 10 (its rank column) in the top 10
    assert [r["top_n_probability"] for r in out] == [1.0] * 10 + [0.0] * (len(out) - 10)
    assert len(markers) == 10 and message.startswith("10 communities are in the top 10")
    wide, _m, _msg = robustness_update(robust, state, rows, 10, 2.0, "en")
    assert sum(r["top_n_probability"] for r in wide) == pytest.approx(10)
    assert any(0 < r["top_n_probability"] < 1 for r in wide)


def test_bad_fields_are_reported_and_the_rows_stay(designer: DesignerService) -> None:
    _pct, state, rows, _url = weights_state(designer, "farm_ponds", [10, 10, 6.5, 3.5], "en")
    out, markers, message = robustness_update(
        RobustnessService(designer), state, rows, "x", 0, "en"
    )
    assert out is no_update and markers is no_update
    assert "Top N" in str(message) and "Weight concentration" in str(message)


def test_ranking_csv_has_the_columns_and_neutralised_text(designer: DesignerService) -> None:
    _pct, state, _rows, _url = weights_state(designer, "terraces", [5, 5, 5], "en")
    name, data = ranking_csv(RobustnessService(designer), state, 5, 50)
    assert name.endswith("_ranking_terraces.csv")
    table = pd.read_csv(io.BytesIO(data), dtype={"unit_id": str})
    assert {"rank", "name", "median_rank", "rank_p05", "rank_p95", "top_n_probability"} <= set(
        table.columns
    )
    assert table["top_n_probability"].sum() == pytest.approx(5)
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    assert not table["name"].astype(str).str.match(r"^[=+\-@]").any()
