"""Class tables of categorical rasters (land use, soil units).

A land-use table has one row per raster code with ``code, name, colour, cn_a, cn_b, cn_c,
cn_d, kc, root_depth_m`` (curve numbers by hydrologic soil group, crop coefficient, root
depth in metres) and optionally InVEST's ``lulc_veg`` (1 vegetated, 0 not; see
:mod:`layers.vegetation`). A soil table has ``code, name, hsg, awc_mm_per_m`` (hydrologic
soil group A-D, available water capacity in mm of water per m of soil) and optionally
``depth_mm`` (depth to the root-restricting layer, mm; SWAT's ``SOL_ZMX``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import pandas as pd

from layers.errors import LayerReadError

TableKind = Literal["land_use", "soil"]

REQUIRED_COLUMNS: dict[TableKind, list[str]] = {
    "land_use": ["code", "name", "colour", "cn_a", "cn_b", "cn_c", "cn_d", "kc", "root_depth_m"],
    "soil": ["code", "name", "hsg", "awc_mm_per_m"],
}
_RANGES: dict[str, tuple[float, float]] = {
    "cn_a": (1, 100),
    "cn_b": (1, 100),
    "cn_c": (1, 100),
    "cn_d": (1, 100),
    "kc": (0, 2),
    "root_depth_m": (0, 10),
    "awc_mm_per_m": (0, 500),
    "depth_mm": (0, 10_000),
    "lulc_veg": (0, 1),
}
INTEGER_COLUMNS = ("lulc_veg",)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def read_class_table(path: str | Path, kind: TableKind) -> pd.DataFrame:
    """Read and check a class table.

    Parameters
    ----------
    path : str or Path
        CSV file, UTF-8.
    kind : {"land_use", "soil"}
        Which columns are required.

    Returns
    -------
    pandas.DataFrame
        Indexed by integer ``code``.

    Raises
    ------
    LayerReadError
        Naming the file, the offending column or rows, and the fix.

    """
    path = Path(path)
    if not path.exists():
        raise LayerReadError(path, "class table not found", "check class_table in region.toml")
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise LayerReadError(
            path, f"not a readable CSV ({exc})", "save the table as UTF-8 CSV"
        ) from exc
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in df.columns]
    if missing:
        raise LayerReadError(
            path,
            f"{kind} class table lacks column(s) {missing}; it has {list(df.columns)}",
            f"add the columns {REQUIRED_COLUMNS[kind]}",
        )
    codes = pd.to_numeric(df["code"], errors="coerce")
    if codes.isna().any() or (codes % 1 != 0).any():
        raise LayerReadError(
            path, "column 'code' holds non-integer values", "use the raster's integer codes"
        )
    df["code"] = codes.astype(int)
    dup = df["code"][df["code"].duplicated()].unique().tolist()
    if dup:
        raise LayerReadError(path, f"duplicate codes {dup}", "keep one row per raster code")
    for col, (lo, hi) in _RANGES.items():
        if col not in df.columns:
            continue
        values = pd.to_numeric(df[col], errors="coerce")
        outside = values.isna() | (values < lo) | (values > hi)
        if col in INTEGER_COLUMNS:
            outside |= values % 1 != 0
        bad = df["code"][outside].tolist()
        if bad:
            raise LayerReadError(
                path,
                f"column '{col}' is missing or outside {lo}..{hi}"
                + (" or not a whole number" if col in INTEGER_COLUMNS else "")
                + f" for codes {bad}",
                "correct those rows",
            )
        df[col] = values.astype(float)
    if kind == "land_use":
        bad = df["code"][~df["colour"].astype(str).str.match(_COLOUR)].tolist()
        if bad:
            raise LayerReadError(
                path, f"colour is not '#rrggbb' for codes {bad}", "write colours as #rrggbb"
            )
    if kind == "soil":
        df["hsg"] = df["hsg"].astype(str).str.strip().str.upper()
        bad = df["code"][~df["hsg"].isin(["A", "B", "C", "D"])].tolist()
        if bad:
            raise LayerReadError(
                path, f"hsg is not one of A, B, C, D for codes {bad}", "use A, B, C or D"
            )
    return df.set_index("code", drop=False)


def class_key(name: str) -> str:
    """A column-safe key of a class name: ``"Bare rock and soil"`` -> ``"bare_rock_and_soil"``."""
    return "".join(ch if ch.isalnum() else "_" for ch in name.lower()).strip("_")
