"""A throwaway PostgreSQL + PostGIS server for the tests, shared by every pytest worker of a run.

The first worker that needs it runs ``initdb`` in a temporary folder (as the ``postgres``
system user when running as root: initdb refuses root), starts it on a free port of
127.0.0.1 and makes a template database with PostGIS; each test gets a database copied from
that template and dropped after it. Workers register under a file lock; the last one to
leave stops the server and removes the folder (a session finalizer and ``atexit``, so a
failing test still stops it). A server left by a killed run is stopped by the next run.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

PG_ROOT = Path("/usr/lib/postgresql")
SHARE_ROOT = Path("/usr/share/postgresql")
PREFIX = "landwater-pg-"
TEMPLATE_DB = "landwater_template"
SERVER_USER = "postgres"
START_TIMEOUT_S = 60
PORT_ATTEMPTS = 3
# a test server: durability against an OS crash is not under test (a killed client is)
SERVER_SETTINGS = (
    "-c fsync=off -c full_page_writes=off -c shared_buffers=32MB -c max_connections=200"
)


def _bin_dir() -> Path | None:
    """The newest PostgreSQL whose PostGIS extension is installed."""
    versions = sorted(
        (p for p in PG_ROOT.glob("*") if p.name.isdigit()), key=lambda p: int(p.name), reverse=True
    )
    for version in versions:
        if (SHARE_ROOT / version.name / "extension" / "postgis.control").is_file():
            return version / "bin"
    return None


def unavailable_reason() -> str | None:
    """Why no test server can start here (None: it can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    if not any(PG_ROOT.glob("*/bin/initdb")):
        return (
            "PostgreSQL server binaries are missing (make test installs postgresql-15 and "
            "postgresql-15-postgis-3 with apt when run as root)"
        )
    if _bin_dir() is None:
        return (
            "PostGIS is not installed for the local PostgreSQL (make test installs "
            "postgresql-15-postgis-3 with apt when run as root)"
        )
    if os.geteuid() == 0 and not _user_exists(SERVER_USER):
        return f"running as root without a '{SERVER_USER}' system user to run initdb as"
    return None


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *cmd] if os.geteuid() == 0 else cmd


def _give_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, SERVER_USER, SERVER_USER)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _locked(base: Path, blocking: bool = True) -> Iterator[bool]:
    with (base / "lock").open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _live_users(base: Path) -> list[Path]:
    users = base / "users"
    if not users.is_dir():
        return []
    return [p for p in users.iterdir() if p.name.isdigit() and _alive(int(p.name))]


def _stop(base: Path, bin_dir: Path, mode: str = "fast") -> None:
    data = base / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "stop", "-D", str(data), "-m", mode, "-w"]),
            capture_output=True,
            check=False,
            timeout=60,
        )
    shutil.rmtree(base, ignore_errors=True)


def _stop_leftovers(bin_dir: Path, own: Path) -> None:
    """Stop servers of earlier runs whose every worker is gone (a killed run)."""
    for base in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        if base == own or not (base / "lock").exists():
            continue
        with _locked(base, blocking=False) as got:
            if got and not _live_users(base):
                _stop(base, bin_dir, mode="immediate")


def _run_id() -> str:
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"solo{os.getpid()}"


@dataclass
class PgCluster:
    """This worker's handle on the run's shared test server."""

    base: Path
    bin_dir: Path
    port: int
    _attached: bool = field(default=True, repr=False)

    def _admin(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SERVER_USER, dbname=dbname, autocommit=True
        )

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A fresh database with PostGIS (a copy of the template); its SQLAlchemy URL."""
        name = f"lw_{uuid.uuid4().hex[:16]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE_DB}')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`new_database` (its open connections are ended)."""
        name = url.rsplit("/", 1)[1]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def detach(self) -> None:
        """Leave the server; the last worker to leave stops it and removes its folder."""
        if not self._attached:
            return
        self._attached = False
        if not self.base.exists():
            return
        with _locked(self.base):
            (self.base / "users" / str(os.getpid())).unlink(missing_ok=True)
            if not _live_users(self.base):
                _stop(self.base, self.bin_dir)


def _server_command(cmd: list[str], log: Path | None = None) -> None:
    """Run a server binary as the server's user; its output (and log) in the error."""
    done = subprocess.run(
        _as_server_user(cmd), capture_output=True, text=True, check=False, timeout=180
    )
    if done.returncode != 0:
        tail = log.read_text()[-2000:] if log is not None and log.exists() else ""
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr or done.stdout}{tail}")


def _start(base: Path, bin_dir: Path) -> int:
    data, run = base / "data", base / "run"  # run: the socket and the log
    for folder in (data, run):
        folder.mkdir(mode=0o700, exist_ok=True)
        _give_to_server_user(folder)
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", SERVER_USER, "--auth=trust"]
    _server_command([*initdb, "-E", "UTF8", "--no-instructions"])
    log = run / "server.log"
    pg_ctl = [str(bin_dir / "pg_ctl"), "start", "-D", str(data), "-w", "-t", str(START_TIMEOUT_S)]
    for attempt in range(PORT_ATTEMPTS):  # another process may take the free port first
        port = _free_port()
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {run} {SERVER_SETTINGS}"
        try:
            _server_command([*pg_ctl, "-o", options, "-l", str(log)], log)
            break
        except RuntimeError:
            if attempt == PORT_ATTEMPTS - 1:
                raise
    cluster = PgCluster(base, bin_dir, port, _attached=False)
    with cluster._admin() as conn:
        conn.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    with cluster._admin(TEMPLATE_DB) as conn:
        conn.execute("CREATE EXTENSION postgis")
    (base / "port").write_text(str(port))
    return port


def _start_or_clean(base: Path, bin_dir: Path) -> int:
    try:
        return _start(base, bin_dir)
    except BaseException:
        _stop(base, bin_dir, mode="immediate")
        raise


def attach() -> PgCluster:
    """This worker's handle on the run's server, starting it when no worker has yet."""
    bin_dir = _bin_dir()
    assert bin_dir is not None, unavailable_reason()
    base = Path(tempfile.gettempdir()) / f"{PREFIX}{_run_id()}"
    _stop_leftovers(bin_dir, base)
    while True:  # the last worker of a previous attach may remove the folder meanwhile
        base.mkdir(mode=0o755, exist_ok=True)
        with contextlib.suppress(FileNotFoundError), _locked(base):
            (base / "users").mkdir(exist_ok=True)
            port_file = base / "port"
            running = port_file.exists() and (base / "data" / "postmaster.pid").exists()
            port = int(port_file.read_text()) if running else _start_or_clean(base, bin_dir)
            (base / "users" / str(os.getpid())).touch()
            break
    cluster = PgCluster(base, bin_dir, port)
    atexit.register(cluster.detach)
    return cluster
