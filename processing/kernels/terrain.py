"""Terrain kernels on a DEM array: slope and hillshade (numpy in, numpy out)."""

from __future__ import annotations

import numpy as np


def slope_pct(dem_m: np.ndarray, cell_m: float) -> np.ndarray:
    """Slope in percent (rise over run x 100) by central differences.

    Parameters
    ----------
    dem_m : numpy.ndarray
        Elevation, metres, shape ``(rows, cols)``; NaN for missing cells.
    cell_m : float
        Cell size, metres (square cells in a projected CRS).

    Returns
    -------
    numpy.ndarray
        float32 slope, percent; NaN where the DEM or a neighbour is NaN.

    """
    dz_dy, dz_dx = np.gradient(dem_m.astype(np.float64), cell_m)
    return (np.hypot(dz_dx, dz_dy) * 100.0).astype(np.float32)


def hillshade(
    dem_m: np.ndarray,
    cell_m: float,
    azimuth_deg: float = 315.0,
    altitude_deg: float = 45.0,
    z_factor: float = 1.0,
) -> np.ndarray:
    """Hillshade in 0..255 (uint8) as in GDAL's ``gdaldem hillshade`` (Horn-like gradient).

    Parameters
    ----------
    dem_m : numpy.ndarray
        Elevation, metres, shape ``(rows, cols)``, rows running north to south.
    cell_m : float
        Cell size, metres.
    azimuth_deg, altitude_deg : float
        Light direction (clockwise from north) and elevation angle.
    z_factor : float
        Vertical exaggeration.

    Returns
    -------
    numpy.ndarray
        uint8 shade, 0 for NaN cells.

    """
    dz_dy, dz_dx = np.gradient(dem_m.astype(np.float64) * z_factor, cell_m)
    slope = np.arctan(np.hypot(dz_dx, dz_dy))
    # ESRI/GDAL convention: rows increase southwards, so dz_dy is the southward gradient
    aspect = np.arctan2(dz_dy, -dz_dx)
    az = np.deg2rad(360.0 - azimuth_deg + 90.0)
    alt = np.deg2rad(altitude_deg)
    shade = np.sin(alt) * np.cos(slope) + np.cos(alt) * np.sin(slope) * np.cos(az - aspect)
    out = np.clip(shade, 0, 1) * 254 + 1
    return np.where(np.isfinite(out), out, 0).astype(np.uint8)
