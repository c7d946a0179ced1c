"""Preview a release's site: serve its site/ folder with http.server on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
from pathlib import Path

from claimtrack.site.release_data import SiteError


def _version_key(folder: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in folder.name.removeprefix("claimtrack-").split("."))
    except ValueError:
        return ()


def newest_release(dist: Path) -> Path:
    """The release under ``dist`` with the highest version (raises SiteError if there is none)."""
    releases = [
        folder
        for folder in dist.glob("claimtrack-*")
        if (folder / "manifest.json").is_file() and _version_key(folder)
    ]
    if not releases:
        raise SiteError(
            f"{dist}: no release folder; run `claimtrack build` first, or name a release"
        )
    return max(releases, key=_version_key)


def site_folder(release: Path) -> Path:
    site = release / "site"
    if not (site / "index.html").is_file():
        raise SiteError(
            f"{release}: has no site/; run `claimtrack site {release}` (or rebuild the release)"
        )
    return site


class Utf8Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder, naming UTF-8 for text (http.server names no charset by default)."""

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        kind = super().guess_type(path)
        if kind.startswith("text/") or kind.endswith("javascript"):
            return f"{kind}; charset=utf-8"
        if str(path).endswith(".jsonld"):
            return "application/ld+json"
        return kind


def make_server(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(Utf8Handler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
