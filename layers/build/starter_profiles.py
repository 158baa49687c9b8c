"""Starter intervention profiles for a region built by ``landwater init``.

Three common smallholder interventions, written into the new ``region.toml`` so the
designer's workbench works at once; every value is a planning default to review with the
programme's engineers and agronomists. Criteria whose layer the region lacks (slope
without a DEM, soil groups without soils) are left out; land-use exclusions are chosen by
class name (water, wetland, built-up, forest, ...), so they follow any class table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

NO_BUILD = ("water", "wetland", "built", "urban", "residential", "road", "snow", "sea", "mangrove")
WOODED = ("forest", "tree", "mangrove", "plantation", "frst", "frse", "frsd")
BARE = ("bare", "rock", "barren", "sparse", "moss")


def _codes(classes: pd.DataFrame, words: tuple[str, ...]) -> list[int]:
    names = classes["name"].astype(str).str.lower()
    return sorted(
        int(c) for c, n in zip(classes["code"], names, strict=True) if any(w in n for w in words)
    )


def _criterion(
    layer: str, function: str, params: list[float], weight: float, why: str
) -> dict[str, Any]:
    return {
        "layer": layer,
        "function": function,
        "params": params,
        "weight": weight,
        "rationale": why,
    }


def starter_profiles(classes: pd.DataFrame, has_dem: bool, has_soil: bool) -> list[dict[str, Any]]:
    """Farm ponds, terraces and agroforestry profiles that fit the region's layers.

    Parameters
    ----------
    classes : pandas.DataFrame
        The land-use class table (``code``, ``name``).
    has_dem, has_soil : bool
        Whether slope and hydrologic soil groups can be used.
    """
    no_build = _codes(classes, NO_BUILD)
    wooded = _codes(classes, WOODED)
    bare = _codes(classes, BARE)
    ponds = [
        _criterion(
            "runoff_mm_yr",
            "increasing",
            [0, 40],
            3,
            "A pan only fills where the catchment sheds water.",
        ),
        _criterion(
            "rainfall_annual_mm",
            "trapezoid",
            [300, 500, 1200, 1800],
            1,
            "Enough rain to fill it, not so much that other sources abound.",
        ),
    ]
    terraces = [
        _criterion(
            "rainfall_annual_mm", "increasing", [400, 800], 1, "Erosive rain makes terraces pay."
        ),
    ]
    agroforestry = [
        _criterion(
            "rainfall_annual_mm",
            "increasing",
            [500, 900],
            2,
            "Trees need enough rain to establish.",
        ),
        _criterion(
            "deficit_mm_yr",
            "decreasing",
            [200, 600],
            2,
            "Large deficits kill seedlings in the first dry season.",
        ),
    ]
    if has_dem:
        ponds.insert(
            0,
            _criterion(
                "slope_pct", "decreasing", [2, 10], 3, "Gentle land: cheap digging, stable banks."
            ),
        )
        terraces.insert(
            0,
            _criterion(
                "slope_pct",
                "trapezoid",
                [3, 8, 30, 50],
                3,
                "Worth building from moderate slopes; too steep to hold above ~50 %.",
            ),
        )
        agroforestry.append(
            _criterion(
                "slope_pct", "decreasing", [15, 45], 1, "Tree rows are easiest on moderate slopes."
            )
        )
    if has_soil:
        ponds.append(
            _criterion(
                "soil_hsg", "classes", [], 2, "Clayey soils (C-D) lose less water by seepage."
            )
        )
        ponds[-1]["classes"] = {"A": 0.2, "B": 0.6, "C": 0.9, "D": 1.0}
        terraces.append(
            _criterion(
                "awc_mm_per_m",
                "increasing",
                [50, 150],
                1,
                "Deeper water-holding soils repay the work.",
            )
        )
    ponds_cfg: dict[str, Any] = {
        "id": "farm_ponds",
        "name": "Farm ponds / water pans",
        "description": "Starter profile written by landwater init: review before use.",
        "exclude_land_use": sorted(set(no_build + wooded)),
        "water_buffer_m": 60,
        "criteria": ponds,
    }
    if has_dem:
        ponds_cfg["max_slope_pct"] = 12
    return [
        ponds_cfg,
        {
            "id": "terraces",
            "name": "Soil and water conservation terraces",
            "description": "Starter profile written by landwater init: review before use.",
            "exclude_land_use": sorted(set(no_build + wooded + bare)),
            "criteria": terraces,
        },
        {
            "id": "agroforestry",
            "name": "Agroforestry",
            "description": "Starter profile written by landwater init: review before use.",
            "exclude_land_use": sorted(set(no_build + wooded + bare)),
            "criteria": agroforestry,
        },
    ]
