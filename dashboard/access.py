"""Who may change the team workspace: read-only servers and an optional editors' login.

- Read-only (``landwater serve --read-only`` or ``LANDWATER_READ_ONLY=1``): everyone can
  explore, evaluate, draw and download; saving, updating, renaming and deleting shortlists
  and saving scenarios are refused.
- Editors' login (``LANDWATER_EDITOR_PASSWORD_HASH``, a werkzeug password hash, and
  ``LANDWATER_SECRET_KEY``, the cookie signing key every worker shares; the server refuses
  to start without it): editing needs a visit to ``/login`` first (HTTP Basic, any user
  name, that password). The signed session cookie holds a session id kept in the workspace
  database: it expires after ``SESSION_LIFETIME_S``, ``/logout`` ends it in every worker,
  and it carries the ``Secure`` flag when the request came over HTTPS. After
  ``MAX_LOGIN_FAILURES`` wrong passwords in ``LOGIN_WINDOW_S`` a client is refused (HTTP
  429) until the window has passed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask, Response, current_app, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import check_password_hash

from layers.editor_sessions import EditorSessions

SESSION_LIFETIME_S = 8 * 3600  # a working day
MAX_LOGIN_FAILURES = 10  # wrong passwords per client in the window, then HTTP 429
LOGIN_WINDOW_S = 15 * 60
SESSIONS_EXTENSION = "landwater_editor_sessions"
SECRET_KEY_MESSAGE = (
    "editing is protected by LANDWATER_EDITOR_PASSWORD_HASH: set LANDWATER_SECRET_KEY too, a "
    'long random secret shared by every worker (python -c "import secrets; '
    'print(secrets.token_hex(32))")'
)
READ_ONLY_MESSAGE = (
    "This server is read-only: shortlists, scenarios, saved areas and monitoring records"
    " cannot be changed."
)
LOGIN_MESSAGE = "Editing needs a login: open /login, then try again."


@dataclass(frozen=True)
class Access:
    """The server's editing policy."""

    read_only: bool = False
    editor_password_hash: str | None = None
    secret_key: str | None = None

    @classmethod
    def from_env(cls, read_only: bool = False) -> Access:
        """The policy from the flag and the ``LANDWATER_*`` variables of the module doc."""
        env_ro = os.environ.get("LANDWATER_READ_ONLY", "").lower() in ("1", "true", "yes")
        return cls(
            read_only or env_ro,
            os.environ.get("LANDWATER_EDITOR_PASSWORD_HASH") or None,
            os.environ.get("LANDWATER_SECRET_KEY") or None,
        )

    def refusal(self) -> str | None:
        """Why the current request may not edit, or None when it may."""
        if self.read_only:
            return READ_ONLY_MESSAGE
        if self.editor_password_hash:
            sessions = current_app.extensions.get(SESSIONS_EXTENSION)
            if sessions is None or not sessions.valid(session.get("editor")):
                return LOGIN_MESSAGE
        return None


class _HttpsAwareSessions(SecureCookieSessionInterface):
    """Flask's signed cookie, ``Secure`` when the request came over HTTPS (or via a proxy).

    A proxy says so in ``X-Forwarded-Proto``.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip()
        return bool(request.is_secure or forwarded.lower() == "https")


def register_login(server: Flask, access: Access, sessions: EditorSessions) -> None:
    """``/login`` and ``/logout`` when an editors' password is set.

    Raises
    ------
    ValueError
        A password is set but no secret key (a key derived from the hash could be forged
        by anyone who has the hash).
    """
    if not access.editor_password_hash:
        return
    if not access.secret_key:
        raise ValueError(SECRET_KEY_MESSAGE)
    server.secret_key = access.secret_key
    server.session_interface = _HttpsAwareSessions()
    server.extensions[SESSIONS_EXTENSION] = sessions
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME_S,
    )

    @server.route("/login")
    def login() -> Response:
        client = request.remote_addr or "unknown"
        if sessions.failures(client, LOGIN_WINDOW_S) >= MAX_LOGIN_FAILURES:
            return Response(
                f"Too many wrong passwords; try again in {LOGIN_WINDOW_S // 60} minutes.",
                429,
                {"Retry-After": str(LOGIN_WINDOW_S)},
            )
        auth = request.authorization
        hashed = access.editor_password_hash
        if auth is None or hashed is None or not check_password_hash(hashed, auth.password or ""):
            if auth is not None:
                sessions.add_failure(client, LOGIN_WINDOW_S)
            return Response(
                "Editors' password needed.",
                401,
                {"WWW-Authenticate": 'Basic realm="landwater editors"'},
            )
        sessions.clear_failures(client)
        sessions.close(session.get("editor"))
        session.clear()
        session.permanent = True  # the cookie expires with the session
        session["editor"] = sessions.open(SESSION_LIFETIME_S)
        return redirect("/?page=design")  # type: ignore[return-value]

    @server.route("/logout")
    def logout() -> Response:
        sessions.close(session.pop("editor", None))
        return redirect("/")  # type: ignore[return-value]
