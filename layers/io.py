"""All file reading and writing of the project: rasters with rasterio, vectors with pyogrio.

Writers are atomic: data goes to a temporary file beside the target and is renamed into
place only when complete, so an interrupted run never leaves a half-written output.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import rasterio.shutil
import rasterio.windows
from affine import Affine
from pyproj import CRS
from rasterio.errors import RasterioIOError

from layers.errors import LayerReadError

VECTOR_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".fgb", ".kml", ".zip", ".gml"}


@dataclass(frozen=True)
class RasterInfo:
    """Metadata of a raster file, read without loading its pixels."""

    path: Path
    crs: CRS | None
    transform: Affine
    width: int
    height: int
    count: int
    dtype: str
    nodata: float | None

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(left, bottom, right, top)`` in the raster's CRS."""
        left, top = self.transform @ (0, 0)
        right, bottom = self.transform @ (self.width, self.height)
        return (min(left, right), min(bottom, top), max(left, right), max(bottom, top))

    @property
    def res(self) -> tuple[float, float]:
        """Cell size ``(x, y)`` in CRS units, both positive."""
        return (abs(self.transform.a), abs(self.transform.e))


def raster_info(path: str | Path) -> RasterInfo:
    """Read a raster's metadata.

    Parameters
    ----------
    path : str or Path
        Any GDAL-readable raster.

    Returns
    -------
    RasterInfo

    Raises
    ------
    LayerReadError
        When the file is missing or GDAL cannot open it.

    """
    path = Path(path)
    if not path.exists():
        raise LayerReadError(path, "file not found", "check the path in region.toml")
    try:
        with rasterio.open(path) as src:
            crs = CRS.from_user_input(src.crs) if src.crs else None
            return RasterInfo(
                path,
                crs,
                src.transform,
                src.width,
                src.height,
                src.count,
                src.dtypes[0],
                src.nodata,
            )
    except RasterioIOError as exc:
        raise LayerReadError(
            path, f"not a readable raster ({exc})", "re-export the file as GeoTIFF"
        ) from exc


