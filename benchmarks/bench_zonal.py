"""zonal_stats against rasterstats and exactextract, side by side in the same run.

Cases (issues 3 and 18): a 12-band float32 raster of 5,000 x 5,000 cells (tiled 512 x 512,
pixel-interleaved, 1 % nodata) with 2,000 and with 10,000 polygons, the same raster
DEFLATE-compressed (issue 18's layout) with 2,000 polygons, and a uint8 land-cover raster
with categorical counts. Every measurement runs in
its own child process (so peak memory is that case's alone) and reports the median of
several runs plus the child's peak RSS. Writes benchmarks/results/zonal.json and .md.

    python benchmarks/bench_zonal.py [--size 5000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
STATS = ["count", "sum", "mean", "min", "max"]


def _extra_layouts(folder: Path, size: int, profile: dict, rng: np.random.Generator) -> None:
    """The bands DEFLATE-compressed (GDAL's default pixel-interleaved layout for a
    multi-band file, which decodes every band of a tile at once: written and read in whole
    tile rows) and a uint8 land cover."""
    import rasterio

    with (
        rasterio.open(folder / "bands.tif") as src,
        rasterio.open(
            folder / "bands_deflate.tif",
            "w",
            count=12,
            dtype="float32",
            nodata=-9999.0,
            compress="deflate",
            interleave="pixel",
            **profile,
        ) as dst,
    ):
        for r in range(0, size, 512):
            win = rasterio.windows.Window(0, r, size, min(512, size - r))
            dst.write(src.read(window=win), window=win)
    with rasterio.open(
        folder / "landcover.tif", "w", count=1, dtype="uint8", nodata=0, **profile
    ) as dst:
        dst.write(rng.integers(1, 12, (size, size), dtype=np.uint8), 1)


def make_inputs(folder: Path, size: int, n_zones: list[int], extra_layouts: bool = True) -> None:
    """A 12-band float32 raster, Voronoi zone sets and, with ``extra_layouts``, the same
    bands DEFLATE-compressed and a uint8 land cover."""
    import geopandas as gpd
    import rasterio
    import shapely
    from affine import Affine

    rng = np.random.default_rng(0)
    t = Affine(30.0, 0, 300_000.0, 0, -30.0, 9_900_000.0)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "crs": "EPSG:32737",
        "transform": t,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
    }
    with rasterio.open(
        folder / "bands.tif", "w", count=12, dtype="float32", nodata=-9999.0, **profile
    ) as dst:
        for b in range(1, 13):
            arr = rng.gamma(2.0, 40.0, (size, size)).astype(np.float32)
            arr[rng.random((size, size)) < 0.01] = -9999.0
            dst.write(arr, b)
    if extra_layouts:
        _extra_layouts(folder, size, profile, rng)
    left, top = t.c, t.f
    right, bottom = left + size * 30.0, top - size * 30.0
    box = shapely.box(left, bottom, right, top)
    for n in n_zones:
        pts = rng.uniform([left, bottom], [right, top], (n, 2))
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=box))
        geoms = shapely.intersection(cells, box)
        gpd.GeoDataFrame({"zid": np.arange(len(geoms))}, geometry=geoms, crs="EPSG:32737").to_file(
            folder / f"zones_{n}.gpkg"
        )


def evict(path: str | Path) -> None:
    """Drop a file's pages from the page cache (no root needed): the next read is cold."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def run_case(
    tool: str,
    raster: str,
    zones: str,
    categorical: bool,
    runs: int,
    rs_bands: int,
    cold: bool = False,
) -> dict[str, object]:
    """Time one tool in this process; returns run times (s).

    ``cold``: the raster is evicted from the page cache before each run.
    """
    import geopandas as gpd

    gdf = gpd.read_file(zones)
    times = []
    for _ in range(runs):
        if cold:
            evict(raster)
        t0 = time.perf_counter()
        if tool == "landwater":
            from processing.zonal import zonal_stats

            zonal_stats(raster, gdf, stats=STATS, categorical=categorical)
        elif tool == "exactextract":
            from exactextract import exact_extract

            ops = ["count", "unique", "frac"] if categorical else STATS
            exact_extract(raster, gdf, ops, output="pandas")
        elif tool == "rasterstats":
            import rasterio
            from rasterstats import zonal_stats as rs

            with rasterio.open(raster) as ds:
                bands = ds.count
            # rasterstats summarises one band per call, so its cost is linear in bands: time
            # the first rs_bands calls and scale to every band (reported as such)
            measured = min(bands, rs_bands)
            for b in range(1, measured + 1):
                rs(gdf, raster, stats=STATS, band=b, categorical=categorical)
            times.append((time.perf_counter() - t0) * bands / measured)
            continue
        times.append(time.perf_counter() - t0)
    return {"runs_s": [round(x, 3) for x in times]}


