"""Two gunicorn servers on one PostgreSQL workspace: concurrent saves over HTTP lose nothing.

The deployment of the README: ``LANDWATER_WORKSPACE_URL`` names one PostgreSQL + PostGIS
database and two servers (``gunicorn --no-control-socket``) share it, with the editors'
login on. An editor logs in on one server and saves through both, from eight threads at once,
the way the dashboard's "Save" button does (Dash's callback request).
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.security import generate_password_hash

from dashboard import ids
from layers.workspace import Workspace
from tests.regionkit import tiny_region
from tests.reliability.test_hostile import INSIDE
from tests.reliability.test_hostile_requests import _entries, _outputs

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "team pass"
SAVES = 40
THREADS = 8
START_TIMEOUT_S = 180


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install -e '.[test]')")
    from processing.pipeline import process_region

    root = tmp_path_factory.mktemp("servers") / "region"
    tiny_region(root)
    process_region(root)
    return root


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _gunicorn(region: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """A gunicorn server of the dashboard (one worker, four threads); yields its URL."""
    port = _free_port()
    cmd = [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "4"]
    cmd += ["--no-control-socket", "-b", f"127.0.0.1:{port}", "dashboard.wsgi:server"]
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **env, "LANDWATER_REGION": str(region)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:  # until it answers (or has died)
            if proc.poll() is not None:
                pytest.fail(f"gunicorn exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_dash-layout", timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer in {START_TIMEOUT_S} s: {log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def _save_body(spec: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    """The request the shortlist panel's "Save" button sends."""
    given = {
        f"{ids.SHORTLIST_SAVE}.n_clicks": 1,
        f"{ids.SHORTLIST_NAME}.value": name,
        f"{ids.SHORTLIST_AUTHOR}.value": "amina",
        f"{ids.SHORTLIST_VERSIONS}.data": {},
        f"{ids.CANDIDATES}.data": [dict(INSIDE, score=0.5, rank=1)],
        f"{ids.LANG}.value": "en",
    }

    def values(items: list[dict[str, str]]) -> list[Any]:
        return [given.get(f"{i['id']}.{i['property']}") for i in items]

    return {
        "output": key,
        "outputs": _outputs(key),
        "inputs": _entries(spec["inputs"], values(spec["inputs"])),
        "state": _entries(spec["state"], values(spec["state"])),
        "changedPropIds": [f"{ids.SHORTLIST_SAVE}.n_clicks"],
    }


def test_two_servers_on_one_postgis_workspace_lose_no_save(
    region: Path, postgis_url: str, tmp_path: Path
) -> None:
    env = {
        "LANDWATER_WORKSPACE_URL": postgis_url,
        "LANDWATER_EDITOR_PASSWORD_HASH": generate_password_hash(PASSWORD),
        "LANDWATER_SECRET_KEY": "s" * 64,  # the same in every worker
    }
    with ExitStack() as stack:
        urls = [stack.enter_context(_gunicorn(region, env, tmp_path / f"{n}.log")) for n in "ab"]
        # logged in on the first server: the session (in PostgreSQL) edits on the second too
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        basic = base64.b64encode(f"editor:{PASSWORD}".encode()).decode()
        login = urllib.request.Request(
            f"{urls[0]}/login", headers={"Authorization": f"Basic {basic}"}
        )
        opener.open(login, timeout=30).close()
        assert [c.name for c in jar] == ["session"]
        with opener.open(f"{urls[0]}/_dash-dependencies", timeout=30) as resp:
            deps = json.load(resp)
        (spec,) = [d for d in deps if f"{ids.SHORTLIST_SELECT}.options" in d["output"]]
        key = spec["output"]

        def save(i: int) -> str:
            body = json.dumps(_save_body(spec, key, f"save {i:02d}")).encode()
            request = urllib.request.Request(
                f"{urls[i % 2]}/_dash-update-component",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            with opener.open(request, timeout=120) as resp:
                assert resp.status == 200
                return resp.read().decode()

        with ThreadPoolExecutor(THREADS) as pool:
            answers = list(pool.map(save, range(SAVES)))
        # the last save's list (either server) holds the other server's saves
        options = json.loads(answers[-1])["response"][ids.SHORTLIST_SELECT]["options"]
        assert len(options) >= SAVES - THREADS
    names = sorted(s.name for s in Workspace(postgis_url).list_shortlists())
    assert names == [f"save {i:02d}" for i in range(SAVES)], "a save was lost or doubled"
    saved = Workspace(postgis_url).list_shortlists()
    assert all(s.author == "amina" and len(s.sites) == 1 for s in saved)
    assert {round(s.sites[0]["lon"], 9) for s in saved} == {round(INSIDE["lon"], 9)}


def test_serve_names_a_workspace_database_it_cannot_open(
    region: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from landwater.cli import main

    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    port = _free_port()  # nothing listens there
    monkeypatch.setenv(
        "LANDWATER_WORKSPACE_URL", f"postgresql+psycopg://ann:pw@127.0.0.1:{port}/ws"
    )
    assert main(["serve", str(region), "--no-process", "--port", str(_free_port())]) == 1
    err = capsys.readouterr().err
    assert (
        f"landwater serve: the team workspace (postgresql+psycopg://ann:***@127.0.0.1:{port}/ws)"
        in err
    )
    assert "cannot be opened" in err and "check that the database server runs" in err
