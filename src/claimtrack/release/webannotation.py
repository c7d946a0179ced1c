"""The claims as W3C Web Annotation Data Model JSON-LD: one AnnotationCollection per document.

Each claim is an Annotation whose body is its statement (a TextualBody) and whose target is
the document's text, selected by a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (start, end in Unicode code points, as the release's offsets are).
Identifiers are the records' persistent ids (``claimtrack:<table>/<id>``), which are IRIs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from claimtrack.release.store import RowStore

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
FOLDER = "annotations"


def persistent_id(table: str, record_id: str) -> str:
    return f"claimtrack:{table}/{record_id}"


def annotation(claim: dict[str, Any], language: str | None) -> dict[str, Any]:
    span = claim["span"]
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": span["exact"]}
    # prefix/suffix are optional in the model; an empty one is omitted rather than written as ""
    if span.get("prefix"):
        quote["prefix"] = span["prefix"]
    if span.get("suffix"):
        quote["suffix"] = span["suffix"]
    body: dict[str, Any] = {
        "type": "TextualBody",
        "value": claim["statement"],
        "format": "text/plain",
        "purpose": "describing",
    }
    if language:
        body["language"] = language
    return {
        "@context": CONTEXT,
        "id": persistent_id("claims", claim["id"]),
        "type": "Annotation",
        "motivation": "describing",
        "body": body,
        "target": {
            "source": persistent_id("documents", claim["document_id"]),
            "selector": [
                quote,
                {"type": "TextPositionSelector", "start": span["start"], "end": span["end"]},
            ],
        },
    }


def collection(document: dict[str, Any], claims: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The document's AnnotationCollection with its one AnnotationPage embedded as ``first``."""
    collection_id = persistent_id(FOLDER, document["id"])
    items = [annotation(claim, document.get("language")) for claim in claims]
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Claims in “{document['title']}”",
        "total": len(items),
        "first": {
            "id": f"{collection_id}/page-1",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        },
    }


def write_annotations(store: RowStore, root: Path) -> list[Path]:
    """``root``/annotations/<document-id>.jsonld for every document, claims in text order."""
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for document in store.rows("documents"):
        claims = sorted(
            store.related("claims.document", document["id"]),
            key=lambda claim: (claim["span"]["start"], claim["span"]["end"], claim["id"]),
        )
        path = folder / f"{document['id']}.jsonld"
        path.write_bytes(
            orjson.dumps(collection(document, claims), option=orjson.OPT_INDENT_2) + b"\n"
        )
        written.append(path)
    return written
