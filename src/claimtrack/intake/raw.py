"""add-raw: file a text (or the main text of a saved HTML page) under data/raw/ by the
naming rule, and pin it in data/raw/manifest.yaml with its sha256, size, provenance and date.

Naming rule: ``NNN_<slug>.txt``, NNN one more than the highest number in data/raw/ (three
digits), the slug made from the given file's name (lower case, ``a-z0-9-``, at most 48).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.intake.edits import EditError, append_records, write_atomically
from claimtrack.models.documents import RawFileEntry
from claimtrack.yamlio import YamlSyntaxError, load_yaml, to_plain

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_NUMBERED = re.compile(r"^(\d{3,})_")


class IntakeError(Exception):
    """The input cannot be taken in as asked; nothing was written."""


@dataclass(frozen=True)
class RawText:
    text: bytes
    conversion: dict[str, Any] | None


def invalid_fields(error: ValidationError) -> str:
    """A model's complaints about command-line values, one line."""
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']} (got {item.get('input')!r})"
        for item in error.errors(include_url=False)
    )


def slug(value: str, limit: int = 48) -> str:
    """Lower-case ASCII words joined by hyphens (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    joined = "-".join(words)[:limit].strip("-")
    return joined


def is_html(path: Path, content: bytes) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES or bool(_HTML_START.match(content[:4096]))


def html_to_text(content: bytes, shown: str) -> str:
    """The page's main text, by trafilatura with fixed options (same page, same version,
    same text). Comments and navigation are left out; paragraphs become lines."""
    import trafilatura

    try:
        text = trafilatura.extract(
            content,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            deduplicate=False,
            with_metadata=False,
        )
    except Exception as error:  # a page lxml cannot read: the extractor raises many types
        raise IntakeError(f"{shown}: the page could not be read as HTML ({error})") from None
    if not text or not text.strip():
        raise IntakeError(
            f"{shown}: no main text found in the page; save its text by hand as a .txt file and add that"
        )
    return text


def read_raw(path: Path) -> RawText:
    """The bytes to file, and the conversion that made them (None for a text as received)."""
    content = path.read_bytes()
    if is_html(path, content):
        text = html_to_text(content, str(path)).rstrip("\n") + "\n"
        conversion = {
            "sha256": hashlib.sha256(content).hexdigest(),
            "bytes": len(content),
            "media_type": "text/html",
            "tool": f"trafilatura {version('trafilatura')}",
        }
        return RawText(text.encode("utf-8"), conversion)
    if b"\x00" in content:
        raise IntakeError(f"{path}: holds NUL bytes; give a UTF-8 text file or an HTML page")
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise IntakeError(
            f"{path}:{line}: byte {content[error.start]:#04x} is not UTF-8; save the file as UTF-8"
        ) from None
    return RawText(content, None)


def read_manifest(raw_dir: Path) -> list[dict[str, Any]]:
    """The entries of data/raw/manifest.yaml as read (none if it is absent)."""
    path = raw_dir / "manifest.yaml"
    if not path.is_file():
        return []
    try:
        entries = to_plain(load_yaml(path.read_text(encoding="utf-8")))
    except (YamlSyntaxError, UnicodeDecodeError) as error:
        raise IntakeError(f"{path}: does not read ({error}); fix it first") from None
    return (
        [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []
    )


def raw_file_name(raw_dir: Path, given: Path) -> str:
    numbers = [
        int(match.group(1))
        for path in raw_dir.iterdir()
        if (match := _NUMBERED.match(path.name)) is not None
    ]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{slug(given.stem) or 'text'}.txt"


def add_raw(
    data_dir: Path, given: Path, received_from: str, received: str, url: str | None = None
) -> RawFileEntry:
    """File ``given`` under data/raw/ and append its manifest entry; return the entry."""
    raw_dir = data_dir / "raw"
    if not raw_dir.is_dir():
        raise IntakeError(f"{raw_dir}: no such folder (give the data/ folder with --data)")
    raw = read_raw(given)
    digest = hashlib.sha256(raw.text).hexdigest()
    for pinned in read_manifest(raw_dir):
        if pinned.get("sha256") == digest:
            raise IntakeError(f"{given}: this text is already pinned as {pinned.get('file')}")
    name = raw_file_name(raw_dir, given)
    fields: dict[str, Any] = {
        "file": name,
        "sha256": digest,
        "bytes": len(raw.text),
        "received_from": received_from,
        "url": url,
        "received": received,
        "converted_from": raw.conversion,
    }
    try:  # validated before anything is written
        entry = RawFileEntry.model_validate(fields)
    except ValidationError as error:
        raise IntakeError(invalid_fields(error)) from None
    record = entry.model_dump(mode="json", exclude_none=True)
    target = raw_dir / name
    write_atomically(target, raw.text)
    try:
        append_records(raw_dir / "manifest.yaml", [record])
    except EditError:
        target.unlink()
        raise
    return entry
