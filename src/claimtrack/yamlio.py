"""Load YAML so that scalars stay strings (no YAML 1.1 booleans, no dates) and lines are kept.

libyaml parses and composes the node tree (fast); the tree is then built here without
tag resolution: a plain ``null``/``~``/empty scalar is None and every other scalar is the
string as written, so `no`, `0x1F` and `1937-01-28` reach the models unchanged and pydantic
does any coercion the model asks for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
#: How deep YAML may nest (see _build).
MAX_DEPTH = 100
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Composes without resolving tags: _build ignores them, and resolving costs a regex
    match per scalar (a sixth of the time to load data/)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return "tag:yaml.org,2002:str"

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


Position = tuple[int, int]
"""1-based (line, column)."""


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class YamlMap(dict[str, Any]):
    """A mapping that remembers where it and each of its keys stand."""

    position: Position = (1, 1)
    key_positions: dict[str, Position]


class YamlList(list[Any]):
    """A sequence that remembers where it and each of its items stand."""

    position: Position = (1, 1)
    item_positions: list[Position]


def _position(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: yaml.Node, seen: set[int], depth: int = 0) -> Any:
    """Plain values with positions; ``seen`` holds the nodes built so far.

    An alias (``*name``) hands back a node already built: it is refused, since a few
    nested aliases expand to millions of values ("billion laughs") and the record format
    has no use for them. So is nesting deeper than MAX_DEPTH (records go a few levels
    deep; libyaml's own limit, 1,000, is past what Python's recursion allows here).
    """
    if depth > MAX_DEPTH:
        raise YamlSyntaxError(f"nested more than {MAX_DEPTH} levels deep", *_position(node))
    if id(node) in seen:
        raise YamlSyntaxError(
            "anchors and aliases (&name, *name) are not accepted: write the value out "
            "(the alias repeats the value that starts here)",
            *_position(node),
        )
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if not node.style and _NULL.match(node.value):  # plain style: None (pure) or "" (libyaml)
            return None
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        items = YamlList(_build(item, seen, depth + 1) for item in node.value)
        items.position = _position(node)
        items.item_positions = [_position(item) for item in node.value]
        return items
    mapping = YamlMap()
    mapping.position = _position(node)
    mapping.key_positions = {}
    for key_node, value_node in node.value:
        key = _build(key_node, seen, depth + 1)
        if not isinstance(key, str):
            raise YamlSyntaxError("a mapping key must be a plain string", *_position(key_node))
        if key in mapping:
            raise YamlSyntaxError(f"duplicate key {key!r}", *_position(key_node))
        mapping[key] = _build(value_node, seen, depth + 1)
        mapping.key_positions[key] = _position(key_node)
    return mapping


def load_yaml(text: str) -> Any:
    """Parse one YAML document; mappings and sequences remember their line numbers."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise YamlSyntaxError(
            error.problem or error.context or "invalid YAML", line, column
        ) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(str(error).splitlines()[0], None, None) from None
    return None if node is None else _build(node, set())


class Deferred:
    """A positioned tree read only when a position is asked for: a JSON file is read fast
    without positions, and parsed again (as the YAML it also is) for a problem's line."""

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load: Callable[[], Any] | None = load
        self._tree: Any = None

    def resolve(self) -> Any:
        if self._load is not None:
            self._tree, self._load = self._load(), None
        return self._tree


def locate(node: Any, path: Sequence[str | int]) -> tuple[int | None, int | None]:
    """1-based (line, column) of the deepest element of ``path`` that exists under ``node``."""
    if isinstance(node, Deferred):
        node = node.resolve()
    position: Position | None = getattr(node, "position", None)
    for key in path:
        if isinstance(node, YamlMap) and isinstance(key, str) and key in node:
            position = node.key_positions[key]
            node = node[key]
        elif isinstance(node, YamlList) and isinstance(key, int) and 0 <= key < len(node):
            position = node.item_positions[key]
            node = node[key]
        else:
            break
    return position if position is not None else (None, None)


def to_plain(node: Any) -> Any:
    """Plain dicts and lists, for validation and comparison."""
    if isinstance(node, dict):
        return {key: to_plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(value) for value in node]
    return node
