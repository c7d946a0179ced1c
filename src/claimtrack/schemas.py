"""Generate the JSON Schemas (Draft 2020-12) in schema/ from the pydantic models, and detect drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

from claimtrack.loading import DocumentFile
from claimtrack.models import SCHEMA_VERSION, TABLE_MODELS, ClaimInput
from claimtrack.models.documents import RawFileEntry
from claimtrack.vocab import ALL_VOCABULARIES

DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: File name -> model: one schema per release table, plus the two contribution formats.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    **{f"{table}.schema.json": model for table, model in TABLE_MODELS.items()},
    "annotation-file.schema.json": DocumentFile,
    "claim-input.schema.json": ClaimInput,
    "raw-file-entry.schema.json": RawFileEntry,
}

_VOCABULARY_BY_NAME = {vocabulary.__name__: vocabulary for vocabulary in ALL_VOCABULARIES}


def _document_vocabularies(schema: dict[str, Any]) -> None:
    for name, definition in schema.get("$defs", {}).items():
        vocabulary = _VOCABULARY_BY_NAME.get(name)
        if vocabulary is not None and "enum" in definition:
            definition["description"] = "; ".join(
                f"{value}: {meaning}" for value, meaning in vocabulary.definitions().items()
            )


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, mode="validation")
    _document_vocabularies(schema)
    return {"$schema": DRAFT, "x-schema-version": SCHEMA_VERSION, **schema}


def render(model: type[BaseModel]) -> bytes:
    return (
        orjson.dumps(schema_for(model), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    )


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMA_MODELS.items():
        path = folder / name
        path.write_bytes(render(model))
        written.append(path)
    return written


def drifted(folder: Path) -> list[str]:
    """Names of schema files that are missing, stale or unexpected in ``folder``."""
    problems = []
    for name, model in SCHEMA_MODELS.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != render(model):
            problems.append(name)
    if folder.is_dir():
        problems.extend(
            path.name
            for path in sorted(folder.glob("*.schema.json"))
            if path.name not in SCHEMA_MODELS
        )
    return problems
