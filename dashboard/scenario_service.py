"""The designer's scenarios: land-use and practice changes under today's or a future climate.

One object per app (never module-level), held by the
:class:`~dashboard.designer_service.DesignerService`. The scenario engine (the communities'
cells tabulated once) and the region's future climates are made on first use, from the site
planner's engine; future-climate results are kept for the profile's file and the brief.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import ValidationError

from layers.region import Region
from processing.future_profile import CommunityFuture, community_future
from processing.future_suitability import FutureEffects, FutureSuitability
from processing.futures import RegionFutures, cell_climate, future_labels, region_futures
from processing.scenario import (
    Scenario,
    ScenarioEngine,
    ScenarioResult,
    build_scenario_engine,
    run_scenario,
)
from processing.sites import SitePlanner

log = logging.getLogger(__name__)

MAX_CACHED_FUTURES = 4  # future-climate results kept (the profile's file and brief reuse them)


class ScenarioService:
    """Scenarios of one region, under its present climate or one of its future ones.

    Parameters
    ----------
    region : Region
    planner : callable
        Returns the designer's site planner (built on first use; raises RuntimeError when
        the region has no results yet).
    """

    def __init__(self, region: Region, planner: Callable[[], SitePlanner]) -> None:
        self.region = region
        self._planner = planner
        self._scenarios: ScenarioEngine | None = None
        self._futures: RegionFutures | None = None
        self._future_suitability: FutureSuitability | None = None
        self._lock = threading.Lock()
        self._future_lock = threading.Lock()  # one reader of a future's files at a time
        self._future_results: OrderedDict[str, ScenarioResult] = OrderedDict()

    @property
    def scenarios(self) -> ScenarioEngine:
        """The scenario engine (tabulated on first use; needs results)."""
        engine = self._planner().engine
        with self._lock:
            if self._scenarios is None:
                self._scenarios = build_scenario_engine(engine)
            return self._scenarios

    @property
    def futures(self) -> RegionFutures:
        """The region's future climates (grouped on first use; files read when a scenario asks).

        Raises
        ------
        ValueError
            ``[[futures]]`` files that do not fit (see :mod:`layers.futures`).
        """
        se = self.scenarios
        engine = self._planner().engine
        with self._lock:
            if self._futures is None:
                c = engine.cells
                base = cell_climate(
                    engine.reg, c.rain_mm, c.et0_mm * c.kc[np.newaxis], c.first_month
                )
                self._futures = region_futures(engine.reg, se, base)
            return self._futures

    def warm_up(self) -> None:
        """Read the future climates now instead of on the first scenario that names one.

        The community inputs, and suitability and crops under each GCM, are read back from the
        region's cache after the first server (:mod:`processing.future_cache`). A future whose
        files do not fit is left for the scenario that names it, which shows the error.
        """
        try:
            labels = self.future_labels()
        except (ValueError, OSError) as exc:  # a scenario naming one shows it to the user
            log.warning("future climates not warmed up: %s", exc)
            return
        for label in labels:
            try:
                if label not in self.futures.climates:
                    continue  # an ensemble: its GCMs are warmed one by one
                with self._future_lock:  # one GCM at a time: scenarios go between
                    self._suitability().gcm(label)  # keeps the GCM's inputs from the same read
                with self._future_lock:
                    self.futures.inputs(label)
            except (ValueError, OSError, RuntimeError) as exc:  # its scenario shows the error
                log.warning("future climate %s not warmed up: %s", label, exc)

    def future_labels(self) -> list[str]:
        """The future climates a scenario can name (file names only; none without futures).

        Raises
        ------
        ValueError
            ``[[futures]]`` files that do not fit (see :mod:`layers.futures`).
        """
        return future_labels(self.region)

    def future_effects(
        self, future: str, unit_ids: Sequence[str], spread: str = "min-max"
    ) -> FutureEffects:
        """Suitability and crop months under a future climate for some communities.

        Each GCM is computed once (about 10 s on the demo), then kept in the region's cache.

        Raises
        ------
        ValueError
            An unknown future or community, ``[[futures]]`` files that do not fit.
        """
        with self._future_lock:
            return self._suitability().effects(future, unit_ids, spread)

    def _suitability(self) -> FutureSuitability:
        """The region's future suitability (made on first use; the caller holds the future lock)."""
        if self._future_suitability is None:
            self._future_suitability = FutureSuitability(self._planner().engine, self.futures)
        return self._future_suitability

    def run(self, scenario: Scenario) -> ScenarioResult:
        """Run a scenario over the region's communities (under its future climate, if any).

        The last :data:`MAX_CACHED_FUTURES` future-climate results are kept by scenario.
        """
        if scenario.future:
            key = scenario.model_dump_json()
            with self._future_lock:
                if key in self._future_results:
                    self._future_results.move_to_end(key)
                    return self._future_results[key]
                result = self.futures.run(scenario)
                self._future_results[key] = result
                while len(self._future_results) > MAX_CACHED_FUTURES:
                    self._future_results.popitem(last=False)
                return result
        return run_scenario(self.scenarios, scenario)

    def community_future(
        self, scenario: Mapping[str, Any] | None, community_id: str
    ) -> CommunityFuture | None:
        """A community under a future-climate scenario given by its fields (the page's store).

        None without a scenario or a future climate, or when it leaves the community alone.

        Raises
        ------
        ValueError
            Fields that make no scenario, or a future the region does not have.
        RuntimeError
            No results yet.
        """
        if not scenario:
            return None
        try:
            sc = Scenario.model_validate(dict(scenario))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ValueError(
                f"the future scenario could not be read ({first['msg']}): run it again"
            ) from exc
        if not sc.future:
            return None
        return community_future(sc, self.run(sc), community_id)
