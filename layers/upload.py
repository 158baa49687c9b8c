"""Areas of interest uploaded by users: checked for size, type and content, read safely.

Accepted: GeoJSON, GeoPackage, KML, and zipped shapefiles. Files are written under a
generated name in a private temporary folder (never the user's name), zips are checked
entry by entry (no absolute paths or ``..``, bounded count and uncompressed size, so a
zip bomb or a zip-slip archive is refused before anything is extracted), and the result
must be polygons with a CRS and a bounded number of vertices.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from layers.area_checks import MAX_VERTICES
from layers.io import read_vector

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 50
# make_valid's time grows faster than the square of the crossings (a 51-point star with 1,224
# crossings takes 0.5 s, a 201-point one 41 s): an outline crossing itself more is refused
MAX_SELF_CROSSINGS = 500
# edges tested against all the others at once while counting crossings (bounds the work done
# past the limit)
CROSSING_CHUNK = 4  # a 20,000-point star is refused in 0.5 s
SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage", ".kml": "KML"}
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml"}


def english_value(value: object) -> object:
    """A field of a message as English writes it: whole numbers grouped, others to 0.1."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


class UploadError(ValueError):
    """An upload that cannot be used, with the reason and the fix in the message.

    Parameters
    ----------
    template : str
        The English message; with ``values``, a format string of their fields.
    **values
        The message's fields (numbers stay numbers, so a translation of ``template``
        formats them its way).
    """

    def __init__(self, template: str, **values: Any) -> None:
        self.template = template
        self.values = values
        english = {k: english_value(v) for k, v in values.items()}
        super().__init__(template.format(**english) if values else template)


@dataclass(frozen=True)
class UploadedArea:
    """A user's area: one (multi)polygon in WGS84, and what was repaired on reading."""

    geometry: BaseGeometry
    features: int
    vertices: int
    repaired: int


