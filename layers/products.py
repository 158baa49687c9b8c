"""Known land-cover products and class schemes, and how to turn users' tables into ours.

Each scheme gives, per class, a name, a colour and the hydrologic parameters the water
balance needs: curve numbers by hydrologic soil group (USDA TR-55, 1986, tables 2-2a..d),
a crop coefficient (annual mean; FAO-56 tables 12 and 17 and their notes) and a rooting
depth (FAO-56 table 22; forests from Canadell et al., 1996). These are planning defaults:
every value can be overridden by a column of the user's own table.

- ``worldcover``: ESA WorldCover 10 m (v100/v200), codes 10..100, official colours.
- ``lc100``: Copernicus Global Land Service LC100 discrete classification, codes 0..200;
  0 (unknown) is nodata.
- ``generic``: a simple 8-class scheme (1 cropland .. 8 bare), the demo's.
- ``swat``: SWAT land-use codes (AGRL, PAST, FRST, WATR, ...), matched by name, for tables
  such as Robit's ``LANDUSE_ID,SWAT_CODE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.vegetation import VEG_COLUMN

COLUMNS = ["code", "name", "colour", "cn_a", "cn_b", "cn_c", "cn_d", "kc", "root_depth_m"]


@dataclass(frozen=True)
class Cover:
    """Hydrologic parameters of one kind of cover.

    ``vegetated`` is InVEST's ``lulc_veg``: False for wetland, water, built-up, bare ground,
    snow and ice (:mod:`layers.vegetation`).
    """

    cn: tuple[int, int, int, int]  # A, B, C, D
    kc: float
    root_depth_m: float
    vegetated: bool = True


# TR-55 rows (table 2-2): the source of each curve-number quadruple
CROPLAND = Cover((67, 78, 85, 89), 0.80, 1.0)  # row crops, straight row, good
GRASSLAND = Cover((39, 61, 74, 80), 0.75, 0.8)  # pasture, good
HERBACEOUS = Cover((49, 69, 79, 84), 0.75, 0.8)  # pasture, fair
SHRUBLAND = Cover((35, 56, 70, 77), 0.70, 1.5)  # brush, fair
FOREST = Cover((30, 55, 70, 77), 1.00, 2.5)  # woods, good
OPEN_FOREST = Cover((36, 60, 73, 79), 0.95, 2.0)  # woods, fair
# residential 1/8 acre (65 % impervious)
BUILT = Cover((77, 85, 90, 92), 0.30, 0.3, vegetated=False)
BARE = Cover((77, 86, 91, 94), 0.30, 0.2, vegetated=False)  # fallow, bare soil
WATER = Cover((98, 98, 98, 98), 1.05, 0.0, vegetated=False)  # impervious / open water
WETLAND = Cover((78, 78, 78, 78), 1.10, 0.5, vegetated=False)  # saturated soils
SNOW = Cover((98, 98, 98, 98), 0.50, 0.0, vegetated=False)
MOSS = Cover((49, 69, 79, 84), 0.60, 0.2)

WORLDCOVER: list[tuple[int, str, str, Cover]] = [
    (10, "Tree cover", "#006400", FOREST),
    (20, "Shrubland", "#ffbb22", SHRUBLAND),
    (30, "Grassland", "#ffff4c", GRASSLAND),
    (40, "Cropland", "#f096ff", CROPLAND),
    (50, "Built-up", "#fa0000", BUILT),
    (60, "Bare / sparse vegetation", "#b4b4b4", BARE),
    (70, "Snow and ice", "#f0f0f0", SNOW),
    (80, "Permanent water bodies", "#0064c8", WATER),
    (90, "Herbaceous wetland", "#0096a0", WETLAND),
    (95, "Mangroves", "#00cf75", WETLAND),
    (100, "Moss and lichen", "#fae6a0", MOSS),
]
LC100: list[tuple[int, str, str, Cover]] = [
    (20, "Shrubs", "#ffbb22", SHRUBLAND),
    (30, "Herbaceous vegetation", "#ffff4c", HERBACEOUS),
    (40, "Cropland", "#f096ff", CROPLAND),
    (50, "Urban / built up", "#fa0000", BUILT),
    (60, "Bare / sparse vegetation", "#b4b4b4", BARE),
    (70, "Snow and ice", "#f0f0f0", SNOW),
    (80, "Permanent water bodies", "#0032c8", WATER),
    (90, "Herbaceous wetland", "#0096a0", WETLAND),
    (100, "Moss and lichen", "#fae6a0", MOSS),
    (111, "Closed forest, evergreen needle leaf", "#58481f", FOREST),
    (112, "Closed forest, evergreen broad leaf", "#009900", FOREST),
    (113, "Closed forest, deciduous needle leaf", "#70663e", FOREST),
    (114, "Closed forest, deciduous broad leaf", "#00cc00", FOREST),
    (115, "Closed forest, mixed", "#4e751f", FOREST),
    (116, "Closed forest, other", "#007800", FOREST),
    (121, "Open forest, evergreen needle leaf", "#666000", OPEN_FOREST),
    (122, "Open forest, evergreen broad leaf", "#8db400", OPEN_FOREST),
    (123, "Open forest, deciduous needle leaf", "#8d7400", OPEN_FOREST),
    (124, "Open forest, deciduous broad leaf", "#a0dc00", OPEN_FOREST),
    (125, "Open forest, mixed", "#929900", OPEN_FOREST),
    (126, "Open forest, other", "#648c00", OPEN_FOREST),
    (200, "Open sea", "#000080", WATER),
]
# land-use colours that stay apart (CIEDE2000 >= 10 for every pair) in normal vision and
# under protanopia and deuteranopia (Machado et al. 2009): tests/layers/test_class_colours.py
LAND_USE_PALETTE = {
    "Cropland": "#ead04d",
    "Grassland": "#a6dfa8",
    "Shrubland": "#c09d59",
    "Forest": "#1d7c58",
    "Wetland": "#6eabc9",
    "Open water": "#2b6cb0",
    "Built-up": "#ac3f1e",
    "Bare rock and soil": "#bdbdbd",
}
GENERIC: list[tuple[int, str, str, Cover]] = [
    (code, name, LAND_USE_PALETTE[name], cover)
    for code, name, cover in [
        (1, "Cropland", CROPLAND),
        (2, "Grassland", GRASSLAND),
        (3, "Shrubland", SHRUBLAND),
        (4, "Forest", FOREST),
        (5, "Wetland", WETLAND),
        (6, "Open water", WATER),
        (7, "Built-up", BUILT),
        (8, "Bare rock and soil", BARE),
    ]
]
# SWAT land-use codes (SWAT 2012 crop and urban databases), matched by name
SWAT: dict[str, tuple[str, str, Cover]] = {
    "AGRL": ("Agricultural land, generic", "#e6c84f", CROPLAND),
    "AGRR": ("Agricultural land, row crops", "#e6c84f", CROPLAND),
    "AGRC": ("Agricultural land, close-grown", "#d9b84a", Cover((63, 75, 83, 87), 0.85, 1.0)),
    "PAST": ("Pasture", "#a6d96a", HERBACEOUS),
    "RNGE": ("Range, grasses", "#c7e9a0", HERBACEOUS),
    "RNGB": ("Range, brush", "#c2a35a", SHRUBLAND),
    "FRST": ("Forest, mixed", "#1a7a3a", OPEN_FOREST),
    "FRSE": ("Forest, evergreen", "#0b5d2a", FOREST),
    "FRSD": ("Forest, deciduous", "#3f9b4d", FOREST),
    "WETL": ("Wetland, mixed", "#6fc3c9", WETLAND),
    "WETF": ("Wetland, forested", "#4fa8a0", WETLAND),
    "WETN": ("Wetland, non-forested", "#8fd3d0", WETLAND),
    "WATR": ("Water", "#2b6cb0", WATER),
    "URBN": ("Residential", "#b0413e", BUILT),
    "URMD": ("Residential, medium density", "#b0413e", BUILT),
    "BARR": ("Barren", "#bdbdbd", BARE),
}
SCHEMES = {"worldcover": WORLDCOVER, "lc100": LC100, "generic": GENERIC}
PRODUCT_NODATA = {"worldcover": 0, "lc100": 0}
# classes with no known colour take the palette's colours that the table does not use yet
FALLBACK_COLOURS = tuple(LAND_USE_PALETTE.values())


def _rows(entries: list[tuple[int, str, str, Cover]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (code, name, colour, *c.cn, c.kc, c.root_depth_m, int(c.vegetated))
            for code, name, colour, c in entries
        ],
        columns=[*COLUMNS, VEG_COLUMN],
    )


def product_table(product: str) -> pd.DataFrame:
    """The class table of a known product or scheme (``worldcover``, ``lc100``, ``generic``).

    Raises
    ------
    KeyError
        Unknown product, naming the known ones.
    """
    if product not in SCHEMES:
        raise KeyError(f"unknown land-cover product '{product}'; known: {', '.join(SCHEMES)}")
    return _rows(SCHEMES[product])


def _cover_for(name: str) -> tuple[str, str, Cover] | None:
    """The SWAT or generic entry a class name refers to (``AGRL``, ``Cropland``, ...)."""
    key = str(name).strip()
    if key.upper() in SWAT:
        return SWAT[key.upper()]
    for _code, label, colour, cover in GENERIC + WORLDCOVER + LC100:
        if label.lower() == key.lower():
            return label, colour, cover
    return None


# Class names read by keyword when a user's table lacks curve numbers, Kc or root depth
# (InVEST's annual-water-yield table has no curve numbers). A keyword is a whole word of the
# name (a plural too); one ending in "*" is a word start. The first rule that fits decides.
# Curve numbers: USDA TR-55 (1986) table 2-2, the cover type named; Kc and root depth as the
# scheme covers above (FAO-56 tables 12, 17, 22).
ORCHARD = Cover((43, 65, 76, 82), 0.95, 1.5)  # woods-grass combination (orchard), fair
DIRT_ROAD = Cover((72, 82, 87, 89), 0.30, 0.2, vegetated=False)  # streets and roads: dirt
PAVED = Cover((98, 98, 98, 98), 0.20, 0.0, vegetated=False)  # paved lots, roofs, driveways
KEYWORD_COVERS: list[tuple[tuple[str, ...], str, Cover]] = [
    (("agroforest*", "orchard*", "coffee", "tea", "cocoa", "cacao", "banana*", "fruit*"),
     "woods-grass combination (orchard or tree farm), fair", ORCHARD),
    (("unpaved", "dirt", "gravel", "track", "earth"), "streets and roads: dirt", DIRT_ROAD),
    (("paved", "sealed", "asphalt", "impervious", "roof*", "parking", "road*"),
     "paved parking lots, roofs, driveways", PAVED),
    (("urban", "built*", "settlement*", "residential", "city", "town", "village",
      "industrial", "commercial", "homestead*"),
     "residential districts by average lot size, 1/8 acre (65 % impervious)", BUILT),
    (("wetland*", "marsh*", "swamp*", "bog", "papyrus", "mangrove*"),
     "wetland, saturated soils (as CN 78)", WETLAND),
    (("water", "river", "lake", "reservoir", "dam", "pond", "sea", "ocean"),
     "water surfaces (as impervious, CN 98)", WATER),
    (("forest*", "wood*", "tree*", "plantation*", "eucalypt*", "pine*", "bamboo"),
     "woods, good", FOREST),
    (("shrub*", "bush*", "scrub*", "thicket*", "brush*"), "brush, fair", SHRUBLAND),
    (("grass*", "pasture*", "grazing", "meadow*", "range*", "rangeland", "savanna*",
      "herbaceous"), "pasture, grassland or range, fair", HERBACEOUS),
    (("crop*", "agricultur*", "farm*", "cultivat*", "maize", "cereal*", "arable",
      "irrigat*", "horticult*", "field*"), "row crops, straight row, good", CROPLAND),
    (("bare", "rock*", "sand*", "barren", "fallow"), "fallow, bare soil", BARE),
    (("snow", "ice", "glacier*"), "snow and ice (as impervious, CN 98)", SNOW),
]  # fmt: skip
CN_COLUMNS = ("cn_a", "cn_b", "cn_c", "cn_d")


def keyword_cover(name: str) -> tuple[str, str, Cover] | None:
    """``(keyword, TR-55 cover type, Cover)`` of the first rule a class name fits, or None."""
    words = re.findall(r"[a-z]+", str(name).lower())
    for keywords, tr55, cover in KEYWORD_COVERS:
        for kw in keywords:
            stem = kw.rstrip("*")
            if any(
                w.startswith(stem) if kw.endswith("*") else w in (kw, kw + "s", kw + "es")
                for w in words
            ):
                return kw, tr55, cover
    return None


@dataclass(frozen=True)
class ClassTable:
    """A completed land-use class table and what was filled in it, one line per class."""

    table: pd.DataFrame
    filled: list[str]


def user_class_table(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Turn one or more users' land-use tables into a landwater class table.

    See :func:`complete_class_table`; this returns the table only.
    """
    return complete_class_table(tables).table


