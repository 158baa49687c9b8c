"""Problems and errors that name the layer, the file and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    """One finding of validation.

    Attributes
    ----------
    severity : {"error", "warning", "note"}
        Errors make a region invalid; warnings are repaired or tolerated and reported;
        notes say how a value was decided (e.g. which rule made a land-use class vegetated).
    layer : str
        Layer role (``rainfall``, ``communities``, ...) or config section (``region.toml``).
    file : str
        The file concerned (``region.toml`` for config problems).
    message : str
        What is wrong.
    fix : str
        What the user should do.

    """

    severity: Severity
    layer: str
    file: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{self.severity.upper()} [{self.layer}] {self.file}: {self.message}.{fix}"


class LayerReadError(Exception):
    """A file cannot be read; carries the file and a suggested fix."""

    def __init__(self, path: str | Path, message: str, fix: str = "") -> None:
        self.path = Path(path)
        self.message = message
        self.fix = fix
        super().__init__(f"{self.path}: {message}" + (f". Fix: {fix}" if fix else ""))


class RegionError(Exception):
    """A region cannot be loaded; holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
