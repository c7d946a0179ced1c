"""A record with the file and line it came from; the lines of its fields are found by
reading its file again, only when a problem needs one.

A file's parsed YAML tree is several times the size of its records (at 16 copies of the seed,
205 of the 334 MB held after loading were trees), and a line is wanted only for the few
records that have a problem. So the loader drops each tree once its file is read, and a
Located keeps just the file's path: ``line_of`` parses the file again (a few recent files
are cached) and walks to the field.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from claimtrack.errors import json_pointer
from claimtrack.textfiles import read_yaml
from claimtrack.yamlio import locate

RecordT = TypeVar("RecordT")  # a model, or a claim as read (loose_claims)


@functools.lru_cache(maxsize=4)
def _tree(path: Path, mtime_ns: int) -> Any:
    """The parsed file (None if it no longer reads); ``mtime_ns`` drops a stale tree."""
    try:  # read as the loader read it; its problems were reported then
        return read_yaml(path, str(path), [])
    except OSError:
        return None


@dataclass(frozen=True)
class YamlSource:
    """Where a record's YAML tree can be read again."""

    path: Path

    def tree(self) -> Any:
        try:
            mtime_ns = self.path.stat().st_mtime_ns
        except OSError:
            return None
        return _tree(self.path, mtime_ns)


@dataclass(frozen=True, slots=True)
class Located(Generic[RecordT]):
    record: RecordT
    file: str
    line: int | None
    source: YamlSource | None = field(default=None, repr=False, compare=False)
    """The file the record came from, read again to locate its fields."""
    path: tuple[str | int, ...] = ()
    """Where the record lies inside its file's tree."""

    @property
    def node(self) -> Any:
        """The parsed YAML file the record came from (None if it is not a YAML record)."""
        return None if self.source is None else self.source.tree()

    def line_of(self, *parts: str | int) -> int | None:
        """The line of a field of this record (of the record itself if the field is absent)."""
        node = self.node
        if node is None:
            return self.line
        return locate(node, [*self.path, *parts])[0]

    def root_pointer(self, pointer: str) -> str:
        """A pointer within this record as a pointer from its file's root (RFC 6901)."""
        return json_pointer(self.path) + pointer

    def line_at(self, pointer: str) -> int | None:
        """The line of the field a JSON Pointer (``/attribution/via/0/agent_id``) names."""
        return self.line_of(*pointer_parts(pointer))


def pointer_parts(pointer: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in pointer.split("/")[1:]]
