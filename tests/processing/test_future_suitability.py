"""Suitability and EcoCrop under a future climate, on the demo region.

A future of +x % rain and no warming against EcoCrop run by hand on the scaled rain; a GCM
equal to the baseline against the baseline (and the store's own tables); the ensemble's
median and spread against numpy over its GCMs run alone; warming against EcoCrop's
temperature limits worked by hand on one cell.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from layers.config import CropConfig
from processing.crop_suitability import climate_step, crop_monthly, sample_climate
from processing.crops import BUILTIN_CROPS, crop_params
from processing.future_grid import ClimateSuitability, calendars, climate_suitability
from processing.future_suitability import ALL_SELECTED, FutureSuitability, intervention_table
from processing.futures import CellClimate, RegionFutures, cell_climate, region_futures
from processing.grids import calendar_climatology
from processing.kernels.ecocrop import ecocrop_suitability, season_months
from processing.results_store import ResultsStore
from processing.scenario import build_scenario_engine
from processing.sites import SitePlanner
from processing.suitability_engine import SuitabilityEngine

CROPS = {c.id: c for c in BUILTIN_CROPS}
INTERVENTIONS = ["sand_dams", "farm_ponds"]  # on rain and deficit; on runoff
ENSEMBLE = "ensemble ssp245 2041-2060"


@pytest.fixture(scope="module")
def engine(demo_planner: SitePlanner) -> SuitabilityEngine:
    return demo_planner.engine


@pytest.fixture(scope="module")
def base(engine: SuitabilityEngine) -> CellClimate:
    c = engine.cells
    return cell_climate(engine.reg, c.rain_mm, c.et0_mm * c.kc[np.newaxis], c.first_month)


@pytest.fixture(scope="module")
def futures(engine: SuitabilityEngine, base: CellClimate) -> RegionFutures:
    return region_futures(engine.reg, build_scenario_engine(engine), base)


@pytest.fixture(scope="module")
def fs(engine: SuitabilityEngine, futures: RegionFutures) -> FutureSuitability:
    """Two interventions and two crops (the baseline computed once for the module).

    Nothing kept on disk: the tests give GCM labels climates of their own.
    """
    crops = [CROPS["maize"], CROPS["sorghum"]]
    return FutureSuitability(engine, futures, INTERVENTIONS, crops, cache=False)


def _own(base: CellClimate, rain_factor: float = 1.0, warm_c: float = 0.0) -> dict:
    assert base.tmin_c is not None and base.tmax_c is not None
    return {
        "prec": calendar_climatology(base.rain_mm, base.first_month) * rain_factor,
        "tmin": base.tmin_c + warm_c,
        "tmax": base.tmax_c + warm_c,
    }


def _unit_means(monthly: np.ndarray, engine: SuitabilityEngine) -> np.ndarray:
    """Each unit's mean of a ``(12, rows, cols)`` score grid, numpy alone."""
    lab = engine.labels["communities"]
    n = lab.n_units
    total, count = np.zeros((12, n + 1)), np.zeros(n + 1)
    for g in lab.grids:
        ok = np.isfinite(monthly[0])
        labels = np.where(ok, g, 0).ravel()
        count += np.bincount(labels, minlength=n + 1)
        for m in range(12):
            total[m] += np.bincount(labels, np.nan_to_num(monthly[m]).ravel(), minlength=n + 1)
    return total[:, 1:] / count[1:]


