"""Editors' login sessions and failed logins, kept in the team workspace's database.

Every worker process of a server reads the same rows, so a logout ends the session in all of
them and failed passwords are counted across them (no state lives in one process).
"""

from __future__ import annotations

import secrets
import time

from sqlalchemy import Float, Integer, String, delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from layers.workspace import lock_schema

SESSION_ID_BYTES = 32


class _Base(DeclarativeBase):
    pass


class _EditorSession(_Base):
    __tablename__ = "editor_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class _LoginFailure(_Base):
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[float] = mapped_column(Float, index=True)


class EditorSessions:
    """Open, check and end editors' sessions; count failed logins per client.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The workspace's database (:attr:`layers.workspace.Workspace.engine`).
    """

    def __init__(self, engine: Engine) -> None:
        with engine.begin() as conn:
            lock_schema(conn)  # several workers start at once
            _Base.metadata.create_all(conn)
        self._sessions = sessionmaker(engine)

    def open(self, lifetime_s: float) -> str:
        """A new session id, valid for ``lifetime_s`` seconds (expired ones are dropped)."""
        sid = secrets.token_urlsafe(SESSION_ID_BYTES)
        now = time.time()
        with self._sessions.begin() as s:
            s.execute(delete(_EditorSession).where(_EditorSession.expires_at <= now))
            s.add(_EditorSession(id=sid, expires_at=now + lifetime_s))
        return sid

    def valid(self, sid: object) -> bool:
        """Whether ``sid`` is an open session that has not expired."""
        if not isinstance(sid, str) or not sid:
            return False
        with self._sessions() as s:
            row = s.get(_EditorSession, sid)
            return row is not None and row.expires_at > time.time()

    def close(self, sid: object) -> None:
        """End a session (a cookie captured before the logout no longer edits)."""
        if isinstance(sid, str):
            with self._sessions.begin() as s:
                s.execute(delete(_EditorSession).where(_EditorSession.id == sid))

    def failures(self, client: str, window_s: float) -> int:
        """Failed logins of ``client`` in the last ``window_s`` seconds."""
        since = time.time() - window_s
        with self._sessions() as s:
            query = select(func.count()).where(
                _LoginFailure.client == client, _LoginFailure.at > since
            )
            return int(s.scalar(query) or 0)

    def add_failure(self, client: str, window_s: float) -> None:
        """Count one failed login (failures older than ``window_s`` are dropped)."""
        now = time.time()
        with self._sessions.begin() as s:
            s.execute(delete(_LoginFailure).where(_LoginFailure.at <= now - window_s))
            s.add(_LoginFailure(client=client[:100], at=now))

    def clear_failures(self, client: str) -> None:
        """Forget a client's failed logins (after a correct password)."""
        with self._sessions.begin() as s:
            s.execute(delete(_LoginFailure).where(_LoginFailure.client == client[:100]))
