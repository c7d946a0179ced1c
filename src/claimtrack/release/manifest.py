"""manifest.json: versions, source commit, per-file sha256 and size, record counts."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

import orjson


def file_entry(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def source_commit(data_dir: Path) -> str | None:
    """The git commit data/ was built from, or None outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(data_dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def build_manifest(
    root: Path,
    *,
    dataset_version: str,
    schema_version: str,
    package_version: str,
    commit: str | None,
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
        "records": counts,
        "files": files,
    }
    return orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
