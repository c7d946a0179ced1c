"""Read data/raw/: the manifest's pins (RawFileEntry) and each raw file checked against its
sha256 and size, with the offsets of its lines."""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

from claimtrack.errors import validate_record
from claimtrack.issues import Issue
from claimtrack.models.documents import RawFileEntry
from claimtrack.textfiles import Item, read_data_list, read_text, shown_path
from claimtrack.yamlio import locate

_NEWLINE = re.compile("\n")


@dataclass(frozen=True, slots=True)
class RawFile:
    """A pinned raw file. Its text is read again when asked for (a few files are cached), so
    that a corpus of many raw files does not hold them all, and so that a worker of a
    distributed run reads it from the shared data/ folder instead of receiving it. Held for
    every raw file while data/ is read: about 250 bytes each (the folder is shared)."""

    name: str
    folder: Path
    sha256: str
    line_count: int

    @property
    def path(self) -> Path:
        return self.folder / self.name

    @property
    def text(self) -> str:
        return self._content()[0]

    @property
    def line_starts(self) -> tuple[int, ...]:
        """Offset of the first character of each line (0-based list, line n at index n-1)."""
        return self._content()[1]

    def _content(self) -> tuple[str, tuple[int, ...]]:
        stat = self.path.stat()  # a file changed since is read again, not taken from the cache
        return _content(self.path, stat.st_mtime_ns, stat.st_size)

    def slice_lines(self, first_line: int, last_line: int) -> tuple[int, int]:
        """Offsets of lines first..last, including the newline that ends the last one."""
        text, starts = self._content()
        start = starts[first_line - 1]
        end = starts[last_line] if last_line < self.line_count else len(text)
        return start, end


@functools.lru_cache(maxsize=8)
def _content(path: Path, mtime_ns: int, size: int) -> tuple[str, tuple[int, ...]]:
    """A raw file's text (checked when data/ was read) and the offsets of its lines."""
    text = path.read_bytes().decode("utf-8-sig")
    return text, _line_starts(text)


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]
    if text.endswith("\n"):
        starts.pop()
    return tuple(starts)


class Pin(NamedTuple):
    """A manifest entry's pin, and where it stands."""

    file: str
    sha256: str
    bytes: int | None
    line: int | None
    bytes_line: int | None
    """The line of its ``bytes`` (its own line when it has none)."""


def _pin(shown: str, item: Item) -> tuple[Pin | None, list[Issue]]:
    """One manifest entry as its pin, and its problems: an entry that fails validation
    still pins its file when it names one and a sha256 (so that nothing else fails for it)."""
    found: list[Issue] = []
    entry = validate_record(
        RawFileEntry, item.plain, shown, item.node, [item.index], found, item.at
    )
    lines = (item.line, locate(item.node, [*item.at, "bytes"])[0])
    if entry is not None:
        return Pin(entry.file, entry.sha256, entry.bytes, *lines), found
    plain = item.plain
    if isinstance(plain, dict) and all(
        isinstance(plain.get(key), str) for key in ("file", "sha256")
    ):
        return Pin(plain["file"], plain["sha256"], None, *lines), found
    return None, found


def load_raw(data_dir: Path) -> tuple[dict[str, RawFile], list[Issue]]:
    """The pinned, readable raw files of data/raw/ by name, and the problems found."""
    raw_files: dict[str, RawFile] = {}
    issues: list[Issue] = []
    raw_dir = data_dir / "raw"
    manifest_path = raw_dir / "manifest.yaml"
    shown = shown_path(manifest_path, data_dir)
    if not manifest_path.is_file():
        issues.append(Issue(shown, None, None, "FILE_MISSING", f"{shown} is missing"))
        return raw_files, issues
    # read an entry at a time (the manifest of a million-claim corpus lists 13,158 files)
    read = read_data_list(manifest_path, shown, issues, partial(_pin, shown))
    if read is not None and not isinstance(read, list):
        issues.append(
            Issue(shown, 1, 1, "NOT_A_LIST", f"{shown} must hold a YAML list of raw files")
        )
    pinned: dict[str, Pin] = {}
    for pin, found in read if isinstance(read, list) else []:
        issues.extend(found)
        if pin is not None:
            pinned[pin.file] = pin
    for name in sorted(os.listdir(raw_dir)):  # names: a Path each would be held while sorting
        path = raw_dir / name
        if name == "manifest.yaml" or not path.is_file():
            continue
        raw_shown = shown_path(path, data_dir)
        if path.name not in pinned:
            issues.append(
                Issue(
                    raw_shown,
                    None,
                    None,
                    "RAW_FILE_UNPINNED",
                    f"add {path.name} with its sha256 to {shown}",
                )
            )
            continue
        pin = pinned[path.name]
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if digest != pin.sha256:
            issues.append(
                Issue(
                    shown,
                    pin.line,
                    None,
                    "RAW_CHECKSUM",
                    f"{path.name} has sha256 {digest}, but the manifest pins {pin.sha256}: either "
                    f"the manifest entry is wrong (copy the file's sha256 into it) or {raw_shown} "
                    "was changed (restore it exactly as received)",
                )
            )
            continue
        if pin.bytes is not None and len(content) != pin.bytes:
            issues.append(
                Issue(
                    shown,
                    pin.bytes_line,
                    None,
                    "RAW_CHECKSUM",
                    f"{path.name} has {len(content)} bytes, the manifest says {pin.bytes}; "
                    "correct the manifest",
                )
            )
        text = read_text(path, raw_shown, issues)
        if text is None:
            continue
        raw_files[path.name] = RawFile(path.name, raw_dir, digest, len(_line_starts(text)))
    return raw_files, issues
