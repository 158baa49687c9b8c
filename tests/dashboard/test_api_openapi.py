"""The OpenAPI 3.0 rewriting of pydantic's JSON Schema, and the document's model references."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from pydantic import BaseModel, Field

from dashboard.api.openapi import NULL_SCHEMA, Operation, openapi_document, to_openapi30
from dashboard.api.operations import OPERATIONS


class _Inner(BaseModel):
    n: int = Field(gt=0, lt=10)


class _Outer(BaseModel):
    inner: _Inner | None = None
    label: str | None = None
    kind: str = Field("a", json_schema_extra={"const": "a"})
    either: int | str | None = None


CASES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, {"type": "string", "nullable": True}),
    (
        {"anyOf": [{"$ref": "#/x"}, {"type": "null"}], "default": None},
        {"anyOf": [{"$ref": "#/x"}, NULL_SCHEMA]},
    ),
    ({"const": 3}, {"enum": [3]}),
    (
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "number", "minimum": 0, "exclusiveMinimum": True},
    ),
    ({"$ref": "#/x", "description": "d"}, {"allOf": [{"$ref": "#/x"}], "description": "d"}),
]


@pytest.mark.parametrize(("schema", "expected"), CASES)
def test_json_schema_constructs_in_openapi_30(
    schema: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert to_openapi30(schema) == expected


def test_documented_schema_accepts_what_the_model_accepts() -> None:
    """A value the model validates passes the document's schema; one it refuses fails."""
    op = Operation("post", "/things", "things", "t", _Outer, body=_Outer)
    doc = openapi_document([op], "/api/v1", "t", "d", "1")
    ref = doc["paths"]["/api/v1/things"]["post"]["requestBody"]["content"]["application/json"]
    validator = OAS30Validator({**ref["schema"], "components": doc["components"]})
    good = {"inner": {"n": 5}, "label": None, "kind": "a", "either": "x"}
    _Outer.model_validate(good)
    validator.validate(good)
    bad = {"inner": {"n": 10}}
    with pytest.raises(ValueError):
        _Outer.model_validate(bad)
    assert not validator.is_valid(bad)
    assert validator.is_valid({"inner": None, "either": None})
    assert not validator.is_valid({"either": 1.5})


@pytest.mark.parametrize(
    "op", [op for op in OPERATIONS if op.body is not None], ids=lambda op: f"{op.method} {op.path}"
)
def test_body_examples_of_the_docs_page_are_valid(op: Operation) -> None:
    """The example the documentation page offers passes its own model."""
    assert op.body is not None
    example = op.body.model_json_schema()["example"]
    op.body.model_validate(example)
