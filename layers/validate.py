"""Check a region and report every problem at once, naming layer, file and fix.

Validation never raises for bad data: each check returns a list of :class:`Problem`, and an
unexpected failure inside a check becomes a problem too.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from functools import partial
from pathlib import Path

import geopandas as gpd
from pyproj import CRS

from layers.config import LayersConfig, RegionConfig
from layers.errors import LayerReadError, Problem
from layers.futures import future_climates, reference_climate
from layers.grid import transform_bounds
from layers.io import raster_info, read_vector
from layers.region import parse_config
from layers.registry import SOIL_DEPTH_ROLE
from layers.validate_rasters import (
    Bounds,
    check_classes,
    check_monthly,
    check_raster_file,
    check_soil_depth,
    cover_share,
    read_error_problem,
)
from layers.validate_values import check_tmin_below_tmax, check_values
from layers.validate_vectors import check_polygons, check_sites


def _guarded(layer: str, file: Path, check: Callable[[], list[Problem]]) -> list[Problem]:
    try:
        return check()
    except LayerReadError as exc:
        return [read_error_problem(layer, exc)]
    except Exception as exc:  # validation reports, it never crashes
        return [
            Problem(
                "error",
                layer,
                str(file),
                f"could not be checked ({type(exc).__name__}: {exc})",
                "check the file opens in QGIS",
            )
        ]


def validate_config(config: RegionConfig, root: Path) -> list[Problem]:
    """Check every file a parsed config refers to."""
    loops = _symlink_loops(config.layers, root)
    if loops:
        return loops  # no file check can run on a path that never ends
    problems: list[Problem] = []
    layers = config.layers
    comm_path = (root / layers.communities.path).resolve()
    area: Bounds | None = None
    area_crs: CRS | None = None
    communities: list[gpd.GeoDataFrame | None] = [None]

    def _communities() -> list[Problem]:
        found, gdf = check_polygons("communities", layers.communities, comm_path)
        communities[0] = gdf
        return found

    problems += _guarded("communities", comm_path, _communities)
    if communities[0] is not None:
        gdf = communities[0]
        area_crs = CRS.from_user_input(gdf.crs)
        area = tuple(float(v) for v in gdf.total_bounds)  # type: ignore[assignment]
    swapped = _swapped_lonlat(layers, root, area, area_crs, comm_path)
    if swapped:
        problems += swapped
        area = None  # the rasters are not to blame for not overlapping
    area_wgs84 = (
        transform_bounds(area, area_crs, CRS.from_epsg(4326)) if area and area_crs else None
    )

    if layers.watersheds is not None:
        ws_spec = layers.watersheds
        p = (root / ws_spec.path).resolve()
        problems += _guarded("watersheds", p, lambda: check_polygons("watersheds", ws_spec, p)[0])
    for vrole in ("roads", "protected_areas"):
        vspec = getattr(layers, vrole)
        if vspec is not None:
            p = (root / vspec.path).resolve()
            problems += _guarded(vrole, p, partial(_has_crs, vrole, p))
    for role in ("rainfall", "tmin", "tmax", "et0"):
        spec = getattr(layers, role)
        if spec is not None:
            first = (root / spec.files[0]).resolve()
            found = _guarded(role, first, partial(check_monthly, role, spec, root, area, area_crs))
            problems += found
            if not has_errors(found):
                files = [(root / f).resolve() for f in spec.files]
                problems += _guarded(role, first, partial(check_values, role, files, spec.nodata))
    problems += _temperatures(layers, root, problems)
    for role in ("land_use", "soil"):
        cspec = getattr(layers, role)
        if cspec is not None:
            p = (root / cspec.path).resolve()
            problems += _guarded(role, p, partial(check_classes, role, cspec, root, area, area_crs))
    if layers.depth_to_root_restricting_layer is not None:
        d_spec = layers.depth_to_root_restricting_layer
        p = (root / d_spec.path).resolve()
        check = partial(check_soil_depth, SOIL_DEPTH_ROLE, p, d_spec.nodata, area, area_crs)
        problems += _guarded(SOIL_DEPTH_ROLE, p, check)
    if layers.elevation is not None:
        p = (root / layers.elevation.path).resolve()
        nd = layers.elevation.nodata
        found = _guarded(
            "elevation", p, lambda: check_raster_file("elevation", p, nd, area, area_crs)[0]
        )
        problems += found
        if not has_errors(found):
            problems += _guarded("elevation", p, partial(check_values, "elevation", [p], nd))
    if layers.project_sites is not None:
        sspec = layers.project_sites
        p = (root / sspec.path).resolve()
        problems += _guarded("project_sites", p, lambda: check_sites(sspec, p, area_wgs84))
    problems += check_interventions(config)
    problems += check_daily_curve_number(config)
    problems += check_futures(config, root)
    if config.region.crs:
        try:
            if CRS.from_user_input(config.region.crs).is_geographic:
                problems.append(
                    Problem(
                        "error",
                        "region",
                        "region.toml",
                        f"crs {config.region.crs} is geographic; areas need metres",
                        "use a projected CRS (e.g. the UTM zone) or remove crs",
                    )
                )
        except Exception:
            problems.append(
                Problem(
                    "error",
                    "region",
                    "region.toml",
                    f"crs '{config.region.crs}' is not a CRS pyproj knows",
                    "use an EPSG code such as 'EPSG:32737'",
                )
            )
    return problems


def _swapped_lonlat(
    layers: LayersConfig, root: Path, area: Bounds | None, area_crs: CRS | None, comm_path: Path
) -> list[Problem]:
    """Communities in lon/lat with x and y swapped: off the rainfall raster, on it exchanged."""
    if area is None or area_crs is None or not area_crs.is_geographic:
        return []
    swapped: Bounds = (area[1], area[0], area[3], area[2])
    try:
        info = raster_info((root / layers.rainfall.files[0]).resolve())
        if info.crs is None or cover_share(info, area, area_crs) > 0:
            return []
        if abs(swapped[1]) > 90 or abs(swapped[3]) > 90 or not cover_share(info, swapped, area_crs):
            return []
    except Exception:  # an unreadable raster: its own check reports it
        return []
    return [
        Problem(
            "error",
            "communities",
            str(comm_path),
            f"longitude and latitude look swapped: read as x = longitude they lie at lon "
            f"{area[0]:.4f}..{area[2]:.4f}, lat {area[1]:.4f}..{area[3]:.4f}, off the rainfall "
            "raster; with the two exchanged they fall on it",
            "save the layer with x = longitude and y = latitude (e.g. in QGIS: Swap X and Y)",
        )
    ]


def _is_symlink_loop(path: Path) -> bool:
    try:
        path.resolve()
    except RuntimeError:  # Python 3.11 reports a symlink loop so
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _symlink_loops(layers: LayersConfig, root: Path) -> list[Problem]:
    """Every layer path (file, class table) that is a loop of symbolic links."""
    problems = []
    for role in type(layers).model_fields:
        spec = getattr(layers, role)
        if spec is None:
            continue
        rels = [getattr(spec, key, None) for key in ("path", "class_table")]
        rels += list(getattr(spec, "files", None) or [])
        for rel in dict.fromkeys(rels):  # once each (``files`` repeats ``path``)
            if isinstance(rel, str) and _is_symlink_loop(root / rel):
                problems.append(
                    Problem(
                        "error",
                        role,
                        str(root / rel),
                        "the path is a loop of symbolic links",
                        "point it at the file itself (ls -l shows where each link leads)",
                    )
                )
    return problems


def _temperatures(layers: LayersConfig, root: Path, found: list[Problem]) -> list[Problem]:
    """Tmin below Tmax, when both layers passed their own checks."""
    tmin, tmax = layers.tmin, layers.tmax
    if (
        tmin is None
        or tmax is None
        or any(p.severity == "error" and p.layer in ("tmin", "tmax") for p in found)
    ):
        return []
    low = [(root / f).resolve() for f in tmin.files]
    high = [(root / f).resolve() for f in tmax.files]
    check = partial(check_tmin_below_tmax, low, tmin.nodata, high, tmax.nodata)
    return _guarded("tmin", low[0], check)


def check_interventions(config: RegionConfig) -> list[Problem]:
    """AHP consistency (warning when CR >= 0.1) and reciprocity of every intervention."""
    from processing.kernels.suitability import CR_LIMIT, ahp_weights

    problems = []
    needs = {
        "slope_pct": "elevation",
        "elevation_m": "elevation",
        "distance_to_roads_m": "roads",
        "distance_to_sites_m": "project_sites",
    }
    ids = [iv.id for iv in config.interventions]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(
            Problem(
                "error",
                f"interventions.{dup}",
                "region.toml",
                f"intervention id '{dup}' is used more than once",
                "give every [[interventions]] entry its own id",
            )
        )
    for iv in config.interventions:
        for c in iv.criteria:
            role = needs.get(c.layer)
            if role and getattr(config.layers, role) is None:
                problems.append(
                    Problem(
                        "error",
                        f"interventions.{iv.id}",
                        "region.toml",
                        f"criterion '{c.layer}' needs a {role} layer, which the region lacks",
                        f"add [layers.{role}] or remove the criterion",
                    )
                )
        if iv.ahp is None:
            continue
        try:
            res = ahp_weights(iv.ahp)
        except ValueError as exc:
            problems.append(
                Problem(
                    "error", f"interventions.{iv.id}", "region.toml", str(exc), "fix the ahp matrix"
                )
            )
            continue
        if not res.consistent:
            problems.append(
                Problem(
                    "warning",
                    f"interventions.{iv.id}",
                    "region.toml",
                    f"AHP consistency ratio {res.consistency_ratio:.3f} >= {CR_LIMIT}: "
                    "the comparisons contradict each other",
                    "revise the pairwise judgements",
                )
            )
    return problems


def check_futures(config: RegionConfig, root: Path) -> list[Problem]:
    """Every ``[[futures]]`` set read by its file names (see :mod:`layers.futures`)."""
    problems = []
    for i, fc in enumerate(config.futures):
        try:
            future_climates(str(root / fc.path))
            if fc.reference is not None:
                reference_climate(str(root / fc.reference))
        except ValueError as exc:
            problems.append(
                Problem(
                    "error",
                    f"futures[{i}]",
                    fc.path,
                    str(exc),
                    "name the files as WorldClim 2.1 or CHELSA-CMIP6 distribute them, with"
                    " every variable and month (README: [[futures]])",
                )
            )
    return problems


def check_daily_curve_number(config: RegionConfig) -> list[Problem]:
    """``daily_curve_number = true`` needs daily rain: gridded days or stations' days."""
    if config.water_balance.daily_curve_number is not True or config.layers.rainfall.daily:
        return []
    return [
        Problem(
            "error",
            "water_balance",
            "region.toml",
            "[water_balance] daily_curve_number = true, but the region has no daily rain"
            " (no [layers.rainfall.daily])",
            "add [layers.rainfall.daily] with path = the daily grids or stations = a station"
            " table with daily rain files (landwater init --rainfall-daily or --stations"
            " writes it), or set daily_curve_number = false (or remove it) to run the curve"
            " number on the monthly rain",
        )
    ]


def validate_region(root: str | Path) -> list[Problem]:
    """Validate a region folder.

    Parameters
    ----------
    root : str or Path
        Folder holding ``region.toml``.

    Returns
    -------
    list of Problem
        Every problem found; the region is valid when none has severity ``"error"``.

    """
    root = Path(root).resolve()
    config, problems = parse_config(root)
    if config is None:
        return problems
    return validate_config(config, root)


def has_errors(problems: list[Problem]) -> bool:
    """Whether any problem makes the region invalid."""
    return any(p.severity == "error" for p in problems)


def _has_crs(role: str, path: Path) -> list[Problem]:
    if read_vector(path).crs is not None:
        return []
    return [Problem("error", role, str(path), "layer has no CRS", "save it with its CRS")]
