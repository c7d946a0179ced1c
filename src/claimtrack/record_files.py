"""Read files of contributed records (JSONL or YAML) as a stream of located raw records."""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from claimtrack.issues import Issue
from claimtrack.textfiles import read_text
from claimtrack.yamlio import YamlSyntaxError, load_yaml, locate, to_plain

TABLES = (
    "documents",
    "agents",
    "sources",
    "topics",
    "claims",
    "historiography",
    "claim_relations",
    "tombstones",
)

SUFFIXES = (".jsonl", ".yaml", ".yml")
_BOM = b"\xef\xbb\xbf"


class UsageError(Exception):
    """A problem with the command line rather than with the data (exit 2)."""


def infer_table(path: Path, table: str | None) -> str:
    if table is not None:
        if table not in TABLES:
            raise UsageError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
        return table
    name = path.name
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            stem = name.removesuffix(suffix).rsplit(".", 1)[-1]
            if stem in TABLES:
                return stem
    raise UsageError(
        f"{path}: cannot tell the table from the file name; name it <table>.jsonl or "
        f"<anything>.<table>.yaml, or pass --table ({', '.join(TABLES)})"
    )


@dataclass(slots=True)
class RawRecord:
    data: Any
    file: str
    line: int
    node: Any = None
    """The parsed YAML list (YAML input only), to locate fields."""
    index: int = 0
    source: bytes | None = None
    """The record's JSONL line as read, to compare repeated ids without re-serialising."""

    def fingerprint(self) -> int:
        """A fingerprint of the content, to tell a repeated id with other content: Python's
        64-bit hash of the line as read (of the sorted JSON for YAML). Two different records
        of one id collide with odds of 2**-64, and one int is kept per id."""
        if self.source is not None:
            return hash(self.source)
        return hash(orjson.dumps(self.data, option=orjson.OPT_SORT_KEYS))

    def line_of(self, pointer: str) -> int:
        if self.node is None:
            return self.line
        parts = [int(part) if part.isdigit() else part for part in pointer.split("/")[1:]]
        return locate(self.node, [self.index, *parts])[0] or self.line


def iter_jsonl_values(
    path: Path,
    shown: str,
    issues: list[Issue],
    start: int = 0,
    end: int | None = None,
    first_line: int = 1,
) -> Generator[tuple[int, bytes, Any], None, int]:
    """(line number, line without its end, parsed value) for each non-blank line; bad bytes
    and bad JSON become issues with their line instead.

    With ``start``/``end`` (byte offsets at line starts) only that range is read, and its
    first line is numbered ``first_line``. Returns the number of lines read, blank and bad
    ones included.
    """
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    number = first_line - 1
    with path.open("rb") as stream:
        stream.seek(start)
        lines = stream if end is None else _lines_until(stream, end)
        for number, raw_line in enumerate(lines, start=first_line):
            try:
                # orjson parses and checks UTF-8 in one pass; only a line it rejects (bad
                # JSON or bytes, a NUL, a blank line, the BOM) is looked at more closely
                value = loads(raw_line)
            except decode_error:
                if number == 1 and start == 0 and raw_line.startswith(_BOM):
                    raw_line = raw_line[len(_BOM) :]
                parsed = _rejected_line(raw_line, shown, number, issues)
                if parsed is None:
                    continue
                value = parsed[0]
            yield number, raw_line.rstrip(b"\r\n"), value
    return number - first_line + 1


def _rejected_line(
    raw_line: bytes, shown: str, number: int, issues: list[Issue]
) -> tuple[Any] | None:
    """A line orjson rejected: its value if it parses now (the BOM gone), else None, with
    an issue for anything but a blank line."""
    if b"\x00" in raw_line:
        column = raw_line.index(b"\x00") + 1
        issues.append(Issue(shown, number, column, "ENCODING", "the line holds a NUL byte"))
        return None
    if not raw_line or raw_line.isspace():
        return None
    try:
        return (orjson.loads(raw_line),)
    except orjson.JSONDecodeError:
        issues.append(_line_problem(raw_line, shown, number))
        return None


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` levels deep."""
    level: list[Any] = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return True


def _lines_until(stream: BinaryIO, end: int) -> Iterator[bytes]:
    remaining = end - stream.tell()
    for line in stream:
        if remaining <= 0:
            return
        remaining -= len(line)
        yield line


def line_aligned_ranges(path: Path, parts: int) -> list[tuple[int, int]]:
    """About equal byte ranges of a file, each starting at the start of a line."""
    size = path.stat().st_size
    bounds = [0]
    with path.open("rb") as stream:
        for part in range(1, parts):
            stream.seek(max(size * part // parts, bounds[-1]))
            stream.readline()
            bounds.append(min(stream.tell(), size))
    bounds.append(size)
    return [(first, last) for first, last in itertools.pairwise(bounds) if last > first]


def _line_problem(raw_line: bytes, shown: str, number: int) -> Issue:
    """The encoding or syntax problem of a line orjson rejected, with its column."""
    try:
        text = raw_line.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = raw_line[error.start]
        return Issue(
            shown,
            number,
            error.start + 1,
            "ENCODING",
            f"byte {byte:#04x} is not UTF-8; save the file as UTF-8",
        )
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError as error:
        return Issue(shown, number, error.colno, "JSON_SYNTAX", f"invalid JSON: {error.msg}")
    return Issue(shown, number, None, "JSON_SYNTAX", "invalid JSON")


def iter_yaml(path: Path, shown: str, issues: list[Issue]) -> Iterator[RawRecord]:
    text = read_text(path, shown, issues)
    if text is None:
        return
    try:
        node = load_yaml(text)
    except YamlSyntaxError as error:
        issues.append(Issue(shown, error.line, error.column, "YAML_SYNTAX", str(error)))
        return
    if not isinstance(node, list):
        issues.append(
            Issue(shown, 1, 1, "NOT_A_LIST", "a YAML contribution holds a list of records")
        )
        return
    for index, item in enumerate(node):
        yield RawRecord(to_plain(item), shown, locate(node, [index])[0] or 1, node, index)
