"""Render templates into a site folder: relative roots, deterministic bytes, paginated lists."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from claimtrack.release.manifest import FileEntry


class _Environment(Environment):
    """Jinja's environment for pages of dict records: ``record.field`` looks the key up first.

    Jinja tries the attribute first, and raising AttributeError for every field of every
    record was a tenth of the explorer's time. No template names a dict method."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@functools.cache
def environment() -> Environment:
    """The explorer's templates, one environment a process: each template is compiled once
    (the package's templates do not change while it runs, so nothing checks them again)."""
    return _Environment(
        loader=PackageLoader("claimtrack.site", "templates"),
        autoescape=select_autoescape(["html"]),
        # a field an older or newer release lacks renders as nothing rather than failing
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def root_of(path: str) -> str:
    """The relative prefix from a page at ``path`` (site-relative) back to the site root."""
    return "../" * path.count("/")


#: Stands for the root while a fragment is rendered once for pages at several depths. Escaped
#: text never holds a ``<``, and no template or formatted source writes this tag.
ROOT = Markup("<\x00>")


@dataclass(frozen=True)
class RootedMarkup:
    """A fragment rendered with ``ROOT`` in place of the relative root."""

    html: str

    def at(self, path: str) -> Markup:
        """The fragment as it shows on the page at ``path``."""
        return Markup(self.html.replace(ROOT, root_of(path)))


@dataclass
class SiteWriter:
    out: Path
    env: Environment = field(default_factory=environment)
    count: int = 0
    """Files written."""
    common: dict[str, Any] = field(default_factory=dict)

    folders: set[str] = field(default_factory=set)
    """Folders made so far (a part writes hundreds of pages into a few)."""
    files: list[FileEntry] | None = None
    """With a list: each file written, with its sha256 and size, for the manifest."""

    def write_bytes(self, path: str, data: bytes) -> None:
        folder = path.rpartition("/")[0]
        if folder not in self.folders:
            (self.out / folder).mkdir(parents=True, exist_ok=True)
            self.folders.add(folder)
        # os.open and os.write rather than open(): no buffered file object for one write
        # (18,000 files of 3.3 KB into a new folder: 21-24 µs a file against 27-34 µs)
        descriptor = os.open(self.out / path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)
        self.count += 1
        if self.files is not None:
            self.files.append((path, hashlib.sha256(data).hexdigest(), len(data)))

    def page(self, path: str, template: str, **context: Any) -> None:
        html = self.env.get_template(template).render(
            **self.common, **context, root=root_of(path), path=path
        )
        self.write_bytes(path, html.encode("utf-8"))

    def fragment(self, template: str, macro: str, *args: Any) -> RootedMarkup:
        """What ``macro`` of ``template`` renders, for any page: its links to the site root
        are filled in by ``at(path)``."""
        module = self.env.get_template(template).module
        return RootedMarkup(getattr(module, macro)(ROOT, *args))

    def paged(
        self,
        base: str,
        template: str,
        rows: Sequence[Any],
        per_page: int,
        **context: Any,
    ) -> None:
        """``base``.html holds the first ``per_page`` rows, ``base``/N.html the N-th page."""
        count = max(1, -(-len(rows) // per_page))
        paths = [f"{base}.html"] + [f"{base}/{number}.html" for number in range(2, count + 1)]
        for index, path in enumerate(paths):
            root = root_of(path)
            pager = {
                "number": index + 1,
                "count": count,
                "total": len(rows),
                "first_row": index * per_page + 1,
                "prev": None if index == 0 else root + paths[index - 1],
                "next": None if index + 1 == count else root + paths[index + 1],
                "pages": [(number + 1, root + page_path) for number, page_path in enumerate(paths)],
            }
            self.page(
                path,
                template,
                rows=rows[index * per_page : (index + 1) * per_page],
                pager=pager,
                **context,
            )
