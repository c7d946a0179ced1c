"""Tell an annotation file (data/documents/<id>.yaml: one mapping, a document and its
claims) from a file of records, so `validate` checks either kind alone."""

from __future__ import annotations

import re
from pathlib import Path

_TOP_LEVEL_KEY = re.compile(r"^(origin|claims|document_type)\s*:", re.M)


def is_annotation_file(path: Path) -> bool:
    """A YAML or JSON file in a documents/ folder, or a YAML file whose top level has the
    keys only an annotation file has (origin, claims, document_type)."""
    if path.suffix == ".json":
        return path.parent.name == "documents" and path.is_file()
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return False
    if path.parent.name == "documents":
        return True
    try:
        head = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return len(set(_TOP_LEVEL_KEY.findall(head))) >= 2


def split_annotation_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(annotation files, files of records), each in the order given."""
    annotation = [path for path in paths if is_annotation_file(path)]
    return annotation, [path for path in paths if path not in annotation]
