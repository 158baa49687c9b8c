"""Units of monthly climate files (CF conventions) converted to the units a region keeps.

Rainfall and ET0 are kept in mm/month, temperatures in degC. A file's declared units
become a factor and an offset per month (a rate per second or per day depends on the days
in the month):

================================  ============================================
declared units                    to mm/month
================================  ============================================
``mm``, ``mm/month``, ``kg m-2``  x 1
``m`` (of water)                  x 1000
``mm/day``, ``mm d-1``            x days in the month
``m/day``, ``m d-1``              x 1000 x days in the month
``kg m-2 s-1``, ``mm/s``          x 86400 x days in the month
================================  ============================================

``K`` (kelvin) becomes degC by subtracting 273.15; ``degC``, ``C``, ``celsius`` are kept.
ERA5-Land's monthly means of accumulated variables are per day although their units
read ``m``: give ``--units rainfall=m/day`` for them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

SECONDS_PER_DAY = 86400.0
KELVIN_AT_0C = 273.15

_DEPTH = {"mm": 1.0, "kg m-2": 1.0, "m": 1000.0, "cm": 10.0}
_PER = {"month": "month", "mon": "month", "day": "day", "d": "day", "s": "s", "second": "s"}
_CELSIUS = {"degc", "c", "celsius", "deg_c", "degrees_c", "degree_c", "degrees celsius", "°c"}
_KELVIN = {"k", "kelvin", "degk", "deg_k", "degrees_k"}


@dataclass(frozen=True)
class Conversion:
    """``value x factor + offset`` per month, and how it was read (for the report)."""

    factors: tuple[float, ...]
    offsets: tuple[float, ...]
    text: str

    @property
    def identity(self) -> bool:
        """True when nothing changes."""
        return all(f == 1.0 for f in self.factors) and not any(self.offsets)


def _normal(units: str) -> str:
    text = units.strip().lower().replace("**", "").replace("^", "")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"kg\s*/\s*m2", "kg m-2", text)
    return text


def _depth_rate(units: str) -> tuple[float, str] | None:
    """``(mm per unit depth, per)`` of a depth or a depth rate, None when not one."""
    text = _normal(units)
    for depth, to_mm in _DEPTH.items():
        if text == depth or text in (f"{depth}/month", f"{depth} month-1", f"{depth} mon-1"):
            return to_mm, "month"
        for per_name, per in _PER.items():
            if text in (f"{depth}/{per_name}", f"{depth} {per_name}-1"):
                return to_mm, per
    return None


def conversion(units: str | None, target: str, months: list[tuple[int, int]]) -> Conversion:
    """How to turn values in ``units`` into ``target`` (``mm/month`` or ``degC``) per month.

    Parameters
    ----------
    units : str or None
        The file's declared units; None or empty: taken as already in ``target``.
    target : str
        ``mm/month`` or ``degC``.
    months : list of (year, month)
        The months of the bands (a climatology: any year, e.g. 2001).

    Raises
    ------
    ValueError
        Units that cannot become ``target``, naming them and the fix.
    """
    n = len(months)
    if not units or not units.strip():
        return Conversion((1.0,) * n, (0.0,) * n, f"no units declared; read as {target}")
    if target == "degC":
        text = _normal(units)
        if text in _CELSIUS:
            return Conversion((1.0,) * n, (0.0,) * n, f"{units} kept")
        if text in _KELVIN:
            return Conversion((1.0,) * n, (-KELVIN_AT_0C,) * n, f"{units} -> degC (- 273.15)")
        raise ValueError(
            f"units {units!r} cannot become degC; give temperatures in K or degC (or override"
            " with --units ROLE=degC)"
        )
    rate = _depth_rate(units)
    if rate is None:
        raise ValueError(
            f"units {units!r} cannot become mm/month; give a depth (mm, m, kg m-2) per month,"
            " per day or per second (or override with --units ROLE=mm/month)"
        )
    to_mm, per = rate
    days = [calendar.monthrange(y, m)[1] for y, m in months]
    if per == "month":
        factors = [to_mm] * n
        how = f"x {to_mm:g}"
    elif per == "day":
        factors = [to_mm * d for d in days]
        how = f"x {to_mm:g} x days in the month"
    else:
        factors = [to_mm * SECONDS_PER_DAY * d for d in days]
        how = f"x {to_mm:g} x 86400 s x days in the month"
    return Conversion(tuple(factors), (0.0,) * n, f"{units} -> mm/month ({how})")
