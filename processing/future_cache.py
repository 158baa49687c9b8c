"""A future climate's community inputs kept on disk, so a server reads the warps only once.

Reading one GCM's climatologies onto the working grid (a warped read of 36 bands) and
averaging its change over the communities takes seconds per GCM (about 7 s on the demo's
1.3 million cells); an ensemble takes that for each member. The result is small
(months x communities) and depends only on the future's files, the grid, the region's inputs
and the communities' baseline, so it is kept in the region's cache folder
(``.cache/futures``) under a key made of all of them: a changed file, layer, class table or
calibration gives another key, and the stale file is simply never read again. One process
computes a key at a time (:func:`one_writer`): the workers of a server, or two servers of
one region, wait for it and read its file instead of computing the same climate again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from layers.io import atomic_path, fingerprint
from processing.scenario import ClimateInputs, ScenarioEngine

log = logging.getLogger(__name__)

CACHE_FOLDER = "futures"
LOCK_WAIT_S = 600.0  # longest wait for another process computing the same key (a GCM: ~15 s)
LOCK_POLL_S = 0.2


def inputs_key(label: str, files: Sequence[Path], region_key: str, se: ScenarioEngine) -> str:
    """The cache key of one future climate's community inputs.

    Parameters
    ----------
    label : str
        The future's label (``GCM ssp period``).
    files : sequence of Path
        Its files and its reference's (names, sizes and modification times count).
    region_key : str
        The region's input fingerprint (:func:`processing.fingerprint.input_fingerprint`:
        region.toml, every layer file, the pipeline version) and the method's version
        (:data:`processing.futures.INPUTS_METHOD`).
    se : ScenarioEngine
        The communities' baseline: their ids, cells, mean rain and PET.
    """
    h = hashlib.blake2b(digest_size=16)
    for arr in (se.ids.astype(str), se.rain, se.pet, se.cell_index, se.cell_unit):
        h.update(np.ascontiguousarray(arr).tobytes())
    return fingerprint(files, extra=f"{label}|{region_key}|{h.hexdigest()}")


def cache_file(cache_dir: Path, key: str) -> Path:
    """Where the inputs of ``key`` are kept."""
    return cache_dir / CACHE_FOLDER / f"{key}.npz"


@contextlib.contextmanager
def one_writer(path: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the lock of a kept file while it is read or computed and written.

    An exclusive ``flock`` on ``<path>.lock``, released when the process ends however it ends.
    Where the cache folder cannot be written (a read-only region) there is no lock, and a
    holder that keeps it beyond ``wait_s`` (a stopped process, a hung network disk) is not
    waited for any longer (logged): each such process computes for itself.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = path.with_name(path.name + ".lock").open("a")
    except OSError:
        yield
        return
    with fh:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    log.warning("%s: held beyond %.0f s; computing without it", path.name, wait_s)
                    break
                time.sleep(LOCK_POLL_S)
        yield


def load_arrays(path: Path, names: Sequence[str]) -> dict[str, np.ndarray] | None:
    """The kept arrays ``names``, or None when there are none (or another version wrote them)."""
    try:
        with np.load(path) as kept:
            return {n: kept[n] for n in names}
    except (OSError, KeyError, ValueError):  # absent, or a file another version wrote
        return None


def save_arrays(path: Path, arrays: Mapping[str, Any], what: str) -> None:
    """Keep arrays (written whole or not at all; a read-only region only logs why)."""
    try:
        with atomic_path(path) as tmp, tmp.open("wb") as fh:
            np.savez(fh, **arrays)
    except OSError as exc:
        log.warning("future climate %s not kept in %s: %s", what, path.parent, exc)


def load_inputs(path: Path, label: str, shape: tuple[int, int]) -> ClimateInputs | None:
    """The kept inputs, or None when there are none (or they do not fit ``shape``)."""
    kept = load_arrays(path, ("rain_mm", "pet_factor"))
    if kept is None:
        return None
    rain, factor = kept["rain_mm"], kept["pet_factor"]
    if rain.shape != shape or factor.shape != shape:
        return None
    return ClimateInputs(label, rain, factor)


def save_inputs(path: Path, inputs: ClimateInputs) -> None:
    """Keep the inputs (written whole or not at all; a read-only region only logs why)."""
    arrays = {"rain_mm": inputs.rain, "pet_factor": inputs.pet_factor}
    save_arrays(path, arrays, inputs.label)
