"""YAML pitfalls: scalars stay strings, lines are kept, syntax errors are located."""

from __future__ import annotations

import pytest

from claimtrack.yamlio import YamlSyntaxError, load_yaml, locate


def test_dates_booleans_and_hex_stay_strings() -> None:
    loaded = load_yaml(
        "time: 1937-01-28\ntopic: no\ncode: 0x1F\nflag: true\nempty:\nnothing: null\n"
    )
    assert loaded == {
        "time": "1937-01-28",
        "topic": "no",
        "code": "0x1F",
        "flag": "true",
        "empty": None,
        "nothing": None,
    }
    assert all(isinstance(loaded[key], str) for key in ("time", "topic", "code", "flag"))


def test_locate_returns_the_line_of_a_nested_field() -> None:
    node = load_yaml("claims:\n  - id: a\n  - id: b\n    span:\n      exact: x\n")
    assert locate(node, ["claims", 1, "span", "exact"]) == (5, 7)
    # a missing key is located at its parent
    assert locate(node, ["claims", 0, "statement"]) == (2, 5)


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: [1\nb: 2\n", 2), ("a: 1\na: 2\n", 2), ("a:\n  - x\n y: 1\n", 3)],
)
def test_syntax_errors_carry_their_line(text: str, line: int) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml(text)
    assert caught.value.line == line


def test_aliases_are_refused_before_they_expand() -> None:
    """Nine levels of nine aliases would be 387 million values ("billion laughs")."""
    lines = ["- &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"- &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]" for level in range(1, 9)]
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml("\n".join(lines) + "\n")
    assert "aliases" in str(caught.value)
    assert caught.value.line == 1


def test_deep_nesting_is_refused_with_its_line() -> None:
    """libyaml allows 1,000 levels, more than Python's recursion takes here."""
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml("- ok\n- " + "[" * 480 + "]" * 480 + "\n")
    assert "levels deep" in str(caught.value)
    assert caught.value.line == 2
    assert load_yaml("- " + "[" * 90 + "]" * 90 + "\n") is not None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # a syntax error is reported before a problem of the values found earlier
        ("a: 1\na: 2\nb: [\n", 4, "expected"),
        ("- &x 1\n- *x\n- [\n", 4, "expected"),
        ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
        ("- *nowhere\n", 1, "undefined alias"),
        ("- &x 1\n- &x 2\n", 2, "second occurrence"),
        ("a: 1\n---\nb: 2\n", 2, "another document"),
        ("? [a, b]\n: 1\n", 1, "plain string"),
    ],
)
def test_the_first_syntax_error_wins_then_the_first_problem(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml(text)
    assert caught.value.line == line
    assert message in str(caught.value)


def test_positions_of_keys_items_and_nested_values() -> None:
    node = load_yaml("top:\n  - a\n  - {b: 1, c: [x, y]}\nnext: ''\n")
    assert node == {"top": ["a", {"b": "1", "c": ["x", "y"]}], "next": ""}
    assert node.key_positions == {"top": (1, 1), "next": (4, 1)}
    assert node["top"].item_positions == [(2, 5), (3, 5)]
    assert locate(node, ["top", 1, "c", 1]) == (3, 19)
    assert load_yaml("") is None
    assert load_yaml("# only a comment\n") is None
    assert load_yaml("just text\n") == "just text"


LIST = "- id: a\n  name: A\n- plain\n-\n  - [x, y]\n- id: b\n  tags: {k: v}\n"


def test_a_root_lists_items_are_emitted_as_read_and_not_kept() -> None:
    whole = load_yaml(LIST)
    emitted: list[tuple[object, tuple[int, int]]] = []
    root = load_yaml(LIST, lambda item, position: emitted.append((item, position)))
    assert root == [] and isinstance(root, list)
    assert [item for item, _ in emitted] == whole
    assert [position for _, position in emitted] == whole.item_positions
    # each item keeps its own positions, as in the whole tree
    for index, (item, _) in enumerate(emitted):
        if isinstance(item, dict):
            assert locate(item, ["id"]) == locate(whole, [index, "id"])
    assert locate(emitted[3][0], ["tags", "k"]) == locate(whole, [3, "tags", "k"]) == (7, 10)


def test_a_root_that_is_not_a_list_is_read_whole_and_nothing_is_emitted() -> None:
    emitted: list[object] = []
    text = "items:\n  - a\n  - b\n"
    assert load_yaml(text, lambda item, position: emitted.append(item)) == load_yaml(text)
    assert emitted == []


@pytest.mark.parametrize(
    ("text", "line", "message", "emitted_count"),
    [
        # the items before a problem are emitted; the problem is still raised at the end
        ("- a\n- {k: 1, k: 2}\n- c\n", 2, "duplicate key", 1),
        ("- a\n- b\n- [\n", 4, "expected", 2),
        # a syntax error later in the file wins over an earlier problem
        ("- a\n- {k: 1, k: 2}\n- [\n", 4, "expected", 1),
    ],
)
def test_a_problem_is_raised_after_the_items_before_it_were_emitted(
    text: str, line: int, message: str, emitted_count: int
) -> None:
    emitted: list[object] = []
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml(text, lambda item, position: emitted.append(item))
    assert caught.value.line == line
    assert message in str(caught.value)
    assert len(emitted) == emitted_count