def _safe_members(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UploadError(f"{name}: the zip holds {len(infos)} files (at most {MAX_ZIP_ENTRIES})")
    total = 0
    for info in infos:
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in info.filename:
            raise UploadError(
                f"{name}: the zip entry '{info.filename}' points outside the archive; "
                "zip the shapefile's files themselves"
            )
        total += info.file_size
        if total > MAX_UNZIPPED_BYTES or (
            info.compress_size and info.file_size / info.compress_size > 200
        ):
            raise UploadError(
                f"{name}: the zip expands to more than {MAX_UNZIPPED_BYTES // 2**20} MB "
                "(or compresses suspiciously well); upload the area alone"
            )
    return infos


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One member's bytes; encrypted, unsupported or damaged members are refused."""
    if info.flag_bits & 0x1:
        raise UploadError(f"{name}: '{info.filename}' is encrypted; zip it without a password")
    try:
        return archive.read(info)
    except NotImplementedError as exc:  # a compression method Python's zipfile lacks
        raise UploadError(
            f"{name}: '{info.filename}' uses a compression method that cannot be read; "
            "zip it again with the usual (deflate) compression"
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, OSError) as exc:
        raise UploadError(
            f"{name}: '{info.filename}' is damaged in the zip ({exc}); zip the files again"
        ) from exc


def _extract_shapefile(data: bytes, name: str, folder: Path) -> Path:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UploadError("{name}: not a readable zip file", name=name) from exc
    with archive:
        infos = _safe_members(archive, name)
        shps = [i for i in infos if i.filename.lower().endswith(".shp") and not i.is_dir()]
        if len(shps) != 1:
            raise UploadError(
                "{name}: the zip must hold exactly one .shp (found {found}) "
                "with its .shx, .dbf and .prj",
                name=name,
                found=len(shps),
            )
        stem = PurePosixPath(shps[0].filename).with_suffix("")
        for info in infos:
            p = PurePosixPath(info.filename)
            if info.is_dir() or p.with_suffix("") != stem:
                continue
            if p.suffix.lower() not in SHAPEFILE_PARTS:
                continue
            target = folder / f"area{p.suffix.lower()}"  # generated names only
            target.write_bytes(_member_bytes(archive, info, name))
    shp = folder / "area.shp"
    if not (folder / "area.prj").exists():
        raise UploadError(
            "{name}: the shapefile has no .prj, so its CRS is unknown; add it", name=name
        )
    return shp


def _size_over_limit(name: str, size: int) -> UploadError:
    """``5.7 MB is over the 5 MB limit``; in bytes when megabytes to one decimal look equal."""
    limit_mb = MAX_UPLOAD_BYTES // 2**20
    fix = "; simplify the area or upload only its outline"
    if round(size / 2**20, 1) > limit_mb:
        return UploadError(
            "{name}: {size_mb} MB is over the {limit_mb} MB limit" + fix,
            name=name,
            size_mb=size / 2**20,
            limit_mb=limit_mb,
        )
    return UploadError(
        "{name}: {size} bytes is over the {limit_mb} MB limit ({limit} bytes)" + fix,
        name=name,
        size=size,
        limit_mb=limit_mb,
        limit=MAX_UPLOAD_BYTES,
    )


def read_area_upload(filename: str, data: bytes) -> UploadedArea:
    """Read an uploaded area of interest.

    Parameters
    ----------
    filename : str
        The name the browser sent (used for its extension and in messages only).
    data : bytes
        The file's content.

    Raises
    ------
    UploadError
        Too large, unsupported type, unsafe zip, unreadable, no CRS, no polygon, or too
        many vertices; the message names the file and the fix.
    """
    name = Path(filename).name or "upload"
    if len(data) > MAX_UPLOAD_BYTES:
        raise _size_over_limit(name, len(data))
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES and suffix != ".zip":
        raise UploadError(
            "{name}: unsupported file type '{suffix}'; upload GeoJSON, GeoPackage, KML or a "
            "zipped shapefile",
            name=name,
            suffix=suffix or "(none)",
        )
    with tempfile.TemporaryDirectory(prefix="landwater-upload-") as tmp:
        folder = Path(tmp)
        if suffix == ".zip":
            path = _extract_shapefile(data, name, folder)
        else:
            path = folder / f"area{suffix}"
            path.write_bytes(data)
        try:
            gdf = read_vector(path)
        except Exception as exc:  # GDAL's messages for corrupt files vary by driver
            raise UploadError(
                "{name}: not a readable {kind}", name=name, kind=SUFFIXES.get(suffix, "shapefile")
            ) from exc
    return _area(gdf, name)


def _reaches_lonlat(crs: Any) -> bool:
    """Whether coordinates in ``crs`` can be converted to longitude and latitude."""
    try:
        return CRS.from_user_input(crs).geodetic_crs is not None
    except CRSError:
        return False


def self_crossings(geoms: np.ndarray, limit: int) -> int:
    """Points where the polygons' edges cross each other, counted up to just over ``limit``.

    Parameters
    ----------
    geoms : numpy.ndarray
        Polygons and multipolygons (shapely).
    limit : int
        Counting stops once the count is over it: the work is bounded by ``limit`` and the
        number of edges, not by the number of crossings.

    Returns
    -------
    int
        The number of proper crossings of two edges (each pair once), at most about
        ``limit + CROSSING_CHUNK * edges``.
    """
    rings = shapely.get_rings(shapely.get_parts(geoms))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[:-1] == ring[1:]
    segments = np.asarray(
        shapely.linestrings(np.stack([coords[:-1][same], coords[1:][same]], axis=1)), dtype=object
    )
    tree = shapely.STRtree(segments)
    twice = 0  # each crossing is found from both of its edges
    for start in range(0, len(segments), CROSSING_CHUNK):
        pairs = tree.query(segments[start : start + CROSSING_CHUNK], predicate="crosses")
        twice += pairs.shape[1]
        if twice > 2 * limit:
            break
    return twice // 2


def _area(gdf: gpd.GeoDataFrame, name: str) -> UploadedArea:
    if gdf.crs is None:
        raise UploadError(
            "{name}: the layer has no CRS; save it with one (e.g. EPSG:4326)", name=name
        )
    if not _reaches_lonlat(gdf.crs):
        raise UploadError(
            f"{name}: its CRS ({gdf.crs.name}) is a local or engineering system that cannot be "
            "placed on the earth; save the layer in a geographic or projected CRS (e.g. EPSG:4326)"
        )
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    polys = gdf[gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polys.empty:
        raise UploadError(
            "{name}: no polygon found; draw or upload an area, not points or lines", name=name
        )
    if not np.isfinite(shapely.get_coordinates(polys.geometry.to_numpy())).all():
        raise UploadError(f"{name}: some coordinates are not numbers (NaN or infinite)")
    vertices = int(shapely.get_num_coordinates(polys.geometry.to_numpy()).sum())
    if vertices > MAX_VERTICES:
        raise UploadError(
            "{name}: {vertices} vertices is over the {limit} limit; "
            "simplify the area (e.g. 10 m tolerance) and upload it again",
            name=name,
            vertices=vertices,
            limit=MAX_VERTICES,
        )
    invalid = ~polys.geometry.is_valid
    if invalid.any():
        crossings = self_crossings(polys.geometry[invalid].to_numpy(), MAX_SELF_CROSSINGS)
        if crossings > MAX_SELF_CROSSINGS:
            raise UploadError(
                f"{name}: the outline crosses itself at more than {MAX_SELF_CROSSINGS} points, "
                "too many to repair; redraw the area as a simple outline"
            )
    geoms = polys.geometry.make_valid() if invalid.any() else polys.geometry
    merged = geoms.to_crs(4326).union_all()
    if merged.is_empty or merged.area == 0:
        raise UploadError("{name}: the area is empty after repair; check the polygon", name=name)
    return UploadedArea(merged, len(polys), vertices, int(invalid.sum()))


def area_from_geojson(features: dict[str, object]) -> UploadedArea:
    """The area drawn on the map (a GeoJSON FeatureCollection in WGS84)."""
    feats = features.get("features") if isinstance(features, dict) else None
    if not isinstance(feats, list) or not feats:
        raise UploadError("drawn area: nothing drawn yet; draw a polygon or a rectangle")
    try:
        gdf = gpd.GeoDataFrame.from_features(feats, crs=4326)
    except Exception as exc:  # shapely and geopandas raise many kinds on malformed features
        raise UploadError(
            "drawn area: not GeoJSON polygon features; draw a polygon or a rectangle"
        ) from exc
    lonlat = shapely.get_coordinates(gdf.geometry.to_numpy())
    lonlat = lonlat[np.isfinite(lonlat).all(axis=1)]  # NaN is refused by _area
    if not (np.abs(lonlat[:, 0]) <= 180).all() or not (np.abs(lonlat[:, 1]) <= 90).all():
        raise UploadError("drawn area: coordinates outside longitude -180..180, latitude -90..90")
    return _area(gdf, "drawn area")
