"""The JSON API over real HTTP: every route, bad input, limits, editing rules, the document.

Most tests ask the session's server (``server_url``, as ``landwater serve`` runs it); the
read-only and login rules need servers with those policies, run in this process on the
same processed demo with their own workspace database. Every answer is checked against the
schema the OpenAPI document gives for its status, and figures against the results files.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from dashboard.access import Access
from dashboard.api.operations import API_ROOT, OPERATIONS
from dashboard.api.routes import MAX_BODY_BYTES
from dashboard.app import create_app
from dashboard.input_checks import MAX_SITES

TIMEOUT_S = 300  # the first designer request waits for the engine the server builds at start
PASSWORD = "api editors' pass"


@pytest.fixture(scope="module")
def document(server_url: str) -> dict[str, Any]:
    resp = requests.get(f"{server_url}{API_ROOT}/openapi.json", timeout=TIMEOUT_S)
    assert resp.status_code == 200
    return dict(resp.json())


def call(
    doc: dict[str, Any],
    base: str,
    method: str,
    path: str,
    status: int,
    session: requests.Session | None = None,
    **kwargs: Any,
) -> Any:
    """Send a request; check its status, JSON type and body against the document's schema."""
    resp = (session or requests).request(method, base + path, timeout=TIMEOUT_S, **kwargs)
    assert resp.status_code == status, resp.text[:500]
    assert resp.headers["Content-Type"].startswith("application/json"), resp.text[:200]
    body = resp.json()
    rule = _operation(doc, method, path)
    if rule is not None:
        schema = rule["responses"][str(status)]["content"]["application/json"]["schema"]
        OAS30Validator({**schema, "components": doc["components"]}).validate(body)
    return body


