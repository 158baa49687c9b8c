"""Synthetic monthly climate on a geographic grid, like CHIRPS and WorldClim products.

Rainfall is bimodal (long rains March-May, short rains October-December) with an
orographic gradient, about 600-1,600 mm/yr; temperature follows a lapse rate of
6.5 degC per km with a small seasonal cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import CRS, Transformer
from scipy import ndimage

from layers.grid import Grid

# share of annual rainfall per month, Jan..Dec (Machakos-like bimodal regime)
RAIN_SHARE = np.array(
    [0.045, 0.035, 0.105, 0.185, 0.075, 0.012, 0.008, 0.008, 0.015, 0.075, 0.255, 0.182]
)
RAIN_SHARE = RAIN_SHARE / RAIN_SHARE.sum()
# monthly departure of mean temperature from the annual mean, degC (warm Feb-Mar, cool Jul)
TEMP_ANOMALY_C = np.array([0.8, 1.3, 1.2, 0.6, -0.2, -1.2, -1.8, -1.5, -0.4, 0.4, 0.1, 0.3])
DIURNAL_RANGE_C = np.array([12.5, 13.0, 12.0, 10.0, 10.0, 10.5, 10.5, 11.0, 12.5, 12.0, 10.0, 11.0])
LAPSE_C_PER_M = 0.0065
SEA_LEVEL_TMEAN_C = 29.6


@dataclass(frozen=True)
class GeoGrid:
    """A WGS84 grid: transform and shape."""

    transform: Affine
    width: int
    height: int


def geographic_grid(work: Grid, cell_deg: float, margin_cells: int = 2) -> GeoGrid:
    """A lat/lon grid of ``cell_deg`` covering the working grid plus a margin."""
    t = Transformer.from_crs(work.crs, CRS.from_epsg(4326), always_xy=True)
    w, s, e, n = t.transform_bounds(*work.bounds, densify_pts=21)
    w = np.floor(w / cell_deg - margin_cells) * cell_deg
    n = np.ceil(n / cell_deg + margin_cells) * cell_deg
    width = int(np.ceil((e - w) / cell_deg + margin_cells))
    height = int(np.ceil((n - s) / cell_deg + margin_cells))
    return GeoGrid(Affine(cell_deg, 0, float(w), 0, -cell_deg, float(n)), width, height)


def sample_on_geographic(
    values: np.ndarray, work: Grid, geo: GeoGrid, smooth_cells: float
) -> np.ndarray:
    """Smooth a working-grid field and sample it at the centres of a lat/lon grid."""
    smooth = ndimage.gaussian_filter(values.astype(np.float64), smooth_cells)
    cols = np.arange(geo.width) + 0.5
    rows = np.arange(geo.height) + 0.5
    lon = geo.transform.c + cols * geo.transform.a
    lat = geo.transform.f + rows * geo.transform.e
    lon2, lat2 = np.meshgrid(lon, lat)
    t = Transformer.from_crs(CRS.from_epsg(4326), work.crs, always_xy=True)
    x, y = t.transform(lon2, lat2)
    c = (x - work.transform.c) / work.transform.a - 0.5
    r = (y - work.transform.f) / work.transform.e - 0.5
    return ndimage.map_coordinates(smooth, [r, c], order=1, mode="nearest")


def annual_rain_mm(elev_m: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Annual rainfall from elevation (orographic) plus a west-east gradient and noise."""
    rel = np.clip((elev_m - 1150.0) / 850.0, 0.0, 1.0)
    cols = np.linspace(0, 1, elev_m.shape[1])[None, :]
    noise = ndimage.gaussian_filter(rng.standard_normal(elev_m.shape), 2.0)
    noise /= max(noise.std(), 1e-9)
    return np.clip(620.0 + 900.0 * rel**0.9 - 80.0 * cols + 35.0 * noise, 560.0, 1650.0)


def monthly_rain_mm(annual_mm: np.ndarray) -> np.ndarray:
    """Split annual rainfall into 12 months, wetter places with slightly longer seasons."""
    wet = np.clip((annual_mm - 600.0) / 1000.0, 0, 1)
    share = RAIN_SHARE[:, None, None] * (1 - 0.25 * wet) + (0.25 * wet) / 12.0
    return (share * annual_mm[None]).astype(np.float32)


def monthly_temperature_c(elev_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monthly mean Tmin and Tmax, degC, shape ``(12, rows, cols)``."""
    tmean = SEA_LEVEL_TMEAN_C - LAPSE_C_PER_M * elev_m
    monthly = tmean[None] + TEMP_ANOMALY_C[:, None, None]
    half = DIURNAL_RANGE_C[:, None, None] / 2.0
    return (monthly - half).astype(np.float32), (monthly + half).astype(np.float32)


# Three synthetic "GCMs" of the demo's future (SSP2-4.5, 2041-2060): per month, a rain
# factor (a drier or a wetter future, the long rains Mar-May and short rains Oct-Dec
# moved differently) and a warming, degC. Not model output: they make the demo's future
# scenario spread show. Names: WorldClim 2.1 future files.
DEMO_FUTURE_SSP = "ssp245"
DEMO_FUTURE_PERIOD = "2041-2060"
DEMO_FUTURE_GCMS: dict[str, tuple[list[float], float]] = {
    "DEMO-DRY": ([1.0, 1.0, 0.85, 0.8, 0.85, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 0.95], 2.1),
    "DEMO-MID": ([1.0, 1.0, 0.95, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.1, 1.05], 1.7),
    "DEMO-WET": ([1.05, 1.05, 1.1, 1.15, 1.1, 1.0, 1.0, 1.0, 1.0, 1.2, 1.25, 1.15], 1.4),
}


def future_files(
    rain_mm: np.ndarray, tmin_c: np.ndarray, tmax_c: np.ndarray
) -> dict[str, np.ndarray]:
    """The demo's future climatologies by WorldClim 2.1 file name (12 bands each)."""
    out = {}
    for gcm, (factors, warming_c) in DEMO_FUTURE_GCMS.items():
        tail = f"{gcm}_{DEMO_FUTURE_SSP}_{DEMO_FUTURE_PERIOD}.tif"
        f = np.asarray(factors, dtype=np.float32)[:, None, None]
        out[f"wc2.1_30s_prec_{tail}"] = (rain_mm * f).astype(np.float32)
        out[f"wc2.1_30s_tmin_{tail}"] = (tmin_c + warming_c + 0.2).astype(np.float32)
        out[f"wc2.1_30s_tmax_{tail}"] = (tmax_c + warming_c - 0.2).astype(np.float32)
    return out
