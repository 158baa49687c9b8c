"""The tile route under `landwater serve` (waitress) against Flask's development server.

The development server is started with the call `landwater serve` made before waitress
(`app.run(debug=False, use_reloader=False)`, threaded: one thread per request). Each server
is a fresh process on the same processed demo; the two alternate, ``--rounds`` times each.
In each run: a cold pass (every tile of the demo's extent at zooms 11-13 once, rendered on
the server, 6 clients as a browser's 6 connections), then warm tiles (the server's LRU
cache) for ``--seconds`` with 6 and with 24 clients on keep-alive connections. Reports
requests per second and p50/p95 latency; writes benchmarks/results/serve.json.

    python benchmarks/bench_serve.py [--region var/demo] [--rounds 2] [--seconds 10]

A region without results is generated and processed in a temporary folder first.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "serve.json"
BROWSER_CONNECTIONS = 6
MANY_CLIENTS = 24
DEV_SERVER = (
    "import sys\n"
    "from dashboard.access import Access\n"
    "from dashboard.app import create_app\n"
    "app = create_app(sys.argv[1], access=Access.from_env(read_only=False), warm_up=True)\n"
    "app.run(host='127.0.0.1', port=int(sys.argv[2]), debug=False, use_reloader=False)\n"
)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tiles_of(region: Path) -> list[str]:
    """Every tile path of the region's communities at zooms 11-13, three layers."""
    import geopandas as gpd

    comm = gpd.read_file(region / "data" / "communities.gpkg").to_crs(4326)
    w, s, e, n = (float(v) for v in comm.total_bounds)
    paths = []
    for z in (11, 12, 13):
        x0, y0 = _tile(w, n, z)
        x1, y1 = _tile(e, s, z)
        paths += [
            f"/tiles/{layer}/{z}/{x}/{y}.png"
            for layer in ("land_use", "rainfall", "deficit")
            for x in range(x0, x1 + 1)
            for y in range(y0, y1 + 1)
        ]
    return paths


def _start(kind: str, region: Path, port: int) -> subprocess.Popen[bytes]:
    if kind == "waitress":
        cmd = [sys.executable, "-m", "landwater", "serve", str(region), "--no-process"]
        cmd += ["--port", str(port)]
    else:
        cmd = [sys.executable, "-c", DEV_SERVER, str(region), str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{kind} server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{kind} server did not answer in 300 s")


def _clients(port: int, paths: list[str], clients: int, seconds: float | None) -> dict[str, Any]:
    """``clients`` keep-alive connections fetching ``paths`` (once each, or for ``seconds``)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    todo = list(paths)
    deadline = time.monotonic() + seconds if seconds else math.inf

    def run(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < deadline:
            if seconds:
                path = rng.choice(paths)
            else:
                with lock:
                    if not todo:
                        break
                    path = todo.pop()
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status in (200, 204)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            with lock:
                latencies.append(time.perf_counter() - t0)
                errors[0] += not ok
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "req_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
    }


def run_once(kind: str, region: Path, paths: list[str], seconds: float) -> dict[str, Any]:
    """One fresh server: cold pass, then warm tiles with a browser's and with many clients."""
    port = _free_port()
    proc = _start(kind, region, port)
    try:
        return {
            "cold_pass": _clients(port, paths, BROWSER_CONNECTIONS, None),
            f"warm_{BROWSER_CONNECTIONS}_clients": _clients(
                port, paths, BROWSER_CONNECTIONS, seconds
            ),
            f"warm_{MANY_CLIENTS}_clients": _clients(port, paths, MANY_CLIENTS, seconds),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        phase: {key: statistics.median(run[phase][key] for run in runs) for key in runs[0][phase]}
        for phase in runs[0]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        region = args.region
        if region is None or not (region / "results").is_dir():
            from layers.build.demo.generate import generate_demo
            from processing.pipeline import process_region

            region = generate_demo(Path(tmp) / "demo", seed=42)
            process_region(region)
        paths = tiles_of(region)
        runs: dict[str, list[dict[str, Any]]] = {"flask_dev_server": [], "waitress": []}
        for _ in range(args.rounds):
            for kind in runs:
                runs[kind].append(run_once(kind, region, paths, args.seconds))
                print(kind, json.dumps(runs[kind][-1]), flush=True)
    out = {
        "setup": (
            f"demo tiles ({len(paths)} paths: land_use, rainfall, deficit at zooms 11-13),"
            f" client on the same {os.cpu_count()} cores, {args.rounds} alternating rounds of"
            f" a fresh server each, warm phases {args.seconds:.0f} s;"
            " waitress: landwater serve (default threads)"
        ),
        "median": {kind: _median(r) for kind, r in runs.items()},
        "runs": runs,
    }
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["median"], indent=2))


if __name__ == "__main__":
    main()
