"""The OpenAPI 3.0 document of the API, generated from its pydantic models and route table.

A thin generator over pydantic's ``models_json_schema``: each :class:`Operation` names its
query, body and response models, and the document's ``components.schemas`` are those
models' JSON Schemas. Pydantic writes JSON Schema 2020-12; :func:`to_openapi30` rewrites the
few constructs OpenAPI 3.0 spells differently (``null`` in a union, ``const``, numeric
exclusive bounds), so the offline Swagger UI (version 4, OpenAPI 3.0) renders every schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from dashboard.api.errors import CODES
from dashboard.api.models import ErrorResponse

OPENAPI_VERSION = "3.0.3"
REF_TEMPLATE = "#/components/schemas/{model}"
# the null of OpenAPI 3.0 (3.0.3's clarification of nullable: null must be in the enum)
NULL_SCHEMA = {"type": "object", "nullable": True, "enum": [None]}
_PATH_PARAM = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Operation:
    """One route of the API as the document describes it.

    Attributes
    ----------
    method : str
        ``get``, ``post`` or ``delete``.
    path : str
        OpenAPI path under the API's root, parameters in braces (``/units/{level}``).
    summary : str
        One line for the documentation page.
    tag : str
        The group it is listed under.
    response : type of BaseModel
        The model of a successful answer.
    status : int
        The status of a successful answer.
    query : type of BaseModel, optional
        The model of the query string (each field one parameter).
    body : type of BaseModel, optional
        The model of the JSON body.
    errors : tuple of int
        The error statuses it may answer (each with :class:`ErrorResponse`).
    params : dict
        Description of each path parameter.
    """

    method: str
    path: str
    summary: str
    tag: str
    response: type[BaseModel]
    status: int = 200
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()
    params: dict[str, str] = field(default_factory=dict)

    @property
    def flask_rule(self) -> str:
        """The path as a Flask rule (``/units/<level>``)."""
        return _PATH_PARAM.sub(r"<\1>", self.path)


def to_openapi30(schema: Any) -> Any:
    """A JSON Schema 2020-12 (as pydantic writes it) in OpenAPI 3.0's dialect.

    ``anyOf: [X, {type: null}]`` becomes X with ``nullable: true`` (a $ref or several
    options keep the ``anyOf``, null as :data:`NULL_SCHEMA`), ``const`` a one-value
    ``enum``, numeric ``exclusiveMinimum``/``exclusiveMaximum`` a bound with a flag.
    """
    if isinstance(schema, list):
        return [to_openapi30(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: to_openapi30(v) for k, v in schema.items()}
    options = out.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        del out["anyOf"]
        if len(rest) == 1 and "$ref" not in rest[0]:
            out = {**rest[0], **out, "nullable": True}
        else:  # 3.0 applies nullable to a type, not to a $ref: null is one more option
            out["anyOf"] = [*rest, NULL_SCHEMA]
        if out.get("default", 0) is None:
            out.pop("default")  # a null default is what omitting the field means
    if "const" in out:
        out["enum"] = [out.pop("const")]
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(key), int | float) and not isinstance(out.get(key), bool):
            out[bound] = out.pop(key)
            out[key] = True
    if "$ref" in out and len(out) > 1:  # 3.0 ignores the siblings of a $ref
        out = {"allOf": [{"$ref": out.pop("$ref")}], **out}
    out.pop("examples", None)
    return out


Refs = Mapping[Any, dict[str, Any]]  # (model, mode) -> {"$ref": ...}


def _models(operations: Iterable[Operation]) -> list[tuple[type[BaseModel], Any]]:
    """Each model once, in the mode it is used in: bodies validate, responses serialise."""
    seen: dict[tuple[type[BaseModel], str], None] = {(ErrorResponse, "serialization"): None}
    for op in operations:
        seen[(op.response, "serialization")] = None
        if op.body is not None:
            seen[(op.body, "validation")] = None
    return list(seen)


def _parameters(op: Operation) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": op.params.get(name, ""),
            "schema": {"type": "string"},
        }
        for name in _PATH_PARAM.findall(op.path)
    ]
    if op.query is not None:
        schema = op.query.model_json_schema(ref_template=REF_TEMPLATE)
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            prop = to_openapi30(prop)
            prop.pop("title", None)
            out.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in required,
                    "description": prop.pop("description", ""),
                    "schema": prop,
                }
            )
    return out


def _operation(op: Operation, refs: Refs) -> dict[str, Any]:
    responses: dict[str, Any] = {
        str(op.status): {
            "description": op.response.__doc__.strip().splitlines()[0]
            if op.response.__doc__
            else "success",
            "content": {"application/json": {"schema": refs[(op.response, "serialization")]}},
        }
    }
    for status in sorted({*op.errors, 500}):
        responses[str(status)] = {
            "description": CODES.get(status, "error"),
            "content": {"application/json": {"schema": refs[(ErrorResponse, "serialization")]}},
        }
    out: dict[str, Any] = {
        "operationId": f"{op.method}_{op.path.strip('/').replace('/', '_')}".replace("{", "")
        .replace("}", "")
        .replace("-", "_"),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": _parameters(op),
        "responses": responses,
    }
    if op.body is not None:
        out["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
        }
    return out


def openapi_document(
    operations: Iterable[Operation], root: str, title: str, description: str, version: str
) -> dict[str, Any]:
    """The OpenAPI 3.0 document of these operations under ``root`` (``/api/v1``)."""
    ops = list(operations)
    refs, defs = models_json_schema(_models(ops), ref_template=REF_TEMPLATE)
    paths: dict[str, dict[str, Any]] = {}
    for op in ops:
        paths.setdefault(root + op.path, {})[op.method] = _operation(op, refs)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version, "description": description},
        "paths": paths,
        "components": {
            "schemas": to_openapi30(defs.get("$defs", {})),
            "securitySchemes": {
                "editorSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "from GET /login with the editors' password (HTTP Basic)",
                }
            },
        },
    }
