"""What the programme view needs from the server: the monitoring records, sites and water.

One object per app (no module state); the sites table and the community facts are read
once, the records at every request (a teammate may have imported some). The recharge
gained runs the designer's scenarios once per intervention and keeps their tables.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.background import results_are_current
from layers.monitoring import read_monitoring_csv
from layers.monitoring_store import MonitoringStore
from processing.portfolio_impacts import CommunityFacts, RechargeTables, community_facts
from processing.programme import (
    Grouping,
    completed_recharge,
    completed_water,
    latest_records,
    monitored_status,
    programme_sheets,
    programme_table,
    site_table,
    status_over_time,
)

if TYPE_CHECKING:
    from dashboard.service import RegionService
    from layers.workspace import Workspace
    from processing.scenario import ScenarioEngine


class ProgrammeService:
    """The programme's records and totals for one region's dashboard.

    Parameters
    ----------
    service : RegionService
    workspace : Workspace
    scenarios : callable, optional
        Returns the designer's scenario engine (RuntimeError or ValueError when the region
        cannot run scenarios); without it no recharge gained is given.
    """

    def __init__(
        self,
        service: RegionService,
        workspace: Workspace,
        scenarios: Callable[[], ScenarioEngine] | None = None,
    ) -> None:
        self.service = service
        self.workspace = workspace
        self._scenarios = scenarios
        self._recharge_tables: RechargeTables | None = None
        self._lock = threading.Lock()

    @cached_property
    def sites(self) -> pd.DataFrame:
        """The project sites with type, community and watershed."""
        return site_table(self.service.registry)

    @cached_property
    def store(self) -> MonitoringStore:
        """The records' table in the team workspace."""
        return MonitoringStore(self.workspace, set(self.sites["site_id"]))

    @cached_property
    def _facts(self) -> CommunityFacts | None:
        region = self.service.region
        store = self.service.results
        if store is None or not results_are_current(region.root, region.results_dir):
            return None
        return community_facts(store, self.service.registry)

    def import_csv(self, data: bytes, author: str = "") -> int:
        """Check and store a monitoring CSV (MonitoringError lists every problem)."""
        records = read_monitoring_csv(data, self.store.site_ids)
        return self.store.save(records, author=author, source="the uploaded file")

    def save_record(self, record: dict[str, object], author: str = "") -> int:
        """Store one record typed into the form (checked like a CSV row)."""
        table = pd.DataFrame([{k: "" if v is None else str(v) for k, v in record.items()}])
        return self.store.save(table, author=author, source="the record")

    def records(self) -> pd.DataFrame:
        """Every stored record."""
        return self.store.records()

    def water(self, records: pd.DataFrame) -> pd.Series | None:
        """Water harvested per completed site (None until the region is processed)."""
        facts = self._facts
        if facts is None or records.empty:
            return None
        interventions = list(self.service.region.config.interventions)
        return completed_water(latest_records(records), self.sites, facts, interventions)

    def recharge(self, records: pd.DataFrame) -> pd.Series | None:
        """Recharge gained per completed site (None until the region can run scenarios)."""
        facts = self._facts
        if facts is None or records.empty or self._scenarios is None:
            return None
        with self._lock:
            if self._recharge_tables is None:
                self._recharge_tables = RechargeTables(self._scenarios, facts.ids)
            tables = self._recharge_tables
        interventions = list(self.service.region.config.interventions)
        try:
            return completed_recharge(
                latest_records(records), self.sites, facts, interventions, tables
            )
        except (RuntimeError, ValueError):  # no results yet, or a grid too large to design on
            return None

    def table(self, records: pd.DataFrame, by: Grouping) -> pd.DataFrame:
        """Totals per group, the whole region last."""
        latest = latest_records(records)
        return programme_table(latest, self.sites, by, self.water(records), self.recharge(records))

    def over_time(
        self, records: pd.DataFrame, by: Grouping | None = None, group: str | None = None
    ) -> pd.DataFrame:
        """Sites in each status on every record date (of ``group`` of ``by`` when given)."""
        return status_over_time(records, self.sites, by, group)

    def sheets(self, records: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """The programme workbook."""
        return programme_sheets(records, self.sites, self.water(records), self.recharge(records))

    def monitored_sites(self, sites: pd.DataFrame) -> pd.DataFrame:
        """``sites`` (of the sites layer) with each one's latest monitored status and its date.

        Sites without records keep the layer's status (``status_date`` None).
        """
        spec = self.service.region.config.layers.project_sites
        id_column = spec.id_field if spec is not None else "site_id"
        return monitored_status(sites, id_column, self.records())

    def unit_totals(self, level: str, unit_id: str) -> pd.Series | None:
        """The totals of the sites inside one community or watershed (None: no records there).

        ``level`` is ``communities`` or ``watersheds``; the row has the columns of
        :func:`processing.programme.programme_table`.
        """
        column = {"communities": "community_id", "watersheds": "watershed_id"}.get(level)
        if column is None:
            return None
        records = self.records()
        inside = set(self.sites.loc[self.sites[column] == str(unit_id), "site_id"])
        mine = records[records["site_id"].isin(inside)]
        if mine.empty:
            return None
        return self.table(mine, "community").iloc[-1]
