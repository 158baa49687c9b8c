"""The README documents every key of region.toml and every CLI command."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from landwater.cli import build_parser
from layers import config

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
MODELS = [
    m
    for m in vars(config).values()
    if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == config.__name__
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_config_key_is_documented(model: type[BaseModel]) -> None:
    forms = ("`{}`", "[layers.{}]", "`[{}]`", "`[[{}]]`", "`[layers.{}]`")
    missing = [n for n in model.model_fields if not any(f.format(n) in README for f in forms)]
    assert not missing, f"README lacks {model.__name__} keys {missing}"


def test_every_command_is_documented() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"landwater {name}" in README
    assert "make run" in README and "make test" in README
