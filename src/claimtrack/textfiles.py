"""Read a file of data/ or of a contribution as UTF-8 text, YAML or JSON, problems as issues."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import ijson
import orjson

from claimtrack.issues import Issue
from claimtrack.yamlio import Deferred, Emit, Position, YamlSyntaxError, load_yaml, to_plain

T = TypeVar("T")


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


def read_yaml(path: Path, shown: str, issues: list[Issue], emit: Emit | None = None) -> Any:
    """A YAML file's positioned tree, or None (with an issue, unless it is empty); with
    ``emit``, its root list's items go to it as they are read (see ``load_yaml``), and a
    file of STREAM_YAML_FROM bytes or more is parsed from the file as it is read, its text
    never held whole (the raw files' manifest of a million-claim corpus is 2.2 MB, 4.4 MB
    as bytes and text)."""
    if emit is not None and _streams(path):
        with path.open("rb") as file:
            try:
                return load_yaml(file, emit)
            except YamlSyntaxError as error:
                problem = error
        # libyaml read the bytes the text would give it: its problem is the text's, unless
        # the bytes are not text at all, which the text's reading says as it says it
        if read_text(path, shown, issues) is not None:
            _syntax_problem(shown, issues, problem)
        return None
    text = read_text(path, shown, issues)
    if text is None:
        return None
    try:
        return load_yaml(text, emit)
    except YamlSyntaxError as error:
        _syntax_problem(shown, issues, error)
        return None


def _syntax_problem(shown: str, issues: list[Issue], error: YamlSyntaxError) -> None:
    # Said once, here: the file's records are then not reported again as missing.
    message = f"{error}; none of this file's records is checked until it parses"
    issues.append(Issue(shown, error.line, error.column, "YAML_SYNTAX", message))


#: A YAML data file this large or larger, read a record at a time, is parsed from the file.
STREAM_YAML_FROM = 1 << 20
#: A data file that starts with a byte order mark is read whole, as text, not streamed
#: (libyaml would take UTF-16; ijson stops at a UTF-8 one).
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _streams(path: Path) -> bool:
    """Whether a YAML file is parsed from the file as it is read (see ``read_yaml``)."""
    if path.stat().st_size < STREAM_YAML_FROM:
        return False
    with path.open("rb") as file:
        return not file.read(3).startswith(_BOMS)


#: The suffixes of data files: YAML for hand editing, JSON for files a program writes.
DATA_SUFFIXES = (".yaml", ".json")


def data_files(folder: Path) -> list[Path]:
    """The YAML and JSON files of a folder of data/, by name."""
    return [Path(path) for path in data_file_paths(folder)]


def data_file_paths(folder: Path) -> list[str]:
    """``data_files`` as text: 13,158 annotation files held 5.0 MB as ``Path``s, 1.2 MB as
    text (``tracemalloc``)."""
    with os.scandir(folder) as entries:
        names = sorted(entry.name for entry in entries if _data_suffix(entry.name))
    return [os.path.join(folder, name) for name in names]


def data_file_count(folder: Path) -> int:
    """How many files ``data_files`` lists, without listing them."""
    if not folder.is_dir():
        return 0
    with os.scandir(folder) as entries:
        return sum(1 for entry in entries if _data_suffix(entry.name))


def _data_suffix(name: str) -> bool:
    dot = name.rfind(".")  # as Path.suffix finds it
    return 0 < dot < len(name) - 1 and name[dot:] in DATA_SUFFIXES


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


@dataclass(frozen=True)
class Item:
    """One item of a data file's root list."""

    index: int
    plain: Any
    node: Any
    """The tree its fields are located in (``locate(node, [*at, ...])``)."""
    at: tuple[str | int, ...]
    line: int | None
    """Its line (None for a JSON file's: found only when a problem asks)."""


#: What ``read_data_list`` returns for a file that reads but whose root is not a list.
NOT_A_LIST = object()


def read_data_list(
    path: Path, shown: str, issues: list[Issue], take: Callable[[Item], T]
) -> list[T] | object | None:
    """What ``take`` makes of each item of a data file's root list, in order; NOT_A_LIST,
    or None (as ``read_data_file``). A YAML file's items are taken as they are read, and its
    tree is never held whole (a registry of a million-claim corpus took three times its
    records' memory as a tree and its plain copy); if the file then fails to parse, what
    was taken is dropped and only the syntax error is reported. A JSON file of
    STREAM_JSON_FROM bytes or more is read the same way (by ijson), one that does not
    stream cleanly whole (by orjson, which reports its problem with its line)."""
    if path.suffix == ".json":
        streamed = _json_list(path, take) if path.stat().st_size >= STREAM_JSON_FROM else None
        if streamed is not None:
            return streamed
        read = read_data_file(path, shown, issues)
        if read is None:
            return None
        value, tree = read
        if not isinstance(value, list):
            return NOT_A_LIST
        return [take(Item(index, plain, tree, (index,), None)) for index, plain in enumerate(value)]
    taken: list[T] = []

    def emit(node: Any, position: Position) -> None:
        taken.append(take(Item(len(taken), to_plain(node), node, (), position[0])))

    root = read_yaml(path, shown, issues, emit)
    if root is None:
        return None
    return taken if isinstance(root, list) else NOT_A_LIST


#: A JSON data file this large or larger is read a record at a time (smaller ones whole:
#: orjson is faster, and one holds little).
STREAM_JSON_FROM = 1 << 20


def _json_list(path: Path, take: Callable[[Item], T]) -> list[T] | None:
    """``take`` of each item of a JSON file whose root is a list, read by ijson as a
    stream; None if it is anything else or does not read cleanly (a BOM, bad bytes, bad
    JSON, another root): the caller then reads it whole and says why."""
    tree = Deferred(lambda: read_yaml(path, str(path), []))
    taken: list[T] = []
    try:
        with path.open("rb") as file:
            if file.read(3).startswith(_BOMS):
                return None
            file.seek(0)
            events = ijson.parse(file, use_float=True)
            first = next(events, None)
            if first != ("", "start_array", None):
                return None
            for plain in ijson.items(itertools.chain([first], events), "item"):
                taken.append(take(Item(len(taken), plain, tree, (len(taken),), None)))
    except (ijson.JSONError, UnicodeDecodeError, ValueError):
        return None
    return taken
