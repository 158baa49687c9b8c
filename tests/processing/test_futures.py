"""Future climates on the community balance: the delta method against numpy, the ensemble's
median and spread against numpy over GCMs, and a future of +x % rain everywhere against the
uniform +x % scenario."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from processing.future_cache import inputs_key
from processing.futures import (
    RAIN_RATIO_FLOOR_MM,
    CellClimate,
    cell_climate,
    climate_inputs,
    ensemble_result,
    future_rain_mm,
    hargreaves_ratio,
    region_futures,
)
from processing.grids import calendar_climatology
from processing.scenario import (
    VARIABLES,
    ClimateInputs,
    Scenario,
    ScenarioEngine,
    build_scenario_engine,
    run_scenario,
)
from processing.sites import SitePlanner


@given(
    rain=st.floats(0, 500),
    fut=st.floats(0, 500),
    ref=st.floats(0, 500),
)
def test_future_rain_scales_wet_months_and_shifts_dry_ones(
    rain: float, fut: float, ref: float
) -> None:
    got = float(future_rain_mm(np.array(rain), np.array(fut), np.array(ref)))
    if ref >= RAIN_RATIO_FLOOR_MM:
        assert got == pytest.approx(rain * fut / ref)
    else:
        assert got == pytest.approx(max(rain + fut - ref, 0.0))
    assert got >= 0


def test_hargreaves_ratio_by_hand() -> None:
    # Tmin 10, Tmax 24 -> (17 + 17.8) sqrt(14); +2 degC on both -> (19 + 17.8) sqrt(14)
    r = hargreaves_ratio(np.array(10.0), np.array(24.0), np.array(12.0), np.array(26.0))
    assert float(r) == pytest.approx(36.8 / 34.8)
    # a narrower range lowers it: sqrt(12 / 14)
    r = hargreaves_ratio(np.array(10.0), np.array(24.0), np.array(11.0), np.array(23.0))
    assert float(r) == pytest.approx(np.sqrt(12 / 14))


@pytest.fixture(scope="module")
def se(demo_planner: SitePlanner) -> ScenarioEngine:
    return build_scenario_engine(demo_planner.engine)


@pytest.fixture(scope="module")
def base(demo_planner: SitePlanner) -> CellClimate:
    eng = demo_planner.engine
    c = eng.cells
    return cell_climate(eng.reg, c.rain_mm, c.et0_mm * c.kc[np.newaxis], c.first_month)


def _own_climate(base: CellClimate) -> dict[str, np.ndarray]:
    assert base.tmin_c is not None and base.tmax_c is not None
    return {
        "prec": calendar_climatology(base.rain_mm, base.first_month),
        "tmin": base.tmin_c,
        "tmax": base.tmax_c,
    }


def test_delta_method_matches_numpy_per_community(
    se: ScenarioEngine, base: CellClimate, demo_planner: SitePlanner
) -> None:
    own = _own_climate(base)
    rng = np.random.default_rng(3)
    rain_factor = rng.uniform(0.6, 1.4, size=(12, 1, 1))
    warm = rng.uniform(0.5, 3.0, size=(12, 1, 1))
    # a reference 10 % wetter and 1 degC cooler than the region: the product's own bias
    ref = {"prec": own["prec"] * 1.1, "tmin": own["tmin"] - 1.0, "tmax": own["tmax"] - 1.0}
    fut = {
        "prec": ref["prec"] * rain_factor,
        "tmin": ref["tmin"] + warm,
        "tmax": ref["tmax"] + warm + 0.5,
    }
    got = climate_inputs(se, base, fut, ref, "test")
    grids = demo_planner.engine.labels["communities"].grids
    kc_et0 = base.pet_mm
    for u in (0, 17, 55):
        cells = np.zeros(grids[0].shape, bool)
        for g in grids:
            cells |= g == u + 1
        cells &= np.isfinite(kc_et0).all(axis=0) & np.isfinite(base.rain_mm).all(axis=0)
        cells &= np.isfinite(demo_planner.engine.cells.cn)
        # independent: the future rain is rain x factor; temperatures shift by the deltas
        rain_expected = (base.rain_mm[:, cells] * rain_factor[:, :, 0]).mean(axis=1)
        tmin, tmax = own["tmin"][:, cells], own["tmax"][:, cells]
        t_new_min, t_new_max = tmin + warm[:, :, 0], tmax + warm[:, :, 0] + 0.5
        old = ((tmin + tmax) / 2 + 17.8) * np.sqrt(tmax - tmin)
        new = ((t_new_min + t_new_max) / 2 + 17.8) * np.sqrt(t_new_max - t_new_min)
        pet_expected = (kc_et0[:, cells] * new / old).mean(axis=1)
        np.testing.assert_allclose(got.rain[:, u], rain_expected, rtol=1e-5)
        np.testing.assert_allclose(got.pet_factor[:, u] * se.pet[:, u], pet_expected, rtol=1e-5)


def test_a_future_of_plus_x_pct_rain_equals_the_uniform_scenario(
    se: ScenarioEngine, base: CellClimate
) -> None:
    own = _own_climate(base)
    fut = {**own, "prec": own["prec"] * 1.12}
    climate = climate_inputs(se, base, fut, None, "plus 12 %")
    by_future = run_scenario(se, Scenario(future="plus 12 %"), climate).table
    uniform = run_scenario(se, Scenario(rain_pct=12)).table
    for v in VARIABLES:
        np.testing.assert_allclose(
            by_future[f"{v}_scen_mm_yr"], uniform[f"{v}_scen_mm_yr"], atol=0.11
        )
    assert (uniform["rain_delta_mm_yr"] > 0).all()


def test_ensemble_median_and_spread_match_numpy_over_gcms(se: ScenarioEngine) -> None:
    results = []
    for pct, pet_factor in ((-20, 1.12), (5, 1.03), (15, 1.06), (30, 1.09)):
        climate = ClimateInputs(
            str(pct), se.rain * (1 + pct / 100), np.full_like(se.pet, pet_factor)
        )
        results.append(run_scenario(se, Scenario(future=str(pct)), climate))
    for spread, (lo_q, hi_q) in (("min-max", (0, 100)), ("10-90", (10, 90))):
        ens = ensemble_result(results, ["a", "b", "c", "d"], spread)
        assert ens.members == ("a", "b", "c", "d")
        for v in ("rain", "recharge", "deficit"):
            stack = np.stack([r.table[f"{v}_scen_mm_yr"].to_numpy() for r in results])
            np.testing.assert_allclose(ens.table[f"{v}_scen_mm_yr"], np.median(stack, axis=0))
            np.testing.assert_allclose(
                ens.table[f"{v}_scen_lo_mm_yr"], np.percentile(stack, lo_q, axis=0), atol=0.051
            )
            np.testing.assert_allclose(
                ens.table[f"{v}_scen_hi_mm_yr"], np.percentile(stack, hi_q, axis=0), atol=0.051
            )
        months = np.stack([r.monthly["scenario_m3"].to_numpy() for r in results])
        np.testing.assert_allclose(ens.monthly["scenario_lo_m3"], np.percentile(months, lo_q, 0))
        total = [r.totals["recharge_change_m3_yr"] for r in results]
        assert ens.totals["recharge_change_m3_yr"] == pytest.approx(float(np.median(total)))
        # the count of communities is every GCM's, still a whole number ("108", not "108.0")
        assert repr(ens.totals["communities"]) == repr(results[0].totals["communities"])


def test_the_demo_futures_are_named_and_an_unknown_one_is_refused(
    se: ScenarioEngine, base: CellClimate, demo_planner: SitePlanner
) -> None:
    futures = region_futures(demo_planner.engine.reg, se, base)
    assert futures.labels == [
        "ensemble ssp245 2041-2060",
        "DEMO-DRY ssp245 2041-2060",
        "DEMO-MID ssp245 2041-2060",
        "DEMO-WET ssp245 2041-2060",
    ]
    assert futures.groups["ensemble ssp245 2041-2060"] == futures.labels[1:]
    with pytest.raises(ValueError, match=r"unknown future climate .X ssp1 2000-2001..*DEMO-DRY"):
        futures.run(Scenario(future="X ssp1 2000-2001"))
    with pytest.raises(ValueError, match="replaces the uniform rain"):
        Scenario(future=futures.labels[0], rain_pct=5)


def test_kept_inputs_are_the_computed_ones_and_any_change_gives_another_key(
    se: ScenarioEngine,
    base: CellClimate,
    demo_planner: SitePlanner,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A future's community inputs read back from the region's cache equal the delta method
    run afresh, bit for bit; a touched file or another baseline is another key; a cache that
    cannot be written still gives the inputs (and a warning)."""
    reg = demo_planner.engine.reg
    label = "DEMO-WET ssp245 2041-2060"
    first = region_futures(reg, se, base)
    fc, _ = first.climates[label]
    first.inputs(label)  # computed here, or by the demo build or another worker
    assert first.cache_path(label).is_file()
    assert first.cache_path(label).parent == reg.region.cache_dir / "futures"
    with mock.patch("processing.futures.climate_inputs", side_effect=AssertionError("again")):
        kept = region_futures(reg, se, base).inputs(label)  # read back, not computed
    fresh = climate_inputs(se, base, fc.read(reg.grid), None, label)
    np.testing.assert_array_equal(kept.rain, fresh.rain)
    np.testing.assert_array_equal(kept.pet_factor, fresh.pet_factor)

    files = [tmp_path / p.name for p in fc.paths]
    for src, dst in zip(fc.paths, files, strict=True):
        shutil.copy2(src, dst)
    key = inputs_key(label, files, "region", se)
    assert key == inputs_key(label, files, "region", se)
    os.utime(files[1], ns=(files[1].stat().st_atime_ns, files[1].stat().st_mtime_ns + 10**9))
    assert inputs_key(label, files, "region", se) != key
    wetter = dataclasses.replace(se, rain=se.rain * 1.01)
    assert inputs_key(label, files, "region", wetter) != inputs_key(label, files, "region", se)
    assert inputs_key(label, files, "other region", se) != inputs_key(label, files, "region", se)

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with (
        mock.patch("processing.futures.cache_file", lambda *_: blocked / "x" / "k.npz"),
        caplog.at_level(logging.WARNING, "processing.future_cache"),
    ):
        again = region_futures(reg, se, base).inputs(label)
    np.testing.assert_array_equal(again.rain, fresh.rain)
    assert f"future climate {label} not kept" in caplog.text
