"""Crafted requests and uploads (issue 20): every route and callback answers bad input with a
4xx or a message, never an HTTP 500.

The tiny processed region served by the real app, through Flask's test client with
``PROPAGATE_EXCEPTIONS`` on, so an unanswered exception fails the test with its traceback.
Callback requests are built from the app's own callback map, as the browser builds them.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from flask.testing import FlaskClient

from dashboard.errors import GUARD_MARK
from layers.upload import UploadError, area_from_geojson, read_area_upload
from tests.regionkit import UTM, X0, Y0, tiny_region


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from processing.pipeline import process_region

    root = tmp_path_factory.mktemp("requests") / "region"
    tiny_region(root)
    process_region(root)
    return root


@pytest.fixture(scope="module")
def app(region: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from dashboard.app import create_app

    ws = tmp_path_factory.mktemp("ws") / "ws.sqlite"
    dash_app = create_app(region, f"sqlite:///{ws}")
    dash_app.server.config["PROPAGATE_EXCEPTIONS"] = True
    return dash_app


@pytest.fixture(scope="module")
def client(app: Any) -> FlaskClient:
    return app.server.test_client()


SHORTLIST_IDS = [
    "99999999999999999999999999",  # OverflowError in SQLite
    "%C2%B2%C2%B3",  # "²³": isdigit() is true, int() fails
    "%D9%A3",  # Arabic-Indic three: int() reads it, it is no id a link holds
    "9223372036854775808",  # 2**63
    "-1",
    "1e3",
    "0x10",
    "12345",
]


@pytest.mark.parametrize("shortlist_id", SHORTLIST_IDS)
def test_shortlist_brief_ids(client: FlaskClient, shortlist_id: str) -> None:
    resp = client.get(f"/brief/shortlist/{shortlist_id}.html")
    assert resp.status_code == 404


# -- callbacks -------------------------------------------------------------------------------


def _concrete(id_: str) -> tuple[bool, Any]:
    """(is a wildcard ALL, the id as the browser sends it) for an id of the callback map."""
    if not id_.startswith("{"):
        return False, id_
    pattern = json.loads(id_)
    every = any(v in (["ALL"], ["ALLSMALLER"]) for v in pattern.values())
    return every, {k: 0 if isinstance(v, list) else v for k, v in pattern.items()}


def _entries(items: list[dict[str, str]], values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item, value in zip(items, values, strict=True):
        every, cid = _concrete(item["id"])
        entry = {"id": cid, "property": item["property"], "value": value}
        out.append([entry] if every else entry)
    return out


def _outputs(key: str) -> Any:
    parts = key[2:-2].split("...") if key.startswith("..") else [key.split("@")[0]]
    out: list[Any] = []
    for part in parts:
        part = part.split("@")[0]
        cut = part.rindex("}.") + 1 if part.startswith("{") else part.rindex(".")
        every, cid = _concrete(part[:cut])
        entry = {"id": cid, "property": part[cut + 1 :]}
        out.append([entry] if every else entry)
    return out if key.startswith("..") else out[0]


def _post(client: FlaskClient, body: dict[str, Any]) -> int:
    resp = client.post(
        "/_dash-update-component",
        data=json.dumps(body, allow_nan=True),
        content_type="application/json",
    )
    return resp.status_code


NAN_RING = [[37.3, -1.4], [float("nan"), -1.41], [37.31, -1.41], [37.3, -1.4]]
HOSTILE_VALUES: list[Any] = [
    [1, 2],
    "abc",
    float("nan"),
    10**30,
    -1e308,
    {"level": "communities"},  # a selection without an id
    {"type": "Hexagon", "coordinates": [[1, 2]]},
    {"type": "FeatureCollection", "features": [1, 2]},
    {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Hexagon", "coordinates": []}}],
    },
    {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [NAN_RING]}}
        ],
    },
]


def _server_callbacks(app: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(k, s) for k, s in app.callback_map.items() if "callback" in s]


def test_every_server_callback_is_guarded(app: Any) -> None:
    """Each callback answers a failure with a message (panel_errors) or leaves its outputs."""
    unguarded = [
        key
        for key, spec in _server_callbacks(app)
        if not getattr(spec["callback"].__wrapped__, GUARD_MARK, False)
    ]
    assert unguarded == []


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=[repr(v)[:30] for v in HOSTILE_VALUES])
def test_callbacks_answer_crafted_payloads(app: Any, client: FlaskClient, value: Any) -> None:
    """Each input of each callback in turn set to the value (states empty, then the value too)."""
    failures = []
    for key, spec in _server_callbacks(app):
        inputs, states = spec["inputs"], spec.get("state", [])
        for i, item in enumerate(inputs):
            values = [None] * len(inputs)
            values[i] = value
            for state in (None, value):
                body = {
                    "output": key,
                    "outputs": _outputs(key),
                    "inputs": _entries(inputs, values),
                    "state": _entries(states, [state] * len(states)),
                    "changedPropIds": [f"{item['id']}.{item['property']}"],
                }
                try:
                    code = _post(client, body)
                except Exception as exc:  # an HTTP 500
                    failures.append(f"{key} input {i}: {type(exc).__name__}: {exc}")
                    continue
                if code >= 500:
                    failures.append(f"{key} input {i}: HTTP {code}")
    assert failures == []


@pytest.mark.parametrize(
    "body",
    [
        {"output": "no-such.children", "inputs": [], "state": []},
        {"output": "lang-select.className", "inputs": [], "state": []},  # a clientside one
        {"output": ["a"], "inputs": []},
        [1, 2],
        "not json",
    ],
    ids=["unknown output", "clientside output", "output not text", "list body", "not JSON"],
)
def test_callback_requests_the_page_cannot_send(client: FlaskClient, body: Any) -> None:
    data = body if isinstance(body, str) else json.dumps(body)
    resp = client.post("/_dash-update-component", data=data, content_type="application/json")
    assert resp.status_code == 400


# -- uploads ---------------------------------------------------------------------------------


def _shapefile_zip(tmp_path: Path, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    gpd.GeoDataFrame(
        {"a": [1]}, geometry=[shapely.box(X0, Y0 - 300, X0 + 300, Y0)], crs=UTM
    ).to_file(tmp_path / "area.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for part in ("shp", "shx", "dbf", "prj"):
            z.write(tmp_path / f"area.{part}", f"area.{part}")
    return buf.getvalue()


def _set_in_headers(data: bytes, offset_local: int, offset_central: int, value: bytes) -> bytes:
    """Write ``value`` at an offset of every local and central header of a zip."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", offset_local), (b"PK\x01\x02", offset_central)):
        start = out.find(sig)
        while start != -1:
            out[start + offset : start + offset + len(value)] = value
            start = out.find(sig, start + 4)
    return bytes(out)


