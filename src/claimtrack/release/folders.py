"""Release folders under an output folder (``claimtrack-<version>``), ordered by version."""

from __future__ import annotations

from pathlib import Path


def _version_key(folder: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in folder.name.removeprefix("claimtrack-").split("."))
    except ValueError:
        return ()


def find_previous(out_dir: Path, version: str | None = None) -> Path | None:
    """The newest release under ``out_dir`` other than ``version`` (None before the first)."""
    candidates = [
        folder
        for folder in out_dir.glob("claimtrack-*")
        if (folder / "manifest.json").is_file()
        and folder.name != f"claimtrack-{version}"
        and _version_key(folder)
    ]
    return max(candidates, key=_version_key) if candidates else None


def newest_release(out_dir: Path) -> Path | None:
    """The release under ``out_dir`` with the highest version (None if there is none)."""
    return find_previous(out_dir)
