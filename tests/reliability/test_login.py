"""The editors' login under attack (issue 20): guessing is slowed to a stop, sessions expire
and end at logout, the cookie is Secure over HTTPS, and no cookie can be made from the
password hash alone.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import generate_password_hash

from dashboard.access import MAX_LOGIN_FAILURES, SESSION_LIFETIME_S, Access
from dashboard.app import create_app
from layers.editor_sessions import EditorSessions
from tests.regionkit import tiny_region

PASSWORD = "s3cret pass"
HASH = generate_password_hash(PASSWORD)
KEY = "k" * 64


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from processing.pipeline import process_region

    root = tmp_path_factory.mktemp("login") / "region"
    tiny_region(root)
    process_region(root)
    return root


@pytest.fixture
def app(region: Path, tmp_path: Path) -> Any:
    access = Access(editor_password_hash=HASH, secret_key=KEY)
    return create_app(region, f"sqlite:///{tmp_path / 'ws.sqlite'}", access)


def _may_edit(app: Any, cookie: str) -> bool:
    access = Access(editor_password_hash=HASH, secret_key=KEY)
    with app.server.test_request_context("/", headers={"Cookie": cookie}):
        return access.refusal() is None


def _login(client: Any, password: str = PASSWORD, **kw: Any) -> Any:
    return client.get("/login", auth=("editor", password), **kw)


def test_a_password_without_a_secret_key_is_refused(region: Path, tmp_path: Path) -> None:
    """A key derived from the hash would let anyone holding the hash forge a session."""
    access = Access(editor_password_hash=HASH)
    with pytest.raises(ValueError, match="LANDWATER_SECRET_KEY"):
        create_app(region, f"sqlite:///{tmp_path / 'ws.sqlite'}", access)


def test_a_cookie_forged_from_the_hash_does_not_edit(app: Any) -> None:
    derived = hashlib.sha256(f"landwater|{HASH}".encode()).hexdigest()
    for key, payload in ((derived, {"editor": True}), (KEY, {"editor": True})):
        forger = Flask("forger")
        forger.secret_key = key
        serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
        assert serializer is not None
        assert not _may_edit(app, f"session={serializer.dumps(payload)}")


def test_wrong_passwords_are_stopped(app: Any) -> None:
    client = app.server.test_client()
    for _ in range(MAX_LOGIN_FAILURES):
        assert _login(client, "guess").status_code == 401
    refused = _login(client)  # even the right password, until the window has passed
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    other = app.server.test_client()  # another client is not locked out
    assert _login(other, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_the_session_expires(app: Any) -> None:
    resp = _login(app.server.test_client())
    header = resp.headers["Set-Cookie"]
    assert "Expires=" in header and "HttpOnly" in header
    assert app.server.permanent_session_lifetime.total_seconds() == SESSION_LIFETIME_S
    sessions = app.server.extensions["landwater_editor_sessions"]
    assert not sessions.valid(sessions.open(-1.0))  # a session past its lifetime


def test_logout_ends_the_session_everywhere(app: Any) -> None:
    client = app.server.test_client()
    cookie = _login(client).headers["Set-Cookie"].split(";")[0]
    assert _may_edit(app, cookie)
    client.get("/logout")
    assert not _may_edit(app, cookie)  # the cookie captured before the logout


def test_the_cookie_is_secure_over_https(app: Any) -> None:
    assert "Secure" not in _login(app.server.test_client()).headers["Set-Cookie"]
    over_https = _login(app.server.test_client(), base_url="https://localhost")
    assert "Secure" in over_https.headers["Set-Cookie"]
    proxied = _login(app.server.test_client(), headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in proxied.headers["Set-Cookie"]


def test_failures_are_counted_across_workers(workspace_url: str) -> None:
    """Two workers' stores on one database (SQLite, PostgreSQL) see the same failures and
    sessions."""
    from layers.workspace import Workspace

    url = workspace_url
    one, two = EditorSessions(Workspace(url).engine), EditorSessions(Workspace(url).engine)
    one.add_failure("1.2.3.4", 60)
    two.add_failure("1.2.3.4", 60)
    assert one.failures("1.2.3.4", 60) == 2 and two.failures("5.6.7.8", 60) == 0
    sid = one.open(60)
    assert two.valid(sid)
    two.close(sid)
    assert not one.valid(sid)
