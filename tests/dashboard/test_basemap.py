"""The user's basemap (``[map]`` of region.toml): validated, offered, never the default."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from dashboard import ids
from dashboard.map_layout import base_layers
from layers.config import MapSection

SATELLITE = "https://tiles.example.org/imagery/{z}/{y}/{x}.jpg"


def _service(section: MapSection) -> SimpleNamespace:
    config = SimpleNamespace(map=section)
    return SimpleNamespace(region=SimpleNamespace(config=config), tiles={"hillshade": object()})


def test_no_basemap_is_configured_by_default() -> None:
    bases = base_layers(_service(MapSection()), str)  # type: ignore[arg-type]
    assert [b.children.id for b in bases] == [ids.HILLSHADE, ids.OSM]
    assert [b.checked for b in bases] == [True, False]


def test_a_configured_basemap_is_a_choice_and_offline_stays_the_default() -> None:
    section = MapSection(
        basemap_url=SATELLITE, basemap_name="Imagery <b>", basemap_attribution="© Maxar & co"
    )
    bases = base_layers(_service(section), str)  # type: ignore[arg-type]
    user = next(b for b in bases if b.children.id == ids.USER_BASEMAP)
    assert user.children.url == SATELLITE
    assert not user.checked
    assert [b.checked for b in bases].count(True) == 1 and bases[0].checked  # the hillshade
    # Leaflet shows names and credits as HTML: the region's texts arrive escaped
    assert user.name == "Imagery &lt;b&gt; (online)"
    assert user.children.attribution == "© Maxar &amp; co"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/{z}/{x}.png",
        "javascript:alert(1)//{z}{x}{y}",
        "tiles/{z}/{x}/{y}.png",
    ],
)
def test_a_basemap_url_must_be_an_http_tile_template(url: str) -> None:
    with pytest.raises(ValidationError, match="basemap_url"):
        MapSection(basemap_url=url)
