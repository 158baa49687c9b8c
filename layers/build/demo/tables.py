"""Class tables of the demo region, with published-style parameters.

Curve numbers follow USDA TR-55 (1986) table 2-2 for good hydrologic condition; crop
coefficients are FAO-56 style seasonal averages; root depths are typical effective
rooting depths; ``lulc_veg`` follows InVEST (0 for wetland, water, built-up and bare). Soil
available water capacities and depths to the root-restricting layer are typical values per
WRB group.
"""

from __future__ import annotations

import pandas as pd

from layers.products import LAND_USE_PALETTE

LAND_USE_CLASSES = pd.DataFrame(
    [
        # code, name, colour, CN A..D, Kc, root depth m, note
        (
            1,
            "Cropland",
            LAND_USE_PALETTE["Cropland"],
            67,
            78,
            85,
            89,
            0.80,
            1.0,
            1,
            "TR-55 row crops, straight row, good",
        ),
        (
            2,
            "Grassland",
            LAND_USE_PALETTE["Grassland"],
            39,
            61,
            74,
            80,
            0.75,
            0.8,
            1,
            "TR-55 pasture, good",
        ),
        (
            3,
            "Shrubland",
            LAND_USE_PALETTE["Shrubland"],
            35,
            56,
            70,
            77,
            0.70,
            1.5,
            1,
            "TR-55 brush, fair",
        ),
        (
            4,
            "Forest",
            LAND_USE_PALETTE["Forest"],
            30,
            55,
            70,
            77,
            1.00,
            2.5,
            1,
            "TR-55 woods, good",
        ),
        (
            5,
            "Wetland",
            LAND_USE_PALETTE["Wetland"],
            78,
            78,
            78,
            78,
            1.10,
            0.5,
            0,
            "saturated soils",
        ),
        (
            6,
            "Open water",
            LAND_USE_PALETTE["Open water"],
            98,
            98,
            98,
            98,
            1.05,
            0.0,
            0,
            "TR-55 impervious/water",
        ),
        (
            7,
            "Built-up",
            LAND_USE_PALETTE["Built-up"],
            77,
            85,
            90,
            92,
            0.30,
            0.3,
            0,
            "TR-55 residential 1/8 acre",
        ),
        (
            8,
            "Bare rock and soil",
            LAND_USE_PALETTE["Bare rock and soil"],
            77,
            86,
            91,
            94,
            0.30,
            0.2,
            0,
            "TR-55 fallow, bare soil",
        ),
    ],
    columns=[
        "code",
        "name",
        "colour",
        "cn_a",
        "cn_b",
        "cn_c",
        "cn_d",
        "kc",
        "root_depth_m",
        "lulc_veg",
        "note",
    ],
)

# class names in the dashboard's other languages (the dashboard reads name_<lang> columns)
LAND_USE_CLASSES["name_fr"] = [
    "Cultures",
    "Prairie",
    "Brousse",
    "Forêt",
    "Zone humide",
    "Eau libre",
    "Zone bâtie",
    "Roche et sol nus",
]
LAND_USE_CLASSES["name_es"] = [
    "Cultivos",
    "Pastizal",
    "Matorral",
    "Bosque",
    "Humedal",
    "Cuerpos de agua",
    "Zona urbana",
    "Roca y suelo desnudo",
]
LAND_USE_CLASSES["name_sw"] = [
    "Mashamba ya mazao",
    "Nyika ya nyasi",
    "Vichaka",
    "Msitu",
    "Ardhi oevu",
    "Maji ya wazi",
    "Makazi na majengo",
    "Mwamba na udongo tupu",
]

SOIL_CLASSES = pd.DataFrame(
    [
        (1, "Andosols", "A", 180, 2000, "volcanic, deep, well drained"),
        (2, "Nitisols", "B", 150, 2000, "deep red clay, well structured"),
        (3, "Ferralsols", "B", 110, 3000, "highly weathered, low nutrient"),
        (4, "Cambisols", "C", 120, 1000, "young soils on slopes"),
        (5, "Luvisols", "C", 130, 1500, "clay-enriched subsoil"),
        (6, "Vertisols", "D", 160, 1500, "black cracking clay, slow infiltration"),
        (7, "Leptosols", "D", 60, 250, "shallow over rock (WRB: rock within 25 cm)"),
        (8, "Fluvisols", "C", 170, 2000, "alluvial, along rivers"),
    ],
    columns=["code", "name", "hsg", "awc_mm_per_m", "depth_mm", "note"],
)
