"""schema/ is generated from the models; released records validate against it."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from jsonschema import Draft202012Validator

from claimtrack.cli import main
from claimtrack.models import TABLE_MODELS
from claimtrack.release.build import BuildResult
from claimtrack.schemas import SCHEMA_MODELS, drifted, render

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
