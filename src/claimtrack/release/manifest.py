"""manifest.json: versions, release metadata, source commit (and whether the tree had changes),
per-file sha256 and size, record counts."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

import orjson


def file_entry(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _git(data_dir: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(data_dir), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def source_commit(data_dir: Path) -> str | None:
    """The git commit data/ was built from, or None outside a git checkout."""
    head = _git(data_dir, "rev-parse", "HEAD")
    return head.strip() or None if head is not None else None


def source_tree_dirty(data_dir: Path) -> bool | None:
    """Whether the checkout holding data/ has uncommitted changes (tracked or untracked files
    not ignored): the commit alone then does not reproduce the release. None outside git."""
    status = _git(data_dir, "status", "--porcelain", "--untracked-files=normal")
    return bool(status.strip()) if status is not None else None


def build_manifest(
    root: Path,
    *,
    dataset_version: str,
    schema_version: str,
    package_version: str,
    commit: str | None,
    dirty: bool | None,
    release: dict[str, Any],
    counts: dict[str, int],
) -> bytes:
    files = {
        str(path.relative_to(root)): file_entry(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }
    manifest = {
        "dataset": "claimtrack",
        "version": dataset_version,
        "schema_version": schema_version,
        "package_version": package_version,
        "source_commit": commit,
        # true: built from a working tree with uncommitted changes, which source_commit lacks
        "source_tree_dirty": dirty,
        # data/release.yaml as released (unknown home fields omitted): what `cite` reads
        "release": release,
        "records": counts,
        "files": files,
    }
    return orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
