"""A full disk while the results store is written: a message naming the cause and the fix, no
traceback, nothing half-written, the previous store kept. The disk is a real one: a small
tmpfs mounted for the test (root only; skipped elsewhere)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.regionkit import tiny_region

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 600 kB tmpfs: room for one tiny store (about 200 kB) and its rewrite, not three."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _process(region: Path, out: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "landwater", "process", str(region), "--out", str(out)]
    return subprocess.run([*cmd, "--force"], capture_output=True, text=True, timeout=300)


def test_a_full_disk_is_named_and_the_previous_store_kept(small_disk: Path, tmp_path: Path) -> None:
    region = tmp_path / "tiny"
    tiny_region(region)
    out = small_disk / "results"
    first = _process(region, out)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # fill the disk but for a few kB: the next store cannot be written
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * (free - 8192))
    again = _process(region, out)
    assert again.returncode == 1
    assert "disk holding it is full" in again.stderr and "--out" in again.stderr
    assert "Traceback" not in again.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "results"]