def encrypted(data: bytes) -> bytes:
    """The encryption bit set in every header (as a password-protected zip has it)."""
    return _set_in_headers(data, 6, 8, b"\x01\x00")


def unsupported_method(data: bytes) -> bytes:
    """Compression method 99 (AES), which Python's zipfile cannot read."""
    return _set_in_headers(data, 8, 10, b"\x63\x00")


def bad_crc(data: bytes) -> bytes:
    """The CRC of every member wrong (a member whose content lies about itself)."""
    return _set_in_headers(data, 14, 16, b"\x00\x00\x00\x00")


@pytest.mark.parametrize(
    ("damage", "words"),
    [(encrypted, "encrypted"), (unsupported_method, "compression"), (bad_crc, "damaged")],
)
def test_zip_members_that_cannot_be_read(tmp_path: Path, damage: Any, words: str) -> None:
    data = damage(_shapefile_zip(tmp_path))
    with pytest.raises(UploadError, match=words):
        read_area_upload("area.zip", data)


def test_an_intact_zip_is_read(tmp_path: Path) -> None:
    assert read_area_upload("area.zip", _shapefile_zip(tmp_path)).features == 1


def test_a_local_crs_is_refused() -> None:
    ring = [[0, 0], [100, 0], [100, 100], [0, 0]]
    geojson = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": 'LOCAL_CS["site grid",UNIT["metre",1]]'}},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    with pytest.raises(UploadError, match="cannot be placed on the earth"):
        read_area_upload("local.geojson", json.dumps(geojson).encode())


@pytest.mark.parametrize(
    "drawn",
    [
        {"type": "FeatureCollection", "features": [1, 2]},
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": {"type": "Hexagon"}}],
        },
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [NAN_RING]}}
            ],
        },
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[0, 0], [500, 0], [500, 1], [0, 0]]],
                    },
                }
            ],
        },
        {"type": "FeatureCollection", "features": "abc"},
        "abc",
        [1, 2],
    ],
    ids=["numbers", "hexagon", "NaN", "out of range", "features text", "text", "list"],
)
def test_drawn_areas_the_map_cannot_send(drawn: Any) -> None:
    with pytest.raises(UploadError, match="drawn area"):
        area_from_geojson(drawn)


