"""What ``landwater init`` is given: the options (command line or init TOML), validated.

Also the dating of each monthly and daily input the options name, shared by the build
(:mod:`layers.build.init_region`) and its plan (:mod:`layers.build.init_plan`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from layers.build.per_layer import for_layer, per_layer
from layers.daily_files import DailySource, daily_source
from layers.monthly_files import MonthlySource, monthly_source

# monthly layer roles and the units the region keeps them in
MONTHLY_ROLES = {"rainfall": "mm/month", "tmin": "degC", "tmax": "degC", "et0": "mm/month"}


class InitError(Exception):
    """Bad input to ``landwater init``: names the file or option and the fix."""


class InitSpec(BaseModel):
    """What ``landwater init`` is given (command-line options or an init TOML file)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str
    dem: Path | None = None
    land_use: Path | None = None
    land_use_product: Literal["worldcover", "lc100", "generic"] | None = None
    land_use_table: list[Path] = Field(default_factory=list)
    land_use_class: int | None = None
    rainfall: str | None = None
    rainfall_daily: str | None = None
    tmin: str | None = None
    tmax: str | None = None
    et0: str | None = None
    stations: Path | None = None
    period: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}:\d{4}-\d{2}$")
    rain_days: Path | None = None
    future: list[str] = Field(default_factory=list)  # [[futures]] path: folders or globs
    future_reference: str | None = None
    communities: Path | None = None
    id_field: str | None = None
    name_field: str | None = None
    hex_size_km: float | None = Field(default=None, gt=0)
    area: Path | None = None
    watersheds: list[Path] = Field(default_factory=list)
    watershed_id_field: str | None = None
    outlets: Path | None = None
    streams: Path | None = None
    snap_m: float = Field(default=90.0, ge=0)
    min_watershed_km2: float = Field(default=5.0, gt=0)
    soil: Path | None = None
    soil_table: Path | None = None
    swat_soil_lookup: Path | None = None
    swat_usersoil: Path | None = None
    sites: Path | None = None
    crs: str | None = None
    resolution_m: float = Field(default=30.0, gt=0, le=5000)
    margin_m: float = Field(default=1000.0, ge=0)
    source: dict[str, str] = Field(default_factory=dict)
    licence: dict[str, str] = Field(default_factory=dict)
    date_pattern: dict[str, str] = Field(default_factory=dict)
    start: dict[str, str] = Field(default_factory=dict)
    units: dict[str, str] = Field(default_factory=dict)

    @field_validator("start")
    @classmethod
    def _months(cls, v: dict[str, str]) -> dict[str, str]:
        for month in v.values():
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
                raise ValueError(f"{month!r} is not a month YYYY-MM")
        return v

    @field_validator("source", "licence", "date_pattern", "start", "units", mode="before")
    @classmethod
    def _per_layer(cls, v: object) -> dict[str, str]:
        return per_layer(v, "per-layer option")


def _period(spec: InitSpec) -> tuple[str, str] | None:
    if not spec.period:
        return None
    lo, hi = spec.period.split(":")
    return lo, hi


def _monthly(spec: InitSpec, role: str) -> MonthlySource:
    """The monthly files of ``role`` dated, with the role's --date-pattern and --start."""
    try:
        return monthly_source(
            getattr(spec, role),
            _period(spec),
            for_layer(spec.date_pattern, role),
            for_layer(spec.start, role),
        )
    except ValueError as exc:
        raise InitError(f"--{role.replace('_', '-')}: {exc}") from exc


def _daily(spec_value: str) -> DailySource:
    try:
        return daily_source(spec_value, None)
    except ValueError as exc:
        raise InitError(f"--rainfall-daily: {exc}") from exc
