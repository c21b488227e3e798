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
    found: list[tuple[str, str]] = []
    _compiled(name)(document, "", found)
    return found


@cache
def _compiled(name: str):
    schema = load(name)
    return _compile(schema, schema, {})


def _where(path: Any) -> str:
    """Paths are built lazily as nested (parent, key) tuples; only an error formats one."""
    parts = []
    while isinstance(path, tuple):
        path, key = path
        parts.append(str(key))
    return (path + "".join("/" + p for p in reversed(parts))) or "/"


def _type_test(kinds: list[str]):
    """One predicate for a list of JSON types (the same answers as ``_is_type``)."""
    if kinds == ["string"]:
        return lambda v: isinstance(v, str)
    if kinds == ["object"]:
        return lambda v: isinstance(v, dict)
    if kinds == ["array"]:
        return lambda v: isinstance(v, list)
    if kinds == ["number"]:
        return lambda v: type(v) is float or type(v) is int or _is_type(v, "number")
    return lambda v: any(_is_type(v, k) for k in kinds)


def _compile(schema: dict[str, Any], root: dict[str, Any], memo: dict[int, Any]):
    """The check of ``schema`` as one closure, ``check(value, path, out)``: the same errors in
    the same order as ``_check`` (kept below as the reference), without looking keywords up
    or formatting paths for every value of a 100,000-person file (about 10x faster)."""
    key = id(schema)
    if key in memo:
        return memo[key]
    slot: list[Any] = []
    memo[key] = lambda value, path, out: slot[0](value, path, out)  # for recursive refs
    ref = _compile(_resolve(root, schema["$ref"]), root, memo) if "$ref" in schema else None
    subs = [_compile(s, root, memo) for s in schema.get("allOf", [])]
    enum = schema.get("enum")
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    type_ok = _type_test(kinds) if kinds is not None else None
    expected_types = " | ".join(kinds) if kinds is not None else ""
    lo, hi = schema.get("minimum"), schema.get("maximum")
    min_len = schema.get("minLength", 0)
    required = schema.get("required", [])
    props = [(k, _compile(s, root, memo)) for k, s in schema.get("properties", {}).items()]
    items = schema.get("items")
    item_check = plain_kind = None
    if items is not None:
        target = _resolve(root, items["$ref"]) if "$ref" in items else items
        if set(target) == {"type"} and isinstance(target["type"], str):
            plain_kind = target["type"]
        item_check = _compile(target, root, memo)

    def check(value: Any, path: Any, out: list) -> None:
        if ref is not None:
            ref(value, path, out)
        for sub in subs:
            sub(value, path, out)
        if enum is not None and value not in enum:
            shown = [v if v is not None else "null" for v in enum]
            out.append((_where(path), " | ".join(str(v) for v in shown)))
            return
        if type_ok is not None:
            if not type_ok(value):
                out.append((_where(path), expected_types))
                return
            if type(value) is float and not math.isfinite(value):
                out.append((_where(path), "finite number"))
                return
        if (lo is not None or hi is not None) and (
            isinstance(value, int | float) and not isinstance(value, bool)
        ):
            if lo is not None and value < lo:
                out.append((_where(path), f">= {lo}"))
            if hi is not None and value > hi:
                out.append((_where(path), f"<= {hi}"))
        if min_len and isinstance(value, str) and len(value) < min_len:
            out.append((_where(path), "non-empty string"))
        if isinstance(value, dict):
            for k in required:
                if k not in value:
                    out.append((_where((path, k)), "required"))
            for k, sub in props:
                if k in value:
                    sub(value[k], (path, k), out)
        elif item_check is not None and isinstance(value, list):
            if plain_kind == "number" and all(type(x) is float or type(x) is int for x in value):
                if _finite_sum(value):
                    return
            elif plain_kind is not None and all(_is_type(x, plain_kind) for x in value):
                if plain_kind not in ("number", "integer") or _finite_sum(value):
                    return
            for i, x in enumerate(value):
                item_check(x, (path, i), out)

    slot.append(check)
    memo[key] = check
    return check


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


def reference_errors(document: Any, name: str) -> list[tuple[str, str]]:
    """The same as ``errors`` by the plain recursive walk (kept to test the compiled one)."""
    schema = load(name)
    found: list[tuple[str, str]] = []
    _check(document, schema, schema, "", found)
    return found


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
