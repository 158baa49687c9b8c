"""Synthetic communities (named polygons that tile the area) and project sites."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from pyproj import CRS

from layers.build.demo.landscape import BUILT_UP, CROPLAND, Terrain

_PREFIXES = ["Ki", "Ka", "Mu", "Ma", "Nya", "Ngu", "Mbu", "Ki", "Wa", "Ithe", "Ka", "Ma"]
_STEMS = [
    "thi",
    "ngo",
    "mbu",
    "tui",
    "ani",
    "sya",
    "kaa",
    "lala",
    "ndu",
    "iko",
    "wani",
    "eni",
    "vuti",
    "tha",
    "kuyu",
    "mutu",
    "ilu",
    "keu",
    "ona",
    "tulu",
    "nzau",
    "wia",
    "ambu",
    "soni",
]
_SUFFIXES = ["", "", "", "ni", "i", "o", "a"]
SITE_TYPES = {
    # type: (share of sites, households range)
    "water_pan": (0.22, (40, 180)),
    "sand_dam": (0.18, (80, 400)),
    "agroforestry_plot": (0.2, (15, 90)),
    "small_irrigation": (0.14, (30, 160)),
    "tree_nursery": (0.12, (20, 120)),
    "spring_protection": (0.14, (60, 300)),
}
STATUSES = ["planned", "ongoing", "completed", "not functional"]


def community_names(n: int, rng: np.random.Generator) -> list[str]:
    """``n`` distinct place names in the style of the Kenyan highlands."""
    names: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = rng.choice(_PREFIXES) + rng.choice(_STEMS) + rng.choice(_SUFFIXES)
        name = name[0].upper() + name[1:]
        if name not in names:
            names.add(name)
            out.append(name)
    return out


def communities(
    bounds: tuple[float, float, float, float], crs: CRS, target: int, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    """Voronoi polygons of jittered seed points, clipped to ``bounds``, about ``target`` of them."""
    left, bottom, right, top = bounds
    aspect = (right - left) / (top - bottom)
    ny = round(np.sqrt(target / aspect))
    nx = round(target / ny)
    xs = left + (np.arange(nx) + 0.5) * (right - left) / nx
    ys = bottom + (np.arange(ny) + 0.5) * (top - bottom) / ny
    gx, gy = np.meshgrid(xs, ys)
    jitter = 0.38 * np.array([(right - left) / nx, (top - bottom) / ny])
    pts = np.column_stack([gx.ravel(), gy.ravel()]) + rng.uniform(-1, 1, (gx.size, 2)) * jitter
    box = shapely.box(*bounds)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=box)
    polys = [shapely.intersection(c, box) for c in shapely.get_parts(cells)]
    polys = [p for p in polys if not p.is_empty]
    # number them in reading order: bands of 2.5 km from north to south, west to east in a band
    polys = [
        polys[i]
        for i in np.lexsort(
            ([p.centroid.x for p in polys], [-round(p.centroid.y / 2500) for p in polys])
        )
    ]
    names = community_names(len(polys), rng)
    return gpd.GeoDataFrame(
        {
            "community_id": [f"C{i + 1:03d}" for i in range(len(polys))],
            "name": names,
            "geometry": polys,
        },
        crs=crs,
    )


def add_population(
    comm: gpd.GeoDataFrame, lu: np.ndarray, transform: Affine, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    """Population and households from the share of cropland and built-up land in each community."""
    from rasterio import features

    labels = features.rasterize(
        ((g, i + 1) for i, g in enumerate(comm.geometry)),
        out_shape=lu.shape,
        transform=transform,
        dtype=np.int32,
    )
    n = len(comm) + 1
    cells = np.bincount(labels.ravel(), minlength=n)[1:]
    crop = np.bincount(labels.ravel(), weights=(lu == CROPLAND).ravel(), minlength=n)[1:]
    built = np.bincount(labels.ravel(), weights=(lu == BUILT_UP).ravel(), minlength=n)[1:]
    area_km2 = comm.geometry.area.to_numpy() / 1e6
    density = 60 + 320 * crop / np.maximum(cells, 1) + 2500 * built / np.maximum(cells, 1)
    pop = np.round(area_km2 * density * rng.uniform(0.8, 1.2, len(comm)), -1).astype(int)
    out = comm.copy()
    out["population"] = pop
    out["households"] = np.round(pop / rng.uniform(4.4, 5.2, len(comm))).astype(int)
    return out


def project_sites(
    t: Terrain, lu: np.ndarray, towns_rc: np.ndarray, count: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Project sites where each intervention type plausibly sits (working-grid coordinates).

    Returns a table with x, y (working CRS) and the attributes programmes report.
    """
    rows, cols = np.indices(t.shape)
    near_town = np.zeros(t.shape, bool)
    for r0, c0 in towns_rc:
        near_town |= (rows - r0) ** 2 + (cols - c0) ** 2 <= 60**2
    dry = t.rain_mm < np.percentile(t.rain_mm, 55)
    masks = {
        "water_pan": (t.slope_pct < 8) & np.isin(lu, [1, 2, 3]) & (t.acc_cells < 500),
        "sand_dam": (t.acc_cells > 5_000) & (t.acc_cells < 80_000) & dry & (t.slope_pct < 15),
        "agroforestry_plot": (lu == CROPLAND) & (t.slope_pct > 4) & (t.slope_pct < 25),
        "small_irrigation": (t.acc_cells > 15_000) & (t.slope_pct < 5) & np.isin(lu, [1, 2]),
        "tree_nursery": near_town & np.isin(lu, [1, 2]),
        "spring_protection": (t.acc_cells > 300)
        & (t.acc_cells < 3_000)
        & (t.dem_m > np.median(t.dem_m))
        & (lu != 6),
    }
    types = list(SITE_TYPES)
    shares = np.array([SITE_TYPES[k][0] for k in types])
    counts = np.maximum(1, np.round(shares / shares.sum() * count)).astype(int)
    records = []
    for kind, k in zip(types, counts, strict=True):
        cand = np.flatnonzero(masks[kind].ravel())
        for flat in rng.choice(cand, size=min(k, cand.size), replace=False):
            r, c = divmod(int(flat), t.shape[1])
            x, y = t.transform @ (c + 0.5, r + 0.5)
            year = int(rng.integers(2014, 2027))
            status = (
                "planned"
                if year >= 2026
                else str(rng.choice(STATUSES[1:], p=[0.3, 0.6, 0.1]) if year < 2024 else "ongoing")
            )
            lo, hi = SITE_TYPES[kind][1]
            hh = int(rng.integers(lo, hi))
            records.append(
                {
                    "x": x,
                    "y": y,
                    "type": kind,
                    "status": status,
                    "start_year": year,
                    "households": hh,
                    "households_women_led": round(hh * rng.uniform(0.25, 0.55)),
                    "households_youth_led": round(hh * rng.uniform(0.12, 0.35)),
                }
            )
    df = pd.DataFrame.from_records(records)
    df.insert(0, "site_id", [f"S{i + 1:03d}" for i in range(len(df))])
    df.insert(
        1, "name", [f"{k.replace('_', ' ').capitalize()} {i + 1}" for i, k in enumerate(df["type"])]
    )
    return df
