"""What one contributed record must hold on its own, as (pointer, code, message) problems:
a claim's cue, attribution chain and anchoring; a document's text against its raw file;
and which fields an edit of a record in data/ changes."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any

from claimtrack.anchoring import Anchor, anchor_at, anchor_quote
from claimtrack.rawfiles import RawFile
from claimtrack.validation.checks.attribution import chain_problem
from claimtrack.validation.checks.spans import cue_problem

Problem = tuple[str, str, str]
"""JSON pointer, issue code, message."""


def claim_problems(
    claim: dict[str, Any],
    text: str | None,
    authors: Collection[str],
    agents: Collection[str] | None = None,
) -> tuple[list[Problem], tuple[int, int] | None]:
    """A claim's problems, and where its quote stands in ``text`` (its document's; None
    when the document is unknown, which is reported as a reference). With ``agents`` (the
    known agent ids), a chain through an unknown agent is left to UNKNOWN_REFERENCE, its
    root cause."""
    span = claim["span"]
    exact = span["exact"]
    problems: list[Problem] = []
    cue = cue_problem(exact, (claim.get("modality") or {}).get("cue"))
    if cue is not None:
        problems.append(("/modality/cue", "CUE_NOT_IN_SPAN", cue))
    if text is None:
        return problems, None
    attribution = claim["attribution"]
    chain_agents = [attribution.get("claimant_id")]
    chain_agents += [hop.get("agent_id") for hop in attribution.get("via") or []]
    chain = chain_problem(attribution, authors)
    if chain is not None and (agents is None or all(agent in agents for agent in chain_agents)):
        problems.append(("/attribution", "ATTRIBUTION_CHAIN", chain))
    prefix, suffix = span.get("prefix"), span.get("suffix")
    given = (span.get("start"), span.get("end"))
    # Offsets that hold the quote (and its context) anchor it: the W3C position selector
    # disambiguates, so only a span without offsets is searched for and must be unique.
    found = anchor_at(text, exact, prefix, suffix, given) or anchor_quote(
        text, exact, prefix, suffix
    )
    if not isinstance(found, Anchor):
        problems.append(("/span/exact", found.code, found.message))
        return problems, None
    if given != (None, None) and given != (found.start, found.end):
        problems.append(
            (
                "/span/start",
                "OFFSETS_MISMATCH",
                f"start/end {given[0]}/{given[1]} disagree with the quote, found at {found.start}/{found.end}; fix or omit them",
            )
        )
    return problems, (found.start, found.end)


def document_problems(document: dict[str, Any], raw_files: Mapping[str, RawFile]) -> list[Problem]:
    """A released document's text against its sha256 and the slice of its raw file."""
    text = document["text"]
    problems: list[Problem] = []
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != document["text_sha256"]:
        problems.append(("/text_sha256", "TEXT_MISMATCH", "text_sha256 is not the sha256 of text"))
    origin = document["origin"]
    raw_file = raw_files.get(origin["raw_file"])
    if raw_file is None:
        message = f"raw file {origin['raw_file']!r} is not pinned in data/raw/"
        problems.append(("/origin/raw_file", "UNKNOWN_REFERENCE", message))
    elif raw_file.text[origin["start"] : origin["end"]] != text:
        message = f"text is not the slice {origin['start']}:{origin['end']} of {origin['raw_file']}"
        problems.append(("/origin/start", "TEXT_MISMATCH", message))
    return problems


def _empty_to_none(value: Any) -> Any:
    return None if value in (None, [], {}) else value


def changed_fields(current: dict[str, Any], given: dict[str, Any], skip: str = "") -> list[str]:
    """Top-level fields that differ; an absent field equals its empty default."""
    keys = (set(current) | set(given)) - {skip}
    return sorted(
        key for key in keys if _empty_to_none(current.get(key)) != _empty_to_none(given.get(key))
    )
