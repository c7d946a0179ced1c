"""The CLI is documented, its exit codes hold, and the committed card is current."""

from __future__ import annotations

import errno
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from claimtrack.cli import COMMANDS, main
from claimtrack.issues import CATALOGUE

from .conftest import FIXTURES, REPO


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"`claimtrack {command}" in readme, (
            f"README does not document `claimtrack {command}`"
        )


def test_readme_quick_start_has_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, re.S)
    assert commands == [
        'python -m pip install -e ".[test]" && claimtrack build',
        'python -m pip install -e ".[test]" && python -m pytest',
        "claimtrack serve",
    ]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_data_card_generated_sections_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "card",
            "--data",
            str(REPO / "data"),
            "--check",
            str(REPO / "DATA_CARD.md"),
            str(REPO / "README.md"),
        ]
    )
    assert code == 0, (
        capsys.readouterr().out + " Fix: run `claimtrack card` and commit DATA_CARD.md"
    )


def test_validate_exit_codes_and_formats(
    fixture_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(fixture_root / "data")
    assert main(["validate", "--data", data]) == 0
    assert capsys.readouterr().out == "0 error(s), 0 warning(s)\n"
    document = fixture_root / "data" / "documents" / "second-piece.yaml"
    document.write_text(
        document.read_text().replace("claim_type: quantitative", "claim_type: numeric")
    )
    assert main(["validate", "--data", data, "--format", "json"]) == 1
    report = orjson.loads(capsys.readouterr().out)
    assert report["summary"] == {"errors": 1, "warnings": 0}
    assert report["issues"][0]["code"] == "SCHEMA"
    assert report["issues"][0]["line"] == 14
    assert report["issues"][0]["pointer"] == "/claims/0/claim_type"
    assert main(["validate", "--data", data, "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith(
        "::error file=data/documents/second-piece.yaml,line=14,col=5,title=SCHEMA::"
    )


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--data", str(tmp_path / "missing")])
    assert caught.value.code == 2
    assert "no such folder" in capsys.readouterr().err


def test_validate_never_writes(fixture_root: Path) -> None:
    before = {path: path.read_bytes() for path in fixture_root.rglob("*") if path.is_file()}
    main(["validate", "--data", str(fixture_root / "data")])
    after = {path: path.read_bytes() for path in fixture_root.rglob("*") if path.is_file()}
    assert before == after


def test_every_catalogued_code_has_a_how_to_fix_summary() -> None:
    for code, issue_type in CATALOGUE.items():
        assert re.fullmatch(r"[A-Z][A-Z_]+", code)
        assert issue_type.summary.endswith(".")


def test_the_installed_version_is_the_package_version() -> None:
    from importlib.metadata import version

    import claimtrack

    assert version("claimtrack") == claimtrack.__version__


def test_the_console_command_flushes_before_its_hard_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`run` leaves with os._exit: piped output must arrive whole, with the exit code."""
    bad = tmp_path / "claims.jsonl"
    bad.write_text("{}\n" * 300, encoding="utf-8")
    data = FIXTURES / "valid" / "data"
    command = ["validate", str(bad), "--data", str(data)]
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack.cli", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    assert main(command) == done.returncode == 1
    printed = capsys.readouterr().out
    assert printed.count("\n") > 300
    assert done.stdout == printed


def test_github_annotations_escape_their_properties_and_message() -> None:
    from claimtrack.issues import Issue
    from claimtrack.report import render_issues

    issue = Issue("odd, name: 100%.jsonl", 3, None, "SCHEMA", "50% done\nnext")
    assert render_issues([issue], "github") == (
        "::error file=odd%2C name%3A 100%25.jsonl,line=3,title=SCHEMA::SCHEMA 50%25 done%0Anext\n"
    )


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_streamed_json_report_is_the_whole_report(count: int) -> None:
    from claimtrack.issues import Issue
    from claimtrack.report import render_issues, summary

    issues = [
        Issue(f"f{index}.jsonl", index or None, None, "SCHEMA", f"m\n{index}", "/a", None)
        for index in range(count)
    ]
    whole = {"summary": summary(issues), "issues": [issue.as_dict() for issue in issues]}
    expected = orjson.dumps(whole, option=orjson.OPT_INDENT_2).decode() + "\n"
    assert render_issues(issues, "json") == expected


def test_a_full_disk_names_the_file_it_could_not_write_and_leaves_nothing(
    fixture_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def full(source: Path, target: Path, **_: object) -> None:
        # as shutil reports a failed copy: the file read, then the file it could not write
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(source), None, str(target))

    monkeypatch.setattr(shutil, "copyfile", full)
    out = tmp_path / "out"
    code = main(["build", "--data", str(fixture_root / "data"), "--out", str(out), "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(f"claimtrack build: {os.strerror(errno.ENOSPC)}: ")
    assert line.endswith(
        f"-> {out}/.claimtrack-1.2.3.tmp-{os.getpid()}/index.jsonl; "
        f"{out} holds no unfinished release"
    )
    assert list(out.iterdir()) == []


def test_the_commands_that_read_all_of_data_fix_the_mmap_threshold(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from claimtrack import cli

    calls: list[str] = []
    monkeypatch.setattr(cli, "fixed_mmap_threshold", lambda: calls.append("set") or True)
    data = str(FIXTURES / "valid" / "data")
    assert main(["validate", "--data", data, "--no-progress"]) == 0
    assert calls == ["set"]
    main(["schema", "--check"])
    assert calls == ["set"]
    capsys.readouterr()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_the_mmap_threshold_is_set_with_glibc() -> None:
    # in a process of its own: the setting lasts as long as the process
    code = "from claimtrack.memory import fixed_mmap_threshold as f; print(f())"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "True\n"
