"""The Web Annotation export against every MUST of the W3C Web Annotation Data Model it uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from claimtrack.release.build import BuildResult

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# RFC 3987 in outline: a scheme, a colon, and no character an IRI may not hold
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
MOTIVATIONS = {
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
}


def _rows(release: Path, table: str) -> list[dict[str, Any]]:
    return [
        orjson.loads(line)
        for line in (release / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
    ]


def _has_context(record: dict[str, Any]) -> bool:
    context = record.get("@context")
    return context == CONTEXT or (isinstance(context, list) and CONTEXT in context)


def _types(record: dict[str, Any]) -> list[str]:
    value = record.get("type")
    return value if isinstance(value, list) else [value]


@pytest.fixture(scope="module")
def release(seed_release: BuildResult) -> Path:
    assert seed_release.release_dir is not None
    return seed_release.release_dir


def test_one_collection_per_document_listed_in_the_manifest(release: Path) -> None:
    files = orjson.loads((release / "manifest.json").read_bytes())["files"]
    documents = _rows(release, "documents")
    assert sorted(path.name for path in (release / "annotations").iterdir()) == sorted(
        f"{document['id']}.jsonld" for document in documents
    )
    for document in documents:
        assert f"annotations/{document['id']}.jsonld" in files


def test_every_must_of_the_model(release: Path) -> None:
    documents = {document["id"]: document for document in _rows(release, "documents")}
    claims = {claim["id"]: claim for claim in _rows(release, "claims")}
    seen = set()
    ids = set()
    for path in sorted((release / "annotations").glob("*.jsonld")):
        collection = orjson.loads(path.read_bytes())
        document = documents[path.stem]
        # 5.1 Annotation Collection: @context with the anno context, one IRI id, the type
        assert _has_context(collection) and IRI.match(collection["id"])
        assert "AnnotationCollection" in _types(collection)
        page = collection["first"]
        # 5.2 Annotation Page: one IRI id, the type, items; total and startIndex non-negative ints
        assert IRI.match(page["id"]) and "AnnotationPage" in _types(page)
        assert isinstance(page["items"], list)
        assert page["partOf"] == collection["id"]
        assert (
            isinstance(collection["total"], int) and collection["total"] == len(page["items"]) >= 0
        )
        assert isinstance(page["startIndex"], int) and page["startIndex"] == 0
        for annotation in page["items"]:
            # 3.1 Annotations: @context, exactly one IRI id, type Annotation, one or more targets
            assert _has_context(annotation)
            assert isinstance(annotation["id"], str) and IRI.match(annotation["id"])
            assert annotation["id"] not in ids
            ids.add(annotation["id"])
            assert "Annotation" in _types(annotation)
            assert annotation.get("motivation") in MOTIVATIONS
            claim = claims[annotation["id"].removeprefix("claimtrack:claims/")]
            seen.add(claim["id"])
            # 3.2.4 Embedded Textual Body: exactly one value
            body = annotation["body"]
            assert "TextualBody" in _types(body) and body["value"] == claim["statement"]
            # 4 Specific Resources: a target with a selector has exactly one source
            target = annotation["target"]
            assert target["source"] == f"claimtrack:documents/{document['id']}"
            selectors = {selector["type"]: selector for selector in target["selector"]}
            # 4.2.4 TextQuoteSelector: exactly one exact; at most one prefix and suffix
            quote = selectors["TextQuoteSelector"]
            assert isinstance(quote["exact"], str) and quote["exact"] == claim["span"]["exact"]
            for key in ("prefix", "suffix"):
                assert key not in quote or isinstance(quote[key], str)
            text = document["text"]
            assert text[: quote_start(text, quote)].endswith(quote.get("prefix", ""))
            # 4.2.5 TextPositionSelector: one non-negative integer start and end, in code points
            position = selectors["TextPositionSelector"]
            assert isinstance(position["start"], int) and isinstance(position["end"], int)
            assert 0 <= position["start"] <= position["end"]
            assert text[position["start"] : position["end"]] == quote["exact"]
    assert seen == set(claims)


def quote_start(text: str, quote: dict[str, Any]) -> int:
    """Where the quote selector selects: prefix + exact + suffix must occur in the text."""
    whole = quote.get("prefix", "") + quote["exact"] + quote.get("suffix", "")
    found = text.find(whole)
    assert found >= 0, quote["exact"]
    return found + len(quote.get("prefix", ""))
