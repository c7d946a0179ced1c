"""Attribution chains: who says a claim, and through whom it reaches the document."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from claimtrack.issues import Issue
from claimtrack.loading import Corpus


def chain_problem(attribution: dict[str, Any], authors: Collection[str]) -> str | None:
    """Why an attribution (as a dict) breaks the chain rule, or None.

    `asserts` is the author's own voice: the claimant is an author and nobody relays it.
    Every other mode is reported speech: ``via`` runs outward-in from an author of the
    document ("Cumings writes that Hunter found..." is claimant Hunter, via [Cumings]).
    """
    via = attribution.get("via") or []
    if attribution.get("mode") == "asserts":
        if attribution.get("claimant_id") not in authors:
            return "mode 'asserts' is the author's own voice: the claimant must be an author of the document (use quotes, paraphrases or reports for anyone else)"
        if via:
            return "a claim the author asserts has no via chain; remove via or change the mode"
        return None
    if not via or via[0].get("agent_id") not in authors:
        return f"reported speech starts its via chain with the document's author ({', '.join(sorted(authors))}): add that hop first"
    return None


def attribution_chains(corpus: Corpus) -> Iterator[Issue]:
    authors = {located.record.id: set(located.record.author_ids) for located in corpus.documents}
    agents = corpus.ids("agents")
    for located in corpus.claims:
        claim = located.record
        if claim.document_id not in authors:
            continue
        chain = [claim.attribution.claimant_id, *(hop.agent_id for hop in claim.attribution.via)]
        if not all(agent in agents for agent in chain):
            continue  # an unknown agent is the root cause, reported as UNKNOWN_REFERENCE
        problem = chain_problem(claim.attribution.model_dump(), authors[claim.document_id])
        if problem is not None:
            yield Issue(
                located.file,
                located.line_at("/attribution"),
                None,
                "ATTRIBUTION_CHAIN",
                problem,
                located.root_pointer("/attribution"),
                claim.id,
            )