def peak_rss_mb() -> float:
    """This process image's peak resident memory (VmHWM), MB.

    ``getrusage().ru_maxrss`` is not used: Linux carries it over from the parent across
    fork and exec, so every child would report at least the parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(args: argparse.Namespace) -> None:
    out = run_case(
        args.tool, args.raster, args.zones, args.categorical, args.runs, args.rs_bands, args.cold
    )
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


def measure(
    tool: str,
    raster: Path,
    zones: Path,
    categorical: bool,
    runs: int,
    rs_bands: int,
    cold: bool = False,
) -> dict[str, object]:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--tool",
        tool,
        "--raster",
        str(raster),
        "--zones",
        str(zones),
        "--runs",
        str(runs),
        "--rs-bands",
        str(rs_bands),
    ]
    if categorical:
        cmd.append("--categorical")
    if cold:
        cmd.append("--cold")
    load_before = os.getloadavg()[0]
    # the child imports the landwater this script belongs to (not an installed copy)
    path = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path}
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=HERE.parent, env=env)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["median_s"] = round(statistics.median(res["runs_s"]), 3)
    # the machine is shared: 1-minute load average before and after the measurement
    res["load_avg_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(
        f"  {tool:12s} {res['median_s']:8.2f} s  peak {res['peak_rss_mb']:7.0f} MB  runs {res['runs_s']}"
        f"  load {res['load_avg_1min']}",
        flush=True,
    )
    return res


def _load_range(res: dict) -> str:
    """``before-after`` 1-minute load average of a measurement ('?' when not recorded)."""
    loads = res.get("load_avg_1min")
    return f"{loads[0]:.1f}-{loads[1]:.1f}" if loads else "?"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=5000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--child", action="store_true")
    p.add_argument("--tool")
    p.add_argument("--raster")
    p.add_argument("--zones")
    p.add_argument("--categorical", action="store_true")
    p.add_argument("--cold", action="store_true", help="evict the raster before each run")
    p.add_argument(
        "--cold-size", type=int, default=10000, help="cells per side of the cold case (0: skip)"
    )
    p.add_argument("--rs-runs", type=int, default=3, help="runs of rasterstats (slow)")
    p.add_argument(
        "--only",
        default=None,
        help="run the cases whose name contains this text; merge into the saved report",
    )
    p.add_argument(
        "--rs-bands", type=int, default=2, help="bands timed for rasterstats, scaled to all"
    )
    args = p.parse_args()
    if args.child:
        child(args)
        return
    # (name, raster, zones, categorical, cold)
    cases = [
        ("12 bands, 2,000 polygons", "bands.tif", "zones_2000.gpkg", False, False),
        ("12 bands, 10,000 polygons", "bands.tif", "zones_10000.gpkg", False, False),
        ("12 bands DEFLATE, 2,000 polygons", "bands_deflate.tif", "zones_2000.gpkg", False, False),
        (
            "land cover uint8, categorical, 2,000 polygons",
            "landcover.tif",
            "zones_2000.gpkg",
            True,
            False,
        ),
    ]
    if args.cold_size:
        cases.append(
            (
                f"12 bands {args.cold_size:,}², 10,000 polygons, cold cache",
                "big/bands.tif",
                "big/zones_10000.gpkg",
                False,
                True,
            )
        )
    report: dict[str, object] = {
        "machine": {
            "cpus": __import__("os").cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "raster_cells": f"{args.size} x {args.size}",
        "runs": args.runs,
        "rasterstats_runs": args.rs_runs,
        "rasterstats_note": f"rasterstats is called once per band; {args.rs_bands} band(s) timed and scaled linearly to 12",
        "stats": STATS,
        "cases": {},
    }
    if args.only and (RESULTS / "zonal.json").exists():
        saved = json.loads((RESULTS / "zonal.json").read_text())
        report["cases"] = saved.get("cases", {})
    with tempfile.TemporaryDirectory(
        dir=HERE.parent / "var" if (HERE.parent / "var").exists() else None
    ) as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        picked = [c for c in cases if not args.only or args.only in c[0]]
        if any(not cold for *_, cold in picked):
            make_inputs(folder, args.size, [2000, 10000])
        if any(cold for *_, cold in picked):
            (folder / "big").mkdir()
            make_inputs(folder / "big", args.cold_size, [10000], extra_layouts=False)
        print(f"inputs written in {time.perf_counter() - t0:.0f} s", flush=True)
        for name, raster, zones, categorical, cold in picked:
            print(name, flush=True)
            results = {
                tool: measure(
                    tool,
                    folder / raster,
                    folder / zones,
                    categorical,
                    args.rs_runs if tool == "rasterstats" else args.runs,
                    args.rs_bands if not cold else 1,
                    cold,
                )
                for tool in ("landwater", "exactextract", "rasterstats")
            }
            ours = results["landwater"]["median_s"]
            results["speedup_vs_rasterstats"] = round(results["rasterstats"]["median_s"] / ours, 1)
            results["speedup_vs_exactextract"] = round(
                results["exactextract"]["median_s"] / ours, 1
            )
            print(
                f"  speed-up: {results['speedup_vs_rasterstats']}x rasterstats, {results['speedup_vs_exactextract']}x exactextract",
                flush=True,
            )
            report["cases"][name] = results  # type: ignore[index]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "zonal.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"# zonal_stats benchmark ({args.size} x {args.size} cells, median of {args.runs} runs; "
        f"rasterstats: median of {args.rs_runs}, {args.rs_bands} band(s) timed and scaled to 12)",
        "",
        "| case | landwater s | exactextract s | rasterstats s | vs rasterstats | vs exactextract | peak MB (lw / ee / rs) | load avg (lw / ee / rs) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in report["cases"].items():  # type: ignore[union-attr]
        loads = " / ".join(_load_range(r[t]) for t in ("landwater", "exactextract", "rasterstats"))
        lines.append(
            f"| {name} | {r['landwater']['median_s']} | {r['exactextract']['median_s']} | {r['rasterstats']['median_s']} | "
            f"{r['speedup_vs_rasterstats']}x | {r['speedup_vs_exactextract']}x | "
            f"{r['landwater']['peak_rss_mb']:.0f} / {r['exactextract']['peak_rss_mb']:.0f} / {r['rasterstats']['peak_rss_mb']:.0f} | "
            f"{loads} |"
        )
    lines += [
        "",
        f"{report['machine']['cpus']} shared cores; load avg: the 1-minute load average before and"
        " after each tool's runs (other users' work included).",
    ]
    (RESULTS / "zonal.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
