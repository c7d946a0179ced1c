"""Editorial registries: evidence hosts that are not acceptable, and loaded terms."""

from __future__ import annotations

from typing import Literal

from claimtrack.models.common import NonEmpty, Record


class EvidenceHost(Record):
    """A host whose pages are not acceptable as evidence for a verification level."""

    host: NonEmpty
    """A domain name; its subdomains are covered too (``researcher.life`` covers
    ``discovery.researcher.life``)."""
    kind: Literal[
        "aggregator", "self-publishing", "open-wiki", "mirror", "unauthorised-copy", "retailer"
    ]
    reason: NonEmpty
    """Why it is not acceptable, and what to use instead."""


class EvaluativeTerm(Record):
    """A loaded or evaluative term the dataset never uses in its own voice."""

    term: NonEmpty
    """Matched case-insensitively on whole words; a final ``*`` matches any ending."""
    why: NonEmpty
