"""Random damage for the "never crash" property tests: fields deleted or replaced by JSON values."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import strategies as st

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.integers(-100, 100).map(float)  # JSON Schema integers too, as 43.0
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every key and index path under ``value`` (not the empty path)."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def mutate(value: object, data: st.DataObject) -> Any:
    """A copy of ``value`` with one to three fields deleted or replaced by random JSON values."""
    mutated: Any = orjson.loads(orjson.dumps(value))
    for _ in range(data.draw(st.integers(1, 3))):
        where = paths(mutated)
        if not where:
            break
        path = data.draw(st.sampled_from(where))
        parent = mutated
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.sampled_from(["delete", "replace"])) == "delete" and isinstance(
            parent, dict
        ):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = data.draw(json_values)
    return mutated
