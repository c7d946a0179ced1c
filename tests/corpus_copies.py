"""A larger valid corpus for sharding tests: the fixture's documents copied under new ids.

Each copy gets its own raw file, author, topics, cited source, historiography link,
same_proposition relation and tombstone, so that every release table grows with the number
of copies and none of the checks sees a duplicate.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

DOCUMENTS = ("short-note", "second-piece")
TOPICS = {
    "opposition-bloc-1932": "Opposition bloc of 1932",
    "soviet-health-care": "Soviet health care",
}


def _relation(number: int, copy: str) -> str:
    return (
        f"- {{id: same-{number}, from_claim_id: short-note{copy}/bloc-formed-1932, "
        f"to_claim_id: short-note{copy}/historians-agree-bloc-existed, "
        "relation: same_proposition, contributor: test}\n"
    )


def _series(number: int) -> str:
    """A, B, ... Z, AA, AB, ...: the copy's number in letters (no two titles alike)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replicate(data: Path, copies: int) -> None:
    """Grow the fixture corpus under ``data`` to ``copies`` copies of its documents (the
    original counts as the first)."""
    raw = (data / "raw" / "sample.txt").read_bytes()
    relations = _relation(0, "")
    for number in range(1, copies):
        copy = f"-{number}"
        (data / "raw" / f"sample{copy}.txt").write_bytes(raw)
        _append(
            data / "raw" / "manifest.yaml",
            f"- file: sample{copy}.txt\n  sha256: {hashlib.sha256(raw).hexdigest()}\n"
            f"  bytes: {len(raw)}\n  received_from: A copy of sample.txt for the sharding tests.\n",
        )
        for document in DOCUMENTS:
            text = (data / "documents" / f"{document}.yaml").read_text(encoding="utf-8")
            for old in (*DOCUMENTS, *TOPICS, "note-author", "broue-1980-bloc"):
                text = text.replace(old, old + copy)
            text = text.replace("raw_file: sample.txt", f"raw_file: sample{copy}.txt")
            (data / "documents" / f"{document}{copy}.yaml").write_text(text, encoding="utf-8")
        _append(
            data / "agents" / "all.yaml",
            f"- {{id: note-author{copy}, name: Note Author {number}, kind: anonymous, "
            f"description: The author of copy {number}.}}\n",
        )
        _append(
            data / "topics" / "all.yaml",
            "".join(
                f"- {{id: {topic}{copy}, label: {label} {number}, description: Copy {number}.}}\n"
                for topic, label in TOPICS.items()
            ),
        )
        _append(
            data / "sources" / "all.yaml",
            f"- id: broue-1980-bloc{copy}\n  type: article-journal\n"
            f"  title: Notes on the bloc, series {_series(number)}\n"
            f'  author: [{{family: Broué, given: Pierre}}]\n  issued: "{1980 + number}"\n'
            "  container-title: Cahiers Léon Trotsky\n",
        )
        _append(
            data / "historiography.yaml",
            f"- id: broue-on-bloc{copy}\n  claim_id: short-note{copy}/bloc-formed-1932\n"
            f"  source_id: broue-1980-bloc{copy}\n  relation: supports\n"
            "  summary: Broué reports letters that show the bloc was formed in 1932.\n"
            "  contributor: test\n  verification: {level: unverified}\n"
            '  added: "2026-01-02"\n',
        )
        _append(
            data / "tombstones.yaml",
            f"- id: short-note{copy}/bloc-founded\n  table: claims\n"
            f"  replaced_by: short-note{copy}/bloc-formed-1932\n"
            '  reason: Merged into the claim with the dated statement.\n  release: "1.2.0"\n',
        )
        relations += _relation(number, copy)
    (data / "claim_relations.yaml").write_text(relations, encoding="utf-8")


def grown_fixture(root: Path, copies: int) -> Path:
    """tests/fixtures/valid copied under ``root`` and grown to ``copies`` copies; returns root."""
    shutil.copytree(Path(__file__).parent / "fixtures" / "valid", root, dirs_exist_ok=True)
    replicate(root / "data", copies)
    return root