def complete_class_table(tables: list[pd.DataFrame]) -> ClassTable:
    """Turn one or more users' land-use tables into a landwater class table, reporting fills.

    Recognised columns (case-insensitive): the code as ``code``, ``lucode``, ``value``,
    ``landuse_id`` or ``id``; the name as ``name``, ``description``, ``lulc_desc``,
    ``lulc_name``, ``swat_code`` or ``class``; ``CN_A..CN_D``; ``kc`` or InVEST's monthly
    ``Kc_1..Kc_12`` (their mean is used); ``root_depth_m`` or InVEST's ``root_depth`` in mm;
    InVEST's ``LULC_veg``; ``colour``/``color``. Several tables are joined on the code (e.g.
    InVEST's seasonal and annual biophysical tables; a column found in several tables is
    taken from the first). Values still missing come from the class's name: a SWAT code or
    a known class name first, else a keyword of :data:`KEYWORD_COVERS` (TR-55 curve numbers:
    an InVEST annual-water-yield table alone has none); every value filled is reported.
    What is still missing is an error, except ``lulc_veg``: the table keeps it only when
    every class has it (else the name rule of :mod:`layers.vegetation` applies).

    Raises
    ------
    ValueError
        Naming the classes that cannot be completed, their missing columns and the fix.
    """
    merged: pd.DataFrame | None = None
    for raw in tables:
        df = _normalise(raw)
        if merged is None:
            merged = df
        else:
            new = [c for c in df.columns if c not in merged.columns or c == "code"]
            merged = merged.merge(df[new], on="code", how="left")
    if merged is None:
        raise ValueError("no land-use table given")
    records = [{str(k): v for k, v in r.items()} for r in merged.to_dict("records")]
    missing_rows: list[str] = []
    filled: list[str] = []
    uncoloured: list[dict[str, object]] = []
    for rec in records:
        name = str(rec["name"])
        entry = _cover_for(name)
        defaults: dict[str, object] = {}
        if entry is None and _missing(rec.get("colour")):
            uncoloured.append(rec)
        origin = ""
        if entry is not None:
            label, colour, cover = entry
            defaults = {"colour": colour, "kc": cover.kc, "root_depth_m": cover.root_depth_m}
            defaults[VEG_COLUMN] = int(cover.vegetated)
            defaults |= dict(zip(CN_COLUMNS, cover.cn, strict=True))
            origin = f"the known class '{label}'"
            if name.upper() in SWAT:
                rec["name"] = f"{label} ({name.upper()})"
        elif (found := keyword_cover(name)) is not None:
            keyword, tr55, cover = found
            defaults = {"kc": cover.kc, "root_depth_m": cover.root_depth_m}
            defaults |= dict(zip(CN_COLUMNS, cover.cn, strict=True))
            origin = f"the word '{keyword}': TR-55 '{tr55}'"
        took = [k for k in (*CN_COLUMNS, "kc", "root_depth_m") if _missing(rec.get(k))]
        took = [k for k in took if k in defaults]
        for k in [*COLUMNS[2:], VEG_COLUMN]:
            if _missing(rec.get(k)) and k in defaults:
                rec[k] = defaults[k]
        if took:
            filled.append(f"class {rec['code']} ({name}): {_fill_text(rec, took)} from {origin}")
        lacking = [k for k in COLUMNS[3:] if _missing(rec.get(k))]
        if lacking:
            missing_rows.append(f"{rec['code']} ({name}) lacks {_columns_text(lacking)}")
    done = {id(r) for r in uncoloured}
    _fill_colours(uncoloured, {str(r["colour"]).lower() for r in records if id(r) not in done})
    out = pd.DataFrame(records)
    if missing_rows:
        raise ValueError(
            f"no curve numbers, Kc or root depth for class(es) {'; '.join(missing_rows)}: add"
            " those columns (cn_a..cn_d, kc, root_depth_m), or name the classes by a SWAT"
            " code (AGRL, PAST, FRST, ...), a generic class (Cropland, Forest, ...) or words"
            " such as crop, grass, forest, shrub, water, wetland, urban, paved, bare"
        )
    veg = out[VEG_COLUMN] if VEG_COLUMN in out else pd.Series(dtype=float)
    complete = len(veg) == len(out) and not veg.map(_missing).any()
    return ClassTable(out[[*COLUMNS, VEG_COLUMN]] if complete else out[COLUMNS], filled)


