"""executors.ForkedCall, and the build's release files written by it beside the explorer's
pages: the same bytes as written before the pages, in the build's own process."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from claimtrack.executors import ForkedCall
from claimtrack.release import build as build_module
from claimtrack.release.build import build

from .corpus_copies import grown_fixture


class Unpicklable(Exception):
    def __reduce__(self) -> Any:
        raise TypeError("not this one")


def _raise(error: BaseException) -> None:
    raise error


def test_a_forked_call_gives_what_it_returned_or_raises_what_it_raised() -> None:
    with ForkedCall(lambda: {"pid": os.getpid(), "rows": [1, 2]}) as call:
        result = call.result()
    assert result["rows"] == [1, 2] and result["pid"] != os.getpid()
    with (
        ForkedCall(lambda: _raise(FileNotFoundError(2, "gone", "x.parquet"))) as call,
        pytest.raises(FileNotFoundError) as raised,
    ):
        call.result()
    assert raised.value.filename == "x.parquet"
    assert "in a forked process" in raised.value.__notes__[0]
    assert "_raise" in raised.value.__notes__[0]  # the child's traceback
    with (
        ForkedCall(lambda: _raise(Unpicklable("a message"))) as call,
        pytest.raises(RuntimeError, match=r"Unpicklable\('a message'\) \(not sent"),
    ):
        call.result()
    with (
        ForkedCall(lambda: os._exit(3)) as call,
        pytest.raises(RuntimeError, match=r"ended with no result .exit code 3"),
    ):
        call.result()


def _write_on_the_way_out(path: Path) -> None:
    try:
        path.write_text("started")
        time.sleep(60)
    finally:  # the with blocks of a stopped call end (a Croissant process is stopped so)
        path.write_text("ended")


def test_a_call_left_running_is_asked_to_end_then_killed(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    started = time.monotonic()
    with ForkedCall(lambda: _write_on_the_way_out(marker)):
        while not marker.exists():
            time.sleep(0.01)
    assert marker.read_text() == "ended" and time.monotonic() - started < 30

    def deaf() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        marker.write_text("deaf")
        time.sleep(60)

    marker.unlink()
    call = ForkedCall(deaf)
    call.STOP_SECONDS = 0.5
    while not marker.exists():
        time.sleep(0.01)
    started = time.monotonic()
    call.close()
    assert time.monotonic() - started < 30
    assert call._process.exitcode == -signal.SIGKILL


class _Finalized:
    """Sleeps in its finalizer, where Python prints an exception and goes on."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __del__(self) -> None:
        self.marker.write_text("finalizing")
        time.sleep(3)


def _finalize_then_wait(marker: Path) -> None:
    _Finalized(marker)  # finalized at once: the SIGTERM comes while it sleeps there
    while True:
        time.sleep(0.01)


def test_an_exit_asked_for_inside_a_finalizer_is_not_lost(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A SIGTERM taken in a finalizer or a collector hook (distributed's, with a Dask
    client) raised SystemExit where Python prints it and goes on: the process was then
    killed, its own ``with`` blocks never ended. It ends on its own now, printing nothing."""
    marker = tmp_path / "marker"
    call = ForkedCall(lambda: _finalize_then_wait(marker))
    call.STOP_SECONDS = 20
    while not marker.exists():
        time.sleep(0.01)
    started = time.monotonic()
    call.close()
    assert call._process.exitcode == 0  # it ended (SystemExit, sent), not killed
    assert time.monotonic() - started < 10
    assert "Exception ignored" not in capfd.readouterr().err


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def test_release_files_written_beside_the_pages_are_the_bytes_written_before_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From 32 documents on, the tables, card, annotations and croissant.json are written
    by a forked process while the explorer's workers write the pages; without forks, by
    the build's process before the pages. The releases are the same, byte for byte."""
    data = grown_fixture(tmp_path / "corpus", 20) / "data"
    forked: list[Any] = []
    monkeypatch.setattr(
        build_module, "ForkedCall", lambda call: forked.append(call) or ForkedCall(call)
    )
    beside = build(data, tmp_path / "beside")
    assert len(forked) == 1
    monkeypatch.setattr(build_module, "FORKS", False)
    before = build(data, tmp_path / "before")
    assert len(forked) == 1
    assert beside.status == before.status == "written", (beside.issues, before.issues)
    assert beside.release_dir is not None and before.release_dir is not None
    assert beside.counts["documents"] >= 32
    assert _tree(beside.release_dir) == _tree(before.release_dir)
