"""Load YAML so that scalars stay strings (no YAML 1.1 booleans, no dates) and lines are kept.

libyaml parses; the values are built here, event by event, without tag resolution: a plain
``null``/``~``/empty scalar is None and every other scalar is the string as written, so
`no`, `0x1F` and `1937-01-28` reach the models unchanged and pydantic does any coercion the
model asks for. Building from the parser's events, rather than from the node tree libyaml
composes, holds no node of the file (a node and its two marks for every value): reading
the agents of a million-claim corpus (one 1.6 MB file) took 94 MB and 0.7-1.0 s through the
tree, 42 MB and 0.22-0.26 s this way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import IO, Any

import yaml

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
#: How deep YAML may nest (see _document).
MAX_DEPTH = 100
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


_MAPPING, _SEQUENCE, _SCALAR = yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.ScalarEvent
_NO_KEY = object()
"""A mapping's next value is a key."""


def _position(event: Any) -> Position:
    return event.start_mark.line + 1, event.start_mark.column + 1


#: Takes each item of a document's root list as it is read (its value and position).
Emit = Callable[[Any, Position], None]


def load_yaml(text: str | IO[bytes], emit: Emit | None = None) -> Any:
    """Parse one YAML document (text, or a file of UTF-8 bytes, read as it is parsed);
    mappings and sequences remember their line numbers.

    With ``emit``, a root list's items are handed to it one at a time, as each is read,
    and not kept: the list returned is empty (a registry of a million-claim corpus is read
    without its whole tree). A problem anywhere in the document is still raised at its end,
    after the items before it were emitted: whoever keeps them discards them then."""
    loader: Any = _Loader(text)  # the parser: no tag resolved, no node composed
    try:
        loader.get_event()  # the stream's start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # the document's start
        value, problem = _document(loader, emit)
        loader.get_event()  # the document's end
        if not loader.check_event(yaml.StreamEndEvent):
            raise YamlSyntaxError("but found another document", *_position(loader.get_event()))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise YamlSyntaxError(
            error.problem or error.context or "invalid YAML", line, column
        ) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(str(error).splitlines()[0], None, None) from None
    finally:
        loader.dispose()
    if problem is not None:
        raise problem
    return value


def _document(loader: Any, emit: Emit | None = None) -> tuple[Any, YamlSyntaxError | None]:
    """The document's value, built from its events, and the first problem in it that is
    not a syntax error. The events are read to the document's end even after such a
    problem, so that a syntax error anywhere in it is the one reported.

    Refused besides: an alias (``*name``), since a few nested aliases expand to millions of
    values ("billion laughs") and the record format has no use for them; nesting deeper than
    MAX_DEPTH (records go a few levels deep; libyaml's own limit, 1,000, is past what the
    models' validation takes); a mapping key that is not a plain string, or repeated.
    """
    stack: list[list[Any]] = []  # each open collection: [itself, its pending key, its line]
    anchors: dict[str, Position] = {}
    problem: YamlSyntaxError | None = None
    get_event = loader.get_event
    while True:
        event = get_event()
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            closed = stack.pop()[0]
            if not stack:
                return closed, problem
            if emit is not None and len(stack) == 1 and problem is None:
                _emit(stack[0][0], closed, closed.position, emit)
            continue
        position = _position(event)
        if kind is yaml.AliasEvent:
            if event.anchor not in anchors:  # as libyaml's composer says it
                raise YamlSyntaxError("found undefined alias", *position)
            problem = problem or YamlSyntaxError(
                "anchors and aliases (&name, *name) are not accepted: write the value out "
                "(the alias repeats the value that starts here)",
                *anchors[event.anchor],
            )
            value: Any = None
        elif kind is _SCALAR:
            value = None if not event.style and _NULL.match(event.value) else event.value
        elif kind is _MAPPING:
            value = YamlMap()
            value.position, value.key_positions = position, {}
        else:
            value = YamlList()
            value.position, value.item_positions = position, []
        if kind is not yaml.AliasEvent and event.anchor is not None:  # a repeatable value
            if event.anchor in anchors:
                raise YamlSyntaxError("second occurrence", *position)
            anchors[event.anchor] = position
        if len(stack) > MAX_DEPTH:
            problem = problem or YamlSyntaxError(
                f"nested more than {MAX_DEPTH} levels deep", *position
            )
        if problem is None and stack:
            if emit is None or len(stack) > 1 or type(stack[0][0]) is not YamlList:
                problem = _add(stack[-1], value, position)
            elif kind is _SCALAR:
                _emit(stack[0][0], value, position, emit)
        if kind is _MAPPING or kind is _SEQUENCE:
            stack.append([value, _NO_KEY, None])
        elif not stack:
            return value, problem


def _emit(root: Any, item: Any, position: Position, emit: Emit) -> None:
    """Hand a root list's finished item to ``emit`` (a collection's items are added to it
    as they come, so it is handed over at its end)."""
    if type(root) is YamlList:
        emit(item, position)


def _add(parent: list[Any], value: Any, position: Position) -> YamlSyntaxError | None:
    """Put ``value`` into the open collection ``parent`` (as a mapping's key or value)."""
    collection = parent[0]
    if type(collection) is YamlList:
        collection.append(value)
        collection.item_positions.append(position)
    elif parent[1] is _NO_KEY:
        if not isinstance(value, str):
            return YamlSyntaxError("a mapping key must be a plain string", *position)
        if value in collection:
            return YamlSyntaxError(f"duplicate key {value!r}", *position)
        parent[1], parent[2] = value, position
    else:
        collection[parent[1]] = value
        collection.key_positions[parent[1]] = parent[2]
        parent[1] = _NO_KEY
    return None


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
