"""Progress of `build`, `validate` and `site`: shown on a terminal (a pseudo-terminal here),
cleared before the result is printed, and silent in pipes, under CI, with --format json and
with --no-progress."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claimtrack.progress import wanted

from .corpus_copies import grown_fixture

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return grown_fixture(tmp_path_factory.mktemp("progress"), 20) / "data"


def _environment(**changes: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    environment.update(COLUMNS="120", TERM="xterm", **changes)
    return environment


def _on_terminal(*args: str) -> tuple[int, str, str]:
    """Run claimtrack with stderr on a pseudo-terminal: (exit code, stdout, what the terminal got)."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "claimtrack.cli", *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=_environment(),
    )
    os.close(follower)
    received = bytearray()
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the child exits
            break
        if not chunk:
            break
        received.extend(chunk)
    assert child.stdout is not None
    stdout = child.stdout.read().decode()
    code = child.wait()
    os.close(leader)
    return code, stdout, received.decode(errors="replace")


def _piped(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimtrack.cli", *args],
        capture_output=True,
        text=True,
        env=_environment(**environment),
    )


def test_validate_shows_progress_on_a_terminal(corpus: Path) -> None:
    documents = len(list((corpus / "documents").glob("*.yaml")))
    code, stdout, terminal = _on_terminal("validate", "--data", str(corpus))
    assert code == 0 and stdout == "0 error(s), 0 warning(s)\n"
    shown = ANSI.sub("", terminal)
    assert re.search(rf"documents\b.*\b\d+/{documents}\b", shown), shown
    assert "links, relations, research" in shown
    assert terminal.endswith("\x1b[2K"), repr(terminal[-200:])


def test_build_shows_progress_and_clears_it(corpus: Path, tmp_path: Path) -> None:
    code, stdout, terminal = _on_terminal("build", "--data", str(corpus), "--out", str(tmp_path))
    assert code == 0 and stdout.startswith("written: ")
    shown = ANSI.sub("", terminal)
    assert "release tables" in shown and "explorer pages" in shown, shown
    # cleared: the display ends by erasing its line (without that it ends on a newline)
    assert terminal.endswith("\x1b[2K"), repr(terminal[-200:])


def test_site_shows_progress_on_a_terminal_unless_told_not_to(corpus: Path, tmp_path: Path) -> None:
    assert _piped("build", "--data", str(corpus), "--out", str(tmp_path)).returncode == 0
    (release,) = tmp_path.glob("claimtrack-*")
    code, stdout, terminal = _on_terminal("site", str(release), "--out", str(tmp_path / "a"))
    assert code == 0 and stdout.startswith("written: ")
    assert "explorer pages" in ANSI.sub("", terminal), terminal
    assert terminal.endswith("\x1b[2K"), repr(terminal[-200:])
    quiet = ("site", str(release), "--out", str(tmp_path / "b"), "--no-progress")
    code, stdout, terminal = _on_terminal(*quiet)
    assert code == 0 and stdout.startswith("written: ") and terminal == ""


@pytest.mark.parametrize(
    ("options", "environment"),
    [((), {}), ((), {"CI": "true"}), (("--format", "json"), {}), (("--no-progress",), {})],
    ids=["pipe", "ci", "json", "no-progress"],
)
def test_no_progress_off_a_terminal(
    corpus: Path, options: tuple[str, ...], environment: dict[str, str]
) -> None:
    done = _piped("validate", "--data", str(corpus), *options, **environment)
    assert done.returncode == 0
    assert done.stderr == ""


def test_build_problems_on_stderr_carry_no_progress(corpus: Path, tmp_path: Path) -> None:
    broken = tmp_path / "data"
    shutil.copytree(corpus, broken)
    note = broken / "documents" / "short-note.yaml"
    note.write_text(note.read_text(encoding="utf-8").replace("time: 1932", "time: 19xx", 1))
    build = ("build", "--data", str(broken), "--out", str(tmp_path / "out"))
    quiet = _piped(*build, "--no-progress")
    assert quiet.returncode == 1 and "INVALID_EDTF" in quiet.stderr
    for environment in ({}, {"CI": "true"}):
        assert _piped(*build, **environment).stderr == quiet.stderr


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize(
    ("disabled", "output_format", "terminal", "environment", "expected"),
    [
        (False, "text", True, {}, True),
        (False, "text", True, {"CI": "false"}, True),
        (False, "text", True, {"CI": "0"}, True),
        (False, "text", True, {"CI": "true"}, False),
        (False, "text", True, {"CI": "1"}, False),
        (False, "text", False, {}, False),
        (False, "json", True, {}, False),
        (False, "github", True, {}, False),
        (True, "text", True, {}, False),
    ],
)
def test_when_progress_is_wanted(
    disabled: bool,
    output_format: str,
    terminal: bool,
    environment: dict[str, str],
    expected: bool,
) -> None:
    assert wanted(disabled, output_format, _Stream(terminal), environment) is expected
