"""Render a list of issues as text, JSON or GitHub Actions annotations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import orjson

from claimtrack.issues import Issue, Level

FORMATS = ("text", "json", "github")


def summary(issues: list[Issue]) -> dict[str, int]:
    levels = Counter(issue.level.value for issue in issues)
    return {
        "errors": levels.get(Level.ERROR.value, 0),
        "warnings": levels.get(Level.WARNING.value, 0),
    }


def _escape_data(value: str) -> str:
    """A workflow command's message, escaped as GitHub Actions reads it."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """A workflow command's property value (file=..., title=...): ':' and ',' end it."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _github(issue: Issue) -> str:
    command = "error" if issue.level is Level.ERROR else "warning"
    location = f"file={_escape_property(issue.file)}"
    if issue.line is not None:
        location += f",line={issue.line}"
        if issue.column is not None:
            location += f",col={issue.column}"
    message = _escape_data(f"{issue.code} {issue.message}")
    return f"::{command} {location},title={_escape_property(issue.code)}::{message}"


def render_issues(issues: list[Issue], output_format: str) -> str:
    return "".join(iter_rendered(issues, output_format))


def iter_rendered(issues: list[Issue], output_format: str) -> Iterator[str]:
    """The report in pieces, a problem at a time, so a long one is never held whole."""
    if output_format == "json":
        head = orjson.dumps({"summary": summary(issues)}, option=orjson.OPT_INDENT_2).decode()
        if not issues:
            yield head[:-2] + ',\n  "issues": []\n}\n'
            return
        yield head[:-2] + ',\n  "issues": [\n'
        for index, issue in enumerate(issues):
            item = orjson.dumps(issue.as_dict(), option=orjson.OPT_INDENT_2).decode()
            yield ("" if index == 0 else ",\n") + "    " + item.replace("\n", "\n    ")
        yield "\n  ]\n}\n"
        return
    if output_format == "github":
        for issue in issues:
            yield _github(issue) + "\n"
        return
    for issue in issues:
        yield issue.as_text() + "\n"
    counts = summary(issues)
    yield f"{counts['errors']} error(s), {counts['warnings']} warning(s)\n"
