"""The catchment tool's panel: every message in every language, refused clicks clear the rest."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from dashboard.catchment_view import catchment_file, catchment_view
from dashboard.i18n import TRANSLATIONS, translator
from layers.region import load_region
from layers.registry import LayerRegistry
from processing.catchment import MESSAGES, Delineator
from tests.regionkit import write_toml


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
@pytest.mark.parametrize("message", MESSAGES)
def test_every_catchment_message_is_translated_with_its_values(lang: str, message: str) -> None:
    text = translator(lang)(message)
    assert text != message
    assert sorted(re.findall(r"{(\w+)}", text)) == sorted(re.findall(r"{(\w+)}", message))


class _NoDesigner:
    """A designer that must not be asked: a refused click never reaches the summary."""

    def ready(self) -> bool:
        raise AssertionError("the summary was asked for a click without a catchment")


def _click(lon: float, lat: float) -> dict[str, Any]:
    return {"latlng": {"lat": lat, "lng": lon}, "n": 1}


def test_a_click_outside_the_region_says_so_and_clears_the_catchment(
    tiny: tuple[Path, dict[str, Any]],
) -> None:
    root, cfg = tiny
    write_toml(cfg, root / "region.toml")
    delineator = Delineator(LayerRegistry(load_region(root)))
    t = translator("fr")

    designer: Any = _NoDesigner()

    shapes, summary, message, area, feature = catchment_view(
        designer, delineator, _click(0.0, 0.0), 150.0, t
    )

    assert (shapes, summary, area, feature) == ([], None, None, None)
    assert "hors de la région" in str(message)


def test_an_empty_radius_and_a_click_without_position_give_the_fix(
    tiny: tuple[Path, dict[str, Any]],
) -> None:
    root, cfg = tiny
    write_toml(cfg, root / "region.toml")
    delineator = Delineator(LayerRegistry(load_region(root)))
    designer: Any = _NoDesigner()
    t = translator("en")

    empty = catchment_view(designer, delineator, _click(36.0, -1.0), None, t)
    nowhere = catchment_view(designer, delineator, {"n": 1}, 150.0, t)

    assert "Enter a snapping radius from 0 to 5,000 m." in str(empty[2])
    assert nowhere[2] == "Click on the map to delineate a catchment."
    assert empty[0] == nowhere[0] == []


def test_the_download_is_the_shown_catchment_or_a_refusal() -> None:
    feature = {"type": "Feature", "properties": {"area_km2": 1.5}, "geometry": None}
    name, data = catchment_file(feature)
    assert name == "catchment.geojson"
    assert b'"area_km2": 1.5' in data
    with pytest.raises(ValueError, match="no catchment"):
        catchment_file(None)
