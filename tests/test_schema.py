"""schema/ is generated from the models; released records validate against it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import orjson
import pytest
from jsonschema import Draft202012Validator

from claimtrack.cli import main
from claimtrack.models import TABLE_MODELS, ClaimInput
from claimtrack.refs import REFERENCE_FIELDS, closed_schema
from claimtrack.release.build import BuildResult
from claimtrack.schemas import SCHEMA_MODELS, drifted, render, schema_for

from .conftest import REPO


def test_committed_schemas_match_the_models() -> None:
    stale = drifted(REPO / "schema")
    assert not stale, (
        f"schema/ drifted from the models: {stale}. Fix: run `claimtrack schema` and commit schema/"
    )


def test_schema_check_exits_1_on_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    assert main(["schema", "--out", str(tmp_path), "--check"]) == 0
    claims = tmp_path / "claims.schema.json"
    claims.write_bytes(claims.read_bytes().replace(b'"statement"', b'"statment"', 1))
    assert main(["schema", "--out", str(tmp_path), "--check"]) == 1
    assert (
        "claims.schema.json: differs from the models; run `claimtrack schema`"
        in capsys.readouterr().out
    )


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = orjson.loads(render(SCHEMA_MODELS[name]))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("release", ["seed_release", "fixture_release"])
def test_every_released_record_validates_against_the_committed_schema(
    release: str, request: pytest.FixtureRequest
) -> None:
    result: BuildResult = request.getfixturevalue(release)
    assert result.release_dir is not None
    for table in TABLE_MODELS:
        schema = orjson.loads((REPO / "schema" / f"{table}.schema.json").read_bytes())
        validator = Draft202012Validator(schema)
        lines = (result.release_dir / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
        assert len(lines) == result.counts[table]
        for line in lines:
            errors = [error.message for error in validator.iter_errors(orjson.loads(line))]
            assert not errors, (table, line[:120], errors)


def test_schema_rejects_what_the_model_rejects() -> None:
    schema = orjson.loads((REPO / "schema" / "claims.schema.json").read_bytes())
    validator = Draft202012Validator(schema)
    record = {
        "id": "d/c",
        "document_id": "d",
        "statement": "S",
        "claim_type": "guess",
        "span": {"exact": "x", "start": 0, "end": 1},
        "attribution": {"claimant_id": "a", "mode": "asserts", "document_stance": "endorses"},
        "extra": 1,
    }
    messages = sorted(error.message for error in validator.iter_errors(record))
    assert any("'guess' is not one of" in message for message in messages)
    assert any("'extra' was unexpected" in message for message in messages)


def test_the_closed_claims_schema_narrows_every_reference_in_place() -> None:
    """Every reference field of a claim becomes an enum of known ids; $defs stay as they were."""
    schema = schema_for(ClaimInput)
    known = {
        table: {f"{table}-a", f"{table}-b"}
        for table in ("documents", "agents", "sources", "topics")
    }
    closed = closed_schema(schema, "claims", known)
    assert "allOf" not in closed
    assert closed["$defs"] == schema["$defs"]
    text = json.dumps(closed)
    assert text.count('"enum": ["agents-a", "agents-b"') == 3  # claimant, via hop, entity
    assert len(REFERENCE_FIELDS["claims"]) == 7


def test_a_reference_behind_any_of_is_narrowed_under_all_of() -> None:
    """A field at the end of a plain path becomes an enum in place; a path through anyOf
    (here a nullable object) is narrowed by a second schema under allOf."""
    anything = {"type": "string"}
    schema = {
        "type": "object",
        "properties": {
            "document_id": {"anyOf": [anything, {"type": "null"}]},
            "attribution": {
                "anyOf": [
                    {"type": "object", "properties": {"claimant_id": anything}},
                    {"type": "null"},
                ]
            },
        },
    }
    known = {"documents": {"d"}, "agents": {"a"}, "sources": set(), "topics": set()}
    closed = closed_schema(schema, "claims", known)
    assert closed["properties"]["document_id"] == {"enum": ["d", None]}
    assert len(closed["allOf"]) == 1
    validator = jsonschema_rs.validator_for(closed)
    assert validator.is_valid({"document_id": None, "attribution": None})
    assert validator.is_valid({"document_id": "d", "attribution": {"claimant_id": "a"}})
    assert not validator.is_valid({"document_id": "e", "attribution": None})
    assert not validator.is_valid({"document_id": "d", "attribution": {"claimant_id": "b"}})
