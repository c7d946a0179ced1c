"""Read data/raw/: the manifest's pins (RawFileEntry) and each raw file checked against its
sha256 and size, with the offsets of its lines."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import validate_record
from claimtrack.issues import Issue
from claimtrack.models.documents import RawFileEntry
from claimtrack.textfiles import read_text, read_yaml, shown_path
from claimtrack.yamlio import locate, to_plain

_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class RawFile:
    """A pinned raw file. Its text is read again when asked for (a few files are cached), so
    that a corpus of many raw files does not hold them all, and so that a worker of a
    distributed run reads it from the shared data/ folder instead of receiving it."""

    name: str
    path: Path
    sha256: str
    line_count: int

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
    node = read_yaml(manifest_path, shown, issues)
    if node is not None and not isinstance(node, list):
        issues.append(
            Issue(shown, 1, 1, "NOT_A_LIST", f"{shown} must hold a YAML list of raw files")
        )
    pinned: dict[str, tuple[int, str, int | None]] = {}
    """file name -> (index in the manifest, sha256, bytes if known)"""
    for index, item in enumerate(node if isinstance(node, list) else []):
        plain = to_plain(item)
        entry = validate_record(RawFileEntry, plain, shown, node, [index], issues)
        if entry is not None:
            pinned[entry.file] = (index, entry.sha256, entry.bytes)
        elif isinstance(plain, dict) and all(
            isinstance(plain.get(key), str) for key in ("file", "sha256")
        ):  # reported above; the pin itself still holds, so nothing else fails for it
            pinned[plain["file"]] = (index, plain["sha256"], None)
    for path in sorted(raw_dir.iterdir()):
        if path.name == "manifest.yaml" or not path.is_file():
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
        index, sha256, size = pinned[path.name]
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if digest != sha256:
            issues.append(
                Issue(
                    shown,
                    locate(node, [index])[0],
                    None,
                    "RAW_CHECKSUM",
                    f"{path.name} has sha256 {digest}, but the manifest pins {sha256}: either "
                    f"the manifest entry is wrong (copy the file's sha256 into it) or {raw_shown} "
                    "was changed (restore it exactly as received)",
                )
            )
            continue
        if size is not None and len(content) != size:
            issues.append(
                Issue(
                    shown,
                    locate(node, [index, "bytes"])[0],
                    None,
                    "RAW_CHECKSUM",
                    f"{path.name} has {len(content)} bytes, the manifest says {size}; "
                    "correct the manifest",
                )
            )
        text = read_text(path, raw_shown, issues)
        if text is None:
            continue
        raw_files[path.name] = RawFile(path.name, path, digest, len(_line_starts(text)))
    return raw_files, issues
