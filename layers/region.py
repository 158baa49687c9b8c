"""Read ``region.toml`` into a validated :class:`RegionConfig`, reporting every problem."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from layers.config import RegionConfig
from layers.errors import Problem, RegionError

CONFIG_NAME = "region.toml"


CACHE_DIR_NAME = ".cache"  # a region's folder of derived files


@dataclass(frozen=True)
class Region:
    """A region folder and its parsed configuration."""

    root: Path
    config: RegionConfig

    @property
    def name(self) -> str:
        """Human name of the region."""
        return self.config.region.name

    @property
    def cache_dir(self) -> Path:
        """Folder of derived files (aligned COGs, tiles); safe to delete."""
        return self.root / CACHE_DIR_NAME

    @property
    def results_dir(self) -> Path:
        """Default folder of processing results."""
        return self.root / "results"

    def resolve(self, relative: str) -> Path:
        """Absolute path of a file named in region.toml (relative to the region folder)."""
        return (self.root / relative).resolve()


def _model_for(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the field at ``loc`` (for 'did you mean' hints)."""
    model: type[BaseModel] | None = RegionConfig
    for part in loc[:-1]:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        model = None
        for cand in candidates:
            inner = getattr(cand, "__args__", None)
            for c in [cand, *(inner or ())]:
                if isinstance(c, type) and issubclass(c, BaseModel):
                    model = c
                    break
            if model is not None:
                break
    return model


def _describe(error: dict[str, Any]) -> Problem:
    loc = tuple(error["loc"])
    dotted = ".".join(str(p) for p in loc)
    section = ".".join(str(p) for p in loc[:-1]) or "top level"
    layer = (
        str(loc[1])
        if len(loc) > 1 and loc[0] == "layers"
        else str(loc[0])
        if loc
        else "region.toml"
    )
    if error["type"] == "extra_forbidden":
        model = _model_for(loc)
        hint = ""
        if model is not None:
            close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
        return Problem(
            "error",
            layer,
            CONFIG_NAME,
            f"unknown key '{loc[-1]}' in [{section}]{hint}",
            "remove or correct the key (see the README's region format reference)",
        )
    if error["type"] == "missing":
        return Problem(
            "error",
            layer,
            CONFIG_NAME,
            f"missing required key '{dotted}'",
            f"add '{loc[-1]}' to [{section}]",
        )
    return Problem("error", layer, CONFIG_NAME, f"'{dotted}': {error['msg']}", "correct the value")


def parse_config(root: str | Path) -> tuple[RegionConfig | None, list[Problem]]:
    """Parse ``region.toml`` of a region folder.

    Parameters
    ----------
    root : str or Path
        The region folder.

    Returns
    -------
    config : RegionConfig or None
        None when the file is missing or invalid.
    problems : list of Problem
        Every problem found (empty when valid).

    """
    path = Path(root) / CONFIG_NAME
    if not path.is_file():
        return None, [
            Problem(
                "error",
                "region.toml",
                str(path),
                "region.toml not found",
                "run 'landwater demo' or write one (see README)",
            )
        ]
    try:
        # utf-8-sig: a byte-order mark (Notepad's "UTF-8 with BOM") is read and dropped
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except RecursionError:
        return None, [
            Problem(
                "error",
                "region.toml",
                str(path),
                "lists or tables are nested too deeply to read",
                "a region needs at most a few levels; remove the nesting",
            )
        ]
    except UnicodeDecodeError:
        return None, [
            Problem("error", "region.toml", str(path), "file is not UTF-8 text", "save it as UTF-8")
        ]
    except tomllib.TOMLDecodeError as exc:
        return None, [
            Problem(
                "error",
                "region.toml",
                str(path),
                f"not valid TOML: {exc}",
                "fix the syntax at that line",
            )
        ]
    try:
        return RegionConfig.model_validate(raw), []
    except ValidationError as exc:
        return None, [_describe(dict(e)) for e in exc.errors()]


def load_region(root: str | Path) -> Region:
    """Load a region folder.

    Parameters
    ----------
    root : str or Path
        Folder holding ``region.toml``.

    Returns
    -------
    Region

    Raises
    ------
    RegionError
        With every configuration problem (file checks: :func:`layers.validate.validate_region`).

    """
    root = Path(root).resolve()
    config, problems = parse_config(root)
    if config is None:
        raise RegionError(problems)
    return Region(root, config)
