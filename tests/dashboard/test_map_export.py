"""Printable maps: the PDF's text, the PNG's size and colours, scale bar, north arrow, bad input.

Colours are checked against the dashboard's own tile of the same place (rio-tiler's
rendering), distances against pyproj's geodesic, the north arrow against PROJ's meridian
convergence, the PDF's text with pypdf.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from PIL import Image
from pypdf import PdfReader
from pyproj import Geod, Proj, Transformer

from dashboard.i18n import translator, unit
from dashboard.map_drawing import map_bytes, map_figure, north_angle_deg, scale_bar_m
from dashboard.map_export import MapRequestError, check_request, map_filename
from dashboard.map_export_view import register_map_route, view_request
from dashboard.map_layout import overlay_name
from dashboard.service import RegionService
from landwater.cli import main
from layers.io import read_raster
from processing.output_spec import raster_tags

SMALL = (800, 600)


@pytest.fixture(scope="module")
def service(processed_demo: Path) -> RegionService:
    return RegionService(processed_demo).prepare()


def test_pdf_opens_with_the_legends_unit_the_sources_and_a_french_title(
    service: RegionService,
) -> None:
    req = check_request(service, ["water_yield", "communities"], fmt="pdf", lang="fr")
    name, data = map_bytes(service, req)
    assert name == "landwater-map-demo-highlands-synthetic-water-yield.pdf"
    page = PdfReader(io.BytesIO(data)).pages[0]
    text = " ".join(page.extract_text().split())
    t = translator("fr")
    # the unit the results declare (processing/output_spec.py), as French writes it
    assert unit(raster_tags(service.tiles["water_yield"].path.stem)["units"], t) == "mm/an"
    assert "(mm/an)" in text  # the colour bar's unit, in French
    assert f"{t('Sources')} :" in text  # French puts a (narrow no-break) space before colons
    infos = {i.role: i for i in service.layer_infos()}
    for role in ("communities", "elevation", "rainfall"):  # results come from every input
        assert infos[role].source in text and infos[role].licence in text
        assert t(infos[role].title) in text
    assert text.count(t(service.region.config.region.name)) == 1  # the title
    assert round(float(page.mediabox.width)) == round(1754 / 150 * 72)  # A4 landscape


def _cell_pixel(
    service: RegionService, key: str, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """A map of a few cells around a valid cell: its RGBA pixels, the cell's pixel, its lon/lat."""
    data, info = read_raster(service.tiles[key].path)
    band = data[0].astype(float)
    rows, cols = np.nonzero(np.isfinite(band) & (band != info.nodata))
    pick = len(rows) // 2
    row, col = int(rows[pick]), int(cols[pick])
    x, y = info.transform * (col + 0.5, row + 0.5)
    lon, lat = Transformer.from_crs(service.registry.crs, 4326, always_xy=True).transform(x, y)
    half = 3 * service.registry.grid.res_m / 111_000  # about three cells, in degrees
    req = check_request(
        service, [key], bbox=(lon - half, lat - half, lon + half, lat + half), size_px=size
    )
    fig, ax = map_figure(service, req)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    px, py = ax.transData.transform((x, y))
    return pixels, pixels[int(pixels.shape[0] - py), int(px)], (lon, lat)


def _tile_pixel(service: RegionService, key: str, lon: float, lat: float, z: int) -> np.ndarray:
    """The dashboard tile's pixel at lon/lat (web-mercator tile maths)."""
    n = 2**z
    fx = (lon + 180.0) / 360.0 * n
    fy = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    png = service.tile(key, z, int(fx), int(fy), 1)
    assert png is not None
    tile = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    return tile[int((fy % 1) * 256), int((fx % 1) * 256)]


def test_a_cells_colour_is_the_dashboard_tiles_colour(service: RegionService) -> None:
    pixels, cell, (lon, lat) = _cell_pixel(service, "water_yield", SMALL)
    # z 18: a tile pixel is ~0.6 m, so the tile's bilinear value is the cell's own
    tile = _tile_pixel(service, "water_yield", lon, lat, 18)
    assert tile[3] == 255
    assert np.abs(cell[:3].astype(int) - tile[:3].astype(int)).max() <= 2, (cell, tile)
    assert pixels.shape[:2] == (SMALL[1], SMALL[0])


def test_the_png_has_the_size_asked_and_the_layer_where_the_region_is(
    service: RegionService,
) -> None:
    req = check_request(service, ["land_use", "watersheds"], size_px=(900, 700))
    _, data = map_bytes(service, req)
    img = Image.open(io.BytesIO(data)).convert("RGB")
    assert img.size == (900, 700)
    # the map's box (figure fractions 0.02..0.72 x 0.1..0.9): the land-use classes show
    box = np.asarray(img)[int(0.15 * 700) : int(0.85 * 700), int(0.05 * 900) : int(0.7 * 900)]
    colours = {tuple(c) for c in box.reshape(-1, 3)}
    classes = {
        tuple(int(v) for v in bytes.fromhex(e.colour[1:])) for e in service.land_use_legend()
    }
    assert len(classes & colours) >= 3  # several classes drawn in their legend colours
    # the sources and legend are drawn outside the map box (not blank)
    assert np.asarray(img)[int(0.93 * 700) :, :].min() < 128


