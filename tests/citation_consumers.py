"""Real citation consumers for the tests: citeproc-py and pandoc's citeproc, in APA,
Chicago author-date and Vancouver (the CSL styles shipped in src/claimtrack/styles/)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from claimtrack.csl import STYLES, render_references

STYLE_NAMES = tuple(STYLES)


def _normalized(entry: str) -> str:
    """Whitespace collapsed, and the number Vancouver puts before each entry removed."""
    return re.sub(r"^\d+\.\s*", "", " ".join(entry.split()))


def citeproc_py(items: list[dict[str, Any]], style: str) -> list[str]:
    """Each CSL-JSON item rendered by citeproc-py."""
    return [_normalized(entry) for entry in render_references(items, STYLES[style])]


def require_pandoc() -> str:
    """pandoc's path; the test fails with the install command when it is missing."""
    found = shutil.which("pandoc")
    _require("pandoc", found is not None, "apt-get install pandoc")
    assert found is not None
    return found


def pandoc(bibliography: Path, style: str) -> list[str]:
    """Every entry of ``bibliography`` (.bib or CSL .json) rendered by pandoc --citeproc."""
    result = subprocess.run(
        [
            require_pandoc(),
            "--citeproc",
            "--bibliography",
            str(bibliography),
            "--csl",
            str(STYLES[style]),
            "-f",
            "markdown",
            "-t",
            "plain",
            "--wrap=none",
        ],
        input="---\nnocite: '@*'\n---\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "[WARNING]" not in result.stderr, result.stderr
    return [_normalized(block) for block in result.stdout.split("\n\n") if block.strip()]


def _require(what: str, found: bool, install: str) -> None:
    """A missing consumer fails the test with the install command (.ci/run installs it):
    a citation format that no consumer read is not tested."""
    if not found:
        pytest.fail(f"{what} is not installed; install it ({install}), as .ci/run does")


def entry_with(entries: list[str], text: str) -> str:
    """The one rendered entry that holds ``text``."""
    matches = [entry for entry in entries if text in entry]
    assert len(matches) == 1, (text, entries)
    return matches[0]
