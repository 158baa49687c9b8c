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