def test_scale_bar_is_the_geodesic_length_of_its_label(service: RegionService) -> None:
    req = check_request(service, ["communities"], size_px=SMALL)
    _fig, ax = map_figure(service, req)
    (bar,) = [a for a in ax.lines if a.get_gid() == "scale-bar"]
    (label,) = [a for a in ax.texts if a.get_gid() == "scale-bar-label"]
    number, units = re.fullmatch(r"([\d.]+) (k?m)", label.get_text()).groups()  # type: ignore[union-attr]
    label_m = float(number) * (1000 if units == "km" else 1)
    xs, ys = bar.get_data()
    lons, lats = Transformer.from_crs(service.registry.crs, 4326, always_xy=True).transform(xs, ys)
    ground_m = Geod(ellps="WGS84").inv(lons[0], lats[0], lons[1], lats[1])[2]
    assert ground_m == pytest.approx(label_m, rel=1e-3)
    assert label_m / 10 ** math.floor(math.log10(label_m)) in (1, 2, 5)


@pytest.mark.parametrize(("span", "bar"), [(40_000, 10_000), (3_900, 500), (8_100, 2_000)])
def test_scale_bar_lengths_are_round(span: float, bar: float) -> None:
    assert scale_bar_m(span) == bar


def test_north_arrow_follows_the_meridian_convergence(service: RegionService) -> None:
    left, bottom, right, top = service.registry.grid.bounds
    for x in (left, right):  # both sides of the map: the angle changes with the longitude
        y = (bottom + top) / 2
        lon, lat = Transformer.from_crs(service.registry.crs, 4326, always_xy=True).transform(x, y)
        convergence = Proj(service.registry.crs).get_factors(lon, lat).meridian_convergence
        # PROJ: the angle from true north to grid north; ours: from grid up to true north
        assert north_angle_deg(service, x, y) == pytest.approx(-convergence, abs=0.01)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layers": ["nope"]}, "unknown layer 'nope': choose from land_use, rainfall, water_yield"),
        ({"layers": []}, "no layer given"),
        ({"month": 13}, "month 13 is out of range: give 1-12"),
        ({"bbox": (10.0, 10.0, 11.0, 11.0)}, "does not overlap the region (it covers"),
        ({"bbox": (38.0, -1.0, 37.0, -2.0)}, "WEST,SOUTH,EAST,NORTH"),
        ({"size_px": (5000, 800)}, "each 600-4000"),
        ({"fmt": "svg"}, "unknown format 'svg': give png or pdf"),
        ({"lang": "de"}, "unknown language 'de'"),
        ({"opacity": 2.0}, "opacity 2.0 is out of range"),
    ],
)
def test_bad_requests_name_the_input_and_the_fix(
    service: RegionService, kwargs: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {"layers": ["water_yield"], **kwargs}
    with pytest.raises(MapRequestError, match=re.escape(message)):
        check_request(service, **args)  # type: ignore[arg-type]


def test_the_route_streams_a_safe_file_and_answers_bad_input_400(service: RegionService) -> None:
    app = Flask(__name__)
    register_map_route(app, service)
    client = app.test_client()
    resp = client.get("/export/map.png?layers=land_use,communities&size=600x600&lang=sw")
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    req = check_request(service, ["land_use", "communities"])
    assert resp.headers["Content-Disposition"] == (
        f'attachment; filename="{map_filename(service, req)}"'
    )
    assert Image.open(io.BytesIO(resp.data)).size == (600, 600)
    bad = client.get("/export/map.pdf?layers=nope")
    assert bad.status_code == 400 and b"unknown layer 'nope'" in bad.data
    assert client.get("/export/map.pdf?layers=land_use&m=x").status_code == 400
    assert client.get("/export/map.pdf?layers=land_use&bbox=a,b").status_code == 400
    assert client.get("/export/map.svg?layers=land_use").status_code == 404
    assert client.get("/export/map.pdf?layers=" + "x," * 1500).status_code == 400


def test_cli_writes_the_map_and_names_bad_input(
    processed_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "maps" / "rain.png"
    argv = ["map", str(processed_demo), "--layers", "rainfall,communities", "--month", "4"]
    assert main([*argv, "--size", "700x600", "-o", str(out)]) == 0
    assert Image.open(out).size == (700, 600)
    assert main([*argv, "-o", str(tmp_path / "map.svg")]) == 1
    assert "suffix '.svg': name it .png or .pdf" in capsys.readouterr().err
    assert main(["map", str(processed_demo), "--layers", "yield", "-o", str(out)]) == 1
    assert "unknown layer 'yield': choose from" in capsys.readouterr().err


def test_cli_asks_for_processing_before_a_result_layer(
    tiny: tuple[Path, dict[str, object]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = tiny
    out = tmp_path / "m.pdf"
    assert main(["map", str(root), "--layers", "water_yield", "-o", str(out)]) == 1
    assert "has no results yet: run `landwater process`" in capsys.readouterr().err
    assert not out.exists()


def test_the_dashboards_view_becomes_a_request_in_its_language(service: RegionService) -> None:
    t = translator("fr")
    yield_name = overlay_name(service, "water_yield", t)
    view = {
        "bounds": [[-1.45, 37.3], [-1.35, 37.45]],  # Leaflet's [[south, west], [north, east]]
        "overlays": [t("Communities"), yield_name, t("Land use"), "Nonsense"],
        "month": 3,
        "opacity": 0.4,
        "lang": "fr",
    }
    req = view_request(service, view, "png")
    # the map's stacking order, whatever the order the overlays were checked in
    assert req.layers == ("land_use", "water_yield", "communities")
    assert req.bbox == (37.3, -1.45, 37.45, -1.35)
    assert (req.month, req.opacity, req.lang, req.fmt) == (3, 0.4, "fr", "png")
    with pytest.raises(
        MapRequestError, match=re.escape(t("Check at least one layer on the map first."))
    ):
        view_request(service, {**view, "overlays": []}, "pdf")
    away = {**view, "bounds": [[10.0, 10.0], [11.0, 11.0]]}
    with pytest.raises(MapRequestError, match=r"^La carte ne montre aucune partie de la région"):
        view_request(service, away, "pdf")
