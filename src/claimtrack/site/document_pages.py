"""A document's pages: its text cut into pages at gaps between claims, each page marked up."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from claimtrack.site.release_data import Row
from claimtrack.site.spans import Interval, marker_positions, markup

STANCES = ("endorses", "neutral", "disputes")


@dataclass(frozen=True)
class TextPage:
    number: int
    start: int
    end: int
    claims: tuple[Row, ...]


def split_text(text: str, claims: Sequence[Row], per_page: int) -> list[TextPage]:
    """Pages of at most ``per_page`` claims, cut where no span crosses (at a line end if any).

    A cluster of overlapping spans larger than ``per_page`` stays on one page: cutting it
    would split a claim's quote across pages.
    """
    ordered = sorted(claims, key=lambda claim: (claim["span"]["start"], -claim["span"]["end"]))
    pages: list[TextPage] = []
    page_start, reach = 0, 0
    page_claims: list[Row] = []
    for claim in ordered:
        start = claim["span"]["start"]
        if len(page_claims) >= per_page and start >= reach:
            newline = text.rfind("\n", reach, start)
            cut = newline + 1 if newline >= 0 else start
            pages.append(TextPage(len(pages) + 1, page_start, cut, tuple(page_claims)))
            page_start, page_claims = cut, []
        page_claims.append(claim)
        reach = max(reach, claim["span"]["end"])
    pages.append(TextPage(len(pages) + 1, page_start, len(text), tuple(page_claims)))
    return pages


def claim_slug(claim: Row) -> str:
    return str(claim["id"]).split("/", 1)[-1]


def page_markup(
    text: str, page: TextPage, root: str, numbers: dict[str, int], contested_ids: Collection[str]
) -> Markup:
    """The page's slice of the text with its claims and footnote markers as nested elements
    (``contested_ids``: the claims scholarship contradicts or qualifies)."""
    intervals: list[Interval] = []
    for claim in page.claims:
        span, slug = claim["span"], claim_slug(claim)
        stance = claim["attribution"]["document_stance"]
        contested = claim["id"] in contested_ids
        label = f"Claim {numbers[claim['id']]} ({stance}{', contested by scholarship' if contested else ''}): {claim['statement']}"
        marker = (
            f'<a class="cm{" contested" if contested else ""}" data-claim="{slug}" '
            f'href="{root}claims/{escape(claim["id"])}.html" aria-label="{escape(label)}"></a>'
        )
        intervals.append(
            Interval(
                span["start"] - page.start,
                span["end"] - page.start,
                f'<mark class="claim s-{escape(stance)}" data-claim="{slug}">',
                "</mark>",
                0,
                marker,
            )
        )
        for citation in claim["citations"]:
            found = citation.get("marker") and marker_positions(
                text, span["start"], citation["marker"]
            )
            # a marker outside this page is linked on the page that holds it
            if found and page.start <= found[0] and found[1] <= page.end:
                intervals.append(
                    Interval(
                        found[0] - page.start,
                        found[1] - page.start,
                        f'<a class="fn" href="{root}sources/{escape(citation["source_id"])}.html">',
                        "</a>",
                        1,
                    )
                )
    # one footnote link per marker position, even when several claims cite it
    unique = {(item.start, item.end, item.open_tag): item for item in intervals}
    return Markup("".join(markup(text[page.start : page.end], list(unique.values()))))
