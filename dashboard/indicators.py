"""Community indicators for the choropleth: definitions, quantile classes and colours.

Pure functions of a summary table; the browser receives class limits, colours and one
character per community (its class, in the order of the map's GeoJSON features), never
geometry: 10,000 communities cost 10 KB, not the 250 KB of a value per id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from dashboard.i18n import Translate, number, unit
from processing.glossary import term
from processing.output_spec import units_of

N_CLASSES = 5
# ColorBrewer sequential palettes (colour-blind safe), light to dark
PALETTES = {
    "blues": ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    "oranges": ["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"],
    "greens": ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"],
    "purples": ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"],
    "ylgnbu": ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    "reds_r": ["#a50f15", "#de2d26", "#fb6a4a", "#fcae91", "#fee5d9"],
}
# a change centred on zero, one hue per sign (ColorBrewer PuOr halves, light to dark): a
# class of losses only is never drawn in the gains' hue, whatever the range
LOSS_COLOURS = ["#fee0b6", "#fdb863", "#e66101", "#b35806"]
GAIN_COLOURS = ["#d8daeb", "#b2abd2", "#8073ac", "#542788"]
NO_CHANGE_COLOUR = "#f7f7f7"
DIVERGING = "change"  # the palette name of a change centred on zero
NO_DATA_COLOUR = "#d9d9d9"


@dataclass(frozen=True)
class Indicator:
    """A mappable community indicator: a summary column with its label, units and palette."""

    key: str
    label: str
    column: str
    units: str
    palette: str
    subject: str = ""  # e.g. the intervention's name, shown after the (translated) label

    def title(self, t: Callable[[str], str] = str) -> str:
        """The label in the UI language, with its subject."""
        return f"{t(self.label)}: {self.subject}" if self.subject else t(self.label)


def summary_indicator(key: str, label: str, column: str, palette: str) -> Indicator:
    """An indicator of a summary column, with the column's units from the output spec."""
    return Indicator(key, label, column, units_of(column), palette)


INDICATORS = (
    summary_indicator("rain", "Annual rainfall", "rain_mm_yr", "ylgnbu"),
    summary_indicator("deficit", "Water deficit (PET - AET)", "deficit_mm_yr", "oranges"),
    summary_indicator("runoff", "Surface runoff", "runoff_mm_yr", "blues"),
    summary_indicator("recharge", "Recharge (soil surplus)", "recharge_mm_yr", "purples"),
    summary_indicator("stress", "Water-stress index (AET/PET)", "stress_index", "reds_r"),
    summary_indicator("yield", term("water_yield_mm_yr").label, "water_yield_mm_yr", "blues"),
    summary_indicator("cropland", "Share of cropland", "lu_cropland_pct", "greens"),
)


SUIT_PREFIX, SUIT_SUFFIX, CROP_PREFIX = "suit_", "_score", "crop_"
SCENARIO_KEY = "scenario"
SCENARIO_LABELS = {
    "recharge": "Scenario: change in recharge",
    "runoff": "Scenario: change in runoff",
    "aet": "Scenario: change in actual ET",
    "deficit": "Scenario: change in deficit",
}


COMPARE_KEY = "compare"
COMPARE_LABELS = {
    "change": "Compare: change B - A",
    "a": "Compare: state A",
    "b": "Compare: state B",
}


def compare_indicator(side: str, name: str, units: str) -> Indicator:
    """The map of a comparison: its change (diverging, centred on zero), or state A or B."""
    palette = DIVERGING if side == "change" else "blues"
    label = COMPARE_LABELS.get(side, COMPARE_LABELS["change"])
    return Indicator(COMPARE_KEY, label, "compare_value", units, palette, name)


def scenario_indicator(variable: str, name: str) -> Indicator:
    """The map of a scenario's change of ``variable`` (mm/yr), diverging colours."""
    label = SCENARIO_LABELS.get(variable, SCENARIO_LABELS["recharge"])
    return Indicator(SCENARIO_KEY, label, "scenario_delta", "mm/yr", DIVERGING, name)


def available(
    summary: pd.DataFrame,
    names: Mapping[str, str] | None = None,
    crop_names: Mapping[str, str] | None = None,
) -> list[Indicator]:
    """Indicators whose column exists in the summary table, then one per intervention.

    Parameters
    ----------
    summary : pandas.DataFrame
        The results store's community table.
    names : mapping, optional
        Intervention id -> display name (the id when missing).
    crop_names : mapping, optional
        Crop id -> display name; crops are mapped by their best planting month's score.
    """
    out = [i for i in INDICATORS if i.column in summary.columns]
    for col in summary.columns:
        if col.startswith(SUIT_PREFIX) and col.endswith(SUIT_SUFFIX):
            iv = col[len(SUIT_PREFIX) : -len(SUIT_SUFFIX)]
            subject = (names or {}).get(iv, iv)
            units = units_of(col)
            out.append(Indicator(f"suit_{iv}", "Suitability", col, units, "greens", subject))
    for col in summary.columns:
        if col.startswith(CROP_PREFIX) and col.endswith(SUIT_SUFFIX):
            crop = col[len(CROP_PREFIX) : -len(SUIT_SUFFIX)]
            subject = (crop_names or {}).get(crop, crop)
            units = units_of(col)
            out.append(Indicator(f"crop_{crop}", "Crop suitability", col, units, "greens", subject))
    return out


