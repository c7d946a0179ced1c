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