@dataclass(frozen=True)
class BandMetadata:
    """What a multi-band raster or a NetCDF variable says about its bands, pixels unread.

    ``tags`` are the dataset's (a NetCDF's attributes as ``var#attr`` and its dimensions as
    ``NETCDF_DIM_*``); ``band_tags`` each band's (``NETCDF_DIM_time`` is a band's time).
    """

    name: str
    crs: CRS | None
    transform: Affine
    width: int
    height: int
    count: int
    nodata: float | None
    descriptions: tuple[str, ...]
    units: tuple[str, ...]
    scales: tuple[float, ...]
    offsets: tuple[float, ...]
    tags: dict[str, str]
    band_tags: tuple[dict[str, str], ...]
    subdatasets: tuple[str, ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(left, bottom, right, top)`` in the raster's CRS."""
        left, top = self.transform @ (0, 0)
        right, bottom = self.transform @ (self.width, self.height)
        return (min(left, right), min(bottom, top), max(left, right), max(bottom, top))


def band_metadata(path: str | Path) -> BandMetadata:
    """Band descriptions, tags, units and packing of a raster or a NetCDF (pixels unread).

    ``path`` may be a GDAL subdataset name (``NETCDF:"file.nc":variable``).

    Raises
    ------
    LayerReadError
        When the file is missing or GDAL cannot open it.
    """
    name = str(path)
    if not name.upper().startswith("NETCDF:") and not Path(name).exists():
        raise LayerReadError(Path(name), "file not found", "check the path")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
            with rasterio.open(name) as src:
                return BandMetadata(
                    name=name,
                    crs=CRS.from_user_input(src.crs) if src.crs else None,
                    transform=src.transform,
                    width=src.width,
                    height=src.height,
                    count=src.count,
                    nodata=src.nodata,
                    descriptions=tuple(d or "" for d in src.descriptions),
                    units=tuple(u or "" for u in src.units),
                    scales=tuple(float(v) for v in src.scales),
                    offsets=tuple(float(v) for v in src.offsets),
                    tags=dict(src.tags()),
                    band_tags=tuple(dict(src.tags(b)) for b in range(1, src.count + 1)),
                    subdatasets=tuple(src.subdatasets),
                )
    except RasterioIOError as exc:
        raise LayerReadError(
            Path(name), f"not a readable raster ({exc})", "re-export the file as GeoTIFF"
        ) from exc


def covering_window(
    src: rasterio.io.DatasetReader,
    bounds: tuple[float, float, float, float],
    path: str | Path,
    what: str,
) -> rasterio.windows.Window:
    """The whole cells of ``src`` that cover ``bounds`` (in its CRS), cut to the raster.

    Raises
    ------
    ValueError
        The raster does not cover ``bounds`` at all (naming ``path`` and ``what``).
    """
    whole = rasterio.windows.Window(0, 0, src.width, src.height)
    want = rasterio.windows.from_bounds(*bounds, transform=src.transform)
    want = want.round_offsets(op="floor").round_lengths(op="ceil")
    try:
        return want.intersection(whole)
    except rasterio.errors.WindowError as exc:
        raise ValueError(f"{path}: does not cover {what}") from exc


def read_bands_window(
    path: str | Path, bounds: tuple[float, float, float, float], bands: Sequence[int]
) -> tuple[np.ndarray, Affine]:
    """Bands of the part of a raster covering ``bounds`` (in its CRS), nothing else read.

    Returns
    -------
    array : numpy.ndarray
        float64 ``(bands, rows, cols)``, the file's scale and offset applied (NetCDF
        packing), nodata as NaN.
    transform : Affine
        The window's transform.

    Raises
    ------
    ValueError
        The raster does not cover ``bounds`` at all.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
        with rasterio.open(str(path)) as src:
            window = covering_window(src, bounds, path, "the region's area")
            idx = list(bands)
            data = src.read(idx, window=window, masked=True).astype(np.float64)
            scales = np.array([src.scales[b - 1] for b in idx])[:, None, None]
            offsets = np.array([src.offsets[b - 1] for b in idx])[:, None, None]
            values = data.filled(np.nan) * scales + offsets
            return values, src.window_transform(window)


def read_band_view(
    path: str | Path, bounds: tuple[float, float, float, float], band: int, max_side: int
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """One band over ``bounds`` (in its CRS), decimated to at most ``max_side`` cells a side.

    The window is widened to whole cells; a decimated read takes every n-th cell (nearest,
    GDAL's overviews where the file has them), so a national grid costs no more than a
    small one.

    Returns
    -------
    array : numpy.ndarray
        float64 ``(rows, cols)``, nodata as NaN.
    bounds : tuple of float
        ``(left, bottom, right, top)`` of the cells read.

    Raises
    ------
    ValueError
        The raster does not cover ``bounds`` at all.
    """
    with rasterio.open(str(path)) as src:
        window = covering_window(src, bounds, path, "the requested area")
        step = max(1, int(np.ceil(max(window.width, window.height) / max_side)))
        shape = (int(np.ceil(window.height / step)), int(np.ceil(window.width / step)))
        data = src.read(band, window=window, out_shape=shape, masked=True).astype(np.float64)
        left, bottom, right, top = rasterio.windows.bounds(window, src.transform)
    return data.filled(np.nan), (left, bottom, right, top)


def read_raster(
    path: str | Path, bands: Sequence[int] | None = None
) -> tuple[np.ndarray, RasterInfo]:
    """Read bands of a raster into a ``(bands, rows, cols)`` array.

    Parameters
    ----------
    path : str or Path
        Raster file.
    bands : sequence of int, optional
        1-based band indexes; all bands when omitted.

    Returns
    -------
    array : numpy.ndarray
        Pixel values in the file's dtype, shape ``(bands, rows, cols)``.
    info : RasterInfo

    """
    info = raster_info(path)
    try:
        with rasterio.open(info.path) as src:
            idx = list(bands) if bands is not None else list(range(1, src.count + 1))
            return src.read(idx), info
    except RasterioIOError as exc:
        raise LayerReadError(
            info.path, f"pixels cannot be read ({exc})", "the file may be truncated; re-export it"
        ) from exc


# temporary names carry their writer's process id: ".communities.tmp-4711-x8f2.csv",
# ".results.new-4711-ab12"; what a process that no longer runs left is removed by the next
# writer of the same target
_OWNER = re.compile(r"\.(?:tmp|new|old|strips)-(\d+)-")


def temp_prefix(name: str, kind: str) -> str:
    """The start of a temporary name beside ``name`` that carries this process's id.

    ``kind``: ``tmp`` (a file being written), ``new``/``old`` (a folder being swapped),
    ``strips`` (scratch rasters).
    """
    return f".{name}.{kind}-{os.getpid()}-"


def _owner_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs on this machine (signal 0 checks, sends nothing)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def remove_dead_leftovers(folder: Path, prefix: str) -> list[Path]:
    """Delete the temporary files and folders in ``folder`` that dead writers left.

    A run killed mid-write (``kill -9``, a power cut) leaves its temporary names behind;
    each carries its writer's process id, and only those whose process no longer runs are
    removed: a run writing now keeps its own.

    Parameters
    ----------
    prefix : str
        The start of the names to look at (e.g. ``.results.``); ``""``: every temporary
        name in the folder.

    Returns
    -------
    list of Path
        What was removed.
    """
    removed = []
    for path in folder.glob(glob_escape(prefix) + "*"):
        owner = _OWNER.match(path.name, len(prefix) - 1) if prefix else _OWNER.search(path.name)
        if owner is None or _owner_alive(int(owner.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def glob_escape(text: str) -> str:
    """``text`` with glob's special characters taken literally."""
    return re.sub(r"([*?\[])", r"[\1]", text)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any exception the temporary file is removed and ``target`` is left untouched. What
    a killed earlier writer of ``target`` left beside it is removed first.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_leftovers(target.parent, f".{target.stem}.")
    fd, tmp_name = tempfile.mkstemp(
        prefix=temp_prefix(target.stem, "tmp"), suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # drivers want to create the file themselves
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        for leftover in tmp.parent.glob(tmp.name + "*"):
            leftover.unlink(missing_ok=True)


def write_cog(
    path: str | Path,
    array: np.ndarray,
    crs: CRS,
    transform: Affine,
    nodata: float | None,
    tags: dict[str, str] | None = None,
    band_descriptions: Sequence[str] | None = None,
) -> Path:
    """Write a Cloud-Optimized GeoTIFF atomically.

    Parameters
    ----------
    path : str or Path
        Target file; parent folders are created.
    array : numpy.ndarray
        ``(rows, cols)`` or ``(bands, rows, cols)``.
    crs : pyproj.CRS
    transform : affine.Affine
    nodata : float or None
    tags : dict, optional
        Dataset-level metadata (units, source, ...).
    band_descriptions : sequence of str, optional

    Returns
    -------
    Path
        The written file.

    """
    data = array[np.newaxis] if array.ndim == 2 else array
    profile: dict[str, Any] = {
        "driver": "COG",
        "width": data.shape[2],
        "height": data.shape[1],
        "count": data.shape[0],
        "dtype": data.dtype.name,
        "crs": crs.to_wkt(),
        "transform": transform,
        "nodata": nodata,
        "compress": "DEFLATE",
        "predictor": 3 if data.dtype.kind == "f" else 2,
        "blocksize": 512,
        "overview_resampling": "nearest" if data.dtype.kind in "iu" else "average",
        "BIGTIFF": "IF_SAFER",
    }
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(data)
        if tags:
            dst.update_tags(**tags)
        for i, desc in enumerate(band_descriptions or [], start=1):
            dst.set_band_description(i, desc)
    return Path(path)


# rasterio hands an int GDAL_CACHEMAX to GDALSetCacheMax64: bytes, not megabytes (256 would be
# a 256-byte cache, and every windowed read and strip write would thrash it)
COPY_CACHE_BYTES = 256 * 2**20


def write_cog_bands(
    path: str | Path,
    bands: Iterable[np.ndarray],
    count: int,
    crs: CRS,
    transform: Affine,
    nodata: float | None,
    tags: dict[str, str] | None = None,
) -> Path:
    """Write a multi-band Cloud-Optimized GeoTIFF atomically, one band in memory at a time.

    :func:`write_cog` needs the whole ``(bands, rows, cols)`` array (and GDAL's COG driver
    copies it once more into memory); here each band goes into a tiled GeoTIFF beside the
    target as it comes (band-interleaved, so a band's write touches only its own blocks where a
    pixel-interleaved block would be rewritten once per band; ZSTD level 1: fast, it is read
    once), and GDAL copies that file to a COG through a bounded block cache. The pixels,
    tags and overviews are those :func:`write_cog` writes.

    Parameters
    ----------
    bands : iterable of numpy.ndarray
        ``count`` arrays of ``(rows, cols)``, all of one dtype (computed lazily, e.g. a
        generator warping one band at a time).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        atomic_path(target) as tmp,
        tempfile.TemporaryDirectory(
            prefix=temp_prefix(target.stem, "tmp") + "bands-", dir=target.parent
        ) as scratch,
        rasterio.Env(GDAL_CACHEMAX=COPY_CACHE_BYTES),
    ):
        tiled = Path(scratch) / "bands.tif"
        dst = None
        try:
            for i, band in enumerate(bands, start=1):
                if dst is None:
                    dst = rasterio.open(
                        tiled, "w", driver="GTiff", width=band.shape[1], height=band.shape[0],
                        count=count, dtype=band.dtype.name, crs=crs.to_wkt(),
                        transform=transform, nodata=nodata, tiled=True, blockxsize=512,
                        blockysize=512, compress="ZSTD", zstd_level=1, BIGTIFF="IF_SAFER",
                        interleave="band",
                    )  # fmt: skip
                dst.write(band, i)
                del band  # before the next band is computed: one band in memory
            if dst is None:
                raise ValueError(f"no bands to write to {target}")
            if tags:
                dst.update_tags(**tags)
        finally:
            if dst is not None:
                dst.close()
        copy_to_cog(tiled, tmp)
    return target


def copy_to_cog(source: Path, target: Path) -> Path:
    """Copy a (tiled) GeoTIFF to a COG as :func:`write_cog` writes it, through GDAL.

    GDAL streams the source through a bounded block cache (``COPY_CACHE_BYTES``) and
    compresses and builds overviews on every core; the source is never read whole.
    """
    with rasterio.Env(GDAL_CACHEMAX=COPY_CACHE_BYTES):
        with rasterio.open(source) as src:
            kind = np.dtype(src.dtypes[0]).kind
        rasterio.shutil.copy(
            source,
            target,
            driver="COG",
            compress="DEFLATE",
            predictor=3 if kind == "f" else 2,
            blocksize=512,
            overview_resampling="nearest" if kind in "iu" else "average",
            BIGTIFF="IF_SAFER",
            NUM_THREADS="ALL_CPUS",
        )
    return target


def read_tags(path: str | Path) -> dict[str, str]:
    """Return the dataset-level metadata tags of a raster."""
    with rasterio.open(path) as src:
        return dict(src.tags())


def vector_layers(path: str | Path) -> list[str]:
    """Names of the layers in a vector file."""
    return [str(name) for name, _ in pyogrio.list_layers(path)]


def read_vector(path: str | Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file with pyogrio.

    Raises
    ------
    LayerReadError
        When the file is missing, unreadable, has no such layer or no geometry.

    """
    path = Path(path)
    if not path.exists():
        raise LayerReadError(path, "file not found", "check the path in region.toml")
    view = _sqlite_view(path, layer)
    if view is not None:
        raise LayerReadError(
            path,
            f"layer '{view}' is an SQL view (a view can run a query that never ends)",
            "save the layer as a table (e.g. ogr2ogr out.gpkg in.gpkg) and use that file",
        )
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several unrelated types for a bad file
        raise LayerReadError(
            path, f"not a readable vector file ({exc})", "re-export it as GeoPackage or GeoJSON"
        ) from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None:
        raise LayerReadError(
            path, "file has no geometry column", "export the layer with its geometry"
        )
    return gdf


SQLITE_HEADER = b"SQLite format 3\x00"


def _sqlite_view(path: Path, layer: str | None) -> str | None:
    """The name of a view of a GeoPackage (SQLite) file that may be read as a layer, or None.

    ``layer`` when it is a view; without ``layer``, any view (GDAL lists views and unregistered
    tables as layers, and reads the first). Read from ``sqlite_master`` only, so no view runs.
    """
    try:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
    except OSError:
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return None  # not SQLite after all: GDAL's reader says what is wrong
    views = [str(r[0]) for r in rows]
    if layer is not None:
        return layer if layer in views else None
    return views[0] if views else None


def read_points_csv(
    path: str | Path,
    lon_field: str,
    lat_field: str,
    crs: str = "EPSG:4326",
    encoding: str = "utf-8",
) -> gpd.GeoDataFrame:
    """Read a CSV of points with coordinate columns into a GeoDataFrame.

    Rows with missing coordinates are kept with an empty geometry so that validation can
    report them by row.
    """
    path = Path(path)
    if not path.exists():
        raise LayerReadError(path, "file not found", "check the path in region.toml")
    try:
        df = pd.read_csv(path, encoding=encoding)
    except UnicodeDecodeError as exc:
        raise LayerReadError(
            path,
            f"not valid {encoding} text ({exc.reason})",
            "set encoding = 'latin-1' (or the file's encoding)",
        ) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LayerReadError(
            path, f"not a readable CSV ({exc})", "save it as comma-separated UTF-8"
        ) from exc
    missing = [c for c in (lon_field, lat_field) if c not in df.columns]
    if missing:
        raise LayerReadError(
            path,
            f"coordinate column(s) {missing} not found; columns are {list(df.columns)}",
            "set lon_field and lat_field in [layers.project_sites]",
        )
    lon = pd.to_numeric(df[lon_field], errors="coerce")
    lat = pd.to_numeric(df[lat_field], errors="coerce")
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=crs)


def write_vector(gdf: gpd.GeoDataFrame, path: str | Path, layer: str | None = None) -> Path:
    """Write a GeoDataFrame atomically (GeoPackage, GeoJSON, ... chosen by suffix).

    Adding a layer to an existing GeoPackage copies the file first so the rename stays atomic.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        if layer is not None and path.exists() and path.suffix == ".gpkg":
            tmp.write_bytes(path.read_bytes())
        gdf.to_file(tmp, layer=layer, engine="pyogrio")
    return path


def fingerprint(paths: Sequence[str | Path], extra: str = "") -> str:
    """A short hash of files' names, sizes and modification times plus ``extra``.

    Used to rebuild caches when a source changes without hashing gigabytes. The folder is
    left out, so a region copied elsewhere with its times (``cp -a``, ``rsync -a``) keeps
    its caches.
    """
    h = hashlib.sha256(extra.encode())
    for p in paths:
        st = Path(p).stat()
        h.update(f"{Path(p).name}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _neutral_cell(value: Any) -> Any:
    formula = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    return "'" + value if formula and not _PLAIN_NUMBER.fullmatch(value) else value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells a spreadsheet cannot run as formulas.

    Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'`` (the OWASP advice for CSV injection), so ``=HYPERLINK(...)`` or ``-2+3``
    opens as the text it is. Numbers, negative ones included, and text that is a plain
    number (``"-2.5"``) stay as they are. Column names are text cells too.
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(_neutral_cell)
    out.columns = [_neutral_cell(str(c)) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, path: str | Path, *, for_spreadsheets: bool = False) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically (no index column).

    Parameters
    ----------
    for_spreadsheets : bool
        A file for people to open (downloads, exports): text cells that a spreadsheet would
        run as formulas are neutralised (:func:`neutralise_formulas`). The results store
        keeps its text as it is.
    """
    table = neutralise_formulas(df) if for_spreadsheets else df
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8")
    return Path(path)


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write tables as the sheets of one Excel workbook, atomically (openpyxl).

    Text that starts with ``=`` (a name such as ``=HYPERLINK(...)`` in a user's layer) is
    stored as text, never as a formula Excel would run. Every sheet's header row stays in
    view when scrolling (frozen) and carries a filter.
    """
    with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
            sheet.freeze_panes = "A2"
            if sheet.max_column and len(df.columns):
                sheet.auto_filter.ref = sheet.dimensions
    return Path(path)


def write_vector_layers(layers: dict[str, gpd.GeoDataFrame], path: str | Path) -> Path:
    """Write several layers into one new GeoPackage, atomically (all or nothing)."""
    with atomic_path(path) as tmp:
        for name, gdf in layers.items():
            gdf.to_file(tmp, layer=name, engine="pyogrio", driver="GPKG")
    return Path(path)


STALE_BUILD_S = 600  # a half-built folder this old was left by a killed process


def _remove_stale_builds(target: Path) -> None:
    """Recover from a process killed mid-write, then delete its stale leftovers.

    A kill between the two renames of the swap leaves the previous folder inside an
    ``.old.`` sibling and no target: it is moved back first.
    """
    if not target.exists():
        olds = [f".{target.name}.old.*/{target.name}", f".{target.name}.old-*/{target.name}"]
        for old in sorted(p for pattern in olds for p in target.parent.glob(pattern)):
            owner = _OWNER.search(old.parent.name)
            if owner is not None and _owner_alive(int(owner.group(1))):
                continue  # a live run between its two renames: it finishes the swap
            old.rename(target)
            break
    remove_dead_leftovers(target.parent, f".{target.name}.")
    now = time.time()
    for pattern in (f".{target.name}.new.*", f".{target.name}.old.*"):
        for leftover in target.parent.glob(pattern):
            try:
                if now - leftover.stat().st_mtime > STALE_BUILD_S:
                    shutil.rmtree(leftover, ignore_errors=True)
            except OSError:
                continue


def replace_folder(target: str | Path, build: Callable[[Path], None]) -> Path:
    """Build a folder with ``build(tmp)`` beside ``target``, then swap it into place.

    ``target`` is replaced only once the new folder is complete; if ``build`` fails, the
    partial folder is removed and ``target`` is left as it was.
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(target)
    tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name, "new"), dir=target.parent))
    try:
        tmp.chmod(0o755)
        build(tmp)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name, "old"), dir=target.parent))
            target.rename(old / target.name)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
