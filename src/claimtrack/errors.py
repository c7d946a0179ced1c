"""Turn pydantic validation errors into located issues."""

from __future__ import annotations

import difflib
import re
import typing
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


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation holds (through Optional, list, Annotated...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _field_names(model: type[BaseModel] | None, loc: Sequence[str | int]) -> list[str]:
    """The field names (aliases) of the model that holds the field at ``loc``."""
    for part in loc[:-1]:
        if model is None:
            return []
        if isinstance(part, int):
            continue  # an item of a list: the same annotation's model
        field = next(
            (info for name, info in model.model_fields.items() if part in (name, info.alias)),
            None,
        )
        model = next(_models_in(field.annotation), None) if field is not None else None
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def did_you_mean(value: object, choices: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice to a misspelt value, or nothing."""
    if not isinstance(value, str) or not choices:
        return ""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _message(error: Any, model: type[BaseModel] | None = None) -> str:
    kind = error["type"]
    field = ".".join(str(part) for part in error["loc"])
    if kind == "extra_forbidden":
        last = error["loc"][-1] if error["loc"] else ""
        hint = did_you_mean(last, _field_names(model, error["loc"]))
        return f"unknown field {field!r}{hint}: check its spelling against the schema, or remove it"
    if kind == "missing":
        return f"required field {field!r} is missing: add it"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "enum":
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        message += did_you_mean(error.get("input"), expected)
    value = error.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
    return f"{field}: {message}{shown}"


def validation_issues(
    error: ValidationError,
    file: str,
    node: Any,
    base_path: Sequence[str | int] = (),
    record_id: str | None = None,
    model: type[BaseModel] | None = None,
    node_at: Sequence[str | int] | None = None,
) -> Iterator[Issue]:
    """One issue per pydantic error, located at the line of the offending field."""
    for item in error.errors(include_url=False):
        path = [*base_path, *item["loc"]]
        line, column = locate(node, path if node_at is None else [*node_at, *item["loc"]])
        yield Issue(
            file=file,
            line=line,
            column=column,
            code=_code_for(item),
            message=_message(item, model),
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
    node_at: Sequence[str | int] | None = None,
) -> ModelT | None:
    """Validate ``data`` as ``model``; on failure add located issues and return None.
    ``base_path`` is where the record lies in its file; ``node_at`` where it lies in
    ``node``, when that is not the file's whole tree (by default ``base_path``)."""
    record_id = (
        data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        issues.extend(validation_issues(error, file, node, base_path, record_id, model, node_at))
        return None
