"""Load test: 50 simulated users on the demo under gunicorn (-w 2 --threads 4) for 60 s.

Bounded (users, seconds) and loopback only. The Dash callback requests are the browser's
own: a headless Debian chromium walks the planner's and designer's journeys once and the
POST bodies of the profile click, weight change, site evaluation and shortlist save are
recorded; the simulated users replay them with other communities, weights, points and
names. Each user repeats a journey: the page (HTML, layout, dependencies, community
GeoJSON, eight tiles) and two profile clicks, or two weight changes, two evaluations and
(one time in three) a save. Reports throughput and p50/p95/p99 latency per request type,
errors, and whether every save acknowledged during the load is in the workspace after it.
Writes benchmarks/results/load.json.
"""

from __future__ import annotations

import copy
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
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "load.json"
USERS = 50
SECONDS = 60.0
WORKERS, THREADS = 2, 4
KEYS = {
    "profile": "selection-store.data",
    "weights": '{"index":0,"type":"design-weight"}.value',
    "evaluate": "pick-click.data",
    "save": "shortlist-save.n_clicks",
}


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def capture(url: str) -> dict[str, dict[str, Any]]:
    """The callback POST bodies of one scripted journey in chromium, by kind."""
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_browser import ARGS

    bodies: dict[str, dict[str, Any]] = {}

    def keep(request: Any) -> None:
        if "_dash-update-component" not in request.url or not request.post_data:
            return
        body = json.loads(request.post_data)
        for kind, key in KEYS.items():
            wanted = kind != "profile" or "profile-panel" in body["output"]
            if body.get("changedPropIds") == [key] and "url" not in body["output"] and wanted:
                bodies.setdefault(kind, body)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("request", keep)
        page.goto(url)
        page.wait_for_selector("path.leaflet-interactive", timeout=60_000)
        box = page.locator(".leaflet-container").bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        page.wait_for_selector(".profile-name", timeout=20_000)
        page.click("#design-link")
        page.wait_for_selector("#design-ranking .ag-row", timeout=120_000)
        thumb = page.locator(".weight-row [role=slider]").first
        thumb.focus()
        thumb.press("Home")
        page.wait_for_timeout(1500)
        page.check("#pick-mode input")
        page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.6)
        page.wait_for_selector("#site-evaluation .evaluation", timeout=20_000)
        page.fill("#shortlist-name", "capture")
        page.click("#shortlist-save")
        page.wait_for_timeout(1500)
        browser.close()
    missing = set(KEYS) - set(bodies)
    if missing:
        raise RuntimeError(f"journey did not send {missing}")
    return bodies


