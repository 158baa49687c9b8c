"""Zones split into layers of zones that share no cell, each layer rasterized once.

A zone's *footprint* is the set of cells rasterstats would give it: the zone rasterized
alone (cell-centre or all-touched rule) on the window of its bounds, points replaced by a
box 1 % smaller than their cell. Two zones conflict when their footprints share a cell,
which happens for overlapping zones but also for zones that only touch (with
``all_touched``, or when a shared edge runs through cell centres), for two points in one
cell and for lines that share a vertex. Conflicts are found from rasterized footprints,
never from geometry predicates:

1. every zone is burned once in one label grid, in input order (the last zone wins a
   cell); lines are rasterized alone;
2. cell-centre rule: a zone that lost a cell to a later one keeps fewer cells in that grid
   than its centres count (:func:`processing.kernels.centre_counts.polygon_centre_counts`,
   GDAL's scanline rule). Such zones, and zones with a cell centre within rounding of
   their edge (whose count is not to be trusted), are rasterized alone and compared with
   the grid; where they differ, they and the zones holding their cells in the grid
   conflict, as do zones under a line's cells. ``all_touched``: the zones are burned a
   second time in reverse order (the first zone wins), a cell holding different labels
   in the two grids is covered twice, and every zone whose cell bounding box holds such a
   cell is a suspect;
3. zones that conflict with none take their cells from the grid and go in the first
   layer; the others (and every line) are rasterized alone, zones sharing a cell of their
   footprints get different colours (greedy), and each colour is a layer.

A tiling rasterized with the cell-centre rule is, almost always, one layer, found with one
burn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine
from rasterio import features, windows
from shapely.geometry.base import BaseGeometry

from processing.kernels.centre_counts import polygon_centre_counts
from processing.kernels.zonal_kernels import label_counts
from processing.zonal_grid import RasterSource

SHARED_STRIP_CELLS = 16_000_000  # cells per strip of footprint_groups' label grids
CENTRE_TOLERANCE_CELLS = 1e-6  # a cell centre this close to a zone's edge is left to GDAL
POINT_BOX_SHRINK = 0.01  # a point is burned as its cell shrunk by 1 % of a cell (rasterstats)
_LINE_TYPES = ("LineString", "MultiLineString", "LinearRing")


@dataclass(frozen=True)
class Footprint:
    """Cells of one zone rasterized alone: a boolean mask at a (row, col) offset of the grid.

    The offset may be negative and the mask may reach beyond the raster (rasterstats reads
    such cells as nodata).
    """

    row_off: int
    col_off: int
    mask: np.ndarray

    def outside(self, shape: tuple[int, int]) -> int:
        """Cells of the footprint beyond the edges of a grid of ``shape``."""
        rr, cc = np.nonzero(self.mask)
        rr, cc = rr + self.row_off, cc + self.col_off
        return int(((rr < 0) | (rr >= shape[0]) | (cc < 0) | (cc >= shape[1])).sum())


@dataclass(frozen=True)
class ZoneLayer:
    """Zones that share no cell, rasterized once: reused for every band.

    Attributes
    ----------
    members : numpy.ndarray
        Indexes of the zones (rows of the input) in this layer.
    window : rasterio.windows.Window or None
        Raster window covering them (None: all outside the raster).
    labels : numpy.ndarray or None
        Label grid over ``window``: position in ``members`` + 1, 0 outside every zone.
    outside : numpy.ndarray
        Cells of each member's footprint beyond the raster's edges.
    """

    members: np.ndarray
    window: windows.Window | None
    labels: np.ndarray | None
    outside: np.ndarray


def burn_shape(geom: BaseGeometry | None, transform: Affine) -> BaseGeometry | None:
    """The geometry that is rasterized for a zone: points become their cell, shrunk by 1 %.

    ``None`` for a missing or empty zone.
    """
    if geom is None or geom.is_empty:
        return None
    if "Point" not in geom.geom_type:
        return geom
    buff = -POINT_BOX_SHRINK * abs(min(transform.a, transform.e))
    boxes = []
    for pt in shapely.get_parts(geom):
        col, row = (math.floor(v) for v in ~transform @ (pt.x, pt.y))
        x0, y1 = transform @ (col, row + 1)
        x1, y0 = transform @ (col + 1, row)
        boxes.append(shapely.box(x0, y1, x1, y0).buffer(buff))
    return shapely.MultiPolygon(boxes)


def is_line(shape: BaseGeometry | None) -> bool:
    """True for (multi)lines, which are rasterized alone on their own window."""
    return shape is not None and shape.geom_type in _LINE_TYPES


def footprint(shape: BaseGeometry, transform: Affine, all_touched: bool) -> Footprint:
    """Rasterize one zone alone on the window of its bounds (rasterstats' ``bounds_window``)."""
    minx, miny, maxx, maxy = shape.bounds
    r0 = math.floor((maxy - transform.f) / transform.e)
    c0 = math.floor((minx - transform.c) / transform.a)
    r1 = math.ceil((miny - transform.f) / transform.e)
    c1 = math.ceil((maxx - transform.c) / transform.a)
    h, w = max(r1 - r0, 0), max(c1 - c0, 0)
    if h == 0 or w == 0:
        return Footprint(r0, c0, np.zeros((h, w), bool))
    x, y = transform @ (c0, r0)
    mask = features.rasterize(
        [(shape, 1)],
        out_shape=(h, w),
        transform=Affine(transform.a, transform.b, x, transform.d, transform.e, y),
        fill=0,
        dtype=np.uint8,
        all_touched=all_touched,
    ).astype(bool)
    return Footprint(r0, c0, mask)


def _cell_bounds(shapes: list[BaseGeometry], transform: Affine) -> np.ndarray:
    """Per shape, ``(row0, col0, row1, col1)`` of its bounds in cell units, one cell wider."""
    b = shapely.bounds(np.asarray(shapes, dtype=object))
    r0 = np.floor((b[:, 3] - transform.f) / transform.e) - 1
    r1 = np.ceil((b[:, 1] - transform.f) / transform.e) + 1
    c0 = np.floor((b[:, 0] - transform.c) / transform.a) - 1
    c1 = np.ceil((b[:, 2] - transform.c) / transform.a) + 1
    return np.stack([r0, c0, r1, c1], axis=1)


def _window_of(cell_bounds: np.ndarray, shape: tuple[int, int]) -> windows.Window | None:
    """Window of the union of cell bounds, clipped to a grid of ``shape``; None when empty."""
    r0 = max(int(cell_bounds[:, 0].min()), 0)
    c0 = max(int(cell_bounds[:, 1].min()), 0)
    r1 = min(int(cell_bounds[:, 2].max()), shape[0])
    c1 = min(int(cell_bounds[:, 3].max()), shape[1])
    if r1 <= r0 or c1 <= c0:
        return None
    return windows.Window(c0, r0, c1 - c0, r1 - r0)


def _on_grid(
    grid: np.ndarray, window: windows.Window, fp: Footprint
) -> tuple[np.ndarray, np.ndarray] | None:
    """The footprint's mask and the view of ``grid`` (over ``window``) under it.

    Both are cut to the grid; None when the footprint and the grid do not meet.
    """
    r0 = fp.row_off - int(window.row_off)
    c0 = fp.col_off - int(window.col_off)
    h, w = fp.mask.shape
    gr0, gc0 = max(r0, 0), max(c0, 0)
    gr1, gc1 = min(r0 + h, grid.shape[0]), min(c0 + w, grid.shape[1])
    if gr1 <= gr0 or gc1 <= gc0:
        return None
    return fp.mask[gr0 - r0 : gr1 - r0, gc0 - c0 : gc1 - c0], grid[gr0:gr1, gc0:gc1]


def _paste(grid: np.ndarray, window: windows.Window, fp: Footprint, value: int) -> None:
    """Write ``value`` on ``grid`` (over ``window``) wherever the footprint covers a cell."""
    met = _on_grid(grid, window, fp)
    if met is None:
        return
    part, view = met
    if value < 0:  # add one (coverage counts)
        view += part
    else:
        view[part] = value


def _cells_in_grid(fp: Footprint, shape: tuple[int, int]) -> np.ndarray:
    """Flat indexes (on a grid of ``shape``) of the footprint's cells inside the grid."""
    rr, cc = np.nonzero(fp.mask)
    rr, cc = rr + fp.row_off, cc + fp.col_off
    keep = (rr >= 0) & (rr < shape[0]) & (cc >= 0) & (cc < shape[1])
    return rr[keep].astype(np.int64) * shape[1] + cc[keep]


def _greedy_colours(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Colour ``n`` nodes so that no edge ``(left[k], right[k])`` joins two of one colour."""
    neighbours: dict[int, set[int]] = {}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a != b:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    colour = np.full(n, -1, np.int64)
    for i in range(n):
        used = {int(colour[j]) for j in neighbours.get(i, ()) if colour[j] >= 0}
        c = 0
        while c in used:
            c += 1
        colour[i] = c
    return colour


def _suspects(
    shared: np.ndarray, window: windows.Window, cell_bounds: np.ndarray, candidates: np.ndarray
) -> np.ndarray:
    """Candidates whose cell bounding box holds a ``shared`` cell (one of two zones or more)."""
    if candidates.size == 0 or not shared.any():
        return np.array([], np.int64)
    rr, cc = np.nonzero(shared)
    shared = shapely.points(cc + window.col_off + 0.5, rr + window.row_off + 0.5)
    b = cell_bounds[candidates]
    boxes = shapely.box(b[:, 1], b[:, 0], b[:, 3], b[:, 2])
    hit, _ = shapely.STRtree(shared).query(boxes, predicate="intersects")
    return candidates[np.unique(hit)]


def _shared_pairs(cells: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of owners (positions in ``cells``) whose flat cell indexes meet."""
    owner = np.repeat(np.arange(len(cells)), [c.size for c in cells])
    flat = np.concatenate(cells) if cells else np.array([], np.int64)
    if flat.size < 2:
        return np.array([], np.int64), np.array([], np.int64)
    order = np.argsort(flat, kind="stable")
    flat, owner = flat[order], owner[order]
    most = int(np.unique(flat, return_counts=True)[1].max())
    left, right = [], []
    for k in range(1, most):  # cells are sorted: the owners of a cell are consecutive
        same = flat[k:] == flat[:-k]
        left.append(owner[:-k][same])
        right.append(owner[k:][same])
    if not left:
        return np.array([], np.int64), np.array([], np.int64)
    return np.concatenate(left), np.concatenate(right)


def geojson_mappings(geoms: list[BaseGeometry] | np.ndarray) -> list[dict]:
    """GeoJSON mappings of geometries for ``rasterio.features.rasterize``, made in bulk.

    Polygons and multipolygons become ``MultiPolygon`` mappings built from one
    ``shapely.to_ragged_array`` (about 6x faster than ``__geo_interface__`` one by one,
    which walks every coordinate in Python); other geometries use ``__geo_interface__``.
    The cells burned are the same.
    """
    arr = np.asarray(geoms, dtype=object).reshape(-1)
    kinds = shapely.get_type_id(arr)
    areal = (kinds == shapely.GeometryType.POLYGON) | (kinds == shapely.GeometryType.MULTIPOLYGON)
    out: list[dict] = [{} for _ in range(arr.size)]
    for k in np.flatnonzero(~areal).tolist():
        out[k] = arr[k].__geo_interface__
    picked = np.flatnonzero(areal)
    if picked.size == 0:
        return out
    _, coords, offsets = shapely.to_ragged_array(arr[picked], include_z=False)
    if len(offsets) == 2:  # polygons only: one polygon per geometry
        ring_off, poly_off = offsets
        geom_off = np.arange(len(poly_off))
    else:
        ring_off, poly_off, geom_off = offsets
    xy = coords.tolist()
    rings = [xy[a:b] for a, b in zip(ring_off[:-1].tolist(), ring_off[1:].tolist(), strict=True)]
    polys = [rings[a:b] for a, b in zip(poly_off[:-1].tolist(), poly_off[1:].tolist(), strict=True)]
    bounds = zip(geom_off[:-1].tolist(), geom_off[1:].tolist(), strict=True)
    for k, (a, b) in zip(picked.tolist(), bounds, strict=True):
        out[k] = {"type": "MultiPolygon", "coordinates": polys[a:b]}
    return out


def _label_dtype(n: int) -> type[np.unsignedinteger]:
    """Smallest unsigned type holding labels 0..n."""
    return np.uint16 if n < 2**16 - 1 else np.uint32


def _burn(
    pairs: list[tuple[BaseGeometry, int]] | list[tuple[dict, int]],
    window: windows.Window,
    transform: Affine,
    all_touched: bool,
    dtype: type[np.unsignedinteger],
) -> np.ndarray:
    """Label grid over ``window``: each shape burned with its value, later shapes on top."""
    size = (int(window.height), int(window.width))
    if not pairs:
        return np.zeros(size, dtype)
    return features.rasterize(
        pairs,
        out_shape=size,
        transform=windows.transform(window, transform),
        fill=0,
        all_touched=all_touched,
        dtype=dtype,
    )


def _centre_counts(
    shapes: list[BaseGeometry], transform: Affine, window: windows.Window
) -> tuple[np.ndarray, np.ndarray]:
    """Cells of ``window`` whose centre each shape covers, and whether rounding may change them.

    Shapes other than polygons and multipolygons are not counted, only flagged.
    """
    arr = np.asarray(shapes, dtype=object).reshape(-1)
    kinds = shapely.get_type_id(arr)
    areal = (kinds == shapely.GeometryType.POLYGON) | (kinds == shapely.GeometryType.MULTIPOLYGON)
    counts = np.zeros(arr.size, np.int64)
    ambiguous = ~areal
    # GDAL fills each part of a multipolygon on its own: count parts, add them per shape (an
    # overestimate where parts overlap, which only sends the shape to be checked alone)
    parts, owner = shapely.get_parts(arr[areal], return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    ring_start = np.concatenate(([0], np.cumsum(np.bincount(ring_of, minlength=len(rings)))))
    part_ring_start = np.concatenate(([0], np.cumsum(np.bincount(ring_part, minlength=len(parts)))))
    x = (xy[:, 0] - transform.c) / transform.a - int(window.col_off)
    y = (xy[:, 1] - transform.f) / transform.e - int(window.row_off)
    part_counts, part_ambiguous = polygon_centre_counts(
        x,
        y,
        ring_start,
        part_ring_start,
        int(window.height),
        int(window.width),
        CENTRE_TOLERANCE_CELLS,
    )
    n_areal = int(areal.sum())
    counts[areal] = np.bincount(owner, weights=part_counts, minlength=n_areal).astype(np.int64)
    ambiguous[areal] = np.bincount(owner, weights=part_ambiguous, minlength=n_areal) > 0
    return counts, ambiguous


def _centre_rule_conflicts(
    shapes: list[BaseGeometry | None],
    polys: np.ndarray,
    line_idx: np.ndarray,
    last: np.ndarray,
    window: windows.Window,
    transform: Affine,
    fps: dict[int, Footprint],
) -> np.ndarray:
    """Zones sharing a cell of ``window`` with another zone (cell-centre rule), from ``last``.

    ``last`` is the label grid of ``polys`` (zone index + 1, the last zone on top). A zone
    whose centre count exceeds its cells in ``last``, or whose count rounding may change,
    is rasterized alone (into ``fps``) and compared with ``last``: where they differ, it
    and the zones holding its cells conflict; so do the zones under a line's cells
    (``line_idx``, whose footprints are in ``fps``).
    """
    labels: list[np.ndarray] = []
    if polys.size:
        counts, ambiguous = _centre_counts([shapes[i] for i in polys.tolist()], transform, window)
        kept = label_counts(last, int(polys.max()) + 1)[polys + 1]
        for i in polys[ambiguous | (kept != counts)].tolist():
            if i not in fps:
                fps[i] = footprint(shapes[i], transform, False)
            met = _on_grid(last, window, fps[i])
            if met is None:
                continue
            part, view = met
            mine = view == i + 1
            if (part != mine).any():
                labels += [np.array([i + 1]), view[part & ~mine]]
    for i in line_idx.tolist():
        met = _on_grid(last, window, fps[i])
        if met is not None:
            labels.append(met[1][met[0]])
    if not labels:
        return np.array([], np.int64)
    found = np.unique(np.concatenate(labels).astype(np.int64))
    return found[found > 0] - 1


def _conflicts(
    shapes: list[BaseGeometry | None],
    polys: np.ndarray,
    line_idx: np.ndarray,
    fps: dict[int, Footprint],
    window: windows.Window,
    cell_bounds: np.ndarray,
    transform: Affine,
    all_touched: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Label grid of ``polys`` over ``window`` and the polygons that may share a cell in it.

    Labels are zone index + 1, the last zone on top. Under the cell-centre rule (on a
    north-up grid) the zones sharing a cell are found exactly from this one grid
    (:func:`_centre_rule_conflicts`). Otherwise the zones are burned a second time in
    reverse order: a cell holds the last and the first zone covering it, which differ
    exactly where two zones or more (lines included) cover it, and every polygon whose cell
    bounding box holds such a cell is returned.
    """
    dtype = _label_dtype(int(polys.max()) + 1 if polys.size else 0)
    # GeoJSON mappings made once (with all_touched they serve both burns)
    mappings = geojson_mappings([shapes[i] for i in polys.tolist()])
    pairs = list(zip(mappings, (polys + 1).tolist(), strict=True))
    last = _burn(pairs, window, transform, all_touched, dtype)
    if not all_touched and transform.b == 0 and transform.d == 0:
        found = _centre_rule_conflicts(shapes, polys, line_idx, last, window, transform, fps)
        return last, np.intersect1d(found, polys)
    # one after the other: rasterio's rasterize on two threads at once is not reliable
    # (GDAL's georeferencing warnings leak across threads)
    shared = last != _burn(pairs[::-1], window, transform, all_touched, dtype)
    if line_idx.size:
        lines = np.zeros(last.shape, np.uint16)
        for i in line_idx.tolist():
            _paste(lines, window, fps[i], -1)
        shared |= (lines > 1) | ((lines > 0) & (last > 0))
    return last, _suspects(shared, window, cell_bounds, polys)


def plan_layers(geoms: np.ndarray, src: RasterSource, all_touched: bool) -> list[ZoneLayer]:
    """Split zones into layers whose members share no cell, and rasterize each layer once."""
    n = len(geoms)
    t = src.transform
    shapes = [burn_shape(g, t) for g in geoms]
    present = np.array([s is not None for s in shapes], bool)
    lines = np.array([is_line(s) for s in shapes], bool)
    outside = np.zeros(n, np.int64)
    idx = np.flatnonzero(present)
    if idx.size == 0:
        return [ZoneLayer(np.arange(n), None, None, outside)]
    cell_bounds = np.zeros((n, 4))
    cell_bounds[idx] = _cell_bounds([shapes[i] for i in idx], t)
    window = _window_of(cell_bounds[idx], src.shape)
    # footprints rasterized alone: lines always, zones reaching beyond the raster's edge
    # (for the cells beyond it), and later the zones that may share a cell
    fps: dict[int, Footprint] = {}
    for i in np.flatnonzero(present & (lines | _beyond_edge(shapes, t, src.shape))).tolist():
        fps[i] = footprint(shapes[i], t, all_touched)
        outside[i] = fps[i].outside(src.shape)
    if window is None:
        return [ZoneLayer(np.arange(n), None, None, outside)]
    polys = np.flatnonzero(present & ~lines)
    line_idx = np.flatnonzero(lines & present)
    last, found = _conflicts(shapes, polys, line_idx, fps, window, cell_bounds, t, all_touched)
    alone = np.union1d(found, line_idx)
    colour = _alone_colours(n, alone, shapes, fps, t, src.shape, all_touched)
    together = np.setdiff1d(polys, alone)
    layers = []
    for c in range(int(colour.max()) + 1):
        members = np.flatnonzero(present & (colour == c))
        if c == 0:
            members = np.union1d(members, together)
        if members.size == 0:
            continue
        burned = (last, window) if c == 0 else None
        layers.append(_layer(members, fps, together, burned, cell_bounds, src, outside))
    absent = np.flatnonzero(~present)
    if absent.size:
        layers.append(ZoneLayer(absent, None, None, outside[absent]))
    return layers


def footprint_groups(
    geoms: np.ndarray, transform: Affine, shape: tuple[int, int], all_touched: bool = False
) -> list[np.ndarray]:
    """Zone indexes split into groups whose members share no cell of their footprints.

    The groups of :func:`plan_layers` without their label grids, for callers that burn
    each group themselves (window by window); shared cells are looked for in row strips of
    about ``SHARED_STRIP_CELLS`` cells, so memory stays bounded on a large grid. Missing
    and empty zones go in the first group. A tiling gives one group.
    """
    n = len(geoms)
    shapes = [burn_shape(g, transform) for g in geoms]
    present = np.array([s is not None for s in shapes], bool)
    lines = np.array([is_line(s) for s in shapes], bool)
    idx = np.flatnonzero(present)
    cell_bounds = np.zeros((n, 4))
    if idx.size:
        cell_bounds[idx] = _cell_bounds([shapes[i] for i in idx], transform)
    window = _window_of(cell_bounds[idx], shape) if idx.size else None
    if window is None:
        return [np.arange(n)]
    polys = np.flatnonzero(present & ~lines)
    line_idx = np.flatnonzero(lines & present)
    fps = {i: footprint(shapes[i], transform, all_touched) for i in line_idx.tolist()}
    top, bottom = int(window.row_off), int(window.row_off + window.height)
    step = max(1, SHARED_STRIP_CELLS // int(window.width))
    found = [line_idx]
    for r in range(top, bottom, step):
        strip = windows.Window(window.col_off, r, window.width, min(step, bottom - r))
        near = polys[(cell_bounds[polys, 0] < r + strip.height) & (cell_bounds[polys, 2] > r)]
        found.append(
            _conflicts(shapes, near, line_idx, fps, strip, cell_bounds, transform, all_touched)[1]
        )
    alone = np.unique(np.concatenate(found))
    colour = _alone_colours(n, alone, shapes, fps, transform, shape, all_touched)
    together = np.setdiff1d(polys, alone)
    groups = []
    for c in range(int(colour.max()) + 1):
        members = np.flatnonzero(present & (colour == c))
        if c == 0:
            members = np.union1d(np.union1d(members, together), np.flatnonzero(~present))
        if members.size:
            groups.append(members)
    return groups


def _alone_colours(
    n: int,
    alone: np.ndarray,
    shapes: list[BaseGeometry | None],
    fps: dict[int, Footprint],
    transform: Affine,
    shape: tuple[int, int],
    all_touched: bool,
) -> np.ndarray:
    """Colour of each zone: zones in ``alone`` sharing a footprint cell differ, others 0.

    The footprints of ``alone`` are rasterized into ``fps`` when missing.
    """
    for i in alone.tolist():
        if i not in fps:
            fps[i] = footprint(shapes[i], transform, all_touched)
    colour = np.zeros(n, np.int64)
    if alone.size:
        left, right = _shared_pairs([_cells_in_grid(fps[i], shape) for i in alone.tolist()])
        colour[alone] = _greedy_colours(alone.size, left, right)
    return colour


def _beyond_edge(
    shapes: list[BaseGeometry | None], transform: Affine, shape: tuple[int, int]
) -> np.ndarray:
    """Zones whose footprint window (as :func:`footprint` computes it) leaves the grid."""
    out = np.zeros(len(shapes), bool)
    idx = [i for i, s in enumerate(shapes) if s is not None]
    if not idx:
        return out
    b = shapely.bounds(np.asarray([shapes[i] for i in idx], dtype=object))
    r0 = np.floor((b[:, 3] - transform.f) / transform.e)
    c0 = np.floor((b[:, 0] - transform.c) / transform.a)
    r1 = np.ceil((b[:, 1] - transform.f) / transform.e)
    c1 = np.ceil((b[:, 2] - transform.c) / transform.a)
    out[idx] = (r0 < 0) | (c0 < 0) | (r1 > shape[0]) | (c1 > shape[1])
    return out


def _layer(
    members: np.ndarray,
    fps: dict[int, Footprint],
    together: np.ndarray,
    burned: tuple[np.ndarray, windows.Window] | None,
    cell_bounds: np.ndarray,
    src: RasterSource,
    outside: np.ndarray,
) -> ZoneLayer:
    """Label grid of one layer.

    Zones that share no cell with any other take their cells from ``burned`` (the grid of
    every zone, labelled zone index + 1, over its window), the others are pasted from their
    own footprints.
    """
    window = _window_of(cell_bounds[members], src.shape)
    if window is None:
        return ZoneLayer(members, None, None, outside[members])
    n = members.size
    dtype = _label_dtype(n)
    size = (int(window.height), int(window.width))
    burn = np.isin(members, together)
    if burned is not None and burn.any():
        grid, grid_window = burned
        r0 = int(window.row_off - grid_window.row_off)
        c0 = int(window.col_off - grid_window.col_off)
        part = grid[r0 : r0 + size[0], c0 : c0 + size[1]]
        # zone index + 1 -> position in members + 1, 0 for zones not burned here
        lut = np.zeros(outside.size + 1, dtype)
        lut[members[burn] + 1] = np.flatnonzero(burn) + 1
        identity = lut.size == n + 1 and np.array_equal(lut, np.arange(n + 1))
        labels = part.astype(dtype, copy=False) if identity else lut[part]
    else:
        labels = np.zeros(size, dtype)
    for k in np.flatnonzero(~burn).tolist():
        _paste(labels, window, fps[int(members[k])], k + 1)
    return ZoneLayer(members, window, labels, outside[members])
