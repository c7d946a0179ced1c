"""Render templates into a site folder: relative roots, deterministic bytes, paginated lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("claimtrack.site", "templates"),
        autoescape=select_autoescape(["html"]),
        # a field an older or newer release lacks renders as nothing rather than failing
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def root_of(path: str) -> str:
    """The relative prefix from a page at ``path`` (site-relative) back to the site root."""
    return "../" * path.count("/")


@dataclass
class SiteWriter:
    out: Path
    env: Environment = field(default_factory=environment)
    count: int = 0
    """Files written."""
    common: dict[str, Any] = field(default_factory=dict)

    def write_bytes(self, path: str, data: bytes) -> None:
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.count += 1

    def page(self, path: str, template: str, **context: Any) -> None:
        html = self.env.get_template(template).render(
            **self.common, **context, root=root_of(path), path=path
        )
        self.write_bytes(path, html.encode("utf-8"))

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
