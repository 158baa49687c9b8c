"""Is a results store current? The fingerprint of a region's inputs and the store's own.

A store records the fingerprint of the inputs it was computed from; a region whose
``region.toml``, files and code version have not changed is not processed again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from layers.region import load_region

PIPELINE_VERSION = "7"


def input_fingerprint(region_dir: Path) -> str:
    """Hash of region.toml and every file it names (path, size, mtime) plus the code version.

    Paths as region.toml gives them (relative to the region for its own files), so a
    processed region copied elsewhere with its times is still up to date.
    """
    region = load_region(region_dir)
    h = hashlib.sha256(f"v{PIPELINE_VERSION}".encode())
    h.update((region.root / "region.toml").read_bytes())
    for _, spec in region.config.layers:
        if spec is None:
            continue
        files = list(getattr(spec, "files", None) or [spec.path])
        if getattr(spec, "class_table", None):
            files.append(spec.class_table)
        for rel in files:
            p = region.resolve(rel)
            st = p.stat()
            h.update(f"{rel}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def up_to_date(out: Path, fingerprint: str) -> bool:
    """True when the store in ``out`` was computed from inputs with this fingerprint."""
    try:
        return bool(
            json.loads((out / "manifest.json").read_text()).get("fingerprint") == fingerprint
        )
    except (json.JSONDecodeError, OSError):
        return False  # no store, or an unreadable manifest: recompute
