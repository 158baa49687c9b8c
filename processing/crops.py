"""Built-in EcoCrop parameters and the crops a region uses.

Temperatures (TMIN, TOPMN, TOPMX, TMAX, KTMP) and rainfall limits (RMIN..RMAX, mm per
growing season) are those of the FAO EcoCrop database as distributed with R dismo and used
by Ramirez-Villegas et al. (2013, Plant Genetic Resources 11:1). The growing period
(GMIN..GMAX, days) of the annual crops is narrowed to the cycle of the varieties that
smallholders in East Africa grow (EcoCrop's own range spans every variety in the world,
e.g. 65..365 days for maize); perennials use a 12-month season, so their rain limits are
annual. A region overrides any value by declaring a ``[[crops]]`` entry with the same id.
"""

from __future__ import annotations

from layers.config import CropConfig, RegionConfig
from processing.kernels.ecocrop import CropParams

_FIELDS = (
    "tmin",
    "topmn",
    "topmx",
    "tmax",
    "ktmp",
    "rmin",
    "ropmn",
    "ropmx",
    "rmax",
    "gmin",
    "gmax",
)
_TABLE = {
    # id: (name, TMIN, TOPMN, TOPMX, TMAX, KTMP, RMIN, ROPMN, ROPMX, RMAX, GMIN, GMAX)
    "maize": ("Maize", 10, 18, 33, 47, 0, 400, 600, 1200, 1800, 90, 150),
    "beans": ("Common beans", 7, 16, 25, 32, 0, 300, 500, 2000, 4300, 60, 120),
    "sorghum": ("Sorghum", 8, 27, 35, 40, 0, 300, 500, 1000, 3000, 90, 150),
    "cassava": ("Cassava", 10, 20, 29, 35, 0, 500, 1000, 1500, 5000, 240, 360),
    "finger_millet": ("Finger millet", 11, 18, 27, 35, 0, 400, 500, 1000, 2000, 90, 150),
    "coffee_arabica": ("Arabica coffee", 10, 14, 28, 34, 0, 750, 1400, 2300, 4200, 365, 365),
    "tea": ("Tea", 12, 18, 30, 35, 0, 1000, 1500, 3000, 6000, 365, 365),
}
BUILTIN_CROPS: tuple[CropConfig, ...] = tuple(
    CropConfig.model_validate(
        {"id": key, "name": row[0], **dict(zip(_FIELDS, row[1:], strict=True))}
    )
    for key, row in _TABLE.items()
)


def region_crops(config: RegionConfig) -> list[CropConfig]:
    """The built-in crops, replaced or extended by the region's ``[[crops]]`` (by id)."""
    crops = {c.id: c for c in BUILTIN_CROPS}
    for crop in config.crops:
        crops[crop.id] = crop
    return list(crops.values())


def crop_params(crop: CropConfig) -> CropParams:
    """The kernel's parameters of a configured crop (the same names, without the id)."""
    return CropParams(**crop.model_dump(exclude={"id"}))