def test_plus_x_pct_rain_is_ecocrop_on_the_scaled_rain(
    engine: SuitabilityEngine, base: CellClimate
) -> None:
    crops = [CROPS["maize"], CROPS["sorghum"]]
    _, future = calendars(base, engine.cells.et0_mm, _own(base, 1.15), None)
    got = climate_suitability(engine, [], crops, future)
    assert base.tmin_c is not None and base.tmax_c is not None
    rain12 = np.stack([base.rain_mm[m::12].mean(axis=0) for m in range(12)]) * 1.15
    np.testing.assert_allclose(future.rain_mm, rain12, rtol=1e-6)
    # EcoCrop by hand: the kernel at the centre of every step x step block, repeated
    step = climate_step(engine.reg)
    h, w = rain12.shape[1:]
    rows = np.minimum(np.arange(0, h, step) + step // 2, h - 1)
    cols = np.minimum(np.arange(0, w, step) + step // 2, w - 1)
    tmin, tmax = base.tmin_c[:, rows][:, :, cols], base.tmax_c[:, rows][:, :, cols]
    for k, crop in enumerate(crops):
        coarse = ecocrop_suitability(
            crop_params(crop), tmin, (tmin + tmax) / 2, rain12[:, rows][:, :, cols]
        )
        fine = np.repeat(np.repeat(coarse, step, axis=1), step, axis=2)[:, :h, :w]
        np.testing.assert_allclose(got.crop_means[k], _unit_means(fine, engine), atol=1e-4)


def test_a_gcm_equal_to_the_baseline_gives_the_baseline_exactly(
    engine: SuitabilityEngine, fs: FutureSuitability, base: CellClimate, processed_demo: Path
) -> None:
    baseline, future = fs.of_climate(_own(base), None)
    for name in ClimateSuitability.__dataclass_fields__:
        np.testing.assert_array_equal(getattr(future, name), getattr(baseline, name), name)
    # the baseline is the store's: S1 + S2 hectares and best months of `landwater process`
    store = ResultsStore(processed_demo / "results")
    ids = [str(i) for i in engine.unit_ids["communities"]]
    table = intervention_table(baseline, [future], INTERVENTIONS, ids)
    suit = store.suitability("communities").set_index(["unit_id", "intervention"])
    for iv in INTERVENTIONS:
        rows = table[table["intervention"] == iv].set_index("unit_id")
        stored = suit.xs(iv, level="intervention").reindex(rows.index)
        np.testing.assert_allclose(
            rows["suitable_ha_base"], stored["S1_ha"] + stored["S2_ha"], atol=0.25
        )
        np.testing.assert_allclose(rows["mean_score_base"], stored["mean_score"], atol=2e-3)
        assert (rows["suitable_ha_future"] == rows["suitable_ha_base"]).all()


def test_the_ensemble_is_the_median_and_spread_of_its_gcms_alone(
    engine: SuitabilityEngine,
    futures: RegionFutures,
    fs: FutureSuitability,
    base: CellClimate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    members = futures.groups[ENSEMBLE]
    # each GCM: a rain factor and a warming (files are tested in test_futures)
    change = dict(zip(members, ((0.8, 2.2), (1.0, 1.6), (1.25, 1.1)), strict=True))
    monkeypatch.setattr(futures, "climate", lambda label: (_own(base, *change[label]), None))
    ids = [str(i) for i in engine.unit_ids["communities"]][:40]
    alone = [fs.effects(m, ids) for m in members]
    for spread, (lo_q, hi_q) in (("min-max", (0, 100)), ("10-90", (10, 90))):
        ens = fs.effects(ENSEMBLE, ids, spread)
        assert ens.gcms == ("DEMO-DRY", "DEMO-MID", "DEMO-WET") and ens.ensemble
        for table in ("interventions", "intervention_totals"):
            stack = np.stack([getattr(a, table)["suitable_ha_future"] for a in alone])
            got = getattr(ens, table)
            np.testing.assert_allclose(got["suitable_ha_future"], np.median(stack, 0), atol=0.051)
            # the GCMs' values and the ensemble's are rounded to 0.1 ha: 0.05 each way
            np.testing.assert_allclose(
                got["suitable_ha_lo"], np.percentile(stack, lo_q, 0), atol=0.101
            )
            np.testing.assert_allclose(
                got["suitable_ha_hi"], np.percentile(stack, hi_q, 0), atol=0.101
            )
            np.testing.assert_array_equal(
                got["suitable_ha_base"], getattr(alone[0], table)["suitable_ha_base"]
            )
        for table in ("crops", "crop_totals"):
            got = getattr(ens, table)
            stack = np.stack([getattr(a, table)["potential_future"] for a in alone])
            np.testing.assert_allclose(got["potential_future"], np.median(stack, 0), atol=6e-4)
            np.testing.assert_allclose(
                got["potential_lo"], np.percentile(stack, lo_q, 0), atol=1.01e-3
            )
            months = np.stack([getattr(a, table)["best_month_future"] for a in alone])
            agreeing = (months == got["best_month_future"].to_numpy()[None]).sum(axis=0)
            np.testing.assert_array_equal(got["gcms_agreeing"], agreeing)
    totals = ens.intervention_totals
    assert list(totals["unit_id"]) == [ALL_SELECTED] * len(INTERVENTIONS)
    # the drier GCM widens the sand dams' area (made for deficits), the wetter narrows it
    dams = [a.intervention_totals.set_index("intervention").loc["sand_dams"] for a in alone]
    assert dams[0]["suitable_ha_future"] > dams[0]["suitable_ha_base"]
    assert dams[2]["suitable_ha_future"] < dams[2]["suitable_ha_base"]


def _ecocrop_by_hand(crop: CropConfig, tmin: list, tavg: list, rain: list) -> list[float]:
    """dismo's ecocrop for one cell, month by month in plain Python."""

    def trap(x: float, a: float, b: float, c: float, d: float) -> float:
        if x <= a or x >= d:
            return 0.0
        if x < b:
            return (x - a) / (b - a)
        return 1.0 if x <= c else (d - x) / (d - c)

    n = season_months(crop_params(crop))
    frost = -np.inf if crop.ktmp is None else crop.ktmp

    def month_factor(j: int) -> float:
        season_rain = rain[j - 1] + sum(rain[(j + k) % 12] for k in range(n + 1))
        return min(
            trap(tavg[j], crop.tmin, crop.topmn, crop.topmx, crop.tmax),
            1.0 if tmin[j] - 5.0 > frost else 0.0,
            trap(season_rain, crop.rmin, crop.ropmn, crop.ropmx, crop.rmax),
        )

    return [min(month_factor((m + k) % 12) for k in range(n)) for m in range(12)]


def test_warming_moves_ecocrop_as_its_temperature_limits_say(
    engine: SuitabilityEngine, base: CellClimate
) -> None:
    cool = CropConfig.model_validate(
        {"id": "cool", "name": "A cool crop", "tmin": 4, "topmn": 8, "topmx": 14, "tmax": 26,
         "rmin": 200, "ropmn": 300, "ropmx": 3000, "rmax": 6000, "gmin": 90, "gmax": 150}
    )  # fmt: skip
    sorghum = CROPS["sorghum"]  # optimum from 27 degC: the demo's 15-23 degC are too cool
    baseline, future = calendars(base, engine.cells.et0_mm, _own(base, 1.0, 2.0), None)
    step = climate_step(engine.reg)
    clim = {k: sample_climate(c.tmin_c, c.tmax_c, c.rain_mm, step) for k, c in
            (("base", baseline), ("warm", future))}  # fmt: skip
    cell = int(np.argmin(clim["base"].tavg_c.mean(axis=0)))  # the coolest sampled cell
    for crop, up in ((sorghum, True), (cool, False)):
        best = {}
        for k, c in clim.items():
            hand = _ecocrop_by_hand(
                crop, *(list(a[:, cell]) for a in (c.tmin_c, c.tavg_c, c.rain_mm))
            )
            kernel = ecocrop_suitability(crop_params(crop), c.tmin_c, c.tavg_c, c.rain_mm)
            np.testing.assert_allclose(kernel[:, cell], hand, atol=1e-9)
            best[k] = max(hand)
        assert (best["warm"] > best["base"]) == up, crop.id
        # every community's potential moves the same way
        pot = {
            k: climate_suitability(engine, [], [crop], c).potential[0]
            for k, c in (("base", baseline), ("warm", future))
        }
        moved = pot["warm"] - pot["base"]
        assert (moved >= -1e-9).all() if up else (moved <= 1e-9).all()
        assert np.abs(moved).max() > 0.01
        assert crop_monthly(crop, clim["warm"]).shape[0] == 12


def test_a_gcm_is_kept_and_read_back_without_its_files(
    engine: SuitabilityEngine,
    futures: RegionFutures,
    base: CellClimate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    label = "DEMO-MID ssp245 2041-2060"
    crops = [CROPS["beans"]]
    first = FutureSuitability(engine, futures, ["farm_ponds"], crops)
    computed = first.gcm(label)
    assert first.cache_path(label).is_file()
    # another process: the same sums, and the GCM's files are not read
    again = FutureSuitability(engine, futures, ["farm_ponds"], crops)

    def unread(label: str) -> None:
        raise AssertionError(f"{label} read again")

    monkeypatch.setattr(futures, "climate", unread)
    kept = again.gcm(label)
    for got, want in zip(kept, computed, strict=True):
        for name in ClimateSuitability.__dataclass_fields__:
            np.testing.assert_array_equal(getattr(got, name), getattr(want, name))
    # the real DEMO-MID warms and wets the long rains: beans' future differs from the base
    assert not np.array_equal(computed[0].crop_months, computed[1].crop_months)
    # other crops compared: another key
    assert FutureSuitability(engine, futures, ["farm_ponds"]).cache_path(label) != (
        first.cache_path(label)
    )
