"""The whole-grid pipeline refuses a grid that would not fit in memory, before reading it."""

from __future__ import annotations

from pathlib import Path

import pytest

from landwater.cli import main
from processing.memory_budget import (
    BYTES_PER_CELL,
    BYTES_PER_CELL_MONTH,
    GridTooLargeError,
    available_bytes,
    check_whole_grid,
    whole_grid_bytes,
)
from tests.regionkit import tiny_region


def test_estimate_and_refusal() -> None:
    cells = 10_000 * 10_000
    assert whole_grid_bytes(cells, 12) == cells * (12 * BYTES_PER_CELL_MONTH + BYTES_PER_CELL)
    with pytest.raises(GridTooLargeError, match=r"100,000,000 cells x 12 months.*--blockwise"):
        check_whole_grid(cells, 12, available=24 * 2**30)
    check_whole_grid(2_000 * 2_000, 12, available=24 * 2**30)  # the map-scale region fits
    with pytest.raises(GridTooLargeError):  # a 30-year monthly series on the same grid
        check_whole_grid(6_000 * 6_000, 360, available=24 * 2**30)


def test_available_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANDWATER_MEMORY_GB", raising=False)
    assert 2**28 < available_bytes() < 2**40  # this machine: between 256 MB and 1 TB
    monkeypatch.setenv("LANDWATER_MEMORY_GB", "1.5")
    assert available_bytes() == int(1.5 * 2**30)


def test_process_refuses_a_grid_too_large_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "region"
    tiny_region(root)
    monkeypatch.setenv("LANDWATER_MEMORY_GB", "0.0001")
    before = sorted(p.name for p in root.rglob("*"))
    assert main(["process", str(root)]) == 1
    err = capsys.readouterr().err
    assert "landwater process" in err and "--blockwise" in err and "LANDWATER_MEMORY_GB" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in root.rglob("*")) == before
    monkeypatch.setenv("LANDWATER_MEMORY_GB", "8")
    assert main(["process", str(root)]) == 0
