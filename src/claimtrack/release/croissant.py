"""croissant.json (MLCommons Croissant 1.0): a table's Parquet file with its checksum, or its
shards as a FileSet, and one RecordSet per table."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from claimtrack.home import dataset_url, doi_url, hub_url
from claimtrack.models import TABLE_MODELS, ReleaseInfo
from claimtrack.release.features import ListOf, Value, features_for
from claimtrack.release.manifest import file_sha256

PARQUET = "application/x-parquet"
LICENSE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}


def _data_type(feature: Any) -> Any:
    import mlcroissant as mlc

    if isinstance(feature, Value):
        return {"int64": mlc.DataType.INTEGER, "bool": mlc.DataType.BOOL}.get(
            feature.dtype, mlc.DataType.TEXT
        )
    return mlc.DataType.TEXT


@dataclass(frozen=True)
class _Origin:
    """The distribution item a table's fields are read from: a FileObject or a FileSet."""

    file_id: str
    sharded: bool

    def source(self, column: str, transforms: list[Any]) -> Any:
        import mlcroissant as mlc

        where = {"file_set": self.file_id} if self.sharded else {"file_object": self.file_id}
        return mlc.Source(extract=mlc.Extract(column=column), transforms=transforms, **where)


def _fields(
    prefix: str,
    features: dict[str, Any],
    origin: _Origin,
    column: str | None,
    path: str,
    *,
    in_list: bool = False,
) -> tuple[list[Any], list[str]]:
    """Croissant fields for a feature dict, and the ids of the columns left out.

    Nested values are read from their column by JSONPath. mlcroissant 1.1 cannot read a list
    nested in a struct, nor a struct nested in a list element, so those (attribution.via,
    citations[].fidelity_verification) are left out here and read from Parquet or JSONL.
    """
    import mlcroissant as mlc

    fields: list[Any] = []
    omitted: list[str] = []
    for name, feature in features.items():
        field_id = f"{prefix}/{name}"
        json_path = f"{path}.{name}" if path else name
        source_column = column or name
        transforms = [mlc.Transform(json_path=json_path)] if column else []
        repeated = isinstance(feature, ListOf)
        inner = feature.feature if repeated else feature
        nested = isinstance(inner, dict)
        if (nested or repeated) and (in_list or (column is not None and repeated)):
            omitted.append(field_id)
            continue
        if nested:
            # A struct, or a list of structs: its keys become subFields read from the same column;
            # paths restart inside each element of a list and go deeper inside a plain struct.
            sub_path = "" if column is None or repeated else json_path
            sub_fields, sub_omitted = _fields(
                field_id, inner, origin, source_column, sub_path, in_list=repeated
            )
            omitted += sub_omitted
            fields.append(
                mlc.Field(
                    id=field_id,
                    name=name,
                    repeated=repeated,
                    data_types=[],
                    sub_fields=sub_fields,
                    source=origin.source(source_column, transforms) if column else None,
                )
            )
        else:
            fields.append(
                mlc.Field(
                    id=field_id,
                    name=name,
                    repeated=repeated,
                    data_types=[_data_type(inner)],
                    source=origin.source(source_column, transforms),
                )
            )
    return fields, omitted


def _distribution(root: Path, table: str, paths: tuple[Path, ...]) -> tuple[Any, _Origin]:
    """One Parquet file is a FileObject with its sha256. Shards are a FileSet: Croissant 1.0
    gives a FileSet no checksum, so each shard's sha256 is in manifest.json. Without
    ``containedIn`` the FileSet's ``includes`` is read from the folder holding croissant.json,
    as mlcroissant reads a local FileSet."""
    import mlcroissant as mlc

    if len(paths) == 1:
        relative = str(paths[0].relative_to(root))
        file_object = mlc.FileObject(
            id=relative,
            name=relative,
            content_url=relative,
            encoding_formats=[PARQUET],
            sha256=file_sha256(paths[0]),
        )
        return file_object, _Origin(relative, sharded=False)
    folder = str(paths[0].parent.relative_to(root))
    file_set = mlc.FileSet(
        id=folder,
        name=folder,
        description=f"The {len(paths)} Parquet shards of the {table} table; "
        "their sha256 are in manifest.json.",
        encoding_formats=[PARQUET],
        includes=[f"{folder}/train-*-of-{len(paths):05d}.parquet"],
    )
    return file_set, _Origin(folder, sharded=True)


