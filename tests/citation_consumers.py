"""Real citation consumers for the tests: citeproc-py, pandoc's citeproc and citation-js, in APA,
Chicago author-date and Vancouver (the CSL styles shipped in src/claimtrack/styles/)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from claimtrack.csl import STYLES, render_references

STYLE_NAMES = tuple(STYLES)
CITATION_JS = Path(__file__).parent / "citationjs"


def _normalized(entry: str) -> str:
    """Whitespace collapsed, and the number Vancouver puts before each entry removed."""
    return re.sub(r"^\d+\.\s*", "", " ".join(entry.split()))


def citeproc_py(items: list[dict[str, Any]], style: str) -> list[str]:
    """Each CSL-JSON item rendered by citeproc-py."""
    return [_normalized(entry) for entry in render_references(items, STYLES[style])]


def require_pandoc() -> str:
    """pandoc's path. CI installs it (.ci/run); elsewhere a missing pandoc skips, under CI it fails."""
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
    """CI installs every consumer (.ci/run); elsewhere a missing one skips, under CI it fails."""
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is not installed; .ci/run installs it ({install})")
        pytest.skip(f"{what} is not installed ({install})")


def citation_js(bibliography: Path, style: str) -> list[str]:
    """Every entry of ``bibliography`` (.bib or CSL .json) rendered by citation-js (pinned in
    tests/citationjs/package.json)."""
    node = shutil.which("node")
    _require(
        "citation-js",
        node is not None and (CITATION_JS / "node_modules" / "@citation-js" / "core").is_dir(),
        "npm ci --prefix tests/citationjs",
    )
    assert node is not None
    result = subprocess.run(
        [node, str(CITATION_JS / "render.cjs"), str(bibliography), str(STYLES[style])],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [_normalized(block) for block in result.stdout.split("\n\n") if block.strip()]


def entry_with(entries: list[str], text: str) -> str:
    """The one rendered entry that holds ``text``."""
    matches = [entry for entry in entries if text in entry]
    assert len(matches) == 1, (text, entries)
    return matches[0]
