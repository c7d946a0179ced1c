"""Reference rules: every id a record points to exists; every source is cited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located


def _ids(corpus: Corpus, table: str) -> set[str]:
    return {located.record.id for located in corpus.records(table)}


def _references(corpus: Corpus) -> Iterator[tuple[Located[Any], str, str, str]]:
    """Every (record, pointer, table, id) a record of the corpus refers to."""
    for located_document in corpus.documents:
        document = located_document.record
        for index, agent_id in enumerate(document.author_ids):
            yield located_document, f"/author_ids/{index}", "agents", agent_id
        if document.excerpt_of is not None:
            yield located_document, "/excerpt_of", "sources", document.excerpt_of
    for located in corpus.claims:
        claim = located.record
        yield located, "/document_id", "documents", claim.document_id
        yield located, "/attribution/claimant_id", "agents", claim.attribution.claimant_id
        for index, hop in enumerate(claim.attribution.via):
            yield located, f"/attribution/via/{index}/agent_id", "agents", hop.agent_id
            if hop.source_id is not None:
                yield located, f"/attribution/via/{index}/source_id", "sources", hop.source_id
        for index, entity in enumerate(claim.entities):
            yield located, f"/entities/{index}/agent_id", "agents", entity.agent_id
        for index, topic in enumerate(claim.topics):
            yield located, f"/topics/{index}", "topics", topic
        for index, citation in enumerate(claim.citations):
            yield located, f"/citations/{index}/source_id", "sources", citation.source_id
    for link in corpus.records("historiography"):
        yield link, "/claim_id", "claims", link.record.claim_id
        yield link, "/source_id", "sources", link.record.source_id
    for relation in corpus.records("claim_relations"):
        yield relation, "/from_claim_id", "claims", relation.record.from_claim_id
        yield relation, "/to_claim_id", "claims", relation.record.to_claim_id


def dangling_references(corpus: Corpus) -> Iterator[Issue]:
    known = {
        table: _ids(corpus, table)
        for table in ("documents", "claims", "sources", "agents", "topics")
    }
    for located, pointer, table, target in _references(corpus):
        if target not in known[table]:
            record_id = getattr(located.record, "id", None)
            yield Issue(
                located.file,
                located.line_at(pointer),
                None,
                "UNKNOWN_REFERENCE",
                f"{pointer.lstrip('/')} refers to {table} id {target!r}, which does not exist; "
                f"add it to data/{table}/ or fix the id",
                pointer,
                record_id,
            )


def uncited_sources(corpus: Corpus) -> Iterator[Issue]:
    cited = {target for _, pointer, table, target in _references(corpus) if table == "sources"}
    for located in corpus.records("sources"):
        if located.record.id not in cited:
            yield Issue(
                located.file,
                located.line_at("/id"),
                None,
                "UNCITED_SOURCE",
                f"source {located.record.id!r} is cited by no claim, historiography link or document",
                "/id",
                located.record.id,
            )
