"""Checks of a saved area of interest: its name, its geometry, its id, and its geodesic area.

A saved area's name is plain text typed by a user: it is trimmed and NFC-normalised, must hold
1 to :data:`MAX_AREA_NAME_CHARS` characters, none of them a control, format (bidirectional
override, zero-width), private-use, unassigned or line-separator character. Names are compared
without regard to case or repeated spaces (:func:`name_key`), so "Upper Tana" and
"upper  tana" are the same name. Anything else (quotes, ``<``, ``/``, ``..``) is allowed: a
name is only ever shown as text and never becomes part of a path.

The id of a saved area is random (:func:`new_area_id`), so a link cannot be guessed from a
name or a neighbour's id, and :func:`is_area_id` tells a well-formed id before any lookup.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

import shapely
import shapely.geometry
from pyproj import Geod
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

MAX_AREA_NAME_CHARS = 100
# an uploaded or drawn area, or a layer's polygons, holding more vertices is refused
MAX_VERTICES = 20_000
AREA_ID_BYTES = 12  # 96 random bits, 16 URL-safe characters
AREA_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")
# unicode categories refused in a name: controls, formats, surrogates, private use, unassigned,
# line and paragraph separators
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
M2_PER_HA = 10_000.0
_WGS84 = Geod(ellps="WGS84")


class AreaNameError(ValueError):
    """A refused name; ``problem`` is ``"empty"``, ``"long"`` or ``"character"``.

    ``character`` names the refused character as ``U+XXXX`` when ``problem`` is ``"character"``.
    """

    def __init__(self, message: str, problem: str, character: str = "") -> None:
        super().__init__(message)
        self.problem = problem
        self.character = character


class AreaGeometryError(ValueError):
    """A geometry that cannot be saved as an area of interest (the message says why)."""


@dataclass(frozen=True)
class CheckedArea:
    """A geometry ready to save: GeoJSON (WGS84) and its geodesic area."""

    geojson: dict[str, Any]
    area_ha: float


def clean_name(name: object) -> str:
    """The name as saved (trimmed, NFC); :class:`AreaNameError` when it cannot be one."""
    if not isinstance(name, str) or not name.strip():
        raise AreaNameError("an area needs a name", "empty")
    clean = unicodedata.normalize("NFC", name.strip())
    if len(clean) > MAX_AREA_NAME_CHARS:
        raise AreaNameError(
            f"the name has {len(clean)} characters, more than {MAX_AREA_NAME_CHARS}", "long"
        )
    for char in clean:
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            code = f"U+{ord(char):04X}"
            raise AreaNameError(
                f"the name holds an invisible or control character ({code})", "character", code
            )
    return clean


def name_key(name: str) -> str:
    """What two names must differ in: case-folded, with runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def new_area_id() -> str:
    """A random id (16 URL-safe characters)."""
    return secrets.token_urlsafe(AREA_ID_BYTES)


def is_area_id(value: object) -> bool:
    """True when ``value`` has the shape of an area id (nothing else is ever looked up)."""
    return isinstance(value, str) and AREA_ID_PATTERN.fullmatch(value) is not None


def geodesic_area_ha(geometry: BaseGeometry) -> float:
    """Area of a WGS84 (multi)polygon on the WGS84 ellipsoid, hectares."""
    parts = shapely.get_parts(geometry)
    # exteriors counter-clockwise: pyproj counts their area as positive, the holes' negative
    area_m2 = sum(float(_WGS84.geometry_area_perimeter(orient(p, sign=1.0))[0]) for p in parts)
    return abs(area_m2) / M2_PER_HA


def check_geometry(
    geojson: object, bounds_lonlat: tuple[float, float, float, float] | None = None
) -> CheckedArea:
    """A GeoJSON (multi)polygon in WGS84 degrees, checked for saving.

    Parameters
    ----------
    geojson : dict
        A GeoJSON geometry (``Polygon`` or ``MultiPolygon``), as the area panel holds it.
    bounds_lonlat : tuple of float, optional
        ``(west, south, east, north)`` of the region: the area must overlap it.

    Raises
    ------
    AreaGeometryError
        Not a polygon, empty, invalid, coordinates that are not WGS84 degrees, more than
        :data:`MAX_VERTICES` vertices, or no overlap with the region.
    """
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geojson.get("type") if isinstance(geojson, dict) else type(geojson).__name__
        raise AreaGeometryError(f"an area must be a Polygon or MultiPolygon, got {kind!r}")
    try:
        geometry = shapely.geometry.shape(geojson)
    except Exception as exc:  # shapely raises many kinds on malformed coordinates
        raise AreaGeometryError(f"the polygon's coordinates are malformed ({exc})") from exc
    if geometry.is_empty:
        raise AreaGeometryError("the polygon is empty")
    coords = shapely.get_coordinates(geometry)
    if not all(math.isfinite(v) for v in coords.ravel()):
        raise AreaGeometryError("some coordinates are not numbers (NaN or infinite)")
    if (abs(coords[:, 0]) > 180).any() or (abs(coords[:, 1]) > 90).any():
        raise AreaGeometryError("coordinates outside longitude -180..180, latitude -90..90")
    if len(coords) > MAX_VERTICES:
        raise AreaGeometryError(
            f"{len(coords):,} vertices is over the {MAX_VERTICES:,} limit; simplify the area"
        )
    if not geometry.is_valid:
        raise AreaGeometryError(f"the polygon is invalid ({shapely.is_valid_reason(geometry)})")
    if geometry.area == 0:
        raise AreaGeometryError("the polygon is empty (it has no area)")
    if bounds_lonlat is not None and not geometry.intersects(shapely.box(*bounds_lonlat)):
        raise AreaGeometryError("the area lies outside the region")
    # through JSON once: the record holds lists, as the database and the browser give it back
    plain = json.loads(json.dumps(shapely.geometry.mapping(geometry)))
    return CheckedArea(plain, geodesic_area_ha(geometry))
