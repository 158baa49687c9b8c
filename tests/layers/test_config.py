from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from layers.errors import RegionError
from layers.region import load_region, parse_config
from tests.regionkit import write_toml


def test_load_tiny(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, _ = tiny
    region = load_region(root)
    assert region.name == "Tiny"
    assert region.config.water_balance.rain_days == [8.0] * 12
    assert region.resolve("data/rain.tif") == (root / "data" / "rain.tif").resolve()


def test_load_raises_with_every_problem(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, cfg = tiny
    cfg["region"]["nmae"] = "typo"
    cfg["water_balance"] = {"rain_days": [5, 5]}
    write_toml(cfg, root / "region.toml")
    with pytest.raises(RegionError) as err:
        load_region(root)
    text = str(err.value)
    assert "unknown key 'nmae' in [region]; did you mean 'name'?" in text
    assert "rain_days needs 12 values" in text


def test_series_needs_start(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, cfg = tiny
    cfg["layers"]["rainfall"]["kind"] = "series"
    write_toml(cfg, root / "region.toml")
    config, problems = parse_config(root)
    assert config is None
    assert any("start = 'YYYY-MM'" in p.message for p in problems)


def test_path_or_paths_not_both(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, cfg = tiny
    cfg["layers"]["rainfall"]["paths"] = ["a.tif"]
    write_toml(cfg, root / "region.toml")
    _, problems = parse_config(root)
    assert any("exactly one of 'path'" in p.message for p in problems)


def _write(root: Path, cfg: dict[str, Any], body: str) -> None:
    """region.toml of the tiny region plus one intervention whose body is given."""
    write_toml(cfg, root / "region.toml")
    with (root / "region.toml").open("a") as fh:
        fh.write('\n[[interventions]]\nid = "ponds"\nname = "Ponds"\n' + body)


CRITERION = (
    '[[interventions.criteria]]\nlayer = "rainfall_annual_mm"\nfunction = "decreasing"\n'
    "params = [2, 10]\nweight = {w}\n"
)


def test_intervention_profiles_parse(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, cfg = tiny
    _write(root, cfg, 'method = "geometric"\n' + CRITERION.format(w=2))
    iv = load_region(root).config.interventions[0]
    assert iv.method == "geometric" and iv.criteria[0].params == [2.0, 10.0]


def test_intervention_names_in_other_languages(tiny: tuple[Path, dict[str, Any]]) -> None:
    """``name_<code>`` keys, as the class tables' columns, name it in other languages."""
    root, cfg = tiny
    _write(root, cfg, 'name_fr = "Mares"\nname_sw = "  "\n' + CRITERION.format(w=2))
    iv = load_region(root).config.interventions[0]
    assert iv.names == {"fr": "Mares", "sw": "  "}
    assert (iv.name_in("fr"), iv.name_in("sw"), iv.name_in("es")) == ("Mares", iv.name, iv.name)
    _write(root, cfg, 'name_french = "Mares"\n' + CRITERION.format(w=2))
    _, problems = parse_config(root)
    assert any("name_french" in p.message for p in problems)  # a typo still fails


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (CRITERION.format(w=0), "every criterion weight is zero"),
        (
            CRITERION.format(w=1).replace("[2, 10]", "[2, 10, 20]"),
            "'decreasing' needs 2 params, got 3",
        ),
        (CRITERION.format(w=1).replace("[2, 10]", "[10, 2]"), "params must increase"),
        (
            CRITERION.format(w=1).replace("rainfall_annual_mm", "rainfall_annual"),
            "interventions.0.criteria.0.layer",
        ),
        ("ahp = [[1, 3], [0.333, 1]]\n" + CRITERION.format(w=1), "ahp must be 1 x 1"),
        (
            CRITERION.format(w=1).replace(
                'function = "decreasing"\nparams = [2, 10]', 'function = "classes"'
            ),
            "needs a classes table",
        ),
    ],
)
def test_intervention_errors(tiny: tuple[Path, dict[str, Any]], body: str, message: str) -> None:
    root, cfg = tiny
    _write(root, cfg, body)
    _, problems = parse_config(root)
    assert any(message in p.message for p in problems), [p.message for p in problems]


def test_inconsistent_ahp_is_a_warning(tiny: tuple[Path, dict[str, Any]]) -> None:
    from layers.validate import has_errors, validate_region

    root, cfg = tiny
    body = (
        "ahp = [[1, 9, 0.1111111], [0.1111111, 1, 9], [9, 0.1111111, 1]]\n"
        + CRITERION.format(w=1) * 3
    )
    _write(root, cfg, body)
    problems = validate_region(root)
    assert not has_errors(problems)
    assert any(p.severity == "warning" and "consistency ratio" in p.message for p in problems)


def test_criterion_needing_a_missing_layer_is_an_error(
    tiny: tuple[Path, dict[str, Any]],
) -> None:
    from layers.validate import validate_region

    root, cfg = tiny
    body = CRITERION.format(w=1).replace("rainfall_annual_mm", "distance_to_roads_m")
    _write(root, cfg, body)
    problems = validate_region(root)
    hit = [p for p in problems if "needs a roads layer" in p.message]
    assert hit and hit[0].severity == "error" and "[layers.roads]" in hit[0].fix


def test_duplicate_intervention_ids(tiny: tuple[Path, dict[str, Any]]) -> None:
    from layers.validate import validate_region

    root, cfg = tiny
    _write(root, cfg, CRITERION.format(w=1))
    with (root / "region.toml").open("a") as fh:
        fh.write('\n[[interventions]]\nid = "ponds"\nname = "Again"\n' + CRITERION.format(w=1))
    assert any("used more than once" in p.message for p in validate_region(root))


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_protected_areas_without_crs(tiny: tuple[Path, dict[str, Any]]) -> None:
    import geopandas as gpd
    import shapely

    from layers.validate import validate_region
    from tests.regionkit import X0, Y0, write_toml

    root, cfg = tiny
    gpd.GeoDataFrame({"pa_id": ["P1"]}, geometry=[shapely.box(X0, Y0 - 300, X0 + 300, Y0)]).to_file(
        root / "pa.shp"
    )  # a shapefile without .prj has no CRS
    cfg["layers"]["protected_areas"] = {"path": "pa.shp", "id_field": "pa_id"}
    write_toml(cfg, root / "region.toml")
    problems = validate_region(root)
    assert any(p.layer == "protected_areas" and "no CRS" in p.message for p in problems), [
        str(p) for p in problems
    ]
