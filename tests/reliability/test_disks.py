"""A full disk and a read-only region folder: a message naming the cause and the fix, no
traceback, nothing half-written, the previous store kept. The disks are real: a small tmpfs
and a read-only bind mount, mounted for the test (root only; skipped elsewhere)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from landwater.cli import main
from processing.pipeline import process_region
from tests.regionkit import tiny_region

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def _mounted(at: Path, *args: str) -> Iterator[Path]:
    """``mount ARGS AT`` for the duration (skips the test where mounting is not possible)."""
    at.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    done = subprocess.run(["mount", *args, str(at)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.decode().strip()}")
    try:
        yield at
    finally:
        subprocess.run(["umount", str(at)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 600 kB tmpfs: room for one tiny store (about 200 kB) and its rewrite, not three."""
    with _mounted(tmp_path / "disk", "-t", "tmpfs", "-o", "size=600k", "tmpfs") as disk:
        yield disk


def _process(region: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``landwater process --force`` here (the command's own code, no interpreter to start):
    its exit code and standard error; an exception it lets out fails the test."""
    capsys.readouterr()
    code = main(["process", str(region), "--out", str(out), "--force"])
    return code, capsys.readouterr().err


def test_a_full_disk_is_named_and_the_previous_store_kept(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    region = tmp_path / "tiny"
    tiny_region(region)
    out = small_disk / "results"
    process_region(region, out)  # the store to keep, written here (a subprocess costs 3 s)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # fill the disk but for a few kB: the next store cannot be written
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * (free - 8192))
    code, err = _process(region, out, capsys)
    assert code == 1
    assert "disk holding it is full" in err and "--out" in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "results"]


def test_a_read_only_region_is_named_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    region = tmp_path / "tiny"
    tiny_region(region)
    process_region(region)  # a current store: nothing to write for the first run below
    with _mounted(tmp_path / "ro", "--bind", str(region)) as ro:
        remount = ["mount", "-o", "remount,ro,bind", str(ro)]
        if subprocess.run(remount, capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        assert main(["process", str(ro)]) == 0, capsys.readouterr().err  # nothing to write
        code, err = _process(ro, ro / "results", capsys)
        assert code == 1 and "Read-only file system" in err
        assert "make the region folder writable" in err
        assert "Traceback" not in err
        serve = subprocess.run(  # the console's own process: a server must not start
            [sys.executable, "-m", "landwater", "serve", str(ro), "--port", "0", "--no-process"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert serve.returncode == 1 and "serve a copy of it" in serve.stderr
        assert "Traceback" not in serve.stderr
