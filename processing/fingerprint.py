"""Is a results store current? The fingerprint of a region's inputs and the store's own.

A store records the fingerprint of the inputs it was computed from; a region whose
``region.toml``, files and code version have not changed is not processed again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from layers.monthly_files import raster_files
from layers.region import load_region
from layers.station_days import station_rain_files

PIPELINE_VERSION = "7"


def input_fingerprint(region_dir: Path) -> str:
    """Hash of region.toml and every file it names (path, size, mtime) plus the code version.

    Paths inside the region folder count relative to it: a region copied elsewhere with its
    files' times (``cp -a``, ``shutil.copytree``) keeps its fingerprint.
    """
    region = load_region(region_dir)
    root = region.root.resolve()
    h = hashlib.sha256(f"v{PIPELINE_VERSION}".encode())
    h.update((region.root / "region.toml").read_bytes())
    for _, spec in region.config.layers:
        if spec is None:
            continue
        files = list(getattr(spec, "files", None) or [spec.path])
        if getattr(spec, "class_table", None):
            files.append(spec.class_table)
        paths = [region.resolve(rel) for rel in files]
        daily = getattr(spec, "daily", None)
        if daily is not None and daily.path is not None:
            paths += sorted(raster_files(str(region.resolve(daily.path))))
        if daily is not None and daily.stations is not None:
            table = region.resolve(daily.stations)
            paths += [table, *station_rain_files(table)]
        for p in paths:
            st = p.stat()
            name = p.relative_to(root) if p.is_relative_to(root) else p
            h.update(f"{name}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def up_to_date(out: Path, fingerprint: str) -> bool:
    """True when the store in ``out`` was computed from inputs with this fingerprint."""
    try:
        return bool(
            json.loads((out / "manifest.json").read_text()).get("fingerprint") == fingerprint
        )
    except (json.JSONDecodeError, OSError):
        return False  # no store, or an unreadable manifest: recompute
