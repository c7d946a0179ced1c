"""The DuckDB connection of a release: a view per table over its Parquet shards, and joined views."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from claimtrack.api.release import Release

#: Ready joins, by view name: what researchers otherwise write by hand.
JOINED_VIEWS = {
    # one row per hop of reported speech, in order, with the agent's name
    "claim_via": """
        SELECT v.claim_id, v.hop, v.h.agent_id AS agent_id, a.name AS agent_name,
               v.h.mode AS mode, v.h.source_id AS source_id
        FROM (SELECT id AS claim_id,
                     generate_subscripts(attribution.via, 1) AS hop,
                     unnest(attribution.via) AS h
              FROM claims) AS v
        LEFT JOIN agents a ON a.id = v.h.agent_id
    """,
    # every claim with its document's title, its claimant's name and the names of its via chain
    "claims_context": """
        SELECT c.id AS claim_id, c.document_id, d.title AS document_title, c.statement,
               c.claim_type, c.attribution.claimant_id AS claimant_id, a.name AS claimant_name,
               c.attribution.mode AS mode, c.attribution.document_stance AS document_stance,
               list_transform(c.attribution.via, lambda hop: hop.agent_id) AS via_ids,
               coalesce((SELECT list(v.agent_name ORDER BY v.hop) FROM claim_via v
                         WHERE v.claim_id = c.id), []) AS via_names,
               c.span.exact AS quote, c.time, c.topics
        FROM claims c
        JOIN documents d ON d.id = c.document_id
        LEFT JOIN agents a ON a.id = c.attribution.claimant_id
    """,
    # one row per citation a claim makes, with the cited work
    "claims_citations": """
        SELECT x.claim_id, x.document_id, x.cit.source_id AS source_id, s.title AS source_title,
               s.issued AS source_issued, x.cit.locator AS locator, x.cit.intent AS intent,
               x.cit.fidelity AS fidelity
        FROM (SELECT id AS claim_id, document_id, unnest(citations) AS cit FROM claims) AS x
        LEFT JOIN sources s ON s.id = x.cit.source_id
    """,
    # one row per historiography link, with its claim, document and the scholarly work
    "claims_scholarship": """
        SELECT h.claim_id, c.document_id, d.title AS document_title, c.statement,
               h.id AS link_id, h.relation, h.summary, h.locator,
               h.verification.level AS verification_level, h.source_id AS work_id,
               s.title AS work_title, s.issued AS work_issued,
               list_transform(s.author, lambda name: coalesce(name.family, name.literal))
                   AS work_authors
        FROM historiography h
        JOIN claims c ON c.id = h.claim_id
        JOIN documents d ON d.id = c.document_id
        LEFT JOIN sources s ON s.id = h.source_id
    """,
    # one row per claim of a proposition cluster, with its context: a proposition across documents
    "proposition_claims": """
        SELECT p.proposition_id, x.claim_id, x.document_id, x.document_title, x.claimant_name,
               x.mode, x.document_stance, x.statement, x.quote
        FROM (SELECT id AS proposition_id, unnest(claim_ids) AS claim_id FROM propositions) AS p
        JOIN claims_context x ON x.claim_id = p.claim_id
    """,
}


def connect(release: Release) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the release's tables and joined views (nothing is copied:
    each view reads the Parquet shards when queried)."""
    connection = duckdb.connect(":memory:")
    for table in release.tables:
        files = release.parquet_files(table)
        if files:
            paths = ", ".join("'" + str(path).replace("'", "''") + "'" for path in files)
            connection.execute(f'CREATE VIEW "{table}" AS SELECT * FROM read_parquet([{paths}])')
        else:
            # a table without records ships no Parquet: an empty relation with its schema
            connection.register(f"{table}_empty", release.table(table))
            connection.execute(f'CREATE VIEW "{table}" AS SELECT * FROM "{table}_empty"')
    for name, query in JOINED_VIEWS.items():
        connection.execute(f'CREATE VIEW "{name}" AS {query}')
    return connection
