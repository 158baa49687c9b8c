"""An InVEST annual-water-yield biophysical table on its own (no curve numbers): the curve
numbers come from the class names by keyword, with the USDA TR-55 (1986, table 2-2) values
typed here from the table, and every value filled is reported (issue 24)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from layers.products import complete_class_table

# TR-55 table 2-2, hydrologic soil groups A, B, C, D
TR55 = {
    "paved parking lots, roofs, driveways": (98, 98, 98, 98),
    "row crops, straight row, good": (67, 78, 85, 89),
    "woods, good": (30, 55, 70, 77),
    "woods-grass combination, fair": (43, 65, 76, 82),
    "brush, fair": (35, 56, 70, 77),
    "dirt roads": (72, 82, 87, 89),
}


def _awy(names: list[str]) -> pd.DataFrame:
    """InVEST AWY columns: lucode, LULC_desc, LULC_veg, root_depth (mm), Kc; no CN."""
    n = len(names)
    return pd.DataFrame(
        {"lucode": range(1, n + 1), "LULC_desc": names, "LULC_veg": [1] * n}
        | {"root_depth": [1500] * n, "Kc": [0.9] * n}
    )


def test_an_awy_table_alone_gets_tr55_curve_numbers_by_class_name() -> None:
    names = ["Sealed surfaces", "Maize fields", "Natural forest", "Tea", "Bushland", "Dirt roads"]
    done = complete_class_table([_awy(names)])
    t = done.table.set_index("code")
    cn = ["cn_a", "cn_b", "cn_c", "cn_d"]
    expected = [
        TR55["paved parking lots, roofs, driveways"],
        TR55["row crops, straight row, good"],
        TR55["woods, good"],
        TR55["woods-grass combination, fair"],
        TR55["brush, fair"],
        TR55["dirt roads"],
    ]
    for code, quad in enumerate(expected, start=1):
        assert tuple(t.loc[code, cn]) == quad, names[code - 1]
    # the user's own columns are kept: Kc, root depth in mm -> m, LULC_veg
    assert (t["kc"] == 0.9).all() and (t["root_depth_m"] == 1.5).all()
    assert (t["lulc_veg"] == 1).all() and t.loc[1, "name"] == "Sealed surfaces"
    # one line per class saying which columns were filled, with what, from which word
    assert len(done.filled) == len(names)
    assert done.filled[0] == (
        "class 1 (Sealed surfaces): cn_a..cn_d = 98/98/98/98 from the word 'sealed':"
        " TR-55 'paved parking lots, roofs, driveways'"
    )
    assert "kc" not in done.filled[1] and "root_depth_m" not in done.filled[1]


def test_a_class_no_word_describes_names_the_columns_to_add() -> None:
    with pytest.raises(ValueError) as info:
        complete_class_table([_awy(["Maize fields", "Zone 7"])])
    message = str(info.value)
    assert "2 (Zone 7) lacks cn_a..cn_d" in message and "Maize" not in message
    assert "add those columns" in message


def test_gura_awy_table_alone(shared_data: Path) -> None:
    table = shared_data / "gura_kenya" / "biophysical_table_gura_AWY.csv"
    if not table.exists():
        pytest.skip(f"{table} is absent (real data beside the project)")
    done = complete_class_table([pd.read_csv(table)])
    t = done.table.set_index("code")
    assert len(t) == 10 and not t[["cn_a", "cn_b", "cn_c", "cn_d"]].isna().any().any()
    assert (
        tuple(t.loc[5, ["cn_a", "cn_b", "cn_c", "cn_d"]]) == TR55["row crops, straight row, good"]
    )
    assert tuple(t.loc[8, ["cn_a", "cn_b", "cn_c", "cn_d"]]) == TR55["woods, good"]
    # the table's own Kc and root depth are kept
    assert t.loc[6, "kc"] == pytest.approx(1.015) and t.loc[6, "root_depth_m"] == 1.85
    assert len(done.filled) == 10
