"""Known land-cover products, users' class tables, SWAT soils and monthly file names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from layers.monthly_files import monthly_source
from layers.products import product_table, user_class_table
from layers.soil_tables import swat_awc_mm_per_m, swat_soil_table


def test_worldcover_and_lc100_tables() -> None:
    wc = product_table("worldcover").set_index("code")
    assert list(wc.index) == [10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100]
    assert wc.loc[40, "name"] == "Cropland" and wc.loc[40, "colour"] == "#f096ff"
    # TR-55 row crops, straight row, good: 67/78/85/89
    assert tuple(wc.loc[40, ["cn_a", "cn_b", "cn_c", "cn_d"]]) == (67, 78, 85, 89)
    lc = product_table("lc100").set_index("code")
    assert 0 not in lc.index  # unknown is nodata
    assert lc.loc[112, "cn_b"] == 55 and lc.loc[124, "cn_b"] == 60  # closed vs open forest
    assert lc.loc[80, "kc"] == 1.05 and lc.loc[80, "root_depth_m"] == 0.0
    with pytest.raises(KeyError, match="known: worldcover, lc100, generic"):
        product_table("modis")
    # InVEST's LULC_veg: 0 for wetlands, urban areas, water bodies
    assert wc["lulc_veg"].to_dict() == {
        10: 1, 20: 1, 30: 1, 40: 1, 50: 0, 60: 0, 70: 0, 80: 0, 90: 0, 95: 0, 100: 1
    }  # fmt: skip
    assert lc.loc[[80, 90, 50, 200], "lulc_veg"].eq(0).all() and lc.loc[112, "lulc_veg"] == 1


def test_swat_codes_fill_a_users_table_and_user_values_win() -> None:
    robit = pd.DataFrame(
        {"LANDUSE_ID": [1, 2, 3, 4], "SWAT_CODE": ["WATR", "AGRL", "PAST", "FRST"]}
    )
    t = user_class_table([robit]).set_index("code")
    assert t.loc[2, "name"] == "Agricultural land, generic (AGRL)"
    assert tuple(t.loc[2, ["cn_a", "cn_b", "cn_c", "cn_d"]]) == (67, 78, 85, 89)
    assert t.loc[1, "cn_d"] == 98 and t.loc[4, "root_depth_m"] == 2.0
    own = robit.assign(CN_B=[98, 72, 61, 55])
    assert user_class_table([own]).set_index("code").loc[2, "cn_b"] == 72
    assert t["lulc_veg"].to_dict() == {1: 0, 2: 1, 3: 1, 4: 1}  # WATR is not vegetated


def test_lulc_veg_is_kept_only_when_every_class_has_it() -> None:
    named = pd.DataFrame(
        {"code": [1, 7], "name": ["Cropland", "Quarry"], "CN_A": [67, 77], "CN_B": [78, 86]}
        | {"CN_C": [85, 91], "CN_D": [89, 94], "kc": [0.8, 0.3], "root_depth_m": [1.0, 0.2]}
    )
    # the quarry has no LULC_veg and no known cover: the name rule decides (no column)
    assert "lulc_veg" not in user_class_table([named]).columns
    given = user_class_table([named.assign(LULC_veg=[1, 0])]).set_index("code")
    assert given["lulc_veg"].to_dict() == {1: 1, 7: 0}


def test_invest_biophysical_tables_are_merged() -> None:
    swy = pd.DataFrame(
        {"description": ["General agriculture"], "lucode": [5]}
        | {
            f"Kc_{m}": [v]
            for m, v in enumerate(
                [0.75, 0.75, 0.4, 0.3, 0.7, 0.7, 1.15, 1.15, 0.5, 0.4, 0.3, 0.3], 1
            )
        }
        | {"CN_A": [67], "CN_B": [78], "CN_C": [85], "CN_D": [89]}
    )
    awy = pd.DataFrame(
        {"description": ["General agriculture"], "lucode": [5], "root_depth": [1000]}
        | {"LULC_veg": [1]}
    )
    t = user_class_table([swy, awy]).iloc[0]
    assert t["kc"] == pytest.approx(7.4 / 12, abs=1e-3) and t["root_depth_m"] == 1.0
    assert t["lulc_veg"] == 1
    assert t["cn_c"] == 85 and t["colour"].startswith("#")


def test_unknown_class_without_parameters_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"class\(es\) 7 \(Quarry\).*cn_a\.\.cn_d"):
        user_class_table([pd.DataFrame({"code": [7], "name": ["Quarry"]})])
    with pytest.raises(ValueError, match="no code column"):
        user_class_table([pd.DataFrame({"klass": [1]})])


def test_swat_soils_depth_weighted_awc() -> None:
    # FLe: layers to 200, 700, 1500 mm with AWC 0.09, 0.09, 0.08
    row = pd.Series(
        {
            "NLAYERS": 3,
            "SOL_Z1": 200,
            "SOL_AWC1": 0.09,
            "SOL_Z2": 700,
            "SOL_AWC2": 0.09,
            "SOL_Z3": 1500,
            "SOL_AWC3": 0.08,
        }
    )
    assert swat_awc_mm_per_m(row) == pytest.approx(1000 * (700 * 0.09 + 800 * 0.08) / 1500)
    lookup = pd.DataFrame({"SOIL_ID": [2, 5], "SNAM": ["FLe", "XXX"]})
    usersoil = pd.DataFrame([row.to_dict() | {"SNAM": "FLe", "HYDGRP": "D", "SOL_ZMX": 1500}])
    t = swat_soil_table(lookup, usersoil)
    assert t.to_dict("records") == [
        {"code": 2, "name": "FLe", "hsg": "D", "awc_mm_per_m": 84.7, "depth_mm": 1500}
    ]
    no_depth = swat_soil_table(lookup, usersoil.drop(columns="SOL_ZMX"))
    assert list(no_depth.columns) == ["code", "name", "hsg", "awc_mm_per_m"]


def _touch(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_bytes(b"")
    return folder


def test_monthly_file_patterns(tmp_path: Path) -> None:
    chirps = _touch(
        tmp_path / "chirps",
        [f"chirps-v2.0.{y}.{m:02d}.tif" for y in (2011, 2010) for m in range(12, 0, -1)],
    )
    src = monthly_source(chirps)
    assert (src.kind, src.start, src.scale, len(src.paths)) == ("series", "2010-01", 1.0, 24)
    assert src.paths[0].name == "chirps-v2.0.2010.01.tif" and src.paths[-1].name.endswith(
        "2011.12.tif"
    )
    assert len(monthly_source(chirps, ("2011-01", "2011-12")).paths) == 12
    chelsa = _touch(
        tmp_path / "chelsa", [f"CHELSA_pr_{m:02d}_2010_V.2.1.tif" for m in range(1, 13)]
    )
    assert monthly_source(chelsa).scale == 0.01 and monthly_source(chelsa).product.startswith(
        "CHELSA"
    )
    gura = _touch(tmp_path / "gura", [f"precip_gura_{m}.tif" for m in range(1, 13)])
    src = monthly_source(gura)
    assert src.kind == "climatology" and [p.name for p in src.paths][:3] == [
        "precip_gura_1.tif",
        "precip_gura_2.tif",
        "precip_gura_3.tif",
    ]
    wc = _touch(
        tmp_path / "wc", [f"wc2.1_cruts4.09_2.5m_tmin_2018-{m:02d}.tif" for m in range(1, 13)]
    )
    assert monthly_source(wc).start == "2018-01"
    (chirps / "chirps-v2.0.2010.05.tif").unlink()
    with pytest.raises(ValueError, match=r"2010-05 missing from the series \(CHIRPS"):
        monthly_source(chirps)
    odd = _touch(tmp_path / "odd", ["rain_jan.tif", "rain_feb.tif"])
    with pytest.raises(ValueError, match=r"hold no month.*--date-pattern"):
        monthly_source(odd)
    with pytest.raises(ValueError, match=r"no \.tif files"):
        monthly_source(tmp_path / "empty*")
