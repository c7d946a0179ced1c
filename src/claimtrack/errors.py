"""Turn pydantic validation errors into located issues."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from claimtrack.issues import Issue
from claimtrack.yamlio import locate

ModelT = TypeVar("ModelT", bound=BaseModel)

_ID_FIELDS = {"id", "document_id", "claim_id", "source_id", "agent_id", "claimant_id"}


def json_pointer(path: Sequence[str | int]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _code_for(error: Any) -> str:
    kind = error["type"]
    last = error["loc"][-1] if error["loc"] else ""
    if kind == "extra_forbidden":
        return "UNKNOWN_FIELD"
    if kind == "missing":
        return "MISSING_FIELD"
    if kind == "value_error" and "not a valid EDTF" in error["msg"]:
        return "INVALID_EDTF"
    if kind == "string_pattern_mismatch" and (last in _ID_FIELDS or str(last).endswith("_ids")):
        return "INVALID_ID"
    if kind == "string_pattern_mismatch" and isinstance(last, int):
        return "INVALID_ID"  # items of id lists (author_ids, topics)
    return "SCHEMA"


def _message(error: Any) -> str:
    kind = error["type"]
    field = ".".join(str(part) for part in error["loc"])
    if kind == "extra_forbidden":
        return f"unknown field {field!r}: check its spelling against the schema, or remove it"
    if kind == "missing":
        return f"required field {field!r} is missing: add it"
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
    return f"{field}: {message}{shown}"


def validation_issues(
    error: ValidationError,
    file: str,
    node: Any,
    base_path: Sequence[str | int] = (),
    record_id: str | None = None,
) -> Iterator[Issue]:
    """One issue per pydantic error, located at the line of the offending field."""
    for item in error.errors(include_url=False):
        path = [*base_path, *item["loc"]]
        line, column = locate(node, path)
        yield Issue(
            file=file,
            line=line,
            column=column,
            code=_code_for(item),
            message=_message(item),
            pointer=json_pointer(path),
            record_id=record_id,
        )


def validate_record(
    model: type[ModelT],
    data: Any,
    file: str,
    node: Any,
    base_path: Sequence[str | int],
    issues: list[Issue],
) -> ModelT | None:
    """Validate ``data`` as ``model``; on failure add located issues and return None."""
    record_id = (
        data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        issues.extend(validation_issues(error, file, node, base_path, record_id))
        return None
