"""Edit YAML files of data/ without losing a comment or a line: append records to a list
file, set a top-level scalar, always re-read before writing and write atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from claimtrack.yamlio import YamlSyntaxError, load_yaml, to_plain


class EditError(Exception):
    """A file could not be edited as asked; it is left as it was."""


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` to a temporary file beside ``path`` and rename it into place, so a
    reader never sees half a file and a failed write leaves the old one."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dump_yaml(value: Any, indent: int = 0) -> str:
    """A value as block YAML that reads back (as yamlio reads it) to the same strings: plain
    where YAML would read the text unchanged, double-quoted otherwise."""
    text = yaml.safe_dump(
        value, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False
    )
    if to_plain(load_yaml(text)) != _as_strings(value):
        # a character the emitter writes raw but a reader folds (U+0085...): quote all
        text = yaml.safe_dump(
            value, allow_unicode=False, sort_keys=False, width=4096, default_style='"'
        )
    if not indent:
        return text
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def _as_strings(value: Any) -> Any:
    """``value`` as yamlio reads it back: every scalar a string, None as None."""
    if isinstance(value, dict):
        return {str(key): _as_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_strings(item) for item in value]
    return None if value is None else str(value)


def _parsed(text: str, shown: str) -> Any:
    try:
        return to_plain(load_yaml(text))
    except YamlSyntaxError as error:
        raise EditError(f"{shown}:{error.line}: does not parse ({error}); fix it first") from None


_ITEM = re.compile(r"^( *)- ", re.M)


def append_records(path: Path, records: list[dict[str, Any]]) -> None:
    """Append ``records`` to the YAML list in ``path`` (created if absent), keeping every
    existing byte: the new text is the old text plus the records, at the list's indent."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    current = _parsed(old, str(path)) if old.strip() else None
    if current is None:
        current, head = [], old  # comments only, or nothing yet
    elif isinstance(current, list) and not current and old.rstrip().endswith("[]"):
        head = old.rstrip()[:-2].rstrip() + ("\n" if old.rstrip()[:-2].strip() else "")
    elif isinstance(current, list):
        head = old if old.endswith("\n") else old + "\n"
    else:
        raise EditError(f"{path}: holds no YAML list of records; cannot append to it")
    first_item = _ITEM.search(head)
    new = head + dump_yaml(records, len(first_item.group(1)) if first_item else 0)
    if _parsed(new, str(path)) != [*current, *_parsed(dump_yaml(records), "records")]:
        raise EditError(f"{path}: appending would change its existing records; edit it by hand")
    write_atomically(path, new)


def set_scalars(path: Path, values: dict[str, str]) -> None:
    """Set top-level ``key: "value"`` lines of a YAML mapping file, keeping everything else."""
    text = path.read_text(encoding="utf-8")
    before = _parsed(text, str(path))
    if not isinstance(before, dict):
        raise EditError(f"{path}: holds no YAML mapping")
    for key, value in values.items():
        # the value (quoted or plain) and a trailing comment, which is kept
        line = re.compile(
            rf"^{re.escape(key)}:[ \t]*(?:\"[^\"\n]*\"|'[^'\n]*'|[^#\n]*?)(?P<comment>[ \t]+#[^\n]*)?$",
            re.M,
        )
        if len(line.findall(text)) != 1:
            raise EditError(f"{path}: needs one top-level line `{key}: ...` to set it")
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        template = f"{key}: {quoted}".replace("\\", "\\\\") + r"\g<comment>"
        text = line.sub(template, text)
    after = _parsed(text, str(path))
    if after != {**before, **values}:
        raise EditError(f"{path}: setting {', '.join(values)} would change more; edit it by hand")
    write_atomically(path, text)
