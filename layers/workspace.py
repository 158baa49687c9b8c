"""The team workspace: saved shortlists of candidate sites, scenarios and areas of interest.

SQLAlchemy over SQLite by default (one file, ``REGION/workspace.sqlite``), or PostgreSQL with
PostGIS (``postgresql+psycopg://...``, given to :class:`Workspace` or in the environment as
:data:`WORKSPACE_URL_ENV`) with the same code. Geometries (a saved area's polygon, a
shortlist's sites as a MultiPoint) are PostGIS ``geometry`` columns in EPSG:4326 on
PostgreSQL, so QGIS or SQL can read them, and GeoJSON text on SQLite; they travel as WKB
(``ST_GeomFromWKB`` / ``ST_AsBinary``), so coordinates come back bit for bit. Every write is
one transaction: a crash or a kill during a save loses at most that save. On SQLite the
database runs in WAL mode with ``synchronous=FULL`` and write transactions start with
``BEGIN IMMEDIATE``, so writers from several processes (gunicorn workers) queue instead of
failing; on PostgreSQL an edit locks its row (``SELECT ... FOR UPDATE``). Either way a
read-modify-write (``append_sites``) never loses a concurrent update.
Edits made from a stale copy are refused: every row carries a version number, and
``update_*`` takes the version the editor last saw (:class:`ConflictError` otherwise).
Saved areas have random ids (:func:`layers.area_checks.new_area_id`) and names unique without
regard to case (:class:`DuplicateNameError`, also between two concurrent saves). A database
that refuses a write (read-only file or folder, full disk) raises :class:`WorkspaceWriteError`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
import shapely.geometry
from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, defer, mapped_column, sessionmaker
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine, UserDefinedType

from layers.area_checks import (
    MAX_AREA_NAME_CHARS,
    check_geometry,
    clean_name,
    is_area_id,
    name_key,
    new_area_id,
)

WORKSPACE_FILE = "workspace.sqlite"
# the team workspace's database URL when none is given (``landwater serve``, gunicorn, the CLI)
WORKSPACE_URL_ENV = "LANDWATER_WORKSPACE_URL"
SRID_WGS84 = 4326
SCHEMA_LOCK_KEY = 0x6C616E64  # PostgreSQL advisory lock held while creating tables ("land")
MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 10_000
MAX_SITES = 1_000


class ConflictError(RuntimeError):
    """Someone saved this item since the editor loaded it."""


class DuplicateNameError(ValueError):
    """Another saved area has this name (``name`` is the one saved)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"an area named '{name}' is already saved; choose another name")
        self.name = name


class WorkspaceWriteError(RuntimeError):
    """The database refused a write: read-only file or folder, full disk, lost server."""


class _PostGISGeometry(UserDefinedType[dict[str, Any]]):
    """A PostGIS ``geometry(KIND, 4326)`` column holding a GeoJSON dict, sent as WKB."""

    cache_ok = True

    def __init__(self, kind: str = "Geometry") -> None:
        self.kind = kind

    def get_col_spec(self, **_kw: Any) -> str:
        return f"geometry({self.kind}, {SRID_WGS84})"

    def bind_expression(self, bindvalue: Any) -> ColumnElement[Any]:
        return func.ST_GeomFromWKB(bindvalue, SRID_WGS84, type_=self)

    def column_expression(self, colexpr: Any) -> ColumnElement[Any]:
        return func.ST_AsBinary(colexpr, type_=self)

    def bind_processor(self, dialect: Dialect) -> Any:
        def process(value: dict[str, Any] | None) -> bytes | None:
            return None if value is None else shapely.to_wkb(shapely.geometry.shape(value))

        return process

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        def process(value: bytes | None) -> dict[str, Any] | None:
            if value is None:
                return None
            # through JSON once: lists, as the SQLite column and the browser give them
            mapping = shapely.geometry.mapping(shapely.from_wkb(bytes(value)))
            return dict(json.loads(json.dumps(mapping)))

        return process


