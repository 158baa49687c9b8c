"""Station series to monthly fields: aggregation, gaps, lapse rate and IDW."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from affine import Affine
from pyproj import CRS, Transformer

from layers.grid import Grid
from layers.stations import WET_DAY_MM, read_stations, station_field
from processing.kernels.runoff import monthly_runoff_mm, scs_runoff_mm

GRID = Grid(CRS.from_epsg(32637), Affine(1000.0, 0, 300000.0, 0, -1000.0, 1300000.0), 10, 10)


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return Transformer.from_crs(32637, 4326, always_xy=True).transform(x, y)


def _write(tmp: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(tmp / "stations.csv", index=False)
    return tmp / "stations.csv"


def test_daily_rain_gaps_are_filled_and_reported(tmp_path: Path) -> None:
    days = pd.date_range("2000-01-01", "2002-12-31", freq="D")
    rain = pd.Series(2.0, index=days)  # 2 mm every day
    rain[(rain.index.year == 2001) & (rain.index.month == 3)] = np.nan  # a whole month lost
    rain[pd.Timestamp("2000-06-10")] = np.nan  # one day lost: the month is scaled up
    rain = rain.drop(pd.Timestamp("2002-07-04"))  # a missing row is a missing day too
    pd.DataFrame({"date": rain.index.strftime("%Y-%m-%d"), "precip_mm": rain.values}).to_csv(
        tmp_path / "rain.csv", index=False
    )
    lon, lat = _lonlat(305000, 1295000)
    table = _write(
        tmp_path,
        [{"station_id": "A", "lon": lon, "lat": lat, "elevation_m": 1800, "rain_file": "rain.csv"}],
    )
    (st,) = read_stations(table)
    assert st.rain_mm is not None
    assert st.rain_mm["2000-01-01"] == pytest.approx(62.0)
    assert st.rain_mm["2000-06-01"] == pytest.approx(60.0)  # 29 days of 2 mm scaled to 30
    assert st.rain_mm["2002-07-01"] == pytest.approx(62.0)
    assert st.rain_mm["2001-03-01"] == pytest.approx(62.0)  # March of the other years
    assert len(st.gaps) == 1 and "2001-03" in st.gaps[0] and "A rain" in st.gaps[0]
    assert st.wet_days is not None  # 2 mm is a wet day (at least 1 mm)
    assert st.wet_days["2000-01-01"] == 31 and st.wet_days["2000-06-01"] == 29
    assert pd.Timestamp("2001-03-01") not in st.wet_days.index  # no observed day


def test_wet_days_count_days_of_at_least_one_mm(tmp_path: Path) -> None:
    days = pd.date_range("2000-01-01", "2000-12-31", freq="D")
    rain = pd.Series(0.0, index=days)
    rain[days.day <= 10] = 0.9  # drizzle: not wet
    rain[(days.day > 10) & (days.day <= 14)] = 1.0
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "precip_mm": rain.values}).to_csv(
        tmp_path / "rain.csv", index=False
    )
    lon, lat = _lonlat(305000, 1295000)
    table = _write(
        tmp_path,
        [{"station_id": "A", "lon": lon, "lat": lat, "elevation_m": 10, "rain_file": "rain.csv"}],
    )
    (st,) = read_stations(table)
    assert st.wet_days is not None and (st.wet_days == 4).all() and len(st.wet_days) == 12


def test_monthly_series_and_lapse_rate(tmp_path: Path) -> None:
    months = pd.date_range("2010-01-01", periods=24, freq="MS")
    pd.DataFrame({"date": months.strftime("%Y/%m"), "tmin_c": 10.0, "tmax_c": 25.0}).to_csv(
        tmp_path / "t.csv", index=False
    )
    lon, lat = _lonlat(305000, 1295000)
    table = _write(
        tmp_path,
        [
            {
                "station_id": "S",
                "lon": lon,
                "lat": lat,
                "elevation_m": 1500,
                "temperature_file": "t.csv",
            }
        ],
    )
    stations = read_stations(table)
    dem = np.full(GRID.shape, 1500.0)
    dem[0, 0] = 2500.0  # 1 km above the station: 6.5 degC colder
    tmax = station_field(GRID, stations, "tmax_c", months[:12], dem)
    assert tmax.shape == (12, 10, 10)
    assert tmax[0, 5, 5] == pytest.approx(25.0) and tmax[0, 0, 0] == pytest.approx(18.5)
    with pytest.raises(ValueError, match=r"covers 2010-01\.\.2011-12"):
        station_field(GRID, stations, "tmax_c", pd.date_range("2011-06-01", periods=12, freq="MS"))
    with pytest.raises(ValueError, match="no station has rain_mm"):
        station_field(GRID, stations, "rain_mm", months[:12])


def test_inverse_distance_weighting(tmp_path: Path) -> None:
    months = pd.date_range("2010-01-01", periods=12, freq="MS")
    rows = []
    # two stations at the centres of cells (row 4, col 1) and (row 4, col 7)
    for sid, x, value in (("W", 301500, 100.0), ("E", 307500, 40.0)):
        pd.DataFrame({"date": months.strftime("%Y-%m-%d"), "precip_mm": value}).to_csv(
            tmp_path / f"{sid}.csv", index=False
        )
        lon, lat = _lonlat(x, 1295500)
        rows.append(
            {"station_id": sid, "lon": lon, "lat": lat, "elevation_m": 0, "rain_file": f"{sid}.csv"}
        )
    rain = station_field(GRID, read_stations(_write(tmp_path, rows)), "rain_mm", months)
    assert rain[0, 4, 1] == pytest.approx(100.0, abs=1e-3)  # on a station
    assert rain[0, 4, 4] == pytest.approx(70.0, abs=1e-3)  # equidistant: the mean
    # cell (0, 1): 4 km from W, hypot(6, 4) km from E; weights 1/d^2
    w_w, w_e = 1 / 16, 1 / 52
    assert rain[5, 0, 1] == pytest.approx((100 * w_w + 40 * w_e) / (w_w + w_e), rel=1e-4)


def test_station_table_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing column\(s\) \['elevation_m'\]"):
        read_stations(_write(tmp_path, [{"station_id": "A", "lon": 1, "lat": 2}]))
    with pytest.raises(ValueError, match="out of range"):
        read_stations(
            _write(tmp_path, [{"station_id": "A", "lon": 11.6, "lat": 137.4, "elevation_m": 0}])
        )
    pd.DataFrame({"day": ["2000-01-01"], "precip_mm": [1]}).to_csv(tmp_path / "r.csv", index=False)
    with pytest.raises(ValueError, match="no 'date' column"):
        read_stations(
            _write(
                tmp_path,
                [{"station_id": "A", "lon": 37, "lat": 11, "elevation_m": 0, "rain_file": "r.csv"}],
            )
        )


def test_robit_station_monthly_totals(shared_data: Path, tmp_path: Path) -> None:
    robit = shared_data / "robit_ethiopia"
    table = _write(
        tmp_path,
        [
            {
                "station_id": "bdrwgn",
                "lon": 37.38,
                "lat": 11.6,
                "elevation_m": 1770,
                "rain_file": str(robit / "robit_station_daily_precip.csv"),
                "temperature_file": str(robit / "robit_station_daily_temperature.csv"),
            }
        ],
    )
    (st,) = read_stations(table)
    raw = pd.read_csv(robit / "robit_station_daily_precip.csv", parse_dates=["date"])
    yearly = raw.set_index("date")["precip_mm"].resample("YS").sum()
    assert st.rain_mm is not None and st.tmax_c is not None
    got = st.rain_mm.resample("YS").sum()
    np.testing.assert_allclose(got.to_numpy(), yearly.to_numpy(), rtol=1e-9)
    assert st.gaps == [] and 1000 < got.mean() < 1800  # about 1,400 mm/yr (data README)


@pytest.mark.parametrize("cn", [78.0, 85.0])
def test_expected_runoff_of_a_month_follows_the_curve_number_run_on_real_days(
    shared_data: Path, cn: float
) -> None:
    """Robit's daily rain 1990-2013: the curve number run on each day is the truth the
    monthly expectation stands for. Exponential event depths with the month's own wet days
    come within 10 %; equal depths miss most of the runoff."""
    raw = pd.read_csv(shared_data / "robit_ethiopia" / "robit_station_daily_precip.csv")
    daily = raw.set_index(pd.to_datetime(raw["date"]))["precip_mm"].astype(float)
    daily = daily[daily >= 0]
    on_days = float(scs_runoff_mm(daily.to_numpy(), cn).sum())
    month_rain = daily.resample("MS").sum().to_numpy()[:, np.newaxis]
    wet = (daily >= WET_DAY_MM).resample("MS").sum().to_numpy(dtype=float)
    expo = float(monthly_runoff_mm(month_rain, np.array([cn]), wet, "exponential").sum())
    equal = float(monthly_runoff_mm(month_rain, np.array([cn]), wet, "equal").sum())
    assert expo == pytest.approx(on_days, rel=0.10)
    assert equal < 0.5 * on_days
