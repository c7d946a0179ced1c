"""Check contributed records one at a time against data/ and the records seen so far.

ContributionChecker checks one record at a time, streaming, and keeps only what later
records and the end need (ids seen, references not known yet, relations, segments). A JSONL
record is checked by the compiled schema, and goes through pydantic only when rejected, for
located messages (record_schema). Reading files is not its job: jsonl and contributions
feed it, and the bulk path (bulk_claims) clears clean JSONL claims before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import jsonschema_rs
import orjson
from pydantic import ValidationError

from claimtrack.issues import Issue
from claimtrack.loading import Corpus
from claimtrack.models import ClaimRelation
from claimtrack.models.common import edtf_error, edtf_message
from claimtrack.record_files import RawRecord
from claimtrack.refs import (
    HAS_UNKNOWN_REFERENCE,
    REFERENCE_FIELDS,
    closed_schema,
    iter_references,
)
from claimtrack.schemas import schema_for
from claimtrack.validation.checks.duplicates import source_key
from claimtrack.validation.checks.identity import claim_id_problem
from claimtrack.validation.checks.references import unknown_reference_message
from claimtrack.validation.checks.relations import ContributedRelation, added_relation_problems
from claimtrack.validation.checks.segments import ContributedSegment, Segment, added_overlaps
from claimtrack.validation.record_rules import changed_fields, claim_problems, document_problems
from claimtrack.validation.record_schema import (
    INPUT_MODELS,
    integers_as_int,
    schema_issues,
    typed_yaml_record,
)

TABLE_ORDER = tuple(INPUT_MODELS)  # files are checked in this order: records refer back
EDTF_FIELDS = {"claims": ("time",), "documents": ("published",), "sources": ("issued",)}


class Deferred(NamedTuple):
    """A reference to an id not known yet: it may come later in the contribution. Only
    where it stands is kept, not the record, so a file of many such records stays small."""

    file: str
    line: int | None
    pointer: str
    target_table: str
    target: str
    record_id: str


class ContributionChecker:
    """Checks records one at a time against data/ and the records seen so far."""

    def __init__(self, corpus: Corpus, fast: bool = True) -> None:
        """``fast=False`` sends every JSONL claim through the full check (tests compare)."""
        self.corpus = corpus
        self.known: dict[str, set[str]] = {
            table: {located.record.id for located in corpus.records(table)} for table in TABLE_ORDER
        }
        self.texts = {located.record.id: located.record.text for located in corpus.documents}
        self.authors = {
            located.record.id: tuple(located.record.author_ids) for located in corpus.documents
        }
        self.tombstoned = {
            (stone.record.table.value, stone.record.id) for stone in corpus.records("tombstones")
        }
        self.seen: dict[str, dict[str, tuple[int, str, int]]] = {table: {} for table in TABLE_ORDER}
        self.deferred: list[Deferred] = []
        self.relations: list[ContributedRelation] = []
        """Contributed relations with their file and the lines of /id and /relation."""
        self.segments: list[ContributedSegment] = []
        """Contributed documents' lines, by raw file name."""
        self.issues: list[Issue] = []
        self._validators: dict[str, jsonschema_rs.Validator] = {}
        self._integer_tables: set[str] = set()
        """Tables whose schema has an integer field (known once their validator is built)."""
        self._existing: dict[str, dict[str, dict[str, Any]]] = {}
        self._source_keys = {
            source_key(located.record.model_dump(by_alias=True)): located.record.id
            for located in corpus.records("sources")
        }
        self.fast = fast
        self.cleared = 0
        """Claims the bulk path cleared without the full check."""
        self._closed_claims: jsonschema_rs.Validator | None = None
        """The claims schema with every reference limited to the known ids (built when first
        needed, dropped when a record adds an id a claim may refer to)."""
        self._claim_targets = {target for _, target in REFERENCE_FIELDS["claims"]}
        self.claim_ids_in_data = frozenset(self.known["claims"])
        self.tombstoned_claims = frozenset(
            record_id for table, record_id in self.tombstoned if table == "claims"
        )

    def validator(self, table: str) -> jsonschema_rs.Validator:
        """The compiled schema of a table's records, built when first needed."""
        if table not in self._validators:
            schema = schema_for(INPUT_MODELS[table])
            self._validators[table] = jsonschema_rs.validator_for(schema)
            if '"integer"' in orjson.dumps(schema).decode():
                self._integer_tables.add(table)
        return self._validators[table]

    def existing(self, table: str) -> dict[str, dict[str, Any]]:
        if table not in self._existing:
            self._existing[table] = {
                located.record.id: located.record.model_dump(mode="json", by_alias=True)
                for located in self.corpus.records(table)
            }
        return self._existing[table]

    def report(
        self, raw: RawRecord, pointer: str, code: str, message: str, record_id: str | None
    ) -> None:
        # Pointers run from the file's root: a YAML list's record is /<index>; a JSONL
        # line is its own root.
        root = f"/{raw.index}" if raw.node is not None else ""
        self.issues.append(
            Issue(
                raw.file,
                raw.line_of(pointer) if pointer else raw.line,
                None,
                code,
                message,
                root + pointer,
                record_id,
            )
        )

    def check(self, table: str, raw: RawRecord) -> None:
        """Check one record; problems go to ``self.issues`` (appending is cheaper than generators here)."""
        data = raw.data
        if type(data) is not dict:
            self.report(
                raw,
                "",
                "SCHEMA",
                f"a {table} record must be a JSON object, not {type(data).__name__}",
                None,
            )
            return
        if raw.node is not None:
            typed = typed_yaml_record(INPUT_MODELS[table], raw, self.issues)
            if typed is None:
                return
            raw.data = data = typed
        elif not self.validator(table).is_valid(data):
            self.issues.extend(schema_issues(INPUT_MODELS[table], self.validator(table), raw))
            return
        elif table in self._integer_tables:  # only their records can hold 43.0 for 43
            raw.data = data = integers_as_int(data)
        record_id: str = data["id"]
        for field in EDTF_FIELDS.get(table, ()):
            value = data.get(field)
            if value is not None and (problem := edtf_error(value)) is not None:
                self.report(
                    raw,
                    f"/{field}",
                    "INVALID_EDTF",
                    f"{field}: {edtf_message(value, problem)}",
                    record_id,
                )
        self._identity(table, raw, record_id)
        has_unknown = HAS_UNKNOWN_REFERENCE.get(table)
        if has_unknown is not None and has_unknown(data, self.known):
            root = f"/{raw.index}" if raw.node is not None else ""
            self.deferred.extend(
                Deferred(
                    raw.file, raw.line_of(pointer), root + pointer, target_table, target, record_id
                )
                for pointer, target_table, target in iter_references(table, data)
                if target not in self.known[target_table]
            )
        if table == "claims":
            problem = claim_id_problem(record_id, data["document_id"])
            if problem is not None:
                self.report(raw, "/id", "CLAIM_ID_PREFIX", problem, record_id)
            self._anchor(raw, record_id)
        elif table == "documents":
            for pointer, code, message in document_problems(data, self.corpus.raw_files):
                self.report(raw, pointer, code, message, record_id)
            origin = data["origin"]
            self.segments.append(
                (
                    origin["raw_file"],
                    Segment(
                        record_id,
                        origin["first_line"],
                        origin["last_line"],
                        raw.file,
                        raw.line_of("/origin/first_line"),
                    ),
                )
            )
            self.texts[record_id] = data["text"]
            self.authors[record_id] = tuple(data["author_ids"])
        elif table == "claim_relations":
            if data["from_claim_id"] == data["to_claim_id"]:
                self.report(
                    raw, "/to_claim_id", "SCHEMA", "a claim cannot be related to itself", record_id
                )
            else:
                self._keep_relation(raw)
        elif table == "sources":
            same = self._source_keys.get(source_key(data))
            if same is not None and same != record_id:
                self.report(
                    raw,
                    "/title",
                    "LIKELY_DUPLICATE",
                    f"source {record_id!r} has the same title, first author and year as {same!r} in data/; cite that source instead",
                    record_id,
                )
        self.add_known(table, (record_id,))

    def add_known(self, table: str, record_ids: Iterable[str]) -> None:
        """Ids that records may now refer to."""
        self.known[table].update(record_ids)
        if table in self._claim_targets:
            self._closed_claims = None

    def closed_claims_validator(self) -> jsonschema_rs.Validator:
        """The claims schema with each reference narrowed to the known ids."""
        if self._closed_claims is None:
            closed = closed_schema(schema_for(INPUT_MODELS["claims"]), "claims", self.known)
            self._closed_claims = jsonschema_rs.validator_for(closed)
        return self._closed_claims

    def _identity(self, table: str, raw: RawRecord, record_id: str) -> None:
        digest = raw.fingerprint()
        seen = self.seen[table]
        previous = seen.get(record_id)
        if previous is None:
            seen[record_id] = (digest, raw.file, raw.line)
        elif previous[0] != digest:
            self.report(
                raw,
                "/id",
                "DUPLICATE_ID",
                f"{table} id {record_id!r} is given twice with different content (first at {previous[1]}:{previous[2]})",
                record_id,
            )
        if (table, record_id) in self.tombstoned:
            self.report(
                raw,
                "/id",
                "ID_TOMBSTONED",
                f"{table} id {record_id!r} was released and removed (see tombstones); choose a new id",
                record_id,
            )
        if table != "claims":  # a claim is compared after anchoring, with its computed span
            current = self.existing(table).get(record_id)
            if current is not None:
                self._report_changes(raw, table, record_id, changed_fields(current, raw.data))

    def _report_changes(
        self, raw: RawRecord, table: str, record_id: str, changed: list[str]
    ) -> None:
        if changed:
            self.report(
                raw,
                "/id",
                "CHANGED_RECORD",
                f"{table} id {record_id!r} exists in data/ with other content; changed: {', '.join(changed)}",
                record_id,
            )

    def _anchor(self, raw: RawRecord, record_id: str) -> None:
        data = raw.data
        document_id = data["document_id"]
        problems, found = claim_problems(
            data,
            self.texts.get(document_id),
            self.authors.get(document_id, ()),
            self.known["agents"],
        )
        for pointer, code, message in problems:
            self.report(raw, pointer, code, message, record_id)
        current = self.existing("claims").get(record_id)
        if current is not None and found is not None:
            changed = changed_fields(current, data, skip="span")
            span = current["span"]
            if (span["start"], span["end"], span["exact"]) != (*found, data["span"]["exact"]):
                changed.append("span")
            self._report_changes(raw, "claims", record_id, sorted(changed))

    def _keep_relation(self, raw: RawRecord) -> None:
        """Keep a contributed relation (as its model) for the relation rules at the end."""
        try:
            relation = ClaimRelation.model_validate(raw.data)
        except ValidationError:  # the compiled schema let through what the model refuses
            model = INPUT_MODELS["claim_relations"]
            self.issues.extend(schema_issues(model, self.validator("claim_relations"), raw))
            return
        self.relations.append((relation, raw.file, raw.line_of("/id"), raw.line_of("/relation")))

    def finish(self) -> None:
        """Report what needs every file read: references still unknown, relation rules,
        overlapping documents."""
        if self.relations:
            self.issues.extend(added_relation_problems(self.corpus, self.relations))
        if self.segments:
            self.issues.extend(added_overlaps(self.corpus, self.segments))
        for file, line, pointer, target_table, target, record_id in self.deferred:
            if target not in self.known[target_table]:
                if self.corpus.failed_to_load(target_table, target):
                    continue  # data/'s record failed to load: reported there, once
                message = unknown_reference_message(
                    pointer, target_table, target, self.known[target_table]
                ).replace(
                    "which does not exist", "which is neither in data/ nor in this contribution"
                )
                self.issues.append(
                    Issue(file, line, None, "UNKNOWN_REFERENCE", message, pointer, record_id)
                )
