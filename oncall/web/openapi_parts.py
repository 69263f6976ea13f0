"""Building blocks of the OpenAPI document, shared by every part of it (oncall/web/openapi.py and
oncall/web/openapi_incidents.py): references to the payload models, JSON and text bodies, error
answers, path and query parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from oncall.web.inputs import MAX_ID

JSON = "application/json"
REF = "#/components/schemas/{model}"
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def ref(model: type[BaseModel] | str) -> dict:
    """A reference to a payload model's schema among the components."""
    name = model if isinstance(model, str) else model.__name__
    return {"$ref": REF.format(model=name)}


def json_body(schema: dict, description: str, examples: dict | None = None) -> dict:
    """A JSON request or answer body with `schema` (and examples, if any)."""
    content: dict[str, Any] = {"schema": schema}
    if examples:
        content["examples"] = examples
    return {"description": description, "content": {JSON: content}}


def errors(meanings: Mapping[int, str], *codes: int) -> dict:
    """The error answers `codes`, each the `Error` model, worded from `meanings`."""
    return {str(code): json_body(ref("Error"), meanings[code]) for code in codes}


def text(media: str, description: str) -> dict:
    """A plain-text body of the media type `media` (Markdown, Prometheus text, iCal)."""
    return {"description": description, "content": {media: {"schema": {"type": "string"}}}}


def path_param(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


def query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
        "allowEmptyValue": False,
    }


def query_parameters(model: type[BaseModel]) -> list[dict]:
    """The query arguments of a model as OpenAPI parameters (optional ones without the null)."""
    schema = model.model_json_schema(ref_template=REF)
    parameters = []
    for name, field in schema["properties"].items():
        field = dict(field)
        branches = [b for b in field.pop("anyOf", []) if b.get("type") != "null"]
        if branches:
            field.update(branches[0])
        description = field.pop("description", "")
        field.pop("title", None)
        if field.get("default", 0) is None:
            del field["default"]
        parameters.append(query(name, field, description))
    return parameters
