"""The README's rendered citation examples: one record of each kind, as `cite` writes it and as
citeproc-py renders it in APA, Chicago author-date and Vancouver (the tests render the same)."""

from __future__ import annotations

import re

from claimtrack.citation import citable, cite
from claimtrack.csl import STYLES, render_references
from claimtrack.release.contents import Contents, StoreLookup

STYLE_LABELS = {"apa": "APA", "chicago": "Chicago", "vancouver": "Vancouver"}


def example_ids(contents: Contents) -> dict[str, str] | None:
    """A chain of records that belong together: the first historiography link (by id), its
    claim, that claim's document and claimant, and the scholarly work of the link."""
    link = next(contents.store.rows("historiography"), None)
    if link is None:
        return None
    claim = contents.store.row("claims", link["claim_id"])
    assert claim is not None, "a link names a claim of the release"
    return {
        "claim": f"claimtrack:claims/{claim['id']}",
        "document": f"claimtrack:documents/{claim['document_id']}",
        "agent": f"claimtrack:agents/{claim['attribution']['claimant_id']}",
        "historiography link": f"claimtrack:historiography/{link['id']}",
        "source (the work itself)": f"claimtrack:sources/{link['source_id']}",
    }


def citation_examples_section(contents: Contents) -> str:
    ids = example_ids(contents)
    if ids is None:
        return "No historiography link to draw examples from.\n"
    lookup = StoreLookup(contents)
    parts = []
    for kind, persistent_id in ids.items():
        item, _ = citable(lookup, persistent_id)
        parts.append(f"**{kind}** — `claimtrack cite {persistent_id}`\n\n")
        for style, label in STYLE_LABELS.items():
            (reference,) = render_references([item.csl], STYLES[style])
            # Vancouver numbers its entries ("1."): one entry alone needs no number
            reference = re.sub(r"^\d+\.\s*", "", " ".join(reference.split()))
            parts.append(f"- {label}: {reference}\n")
        parts.append("\n")
    claim_id = ids["claim"]
    parts.append(f"BibTeX (`claimtrack cite {claim_id} --format bibtex`):\n\n```bibtex\n")
    parts.append(cite(lookup, claim_id, "bibtex") + "```\n\n")
    parts.append(f"RIS (`claimtrack cite {claim_id} --format ris`):\n\n```\n")
    parts.append(cite(lookup, claim_id, "ris") + "```\n\n")
    parts.append(f"Text (`claimtrack cite {claim_id}`):\n\n```\n")
    parts.append(cite(lookup, claim_id, "text") + "```\n")
    return "".join(parts)
