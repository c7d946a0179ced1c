"""Round trips: model -> JSONL -> model and model -> Parquet -> model (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.models import Claim, Source
from claimtrack.release.tables import JSONL_OPTIONS, ShardLimits, record_rows, write_table
from claimtrack.vocab import (
    AttributionMode,
    CitationBasis,
    CitationFidelity,
    CitationIntent,
    ClaimType,
    DocumentStance,
    EntityRole,
    ModalityLevel,
    SourceType,
)

slugs = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8), min_size=1, max_size=4
).map("-".join)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
maybe_text = st.none() | texts
edtf_dates = st.none() | st.sampled_from(
    ["1932", "1937-01-28", "1925?", "1932~", "193X", "1938-07/1939-11", "../1939"]
)


checked = st.fixed_dictionaries(
    {
        "level": st.just("content"),
        "evidence_url": st.just("https://example.org/passage"),
        "checked": st.just("2026-11-26"),
    }
)
#: Every shape a claim's research status takes: linked (with a count), searched or not
#: check-worthy (with date, note and contributor), pending.
research_states = st.one_of(
    st.builds(lambda links: {"status": "linked", "links": links}, st.integers(1, 50)),
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(["searched", "not_check_worthy"]),
            "checked": st.just("2026-12-04"),
            "note": texts,
            "contributor": texts,
        }
    ),
    st.just({"status": "pending"}),
)
citations = st.fixed_dictionaries(
    {
        "source_id": slugs,
        "locator": maybe_text,
        "marker": maybe_text,
        "intent": st.sampled_from(CitationIntent),
        "basis": st.sampled_from(CitationBasis),
    }
).flatmap(
    lambda base: st.one_of(
        st.just({**base, "fidelity": "unchecked"}),
        st.fixed_dictionaries(
            {
                "fidelity": st.sampled_from(
                    [value for value in CitationFidelity if value is not CitationFidelity.UNCHECKED]
                ),
                "fidelity_note": texts,
                "fidelity_verification": checked,
            }
        ).map(lambda judgement: {**base, **judgement}),
    )
)


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    document_id = draw(slugs)
    exact = draw(texts)
    start = draw(st.integers(0, 10_000))
    level = draw(st.sampled_from(ModalityLevel))
    return Claim.model_validate(
        {
            "id": f"{document_id}/{draw(slugs)}",
            "document_id": document_id,
            "span": {
                "exact": exact,
                "start": start,
                "end": start + len(exact),
                "prefix": draw(maybe_text),
                "suffix": draw(maybe_text),
            },
            "statement": draw(texts),
            "claim_type": draw(st.sampled_from(ClaimType)),
            "attribution": {
                "claimant_id": draw(slugs),
                "mode": draw(st.sampled_from(AttributionMode)),
                "document_stance": draw(st.sampled_from(DocumentStance)),
                "via": draw(
                    st.lists(
                        st.fixed_dictionaries(
                            {
                                "agent_id": slugs,
                                "mode": st.sampled_from(AttributionMode),
                                "source_id": st.none() | slugs,
                            }
                        ),
                        max_size=2,
                    )
                ),
            },
            "modality": {
                "level": level,
                "cue": None if level is ModalityLevel.UNMARKED else draw(texts),
            },
            "topics": draw(st.lists(slugs, max_size=3)),
            "entities": draw(
                st.lists(
                    st.fixed_dictionaries({"agent_id": slugs, "role": st.sampled_from(EntityRole)}),
                    max_size=3,
                )
            ),
            "time": draw(edtf_dates),
            "citations": draw(
                st.lists(
                    citations,
                    max_size=3,
                )
            ),
            "note": draw(maybe_text),
            "research": draw(research_states),
        }
    )


@st.composite
def sources(draw: st.DrawFn) -> Source:
    names = st.one_of(
        st.fixed_dictionaries({"family": texts, "given": maybe_text}),
        st.fixed_dictionaries({"literal": texts}),
    )
    return Source.model_validate(
        {
            "id": draw(slugs),
            "type": draw(st.sampled_from(SourceType)),
            "title": draw(texts),
            "author": draw(st.lists(names, max_size=3)),
            "issued": draw(edtf_dates),
            "container-title": draw(maybe_text),
            "publisher-place": draw(maybe_text),
            "page": draw(maybe_text),
        }
    )


@given(st.lists(claims(), max_size=5))
def test_claims_survive_jsonl(records: list[Claim]) -> None:
    for row in record_rows(records):
        line = orjson.dumps(row, option=JSONL_OPTIONS)
        assert (
            Claim.model_validate(orjson.loads(line)).model_dump(mode="json", by_alias=True) == row
        )


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claims(), min_size=1, max_size=5), st.lists(sources(), min_size=1, max_size=5))
def test_claims_and_sources_survive_parquet(
    claim_records: list[Claim], source_records: list[Source]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for model, records in ((Claim, claim_records), (Source, source_records)):
            rows = record_rows(records)
            # Two rows a shard, one a row group: a round trip across shard boundaries.
            limits = ShardLimits(max_rows=2, row_group_rows=1)
            written = write_table(model.__name__, rows, model, Path(folder), limits)
            read = [row for path in written.parquet for row in pq.read_table(path).to_pylist()]
            assert [
                model.model_validate(row).model_dump(mode="json", by_alias=True) for row in read
            ] == rows
