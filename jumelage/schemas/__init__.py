"""The JSON Schemas of the engine's files, and a small validator for the subset they use.

A hand-written validator keeps ``jsonschema`` out of the engine's dependencies; it understands
exactly the keywords our schemas use (type, properties, required, items, enum, minimum, maximum,
minLength, allOf, local $ref) and reports each error as a (path, expected) pair.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
}


@cache
def load(name: str) -> dict[str, Any]:
    """The schema ``name`` ("instance", "result" or "fit")."""
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def errors(document: Any, name: str) -> list[tuple[str, str]]:
    """Every place where ``document`` does not follow schema ``name``, as (path, expected)."""
    schema = load(name)
    found: list[tuple[str, str]] = []
    _check(document, schema, schema, "", found)
    return found


def _is_type(value: Any, kind: str) -> bool:
    if kind == "number":
        return (type(value) is float or type(value) is int) or (
            isinstance(value, int | float) and not isinstance(value, bool)
        )
    if kind == "integer":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            or (isinstance(value, float) and value.is_integer())
        )
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def _finite_sum(values: list) -> bool:
    """A fast "every number is finite" (C-level sum); False sends the list to the detailed
    per-item check."""
    try:
        return math.isfinite(math.fsum(values))
    except (OverflowError, TypeError, ValueError):
        return False


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str, out: list) -> None:
    if "$ref" in schema:
        _check(value, _resolve(root, schema["$ref"]), root, path, out)
    for sub in schema.get("allOf", []):
        _check(value, sub, root, path, out)
    where = path or "/"
    if "enum" in schema and value not in schema["enum"]:
        shown = [v if v is not None else "null" for v in schema["enum"]]
        out.append((where, " | ".join(str(v) for v in shown)))
        return
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is_type(value, k) for k in kinds):
            out.append((where, " | ".join(kinds)))
            return
        if isinstance(value, float) and not math.isfinite(value):
            # NaN and ±Infinity (which Python's JSON reader accepts) are no numbers here
            out.append((where, "finite number"))
            return
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            out.append((where, f">= {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            out.append((where, f"<= {schema['maximum']}"))
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        out.append((where, "non-empty string"))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                out.append((f"{path}/{key}", "required"))
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                _check(value[key], sub, root, f"{path}/{key}", out)
    if isinstance(value, list) and "items" in schema:
        items = schema["items"]
        if "$ref" in items:
            items = _resolve(root, items["$ref"])
        if set(items) == {"type"} and isinstance(items["type"], str):
            # Long lists of plain values (text vectors): one pass, details only on failure.
            kind = items["type"]
            if all(_is_type(item, kind) for item in value) and (
                kind not in ("number", "integer") or _finite_sum(value)
            ):
                return
        for i, item in enumerate(value):
            _check(item, items, root, f"{path}/{i}", out)