def _operation(doc: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    """The document's operation of a concrete path (None for an unknown one)."""
    parts = path.split("?")[0].strip("/").split("/")
    for template, ops in doc["paths"].items():
        tparts = template.strip("/").split("/")
        if len(tparts) == len(parts) and all(
            t.startswith("{") or t == p for t, p in zip(tparts, parts, strict=True)
        ):
            return dict(ops.get(method.lower()) or {}) or None
    return None


def test_document_is_valid_openapi_with_every_route(document: dict[str, Any]) -> None:
    validate(document)  # raises on an invalid document
    routes = {(m, p) for p, ops in document["paths"].items() for m in ops}
    assert routes == {(op.method, API_ROOT + op.path) for op in OPERATIONS}
    for ops in document["paths"].values():
        for op in ops.values():
            assert op["responses"]["500"]["content"]["application/json"]["schema"]


def test_region_layers_and_exports(
    document: dict[str, Any], server_url: str, processed_demo: Path
) -> None:
    region = call(document, server_url, "GET", f"{API_ROOT}/region", 200)
    assert region["has_results"] and region["levels"] == ["communities", "watersheds"]
    west, south, east, north = region["bounds"]
    assert west < east and south < north
    layers = call(document, server_url, "GET", f"{API_ROOT}/layers", 200)
    roles = {layer["role"]: layer for layer in layers["layers"]}
    assert roles["rainfall"]["units"] and roles["communities"]["licence"]
    assert any(r["key"].startswith("suitability_") for r in layers["results"])
    exports = call(document, server_url, "GET", f"{API_ROOT}/exports", 200)
    link = next(
        e["url"]
        for e in exports["items"]
        if (e["level"], e["format"], e["table"]) == ("communities", "csv", "summary")
    )
    csv = requests.get(server_url + link, timeout=TIMEOUT_S)
    assert csv.status_code == 200
    expected = pd.read_csv(processed_demo / "results" / "communities.csv", dtype={"id": str})
    assert csv.text.count("\n") >= len(expected)


def test_units_pages_and_figures(
    document: dict[str, Any], server_url: str, processed_demo: Path
) -> None:
    results = processed_demo / "results"
    expected = pd.read_csv(results / "communities.csv", dtype={"id": str})
    total = len(expected)
    page = call(document, server_url, "GET", f"{API_ROOT}/units/communities?offset=3&limit=4", 200)
    assert page["total"] == total
    assert [u["id"] for u in page["items"]] == list(expected["id"][3:7])
    units = {c["name"]: c["units"] for c in page["columns"]}
    assert units["rain_mm_yr"] == "mm/yr" and units["area_ha"] == "ha"
    last = call(document, server_url, "GET", f"{API_ROOT}/units/communities?offset={total}", 200)
    assert last["items"] == [] and last["total"] == total

    uid = str(expected["id"].iloc[0])
    one = call(document, server_url, "GET", f"{API_ROOT}/units/communities/{uid}", 200)
    row = expected.iloc[0]
    assert one["name"] == row["name"]
    assert one["values"]["rain_mm_yr"] == pytest.approx(row["rain_mm_yr"])

    monthly = call(document, server_url, "GET", f"{API_ROOT}/units/communities/{uid}/monthly", 200)
    assert [m["month"] for m in monthly["months"]] == list(range(1, 13))
    # the months add up to the year, within the tables' rounding
    rain = sum(m["values"]["rain"] for m in monthly["months"])
    assert rain == pytest.approx(row["rain_mm_yr"], abs=0.1)

    suit = call(document, server_url, "GET", f"{API_ROOT}/units/communities/{uid}/suitability", 200)
    table = pd.read_csv(results / "suitability_communities.csv", dtype={"unit_id": str})
    mine = table[table["unit_id"] == uid].set_index("intervention")
    assert {r["intervention"] for r in suit["interventions"]} == set(mine.index)
    for r in suit["interventions"]:
        assert r["values"]["mean_score"] == pytest.approx(mine.loc[r["intervention"], "mean_score"])

    ws = call(document, server_url, "GET", f"{API_ROOT}/units/watersheds?limit=1", 200)
    assert len(ws["items"]) == 1 and ws["total"] > 1


def test_recommended_sites_keep_their_spacing_and_evaluate_alike(
    document: dict[str, Any], server_url: str
) -> None:
    spacing_m = 1500.0
    body = {"intervention": "farm_ponds", "count": 4, "min_spacing_m": spacing_m}
    sites = call(document, server_url, "POST", f"{API_ROOT}/sites/recommend", 200, json=body)
    items = sites["items"]
    assert sites["count"] == len(items) == 4
    assert [s["rank"] for s in items] == [1, 2, 3, 4]
    scores = [s["score"] for s in items]
    assert scores == sorted(scores, reverse=True)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) >= spacing_m
    best = items[0]
    point = {"intervention": "farm_ponds", "lon": best["lon"], "lat": best["lat"]}
    ev = call(document, server_url, "POST", f"{API_ROOT}/sites/evaluate", 200, json=point)
    assert ev["score"] == best["score"] and ev["community_id"] == best["community_id"]
    assert len(ev["criteria"]) == len(best["criteria"]) and ev["rank"] is None


