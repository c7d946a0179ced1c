"""Render a list of issues as text, JSON or GitHub Actions annotations."""

from __future__ import annotations

from collections import Counter

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
    if output_format == "json":
        report = {"summary": summary(issues), "issues": [issue.as_dict() for issue in issues]}
        return orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n"
    if output_format == "github":
        return "".join(_github(issue) + "\n" for issue in issues)
    counts = summary(issues)
    lines = [issue.as_text() for issue in issues]
    lines.append(f"{counts['errors']} error(s), {counts['warnings']} warning(s)")
    return "\n".join(lines) + "\n"
