"""Synthetic terrain: fractal relief on a regional slope and a hill range, with carved valleys."""

from __future__ import annotations

import numpy as np
from affine import Affine
from scipy import ndimage

from processing.kernels.hydrology import FlowRouting, route_flow


def fractal_noise(
    shape: tuple[int, int], rng: np.random.Generator, beta: float = 3.2
) -> np.ndarray:
    """Gaussian noise with a power-law spectrum (1/f**beta), scaled to zero mean, unit std.

    Parameters
    ----------
    shape : tuple of int
        ``(rows, cols)``.
    rng : numpy.random.Generator
    beta : float
        Spectral exponent; about 3 gives natural-looking relief.

    """
    ky = np.fft.fftfreq(shape[0])[:, None]
    kx = np.fft.rfftfreq(shape[1])[None, :]
    k = np.hypot(kx, ky)
    k[0, 0] = 1.0
    amp = k ** (-beta / 2.0)
    amp[0, 0] = 0.0
    phase = rng.standard_normal((shape[0], kx.shape[1])) + 1j * rng.standard_normal(
        (shape[0], kx.shape[1])
    )
    field = np.fft.irfft2(amp * phase, s=shape)
    return (field - field.mean()) / field.std()


def synth_dem(
    shape: tuple[int, int], transform: Affine, rng: np.random.Generator
) -> tuple[np.ndarray, FlowRouting]:
    """A plausible highland DEM, metres, and its flow routing.

    The land falls from about 2,000 m in the north-west to 1,150 m in the south-east, a hill
    range crosses it, fractal relief adds spurs, and valleys are carved in proportion to
    upstream area so that the drainage network shows in the hillshade.

    Returns
    -------
    dem_m : numpy.ndarray
        float32 elevation, metres (hydrologically conditioned).
    routing : FlowRouting
        Flow directions and accumulation of that DEM.

    """
    rows, cols = shape
    v, u = np.mgrid[0:rows, 0:cols].astype(np.float64)
    u /= cols
    v /= rows
    regional = 1950.0 - 520.0 * (0.6 * u + 0.4 * v)
    # hill range running SW-NE through the middle, with a saddle
    d = (v - (0.85 - 0.7 * u)) / 0.09
    ridge = 330.0 * np.exp(-(d**2)) * (0.65 + 0.35 * np.cos(6.0 * u))
    relief = 95.0 * fractal_noise(shape, rng) + 8.0 * fractal_noise(shape, rng, beta=2.4)
    dem = regional + ridge + relief
    routing = route_flow(dem, transform)
    area_km2 = routing.acc_cells * abs(transform.a * transform.e) / 1e6
    carve = np.minimum(60.0, 18.0 * np.log1p(area_km2 / 0.3))
    # V-shaped valleys a few hundred metres wide around a one-cell thalweg
    carved = routing.dem_m - 2.5 * ndimage.gaussian_filter(carve, 4.0) - 0.3 * carve
    routing = route_flow(carved, transform)
    return routing.dem_m.astype(np.float32), routing
