"""The suite's own order: every file :data:`tests.conftest.LONGEST_FILES` names exists."""

from __future__ import annotations

from tests.conftest import LONGEST_FILES, TESTS_DIR


def test_the_longest_files_exist() -> None:
    """A renamed file would silently lose its place at the front of the xdist queue."""
    missing = [name for name in LONGEST_FILES if not (TESTS_DIR / name).is_file()]
    assert missing == []
    assert len(set(LONGEST_FILES)) == len(LONGEST_FILES)