def quantile_breaks(values: np.ndarray, n_classes: int = N_CLASSES) -> list[float]:
    """Class limits by quantiles: ``n_classes + 1`` increasing values from min to max.

    Repeated limits (many equal values) are dropped, so fewer classes may result.
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return []
    limits = np.unique(np.quantile(v, np.linspace(0, 1, n_classes + 1)))
    if limits.size == 1:
        return [float(limits[0]), float(limits[0])]
    return [float(x) for x in limits]


def class_colours(palette: str, n: int) -> list[str]:
    """``n`` colours spread over a palette."""
    colours = PALETTES[palette]
    idx = np.linspace(0, len(colours) - 1, max(n, 1)).round().astype(int)
    return [colours[i] for i in idx]


def split_at_zero(limits: list[float]) -> list[float]:
    """Class limits with 0 added when they span it, so no class mixes losses and gains."""
    if len(limits) >= 2 and limits[0] < 0 < limits[-1] and 0.0 not in limits:
        return sorted([*limits, 0.0])
    return limits


def change_colours(limits: list[float]) -> list[str]:
    """Colours of classes of a change: losses orange, gains purple, darker further from 0.

    A class's hue follows its sign (a class ending at 0 is a loss, one starting at 0 a
    gain; a class of zeros only is "no change"), its shade the distance of its far end
    from zero relative to the largest change shown.
    """
    if len(limits) < 2:
        return [NO_CHANGE_COLOUR]
    largest = max(abs(limits[0]), abs(limits[-1])) or 1.0
    colours = []
    for lo, hi in pairwise(limits):
        if hi <= 0 and lo < 0:
            ramp, far = LOSS_COLOURS, -lo
        elif lo >= 0 and hi > 0:
            ramp, far = GAIN_COLOURS, hi
        else:
            colours.append(NO_CHANGE_COLOUR)
            continue
        k = int(np.ceil(far / largest * len(ramp))) - 1
        colours.append(ramp[min(max(k, 0), len(ramp) - 1)])
    return colours


def class_indices(values: np.ndarray, limits: list[float]) -> np.ndarray:
    """Class of each value (0 = lowest) for ``limits`` from :func:`quantile_breaks`; -1 = NaN.

    A value equal to an inner limit falls in the class above it; the maximum stays in the top
    class.
    """
    v = np.asarray(values, dtype=np.float64)
    if len(limits) < 2:
        return np.where(np.isfinite(v), 0, -1)
    k = np.searchsorted(np.asarray(limits[1:-1]), v, side="right")
    return np.where(np.isfinite(v), k, -1)


def hideout(
    summary: pd.DataFrame,
    indicator: Indicator,
    order: Sequence[str],
    selected: str | None = None,
) -> dict[str, object]:
    """What the choropleth style function needs: limits, colours and a class per feature.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per community with ``id`` and the indicator's column.
    indicator : Indicator
        The mapped indicator.
    order : sequence of str
        Community ids in the order of the map's GeoJSON features (their ``i`` property).
    selected : str, optional
        Id of the selected community (drawn with a heavy outline).

    Returns
    -------
    dict
        ``limits``, ``colours``, ``nodata``, ``selected`` and ``classes``: one character per
        feature, ``"0"`` to ``"9"`` for the class and ``"-"`` for no data.
    """
    values = pd.to_numeric(summary[indicator.column], errors="coerce")
    limits = quantile_breaks(values.to_numpy())
    if indicator.palette == DIVERGING:
        limits = split_at_zero(limits)
        colours = change_colours(limits)
    else:
        colours = class_colours(indicator.palette, max(len(limits) - 1, 1))
    by_feature = values.set_axis(summary["id"].astype(str)).reindex(list(order))
    classes = class_indices(by_feature.to_numpy(), limits)
    return {
        "limits": limits,
        "colours": colours,
        "classes": "".join("-" if k < 0 else chr(48 + int(k)) for k in classes),
        "nodata": NO_DATA_COLOUR,
        "selected": selected,
    }


def legend_rows(
    limits: list[float], colours: list[str], units: str, t: Translate = str
) -> list[tuple[str, str]]:
    """(colour, label) per class, e.g. ``("#eff3ff", "612 - 845 mm/yr")``, in ``t``'s language."""
    digits = 2 if limits and max(abs(x) for x in limits) < 10 else 0
    rows = []
    for i, colour in enumerate(colours):
        lo, hi = limits[i], limits[i + 1] if i + 1 < len(limits) else limits[i]
        rows.append((colour, f"{number(lo, digits, t)} - {number(hi, digits, t)} {unit(units, t)}"))
    return rows
