"""One record against its table's schema: the compiled validator's verdict made into
located problems (JSONL), and YAML records read by their model."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
from pydantic import BaseModel, ValidationError

from claimtrack.errors import validation_issues
from claimtrack.issues import Issue
from claimtrack.models import (
    Agent,
    ClaimInput,
    ClaimRelation,
    Document,
    HistoriographyLink,
    Source,
    Tombstone,
    Topic,
)
from claimtrack.record_files import TABLES, RawRecord, nested_deeper_than
from claimtrack.yamlio import MAX_DEPTH

#: The model a contributed record of each table must satisfy (claims may omit offsets).
INPUT_MODELS: dict[str, type[BaseModel]] = {
    "documents": Document,
    "agents": Agent,
    "sources": Source,
    "topics": Topic,
    "claims": ClaimInput,
    "historiography": HistoriographyLink,
    "claim_relations": ClaimRelation,
    "tombstones": Tombstone,
}
assert tuple(INPUT_MODELS) == TABLES, "record_files.TABLES lists the same tables in order"


def schema_issues(
    model: type[BaseModel], validator: jsonschema_rs.Validator, raw: RawRecord
) -> list[Issue]:
    """Located problems of a JSONL record the compiled schema rejected: the model's
    messages, or the schema's where the model accepts what the schema does not."""
    record_id = (
        raw.data.get("id")
        if isinstance(raw.data, dict) and isinstance(raw.data.get("id"), str)
        else None
    )

    def located(code: str, message: str, pointer: str) -> Issue:
        return Issue(raw.file, raw.line, None, code, message, pointer, record_id)

    if nested_deeper_than(raw.data, MAX_DEPTH):  # as YAML is; the model would recurse
        message = (
            f"the record nests more than {MAX_DEPTH} levels deep; records go a few levels deep"
        )
        return [located("SCHEMA", message, "")]
    try:
        model.model_validate(raw.data)
    except ValidationError as error:
        return [
            located(issue.code, issue.message, issue.pointer)
            for issue in validation_issues(error, raw.file, None, [], record_id, model)
        ]
    return [
        located("SCHEMA", error.message, "".join(f"/{part}" for part in error.instance_path))
        for error in validator.iter_errors(raw.data)
    ]


def typed_yaml_record(
    model: type[BaseModel], raw: RawRecord, issues: list[Issue]
) -> dict[str, Any] | None:
    """A YAML record read by its model, as data/ is read: every YAML scalar is a string
    (yamlio), so ``start: 43`` means the integer only once the model says so. Returns the
    record with typed values and the fields it gave, or None after adding to ``issues``
    why the model rejects it."""
    record_id = raw.data.get("id") if isinstance(raw.data.get("id"), str) else None
    try:
        record = model.model_validate(raw.data)
    except ValidationError as error:
        issues.extend(validation_issues(error, raw.file, raw.node, [raw.index], record_id, model))
        return None
    typed: dict[str, Any] = record.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return typed


def integers_as_int(value: Any) -> Any:
    """``value`` with integral floats as ints: JSON Schema's integer admits 43.0, and the
    model reads it as 43 (the record format has no float field)."""
    if type(value) is float:
        return int(value) if value.is_integer() else value
    if type(value) is dict:
        return {key: integers_as_int(item) for key, item in value.items()}
    if type(value) is list:
        return [integers_as_int(item) for item in value]
    return value
