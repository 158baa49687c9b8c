"""Checks of the designer's number fields, reported by the field's label with the fix.

The form's inputs carry no ``min``/``max``: a browser drops an out-of-range number silently
(the server would see an empty field), so every value reaches the server and is checked
here. Every problem is reported at once, as region validation does. The scenario's limits
are read from :class:`processing.scenario.Scenario`, where they are declared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Le

from dashboard.i18n import Translate, number
from processing.scenario import Scenario

MAX_SITES = 200  # sites one suggestion may ask for, and candidates kept in the list


@dataclass(frozen=True)
class NumberField:
    """A number field of a form: its key, its label as shown, and its limits."""

    key: str
    label: str  # the form's English label (translated when shown)
    minimum: float | None = None
    maximum: float | None = None
    above_minimum: bool = False  # the minimum itself is not allowed (a distance > 0)
    integer: bool = False
    required: bool = False


def _bounds(name: str) -> tuple[float | None, float | None]:
    """The (ge, le) limits of a Scenario field."""
    low = high = None
    for rule in Scenario.model_fields[name].metadata:
        if isinstance(rule, Ge):
            low = float(rule.ge)  # type: ignore[arg-type]
        elif isinstance(rule, Le):
            high = float(rule.le)  # type: ignore[arg-type]
    return low, high


def _scenario_field(key: str, label: str, integer: bool = False) -> NumberField:
    low, high = _bounds(key)
    return NumberField(key, label, low, high, integer=integer)


SCENARIO_FIELDS = (
    _scenario_field("rain_pct", "Rainfall change (%)"),
    _scenario_field("warming_c", "Warming (°C)"),
    NumberField("lu_pct", "Share converted (%)", 0, 100),
    _scenario_field("ponds", "Farm ponds per community", integer=True),
    _scenario_field("pond_volume_m3", "Pond volume (m³)"),
    _scenario_field("terraces_ha", "Terraces per community (ha)"),
    _scenario_field("agroforestry_ha", "Agroforestry per community (ha)"),
)
SUGGEST_FIELDS = (
    NumberField("count", "Sites", 1, MAX_SITES, integer=True, required=True),
    NumberField("spacing", "Min. spacing (m)", 0, None, above_minimum=True, required=True),
    NumberField("cap", "Max. per community", 1, None, integer=True),
    NumberField("existing", "Min. distance to existing sites (m)", 0, None),
)
LABELS = {f.key: f.label for f in (*SCENARIO_FIELDS, *SUGGEST_FIELDS)}


def _number(value: float, t: Translate) -> str:
    """``value`` in ``t``'s number format, with the decimals it has (up to ``g``'s six digits)."""
    digits = len(f"{value:g}".partition(".")[2]) if "e" not in f"{value:g}" else 0
    return number(value, 0 if float(value).is_integer() else digits, t)


def _range_text(field: NumberField, t: Translate) -> str:
    """What the field accepts, as the fix of a message ("enter a number from -5 to 8")."""
    kind = t("a whole number") if field.integer else t("a number")
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        return t("enter {kind} from {low} to {high}").format(
            kind=kind, low=_number(low, t), high=_number(high, t)
        )
    if low is not None and field.above_minimum:
        return t("enter {kind} above {low}").format(kind=kind, low=_number(low, t))
    if low is not None:
        return t("enter {kind} of {low} or more").format(kind=kind, low=_number(low, t))
    return t("enter {kind}").format(kind=kind)


def field_problem(field: NumberField, value: Any, t: Translate) -> str | None:
    """The message of one field's value, or None when it is acceptable."""
    label = t(field.label)
    if value is None or value == "":
        if field.required:
            return t("{label}: this field is required; {fix}.").format(
                label=label, fix=_range_text(field, t)
            )
        return None
    try:
        given = float(value)
    except (TypeError, ValueError):
        return t("{label}: not a number; {fix}.").format(label=label, fix=_range_text(field, t))
    low, high = field.minimum, field.maximum
    wrong = (
        not math.isfinite(given)
        or (field.integer and not given.is_integer())
        or (low is not None and (given <= low if field.above_minimum else given < low))
        or (high is not None and given > high)
    )
    if wrong:
        return t("{label}: {value} is not allowed; {fix}.").format(
            label=label, value=_number(given, t), fix=_range_text(field, t)
        )
    return None


def number_problems(
    fields: Sequence[NumberField], form: Mapping[str, Any], t: Translate
) -> list[str]:
    """Every problem of a form's number fields, in the form's order."""
    found = (field_problem(f, form.get(f.key), t) for f in fields)
    return [p for p in found if p]


def _given(value: Any) -> bool:
    return value is not None and value != "" and value != 0


def scenario_problems(form: Mapping[str, Any], t: Translate) -> list[str]:
    """Every problem of the scenario form: each field's range, and fields that go together."""
    problems = number_problems(SCENARIO_FIELDS, form, t)
    if _given(form.get("ponds")) != _given(form.get("pond_volume_m3")):
        missing = "pond_volume_m3" if _given(form.get("ponds")) else "ponds"
        problems.append(
            t("{missing}: required with {other}; enter both, or clear both.").format(
                missing=t(LABELS[missing]),
                other=t(LABELS["ponds" if missing != "ponds" else "pond_volume_m3"]),
            )
        )
    if form.get("future") and (_given(form.get("rain_pct")) or _given(form.get("warming_c"))):
        problems.append(
            t(
                "A future climate replaces the uniform rain and warming change: clear "
                "{rain} and {warming}, or the future climate."
            ).format(rain=t(LABELS["rain_pct"]), warming=t(LABELS["warming_c"]))
        )
    lu = [form.get(k) is not None and form.get(k) != "" for k in ("lu_from", "lu_to", "lu_pct")]
    if any(lu) and not all(lu):
        problems.append(
            t(
                "Convert land use: choose the class to convert, the class it becomes and "
                "the share converted (%), or clear all three."
            )
        )
    return problems


def suggest_problems(form: Mapping[str, Any], t: Translate) -> list[str]:
    """Every problem of the site-suggestion fields (count, spacing, cap, distance)."""
    return number_problems(SUGGEST_FIELDS, form, t)


# the map's and the designer's sliders: (lowest, highest) value each can send
MONTH_RANGE = (0, 12)  # 0 the annual total, 1..12 the months
OPACITY_RANGE = (0.0, 1.0)
WEIGHT_RANGE = (0.0, 10.0)


def slider_value(value: Any, bounds: tuple[float, float], default: float) -> float:
    """A slider's value, or ``default`` when it is not a finite number within ``bounds``.

    A slider sends only values within its range; anything else is a crafted request and
    falls back to the default instead of reaching a tile URL or a computation.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    low, high = bounds
    return float(value) if math.isfinite(value) and low <= value <= high else default
