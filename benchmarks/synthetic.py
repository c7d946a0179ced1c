"""A synthetic claimtrack corpus of N claims, shaped like the seed, for the scale benchmark.

``write_corpus(root, claims)`` writes ``root/data/`` (and ``root/DATA_CARD.md``, which the
build reads) that validates with no problem. The shape follows the seed corpus (1.0.0):
about 76 claims and 9 KB of text a document, each document its own raw file; 0.57
citations a claim (43% of claims cite); attribution 77% asserts, 22% one hop, 1.4% two
hops; 89% of claims without a hedge or booster; 71% dated; 0.70 historiography links a
claim, on 48% of claims; a research record on 85% of the claims without a link; 0.24 claim
relations a claim, 27% of them across documents. Agents and sources are registries of
persons and works that documents share: they grow with the square root of the corpus.
Deterministic for a seed. The text is invented and says nothing about anything.

    python benchmarks/synthetic.py ROOT --claims 100000
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CLAIMS_PER_DOCUMENT = 76
TOPICS = 40
WORDS = [
    "committee",
    "district",
    "archive",
    "council",
    "harvest",
    "clinic",
    "railway",
    "school",
    "ledger",
    "survey",
    "province",
    "workshop",
    "cooperative",
    "delegation",
    "bulletin",
    "registry",
    "depot",
    "station",
    "office",
]
VERBS = ["recorded", "counted", "listed", "reported", "noted", "filed"]


@dataclass
class Shape:
    """The seed's proportions (see the module's docstring)."""

    citing: float = 0.43
    second_citation: float = 0.33  # 0.43 * 1.33 = 0.57 citations a claim
    one_hop: float = 0.22
    two_hops: float = 0.014
    marked: float = 0.11
    dated: float = 0.71
    linked: float = 0.48
    second_link: float = 0.46  # 0.48 * 1.46 = 0.70 links a claim
    researched: float = 0.85
    relations: float = 0.24
    across: float = 0.27


@dataclass
class Registries:
    agents: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)


def _dump(value: Any) -> str:
    return str(
        yaml.dump(value, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)
    )


def _registries(claims: int) -> Registries:
    size = max(8, int(2 * math.sqrt(claims)))
    registries = Registries()
    for number in range(size):
        registries.agents.append(
            {
                "id": f"person-{number}",
                "name": f"Person {number} Example",
                "kind": "person",
                "description": f"An invented person ({number}) of the synthetic corpus.",
            }
        )
        registries.sources.append(
            {
                "id": f"work-{number}",
                "type": "book",
                "title": f"Records of the {WORDS[number % len(WORDS)]} series {number} volume",
                "author": [{"family": f"Writer{number}", "given": "Ann"}],
                "issued": str(1950 + number % 70),
            }
        )
    return registries


def _claim(
    rng: random.Random,
    document: str,
    number: int,
    sentence: str,
    author: str,
    registries: Registries,
    shape: Shape,
    counter: list[int],
) -> dict[str, Any]:
    agents = registries.agents
    claim: dict[str, Any] = {"id": f"{document}/claim-{number}", "span": {"exact": sentence}}
    claim["statement"] = f"Claim {number} of {document} states a recorded figure."
    claim["claim_type"] = rng.choice(
        ["empirical", "quantitative", "causal", "historiographical", "interpretive"]
    )
    roll = rng.random()
    if roll < shape.two_hops:
        relay, claimant = rng.sample(agents, 2)
        attribution = {
            "claimant_id": claimant["id"],
            "mode": "reports",
            "document_stance": "neutral",
            "via": [
                {"agent_id": author, "mode": "reports"},
                {"agent_id": relay["id"], "mode": "reports"},
            ],
        }
    elif roll < shape.two_hops + shape.one_hop:
        attribution = {
            "claimant_id": rng.choice(agents)["id"],
            "mode": "reports",
            "document_stance": "endorses",
            "via": [{"agent_id": author, "mode": "reports"}],
        }
    else:
        attribution = {"claimant_id": author, "mode": "asserts", "document_stance": "endorses"}
    claim["attribution"] = attribution
    if "probably" in sentence:
        claim["modality"] = {"level": "probable", "cue": "probably"}
    claim["topics"] = [f"topic-{rng.randrange(TOPICS)}"]
    if rng.random() < shape.dated:
        claim["time"] = str(1900 + rng.randrange(90))
    if rng.random() < shape.citing:
        citations = []
        for _ in range(2 if rng.random() < shape.second_citation else 1):
            source = registries.sources[counter[0] % len(registries.sources)]["id"]
            counter[0] += 1
            registries.cited.add(source)
            citations.append(
                {
                    "source_id": source,
                    "locator": f"p. {rng.randrange(1, 400)}",
                    "intent": "cites_as_evidence",
                    "basis": "in_text_mention",
                }
            )
        claim["citations"] = citations
    return claim


def _sentence(rng: random.Random, document_number: int, number: int, marked: bool) -> str:
    word = WORDS[(number + document_number) % len(WORDS)]
    hedge = "probably " if marked else ""
    return (
        f"In season {number} the {word} of sector {document_number} {hedge}{rng.choice(VERBS)} "
        f"{rng.randrange(10, 99999)} entries for item {number}."
    )


def write_corpus(root: Path, claims: int, seed: int = 0, shape: Shape | None = None) -> Path:
    """Write a valid corpus of about ``claims`` claims under ``root``; returns root/data."""
    shape = shape or Shape()
    rng = random.Random(seed)
    data = root / "data"
    for folder in (
        "raw",
        "documents",
        "historiography",
        "claim_relations",
        "research",
        "agents",
        "sources",
        "topics",
    ):
        (data / folder).mkdir(parents=True, exist_ok=True)
    for name in ("evidence_hosts.yaml", "evaluative_terms.yaml"):
        shutil.copyfile(REPO / "data" / name, data / name)
    shutil.copyfile(REPO / "DATA_CARD.md", root / "DATA_CARD.md")
    (data / "release.yaml").write_text(
        'version: "1.0.0"\ndate_released: "2026-12-04"\npretty_name: claimtrack synthetic\n'
        "title: A synthetic corpus for benchmarks\ndescription: Invented documents shaped like the seed.\n"
        "license: CC-BY-4.0\nauthors: [{name: Benchmark}]\nkeywords: [benchmark]\n",
        encoding="utf-8",
    )
    registries = _registries(claims)
    documents = max(1, round(claims / CLAIMS_PER_DOCUMENT))
    manifest, counter, previous_claims = [], [0], []
    topics = [
        {"id": f"topic-{n}", "label": f"Topic {n}", "description": f"Invented topic {n}."}
        for n in range(TOPICS)
    ]
    made = 0
    for document_number in range(documents):
        document = f"doc-{document_number:06d}"
        author = f"author-{document_number}"
        registries.agents.append(
            {
                "id": author,
                "name": f"Author {document_number} Example",
                "kind": "person",
                "description": f"The author of {document}.",
            }
        )
        count = round((claims - made) / (documents - document_number))
        made += count
        sentences = [
            _sentence(rng, document_number, n, rng.random() < shape.marked) for n in range(count)
        ]
        lines = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)] or [
            "An empty piece."
        ]
        text = "\n".join(lines) + "\n"
        raw_name = f"{document}.txt"
        (data / "raw" / raw_name).write_text(text, encoding="utf-8")
        body = text.encode("utf-8")
        manifest.append(
            {
                "file": raw_name,
                "sha256": hashlib.sha256(body).hexdigest(),
                "bytes": len(body),
                "received_from": "Generated by benchmarks/synthetic.py.",
            }
        )
        claim_records = [
            _claim(rng, document, n, s, author, registries, shape, counter)
            for n, s in enumerate(sentences)
        ]
        record = {
            "id": document,
            "title": f"Synthetic document {document_number}",
            "author_ids": [author],
            "document_type": "essay",
            "published": str(1990 + document_number % 30),
            "language": "en",
            "rights": "Generated for benchmarks.",
            "origin": {"raw_file": raw_name, "first_line": 1, "last_line": len(lines)},
            "claims": claim_records,
        }
        (data / "documents" / f"{document}.yaml").write_text(_dump(record), encoding="utf-8")
        ids = [claim["id"] for claim in claim_records]
        _links_and_research(rng, data, document, ids, registries, shape)
        _relations(rng, data, document, ids, previous_claims, shape)
        previous_claims = ids
    (data / "raw" / "manifest.yaml").write_text(_dump(manifest), encoding="utf-8")
    (data / "agents" / "all.yaml").write_text(_dump(registries.agents), encoding="utf-8")
    (data / "sources" / "all.yaml").write_text(_dump(registries.sources), encoding="utf-8")
    (data / "topics" / "all.yaml").write_text(_dump(topics), encoding="utf-8")
    return data


def _links_and_research(
    rng: random.Random,
    data: Path,
    document: str,
    ids: list[str],
    registries: Registries,
    shape: Shape,
) -> None:
    links, research = [], []
    uncited = [s["id"] for s in registries.sources if s["id"] not in registries.cited]
    for claim_id in ids:
        if rng.random() < shape.linked:
            for _ in range(2 if rng.random() < shape.second_link else 1):
                source = uncited.pop() if uncited else rng.choice(registries.sources)["id"]
                registries.cited.add(source)
                checked = rng.random() < 0.5
                verification = (
                    {
                        "level": "bibliographic",
                        "evidence_url": f"https://catalogue.example.org/{source}",
                        "checked": "2026-12-01",
                    }
                    if checked
                    else {"level": "unverified"}
                )
                links.append(
                    {
                        "id": f"{document}-link-{len(links)}",
                        "claim_id": claim_id,
                        "source_id": source,
                        "relation": rng.choice(
                            ["supports", "contradicts", "qualifies", "contextualizes"]
                        ),
                        "summary": "The work discusses the recorded figure.",
                        "contributor": "benchmark",
                        "verification": verification,
                        "added": "2026-12-01",
                    }
                )
        elif rng.random() < shape.researched:
            research.append(
                {
                    "claim_id": claim_id,
                    "status": rng.choice(["searched", "not_check_worthy"]),
                    "checked": "2026-12-01",
                    "note": "Looked for scholarship on the figure; none addresses it.",
                    "contributor": "benchmark",
                }
            )
    if links:
        (data / "historiography" / f"{document}.yaml").write_text(_dump(links), encoding="utf-8")
    if research:
        (data / "research" / f"{document}.yaml").write_text(_dump(research), encoding="utf-8")


def _relations(
    rng: random.Random, data: Path, document: str, ids: list[str], previous: list[str], shape: Shape
) -> None:
    """same_proposition only inside pairs (2k, 2k+1), other types between pairs and across
    documents: no repeat, no cycle, no contradiction inside a proposition."""
    relations = []
    wanted = round(len(ids) * shape.relations)
    across = round(wanted * shape.across) if previous else 0
    for number in range(min(wanted - across, len(ids) - 1)):
        first, second = ids[number], ids[number + 1]
        kind = (
            "same_proposition"
            if number % 2 == 0
            else rng.choice(["supports", "contradicts", "elaborates"])
        )
        relations.append(
            {
                "id": f"{document}-rel-{number}",
                "from_claim_id": first,
                "to_claim_id": second,
                "relation": kind,
                "contributor": "benchmark",
            }
        )
    for number in range(min(across, len(ids), len(previous))):
        relations.append(
            {
                "id": f"{document}-across-{number}",
                "from_claim_id": ids[number],
                "to_claim_id": previous[number],
                "relation": "elaborates",
                "contributor": "benchmark",
            }
        )
    if relations:
        (data / "claim_relations" / f"{document}.yaml").write_text(
            _dump(relations), encoding="utf-8"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("root", type=Path)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write_corpus(args.root, args.claims, args.seed))


if __name__ == "__main__":
    main()
