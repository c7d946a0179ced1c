"""Release folders under an output folder (``claimtrack-<version>``) and the published release
indexes in ``data/releases/<version>.jsonl``, ordered by version."""

from __future__ import annotations

from pathlib import Path


def _version_key(folder: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in folder.name.removeprefix("claimtrack-").split("."))
    except ValueError:
        return ()


def _index_key(path: Path) -> tuple[int, ...]:
    return _version_key(path.with_name(path.name.removesuffix(".jsonl")))


def find_previous(
    out_dir: Path, version: str | None = None, data_dir: Path | None = None
) -> Path | None:
    """The newest release other than ``version``: a release folder under ``out_dir`` or, when
    ``data_dir`` is given, a published index in ``data_dir/releases/`` (a folder wins over an
    index of its version); None before the first release."""
    candidates: list[tuple[tuple[int, ...], int, Path]] = [
        (_version_key(folder), 1, folder)
        for folder in out_dir.glob("claimtrack-*")
        if (folder / "manifest.json").is_file()
        and folder.name != f"claimtrack-{version}"
        and _version_key(folder)
    ]
    if data_dir is not None:
        candidates += [
            (_index_key(path), 0, path)
            for path in (data_dir / "releases").glob("*.jsonl")
            if path.name != f"{version}.jsonl" and _index_key(path)
        ]
    return max(candidates)[2] if candidates else None


def newest_release(out_dir: Path) -> Path | None:
    """The release folder under ``out_dir`` with the highest version (None if there is none)."""
    return find_previous(out_dir)
