"""The manifest's ``outputs``: every file and column of a results store, described."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from processing.output_spec import VARIABLES, describe, resolve


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f), [])


def store_outputs(folder: Path, files: Iterable[str]) -> dict[str, object]:
    """The manifest's ``outputs``: each file of a store and each column of its tables.

    Parameters
    ----------
    folder : Path
        The store's folder (the tables' headers are read there).
    files : iterable of str
        Its files, relative to ``folder`` (``/`` separated).

    Returns
    -------
    dict
        ``files``: path -> units, method, meaning; ``tables``: table -> the ``files`` that
        hold it and its ``columns`` (in the files' order) -> units, method, meaning;
        ``variables``: balance variable -> units, method, meaning.

    Raises
    ------
    KeyError
        When a file or a column is not declared here.
    """
    described: dict[str, dict[str, str]] = {}
    holders: dict[str, list[str]] = {}
    columns: dict[str, dict[str, dict[str, str]]] = {}
    for rel in files:
        entry, _ = resolve(rel, "files")
        described[rel] = describe(rel, "files")
        if entry.table:
            holders.setdefault(entry.table, []).append(rel)
            known = columns.setdefault(entry.table, {})
            for col in _csv_header(folder / rel):
                known.setdefault(col, describe(col, entry.table))
    return {
        "files": described,
        "tables": {k: {"files": v, "columns": columns[k]} for k, v in holders.items()},
        "variables": {v.name: describe(v.name, "variables") for v in VARIABLES},
    }