BAD_REQUESTS = [
    ("GET", "/units/communities/NO-SUCH-UNIT", None, 404),
    ("GET", "/units/lakes", None, 404),
    ("GET", "/units/communities/NO-SUCH-UNIT/monthly", None, 404),
    ("GET", "/units/communities?limit=100000", None, 422),
    ("GET", "/units/communities?limit=ten", None, 422),
    ("GET", "/units/communities?colour=red", None, 422),
    ("GET", "/shortlists/abc", None, 404),
    ("GET", "/scenarios/999999", None, 404),
    ("GET", "/no/such/route", None, 404),
    ("PUT", "/region", None, 405),
    ("POST", "/sites/evaluate", {"intervention": "farm_ponds", "lon": 500, "lat": 0}, 422),
    ("POST", "/sites/evaluate", {"intervention": "farm_ponds", "lon": 10.0, "lat": 10.0}, 422),
    ("POST", "/sites/evaluate", {"intervention": "farm_ponds", "lon": "east", "lat": 0}, 422),
    ("POST", "/sites/evaluate", {"intervention": "no_such", "lon": 37.3, "lat": -1.4}, 404),
    ("POST", "/sites/evaluate", {"intervention": "farm_ponds", "lon": 37.3}, 422),
    (
        "POST",
        "/sites/evaluate",
        {"intervention": "farm_ponds", "lon": 37.3, "lat": -1.4, "weights": [1]},
        422,
    ),
    (
        "POST",
        "/sites/recommend",
        {"intervention": "farm_ponds", "count": MAX_SITES + 1, "min_spacing_m": 0},
        422,
    ),
    (
        "POST",
        "/sites/recommend",
        {"intervention": "farm_ponds", "count": 2, "min_spacing_m": 0, "within": {"x": 1}},
        422,
    ),
    (
        "POST",
        "/sites/recommend",
        {
            "intervention": "farm_ponds",
            "count": 1,
            "min_spacing_m": 0,
            "within": {"type": "Polygon", "coordinates": [[[37.3, -1.4], [37.31, -1.4]]]},
        },
        422,
    ),
    (
        "POST",
        "/sites/recommend",
        {
            "intervention": "farm_ponds",
            "count": 1,
            "min_spacing_m": 0,
            "within": {"type": "Point", "coordinates": [37.3, -1.4]},
        },
        422,
    ),
    (
        "POST",
        "/shortlists",
        {"name": "big", "sites": [{"lon": 37.3, "lat": -1.4}] * (MAX_SITES + 1)},
        422,
    ),
    ("POST", "/shortlists", {"name": "far", "sites": [{"lon": 10.0, "lat": 10.0}]}, 422),
    ("POST", "/scenarios", {"scenario": {"name": "x", "rain_pct": 900}}, 422),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), BAD_REQUESTS)
