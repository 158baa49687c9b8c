"""The portfolio's impacts and limits.

The names and numbers the CLI's parser and the dashboard's form need, without loading the
impact tables (pandas, geopandas, the optimiser).
"""

from __future__ import annotations

from typing import Literal

Impact = Literal["m3", "recharge", "households", "ha"]
IMPACTS: tuple[Impact, ...] = ("m3", "recharge", "households", "ha")
IMPACT_UNITS = {"m3": "m³/yr", "recharge": "m³/yr", "households": "households", "ha": "ha"}
IMPACT_NAMES = {
    "m3": "Water harvested",
    "recharge": "Recharge gained",
    "households": "Households reached",
    "ha": "Hectares S1+S2",
}
DEFAULT_MAX_UNITS = 10  # units of an intervention per community, unless the user says
MAX_UNITS = 100  # cap per community the optimiser accepts (binaries = communities x K)
