"""Who may change the team workspace: read-only servers and an optional editors' login.

- Read-only (``landwater serve --read-only`` or ``LANDWATER_READ_ONLY=1``): everyone can
  explore, evaluate, draw and download; saving, updating, renaming and deleting shortlists
  and saving scenarios are refused.
- Editors' login (``LANDWATER_EDITOR_PASSWORD_HASH``, a werkzeug password hash): editing
  needs a visit to ``/login`` first (HTTP Basic, any user name, that password), which sets a
  signed session cookie. The signing key is ``LANDWATER_SECRET_KEY``, or derived from the
  hash so that every worker process agrees. Serve it behind HTTPS.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from flask import Flask, Response, redirect, request, session
from werkzeug.security import check_password_hash

READ_ONLY_MESSAGE = "This server is read-only: shortlists and scenarios cannot be changed."
LOGIN_MESSAGE = "Editing needs a login: open /login, then try again."


@dataclass(frozen=True)
class Access:
    """The server's editing policy."""

    read_only: bool = False
    editor_password_hash: str | None = None

    @classmethod
    def from_env(cls, read_only: bool = False) -> Access:
        """The policy from the flag and ``LANDWATER_READ_ONLY`` / ``..._PASSWORD_HASH``."""
        env_ro = os.environ.get("LANDWATER_READ_ONLY", "").lower() in ("1", "true", "yes")
        return cls(read_only or env_ro, os.environ.get("LANDWATER_EDITOR_PASSWORD_HASH") or None)

    def refusal(self) -> str | None:
        """Why the current request may not edit, or None when it may."""
        if self.read_only:
            return READ_ONLY_MESSAGE
        if self.editor_password_hash and not session.get("editor"):
            return LOGIN_MESSAGE
        return None


def register_login(server: Flask, access: Access) -> None:
    """``/login`` and ``/logout`` when an editors' password is set."""
    if not access.editor_password_hash:
        return
    key = (
        os.environ.get("LANDWATER_SECRET_KEY")
        or hashlib.sha256(f"landwater|{access.editor_password_hash}".encode()).hexdigest()
    )
    server.secret_key = key
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

    @server.route("/login")
    def login() -> Response:
        auth = request.authorization
        hashed = access.editor_password_hash
        if auth is None or hashed is None or not check_password_hash(hashed, auth.password or ""):
            return Response(
                "Editors' password needed.",
                401,
                {"WWW-Authenticate": 'Basic realm="landwater editors"'},
            )
        session["editor"] = True
        return redirect("/?page=design")  # type: ignore[return-value]

    @server.route("/logout")
    def logout() -> Response:
        session.pop("editor", None)
        return redirect("/")  # type: ignore[return-value]
