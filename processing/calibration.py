"""Calibrate and validate the monthly water balance against observed streamflow at an outlet.

Model (monthly, lumped over the watershed above the outlet):

- quick flow = the curve-number runoff of the water balance (``processing.kernels.water_balance``),
  on each day of the watershed's mean rain where the region has daily rain (as ``process``);
- recharge = the soil surplus of the Thornthwaite-Mather store;
- baseflow = a linear reservoir fed by recharge: ``S += R; Qb = S (1 - exp(-1/k)); S -= Qb``
  with ``k`` the recession constant in months; the store starts at its steady state for
  the mean recharge of the first year;
- flow = quick flow + baseflow, mm/month over the watershed (m3/s with its area).

Calibrated parameters, each bounded to a physically meaningful range:

=====================  ============  =====================================================
parameter              range         meaning
=====================  ============  =====================================================
``cn_multiplier``      0.75 - 1.25   scales every cell's curve number (clipped to 1..100):
                                     antecedent conditions and table uncertainty (SWAT
                                     practice: CN2 +/- 25 %)
``awc_multiplier``     0.5 - 2.0     scales root-zone storage capacity (AWC x root depth):
                                     soil-survey AWC and rooting-depth uncertainty
``baseflow_k_months``  0.5 - 24      linear-reservoir recession constant (SWAT's ALPHA_BF
                                     of 0.002..0.06 per day is k of 0.5..17 months)
=====================  ============  =====================================================

The search is scipy's differential evolution (seeded, so runs repeat) maximising KGE
(default) or NSE on the calibration period; NSE, KGE and PBIAS are reported for the
calibration and the separate validation period. The parameters are then written to
``[water_balance]`` of ``region.toml`` (comments kept) so every later ``process`` uses them,
and the monthly observed and simulated flows to ``REGION/calibration/``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import tomlkit
from rasterio import features
from scipy.optimize import differential_evolution

from layers.io import atomic_path, replace_folder, write_text
from layers.registry import LayerRegistry
from processing.daily_rain import daily_rain
from processing.daily_runoff import unit_day_means
from processing.grids import cell_inputs
from processing.hru import Hrus, month_rain_days
from processing.kernels.baseflow import linear_reservoir
from processing.kernels.event_depths import EventDepths
from processing.kernels.flow_metrics import kge, nse, pbias
from processing.kernels.runoff import hru_runoff_mm
from processing.kernels.water_balance import thornthwaite_mather
from processing.strip_sums import block_spec
from processing.unit_inputs import unit_means

BOUNDS: dict[str, tuple[float, float]] = {
    "cn_multiplier": (0.75, 1.25),
    "awc_multiplier": (0.5, 2.0),
    "baseflow_k_months": (0.5, 24.0),
}
SECONDS_PER_DAY = 86400.0
Objective = Literal["kge", "nse"]


@dataclass(frozen=True)
class FlowParams:
    """The calibrated parameters (see the module's table)."""

    cn_multiplier: float = 1.0
    awc_multiplier: float = 1.0
    baseflow_k_months: float = 2.0


@dataclass(frozen=True)
class OutletInputs:
    """What the flow model needs for one watershed, before any calibration multiplier."""

    watershed_id: str
    area_m2: float
    months: pd.DatetimeIndex
    rain_mm: np.ndarray  # (months,)
    pet_mm: np.ndarray  # (months,) crop PET, Kc x ET0
    cn_cells: np.ndarray  # (cells,) curve numbers of the cells in the watershed
    capacity_cells_mm: np.ndarray  # (cells,)
    rain_days: np.ndarray  # (months,) rain events of each month of the series
    events: EventDepths
    spinup_years: int
    # with daily rain (the region runs the curve number on the days, as process does): the
    # watershed's mean rain of each day, mm, and the month of each day (0 .. months - 1)
    rain_day_mm: np.ndarray | None = None
    month_of_day: np.ndarray | None = None


def flow_components_mm(
    inputs: OutletInputs, params: FlowParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monthly quick flow, recharge and baseflow (mm) at the outlet, one value per month.

    The numeric core of :func:`simulate_flow`, called by the calibration search on every
    candidate (no table built per run).
    """
    hrus = Hrus.of_cells(np.clip(inputs.cn_cells * params.cn_multiplier, 1.0, 100.0))
    cap = float(np.mean(inputs.capacity_cells_mm * params.awc_multiplier))
    p = inputs.rain_mm[:, None]
    if inputs.rain_day_mm is not None and inputs.month_of_day is not None:
        runoff = hrus.daily_runoff_mm(
            inputs.rain_day_mm[:, None], inputs.month_of_day, inputs.rain_mm.size
        )
    else:
        runoff = hru_runoff_mm(p, hrus.cn, hrus.share, inputs.rain_days, inputs.events)
    wb = thornthwaite_mather(
        p, inputs.pet_mm[:, None], runoff, np.array([cap]), inputs.spinup_years
    )
    base = linear_reservoir(wb.surplus[:, 0], params.baseflow_k_months)
    return wb.runoff[:, 0], wb.surplus[:, 0], base


def simulate_flow(inputs: OutletInputs, params: FlowParams) -> pd.DataFrame:
    """Monthly quick flow, recharge, baseflow and flow (mm) at the outlet.

    Returns
    -------
    pandas.DataFrame
        Indexed by month: ``quick_mm, recharge_mm, baseflow_mm, flow_mm, flow_m3s``.
    """
    quick, recharge, base = flow_components_mm(inputs, params)
    flow = quick + base
    seconds = inputs.months.days_in_month.to_numpy() * SECONDS_PER_DAY
    return pd.DataFrame(
        {
            "quick_mm": quick,
            "recharge_mm": recharge,
            "baseflow_mm": base,
            "flow_mm": flow,
            "flow_m3s": flow / 1000.0 * inputs.area_m2 / seconds,
        },
        index=inputs.months,
    )


def outlet_inputs(reg: LayerRegistry, watershed_id: str) -> OutletInputs:
    """The uncalibrated inputs of one watershed of the region.

    Raises
    ------
    KeyError
        No such watershed (naming the ones there are).
    ValueError
        The rainfall is a climatology (calibration needs a monthly series).
    """
    cfg = reg.region.config
    rain_spec = cfg.layers.rainfall
    if rain_spec.kind != "series" or not rain_spec.start:
        raise ValueError(
            "calibration needs a monthly rainfall series (kind = 'series' with start),"
            " not a 12-month climatology"
        )
    units = reg.units("watersheds")
    if units is None:
        raise KeyError("the region has no watersheds layer")
    one = units[units["id"].astype(str) == str(watershed_id)]
    if one.empty:
        known = ", ".join(units["id"].astype(str).head(20))
        raise KeyError(f"unknown watershed '{watershed_id}'; the region has {known}")
    cells = cell_inputs(reg, calibrated=False)
    rain = unit_means(cells.rain_mm, one, reg)[:, 0]
    pet = unit_means(cells.et0_mm * cells.kc[np.newaxis], one, reg)[:, 0]
    inside = features.rasterize(
        [(one.geometry.iloc[0], 1)], out_shape=reg.grid.shape, transform=reg.grid.transform
    ).astype(bool)
    ok = inside & np.isfinite(cells.cn) & np.isfinite(cells.capacity_mm)
    if not ok.any() or not np.isfinite(rain).all() or not np.isfinite(pet).all():
        raise ValueError(f"watershed '{watershed_id}' has cells without rain, ET or land use")
    start = pd.Timestamp(f"{rain_spec.start}-01")
    months = pd.date_range(start, periods=rain.size, freq="MS")
    days = month_rain_days(cfg.water_balance, start.month, rain.size)
    daily = daily_rain(reg)
    rain_day, month_of_day = None, None
    if daily is not None:
        spec = block_spec(reg, {"watersheds": one}, suitability=False)
        means = unit_day_means(spec, reg.grid.height, 0, daily.days, {"watersheds": 1}, None)
        rain_day, month_of_day = means["watersheds"][:, 0], daily.month_index()
    return OutletInputs(
        str(watershed_id),
        float(one.geometry.area.iloc[0]),
        months,
        rain,
        pet,
        cells.cn[ok],
        cells.capacity_mm[ok],
        days,
        cfg.water_balance.rain_event_depths,
        cfg.water_balance.spinup_years,
        rain_day,
        month_of_day,
    )


def read_observed_flow(path: str | Path, units: Literal["m3/s", "mm"], area_m2: float) -> pd.Series:
    """Observed monthly flow as mm/month over the watershed, indexed by month start.

    The CSV has a date column (``date``, ``month`` or the first column; ``1993/1``,
    ``1993-01`` or a full date) and a flow column (``flow``, ``discharge``, ``q`` or the
    second column). Negative values and blanks are missing months.

    Raises
    ------
    ValueError
        Naming the file and the problem.
    """
    path = Path(path)
    try:
        df = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV ({exc})") from exc
    cols = {str(c).strip().lower(): c for c in df.columns}
    if len(df.columns) < 2:
        raise ValueError(f"{path}: needs a date column and a flow column")
    date_col = next((cols[k] for k in ("date", "month", "time") if k in cols), df.columns[0])
    flow_col = next(
        (cols[k] for k in ("flow", "discharge", "q", "flow_m3s", "flow_mm") if k in cols),
        df.columns[1],
    )
    text = df[date_col].astype(str).str.strip().str.replace("/", "-")
    try:
        dates = pd.to_datetime(text, format="%Y-%m")
    except ValueError:
        try:
            dates = pd.to_datetime(text, format="mixed")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}: dates in '{date_col}' are not readable") from exc
    values = pd.to_numeric(df[flow_col], errors="coerce").where(lambda v: v >= 0)
    series = pd.Series(values.to_numpy(), index=dates.dt.to_period("M").dt.to_timestamp())
    if series.index.duplicated().any():
        raise ValueError(f"{path}: several values for one month")
    if units == "mm":
        return series.sort_index()
    seconds = pd.DatetimeIndex(series.index).days_in_month.to_numpy() * SECONDS_PER_DAY
    return (series * seconds / area_m2 * 1000.0).sort_index()


@dataclass(frozen=True)
class PeriodMetrics:
    """Goodness of fit over one period."""

    period: str
    months: int
    nse: float
    kge: float
    pbias_pct: float


@dataclass(frozen=True)
class CalibrationResult:
    """Calibrated parameters, metrics and the monthly series."""

    params: FlowParams
    objective: str
    calibration: PeriodMetrics
    validation: PeriodMetrics
    series: pd.DataFrame  # month, observed_mm, simulated_mm, ..., period
    watershed_id: str
    area_km2: float
    evaluations: int


def _period(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    try:
        lo, hi = (pd.Timestamp(f"{p.strip()}-01") for p in text.split(":"))
    except ValueError as exc:
        raise ValueError(f"period '{text}' must be YYYY-MM:YYYY-MM") from exc
    if hi < lo:
        raise ValueError(f"period '{text}' ends before it starts")
    return lo, hi


def _metrics(label: str, obs: pd.Series, sim: pd.Series) -> PeriodMetrics:
    o, s = obs.to_numpy(dtype=float), sim.to_numpy(dtype=float)
    return PeriodMetrics(label, int(obs.notna().sum()), nse(o, s), kge(o, s), pbias(o, s))


def calibrate(
    inputs: OutletInputs,
    observed_mm: pd.Series,
    calibration_period: str,
    validation_period: str,
    objective: Objective = "kge",
    seed: int = 0,
) -> CalibrationResult:
    """Fit the three parameters on one period and check them on another.

    Parameters
    ----------
    inputs : OutletInputs
        From :func:`outlet_inputs`.
    observed_mm : pandas.Series
        Observed monthly flow, mm/month, indexed by month start.
    calibration_period, validation_period : str
        ``YYYY-MM:YYYY-MM``, inside the simulated months.
    objective : {"kge", "nse"}
        What the search maximises on the calibration period.
    seed : int
        Seed of the differential evolution (same seed, same result).

    Raises
    ------
    ValueError
        A period outside the simulation or with fewer than 6 observed months.
    """
    periods = {}
    for label, text in (("calibration", calibration_period), ("validation", validation_period)):
        lo, hi = _period(text)
        if lo < inputs.months[0] or hi > inputs.months[-1]:
            raise ValueError(
                f"{label} period {text} is outside the rainfall series"
                f" {inputs.months[0]:%Y-%m}..{inputs.months[-1]:%Y-%m}"
            )
        obs = observed_mm.reindex(pd.date_range(lo, hi, freq="MS"))
        if obs.notna().sum() < 6:
            raise ValueError(f"{label} period {text} has fewer than 6 observed months")
        periods[label] = obs
    cal_obs = periods["calibration"]
    score = kge if objective == "kge" else nse
    names = list(BOUNDS)

    # the calibration months' places in the simulated series (all inside it: checked above)
    at = inputs.months.get_indexer(cal_obs.index)
    cal_obs_mm = cal_obs.to_numpy(dtype=float)

    def loss(x: np.ndarray) -> float:
        quick, _, base = flow_components_mm(inputs, FlowParams(*x))
        return 1.0 - score(cal_obs_mm, (quick + base)[at])

    found = differential_evolution(
        loss, [BOUNDS[n] for n in names], seed=seed, tol=1e-7, maxiter=200, polish=True
    )
    params = FlowParams(*(float(v) for v in found.x))
    sim = simulate_flow(inputs, params)
    rows = []
    for label, obs in periods.items():
        part = sim.reindex(obs.index).assign(observed_mm=obs, period=label)
        rows.append(part)
    series = pd.concat(rows).rename_axis("month").reset_index()
    seconds = series["month"].dt.days_in_month * SECONDS_PER_DAY
    series["observed_m3s"] = series["observed_mm"] / 1000.0 * inputs.area_m2 / seconds
    series = series.rename(columns={"flow_mm": "simulated_mm", "flow_m3s": "simulated_m3s"})
    metric = {
        label: _metrics(
            f"{obs.index[0]:%Y-%m}:{obs.index[-1]:%Y-%m}",
            obs,
            sim["flow_mm"].reindex(obs.index),
        )
        for label, obs in periods.items()
    }
    return CalibrationResult(
        params,
        objective,
        metric["calibration"],
        metric["validation"],
        series,
        inputs.watershed_id,
        inputs.area_m2 / 1e6,
        int(found.nfev),
    )


def save_calibration(region_dir: str | Path, result: CalibrationResult, observed: str) -> Path:
    """Write the parameters into ``region.toml`` and the report into ``REGION/calibration/``.

    ``region.toml`` is rewritten atomically with its comments and layout kept; the report
    folder is replaced as a whole. Returns the report folder.
    """
    region_dir = Path(region_dir)
    toml_path = region_dir / "region.toml"
    doc = tomlkit.parse(toml_path.read_text(encoding="utf-8"))
    if "water_balance" not in doc:
        doc.add("water_balance", tomlkit.table())
    wb = doc["water_balance"]
    assert isinstance(wb, tomlkit.items.Table)
    for key, value in asdict(result.params).items():
        wb[key] = round(value, 4)
    wb["cn_multiplier"].comment(
        f"calibrated {dt.date.today()} on watershed {result.watershed_id}, see calibration/"
    )
    report = {
        "watershed_id": result.watershed_id,
        "area_km2": round(result.area_km2, 3),
        "observed": observed,
        "objective": result.objective,
        "params": asdict(result.params),
        "bounds": BOUNDS,
        "calibration": asdict(result.calibration),
        "validation": asdict(result.validation),
        "evaluations": result.evaluations,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    out = region_dir / "calibration"

    def build(tmp: Path) -> None:
        write_text(tmp / "calibration.json", json.dumps(report, indent=2) + "\n")
        table = result.series.assign(month=result.series["month"].dt.strftime("%Y-%m"))
        write_text(tmp / "flow.csv", table.round(4).to_csv(index=False))

    replace_folder(out, build)
    with atomic_path(toml_path) as tmp_path:
        tmp_path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return out


def read_calibration(region_dir: str | Path) -> tuple[dict[str, object], pd.DataFrame] | None:
    """The saved report and monthly flows of a region, or None when never calibrated."""
    folder = Path(region_dir) / "calibration"
    try:
        report = json.loads((folder / "calibration.json").read_text(encoding="utf-8"))
        flows = pd.read_csv(folder / "flow.csv", dtype={"period": str})
    except (OSError, ValueError):
        return None
    return report, flows
