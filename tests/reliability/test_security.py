"""Server security: no route reads outside its folder, no debug server, no code from
configs or spreadsheets, read-only mode and the editors' login."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from dashboard import ids
from dashboard.access import LOGIN_MESSAGE, READ_ONLY_MESSAGE, Access
from dashboard.app import create_app
from dashboard.scenario_callbacks import scenario_save
from dashboard.shortlist_callbacks import shortlist_action
from landwater.cli import main
from layers.io import write_xlsx
from layers.workspace import Workspace
from processing.sites import SitePlanner

SECRET = "TOP-SECRET-9f3c"


@pytest.fixture(scope="module")
def region(
    demo_planner: SitePlanner, demo_region: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the processed demo with secrets planted in and beside it."""
    root = tmp_path_factory.mktemp("sec") / "region"
    shutil.copytree(demo_region, root)
    (root / "secret.txt").write_text(SECRET)
    (root.parent / "secret.txt").write_text(SECRET)
    (root / ".cache" / "secret.txt").write_text(SECRET)
    return root


@pytest.fixture(scope="module")
def client(region: Path) -> FlaskClient:
    return create_app(region, access=Access()).server.test_client()


TRAVERSALS = [
    "/tiles/../../secret.txt/1/1/1.png",
    "/tiles/..%2F..%2Fsecret.txt/1/1/1.png",
    "/tiles/%2e%2e/%2e%2e/secret/1/1/1.png",
    "/tiles/design/..%2F..%2Fsecret/1/1/1.png?w=1,1,1",
    "/geo/../../secret.txt.geojson",
    "/geo/..%2F..%2Fsecret.geojson",
    "/geo/%2e%2e%2fsecret.geojson",
    "/brief/communities/..%2F..%2Fsecret.html",
    "/brief/../../secret.html",
    "/brief/shortlist/..%2F1.html",
    "/assets/../secret.txt",
    "/assets/..%2F..%2Fsecret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/_dash-component-suites/../../secret.txt",
    "/_dash-component-suites/dash/..%2F..%2F..%2Fsecret.txt",
    "/_dash-layout/../secret.txt",
    "//secret.txt",
    "/secret.txt",
    "/.cache/secret.txt",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_no_route_reads_outside_its_folder(client: FlaskClient, url: str) -> None:
    resp = client.get(url)
    assert SECRET not in resp.get_data(as_text=True)
    assert resp.status_code in (200, 301, 302, 308, 400, 404)
    if resp.status_code == 200:  # the Dash page itself for unknown paths: no file content
        assert resp.mimetype == "text/html"


def test_serve_never_runs_debug_or_the_reloader(
    region: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr("landwater.server.serve_until_stopped", lambda wsgi: seen.update(wsgi=wsgi))
    assert main(["serve", str(region), "--no-process", "--port", "0"]) == 0
    wsgi = seen["wsgi"]
    try:
        assert wsgi.application.debug is False  # the Flask app behind Dash
        assert wsgi.effective_host == "127.0.0.1"
    finally:
        wsgi.close()


def test_config_values_are_never_executed(
    tiny: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = tiny
    marker = tmp_path / "pwned"
    text = (
        (root / "region.toml")
        .read_text()
        .replace('name = "Tiny"', f"name = \"__import__('os').system('touch {marker}')\"")
    )
    (root / "region.toml").write_text(text)
    assert main(["validate", str(root)]) == 0
    assert not marker.exists()


def test_spreadsheet_formulas_are_stored_as_text(tmp_path: Path) -> None:
    out = write_xlsx(
        {"t": pd.DataFrame({"name": ['=HYPERLINK("http://x","y")', "ok"]})}, tmp_path / "a.xlsx"
    )
    cell = openpyxl.load_workbook(out)["t"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def _designer(region: Path, access: Access) -> Any:
    from dashboard.designer_service import DesignerService
    from dashboard.service import RegionService

    return DesignerService(RegionService(region), f"sqlite:///{region / 'ro.sqlite'}", access)


def test_read_only_refuses_every_change(region: Path) -> None:
    designer = _designer(region, Access(read_only=True))
    ws: Workspace = designer.workspace
    kept = ws.save_shortlist("before", [], intervention="farm_ponds")
    candidates = [{"lon": 37.3, "lat": -1.5, "score": 0.5}]
    for trigger in (
        ids.SHORTLIST_SAVE,
        ids.SHORTLIST_RENAME,
        ids.SHORTLIST_DELETE,
        ids.SHORTLIST_UPDATE,
    ):
        _, _, msg = shortlist_action(
            designer,
            trigger,
            "x",
            "me",
            kept.id,
            {str(kept.id): kept.version},
            candidates,
            None,
            None,
        )
        assert msg == READ_ONLY_MESSAGE
    assert [r.name for r in ws.list_shortlists()] == ["before"]
    _, msg = scenario_save(designer, {"name": "s"}, "me", None)
    assert msg == READ_ONLY_MESSAGE and ws.list_scenarios() == []
    # reading still works: the list is returned on page load
    options, _, msg = shortlist_action(designer, None, None, None, None, {}, [], None, None)
    assert len(options) == 1 and msg == ""


def test_editors_login(region: Path) -> None:
    access = Access(editor_password_hash=generate_password_hash("s3cret pass"), secret_key="k" * 64)
    app = create_app(region, f"sqlite:///{region / 'login.sqlite'}", access)
    client = app.server.test_client()
    assert client.get("/login").status_code == 401
    assert "Basic" in client.get("/login").headers["WWW-Authenticate"]
    assert client.get("/login", auth=("editor", "wrong")).status_code == 401
    with app.server.test_request_context("/"):
        assert access.refusal() == LOGIN_MESSAGE
    resp = client.get("/login", auth=("editor", "s3cret pass"))
    assert resp.status_code == 302 and "session=" in resp.headers.get("Set-Cookie", "")
    cookie = resp.headers["Set-Cookie"].split(";")[0]
    with app.server.test_request_context("/", headers={"Cookie": cookie}):
        assert access.refusal() is None
    with app.server.test_request_context("/", headers={"Cookie": cookie + "x"}):  # forged
        assert access.refusal() == LOGIN_MESSAGE
    client.get("/logout")