def _columns_text(columns: list[str]) -> str:
    cn = [c for c in columns if c in CN_COLUMNS]
    rest = [c for c in columns if c not in CN_COLUMNS]
    head = ["cn_a..cn_d" if len(cn) == 4 else ", ".join(cn)] if cn else []
    return ", ".join(head + rest)


def _fill_text(rec: dict[str, object], columns: list[str]) -> str:
    cn = [c for c in columns if c in CN_COLUMNS]
    parts = []
    if cn:
        parts.append(f"{_columns_text(cn)} = {'/'.join(f'{rec[c]:g}' for c in cn)}")
    parts += [f"{c} = {rec[c]:g}" for c in columns if c not in CN_COLUMNS]
    return ", ".join(parts)


def _fill_colours(rows: list[dict[str, object]], used: set[str]) -> None:
    """Give ``rows`` fallback colours, the unused ones first, so two classes rarely share one."""
    free = [c for c in FALLBACK_COLOURS if c not in used] or list(FALLBACK_COLOURS)
    for i, rec in enumerate(rows):
        rec["colour"] = free[i % len(free)]


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def _normalise(raw: pd.DataFrame) -> pd.DataFrame:
    """Rename a user's columns to ours; derive kc and root depth in metres."""
    cols = {str(c).strip().lower(): c for c in raw.columns}
    df = pd.DataFrame()
    code = next(
        (cols[k] for k in ("code", "lucode", "value", "landuse_id", "id") if k in cols), None
    )
    if code is None:
        raise ValueError(
            f"land-use table has no code column (code, lucode, value, landuse_id or id);"
            f" it has {list(raw.columns)}"
        )
    df["code"] = pd.to_numeric(raw[code], errors="raise").astype(int)
    names = ("name", "description", "lulc_desc", "lulc_name", "swat_code", "class")
    name = next((cols[k] for k in names if k in cols), None)
    df["name"] = raw[name].astype(str) if name is not None else df["code"].astype(str)
    for k in ("cn_a", "cn_b", "cn_c", "cn_d", "kc", "root_depth_m"):
        if k in cols:
            df[k] = pd.to_numeric(raw[cols[k]], errors="coerce")
    monthly = [cols[f"kc_{m}"] for m in range(1, 13) if f"kc_{m}" in cols]
    if "kc" not in df and len(monthly) == 12:
        df["kc"] = raw[monthly].apply(pd.to_numeric, errors="coerce").mean(axis=1).round(3)
    if "root_depth_m" not in df and "root_depth" in cols:
        df["root_depth_m"] = pd.to_numeric(raw[cols["root_depth"]], errors="coerce") / 1000.0
    if VEG_COLUMN in cols:
        df[VEG_COLUMN] = pd.to_numeric(raw[cols[VEG_COLUMN]], errors="coerce")
    for k in ("colour", "color"):
        if k in cols:
            df["colour"] = raw[cols[k]].astype(str)
    return df
