"""Which fields of which table refer to which table: declared once, for data/ and contributions."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

#: table -> (field path, referenced table). ``[]`` walks a list; the path is dotted.
REFERENCE_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (("author_ids[]", "agents"), ("excerpt_of", "sources")),
    "claims": (
        ("document_id", "documents"),
        ("attribution.claimant_id", "agents"),
        ("attribution.via[].agent_id", "agents"),
        ("attribution.via[].source_id", "sources"),
        ("entities[].agent_id", "agents"),
        ("topics[]", "topics"),
        ("citations[].source_id", "sources"),
    ),
    "historiography": (("claim_id", "claims"), ("source_id", "sources")),
    "claim_relations": (("from_claim_id", "claims"), ("to_claim_id", "claims")),
    "research": (("claim_id", "claims"),),
}

Step = tuple[str, bool]
"""A key, and whether its value is a list to walk."""


def _compile(path: str) -> tuple[Step, ...]:
    return tuple((part.removesuffix("[]"), part.endswith("[]")) for part in path.split("."))


_COMPILED: dict[str, tuple[tuple[tuple[Step, ...], str], ...]] = {
    table: tuple((_compile(path), target) for path, target in fields)
    for table, fields in REFERENCE_FIELDS.items()
}


def _values(record: dict[str, Any], steps: tuple[Step, ...]) -> Iterator[tuple[str, Any]]:
    """(JSON pointer, value) at the end of ``steps``; absent keys and wrong shapes yield nothing."""
    frontier: list[tuple[str, Any]] = [("", record)]
    for key, is_list in steps:
        reached: list[tuple[str, Any]] = []
        for pointer, value in frontier:
            child = value.get(key) if isinstance(value, dict) else None
            if child is None:
                continue
            if not is_list:
                reached.append((f"{pointer}/{key}", child))
            elif isinstance(child, list):
                reached.extend(
                    (f"{pointer}/{key}/{index}", item) for index, item in enumerate(child)
                )
        frontier = reached
    return iter(frontier)


def iter_references(table: str, record: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """Each (JSON pointer, referenced table, id) in a record given as a dict; nulls are skipped."""
    for steps, target_table in _COMPILED.get(table, ()):
        for pointer, value in _values(record, steps):
            if isinstance(value, str):
                yield pointer, target_table, value


def _has_unknown_source(table: str) -> str:
    """Python source of a function that tells whether a record refers to an unknown id.

    Generated from REFERENCE_FIELDS (one declaration, no hand-written twin): the bulk
    validator calls it for every record, and straight-line code is several times faster
    than walking the paths generically. Pointers are computed by ``iter_references`` only
    for the rare record where this returns True.
    """
    lines = ["def has_unknown(record, known):"]
    for number, (steps, target_table) in enumerate(_COMPILED.get(table, ())):
        lines.append(f"    ids = known[{target_table!r}]")
        indent, current = "    ", "record"
        for depth, (key, is_list) in enumerate(steps):
            child = f"v{number}_{depth}"
            lines.append(
                f"{indent}{child} = {current}.get({key!r}) if type({current}) is dict else None"
            )
            if is_list:
                lines.append(
                    f"{indent}for {child}_item in ({child} if type({child}) is list else ()):"
                )
                indent += "    "
                current = f"{child}_item"
            else:
                current = child
        lines.append(f"{indent}if type({current}) is str and {current} not in ids:")
        lines.append(f"{indent}    return True")
    lines.append("    return False")
    return "\n".join(lines)


def _make_has_unknown(table: str) -> Callable[[dict[str, Any], dict[str, set[str]]], bool]:
    namespace: dict[str, Any] = {}
    exec(compile(_has_unknown_source(table), f"<references of {table}>", "exec"), namespace)
    function: Callable[[dict[str, Any], dict[str, set[str]]], bool] = namespace["has_unknown"]
    return function


#: table -> has_unknown(record, known ids by table): True if any reference is not known.
HAS_UNKNOWN_REFERENCE = {table: _make_has_unknown(table) for table in REFERENCE_FIELDS}


def closed_schema(schema: dict[str, Any], table: str, known: dict[str, set[str]]) -> dict[str, Any]:
    """``schema`` (a ``table`` record's) narrowed so that every reference names a known id.

    One compiled validation then answers "valid, and refers only to known ids". Along each
    reference path the schema is copied (``$ref``s to ``$defs`` inlined, so other uses of a
    definition keep it) and the referring field's own schema becomes an ``enum`` of the
    ids: a known id already fits the id pattern, and one lookup is cheaper than the regex.
    A path whose shape is not plain objects and arrays is checked under ``allOf`` instead.
    """
    closed = copy.deepcopy(schema)
    definitions = closed.get("$defs", {})
    fallback: dict[str, Any] = {}
    for steps, target_table in _COMPILED.get(table, ()):
        ids = sorted(known[target_table])
        if not _narrow(closed, steps, ids, definitions):
            node = fallback
            for key, is_list in steps:
                node = node.setdefault("properties", {}).setdefault(key, {})
                if is_list:
                    node = node.setdefault("items", {})
            node["enum"] = [*ids, None]  # the table's own schema says where null may stand
    if fallback:
        closed["allOf"] = [*closed.get("allOf", []), fallback]
    return closed


def _narrow(
    node: dict[str, Any], steps: tuple[Step, ...], ids: list[str], definitions: dict[str, Any]
) -> bool:
    """Replace the schema at the end of ``steps`` by an enum of ``ids``; False if the path
    does not run through plain object and array schemas."""
    for depth, (key, is_list) in enumerate(steps):
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/$defs/"):
            node.pop("$ref")
            node.update(copy.deepcopy(definitions[reference.removeprefix("#/$defs/")]))
        properties = node.get("properties")
        if not isinstance(properties, dict) or not isinstance(properties.get(key), dict):
            return False
        last = depth == len(steps) - 1
        if is_list:
            array = properties[key]
            if array.get("type") != "array" or not isinstance(array.get("items"), dict):
                return False
            if last:
                array["items"] = _enum_of(array["items"], ids)
                return True
            node = array["items"]
        elif last:
            properties[key] = _enum_of(properties[key], ids)
            return True
        else:
            node = properties[key]
    return False


def _enum_of(field: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """An enum of ``ids``, with null if ``field`` admits null."""
    options = [field, *field.get("anyOf", [])]
    nullable = any(
        option.get("type") == "null"
        or (isinstance(option.get("type"), list) and "null" in option["type"])
        for option in options
    )
    return {"enum": [*ids, None] if nullable else ids}
