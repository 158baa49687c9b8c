"""Synthetic towns, roads, land use and soils laid out plausibly on the terrain."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine
from rasterio import features
from scipy import ndimage
from scipy.sparse.csgraph import minimum_spanning_tree

# land-use codes (class table in tables.py)
CROPLAND, GRASSLAND, SHRUBLAND, FOREST, WETLAND, WATER, BUILT_UP, BARE = 1, 2, 3, 4, 5, 6, 7, 8
# soil unit codes
ANDOSOL, NITISOL, FERRALSOL, CAMBISOL, LUVISOL, VERTISOL, LEPTOSOL, FLUVISOL = (
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
)


@dataclass(frozen=True)
class Terrain:
    """Terrain fields on the working grid used to place everything else."""

    dem_m: np.ndarray
    slope_pct: np.ndarray
    acc_cells: np.ndarray
    rain_mm: np.ndarray  # annual rainfall on the working grid
    transform: Affine

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``."""
        return self.dem_m.shape


def smooth_noise(shape: tuple[int, int], rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Smoothed Gaussian noise scaled to unit standard deviation."""
    n = ndimage.gaussian_filter(rng.standard_normal(shape), sigma)
    return n / max(float(n.std()), 1e-12)


def place_towns(
    t: Terrain, rng: np.random.Generator, count: int, min_spacing_cells: int
) -> np.ndarray:
    """Town centres ``(row, col)`` on gentle, mid-elevation land, spaced apart."""
    score = -np.abs(t.slope_pct - 3.0) / 10.0 - np.abs(t.dem_m - np.percentile(t.dem_m, 40)) / 300.0
    score = score + 0.3 * smooth_noise(t.shape, rng, 20)
    margin = min_spacing_cells // 3
    score[:margin] = score[-margin:] = -np.inf
    score[:, :margin] = score[:, -margin:] = -np.inf
    order = np.argsort(score, axis=None)[::-1]
    towns: list[tuple[int, int]] = []
    for flat in order:
        r, c = divmod(int(flat), t.shape[1])
        if all((r - tr) ** 2 + (c - tc) ** 2 >= min_spacing_cells**2 for tr, tc in towns):
            towns.append((r, c))
            if len(towns) == count:
                break
    return np.array(towns)


def road_network(
    towns_xy: np.ndarray, bounds: tuple[float, float, float, float], rng: np.random.Generator
) -> list[shapely.LineString]:
    """Roads: a minimum spanning tree between towns plus links to the nearest map edges.

    Each link is a gently wiggling polyline (midpoint displacement), in map coordinates.
    """
    n = len(towns_xy)
    dist = np.hypot(*(towns_xy[:, None, :] - towns_xy[None, :, :]).transpose(2, 0, 1))
    mst = minimum_spanning_tree(dist).tocoo()
    links = [(towns_xy[i], towns_xy[j]) for i, j in zip(mst.row, mst.col, strict=True)]
    left, bottom, right, top = bounds
    for k in rng.choice(n, size=min(3, n), replace=False):
        x, y = towns_xy[k]
        edge = min(
            (
                (x - left, (left, y)),
                (right - x, (right, y)),
                (y - bottom, (x, bottom)),
                (top - y, (x, top)),
            )
        )[1]
        links.append((towns_xy[k], np.array(edge)))
    return [_wiggle(a, b, rng) for a, b in links]


def _wiggle(
    a: np.ndarray, b: np.ndarray, rng: np.random.Generator, depth: int = 4
) -> shapely.LineString:
    pts = [np.asarray(a, float), np.asarray(b, float)]
    for level in range(depth):
        out = [pts[0]]
        for p, q in itertools.pairwise(pts):
            d = q - p
            normal = np.array([-d[1], d[0]]) / max(np.hypot(*d), 1e-9)
            mid = (p + q) / 2 + normal * rng.normal(0, 0.08 / (level + 1)) * np.hypot(*d)
            out += [mid, q]
        pts = out
    return shapely.LineString(pts)


def rasterize_lines(
    lines: list[shapely.LineString], shape: tuple[int, int], transform: Affine
) -> np.ndarray:
    """Boolean mask of cells touched by lines."""
    return features.rasterize(
        ((ln, 1) for ln in lines),
        out_shape=shape,
        transform=transform,
        all_touched=True,
        dtype=np.uint8,
    ).astype(bool)


def land_use(
    t: Terrain, towns_rc: np.ndarray, roads: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Land-use codes laid out on the terrain.

    Forest on high ground and steep slopes, water and wetland in valleys,
    towns on roads, cropland on gentle land near roads, shrubland where it is dry.
    """
    rows, cols = np.indices(t.shape)
    road_dist_m = ndimage.distance_transform_edt(~roads) * abs(t.transform.a)
    elev_q = np.percentile(t.dem_m, [50, 78, 93])
    lu = np.full(t.shape, GRASSLAND, dtype=np.uint8)
    crop_score = (
        1.0
        - np.clip(t.slope_pct / 25.0, 0, 1)
        - np.clip(road_dist_m / 6000.0, 0, 1) * 0.6
        + 0.35 * np.clip((t.rain_mm - 650) / 500, 0, 1)
        + 0.35 * smooth_noise(t.shape, rng, 6)
    )
    lu[crop_score > 0.55] = CROPLAND
    dry = (t.rain_mm < 880) & (crop_score <= 0.62) & (smooth_noise(t.shape, rng, 8) > -0.8)
    lu[dry] = SHRUBLAND
    forest = ((t.dem_m > elev_q[1]) & (smooth_noise(t.shape, rng, 10) > -0.3)) | (
        (t.slope_pct > 45) & (smooth_noise(t.shape, rng, 3) > 0.5)
    )
    forest |= t.dem_m > elev_q[2]
    lu[forest] = FOREST
    lu[(t.slope_pct > 55) & (t.dem_m > elev_q[0])] = BARE
    channel = t.acc_cells > 40_000
    wet = ndimage.binary_dilation(channel, iterations=4) & (t.slope_pct < 9)
    lu[wet & (smooth_noise(t.shape, rng, 4) > -0.2)] = WETLAND
    # a few small reservoirs on mid-sized channels, following the valley
    cand = np.flatnonzero(
        ((t.acc_cells > 8_000) & (t.acc_cells < 60_000) & (t.slope_pct < 8)).ravel()
    )
    for flat in rng.choice(cand, size=min(5, cand.size), replace=False):
        r0, c0 = divmod(int(flat), t.shape[1])
        radius = rng.uniform(7, 13)
        disc = (rows - r0) ** 2 + (cols - c0) ** 2 <= radius**2
        lu[disc & (t.dem_m <= t.dem_m[r0, c0] + 30)] = WATER
    for r0, c0 in towns_rc:
        radius = rng.uniform(12, 24)
        town = ((rows - r0) ** 2 + (cols - c0) ** 2) <= (
            radius * (1 + 0.25 * smooth_noise(t.shape, rng, 5))
        ) ** 2
        lu[town & (lu != WATER)] = BUILT_UP
    return lu


def soils(t: Terrain, rng: np.random.Generator) -> np.ndarray:
    """Soil units from terrain position (a simple catena)."""
    q = np.percentile(t.dem_m, [30, 55, 85])
    n = smooth_noise(t.shape, rng, 15) * 40.0
    z = t.dem_m + n
    su = np.full(t.shape, LUVISOL, dtype=np.uint8)
    su[z < q[0]] = FERRALSOL
    su[(z >= q[1]) & (z < q[2])] = NITISOL
    su[z >= q[2]] = ANDOSOL
    su[(t.slope_pct > 15) & (t.slope_pct <= 30) & (smooth_noise(t.shape, rng, 6) > 0)] = CAMBISOL
    su[t.slope_pct > 30] = LEPTOSOL
    su[(t.slope_pct < 3) & (t.dem_m < q[1])] = VERTISOL
    su[ndimage.binary_dilation(t.acc_cells > 20_000, iterations=2)] = FLUVISOL
    return su
