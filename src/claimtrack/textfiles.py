"""Read a file of data/ or of a contribution as UTF-8 text, YAML or JSON, problems as issues."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from claimtrack.issues import Issue
from claimtrack.yamlio import Deferred, YamlSyntaxError, load_yaml, to_plain


def shown_path(path: Path, data_dir: Path) -> str:
    """A path as problems name it: relative to the folder that holds data/ (so ``--data
    probe`` gives ``probe/raw/...``), or as given when outside it."""
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:
        return str(path)


def read_text(path: Path, shown: str, issues: list[Issue]) -> str | None:
    """Read a UTF-8 file (a BOM is allowed), reporting bad bytes with their line."""
    data = path.read_bytes()
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        issues.append(Issue(shown, line, None, "ENCODING", "the file holds a NUL byte"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        issues.append(
            Issue(
                shown,
                line,
                column,
                "ENCODING",
                f"byte {data[error.start]:#04x} is not UTF-8; save the file as UTF-8",
            )
        )
        return None


def read_yaml(path: Path, shown: str, issues: list[Issue]) -> Any:
    text = read_text(path, shown, issues)
    if text is None:
        return None
    try:
        return load_yaml(text)
    except YamlSyntaxError as error:
        # Said once, here: the file's records are then not reported again as missing.
        message = f"{error}; none of this file's records is checked until it parses"
        issues.append(Issue(shown, error.line, error.column, "YAML_SYNTAX", message))
        return None


#: The suffixes of data files: YAML for hand editing, JSON for files a program writes.
DATA_SUFFIXES = (".yaml", ".json")


def data_files(folder: Path) -> list[Path]:
    """The YAML and JSON files of a folder of data/, by name."""
    return sorted(
        (path for path in folder.glob("*.*") if path.suffix in DATA_SUFFIXES),
        key=lambda path: path.name,
    )


def read_data_file(path: Path, shown: str, issues: list[Issue]) -> tuple[Any, Any] | None:
    """A YAML or JSON file of data/ as its plain value and the tree its positions are found
    in; None (with an issue, unless it is an empty YAML file) if it does not read.

    A JSON file is read with orjson, without positions: the tree is parsed (as YAML, which
    JSON also is) only if a problem asks for a line. Its values keep their JSON types: a
    field that YAML reads as text must be a JSON string.
    """
    if path.suffix != ".json":
        node = read_yaml(path, shown, issues)
        return None if node is None else (to_plain(node), node)
    text = read_text(path, shown, issues)
    if text is None:
        return None
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        message = f"{error.msg}; none of this file's records is checked until it parses"
        issues.append(Issue(shown, error.lineno, error.colno, "JSON_SYNTAX", message))
        return None
    return value, Deferred(lambda: read_yaml(path, shown, []))