def test_saving_a_shortlist_in_a_read_only_workspace(region: Path, tmp_path: Path) -> None:
    """The database file cannot be written (a read-only mount): a message, not an HTTP 500."""
    from dashboard import ids
    from dashboard.app import create_app
    from layers.editor_sessions import EditorSessions
    from layers.workspace import Workspace
    from tests.reliability.test_hostile import INSIDE

    path = tmp_path / "ws.sqlite"
    EditorSessions(Workspace(f"sqlite:///{path}").engine)  # every table exists
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    dash_app = create_app(region, read_only)
    dash_app.server.config["PROPAGATE_EXCEPTIONS"] = True
    key = next(k for k in dash_app.callback_map if f"{ids.SHORTLIST_SELECT}.options" in k)
    spec = dash_app.callback_map[key]
    given = {
        f"{ids.SHORTLIST_SAVE}.n_clicks": 1,
        f"{ids.SHORTLIST_NAME}.value": "wells",
        f"{ids.SHORTLIST_AUTHOR}.value": "ann",
        f"{ids.SHORTLIST_VERSIONS}.data": {},
        f"{ids.CANDIDATES}.data": [dict(INSIDE, score=0.5)],
        f"{ids.LANG}.value": "en",
    }

    def values(items: list[dict[str, str]]) -> list[Any]:
        return [given.get(f"{i['id']}.{i['property']}") for i in items]

    body = {
        "output": key,
        "outputs": _outputs(key),
        "inputs": _entries(spec["inputs"], values(spec["inputs"])),
        "state": _entries(spec["state"], values(spec["state"])),
        "changedPropIds": [f"{ids.SHORTLIST_SAVE}.n_clicks"],
    }
    resp = dash_app.server.test_client().post("/_dash-update-component", json=body)
    assert resp.status_code == 200
    assert "readonly" in resp.get_data(as_text=True).lower().replace("-", "")


# -- the JSON API ------------------------------------------------------------------------------
API_CRAFTED = [
    ("POST", "/api/v1/sites/evaluate", b'{"intervention": "IV", "lon": NaN, "lat": 0}'),
    ("POST", "/api/v1/sites/evaluate", b'{"intervention": "IV", "lon": 1e400, "lat": 0}'),
    ("POST", "/api/v1/sites/evaluate", b'{"intervention": "IV", "lon": 0, "lat": 0, "x": 1}'),
    ("POST", "/api/v1/sites/evaluate", b"[" * 5000 + b"]" * 5000),
    ("POST", "/api/v1/sites/evaluate", b'"just a string"'),
    (
        "POST",
        "/api/v1/sites/evaluate",
        b'{"intervention": "IV", "lon": 0, "lat": 0, "weights": []}',
    ),
    (
        "POST",
        "/api/v1/sites/recommend",
        b'{"intervention": "IV", "count": 1, "min_spacing_m": Infinity}',
    ),
    ("GET", "/api/v1/units/communities/%00", None),
    ("GET", "/api/v1/units/communities/..%2F..%2Fsecret", None),
    ("GET", "/api/v1/units/communities?offset=-1", None),
    ("GET", "/api/v1/units/communities?offset=99999999999999999999", None),
    ("GET", "/api/v1/shortlists/99999999999999999999999999", None),
    ("DELETE", "/api/v1/shortlists/%C2%B2%C2%B3", None),
    ("PATCH", "/api/v1/shortlists/1", b'{"version": 1e30}'),
    ("PATCH", "/api/v1/shortlists/1", b'{"version": 1, "sites": [{"lon": "a"}]}'),
    ("POST", "/api/v1/scenarios", b'{"scenario": {"communities": [1, 2], "ponds": -1}}'),
    ("GET", "/api/v1/docs/static/..%2F..%2F__init__.py", None),
    ("GET", "/api/v2/region", None),
]


@pytest.mark.parametrize(("method", "path", "body"), API_CRAFTED)
def test_api_answers_crafted_requests_in_json(
    client: FlaskClient, method: str, path: str, body: bytes | None
) -> None:
    # the tiny region has no intervention profiles: the demo's (tests/browser/test_api.py)
    # reach the geometry and weight checks
    data = body.replace(b"IV", b"farm_ponds") if body else None
    resp = client.open(path, method=method, data=data, content_type="application/json")
    assert 400 <= resp.status_code < 500, resp.get_data(as_text=True)[:300]
    assert resp.get_json()["error"]["message"]


def test_api_save_in_a_read_only_workspace(region: Path, tmp_path: Path) -> None:
    """The database cannot be written: a 503 naming the fix, not a 500."""
    from dashboard.app import create_app
    from layers.editor_sessions import EditorSessions
    from layers.workspace import Workspace
    from tests.reliability.test_hostile import INSIDE

    path = tmp_path / "ws.sqlite"
    EditorSessions(Workspace(f"sqlite:///{path}").engine)  # every table exists
    dash_app = create_app(region, f"sqlite:///file:{path}?mode=ro&uri=true")
    body = {"name": "wells", "sites": [INSIDE]}
    resp = dash_app.server.test_client().post("/api/v1/shortlists", json=body)
    assert resp.status_code == 503
    assert resp.get_json()["error"]["code"] == "workspace_unavailable"
