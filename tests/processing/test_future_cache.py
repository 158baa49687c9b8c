"""The lock of a kept future climate: one process at a time computes a key."""

from __future__ import annotations

import logging
import multiprocessing
from pathlib import Path

import pytest

from processing.future_cache import one_writer


def _enter_and_leave(path: Path, log: Path, times: int) -> None:
    for _ in range(times):
        with one_writer(path):
            for word in ("in", "out"):  # two writes another holder could come between
                with log.open("a") as fh:
                    fh.write(f"{word}\n")


def test_one_process_holds_a_key_at_a_time(tmp_path: Path) -> None:
    path, log = tmp_path / "futures" / "key.npz", tmp_path / "log.txt"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_enter_and_leave, args=(path, log, 150)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    words = log.read_text().split()
    assert len(words) == 4 * 150 * 2
    assert words == ["in", "out"] * (4 * 150)  # never two holders at once


def test_an_unwritable_cache_folder_gives_no_lock_and_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with one_writer(blocked / "futures" / "key.npz"):
        pass


def test_a_holder_kept_beyond_the_wait_is_not_waited_for(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "futures" / "key.npz"
    with (
        one_writer(path),  # held by this open file: another open of the lock file must wait
        caplog.at_level(logging.WARNING, "processing.future_cache"),
        one_writer(path, 0.5),
    ):
        assert "key.npz: held beyond 0 s; computing without it" in caplog.text
    with one_writer(path, 0.5):  # free again: taken at once
        pass
    assert caplog.text.count("held beyond") == 1