class User(threading.Thread):
    """One simulated user on a keep-alive connection."""

    def __init__(self, n: int, port: int, plan: dict[str, Any], deadline: float) -> None:
        super().__init__(daemon=True)
        self.n, self.port, self.plan, self.deadline = n, port, plan, deadline
        self.rng = random.Random(n)
        self.records: list[tuple[str, float, bool]] = []
        self.saved: list[str] = []
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def _req(self, kind: str, method: str, path: str, body: dict[str, Any] | None = None) -> bytes:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        t0 = time.perf_counter()
        ok, payload = False, b""
        try:
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            payload = resp.read()
            ok = resp.status == 200
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.records.append((kind, time.perf_counter() - t0, ok))
        return payload if ok else b""

    def planner(self) -> None:
        p = self.plan
        self._req("page", "GET", "/")
        self._req("layout", "GET", "/_dash-layout")
        self._req("dependencies", "GET", "/_dash-dependencies")
        self._req("geojson", "GET", "/geo/communities.pbf")
        for path in self.rng.sample(p["tiles"], 8):
            self._req("tile", "GET", path)
        for _ in range(2):
            body = copy.deepcopy(p["bodies"]["profile"])
            for item in body["inputs"]:
                if item["id"] == "selection-store":
                    item["value"] = {"level": "communities", "id": self.rng.choice(p["ids"])}
            self._req("profile", "POST", "/_dash-update-component", body)

    def designer(self) -> None:
        p = self.plan
        for _ in range(2):
            body = copy.deepcopy(p["bodies"]["weights"])
            for item in body["inputs"][0]:
                item["value"] = round(self.rng.uniform(0, 10), 1)
            self._req("weights", "POST", "/_dash-update-component", body)
        for _ in range(2):
            body = copy.deepcopy(p["bodies"]["evaluate"])
            w, s, e, n = p["bbox"]
            lat, lon = self.rng.uniform(s, n), self.rng.uniform(w, e)
            body["inputs"][0]["value"]["latlng"] = {"lat": lat, "lng": lon}
            for item in body["state"]:
                if item["id"] == "candidates-store":
                    item["value"] = []
            self._req("evaluate", "POST", "/_dash-update-component", body)
        if self.rng.random() < 1 / 3:
            name = f"load-{self.n}-{len(self.saved)}"
            body = copy.deepcopy(p["bodies"]["save"])
            for item in body["state"]:
                if item["id"] == "shortlist-name":
                    item["value"] = name
                if item["id"] == "shortlist-versions":
                    item["value"] = {}
            answer = self._req("save", "POST", "/_dash-update-component", body)
            if name.encode() in answer:
                self.saved.append(name)

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            (self.planner if self.rng.random() < 0.5 else self.designer)()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    import geopandas as gpd

    from benchmarks.bench_browser import free_port, wait_up
    from layers.build.demo.generate import generate_demo
    from layers.workspace import Workspace
    from processing.pipeline import process_region

    with tempfile.TemporaryDirectory() as tmp:
        region = generate_demo(Path(tmp) / "demo", seed=42)
        process_region(region)
        comm = gpd.read_file(region / "data" / "communities.gpkg").to_crs(4326)
        w, s, e, n = (float(v) for v in comm.total_bounds)
        port = free_port()
        env = dict(os.environ, LANDWATER_REGION=str(region))
        cmd = [
            sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "--threads", str(THREADS),
            "--no-control-socket", "-b", f"127.0.0.1:{port}", "dashboard.wsgi:server",
        ]  # fmt: skip
        log_path = Path(tmp) / "gunicorn.log"
        log = log_path.open("wb")
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_up(url, server)
            tiles = []
            for z in (11, 12, 13):
                x0, y0 = _tile(w, n, z)
                x1, y1 = _tile(e, s, z)
                tiles += [
                    f"/tiles/{layer}/{z}/{x}/{y}.png"
                    for layer in ("land_use", "rainfall", "deficit")
                    for x in range(x0, x1 + 1)
                    for y in range(y0, y1 + 1)
                ]
            plan = {
                "bodies": capture(url),
                "ids": [
                    str(v)
                    for v in gpd.read_file(region / "data" / "communities.gpkg")["community_id"]
                ],
                "bbox": (w, s, e, n),
                "tiles": tiles,
            }
            deadline = time.monotonic() + SECONDS
            users = [User(i, port, plan, deadline) for i in range(USERS)]
            t0 = time.perf_counter()
            for u in users:
                u.start()
            for u in users:
                u.join(timeout=SECONDS + 120)
            elapsed = time.perf_counter() - t0
        except BaseException:  # say why the server went away (a run once met a refused page)
            print(log_path.read_text(errors="replace")[-4000:], file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        names = {r.name for r in Workspace.for_region(region).list_shortlists()}
    records = [r for u in users for r in u.records]
    saved = [name for u in users for name in u.saved]
    by_kind: dict[str, Any] = {}
    for kind in sorted({k for k, _, _ in records}):
        times = [t for k, t, _ in records if k == kind]
        by_kind[kind] = {
            "requests": len(times),
            "errors": sum(1 for k, _, ok in records if k == kind and not ok),
            "p50_ms": round(1000 * statistics.median(times), 1),
            "p95_ms": round(1000 * _pct(times, 0.95), 1),
            "p99_ms": round(1000 * _pct(times, 0.99), 1),
        }
    all_times = [t for _, t, _ in records]
    report = {
        "setup": f"gunicorn -w {WORKERS} --threads {THREADS}, {USERS} users, {SECONDS:.0f} s,"
        " loopback, demo region, 2-core machine",
        "elapsed_s": round(elapsed, 1),
        "requests": len(records),
        "throughput_rps": round(len(records) / elapsed, 1),
        "errors": sum(1 for *_, ok in records if not ok),
        "p95_ms_all": round(1000 * _pct(all_times, 0.95), 1),
        "saves_acknowledged": len(saved),
        "saves_found_after": sum(1 for name in saved if name in names),
        "by_type": by_kind,
        "target": "zero errors, p95 < 1000 ms, every save present",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
