"""The map of a change is centred on zero: one hue per sign, whatever the range of values.

The hue of each colour is measured (colorsys), not looked up in the palette: losses must be
orange (hue 20-45 degrees), gains purple (hue 230-290 degrees).
"""

from __future__ import annotations

import colorsys

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.indicators import hideout, scenario_indicator

INDICATOR = scenario_indicator("recharge", "warming")


def _hue_deg(colour: str) -> tuple[float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, _l, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, s


def _kind(colour: str) -> str:
    hue, saturation = _hue_deg(colour)
    if saturation < 0.05:
        return "neutral"
    if 20 <= hue <= 45:
        return "loss"
    if 230 <= hue <= 290:
        return "gain"
    return f"other hue {hue:.0f}"


def _colours_by_community(values: np.ndarray) -> list[str]:
    ids = [f"C{i:03d}" for i in range(len(values))]
    hide = hideout(pd.DataFrame({"id": ids, "scenario_delta": values}), INDICATOR, ids)
    colours = hide["colours"]
    assert isinstance(colours, list)
    return [colours[ord(c) - 48] for c in str(hide["classes"])]


CHANGES = st.floats(-500, 500, allow_nan=False).filter(lambda v: abs(v) > 1e-6)


@given(st.lists(CHANGES, min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_every_community_is_drawn_in_the_hue_of_its_sign(values: list[float]) -> None:
    arr = np.asarray(values)
    for value, colour in zip(arr, _colours_by_community(arr), strict=True):
        assert _kind(colour) == ("loss" if value < 0 else "gain"), (value, colour)


@given(st.lists(st.floats(-500, -1e-3, allow_nan=False), min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_a_negative_only_range_uses_only_the_loss_hue(values: list[float]) -> None:
    hide = hideout(
        pd.DataFrame({"id": [str(i) for i in range(len(values))], "scenario_delta": values}),
        INDICATOR,
        [str(i) for i in range(len(values))],
    )
    colours = hide["colours"]
    assert isinstance(colours, list)
    assert {_kind(c) for c in colours} == {"loss"}


def test_warming_like_range_reads_as_losses_darkest_at_the_largest() -> None:
    values = np.linspace(-40, -0.5, 30)
    colours = _colours_by_community(values)
    assert {_kind(c) for c in colours} == {"loss"}
    lightness = [
        colorsys.rgb_to_hls(*(int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)))[1] for c in colours
    ]
    assert lightness[0] < lightness[-1]  # the largest loss is the darkest


def test_no_change_is_neutral() -> None:
    assert {_kind(c) for c in _colours_by_community(np.zeros(5))} == {"neutral"}
