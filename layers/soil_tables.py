"""Soil class tables from users' soil databases.

A landwater soil table has ``code, name, hsg, awc_mm_per_m`` and optionally ``depth_mm``.
SWAT users have two files: a lookup from raster value to soil name (``SOIL_ID,SNAM``) and
the ``usersoil`` table with the hydrologic group (``HYDGRP``), the depth of the profile
(``SOL_ZMX``, mm: the profile's maximum rooting depth) and, per layer ``k``, the depth of
its bottom (``SOL_Zk``, mm) and its available water capacity (``SOL_AWCk``, mm water per mm
soil).
"""

from __future__ import annotations

import pandas as pd


def swat_awc_mm_per_m(row: pd.Series) -> float:
    """Depth-weighted available water capacity of a SWAT soil, mm of water per m of soil."""
    layers = int(row.get("NLAYERS", 10) or 10)
    top, total = 0.0, 0.0
    for k in range(1, layers + 1):
        bottom = float(row.get(f"SOL_Z{k}", 0) or 0)
        if bottom <= top:
            break
        total += (bottom - top) * float(row.get(f"SOL_AWC{k}", 0) or 0)
        top = bottom
    return 1000.0 * total / top if top > 0 else 0.0


def swat_soil_table(lookup: pd.DataFrame, usersoil: pd.DataFrame) -> pd.DataFrame:
    """A landwater soil table from SWAT's raster lookup and ``usersoil`` tables.

    Parameters
    ----------
    lookup : pandas.DataFrame
        Columns ``SOIL_ID`` (raster value) and ``SNAM`` (soil name).
    usersoil : pandas.DataFrame
        SWAT ``usersoil`` rows: ``SNAM``, ``HYDGRP``, ``NLAYERS``, ``SOL_Zk``, ``SOL_AWCk``.

    Returns
    -------
    pandas.DataFrame
        ``code, name, hsg, awc_mm_per_m, depth_mm`` (``depth_mm``: ``SOL_ZMX``, when
        ``usersoil`` has it); one row per raster value found in ``usersoil``.

    Raises
    ------
    ValueError
        A column is missing, or no raster value has a soil in ``usersoil``.
    """
    for table, need, label in (
        (lookup, ("SOIL_ID", "SNAM"), "soil lookup"),
        (usersoil, ("SNAM", "HYDGRP", "SOL_Z1", "SOL_AWC1"), "usersoil"),
    ):
        missing = [c for c in need if c not in table.columns]
        if missing:
            raise ValueError(f"{label} table lacks column(s) {missing}")
    soils = usersoil.drop_duplicates("SNAM").set_index("SNAM")
    rows = []
    for sid, name in zip(lookup["SOIL_ID"], lookup["SNAM"], strict=True):
        if name not in soils.index:
            continue
        soil = soils.loc[name]
        hsg = str(soil["HYDGRP"]).strip().upper()[:1]
        if hsg not in ("A", "B", "C", "D"):
            raise ValueError(f"usersoil: soil {name} has hydrologic group '{soil['HYDGRP']}'")
        rows.append(
            (int(sid), str(name), hsg, round(swat_awc_mm_per_m(soil), 1), soil.get("SOL_ZMX"))
        )
    if not rows:
        raise ValueError("no SOIL_ID of the lookup has its SNAM in the usersoil table")
    table = pd.DataFrame(rows, columns=["code", "name", "hsg", "awc_mm_per_m", "depth_mm"])
    return table if "SOL_ZMX" in usersoil.columns else table.drop(columns="depth_mm")
