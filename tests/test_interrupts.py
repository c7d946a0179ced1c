"""Ctrl-C: a command stops with one line and exit code 130, its worker processes say nothing,
and nothing unfinished is left behind (no release or site folder half written, no scratch
file in the temporary folder)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimtrack.release.build import BuildResult
from claimtrack.site.generate import generate_site

from .corpus_copies import grown_fixture

#: A terminal's Ctrl-C reaches every process of the command: the claimtrack process and
#: its workers, which the test starts in a session of their own and signals together.
INTERRUPTED = 128 + signal.SIGINT


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # 200 annotation files: the checks and the explorer run in worker processes
    return grown_fixture(tmp_path_factory.mktemp("interrupts"), 100) / "data"


def _interrupt_when(
    args: list[str], ready: Callable[[], bool], scratch: Path
) -> subprocess.CompletedProcess[str]:
    """Run claimtrack with ``scratch`` as its temporary folder, and press Ctrl-C as soon as
    ``ready()`` holds."""
    child = subprocess.Popen(
        [sys.executable, "-m", "claimtrack.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not ready():
        assert child.poll() is None, f"it ended before it was interrupted: {child.communicate()}"
        assert time.monotonic() < deadline, "never reached the point to interrupt"
        time.sleep(0.002)
    os.killpg(child.pid, signal.SIGINT)
    stdout, stderr = child.communicate(timeout=120)
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_an_interrupted_build_leaves_no_release_and_no_scratch(
    corpus: Path, tmp_path: Path, executor: str
) -> None:
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    scratch.mkdir()

    def writing_the_explorer() -> bool:
        # its pages are written by worker processes, and beside them, by a process of its
        # own, the tables and the card, with croissant.json rendered by another
        return any(out.glob(".claimtrack-*.tmp-*/site/claims")) and any(
            scratch.glob("claimtrack-files-*/croissant-request.json")
        )

    done = _interrupt_when(
        ["build", "--data", str(corpus), "--out", str(out), "--executor", executor],
        writing_the_explorer,
        scratch,
    )
    assert (done.returncode, done.stdout) == (INTERRUPTED, "")
    # one line: no traceback from this process, its workers or Dask's (a local cluster here)
    assert done.stderr == f"claimtrack build: interrupted; {out} holds no unfinished release\n"
    assert list(out.iterdir()) == []
    assert _still_running(scratch) == []
    # Dask keeps a folder of its own in the temporary folder; claimtrack leaves nothing
    assert [path.name for path in scratch.iterdir() if path.name != "dask-scratch-space"] == []


def _still_running(scratch: Path) -> list[str]:
    """The command lines of the processes still running with ``scratch`` as their temporary
    folder (a command's processes all inherit it, whatever their process group)."""
    wanted = b"TMPDIR=" + os.fsencode(scratch)
    running = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if wanted in environment:
            running.append(command.decode(errors="replace"))
    return running


def _files(root: Path) -> dict[str, bytes]:
    """Every file's bytes, and every folder (empty or not) by its name and a slash."""
    return {
        f"{path.relative_to(root)}/" if path.is_dir() else str(path.relative_to(root)): (
            b"" if path.is_dir() else path.read_bytes()
        )
        for path in root.rglob("*")
    }


def test_an_interrupted_site_leaves_the_release_as_it_was(corpus: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    command = [sys.executable, "-m", "claimtrack.cli", "build", "--data", str(corpus)]
    built = subprocess.run([*command, "--out", str(dist)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (release,) = dist.glob("claimtrack-*")
    before = _files(release)
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    def writing_pages() -> bool:  # the new site is written beside the release's own
        return any(release.glob(".site.tmp-*/claims"))

    done = _interrupt_when(["site", str(release)], writing_pages, scratch)
    assert (done.returncode, done.stdout) == (INTERRUPTED, "")
    assert done.stderr == "claimtrack site: interrupted; no unfinished site is left\n"
    assert _files(release) == before
    assert list(scratch.iterdir()) == []


def test_an_interrupted_validation_says_so_in_one_line(corpus: Path, tmp_path: Path) -> None:
    def checking() -> bool:  # the id indexes' spool exists while the files are checked
        return any(tmp_path.glob("claimtrack-ids-*/claims.ids"))

    done = _interrupt_when(["validate", "--data", str(corpus)], checking, tmp_path)
    assert (done.returncode, done.stdout) == (INTERRUPTED, "")
    assert done.stderr == "claimtrack validate: interrupted\n"
    assert list(tmp_path.iterdir()) == []


WORKERS_INTERRUPTED = textwrap.dedent(
    """
    import os, signal
    from claimtrack.executors import Processes

    def interrupted(item, shared):
        os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C reaches a worker
        return item, os.getpid()

    done = list(Processes(2).map(interrupted, range(6), None))
    print([item for item, _ in done], os.getpid() in {pid for _, pid in done})
    """
)


def test_worker_processes_leave_an_interrupt_to_the_command() -> None:
    """A worker that took Ctrl-C itself would print a traceback and die with its task (the
    map would wait for it forever); the command's own process stops the workers."""
    done = subprocess.run(
        [sys.executable, "-c", WORKERS_INTERRUPTED], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "[0, 1, 2, 3, 4, 5] False\n", "")


@pytest.mark.parametrize("stopped", ["between the renames", "deleting the old site"])
def test_a_site_stopped_while_it_replaces_the_old_one_leaves_a_whole_site(
    fixture_release: BuildResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stopped: str,
) -> None:
    assert fixture_release.release_dir is not None
    release = tmp_path / fixture_release.release_dir.name
    shutil.copytree(fixture_release.release_dir, release)
    before = _files(release)
    target = release / "site"
    rename, rmtree = os.rename, shutil.rmtree

    def interrupted_rename(source: Path, destination: Path) -> None:
        new_site_in = Path(destination) == target and Path(source).name.startswith(".site.tmp-")
        if stopped == "between the renames" and new_site_in:
            assert not target.exists()  # the old site is aside, the new one not yet in place
            raise KeyboardInterrupt
        rename(source, destination)

    def interrupted_rmtree(path: Path, *args: Any, **kwargs: Any) -> None:
        if stopped == "deleting the old site" and Path(path) == target:
            next(path for path in target.rglob("*.html")).unlink()  # part of it is gone
            raise KeyboardInterrupt
        rmtree(path, *args, **kwargs)

    monkeypatch.setattr(os, "rename", interrupted_rename)
    monkeypatch.setattr(shutil, "rmtree", interrupted_rmtree)
    if stopped == "between the renames":
        with pytest.raises(KeyboardInterrupt):
            generate_site(release, jobs=1)
    else:  # the old site is never deleted in place (it was: the interrupt left part of it)
        generate_site(release, jobs=1)
    assert _files(release) == before  # the same release: its site rewritten or put back
