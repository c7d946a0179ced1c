"""manifest.json read without its list of files (read_head): the same as the whole file
parsed, but for `files`, for any JSON before and after it; bad JSON keeps its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.release.build import BuildResult
from claimtrack.release.manifest import read_head

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def test_the_seed_releases_manifest_but_its_files(seed_release: BuildResult) -> None:
    assert seed_release.release_dir is not None
    path = seed_release.release_dir / "manifest.json"
    whole = orjson.loads(path.read_bytes())
    assert len(whole.pop("files")) > 100
    assert read_head(path) == whole


@settings(max_examples=60, deadline=None)
@given(head=st.dictionaries(st.text(), JSON, max_size=5), files=JSON, indent=st.booleans())
def test_any_object_but_its_files(
    tmp_path_factory: pytest.TempPathFactory, head: dict[str, Any], files: Any, indent: bool
) -> None:
    path = tmp_path_factory.mktemp("manifest") / "manifest.json"
    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS if indent else 0
    path.write_bytes(orjson.dumps({**head, "files": files}, option=option))
    expected = {key: value for key, value in head.items() if key != "files"}
    assert read_head(path) == expected


def test_not_an_object_or_not_json(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(b'["a", {"files": 1}]')
    assert read_head(path) == ["a", {"files": 1}]
    path.write_bytes(b'{\n  "version": "1.0.0",\n  "files": {broken\n')
    with pytest.raises(orjson.JSONDecodeError) as error:
        read_head(path)
    assert error.value.lineno == 3
    path.write_bytes(b'{"version": "1.0.0", "files": {}}\n{"version": "2.0.0"}\n')
    with pytest.raises(orjson.JSONDecodeError) as error:
        read_head(path)
    assert error.value.lineno == 2
