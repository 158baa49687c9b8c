"""The shareable view: map centre and zoom, layers on, indicator, month and selected unit.

Encoded in the page URL's query string so that a copied link reopens the same view:
``?lat=-1.40&lon=37.38&z=12&ind=deficit&m=4&sel=communities:C070&layers=Land use|Rainfall``,
with the designer's ``iv=farm_ponds&w=0.4,0.3,0.3`` (intervention and criterion weights) and
``area=<id>``: the saved area of interest whose summary the designer's page opens with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from dashboard.i18n import LANGUAGES
from layers.area_checks import is_area_id

LAYER_SEP = "|"
WEIGHT_SEP = ","


@dataclass(frozen=True)
class ViewState:
    """A view of the map; None means "the default"."""

    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    indicator: str | None = None
    month: int = 0
    selection: dict[str, str] | None = None
    overlays: tuple[str, ...] | None = None
    lang: str = "en"
    page: str = "map"  # "map" (the planner's) or "design" (with the designer's workbench)
    intervention: str | None = None  # the designer's intervention and its criterion weights
    weights: tuple[float, ...] | None = None
    area: str | None = None  # a saved area of interest's id (shown on the designer's page)


def _float(value: str | None, lo: float, hi: float) -> float | None:
    try:
        v = float(value) if value is not None else None
    except ValueError:
        return None
    return v if v is not None and lo <= v <= hi else None


def _weights(value: str | None) -> tuple[float, ...] | None:
    """Criterion weights ``"0.4,0.3,0.3"``; None unless every one is a number in 0..10."""
    if not value:
        return None
    parts = [_float(v, 0, 10) for v in value.split(WEIGHT_SEP)]
    if not parts or any(p is None for p in parts) or not any(parts):
        return None
    return tuple(float(p) for p in parts if p is not None)


def parse_view(args: Mapping[str, str]) -> ViewState:
    """Read a view from query arguments, ignoring anything malformed or out of range."""
    zoom = _float(args.get("z"), 0, 22)
    month = _float(args.get("m"), 0, 12)
    selection = None
    sel = args.get("sel", "")
    level, _, uid = sel.partition(":")
    if level in ("communities", "watersheds") and uid:
        selection = {"level": level, "id": uid}
    layers = args.get("layers")
    area = args.get("area")
    area = area if is_area_id(area) else None
    return ViewState(
        lat=_float(args.get("lat"), -90, 90),
        lon=_float(args.get("lon"), -180, 180),
        zoom=int(zoom) if zoom is not None else None,
        indicator=args.get("ind") or None,
        month=int(month) if month is not None else 0,
        selection=selection,
        overlays=tuple(x for x in layers.split(LAYER_SEP) if x) if layers is not None else None,
        lang=lang if (lang := args.get("lang") or "en") in LANGUAGES else "en",
        page="design" if args.get("page") == "design" or area else "map",
        intervention=args.get("iv") or None,
        weights=_weights(args.get("w")),
        area=area,
    )


def parse_search(search: str | None) -> ViewState:
    """Read a view from a URL's ``?query`` part."""
    return parse_view(dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True)))


def encode_view(view: ViewState) -> str:
    """The ``?query`` part of a URL holding ``view`` (empty when everything is default)."""
    pairs: list[tuple[str, str]] = []
    if view.lat is not None and view.lon is not None:
        pairs += [("lat", f"{view.lat:.5f}"), ("lon", f"{view.lon:.5f}")]
    if view.zoom is not None:
        pairs.append(("z", str(int(view.zoom))))
    if view.indicator:
        pairs.append(("ind", view.indicator))
    if view.month:
        pairs.append(("m", str(view.month)))
    if view.selection:
        pairs.append(("sel", f"{view.selection['level']}:{view.selection['id']}"))
    if view.overlays is not None:
        pairs.append(("layers", LAYER_SEP.join(view.overlays)))
    if view.lang != "en":
        pairs.append(("lang", view.lang))
    if view.page == "design" or view.area:
        pairs.append(("page", "design"))
    if view.intervention:
        pairs.append(("iv", view.intervention))
    if view.intervention and view.weights:
        pairs.append(("w", WEIGHT_SEP.join(f"{w:.4g}" for w in view.weights)))
    if view.area:
        pairs.append(("area", view.area))
    return "?" + urlencode(pairs) if pairs else ""


def centre_of(center: object) -> tuple[float | None, float | None]:
    """(lat, lon) from a Leaflet centre given as ``{"lat", "lng"}`` or ``[lat, lon]``."""
    if isinstance(center, Mapping):
        lat, lon = center.get("lat"), center.get("lng", center.get("lon"))
    elif isinstance(center, list | tuple) and len(center) == 2:
        lat, lon = center
    else:
        return None, None
    try:
        return float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None, None
