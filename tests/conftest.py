from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.regionkit import SHARED_DATA, tiny_region


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A small valid region in tmp_path and its config dict (edit, then write_toml)."""
    root = tmp_path / "tiny"
    return root, tiny_region(root)


@pytest.fixture(scope="session")
def demo_region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo region, generated once per test session."""
    from layers.build.demo.generate import generate_demo

    return generate_demo(tmp_path_factory.mktemp("demo") / "region", seed=42)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-data folder {SHARED_DATA} is absent (expected beside the project)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_planner(demo_region: Path) -> Any:
    """A SitePlanner on the processed demo region, built once per session."""
    from processing.sites import open_planner

    return open_planner(demo_region)
