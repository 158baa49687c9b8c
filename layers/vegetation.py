"""Which land-use classes are vegetated for the annual water yield (InVEST's ``LULC_veg``).

InVEST's biophysical table marks each class 1 when it is vegetated (its evapotranspiration
follows the Budyko/Fu curve with the root zone's plant-available water) and 0 for "all other
classes, including wetlands, urban areas, water bodies" (``AET = min(Kc ET0, P)``;
natcap/invest ``annual_water_yield.py``, column ``lulc_veg``). A land-use table with a
``lulc_veg`` column is followed as it is. Without one, the class name decides: a class is
non-vegetated when its name holds one of :data:`NON_VEGETATED_WORDS` as a word (plurals
too: "Urban and paved roads", "Sealed surfaces", "Herbaceous wetland", "Open water", "Bare
rock"), vegetated otherwise. ``landwater validate`` reports the rule applied to each class.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from layers.errors import Problem

VEG_COLUMN = "lulc_veg"
NON_VEGETATED_WORDS = (
    # water and wetlands (InVEST: wetlands are 0)
    "water",
    "wetland",
    "marsh",
    "swamp",
    "mangrove",
    "lake",
    "river",
    "reservoir",
    "sea",
    "ocean",
    # sealed and built surfaces
    "built",
    "urban",
    "settlement",
    "impervious",
    "sealed",
    "paved",
    "road",
    "artificial",
    # bare ground, snow and ice
    "bare",
    "barren",
    "rock",
    "snow",
    "ice",
    "glacier",
)
_WORD = re.compile(r"\b(" + "|".join(NON_VEGETATED_WORDS) + r")(?:s|es)?\b", re.IGNORECASE)


def name_rule(name: str) -> tuple[bool, str]:
    """Whether a class name says vegetated, and why (the word found, or none)."""
    hit = _WORD.search(str(name))
    if hit is None:
        return True, "vegetated: its name has none of the non-vegetated words"
    return False, f"non-vegetated: its name holds '{hit.group(1).lower()}'"


def vegetation_rules(table: pd.DataFrame) -> pd.DataFrame:
    """Per class: ``vegetated`` (bool) and ``rule`` (what decided it), indexed like ``table``.

    ``table`` is a land-use class table (:func:`layers.classes.read_class_table`): its
    ``lulc_veg`` column when it has one, else :func:`name_rule` on ``name``.
    """
    if VEG_COLUMN in table.columns:
        veg = table[VEG_COLUMN].astype(float) > 0.5
        rule = pd.Series(f"{VEG_COLUMN} column", index=table.index)
        return pd.DataFrame({"vegetated": veg, "rule": rule})
    decided = [name_rule(n) for n in table["name"].astype(str)]
    return pd.DataFrame(
        {"vegetated": [v for v, _ in decided], "rule": [r for _, r in decided]},
        index=table.index,
    )


def vegetation_notes(table: pd.DataFrame, table_path: Path) -> list[Problem]:
    """One note per class on how its vegetation was decided, when the table has no lulc_veg."""
    if VEG_COLUMN in table.columns:
        return []
    rules = vegetation_rules(table)
    return [
        Problem(
            "note",
            "land_use",
            str(table_path),
            f"class {code} '{name}' counts as {rule} (annual water yield)",
            f"add a {VEG_COLUMN} column (1 vegetated; 0 wetland, water, built-up, bare) to decide",
        )
        for code, name, rule in zip(table.index, table["name"], rules["rule"], strict=True)
    ]
