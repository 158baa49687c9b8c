"""What a printable map shows: the request (layers, month, bbox, size, language), checked.

The dashboard's "Export map" (button and ``/export/map.<format>`` route) and ``landwater
map`` build a :class:`MapRequest` here; :mod:`dashboard.map_drawing` draws it (matplotlib,
imported only when a map is drawn). Title, sources and file name are decided here too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.i18n import LANGUAGES, Translate, labelled, translator, unit
from dashboard.map_assets import RESULT_LAYERS
from dashboard.map_layout import RAINFALL_OVERLAY, overlay_name
from dashboard.profile import MONTH_NAMES
from dashboard.service import RegionService

FORMATS = {"png": "image/png", "pdf": "application/pdf"}
DPI = 150
DEFAULT_SIZE_PX = (1754, 1240)  # A4 landscape at DPI
MIN_SIDE_PX, MAX_SIDE_PX = 600, 4000
MAX_LAYERS = 12
VECTOR_LAYERS = {  # drawn over the rasters in this order: key -> (English label, role)
    "protected_areas": ("Protected areas", "protected_areas"),
    "watersheds": ("Watersheds", "watersheds"),
    "communities": ("Communities", "communities"),
    "roads": ("Roads", "roads"),
    "sites": ("Project sites", "project_sites"),
}
INPUT_RASTERS = {"land_use": ("Land use", "land_use"), "rainfall": (RAINFALL_OVERLAY, "rainfall")}


class MapRequestError(ValueError):
    """A map request the renderer cannot draw; the message names the input and the fix.

    ``code`` names the kind of problem the dashboard words in the page's language
    (``"outside"``: the bbox misses the region); empty for the others.
    """

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class MapRequest:
    """What to draw.

    Attributes
    ----------
    layers : tuple of str
        Keys of :func:`export_layers`; drawn in the map's order whatever the order given.
    month : int
        0 for annual rainfall, 1..12 for that month's.
    bbox : tuple of float or None
        ``(west, south, east, north)`` in degrees (EPSG:4326); the whole region when None.
    lang : str
        Language of the title, legend and sources.
    size_px : tuple of int
        ``(width, height)`` of the PNG; the PDF page is the same size at :data:`DPI`.
    fmt : {"png", "pdf"}
    opacity : float
        Opacity of the raster layers over the hillshade (1: exactly the legend's colours).
    """

    layers: tuple[str, ...]
    month: int = 0
    bbox: tuple[float, float, float, float] | None = None
    lang: str = "en"
    size_px: tuple[int, int] = DEFAULT_SIZE_PX
    fmt: str = "png"
    opacity: float = 1.0


def export_layers(service: RegionService) -> dict[str, str]:
    """Layers a map can show: key -> English label, in drawing order (rasters, then outlines)."""
    out = {k: label for k, (label, _) in INPUT_RASTERS.items()}
    out.update({k: overlay_name(service, k) for k in service.result_layers()})
    out.update({k: label for k, (label, _) in VECTOR_LAYERS.items() if k in service.geojson})
    return out


def _is_result_key(service: RegionService, key: str) -> bool:
    """A result raster the region declares but whose results are not there (not processed)."""
    ivs = {f"suitability_{iv.id}" for iv in service.region.config.interventions}
    return key in RESULT_LAYERS or key in ivs


def check_request(
    service: RegionService,
    layers: Sequence[str],
    month: int = 0,
    bbox: Sequence[float] | None = None,
    lang: str = "en",
    size_px: Sequence[int] = DEFAULT_SIZE_PX,
    fmt: str = "png",
    opacity: float = 1.0,
) -> MapRequest:
    """A checked :class:`MapRequest`.

    Raises
    ------
    MapRequestError
        The first bad input, named, with the values it accepts.
    """
    known = export_layers(service)
    choices = ", ".join(known)
    if not layers:
        raise MapRequestError(f"no layer given: choose one or more of {choices}")
    if len(layers) > MAX_LAYERS:
        raise MapRequestError(f"{len(layers)} layers given: at most {MAX_LAYERS}")
    for key in layers:
        if key in known:
            continue
        if _is_result_key(service, key):
            raise MapRequestError(
                f"layer {key!r} has no results yet: run `landwater process` on the region first"
            )
        raise MapRequestError(f"unknown layer {key!r}: choose from {choices}")
    if not 0 <= month <= 12:
        raise MapRequestError(f"month {month} is out of range: give 1-12, or 0 for the year")
    if fmt not in FORMATS:
        raise MapRequestError(f"unknown format {fmt!r}: give {' or '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise MapRequestError(f"unknown language {lang!r}: give one of {', '.join(LANGUAGES)}")
    if len(size_px) != 2 or not all(MIN_SIDE_PX <= int(s) <= MAX_SIDE_PX for s in size_px):
        raise MapRequestError(
            f"size {'x'.join(str(s) for s in size_px)} px: give WIDTHxHEIGHT, "
            f"each {MIN_SIDE_PX}-{MAX_SIDE_PX}"
        )
    if not 0.0 <= opacity <= 1.0:
        raise MapRequestError(f"opacity {opacity} is out of range: give 0-1")
    box = _check_bbox(service, bbox) if bbox is not None else None
    order = list(known)
    return MapRequest(
        tuple(sorted(dict.fromkeys(layers), key=order.index)),
        int(month),
        box,
        lang,
        (int(size_px[0]), int(size_px[1])),
        fmt,
        float(opacity),
    )


def _check_bbox(service: RegionService, bbox: Sequence[float]) -> tuple[float, float, float, float]:
    fix = "give WEST,SOUTH,EAST,NORTH in degrees (west < east, south < north)"
    values = [float(v) for v in bbox]
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise MapRequestError(f"bbox {list(bbox)}: {fix}")
    w, s, e, n = values
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise MapRequestError(f"bbox {values}: {fix}")
    (rs, rw), (rn, re_) = service.map_view()[1]
    if e <= rw or w >= re_ or n <= rs or s >= rn:
        region = ", ".join(f"{v:.4f}" for v in (rw, rs, re_, rn))
        raise MapRequestError(
            f"bbox {values} does not overlap the region (it covers {region})", "outside"
        )
    return w, s, e, n


# -- drawing ---------------------------------------------------------------------------


def layer_label(service: RegionService, key: str, month: int, t: Translate) -> str:
    """A layer's name in the title and legend (with its unit for rasters)."""
    if key == "rainfall":
        period = t(MONTH_NAMES[month - 1]) if month else t("Annual")
        units = "mm/month" if month else "mm/yr"
        return f"{t(RAINFALL_OVERLAY)}, {period} ({unit(units, t)})"
    if key in INPUT_RASTERS:
        return t(INPUT_RASTERS[key][0])
    if key in VECTOR_LAYERS:
        return t(VECTOR_LAYERS[key][0])
    return overlay_name(service, key, t)


def sources_text(service: RegionService, req: MapRequest, t: Translate) -> str:
    """The provenance of the layers drawn: source (licence): layer titles, one per source."""
    roles: list[str] = []
    if "hillshade" in service.tiles:
        roles.append("elevation")
    for key in req.layers:
        if key in INPUT_RASTERS:
            roles.append(INPUT_RASTERS[key][1])
        elif key in VECTOR_LAYERS:
            roles.append(VECTOR_LAYERS[key][1])
        else:  # results are computed from every input layer
            roles.extend(info.role for info in service.layer_infos())
    infos = {info.role: info for info in service.layer_infos()}
    by_source: dict[tuple[str, str], list[str]] = {}
    for role in dict.fromkeys(roles):
        if role in infos:
            info = infos[role]
            by_source.setdefault((info.source, info.licence), []).append(t(info.title))
    parts = [f"{src} ({lic}): {', '.join(titles)}" for (src, lic), titles in by_source.items()]
    return labelled(t("Sources"), "; ".join(parts) + f". {t('Map made with landwater.')}", t)


def map_title(service: RegionService, req: MapRequest) -> str:
    """The map's title: the region's name and the layers shown, in the request's language."""
    t = translator(req.lang)
    rasters = [k for k in req.layers if k not in VECTOR_LAYERS]
    shown = rasters or list(req.layers)
    shown_names = " + ".join(layer_label(service, k, req.month, t).split(" (")[0] for k in shown)
    return labelled(t(service.region.config.region.name), shown_names, t)


def map_filename(service: RegionService, req: MapRequest) -> str:
    """``landwater-map-<region>-<layer>.<format>``: letters, digits and dashes only."""
    rasters = [k for k in req.layers if k not in VECTOR_LAYERS]
    name = f"{service.region.config.region.name}-{(rasters or list(req.layers))[-1]}"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60] or "region"
    return f"landwater-map-{slug}.{req.fmt}"
