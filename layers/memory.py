"""Memory this process may use: the limit every up-front size check compares against."""

from __future__ import annotations

import os
from pathlib import Path

ENV_LIMIT = "LANDWATER_MEMORY_GB"


def available_bytes() -> int:
    """Memory this process may use, bytes.

    ``LANDWATER_MEMORY_GB`` if set, else what the kernel reports available
    (``MemAvailable``), capped by a cgroup (container) limit.
    """
    limit = os.environ.get(ENV_LIMIT)
    if limit:
        return int(float(limit) * 2**30)
    avail = _meminfo_available()
    cgroup = _cgroup_free()
    return min(avail, cgroup) if cgroup is not None else avail


def _meminfo_available() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def _cgroup_free() -> int | None:
    root = Path("/sys/fs/cgroup")
    try:
        maximum = (root / "memory.max").read_text().strip()
        if maximum == "max":
            return None
        return int(maximum) - int((root / "memory.current").read_text().strip())
    except (OSError, ValueError):
        return None
