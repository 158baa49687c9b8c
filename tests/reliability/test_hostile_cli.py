"""Command-line inputs that gave tracebacks or hangs (issue 20): each answers with a message,
exit 1, and leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landwater.cli import main
from tests.regionkit import tiny_region


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from processing.pipeline import process_region

    root = tmp_path_factory.mktemp("cli") / "region"
    tiny_region(root)
    process_region(root)
    return root


def _init_args(region: Path, out: Path, *extra: str) -> list[str]:
    rain = str(region / "data" / "rain.tif")
    base = ["init", str(out), "--rainfall", rain, "--land-use-class", "40"]
    return [*base, "--land-use-product", "worldcover", *extra]


INIT_CASES = [
    # 4.79 PiB of working grid: refused from the grid's size, before any array is made
    (["--resolution-m", "0.001", "--hex-size-km", "2"], ("--resolution-m 0.001", "cells", "GB")),
    # about a million hexagons: refused from their count, before any is drawn
    (["--hex-size-km", "0.001"], ("--hex-size-km 0.001", "hexagons", "larger")),
    (["--resolution-m", "-5", "--hex-size-km", "2"], ("--resolution-m -5", "greater than 0")),
    (["--resolution-m", "nan", "--hex-size-km", "2"], ("--resolution-m nan", "finite")),
    (["--hex-size-km", "inf"], ("--hex-size-km inf", "finite")),
]


@pytest.mark.parametrize(("extra", "words"), INIT_CASES, ids=[" ".join(c[0]) for c in INIT_CASES])
def test_init_refuses_sizes_up_front(
    region: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    words: tuple[str, ...],
) -> None:
    out = tmp_path / "new"
    assert main(_init_args(region, out, *extra)) == 1
    err = capsys.readouterr().err
    for word in words:
        assert word in err, err
    assert "Traceback" not in err and "pydantic" not in err and "http" not in err
    assert list(tmp_path.iterdir()) == []  # no region, no .new.init.* folder


def test_zonal_to_a_directory(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["zonal", str(region / "data" / "lu.tif"), str(region / "data" / "communities.gpkg")]
    assert main([*args, "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "file name" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


MALFORMED_CRITERIA: list[Any] = [
    "abc",
    [1, 2],
    [{"layer": "slope_pct", "weight": "heavy"}],
    [{"layer": ["a"], "weight": float("inf")}, {"weight": -3}],
    {"layer": "slope_pct"},
]


@pytest.mark.parametrize(
    "criteria", MALFORMED_CRITERIA, ids=[repr(c)[:25] for c in MALFORMED_CRITERIA]
)
def test_brief_of_a_shortlist_with_malformed_criteria(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], criteria: Any
) -> None:
    from layers.workspace import Workspace
    from tests.reliability.test_hostile import INSIDE

    workspace = Workspace.for_region(region)
    rec = workspace.save_shortlist("odd", [dict(INSIDE, criteria=criteria)])
    out = tmp_path / "brief.html"
    assert main(["brief", str(region), "--shortlist", str(rec.id), "-o", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert "<svg" in out.read_text()
    workspace.delete_shortlist(rec.id)