def _geometry(kind: str) -> TypeEngine[Any]:
    """GeoJSON text on SQLite, a PostGIS geometry of ``kind`` in EPSG:4326 on PostgreSQL."""
    return JSON().with_variant(_PostGISGeometry(kind), "postgresql")


class _Base(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Shortlist(_Base):
    __tablename__ = "shortlists"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    author: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    intervention: Mapped[str] = mapped_column(String(100), default="")
    sites: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # the sites' points (for GIS readers of the database); None when there are none
    sites_geometry: Mapped[dict[str, Any] | None] = mapped_column(
        _geometry("MultiPoint"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's API


class _Scenario(_Base):
    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    author: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    results: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's API


class _SavedArea(_Base):
    __tablename__ = "saved_areas"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_AREA_NAME_CHARS))
    # case-folded name (NFKC can lengthen a name: ß -> ss): one area per name
    name_key: Mapped[str] = mapped_column(String(4 * MAX_AREA_NAME_CHARS), unique=True)
    author: Mapped[str] = mapped_column(String(100), default="")
    geometry: Mapped[dict[str, Any]] = mapped_column(_geometry("Geometry"))
    area_ha: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's API


@dataclass(frozen=True)
class AreaInfo:
    """A saved area of interest without its geometry (what a list shows)."""

    id: str
    name: str
    author: str
    area_ha: float  # geodesic, WGS84 ellipsoid
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


@dataclass(frozen=True)
class AreaRecord(AreaInfo):
    """A saved area of interest with its GeoJSON geometry (WGS84)."""

    geometry: dict[str, Any]


def _area_info(row: _SavedArea) -> AreaInfo:
    return AreaInfo(
        row.id, row.name, row.author, row.area_ha, row.created_at, row.updated_at, row.version
    )


def _area_record(row: _SavedArea) -> AreaRecord:
    info = _area_info(row)
    return AreaRecord(**{**info.__dict__, "geometry": dict(row.geometry)})


def _missing_area(area_id: object) -> KeyError:
    return KeyError(f"no saved area '{area_id}' (deleted, or never saved)")


@dataclass(frozen=True)
class ShortlistRecord:
    """A saved shortlist (a detached copy; edit through :class:`Workspace`)."""

    id: int
    name: str
    author: str
    notes: str
    intervention: str
    sites: list[dict[str, Any]]
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


@dataclass(frozen=True)
class ScenarioRecord:
    """A saved scenario: its definition and the results computed when it was saved."""

    id: int
    name: str
    author: str
    notes: str
    spec: dict[str, Any]
    results: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


def _shortlist_record(row: _Shortlist) -> ShortlistRecord:
    return ShortlistRecord(
        row.id,
        row.name,
        row.author,
        row.notes,
        row.intervention,
        list(row.sites),
        row.created_at,
        row.updated_at,
        row.version,
    )


def _scenario_record(row: _Scenario) -> ScenarioRecord:
    return ScenarioRecord(
        row.id,
        row.name,
        row.author,
        row.notes,
        dict(row.spec),
        dict(row.results),
        row.created_at,
        row.updated_at,
        row.version,
    )


def _check_text(name: str, notes: str) -> str:
    clean = name.strip()
    if not clean:
        raise ValueError("a name is required")
    if len(clean) > MAX_NAME_CHARS:
        raise ValueError(f"the name is longer than {MAX_NAME_CHARS} characters")
    if len(notes) > MAX_NOTES_CHARS:
        raise ValueError(f"the notes are longer than {MAX_NOTES_CHARS} characters")
    return clean


def _check_sites(
    sites: Sequence[dict[str, Any]], bounds_lonlat: tuple[float, float, float, float] | None
) -> list[dict[str, Any]]:
    """The sites as plain dicts, each with WGS84 ``lon``/``lat`` inside ``bounds_lonlat``."""
    if len(sites) > MAX_SITES:
        raise ValueError(f"a shortlist holds at most {MAX_SITES} sites, got {len(sites)}")
    out = []
    for i, site in enumerate(sites):
        try:
            lon, lat = float(site["lon"]), float(site["lat"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"site {i + 1} needs numeric 'lon' and 'lat'") from exc
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
            raise ValueError(f"site {i + 1}: lon/lat ({lon}, {lat}) are not WGS84 degrees")
        if bounds_lonlat is not None:
            west, south, east, north = bounds_lonlat
            if not (west <= lon <= east and south <= lat <= north):
                raise ValueError(
                    f"site {i + 1} at lon/lat ({lon:.5f}, {lat:.5f}) lies outside the region "
                    f"(lon {west:.5f} to {east:.5f}, lat {south:.5f} to {north:.5f}); "
                    "remove it from the candidates and save again"
                )
        out.append(dict(site))
    return out


def _multipoint(sites: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The checked sites' lon/lat as a GeoJSON MultiPoint (None without sites)."""
    if not sites:
        return None
    return {"type": "MultiPoint", "coordinates": [[s["lon"], s["lat"]] for s in sites]}


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # writers take the write lock up front (queue on busy_timeout); readers never block
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def url_from_env() -> str | None:
    """The team workspace's URL from ``LANDWATER_WORKSPACE_URL`` (None when unset or blank)."""
    return os.environ.get(WORKSPACE_URL_ENV, "").strip() or None


def lock_schema(conn: Connection) -> None:
    """Serialise creating tables on PostgreSQL (workers starting at once would collide).

    Holds a transaction-level advisory lock until ``conn``'s transaction ends; SQLite's own
    write lock does the same there.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})


def _geojson_to_postgis(conn: Connection) -> None:
    """Saved areas of a PostgreSQL workspace made with GeoJSON in a ``json`` column: PostGIS."""
    kind = conn.scalar(
        text(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = 'saved_areas' AND column_name = 'geometry'"
        )
    )
    if kind in ("json", "jsonb", "text"):
        conn.execute(
            text(
                f"ALTER TABLE saved_areas ALTER COLUMN geometry TYPE geometry(Geometry, "
                f"{SRID_WGS84}) USING ST_SetSRID(ST_GeomFromGeoJSON(geometry::text), "
                f"{SRID_WGS84})"
            )
        )


def _add_missing_columns(conn: Connection) -> None:
    """Columns added to the tables since a workspace was made (its rows keep NULL)."""
    for table in _Base.metadata.sorted_tables:
        have = set(conn.execute(text(f"SELECT * FROM {table.name} LIMIT 0")).keys())
        for col in table.columns:
            if col.name not in have and col.nullable:
                kind = col.type.compile(dialect=conn.dialect)
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {col.name} {kind}"))
    if conn.dialect.name == "postgresql":
        _geojson_to_postgis(conn)
        # spatial indexes for GIS readers
        for table_name, col_name in (("saved_areas", "geometry"), ("shortlists", "sites_geometry")):
            conn.execute(
                text(
                    f"CREATE INDEX IF NOT EXISTS ix_{table_name}_{col_name} ON {table_name} "
                    f"USING gist ({col_name})"
                )
            )


class Workspace:
    """Saved shortlists and scenarios of one region.

    Parameters
    ----------
    url : str
        SQLAlchemy database URL, e.g. ``sqlite:///path/workspace.sqlite`` or
        ``postgresql+psycopg://user@host/db``.
    bounds_lonlat : tuple of float, optional
        ``(west, south, east, north)`` of the region in WGS84 degrees: shortlist sites
        outside it are refused. Any WGS84 point is accepted when omitted.
    """

    def __init__(
        self, url: str, bounds_lonlat: tuple[float, float, float, float] | None = None
    ) -> None:
        self.url = url
        self.bounds_lonlat = bounds_lonlat
        try:
            self.engine = create_engine(
                url,
                connect_args={"timeout": 30} if url.startswith("sqlite") else {},
                pool_pre_ping=not url.startswith("sqlite"),  # a restarted server
            )
        except (ArgumentError, ImportError) as exc:
            raise ValueError(
                f"the team workspace URL '{url}' cannot be used ({exc}); give "
                "sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DATABASE (with the "
                "'postgres' extra installed: pip install 'landwater[postgres]')"
            ) from exc
        if self.engine.dialect.name == "sqlite":
            _sqlite_pragmas(self.engine)
        try:
            with self.engine.begin() as conn:
                lock_schema(conn)
                if self.engine.dialect.name == "postgresql":
                    self._require_postgis(conn)
                _Base.metadata.create_all(conn)
                _add_missing_columns(conn)
        except OperationalError as exc:
            raise WorkspaceWriteError(
                f"the team workspace ({self._where()}) cannot be opened ({exc.orig}); check "
                "that the database server runs and accepts this user, then start again"
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writers = sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )

    @classmethod
    def for_region(
        cls,
        region_dir: str | Path,
        url: str | None = None,
        bounds_lonlat: tuple[float, float, float, float] | None = None,
    ) -> Workspace:
        """The region's workspace.

        ``url`` when given, else the URL in the environment variable
        ``LANDWATER_WORKSPACE_URL``, else ``REGION/workspace.sqlite``.
        """
        url = url or url_from_env()
        return cls(url or f"sqlite:///{Path(region_dir).resolve() / WORKSPACE_FILE}", bounds_lonlat)

    def _where(self) -> str:
        url = self.engine.url
        return str(url.database) if url.get_backend_name() == "sqlite" else url.render_as_string()

    def _require_postgis(self, conn: Connection) -> None:
        """PostGIS in this database: created when missing and allowed, else a clear error."""
        if conn.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")):
            return
        try:
            conn.execute(text("CREATE EXTENSION postgis"))
        except (OperationalError, ProgrammingError) as exc:
            raise WorkspaceWriteError(
                f"the team workspace ({self._where()}) needs the PostGIS extension, which this "
                f"user cannot create ({exc.orig}); install PostGIS on the server (Debian: "
                "apt-get install postgresql-15-postgis-3) and run 'CREATE EXTENSION postgis;' "
                "in the database as a superuser"
            ) from exc

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        try:
            with self._writers() as session, session.begin():
                yield session
        except OperationalError as exc:
            fix = (
                "make its file and folder writable by the server (and free some disk space)"
                if self.engine.dialect.name == "sqlite"
                else "check that the database server runs, has disk space and lets this user write"
            )
            raise WorkspaceWriteError(
                f"the team workspace ({self._where()}) cannot be written ({exc.orig}); {fix}, "
                "then save again"
            ) from exc

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- shortlists ---------------------------------------------------------------------
    def save_shortlist(
        self,
        name: str,
        sites: Sequence[dict[str, Any]],
        intervention: str = "",
        author: str = "",
        notes: str = "",
    ) -> ShortlistRecord:
        """Save a new shortlist; each site needs ``lon`` and ``lat`` (WGS84) plus any details.

        Raises
        ------
        ValueError
            Empty or too long name, too many sites, or a site without valid lon/lat.
        """
        row = _Shortlist(
            name=_check_text(name, notes),
            author=author[:100],
            notes=notes,
            intervention=intervention,
            sites=_check_sites(sites, self.bounds_lonlat),
        )
        row.sites_geometry = _multipoint(row.sites)
        with self._transaction() as s:
            s.add(row)
        return _shortlist_record(row)

    def list_shortlists(self) -> list[ShortlistRecord]:
        """Every shortlist, most recently updated first."""
        with self._sessions() as s:
            rows = s.scalars(select(_Shortlist).order_by(_Shortlist.updated_at.desc())).all()
            return [_shortlist_record(r) for r in rows]

    def get_shortlist(self, shortlist_id: int) -> ShortlistRecord:
        """One shortlist.

        Raises
        ------
        KeyError
            No shortlist with this id (deleted, or never saved).
        """
        with self._sessions() as s:
            row = s.get(_Shortlist, shortlist_id)
            if row is None:
                raise KeyError(f"no shortlist {shortlist_id}")
            return _shortlist_record(row)

    def update_shortlist(
        self,
        shortlist_id: int,
        expected_version: int,
        name: str | None = None,
        notes: str | None = None,
        sites: Sequence[dict[str, Any]] | None = None,
    ) -> ShortlistRecord:
        """Rename, annotate or replace the sites of a shortlist loaded at ``expected_version``.

        Raises
        ------
        ConflictError
            The shortlist was saved by someone else since (reload it and redo the edit).
        KeyError
            The shortlist no longer exists.
        """
        with self._transaction() as s:
            row = s.get(_Shortlist, shortlist_id, with_for_update=True)
            if row is None:
                raise KeyError(f"no shortlist {shortlist_id}")
            if row.version != expected_version:
                raise ConflictError(
                    f"shortlist '{row.name}' was changed by someone else (version "
                    f"{row.version}, you edited {expected_version}); reload it and redo the edit"
                )
            if name is not None:
                row.name = _check_text(name, "")
            if notes is not None:
                _check_text(row.name, notes)
                row.notes = notes
            if sites is not None:
                row.sites = _check_sites(sites, self.bounds_lonlat)
                row.sites_geometry = _multipoint(row.sites)
            row.updated_at = _now()
        return _shortlist_record(row)

    def append_sites(self, shortlist_id: int, sites: Sequence[dict[str, Any]]) -> ShortlistRecord:
        """Add sites to a shortlist in one transaction (safe against concurrent appends)."""
        new = _check_sites(sites, self.bounds_lonlat)
        with self._transaction() as s:
            row = s.get(_Shortlist, shortlist_id, with_for_update=True)
            if row is None:
                raise KeyError(f"no shortlist {shortlist_id}")
            row.sites = _check_sites([*row.sites, *new], self.bounds_lonlat)
            row.sites_geometry = _multipoint(row.sites)
            row.updated_at = _now()
        return _shortlist_record(row)

    def delete_shortlist(self, shortlist_id: int) -> None:
        """Delete a shortlist (KeyError when it does not exist)."""
        with self._transaction() as s:
            row = s.get(_Shortlist, shortlist_id, with_for_update=True)
            if row is None:
                raise KeyError(f"no shortlist {shortlist_id}")
            s.delete(row)

    # -- scenarios ----------------------------------------------------------------------
    def save_scenario(
        self,
        name: str,
        spec: dict[str, Any],
        results: dict[str, Any] | None = None,
        author: str = "",
        notes: str = "",
    ) -> ScenarioRecord:
        """Save a scenario definition (and the results computed for it)."""
        row = _Scenario(
            name=_check_text(name, notes),
            author=author[:100],
            notes=notes,
            spec=dict(spec),
            results=dict(results or {}),
        )
        with self._transaction() as s:
            s.add(row)
        return _scenario_record(row)

    def list_scenarios(self) -> list[ScenarioRecord]:
        """Every scenario, most recently updated first."""
        with self._sessions() as s:
            rows = s.scalars(select(_Scenario).order_by(_Scenario.updated_at.desc())).all()
            return [_scenario_record(r) for r in rows]

    def get_scenario(self, scenario_id: int) -> ScenarioRecord:
        """One scenario (KeyError when it does not exist)."""
        with self._sessions() as s:
            row = s.get(_Scenario, scenario_id)
            if row is None:
                raise KeyError(f"no scenario {scenario_id}")
            return _scenario_record(row)

    def delete_scenario(self, scenario_id: int) -> None:
        """Delete a scenario (KeyError when it does not exist)."""
        with self._transaction() as s:
            row = s.get(_Scenario, scenario_id, with_for_update=True)
            if row is None:
                raise KeyError(f"no scenario {scenario_id}")
            s.delete(row)

    # -- saved areas of interest ---------------------------------------------------------
    @staticmethod
    def _refuse_taken(s: Session, key: str, own_id: str | None = None) -> None:
        taken = s.scalars(select(_SavedArea).where(_SavedArea.name_key == key)).first()
        if taken is not None and taken.id != own_id:
            raise DuplicateNameError(taken.name)

    def save_area(self, name: str, geometry: dict[str, Any], author: str = "") -> AreaRecord:
        """Save an area of interest (a GeoJSON Polygon or MultiPolygon in WGS84) by name.

        Raises
        ------
        layers.area_checks.AreaNameError
            Empty or too long name, or one with a control or invisible character.
        DuplicateNameError
            An area with this name (whatever its case) is already saved.
        layers.area_checks.AreaGeometryError
            Not a valid polygon in WGS84 degrees, too many vertices, or outside the region.
        WorkspaceWriteError
            The database refused the write.
        """
        clean = clean_name(name)
        checked = check_geometry(geometry, self.bounds_lonlat)
        row = _SavedArea(
            id=new_area_id(),
            name=clean,
            name_key=name_key(clean),
            author=author[:100],
            geometry=checked.geojson,
            area_ha=checked.area_ha,
        )
        try:
            with self._transaction() as s:
                self._refuse_taken(s, row.name_key)
                s.add(row)
        except IntegrityError as exc:  # a concurrent save took the name (PostgreSQL)
            raise DuplicateNameError(clean) from exc
        return _area_record(row)

    def list_areas(self) -> list[AreaInfo]:
        """Every saved area by name (without geometries)."""
        with self._sessions() as s:
            query = select(_SavedArea).options(defer(_SavedArea.geometry))
            rows = s.scalars(query.order_by(_SavedArea.name_key)).all()
            return [_area_info(r) for r in rows]

    def get_area(self, area_id: str) -> AreaRecord:
        """One saved area with its geometry (KeyError when there is none with this id)."""
        if not is_area_id(area_id):
            raise _missing_area(area_id)
        with self._sessions() as s:
            row = s.get(_SavedArea, area_id)
            if row is None:
                raise _missing_area(area_id)
            return _area_record(row)

    def rename_area(self, area_id: str, expected_version: int, name: str) -> AreaInfo:
        """Rename a saved area loaded at ``expected_version``.

        Raises
        ------
        KeyError
            The area no longer exists (a teammate deleted it).
        ConflictError
            A teammate renamed it since (reload the list and rename again).
        DuplicateNameError, layers.area_checks.AreaNameError, WorkspaceWriteError
            As :meth:`save_area`.
        """
        clean = clean_name(name)
        if not is_area_id(area_id):
            raise _missing_area(area_id)
        try:
            with self._transaction() as s:
                row = s.get(_SavedArea, area_id, with_for_update=True)
                if row is None:
                    raise _missing_area(area_id)
                if row.version != expected_version:
                    raise ConflictError(
                        f"area '{row.name}' was changed by someone else (version {row.version}, "
                        f"you edited {expected_version}); reload the list and rename it again"
                    )
                self._refuse_taken(s, name_key(clean), area_id)
                row.name, row.name_key, row.updated_at = clean, name_key(clean), _now()
        except IntegrityError as exc:
            raise DuplicateNameError(clean) from exc
        return _area_info(row)

    def delete_area(self, area_id: str) -> None:
        """Delete a saved area (KeyError when it does not exist)."""
        if not is_area_id(area_id):
            raise _missing_area(area_id)
        with self._transaction() as s:
            row = s.get(_SavedArea, area_id, with_for_update=True)
            if row is None:
                raise _missing_area(area_id)
            s.delete(row)

    def integrity_ok(self) -> bool:
        """True when the database passes its own integrity check (SQLite) or is reachable."""
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                return bool(conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok")
            return bool(conn.exec_driver_sql("SELECT 1").scalar() == 1)
