"""CONTRIBUTING.md's examples are files under examples/, shown unchanged, and they validate."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from claimtrack.cli import COMMANDS, _parser
from claimtrack.loading import load_corpus
from claimtrack.validation import run_checks, validate_contributions

from .conftest import REPO

EXAMPLE_BLOCK = re.compile(r"<!-- example: (?P<path>\S+) -->\n```\w*\n(?P<body>.*?)```", re.S)


def test_every_example_block_is_its_file() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = {match.group("path"): match.group("body") for match in EXAMPLE_BLOCK.finditer(guide)}
    assert set(blocks) == {
        "examples/claims.yaml",
        "examples/historiography.yaml",
        "examples/add-a-document/manifest-entry.yaml",
        "examples/add-a-document/documents/example-statement.yaml",
    }
    for path, body in blocks.items():
        assert (REPO / path).read_text(encoding="utf-8") == body, (
            f"{path} differs from CONTRIBUTING.md"
        )


@pytest.mark.parametrize("name", ["claims.yaml", "historiography.yaml"])
def test_record_examples_validate_against_data(name: str) -> None:
    issues = validate_contributions([REPO / "examples" / name], None, load_corpus(REPO / "data"))
    assert [issue.as_text() for issue in issues] == []


def test_document_example_validates_when_added_to_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    example = REPO / "examples" / "add-a-document"
    shutil.copy(example / "raw" / "901_example.txt", data / "raw")
    manifest = data / "raw" / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        + (example / "manifest-entry.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    shutil.copy(example / "documents" / "example-statement.yaml", data / "documents")
    corpus = load_corpus(data)
    assert [issue.as_text() for issue in run_checks(corpus)] == []
    assert "example-statement/committee-met-1999" in {
        located.record.id for located in corpus.claims
    }


def test_pre_commit_hooks_run_documented_commands() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in hooks} == {"claimtrack-validate", "claimtrack-validate-records"}
    for hook in hooks:
        program, command = hook["entry"].split()[:2]
        assert program == "claimtrack" and command in COMMANDS
        re.compile(hook["files"])
    records = re.compile(
        next(hook for hook in hooks if hook["id"] == "claimtrack-validate-records")["files"]
    )
    assert records.search("contrib/batch-2.claims.jsonl") and records.search("sources.yaml")
    assert not records.search("notes.yaml")


def test_every_command_in_contributing_parses() -> None:
    """The shell blocks of CONTRIBUTING.md use commands and options the CLI has."""
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", guide, re.S)
    commands = [
        shlex.split(line, comments=True)
        for block in blocks
        for line in block.replace("\\\n", " ").splitlines()
        if line.startswith("claimtrack ")
    ]
    assert {argv[1] for argv in commands} >= {
        "add-raw",
        "new-document",
        "find",
        "locate",
        "release",
    }
    for argv in commands:
        _parser().parse_args(argv[1:])  # exits 2 on an unknown command or option
