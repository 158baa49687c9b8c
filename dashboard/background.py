"""Compute a region's results in the background while the dashboard already serves the map.

One run per region at a time across every server process: an exclusive file lock in the
region's cache folder decides which worker computes; the others report "running" until the
results appear. State lives on the object the app factory creates (no module globals).
"""

from __future__ import annotations

import fcntl
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from processing.fingerprint import input_fingerprint, up_to_date
from processing.pipeline import process_region

State = Literal["idle", "running", "done", "failed"]


@dataclass(frozen=True)
class Status:
    """What the progress banner shows."""

    state: State
    message: str
    seconds: float


def results_are_current(region_dir: Path, results_dir: Path) -> bool:
    """Whether the results store exists and was computed from the current inputs."""
    try:
        return up_to_date(results_dir, input_fingerprint(region_dir))
    except (OSError, ValueError):  # a region file gone or unreadable: not current
        return False


class BackgroundProcessing:
    """Runs ``landwater process`` for one region on a daemon thread and reports progress.

    Parameters
    ----------
    region_dir : Path
        The region folder.
    """

    def __init__(self, region_dir: Path) -> None:
        self.region_dir = Path(region_dir)
        self._lock = threading.Lock()
        self._state: State = "idle"
        self._message = ""
        self._started = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start computing (once); returns at once."""
        with self._lock:
            if self._thread is not None:
                return
            self._state, self._message, self._started = "running", "starting", time.monotonic()
            self._thread = threading.Thread(target=self._run, name="landwater-process", daemon=True)
            self._thread.start()

    def _say(self, message: str) -> None:
        with self._lock:
            self._message = message

    def _run(self) -> None:
        lock_path = self.region_dir / ".cache" / "process.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with lock_path.open("w") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self._say("another server process is computing the results")
                    fcntl.flock(fh, fcntl.LOCK_EX)  # wait for it; then our run finds them current
                process_region(self.region_dir, progress=self._say)
            with self._lock:
                self._state, self._message = "done", "results ready"
        except Exception as exc:  # reported in the banner; the map keeps working without results
            with self._lock:
                self._state, self._message = "failed", f"{type(exc).__name__}: {exc}"

    def status(self) -> Status:
        """The current state and message."""
        with self._lock:
            seconds = time.monotonic() - self._started if self._started else 0.0
            return Status(self._state, self._message, round(seconds, 1))

    def wait(self, timeout: float) -> Status:
        """Block until the run ends or ``timeout`` seconds pass (for tests and scripts)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.status()
