"""The region's flow routing on its working grid, computed once and cached on disk.

D8 directions and upstream area of the region's DEM aligned to the working grid, routed
with pysheds (:func:`layers.build.delineation.route_with_streams`). They are kept in the
region's cache folder with the DEM's fingerprint, written atomically: a click on the map
delineates a catchment without routing again, and a changed DEM or grid is routed anew.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from affine import Affine
from rasterio.windows import Window

from layers.build.delineation import route_with_streams
from layers.io import atomic_path
from layers.registry import LayerRegistry
from processing.kernels.hydrology import downstream_index, upstream_sum

ROUTING_VERSION = "1"  # bump when the routing or the cached arrays change
ROUTING_FILE = Path("routing") / "flow.npz"  # inside the region's cache folder


@dataclass(frozen=True)
class RegionRouting:
    """Flow routing of a region's DEM on the working grid.

    Attributes
    ----------
    fdir : numpy.ndarray
        int16 D8 codes (:data:`processing.kernels.hydrology.D8_CODES`).
    upstream_cells : numpy.ndarray
        float64 count of cells with DEM data draining through each cell, itself included.
    valid : numpy.ndarray
        bool, the DEM has data.
    fingerprint : str
        The DEM fingerprint the routing was computed from (:func:`dem_fingerprint`).

    """

    fdir: np.ndarray
    upstream_cells: np.ndarray
    valid: np.ndarray
    fingerprint: str

    def downstream(self) -> np.ndarray:
        """Flat index of each cell's downstream neighbour (-1 where flow leaves or stops)."""
        return downstream_index(self.fdir)


def dem_fingerprint(reg: LayerRegistry) -> str:
    """Hash of the elevation files (name, size, mtime), their nodata and scale, and the grid."""
    src = reg.source("elevation")
    h = hashlib.sha256(f"routing v{ROUTING_VERSION}|{reg.grid.key()}".encode())
    h.update(f"|{src.nodata}|{src.scale}".encode())
    for path in src.files:
        st = path.stat()
        h.update(f"|{path.name}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def routing_path(reg: LayerRegistry) -> Path:
    """Where the region's routing is cached."""
    return reg.region.cache_dir / ROUTING_FILE


def _read_cached(path: Path, fingerprint: str) -> RegionRouting | None:
    """The cached routing when it holds this fingerprint (None when absent, stale or broken)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["fingerprint"]) != fingerprint:
                return None
            return RegionRouting(data["fdir"], data["upstream_cells"], data["valid"], fingerprint)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError):
        return None


def compute_routing(reg: LayerRegistry) -> RegionRouting:
    """Route the region's DEM (no cache).

    Raises
    ------
    ValueError
        When the region has no elevation layer or it holds no data over the grid.
    """
    if not reg.has("elevation"):
        raise ValueError(
            "catchments need an elevation layer: add [layers.elevation] to region.toml"
        )
    grid = reg.grid
    dem = reg.source("elevation").read(grid, Window(0, 0, grid.width, grid.height))[0]
    dem = dem.astype(np.float64)
    valid = np.isfinite(dem)
    if not valid.any():
        path = reg.source("elevation").files[0]
        raise ValueError(f"{path.name}: the elevation layer holds no data over the region")
    return route_dem(dem, grid.transform, dem_fingerprint(reg))


def route_dem(dem_m: np.ndarray, transform: Affine, fingerprint: str = "") -> RegionRouting:
    """Route a DEM array (NaN where it has no data) on its own grid.

    Parameters
    ----------
    dem_m : numpy.ndarray
        Elevation, metres, on a projected grid.
    transform : affine.Affine
        Its transform.
    fingerprint : str
        Recorded in the result.
    """
    valid = np.isfinite(dem_m)
    routing = route_with_streams(dem_m, transform)
    upstream = upstream_sum(routing.fdir, transform, valid.astype(np.float64))
    return RegionRouting(routing.fdir, upstream, valid, fingerprint)


def region_routing(reg: LayerRegistry) -> RegionRouting:
    """The region's routing from its cache, or routed now and cached (atomically).

    Raises
    ------
    ValueError
        As :func:`compute_routing`.
    """
    if not reg.has("elevation"):
        return compute_routing(reg)  # raises with the fix
    path = routing_path(reg)
    cached = _read_cached(path, dem_fingerprint(reg))
    if cached is not None:
        return cached
    routing = compute_routing(reg)
    with atomic_path(path) as tmp:
        np.savez(
            tmp,
            fdir=routing.fdir,
            upstream_cells=routing.upstream_cells,
            valid=routing.valid,
            fingerprint=np.array(routing.fingerprint),
        )
    return routing
