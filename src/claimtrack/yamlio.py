"""Load YAML so that scalars stay strings (no YAML 1.1 booleans, no dates) and lines are kept."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.resolver import VersionedResolver

_NULL = ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"))


class _NullOnlyResolver(VersionedResolver):
    """Resolve only null implicitly: `no`, `0x1F` and `1937-01-28` stay the strings they are."""

    @property
    def versioned_resolver(self) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
        return {first: [_NULL] for first in ("~", "n", "N", "")}


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def load_yaml(text: str) -> Any:
    """Parse YAML text; mappings and sequences remember their line numbers."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _NullOnlyResolver
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = error.problem or error.context or "invalid YAML"
        raise YamlSyntaxError(problem, line, column) from None
    except Exception as error:  # ruamel raises a few unmarked errors (e.g. duplicate keys)
        raise YamlSyntaxError(str(error).splitlines()[0], None, None) from None


def locate(node: Any, path: Sequence[str | int]) -> tuple[int | None, int | None]:
    """1-based (line, column) of the deepest element of ``path`` that exists under ``node``."""
    line: int | None = None
    column: int | None = None
    if isinstance(node, CommentedMap | CommentedSeq):
        line, column = node.lc.line + 1, node.lc.col + 1
    for key in path:
        if isinstance(node, CommentedMap) and key in node:
            key_line, key_col = node.lc.key(key)[:2]
            line, column = key_line + 1, key_col + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            item_line, item_col = node.lc.item(key)
            line, column = item_line + 1, item_col + 1
            node = node[key]
        else:
            break
    return line, column


def to_plain(node: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts and lists."""
    if isinstance(node, dict):
        return {str(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(value) for value in node]
    return node
