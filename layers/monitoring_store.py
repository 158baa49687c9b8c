"""Monitoring records in the team workspace: one table beside the workspace's own.

The records live in the workspace's database (SQLite or PostgreSQL) in the table
``site_records``, one row per project site and date. Every import or entry is one
transaction of the workspace (all rows or none); a record entered again for the same site
and date replaces the earlier one and raises its version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Date, DateTime, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from layers.monitoring import CSV_COLUMNS, MonitoringError, check_records
from layers.workspace import Workspace, lock_schema

MAX_SITE_ID_CHARS = 100


class _MonitoringBase(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _SiteRecord(_MonitoringBase):
    __tablename__ = "site_records"
    __table_args__ = (UniqueConstraint("site_id", "date", name="one_record_per_site_and_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(MAX_SITE_ID_CHARS), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    households: Mapped[int] = mapped_column(Integer)
    households_women_led: Mapped[int] = mapped_column(Integer)
    households_youth_led: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's API


class MonitoringStore:
    """The monitoring records of one region's workspace.

    Parameters
    ----------
    workspace : Workspace
        The region's team workspace; its database gains the ``site_records`` table.
    site_ids : collection of str
        The region's project sites: records of other sites are refused.
    """

    def __init__(self, workspace: Workspace, site_ids: set[str]) -> None:
        self.workspace = workspace
        self.site_ids = set(site_ids)
        with workspace.engine.begin() as conn:
            lock_schema(conn)  # several workers start at once
            _MonitoringBase.metadata.create_all(conn)

    def save(self, records: pd.DataFrame, author: str = "", source: str = "the records") -> int:
        """Store checked records (:func:`layers.monitoring.read_monitoring_csv`) in one transaction.

        A record for a site and date already stored replaces it.

        Returns
        -------
        int
            The number of records stored.

        Raises
        ------
        MonitoringError
            A record of a site the region does not have (nothing is stored).
        layers.workspace.WorkspaceWriteError
            The database refused the write.
        """
        text = records[list(CSV_COLUMNS)].astype(str)
        checked, problems = check_records(text, self.site_ids)
        if problems:
            raise MonitoringError(source, problems)
        with self.workspace._transaction() as s:  # the workspace's one way to write
            for raw in checked.to_dict("records"):
                rec: dict[str, Any] = {str(k): v for k, v in raw.items()}
                row = s.scalars(
                    select(_SiteRecord).where(
                        _SiteRecord.site_id == rec["site_id"], _SiteRecord.date == rec["date"]
                    )
                ).first()
                if row is None:
                    s.add(_SiteRecord(**rec, author=author[:100]))
                    continue
                row.status = rec["status"]
                row.households = rec["households"]
                row.households_women_led = rec["households_women_led"]
                row.households_youth_led = rec["households_youth_led"]
                row.author = author[:100]
                row.updated_at = _now()
        return len(checked)

    def records(self) -> pd.DataFrame:
        """Every record, by site and date: the columns of a monitoring CSV, ``date`` as a date."""
        with self.workspace._sessions() as s:
            rows = s.scalars(select(_SiteRecord).order_by(_SiteRecord.site_id, _SiteRecord.date))
            out = [{c: getattr(r, c) for c in CSV_COLUMNS} for r in rows]
        return pd.DataFrame(out, columns=list(CSV_COLUMNS))

    def clear(self) -> None:
        """Delete every record (one transaction)."""
        with self.workspace._transaction() as s:
            for row in s.scalars(select(_SiteRecord)):
                s.delete(row)
