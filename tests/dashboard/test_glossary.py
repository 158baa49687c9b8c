"""The water glossary beside every figure the dashboard shows: info buttons, labels, French."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dash import dcc, html

from dashboard import glossary_view
from dashboard.i18n import CATALOGUES, GLOSSARY_FRENCH, translator
from dashboard.indicators import INDICATORS
from dashboard.map_assets import RESULT_LAYERS
from dashboard.profile import CRITERION_LABELS, balance_figure, profile_panel
from processing import output_spec as spec
from processing.glossary import Term, find_term, glossary, term

NOT_WATER = {"cropland"}  # indicators that are not water figures


def _walk(component: Any) -> Iterator[Any]:
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from _walk(child)
    elif children is not None:
        yield from _walk(children)


def _infos(component: Any) -> list[html.Details]:
    return [
        c
        for c in _walk(component)
        if isinstance(c, html.Details) and getattr(c, "className", "") == "info"
    ]


def _text(component: Any) -> str:
    return "".join(c for c in _walk(component) if isinstance(c, str))


@pytest.fixture(scope="module")
def panel(processed_demo: Path) -> tuple[html.Div, Any]:
    from dashboard.service import RegionService

    service = RegionService(processed_demo).prepare()
    data = service.profile("C010", "communities")
    assert data is not None
    return profile_panel(data), data


def test_every_water_figure_of_the_profile_has_an_info_button(
    panel: tuple[html.Div, Any],
) -> None:
    component, data = panel
    table = next(c for c in _walk(component) if getattr(c, "className", "") == "annual-table")
    body = next(c for c in _walk(table) if isinstance(c, html.Tbody))
    for row in body.children:
        label_cell = row.children[0]
        (info,) = _infos(label_cell)  # one button per row
        entry = find_term(info.to_plotly_json()["props"]["data-term"])
        assert entry is not None and _text(label_cell).startswith(entry.label)
    shown = {i.to_plotly_json()["props"]["data-term"] for i in _infos(component)}
    assert {"rain", "aet", "runoff", "recharge", "streamflow", "deficit"} <= shown
    assert {"stress_index", "months_in_deficit_per_yr", "water_yield_mm_yr"} <= shown
    # every series of the monthly chart is a glossary entry, under its label
    labels = {t.label for t in glossary()}
    assert {trace.name for trace in balance_figure(data.monthly).data} <= labels


def test_the_budyko_yield_is_labelled_a_cross_check_everywhere(
    panel: tuple[html.Div, Any],
) -> None:
    component, _ = panel
    row = next(
        c
        for c in _walk(component)
        if isinstance(c, html.Tr) and getattr(c, "className", "") == "cross-check"
    )
    assert "InVEST cross-check" in _text(row)
    (yield_indicator,) = [i for i in INDICATORS if i.column == "water_yield_mm_yr"]
    for label in (
        yield_indicator.label,
        RESULT_LAYERS["water_yield"][0],
        CRITERION_LABELS["water_yield_mm_yr"],
    ):
        assert "cross-check" in label
    for name, group in (
        ("water_yield_mm_yr", "summary"),
        ("water_yield_m3_yr", "summary"),
        ("rasters/water_yield_mm_yr.tif", "files"),
    ):
        assert "cross-check" in spec.describe(name, group)["meaning"]


@pytest.mark.parametrize(
    "indicator", [i for i in INDICATORS if i.key not in NOT_WATER], ids=lambda i: i.key
)
def test_every_water_indicator_of_the_map_has_an_entry(indicator: Any) -> None:
    from dashboard.layout import indicator_legend

    colours = {"limits": [0.0, 1.0], "colours": ["#fff"]}
    (info,) = _infos(indicator_legend(indicator, colours, str))
    assert info.to_plotly_json()["props"]["data-term"] == term(indicator.column).key


def test_the_info_button_opens_plain_text_with_an_accessible_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hostile = Term("x", "mm/yr", "Odd <b>label</b>", "<script>alert(1)</script>", "&amp;")
    monkeypatch.setattr(glossary_view, "find_term", lambda name: hostile)
    info = glossary_view.info_button("x")
    assert info is not None
    summary, body = info.children
    assert isinstance(summary, html.Summary)
    assert summary.to_plotly_json()["props"]["aria-label"] == "What it means: Odd <b>label</b>"
    # the text reaches the page as string children (React renders them as text), never as
    # markup a component would parse
    assert not any(isinstance(c, dcc.Markdown) for c in _walk(info))
    assert "dangerously_allow_html" not in str(info.to_plotly_json())
    assert _text(body) == "Odd <b>label</b> (mm/yr). <script>alert(1)</script> &amp;"
    monkeypatch.setattr(glossary_view, "find_term", lambda name: None)
    assert glossary_view.info_button("lu_cropland_pct") is None
    assert glossary_view.with_info("Land", "lu_cropland_pct") == ["Land"]


def test_the_glossary_is_french_in_french() -> None:
    fr = translator("fr")
    assert set(GLOSSARY_FRENCH) == {t.key for t in glossary()}
    for entry in glossary():
        for english in (entry.label, entry.means, entry.use):
            assert english in CATALOGUES["fr"], english  # no fallback to English
        assert fr(entry.means) != entry.means
    runoff = glossary_view.info_button("runoff_mm_yr", fr)
    assert runoff is not None
    assert "Ruissellement" in _text(runoff) and "mares" in _text(runoff)
    assert runoff.children[0].to_plotly_json()["props"]["aria-label"] == (
        "Ce que cela signifie : Ruissellement"
    )


def test_the_briefs_glossary_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import brief

    hostile = Term("x", "m<sup>3</sup>", "A & B", "<img src=x onerror=alert(1)>", "\"q\" 'q'")
    monkeypatch.setattr(brief, "find_term", lambda name: hostile if name == "x" else None)
    section = brief.glossary_section(["x", "nothing", "x"])
    assert "<img" not in section and "<sup>" not in section
    assert "&lt;img src=x onerror=alert(1)&gt;" in section and "A &amp; B" in section
    assert "&quot;q&quot; &#x27;q&#x27;" in section and "m&lt;sup&gt;3&lt;/sup&gt;" in section
    assert section.count("<tr>") == 2  # the head and one entry: repeats and misses dropped
