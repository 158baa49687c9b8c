"""Block-wise water balance: the same numbers as the whole-grid pipeline, and exactly the
same on a Dask cluster of two worker processes as on one machine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from landwater.cli import main
from processing.blockwise import process_blockwise
from processing.results_store import ResultsStore
from processing.sites import SitePlanner


@pytest.fixture(scope="module")
def local_tables(
    demo_planner: SitePlanner, demo_region: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return process_blockwise(demo_region, tmp_path_factory.mktemp("bw") / "local", block_rows=97)


def test_blockwise_equals_the_pipeline(local_tables: Path, demo_region: Path) -> None:
    store = ResultsStore(demo_region / "results")
    for level in ("communities", "watersheds"):
        got = pd.read_csv(local_tables / f"{level}.csv", dtype={"id": str})
        ref = store.summary(level)
        assert list(got["id"]) == list(ref["id"])
        cols = [c for c in got.columns if c in ref.columns and got[c].dtype.kind == "f"]
        assert len(cols) > 20
        for c in cols:  # equal up to the tables' own rounding (0.1 mm, 1 m3)
            np.testing.assert_allclose(got[c], ref[c], rtol=1e-6, atol=1.0, err_msg=c)
        monthly = pd.read_csv(local_tables / f"monthly_{level}.csv")
        np.testing.assert_allclose(monthly["value"], store.monthly(level)["value"], atol=0.01)


def test_dask_local_cluster_gives_identical_tables(
    local_tables: Path, demo_region: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dask"
    code = main(
        [
            "process",
            str(demo_region),
            "--scheduler",
            "local",
            "--block-rows",
            "97",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    for name in ("communities.csv", "watersheds.csv", "monthly_communities.csv"):
        assert (out / name).read_bytes() == (local_tables / name).read_bytes(), name
    assert '"scheduler": "local"' in (out / "manifest.json").read_text()