def render_croissant(
    root: Path, info: ReleaseInfo, parquet: dict[str, tuple[Path, ...]], cite_as: str
) -> bytes:
    """Croissant JSON-LD for the Parquet files under ``root`` (tables without rows are left out)."""
    import mlcroissant as mlc

    distribution = []
    record_sets = []
    for table, paths in parquet.items():
        if not paths:
            continue
        item, origin = _distribution(root, table, paths)
        distribution.append(item)
        features = features_for(TABLE_MODELS[table]).columns
        fields, omitted = _fields(table, features, origin, None, "")
        description = f"The {table} table." + (
            f" Not described here (nested too deep for Croissant readers): {', '.join(omitted)}."
            if omitted
            else ""
        )
        record_sets.append(
            mlc.RecordSet(
                id=table, name=table, key=f"{table}/id", description=description, fields=fields
            )
        )
    url = dataset_url(info)
    # an unknown home is left out (no placeholder); other homes of the same dataset are sameAs
    same_as = sorted({place for place in (hub_url(info), doi_url(info)) if place and place != url})
    metadata = mlc.Metadata(
        name=info.pretty_name,
        description=info.description,
        license=[LICENSE_URLS.get(info.license, info.license)],
        url=url,
        same_as=same_as or None,
        version=info.version,
        date_published=info.date_released,
        cite_as=cite_as,
        keywords=list(info.keywords),
        distribution=distribution,
        record_sets=record_sets,
    )
    return (
        orjson.dumps(
            metadata.to_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS, default=str
        )
        + b"\n"
    )


class CroissantProcess:
    """``render_croissant`` in a Python process of its own, started at once; ``result``
    waits for its bytes. mlcroissant imports pandas: in the build's process, it raised the
    peak of a build of 100,000 claims from 191 to 222 MB, at its end. The
    process starts anew (it is not forked: it holds none of the build's memory) in its own
    process group, so a Ctrl-C at the terminal stops the build, which stops it."""

    def __init__(
        self,
        root: Path,
        info: ReleaseInfo,
        parquet: dict[str, tuple[Path, ...]],
        cite_as: str,
        scratch: Path,
    ) -> None:
        request = {
            "root": str(root),
            "info": info.model_dump(mode="json", by_alias=True),
            "parquet": {table: [str(path) for path in paths] for table, paths in parquet.items()},
            "cite_as": cite_as,
        }
        self._request = scratch / "croissant-request.json"
        self._request.write_bytes(orjson.dumps(request))
        self._out = scratch / "croissant.json"
        self._messages = scratch / "croissant-messages.txt"
        # its own process group (POSIX), which a terminal's Ctrl-C does not reach
        group: dict[str, Any] = {"process_group": 0} if os.name == "posix" else {}
        with self._messages.open("wb") as messages:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(self._request), str(self._out)],
                stdin=subprocess.DEVNULL,
                stdout=messages,
                stderr=messages,
                **group,
            )

    def result(self) -> bytes:
        """croissant.json's bytes, once the process is done; RuntimeError with its messages
        when it failed (a defect of claimtrack's, not of the data: the release is checked)."""
        if self._process.wait() != 0:
            messages = self._messages.read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"croissant.json could not be rendered:\n{messages}")
        return self._out.read_bytes()

    def close(self) -> None:
        """Stop the process if it still runs (the build stopped before its result)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> CroissantProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_CHILD = "from claimtrack.release.croissant import _render_request; _render_request()"


def _render_request() -> None:
    """The process of ``CroissantProcess``: render the request in argv[1] into argv[2]."""
    request = orjson.loads(Path(sys.argv[1]).read_bytes())
    parquet = {
        table: tuple(Path(path) for path in paths) for table, paths in request["parquet"].items()
    }
    info = ReleaseInfo.model_validate(request["info"])
    rendered = render_croissant(Path(request["root"]), info, parquet, request["cite_as"])
    Path(sys.argv[2]).write_bytes(rendered)
