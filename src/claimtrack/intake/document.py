"""new-document: start data/documents/<id>.yaml for lines of a raw file, with its origin and
metadata, find or create its authors in the agents registry, and start the document's
registry files (data/agents|sources|topics/<id>.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.intake.edits import append_records, dump_yaml, write_atomically
from claimtrack.intake.raw import IntakeError, invalid_fields, read_manifest, slug
from claimtrack.loading import DocumentFile, load_corpus
from claimtrack.models import Agent

REGISTRIES = ("agents", "sources", "topics")


@dataclass
class NewDocument:
    raw_file: str
    first_line: int
    last_line: int
    document_type: str
    rights: str
    authors: list[str]
    """Agent ids, names or aliases."""
    title: str | None = None
    document_id: str | None = None
    language: str = "en"
    published: str | None = None
    url: str | None = None
    author_kind: str = "person"
    author_description: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Started:
    path: Path
    document_id: str
    created_agents: list[str]
    found_agents: list[str]
    registry_files: list[Path]


def parse_lines(value: str) -> tuple[int, int]:
    """``A-B`` (or ``A``) as 1-based inclusive line numbers."""
    first, _, last = value.partition("-")
    try:
        numbers = int(first), int(last or first)
    except ValueError:
        raise IntakeError(f"--lines {value!r}: give line numbers as A-B, e.g. 1-40") from None
    if numbers[0] < 1 or numbers[1] < numbers[0]:
        raise IntakeError(f"--lines {value!r}: give 1 <= A <= B")
    return numbers


def _resolve_author(
    given: str, agents: dict[str, Agent], kind: str, description: str | None
) -> tuple[str, Agent | None]:
    """The id of the agent ``given`` names, and the new agent record when there is none."""
    if given in agents:
        return given, None
    wanted = given.casefold()
    named = sorted(
        agent.id
        for agent in agents.values()
        if wanted in {agent.name.casefold(), *(alias.casefold() for alias in agent.aliases)}
    )
    if len(named) == 1:
        return named[0], None
    if len(named) > 1:
        raise IntakeError(f"--author {given!r} names {', '.join(named)}; give the id")
    if description is None:
        raise IntakeError(
            f"--author {given!r} is no agent in data/ (try `claimtrack find {given!r}`); to create it, "
            "give --author-description (one neutral phrase that tells this agent apart)"
        )
    new_id = slug(given, 60)
    if new_id in agents:
        raise IntakeError(f"--author {given!r}: agent id {new_id!r} exists with another name")
    try:
        agent = Agent.model_validate(
            {"id": new_id, "name": given, "kind": kind, "description": description}
        )
    except ValidationError as error:
        raise IntakeError(invalid_fields(error)) from None
    return new_id, agent


def start_document(data_dir: Path, request: NewDocument) -> Started:
    """Write the annotation file and registry files; nothing is written if a check fails."""
    corpus = load_corpus(data_dir)
    raw = corpus.raw_files.get(request.raw_file)
    if raw is None:
        raise IntakeError(
            f"--raw {request.raw_file!r} is not a pinned, readable file in {data_dir / 'raw'} "
            "(add it with `claimtrack add-raw` first)"
        )
    if request.last_line > raw.line_count:
        raise IntakeError(
            f"--lines: {request.raw_file} has {raw.line_count} lines, not {request.last_line}"
        )
    start, end = raw.slice_lines(request.first_line, request.last_line)
    title = request.title or next(
        (line.strip() for line in raw.text[start:end].splitlines() if line.strip()), ""
    )
    document_id = request.document_id or slug(title, 60)
    if not document_id:
        raise IntakeError("the title gives no id in a-z0-9; give --id")
    path = data_dir / "documents" / f"{document_id}.yaml"
    taken = {located.record.id for located in corpus.documents}
    taken |= {stone.record.id for stone in corpus.records("tombstones")}
    if path.exists() or document_id in taken:
        raise IntakeError(f"document id {document_id!r} is taken; give another --id")
    for located in corpus.documents:  # every line of a raw file belongs to one document
        origin = located.record.origin
        if origin.raw_file == raw.name and not (
            origin.last_line < request.first_line or request.last_line < origin.first_line
        ):
            raise IntakeError(
                f"--lines {request.first_line}-{request.last_line}: lines "
                f"{max(origin.first_line, request.first_line)}-{min(origin.last_line, request.last_line)} "
                f"of {raw.name} are in {located.record.id!r} ({located.file})"
            )
    agents = {located.record.id: located.record for located in corpus.records("agents")}
    author_ids: list[str] = []
    new_agents: list[Agent] = []
    for given in request.authors:
        agent_id, agent = _resolve_author(
            given, agents, request.author_kind, request.author_description
        )
        author_ids.append(agent_id)
        if agent is not None:
            new_agents.append(agent)
            agents[agent_id] = agent
    url = request.url
    if url is None:
        url = next(
            (entry_url for name, entry_url in _manifest_urls(data_dir) if name == raw.name), None
        )
    record: dict[str, Any] = {
        "id": document_id,
        "title": title,
        "author_ids": author_ids,
        "document_type": request.document_type,
        "published": request.published,
        "language": request.language,
        "rights": request.rights,
        "url": url,
        **request.fields,
        "origin": {
            "raw_file": raw.name,
            "first_line": request.first_line,
            "last_line": request.last_line,
        },
        "claims": [],
    }
    record = {key: value for key, value in record.items() if value is not None}
    try:
        DocumentFile.model_validate(record)
    except ValidationError as error:
        raise IntakeError(invalid_fields(error)) from None
    header = (
        f"# data/documents/{document_id}.yaml: {raw.name} lines {request.first_line}-{request.last_line}.\n"
        "# Add claims under `claims:` (see CONTRIBUTING.md); `claimtrack locate` finds a quote.\n"
    )
    started: list[Path] = []
    for table in REGISTRIES:
        registry = data_dir / table / f"{document_id}.yaml"
        if not registry.exists():
            write_atomically(
                registry,
                f"# {table.capitalize()} needed by {document_id} that are not in common.yaml.\n[]\n",
            )
            started.append(registry)
    if new_agents:
        append_records(
            data_dir / "agents" / f"{document_id}.yaml",
            [agent.model_dump(mode="json", exclude_defaults=True) for agent in new_agents],
        )
    write_atomically(path, header + dump_yaml(record))  # last: a document whose agents exist
    return Started(
        path,
        document_id,
        [agent.id for agent in new_agents],
        [agent_id for agent_id in author_ids if agent_id not in {a.id for a in new_agents}],
        started,
    )


def _manifest_urls(data_dir: Path) -> list[tuple[str, str]]:
    return [
        (entry["file"], entry["url"])
        for entry in read_manifest(data_dir / "raw")
        if isinstance(entry.get("url"), str) and isinstance(entry.get("file"), str)
    ]
