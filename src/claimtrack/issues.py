"""Problems as data: every problem has a stable code, a level and an exact location."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class IssueType:
    code: str
    level: Level
    summary: str
    """What the problem is and how to fix it, in one sentence (the catalogue's text)."""


def _catalogue(*types: IssueType) -> dict[str, IssueType]:
    catalogue = {issue_type.code: issue_type for issue_type in types}
    if len(catalogue) != len(types):
        raise ValueError("an issue code is catalogued twice")
    return catalogue


E, W = Level.ERROR, Level.WARNING

#: The catalogue of every problem claimtrack reports. Codes never change meaning.
CATALOGUE: dict[str, IssueType] = _catalogue(
    IssueType("FILE_MISSING", E, "A required file or folder of data/ is missing: create it."),
    IssueType("ENCODING", E, "The file is not UTF-8 or holds NUL bytes: save it as UTF-8."),
    IssueType("YAML_SYNTAX", E, "The YAML does not parse: fix the syntax at the line given."),
    IssueType("JSON_SYNTAX", E, "The JSON does not parse: fix the syntax at the line given."),
    IssueType("NOT_A_LIST", E, "A registry file must hold a YAML list of records."),
    IssueType("SCHEMA", E, "A field has the wrong type or a value outside its vocabulary."),
    IssueType("MISSING_FIELD", E, "A required field is absent: add it."),
    IssueType(
        "UNKNOWN_FIELD",
        E,
        "A field is not in the model (often a misspelling): rename or remove it.",
    ),
    IssueType("INVALID_ID", E, "An id does not follow its table's pattern (see the README)."),
    IssueType(
        "INVALID_EDTF",
        E,
        "A date is not EDTF (ISO 8601-2): write e.g. 1937, 1937-01, 1925?, 1938-07/1939-11.",
    ),
    IssueType("DUPLICATE_ID", E, "The same id is defined twice: rename one or merge them."),
    IssueType("CLAIM_ID_PREFIX", E, "A claim id must start with its document's id and a slash."),
    IssueType(
        "UNKNOWN_REFERENCE",
        E,
        "An id refers to a record that does not exist: add the record or fix the id.",
    ),
    IssueType(
        "RAW_FILE_UNPINNED",
        E,
        "A raw file is not listed in data/raw/manifest.yaml: add it with its sha256.",
    ),
    IssueType(
        "RAW_CHECKSUM",
        E,
        "A raw file's sha256 or size differs from the manifest: correct the manifest entry, or restore the file as received.",
    ),
    IssueType(
        "SEGMENT_OUT_OF_RANGE",
        E,
        "A document's lines lie outside its raw file: fix first_line/last_line.",
    ),
    IssueType(
        "SEGMENT_OVERLAP",
        E,
        "Two documents claim the same raw lines: every line belongs to one document.",
    ),
    IssueType(
        "SEGMENT_GAP",
        E,
        "Raw lines (or a whole pinned raw file) belong to no document: extend a document or add one.",
    ),
    IssueType(
        "QUOTE_NOT_FOUND",
        E,
        "A claim's exact quote is not in its document's text: copy it verbatim.",
    ),
    IssueType(
        "QUOTE_NORMALIZED_ONLY",
        E,
        "A quote matches only after Unicode or whitespace normalization: copy the exact characters (e.g. no-break spaces).",
    ),
    IssueType(
        "QUOTE_AMBIGUOUS", E, "A quote occurs more than once: add a prefix or suffix to pick one."
    ),
    IssueType(
        "OFFSETS_MISMATCH", E, "Given span offsets disagree with the quote: fix or omit start/end."
    ),
    IssueType(
        "CUE_NOT_IN_SPAN",
        E,
        "A modality cue does not occur in the claim's quote: quote the hedge or booster word as printed.",
    ),
    IssueType(
        "ATTRIBUTION_CHAIN",
        E,
        "An attribution breaks the chain rule: asserts is the author's own voice; reported speech starts via with the author.",
    ),
    IssueType(
        "RELATION_DUPLICATE", E, "The same relation links the same two claims twice: remove one."
    ),
    IssueType(
        "RELATION_CYCLE",
        W,
        "A same_proposition relation joins claims already joined: remove the redundant one.",
    ),
    IssueType(
        "RELATION_CONFLICT",
        E,
        "Two claims of one proposition cluster are said to contradict: fix one of the relations.",
    ),
    IssueType(
        "ID_REMOVED",
        E,
        "An id of the previous release is gone without a tombstone: restore it or add one to data/tombstones.yaml.",
    ),
    IssueType(
        "VERSION_BUMP",
        E,
        "The dataset version does not rise as the changes require: set version in data/release.yaml.",
    ),
    IssueType(
        "ID_TOMBSTONED", E, "An id that was released and removed is used again: choose a new id."
    ),
    IssueType(
        "CARD_SECTION",
        E,
        "A generated-section marker of DATA_CARD.md or README.md is unknown or unclosed: fix it so `claimtrack card` fills it.",
    ),
    IssueType(
        "RELEASE_CONFLICT",
        E,
        "A release of this version exists with different content: bump the version in data/release.yaml.",
    ),
    IssueType(
        "TEXT_MISMATCH",
        E,
        "A document's text is not its raw-file slice or does not match text_sha256: rebuild the record from data/raw/.",
    ),
    IssueType(
        "CHANGED_RECORD",
        W,
        "A contributed record changes one already in data/: check that the edit is intended.",
    ),
    IssueType(
        "FOOTNOTE_UNCITED",
        E,
        "A footnote marker in the text is cited by no claim: cite it from the claim whose span holds it.",
    ),
    IssueType(
        "LIKELY_DUPLICATE",
        W,
        "Two agents share a name, or two sources the same title, first author and year: merge them or tell them apart.",
    ),
    IssueType(
        "UNCITED_SOURCE",
        W,
        "A source is cited by no claim, link or document: cite it or remove it.",
    ),
    IssueType(
        "RESEARCH_CONFLICT",
        E,
        "A claim with historiography links has a searched or not_check_worthy record, or two records: remove the record (linked is derived from the links).",
    ),
    IssueType(
        "EVIDENCE_HOST",
        W,
        "An evidence_url is on a host listed in data/evidence_hosts.yaml (aggregator, self-publishing, mirror...): use the DOI, the publisher's or journal's page, a catalogue or an authorised edition.",
    ),
    IssueType(
        "EVALUATIVE_TERM",
        W,
        "A statement uses a loaded term of data/evaluative_terms.yaml outside quotation marks: quote the text's word or attribute it.",
    ),
)


@dataclass(frozen=True, order=True)
class Issue:
    """One problem found in the input, located as exactly as the input allows."""

    file: str
    line: int | None
    column: int | None
    code: str
    message: str
    pointer: str = ""
    """JSON Pointer (RFC 6901) to the field from the root of its file (``/claims/3/time`` in
    an annotation file, ``/0/time`` in a YAML list); a JSONL line is its own root."""
    record_id: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"unknown issue code {self.code!r}: add it to CATALOGUE")

    @property
    def level(self) -> Level:
        return CATALOGUE[self.code].level

    def as_text(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        pointer = f" [{self.pointer}]" if self.pointer else ""
        return f"{where}: {self.level.value} {self.code} {self.message}{pointer}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "record_id": self.record_id,
            "message": self.message,
        }


def has_errors(issues: list[Issue]) -> bool:
    return any(issue.level is Level.ERROR for issue in issues)
