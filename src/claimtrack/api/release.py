"""A release folder opened for research: tables read lazily from its Parquet shards, typed records,
frames on request, DuckDB with joined views, and a claim resolved with its context."""

from __future__ import annotations

import tempfile
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import pyarrow as pa
import pyarrow.dataset as pads

from claimtrack.models import TABLE_MODELS, Record, ReleaseInfo
from claimtrack.release.features import features_for
from claimtrack.release.manifest import read_head

if TYPE_CHECKING:
    import pandas
    import polars
    from duckdb import DuckDBPyConnection, DuckDBPyRelation

    from claimtrack.api.context import ClaimContext


class ReleaseOpenError(Exception):
    """A path that is not a readable release folder (nor a data/ folder that builds)."""


class Release:
    """One release of claimtrack, read from its folder (``dist/claimtrack-<version>/`` or a
    download of the Hub repository). Nothing is read until asked for: a table is scanned from
    its Parquet shards with the filter given, so one record does not load the whole release."""

    def __init__(self, root: Path, *, temporary: tempfile.TemporaryDirectory[str] | None = None):
        self.root = root
        # a release built from data/ lives in a temporary folder as long as this object
        self._temporary = temporary
        manifest_path = root / "manifest.json"
        try:
            # manifest.json but its list of files (read as a stream: at a million claims
            # that list is 294 MB, 1.6 GB once parsed)
            self.manifest: dict[str, Any] = read_head(manifest_path)
        except (OSError, orjson.JSONDecodeError) as error:
            raise ReleaseOpenError(
                f"{manifest_path}: cannot read the manifest ({error})"
            ) from error
        if not isinstance(self.manifest, dict) or "release" not in self.manifest:
            raise ReleaseOpenError(
                f"{manifest_path}: no `release` metadata; the folder was built by an older "
                "claimtrack: rebuild it with `claimtrack build`"
            )
        self.info = ReleaseInfo.model_validate(self.manifest["release"])
        self._connection: DuckDBPyConnection | None = None
        self._scanner: DuckDBPyConnection | None = None

    def __repr__(self) -> str:
        return f"Release({str(self.root)!r}, version={self.version!r})"

    @property
    def version(self) -> str:
        return self.info.version

    @property
    def tables(self) -> tuple[str, ...]:
        """Every table of the release, in release order."""
        return tuple(TABLE_MODELS)

    @property
    def counts(self) -> dict[str, int]:
        """Records per table, from the manifest (nothing is scanned)."""
        return dict(self.manifest["records"])

    def parquet_files(self, table: str) -> list[Path]:
        """The table's Parquet shards (none for a table without records)."""
        self._check(table)
        return sorted((self.root / "data" / table).glob("*.parquet"))

    def _check(self, table: str) -> None:
        if table not in TABLE_MODELS:
            raise KeyError(f"no table {table!r}; the tables are {', '.join(TABLE_MODELS)}")

    @cached_property
    def _schemas(self) -> dict[str, pa.Schema]:
        return {table: features_for(model).arrow_schema for table, model in TABLE_MODELS.items()}

    def table(
        self,
        table: str,
        *,
        columns: list[str] | None = None,
        where: pads.Expression | None = None,
    ) -> pa.Table:
        """The table as a pyarrow Table: only ``columns`` (default all) of the rows matching
        ``where`` (a pyarrow dataset expression, e.g. ``pyarrow.dataset.field("id") == "x"``),
        scanned from the shards with the filter pushed down to their row groups."""
        files = self.parquet_files(table)
        if not files:
            schema = self._schemas[table]
            empty = schema.empty_table()
            return empty.select(columns) if columns else empty
        dataset = pads.dataset([str(path) for path in files], format="parquet")
        return dataset.to_table(columns=columns, filter=where)

    def to_pandas(self, table: str) -> pandas.DataFrame:
        """The table as a pandas DataFrame (nested fields as dicts and lists)."""
        frame: pandas.DataFrame = self.table(table).to_pandas()
        return frame

    def to_polars(self, table: str) -> polars.DataFrame:
        """The table as a polars DataFrame (install the ``polars`` extra)."""
        try:
            import polars
        except ImportError as error:
            raise ImportError(
                "polars is not installed: pip install 'claimtrack[polars]'"
            ) from error
        frame = polars.from_arrow(self.table(table))
        assert isinstance(frame, polars.DataFrame)
        return frame

    def rows(self, table: str, where: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """The records (JSON-ready dicts, sorted by id) matching a DuckDB SQL condition, e.g.
        ``rows("claims", "document_id = ?", ["x"])``. DuckDB streams the shards in small
        vectors, skipping row groups by their statistics, so memory stays far below the table's
        size (see benchmarks/api_claim.py)."""
        files = self.parquet_files(table)
        if not files:
            return []  # no records (and no need for the table's schema)
        if self._scanner is None:
            import duckdb

            self._scanner = duckdb.connect(":memory:")
        query = f"SELECT * FROM read_parquet(?) WHERE {where} ORDER BY id"
        relation = self._scanner.sql(query, params=[[str(path) for path in files], *(params or [])])
        return list(relation.to_arrow_table().to_pylist())

    def row(self, table: str, record_id: str) -> dict[str, Any] | None:
        """One record as released (a JSON-ready dict), or None."""
        found = self.rows(table, "id = ?", [record_id])
        return found[0] if found else None

    def ids(self, table: str) -> list[str]:
        """Every id of the table, read from its id column alone."""
        if not self.parquet_files(table):
            return []
        return [str(value) for value in self.table(table, columns=["id"]).column("id").to_pylist()]

    def record(self, table: str, record_id: str) -> Record:
        """One record as its typed model (``Claim``, ``Source``...); KeyError if absent."""
        row = self.row(table, record_id)
        if row is None:
            raise KeyError(f"no {table} record {record_id!r} in release {self.version}")
        return TABLE_MODELS[table].model_validate(row)

    def duckdb(self) -> DuckDBPyConnection:
        """A new in-memory DuckDB connection with every table as a view over its Parquet shards,
        and the joined views of ``claimtrack.api.views`` (claims_context, claim_via,
        claims_citations, claims_scholarship, proposition_claims)."""
        from claimtrack.api.views import connect

        return connect(self)

    def sql(self, query: str, params: list[Any] | None = None) -> DuckDBPyRelation:
        """Run DuckDB SQL over the tables and views (one connection, kept for this Release)."""
        if self._connection is None:
            self._connection = self.duckdb()
        return self._connection.sql(query, params=params)

    def claim(self, claim_id: str) -> ClaimContext:
        """The claim with its document, claimant, via agents, cited sources, scholarship,
        related claims (both directions) and proposition cluster resolved."""
        from claimtrack.api.context import resolve_claim

        return resolve_claim(self, claim_id)


def open_release(path: str | Path) -> Release:
    """Open a release folder, or build the data/ folder of a checkout into a temporary folder
    (removed with the Release) and open that. ReleaseOpenError if neither works."""
    root = Path(path)
    if (root / "manifest.json").is_file():
        return Release(root)
    data_dir = root / "data" if (root / "data" / "release.yaml").is_file() else root
    if not (data_dir / "release.yaml").is_file():
        raise ReleaseOpenError(
            f"{root}: not a release folder (no manifest.json) nor a data/ folder (no release.yaml)"
        )
    from claimtrack.release.build import build

    temporary = tempfile.TemporaryDirectory(prefix="claimtrack-open-")
    result = build(data_dir, Path(temporary.name))
    if result.release_dir is None:
        problems = "\n".join(issue.as_text() for issue in result.issues)
        temporary.cleanup()
        raise ReleaseOpenError(f"{data_dir} does not build:\n{problems}")
    return Release(result.release_dir, temporary=temporary)


__all__ = ["Release", "ReleaseOpenError", "open_release"]
