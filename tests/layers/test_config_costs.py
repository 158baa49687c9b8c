"""The cost model of ``[[interventions]]``: parsed, and every mistake named with its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from layers.region import load_region, parse_config
from tests.regionkit import write_toml

CRITERION = (
    '[[interventions.criteria]]\nlayer = "rainfall_annual_mm"\nfunction = "decreasing"\n'
    "params = [2, 10]\n"
)


def _write(root: Path, cfg: dict[str, Any], costs: str) -> None:
    write_toml(cfg, root / "region.toml")
    with (root / "region.toml").open("a") as fh:
        fh.write('\n[[interventions]]\nid = "ponds"\nname = "Ponds"\n' + costs + CRITERION)


def test_cost_model_parses(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, cfg = tiny
    costs = 'unit = "m3"\nunit_cost = 3.0\nunit_size = 100\nfixed_cost_per_community = 1500\n'
    _write(root, cfg, costs)
    iv = load_region(root).config.interventions[0]
    assert iv.priced and iv.cost_per_unit == 300.0 and iv.storage_m3 == 100.0
    assert (iv.fixed_cost_per_community, iv.currency) == (1500.0, "USD")


def test_no_cost_model_is_valid(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, cfg = tiny
    _write(root, cfg, "")
    assert not load_region(root).config.interventions[0].priced


@pytest.mark.parametrize(
    ("costs", "message"),
    [
        ("unit_cost = 3.0\n", "'unit_cost' needs 'unit'"),
        ('unit = "site"\n', "'unit' needs 'unit_cost'"),
        ('unit = "acre"\nunit_cost = 3.0\n', "interventions.0.unit"),
        ('unit = "ha"\nunit_cost = -3.0\n', "interventions.0.unit_cost"),
        ('unit = "ha"\nunit_cost = 3.0\nfixed_cost_per_community = -1\n', "fixed_cost"),
        ('unit = "site"\nunit_cost = 3.0\nunit_size = 5\n', "with unit = 'site' leave it out"),
        ('unit = "ha"\nunit_cost = 3.0\nstorage_m3_per_site = 50\n', "applies to unit = 'site'"),
        ('unit = "ha"\nunit_cost = 3.0\nscenario_lever = "ponds"\n', "needs storage"),
        ('unit = "m3"\nunit_cost = 3.0\nscenario_lever = "terraces"\n', "needs unit = 'ha'"),
        ('unit = "ha"\nunit_cost = 3.0\nunit_costs = 4\n', "did you mean 'unit_cost'"),
    ],
)
def test_cost_model_errors_name_the_field(
    tiny: tuple[Path, dict[str, Any]], costs: str, message: str
) -> None:
    root, cfg = tiny
    _write(root, cfg, costs)
    _, problems = parse_config(root)
    assert any(message in p.message for p in problems), [p.message for p in problems]
    assert all(p.file == "region.toml" for p in problems)
    hit = next(p for p in problems if message in p.message)
    # the intervention is named: by its id in the message, or by its place in the key
    assert "ponds" in hit.message or "interventions.0" in hit.message