def test_bad_input_is_a_json_error(
    document: dict[str, Any],
    server_url: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    out = call(document, server_url, method, API_ROOT + path, status, json=body)
    assert out["error"]["message"] and out["error"]["code"]
    assert "Traceback" not in out["error"]["message"]


def test_malformed_and_oversized_bodies(document: dict[str, Any], server_url: str) -> None:
    url = f"{API_ROOT}/shortlists"
    headers = {"Content-Type": "application/json"}
    out = call(document, server_url, "POST", url, 400, data=b"{not json", headers=headers)
    assert "JSON" in out["error"]["message"]
    out = call(document, server_url, "POST", url, 400, data=b"name=x")  # a form, not JSON
    assert "Content-Type" in out["error"]["message"]
    big = b'{"name": "' + b"x" * MAX_BODY_BYTES + b'", "sites": []}'
    call(document, server_url, "POST", url, 413, data=big, headers=headers)


def test_shortlists_and_scenarios_round_trip(document: dict[str, Any], server_url: str) -> None:
    sites = [{"lon": 37.35, "lat": -1.4, "note": "by the road", "score": 0.8}]
    new = {"name": "API list", "intervention": "farm_ponds", "author": "r", "sites": sites}
    made = call(document, server_url, "POST", f"{API_ROOT}/shortlists", 201, json=new)
    path = f"{API_ROOT}/shortlists/{made['id']}"
    got = call(document, server_url, "GET", path, 200)
    assert got["sites"] == sites and got["site_count"] == 1 and got["version"] == 1
    listed = call(document, server_url, "GET", f"{API_ROOT}/shortlists?limit=500", 200)
    assert made["id"] in [s["id"] for s in listed["items"]]
    edit = {"version": 1, "name": "API list, final", "sites": sites * 2}
    edited = call(document, server_url, "PATCH", path, 200, json=edit)
    assert (edited["name"], edited["site_count"], edited["version"]) == (edit["name"], 2, 2)
    stale = call(document, server_url, "PATCH", path, 409, json={"version": 1, "notes": "x"})
    assert "reload" in stale["error"]["message"]
    call(document, server_url, "DELETE", path, 200)
    call(document, server_url, "GET", path, 404)
    call(document, server_url, "DELETE", path, 404)

    scenario = {"name": "API drier", "rain_pct": -15, "warming_c": 1.5}
    body = {"author": "r", "scenario": scenario}
    saved = call(document, server_url, "POST", f"{API_ROOT}/scenarios", 201, json=body)
    assert saved["spec"]["rain_pct"] == -15 and saved["results"]["totals"]
    path = f"{API_ROOT}/scenarios/{saved['id']}"
    assert call(document, server_url, "GET", path, 200)["spec"] == saved["spec"]
    listed = call(document, server_url, "GET", f"{API_ROOT}/scenarios", 200)
    assert saved["id"] in [s["id"] for s in listed["items"]]
    call(document, server_url, "DELETE", path, 200)
    call(document, server_url, "GET", path, 404)


@pytest.fixture(scope="module")
def policy_servers(processed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A read-only server and one behind the editors' login, on threads of this process."""
    folder = tmp_path_factory.mktemp("api-policy")
    login = Access(editor_password_hash=generate_password_hash(PASSWORD), secret_key="k" * 64)
    servers = []
    urls = {}
    for name, access in (("read_only", Access(read_only=True)), ("login", login)):
        app = create_app(processed_demo, f"sqlite:///{folder / name}.sqlite", access)
        srv = make_server("127.0.0.1", 0, app.server, threaded=True)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        urls[name] = f"http://127.0.0.1:{srv.server_port}"
    yield urls
    for srv in servers:
        srv.shutdown()


def test_read_only_server_refuses_writes(
    document: dict[str, Any], policy_servers: dict[str, str]
) -> None:
    base = policy_servers["read_only"]
    sites = {"name": "x", "sites": [{"lon": 37.35, "lat": -1.4}]}
    out = call(document, base, "POST", f"{API_ROOT}/shortlists", 403, json=sites)
    assert "read-only" in out["error"]["message"]
    call(document, base, "POST", f"{API_ROOT}/scenarios", 403, json={"scenario": {}})
    call(document, base, "DELETE", f"{API_ROOT}/shortlists/1", 403)
    assert call(document, base, "GET", f"{API_ROOT}/shortlists", 200)["total"] == 0


def test_login_server_writes_after_login_only(
    document: dict[str, Any], policy_servers: dict[str, str]
) -> None:
    base = policy_servers["login"]
    body = {"name": "editors", "sites": [{"lon": 37.35, "lat": -1.4}]}
    out = call(document, base, "POST", f"{API_ROOT}/shortlists", 401, json=body)
    assert "/login" in out["error"]["message"]
    with requests.Session() as editor:
        wrong = editor.get(f"{base}/login", auth=("me", "wrong"), timeout=TIMEOUT_S)
        assert wrong.status_code == 401
        editor.get(f"{base}/login", auth=("me", PASSWORD), timeout=TIMEOUT_S)
        made = call(document, base, "POST", f"{API_ROOT}/shortlists", 201, editor, json=body)
        call(document, base, "DELETE", f"{API_ROOT}/shortlists/{made['id']}", 200, editor)
        editor.get(f"{base}/logout", timeout=TIMEOUT_S)
        call(document, base, "POST", f"{API_ROOT}/shortlists", 401, editor, json=body)


def test_docs_page_renders_offline(browser: Any, server_url: str) -> None:
    """Swagger UI lists every operation with no request leaving the server."""
    ctx = browser.new_context()
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(server_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_local)
    page = ctx.new_page()
    page.goto(f"{server_url}{API_ROOT}/docs")
    expect(page.locator(".opblock")).to_have_count(len(OPERATIONS))
    expect(page.locator(".information-container .title")).to_contain_text("landwater API")
    assert outside == []
    ctx.close()
