"""The output declarations match the store the pipeline writes, the manifest and the README."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rasterio

from processing import glossary, output_readme
from processing import output_spec as spec
from processing.pipeline import process_region
from processing.results_store import ResultsStore, annual_by_year
from processing.trends import trends_by_year

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def store(demo_region: Path) -> ResultsStore:
    return ResultsStore(process_region(demo_region))


def _files(store: ResultsStore) -> list[str]:
    folder = store.folder
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _header(path: Path) -> list[str]:
    return list(pd.read_csv(path, nrows=0).columns)


def test_the_readme_tables_are_the_rendered_spec() -> None:
    text = README.read_text()
    begin, end = output_readme.README_BEGIN, output_readme.README_END
    assert begin in text and end in text
    section = text.split(begin + "\n", 1)[1].split(end, 1)[0]
    assert section == output_readme.readme_markdown(), (
        "README.md's results-store tables differ from processing/output_spec.py: run "
        "`python -m processing.output_readme --update-readme` (from the repository root)"
    )
    assert output_readme.with_readme_tables(text) == text


def test_names_resolve_to_their_entry() -> None:
    entry, value = spec.resolve("rain_mm_yr")
    assert (entry.name, value) == ("<var>_mm_yr", "rain")
    assert spec.resolve("water_yield_mm_yr")[0].name == "water_yield_mm_yr"  # not a <var>
    assert spec.resolve("best_crop_score")[0].name == "best_crop_score"  # concrete first
    assert spec.resolve("crop_coffee_arabica_score") == (
        spec.resolve("crop_x_score")[0],
        "coffee_arabica",
    )
    assert spec.resolve("lu_bare_rock_and_soil_pct")[1] == "bare_rock_and_soil"
    assert spec.resolve("rasters/crop_tea.tif", "files")[0].name == "rasters/crop_<id>.tif"
    assert spec.resolve("S3_pct", "suitability")[0].units == "%"
    for name, group in (("storage_mm_yr", "summary"), ("mean_score", "summary"), ("x", "files")):
        with pytest.raises(KeyError, match="not a declared output"):
            spec.resolve(name, group)
    rain = spec.describe("rain_m3_yr")
    assert rain == {
        "units": "m3/yr",
        "method": "rain_mm_yr x area / 1000",
        "meaning": "annual rainfall over the unit, as a volume",
    }
    assert "rain: mean of the rainfall layer" in spec.describe("rain_mm_yr")["method"]
    assert spec.describe("best_crop")["method"].startswith("highest crop_<id>_score")
    assert spec.units_of("stress_index") == "ratio"
    assert spec.raster_tags("water_yield_mm_yr")["variable"] == "water_yield"


def test_every_output_of_the_demo_store_is_declared(store: ResultsStore) -> None:
    files = _files(store)
    for rel in files:
        entry, _ = spec.resolve(rel, "files")
        if entry.table:
            for col in _header(store.folder / rel):
                spec.resolve(col, entry.table)  # KeyError names an undeclared column
    variables = set(pd.read_csv(store.folder / "monthly_communities.csv")["variable"])
    assert variables == {v.name for v in spec.VARIABLES}


def test_every_declared_output_is_in_the_demo_store(store: ResultsStore) -> None:
    """No dead entry: each concrete name exists, each open pattern matches something.

    Annual and trends tables exist only for a multi-year series (the demo has a
    climatology): their columns are checked on :func:`annual_by_year` and
    :func:`trends_by_year` below.
    """
    files = _files(store)
    present: dict[str, set[str]] = {"files": set(files)}
    for rel in files:
        entry, _ = spec.resolve(rel, "files")
        if entry.table:
            present.setdefault(entry.table, set()).update(_header(store.folder / rel))
    for group, names in present.items():
        for entry in spec.GROUPS[group]:
            if entry.table in ("annual", "trends"):
                continue
            if entry.placeholder and not entry.values:
                assert any(entry.match(n) for n in names), f"{group} {entry.name}: no match"
            else:
                missing = set(entry.names()) - names
                assert not missing, f"{group} {entry.name}: {sorted(missing)} not in the store"
    assert set(present) == {"files", *spec.TABLES} - {"annual", "trends"}


def test_annual_columns_are_declared() -> None:
    monthly = pd.DataFrame(
        {
            "unit_id": "a",
            "year": np.repeat([2001, 2002], 12),
            "month": np.tile(np.arange(1, 13), 2),
            "variable": "rain",
            "value": 1.0,
            "unit": "mm",
        }
    )
    annual = annual_by_year(monthly)
    assert annual is not None
    assert list(annual.columns) == [e.name for e in spec.ANNUAL]
    trends = trends_by_year(monthly)
    assert trends is not None
    for col in trends.columns:
        spec.resolve(col, "trends")  # KeyError names an undeclared column
    declared = [n for e in spec.TRENDS for n in e.names()]
    assert sorted(trends.columns) == sorted(declared)


def test_the_manifest_describes_the_store(store: ResultsStore) -> None:
    manifest = store.manifest
    outputs = manifest["outputs"]
    assert set(outputs["files"]) == {*manifest["files"], "manifest.json"} == set(_files(store))
    summary = outputs["tables"]["summary"]
    assert summary["files"] == ["communities.csv", "watersheds.csv"]
    assert list(summary["columns"]) == _header(store.folder / "communities.csv")
    assert summary["columns"]["deficit_mm_yr"] == spec.describe("deficit_mm_yr")
    assert summary["columns"]["deficit_mm_yr"]["meaning"].startswith("annual unmet water")
    crops = outputs["tables"]["crops"]["columns"]
    assert crops["suitable_ha"]["units"] == "ha"
    assert set(outputs["variables"]) == {v.name for v in spec.VARIABLES}
    assert outputs["files"]["rasters/aet_mm_yr.tif"]["units"] == "mm/yr"
    json.dumps(outputs)  # plain JSON all the way down


def test_raster_tags_come_from_the_spec(store: ResultsStore) -> None:
    rasters = [f for f in _files(store) if f.startswith("rasters/")]
    assert len(rasters) >= len(spec.RASTER_VARIABLES) + 2
    for rel in rasters:
        with rasterio.open(store.folder / rel) as ds:
            tags = ds.tags()
        expected = spec.raster_tags(Path(rel).stem)
        assert {k: tags.get(k) for k in expected} == expected


def test_the_glossary_says_which_water_figure_to_use() -> None:
    terms = {t.key: t for t in glossary.glossary()}
    assert {
        "rain",
        "pet",
        "aet",
        "runoff",
        "recharge",
        "streamflow",
        "storage",
        "deficit",
        "stress_index",
        "months_in_deficit_per_yr",
        "water_yield_mm_yr",
    } <= set(terms)
    # the decision each figure serves (issue 17: one "water available" story)
    for key, words in (
        ("runoff", ("ponds", "sand dams")),
        ("recharge", ("wells", "springs")),
        ("streamflow", ("downstream",)),
        ("deficit", ("irrigation need",)),
        ("water_yield_mm_yr", ("InVEST-compatible cross-check", "not the figure to plan with")),
    ):
        assert all(w in terms[key].use for w in words), (key, terms[key].use)
    stress = terms["stress_index"]
    assert f"below {spec.STRESS_SEVERE} is severe" in stress.use and "1 means no" in stress.means
    assert "10 mm" in terms["months_in_deficit_per_yr"].means  # DEFICIT_MONTH_MM
    # plain words: one or two sentences each
    for t in terms.values():
        assert t.label and t.means.endswith(".") and t.use.endswith(".")
        assert (t.means + " " + t.use).count(". ") <= 3, t.key
    # annual figures in the units the summary gives them
    assert terms["runoff"].units == spec.units_of("runoff_mm_yr") == "mm/yr"
    assert terms["stress_index"].units == "ratio"


def test_find_term_takes_variables_and_summary_columns() -> None:
    runoff = glossary.term("runoff")
    assert glossary.find_term("runoff_mm_yr") == glossary.find_term("runoff_m3_yr") == runoff
    assert glossary.find_term("stress_index") == glossary.term("stress_index")
    for name in ("infiltration", "lu_rain_pct", "suit_runoff_score", "area_ha", "nonsense"):
        assert glossary.find_term(name) is None, name
    with pytest.raises(KeyError, match="no glossary entry"):
        glossary.term("area_ha")
