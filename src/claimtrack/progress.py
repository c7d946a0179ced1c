"""Progress of long runs of `build` and `validate` on a terminal: files done of all, claims a
second, time left. Written to stderr and cleared when the run ends, before any problem is
printed; silent when stderr is not a terminal, under CI, with `--format json|github`, or
with `--no-progress`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress
from rich.text import Text


class Progress(Protocol):
    def start(self, label: str, total: int) -> None:
        """Begin a stage of ``total`` files (the one before it is done)."""

    def advance(self, claims: int = 0) -> None:
        """One more file done, holding ``claims`` claims."""


class Silent:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, claims: int = 0) -> None:
        pass


class _ClaimRate(ProgressColumn):
    """Claims read per second in the current stage."""

    def render(self, task: Task) -> Text:
        claims = int(task.fields.get("claims", 0))
        elapsed = task.elapsed or 0.0
        if not claims or not elapsed:
            return Text("")
        return Text(f"{claims / elapsed:,.0f} claims/s")


class OnTerminal:
    def __init__(self, bar: RichProgress) -> None:
        self._bar = bar
        self._task: TaskID | None = None
        self._claims = 0

    def start(self, label: str, total: int) -> None:
        if self._task is not None:
            self._bar.update(self._task, visible=False)
        self._claims = 0
        self._task = self._bar.add_task(label, total=total, claims=0)
        self._bar.refresh()  # at least one frame, however short the stage

    def advance(self, claims: int = 0) -> None:
        if self._task is not None:
            self._claims += claims
            self._bar.update(self._task, advance=1, claims=self._claims)


def wanted(
    disabled: bool,
    output_format: str,
    stream: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Whether to show progress: on a terminal, in text format, outside CI, unless disabled."""
    stream = sys.stderr if stream is None else stream
    environ = os.environ if environ is None else environ
    in_ci = environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return not disabled and output_format == "text" and not in_ci and stream.isatty()


@contextmanager
def progress(show: bool) -> Iterator[Progress]:
    """A progress display for the run inside the ``with`` (cleared when it ends), or silence."""
    if not show:
        yield Silent()
        return
    bar = RichProgress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _ClaimRate(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    with bar:
        yield OnTerminal(bar)
