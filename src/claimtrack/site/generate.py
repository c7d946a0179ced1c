"""Generate the claims explorer from a release folder: every page, the claims data chunks, assets."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, overload

import orjson

from claimtrack.executors import FORKS, InProcess, Processes, local_jobs
from claimtrack.progress import Progress, Silent
from claimtrack.release.manifest import FileEntry, FileLog
from claimtrack.release.store import RowStore
from claimtrack.site.document_pages import STANCES, claim_slug, page_markup, split_text
from claimtrack.site.formatting import format_sources
from claimtrack.site.panel import agent_name, claim_ref, panel_context, research_status
from claimtrack.site.release_data import TABLES, ReleaseData, Row, load_release
from claimtrack.site.writer import SiteWriter


@dataclass(frozen=True)
class Limits:
    """How much one file may hold, so pages split rather than grow with the corpus."""

    claims_per_document_page: int = 400
    rows_per_list_page: int = 500
    claims_per_data_chunk: int = 2000


RESEARCH_STATUSES = ("linked", "searched", "not_check_worthy", "pending")
STATIC_FILES = (
    "site.css",
    "site.js",
    "vendor/lunr.min.js",
    "vendor/LICENSE-lunr.txt",
    "vendor/README.md",
)


def _copy_static(writer: SiteWriter) -> None:
    static = resources.files("claimtrack.site") / "static"
    for name in STATIC_FILES:
        writer.write_bytes(f"static/{name}", (static / name).read_bytes())


def _list_row(data: ReleaseData, claim: Row, **extra: Any) -> dict[str, Any]:
    return {
        **claim_ref(data, claim["id"], claim),
        "claimant": agent_name(data, claim["attribution"]["claimant_id"]),
        "stance": claim["attribution"]["document_stance"],
        **extra,
    }


def _document_pages(
    writer: SiteWriter,
    data: ReleaseData,
    formatted: Any,
    limits: Limits,
    document: Row,
    claims: list[Row],
) -> int:
    """A document's pages (its text with its claims) and the page of each of its claims;
    gives the number of its claims."""
    ordered = sorted(claims, key=lambda claim: (claim["span"]["start"], claim["id"]))
    numbers = {claim["id"]: number for number, claim in enumerate(ordered, start=1)}
    panels = {claim["id"]: panel_context(data, claim, formatted) for claim in claims}
    contested = {claim_id for claim_id, panel in panels.items() if panel["contested"]}
    # a claim's panel shows on its document's page and on its own: rendered once for both
    rendered = {
        claim_id: writer.fragment("macros.html", "panel", panel, 2)
        for claim_id, panel in panels.items()
    }
    pages = split_text(document["text"], claims, limits.claims_per_document_page)
    paths = [f"documents/{document['id']}.html"] + [
        f"documents/{document['id']}/{page.number}.html" for page in pages[1:]
    ]
    for page, path in zip(pages, paths, strict=True):
        root = "../" * path.count("/")
        page_claims = sorted(page.claims, key=lambda claim: numbers[claim["id"]])
        writer.page(
            path,
            "document.html",
            document=document,
            authors=[(author, agent_name(data, author)) for author in document["author_ids"]],
            text=page_markup(document["text"], page, root, numbers, contested),
            panels=[
                (panels[claim["id"]]["slug"], rendered[claim["id"]].at(path))
                for claim in page_claims
            ],
            page=page,
            pages=[(number + 1, root + other) for number, other in enumerate(paths)],
            claim_count=len(claims),
            stances=STANCES,
            excerpt_of=formatted.get(document.get("excerpt_of") or ""),
        )
    page_of = {claim["id"]: page.number for page in pages for claim in page.claims}
    for claim in claims:
        path = f"claims/{claim['id']}.html"
        page_number = page_of[claim["id"]]
        writer.page(
            path,
            "claim.html",
            panel=panels[claim["id"]],
            panel_html=rendered[claim["id"]].at(path),
            document=document,
            document_path=paths[page_number - 1],
            slug=claim_slug(claim),
        )
    return len(claims)


def _agent_pages(writer: SiteWriter, data: ReleaseData, context: PartContext, agent: Row) -> None:
    rows = [
        _list_row(
            data,
            claim,
            role="claimant"
            if claim["attribution"]["claimant_id"] == agent["id"]
            else "in the via chain",
        )
        for claim in data.claims_naming("agents", agent["id"])
    ]
    writer.paged(
        f"agents/{agent['id']}",
        "agent.html",
        rows,
        context.limits.rows_per_list_page,
        agent=agent,
        authored=data.authored(agent["id"]),
    )


def _source_pages(writer: SiteWriter, data: ReleaseData, context: PartContext, source: Row) -> None:
    rows = [
        _list_row(data, claim, fidelity=citation["fidelity"], locator=citation.get("locator"))
        for claim in data.claims_naming("sources", source["id"])
        for citation in claim["citations"]
        if citation["source_id"] == source["id"]
    ]
    relations = Counter(link["relation"] for link in data.links_on_work(source["id"]))
    writer.paged(
        f"sources/{source['id']}",
        "source.html",
        rows,
        context.limits.rows_per_list_page,
        source=source,
        formatted=context.formatted.get(source["id"], source["id"]),
        relations=sorted(relations.items()),
    )


def _work_pages(writer: SiteWriter, data: ReleaseData, context: PartContext, work_id: str) -> None:
    links = sorted(
        (
            {**link, "claim": claim_ref(data, link["claim_id"])}
            for link in data.links_on_work(work_id)
        ),
        key=lambda link: (link["relation"], link["id"]),
    )
    writer.paged(
        f"works/{work_id}",
        "work.html",
        links,
        context.limits.rows_per_list_page,
        work_id=work_id,
        formatted=context.formatted.get(work_id, work_id),
    )


def _topic_pages(writer: SiteWriter, data: ReleaseData, context: PartContext, topic: Row) -> None:
    rows = [_list_row(data, claim) for claim in data.claims_naming("topics", topic["id"])]
    writer.paged(
        f"topics/{topic['id']}", "topic.html", rows, context.limits.rows_per_list_page, topic=topic
    )


def _proposition_page(
    writer: SiteWriter, data: ReleaseData, context: PartContext, proposition: Row
) -> None:
    formatted = context.formatted
    writer.page(
        f"propositions/{proposition['id']}.html",
        "proposition.html",
        proposition=proposition,
        claims=[claim_ref(data, claim_id) for claim_id in proposition["claim_ids"]],
        links=[
            {**link, "work": formatted.get(link["source_id"], link["source_id"])}
            for link_id in proposition["historiography_ids"]
            if (link := data.row("historiography", link_id)) is not None
        ],
    )


def _link_page(writer: SiteWriter, data: ReleaseData, context: PartContext, link: Row) -> None:
    writer.page(
        f"historiography/{link['id']}.html",
        "link.html",
        link=link,
        work=context.formatted.get(link["source_id"], link["source_id"]),
        claim=claim_ref(data, link["claim_id"]),
    )


def _document_part(
    writer: SiteWriter, data: ReleaseData, context: PartContext, document: Row
) -> int:
    claims = data.claims_of(document["id"])
    with data.near(claims):  # their links, relations and propositions, read together
        return _document_pages(writer, data, context.formatted, context.limits, document, claims)


@dataclass(frozen=True)
class Part:
    """What one task of ``write_site`` writes: the pages of some records of one table (or of
    some scholarly works), or, named by a key of ``WHOLE`` and with no ids, pages of the
    whole release."""

    table: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class PartContext:
    data: ReleaseData
    out: Path
    formatted: dict[str, Any]
    limits: Limits
    log: bool = False
    """Whether each file's sha256 and size go back to ``write_site``'s log."""


#: How many records (or scholarly works) one task of ``write_site`` writes the pages of.
PART_SIZES = {
    "documents": 8,
    "historiography": 2000,
    "agents": 50,
    "sources": 50,
    "works": 50,
    "topics": 1,
    "propositions": 500,
}
#: Rows of a part read in one query, with the claims their pages name (a link's claim):
#: 100 claims and 100 links of the synthetic corpus took 0.45 MB as rows.
ROWS_READ_TOGETHER = 100
#: What writes a record's pages (the works' pages, of ids rather than rows, are
#: ``_work_pages``).
PAGES: dict[str, Callable[[SiteWriter, ReleaseData, PartContext, Row], int | None]] = {
    "documents": _document_part,
    "historiography": _link_page,
    "agents": _agent_pages,
    "sources": _source_pages,
    "topics": _topic_pages,
    "propositions": _proposition_page,
}


def _claims_named(table: str, row: Row) -> list[str]:
    """The claims the page of a row of ``table`` names, read with the part's rows (a
    document's own claims are read with its pages)."""
    if table == "historiography":
        return [row["claim_id"]]
    if table == "propositions":
        return list(row["claim_ids"])
    return []


def _part_ids(data: ReleaseData, table: str) -> Iterator[str]:
    if table == "works":
        return (work_id for work_id, _ in data.works())
    return data.store.iter_ids(table)


def _parts(data: ReleaseData) -> Iterator[Part]:
    for name in WHOLE:
        yield Part(name, ())
    for table, size in PART_SIZES.items():
        ids = _part_ids(data, table)
        while chunk := tuple(itertools.islice(ids, size)):
            yield Part(table, chunk)


def _part_count(data: ReleaseData) -> int:
    sizes = {
        table: len(data.works()) if table == "works" else data.count(table) for table in PART_SIZES
    }
    return len(WHOLE) + sum(-(-sizes[table] // size) for table, size in PART_SIZES.items())


def _write_part(part: Part, context: PartContext) -> tuple[int, int, list[FileEntry]]:
    """Write one part's pages; in a worker process, through its own connection to the store.
    Gives the number of files written, of the claims they show (for progress) and, when
    ``context.log`` asks, the files written."""
    data = context.data
    store = data.store if os.getpid() == data.owner else data.store.reopen()
    try:
        if store is not data.store:
            data = data.through(store)
        writer = SiteWriter(context.out, files=[] if context.log else None)
        writer.common = {"version": data.version}
        claims = 0
        if part.table in WHOLE:
            WHOLE[part.table](writer, data, context)
        elif part.table == "works":
            for work_id in part.ids:
                _work_pages(writer, data, context, work_id)
        else:
            write = PAGES[part.table]
            for start in range(0, len(part.ids), ROWS_READ_TOGETHER):
                ids = part.ids[start : start + ROWS_READ_TOGETHER]
                rows = data.store.rows_by_id(part.table, ids)
                named = (claim for row in rows.values() for claim in _claims_named(part.table, row))
                with data.near([], named):
                    for record_id in ids:
                        claims += write(writer, data, context, rows[record_id]) or 0
        return writer.count, claims, writer.files or []
    finally:
        if store is not context.data.store:
            store.close()


class PagedRows(Sequence[Row]):
    """A list page's rows, made from their ids a page at a time as ``SiteWriter.paged``
    slices them: at a million claims (15,158 agents, 92,108 propositions), the index pages
    took 49 MB above their start with every list made at once, 11 MB this way."""

    def __init__(self, ids: Sequence[Any], make: Callable[[Any], Row]) -> None:
        self.ids = ids
        self.make = make

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self.make(item) for item in self.ids[index]]
        return self.make(self.ids[index])


def _indexes(writer: SiteWriter, data: ReleaseData, context: PartContext) -> None:
    formatted = context.formatted
    per_page = context.limits.rows_per_list_page

    def looked_up(table: str, record_id: str) -> Row:
        row = data.row(table, record_id)
        assert row is not None, "the ids are the store's"
        return row

    def document(document_id: str) -> Row:
        head = looked_up("documents", document_id)
        return {
            **{key: head.get(key) for key in ("id", "title", "document_type", "published")},
            "claims": data.store.count_related("claims.document", document_id),
        }

    def listed(table: str, label: Callable[[str], str]) -> Callable[[str], Row]:
        def row(record_id: str) -> Row:
            count = data.count_claims_naming(table, record_id)
            return {"id": record_id, "label": label(record_id), "count": count}

        return row

    def proposition(proposition_id: str) -> Row:
        claim_ids = looked_up("propositions", proposition_id)["claim_ids"]
        label = claim_ref(data, proposition_id)["statement"]
        return {"id": proposition_id, "label": label, "count": len(claim_ids)}

    def work(item: tuple[str, int]) -> Row:
        source_id, count = item
        return {"id": source_id, "label": formatted.get(source_id, source_id), "count": count}

    documents = PagedRows(data.store.ids("documents"), document)
    counts = {table: data.count(table) for table in TABLES}
    writer.paged("index", "index.html", documents, per_page, counts=counts)
    agents = PagedRows(
        data.store.ids("agents"),
        listed("agents", lambda agent_id: looked_up("agents", agent_id)["name"]),
    )
    writer.paged("agents", "index_list.html", agents, per_page, table="agents", heading="Agents")
    sources = PagedRows(
        data.store.ids("sources"),
        listed("sources", lambda source_id: formatted.get(source_id, source_id)),
    )
    writer.paged(
        "sources", "index_list.html", sources, per_page, table="sources", heading="Sources cited"
    )
    works = PagedRows(data.works(), work)
    writer.paged(
        "works", "index_list.html", works, per_page, table="works", heading="Scholarly works"
    )
    topics = PagedRows(
        data.store.ids("topics"),
        listed("topics", lambda topic_id: looked_up("topics", topic_id)["label"]),
    )
    writer.paged("topics", "index_list.html", topics, per_page, table="topics", heading="Topics")
    propositions = PagedRows(data.store.ids("propositions"), proposition)
    writer.paged(
        "propositions",
        "index_list.html",
        propositions,
        per_page,
        table="propositions",
        heading="Propositions",
    )


def _claims_list(writer: SiteWriter, data: ReleaseData, context: PartContext) -> None:
    """claims.html: filters and search in the browser over data chunks loaded as scripts,
    written a chunk at a time.

    Scripts, not fetch(): a page opened from disk (file://) may load scripts but not fetch.
    """
    size = context.limits.claims_per_data_chunk
    chunks: list[str] = []
    claimants: set[str] = set()
    claim_types: set[str] = set()
    total = 0

    def write_chunk(records: list[dict[str, Any]]) -> None:
        name = f"data/claims-{len(chunks):05d}.js"
        payload = orjson.dumps(records, option=orjson.OPT_SORT_KEYS)
        writer.write_bytes(
            name,
            b"(window.CLAIMTRACK_CLAIMS=window.CLAIMTRACK_CLAIMS||[]).push(" + payload + b");\n",
        )
        chunks.append(name)

    records: list[dict[str, Any]] = []
    for claim in data.rows("claims"):
        claimant = claim["attribution"]["claimant_id"]
        claimants.add(claimant)
        claim_types.add(claim["claim_type"])
        records.append(
            {
                "id": claim["id"],
                "s": claim["statement"],
                "q": claim["span"]["exact"],
                "d": claim["document_id"],
                "c": claimant,
                "cn": agent_name(data, claimant),
                "t": claim["topics"],
                "y": claim["claim_type"],
                "st": claim["attribution"]["document_stance"],
                "r": research_status(claim),
                "x": data.contested(claim["id"]),
            }
        )
        total += 1
        if len(records) == size:
            write_chunk(records)
            records = []
    if records or not chunks:  # an empty release still has its (empty) first chunk
        write_chunk(records)
    writer.page(
        "claims.html",
        "claims.html",
        chunks=chunks,
        documents=[{"id": row["id"], "title": row["title"]} for row in data.documents()],
        claimants=[
            (agent_id, agent_name(data, agent_id))
            for agent_id in sorted(
                claimants, key=lambda agent_id: (agent_name(data, agent_id).lower(), agent_id)
            )
        ],
        topics=list(data.rows("topics")),
        claim_types=sorted(claim_types),
        stances=STANCES,
        statuses=RESEARCH_STATUSES,
        total=total,
    )


#: The parts that write pages of the whole release rather than of some records: first,
#: so that one process writes them while the others write the records' pages (at a
#: million claims, 18 s that the build once spent here, with every worker done).
WHOLE: dict[str, Callable[[SiteWriter, ReleaseData, PartContext], None]] = {
    "claims list": _claims_list,
    "index pages": _indexes,
}


def write_site(
    data: ReleaseData,
    out: Path,
    limits: Limits = Limits(),
    jobs: int = 1,
    progress: Progress | None = None,
    log: FileLog | None = None,
) -> int:
    """Write the whole site into ``out`` (created); return the number of files written. The
    pages are written a part at a time (the claims list, the index pages, then the page or
    pages of some records) by ``jobs`` processes (forked: they read the store through their
    own connections), the static files here; ``progress`` hears of each part done; ``log``
    gets each file's path (in ``out``), sha256 and size."""
    progress = progress or Silent()
    writer = SiteWriter(out, files=[] if log is not None else None)
    writer.common = {"version": data.version}
    formatted = format_sources(data.rows("sources"))
    _copy_static(writer)
    parallel = jobs > 1 and FORKS and data.store.path is not None
    executor = Processes(jobs) if parallel else InProcess()
    context = PartContext(data, out, formatted, limits, log=log is not None)
    progress.start("explorer pages", _part_count(data))
    written = 0
    for count, claims, files in executor.map(_write_part, _parts(data), context):
        written += count
        if log is not None:
            log.add(files)
        progress.advance(claims)
    if log is not None and writer.files is not None:
        log.add(writer.files)
    return writer.count + written


def generate_site(
    release: Path,
    out: Path | None = None,
    limits: Limits = Limits(),
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Path:
    """Read ``release`` and write its site to ``out`` (default ``release``/site), atomically,
    by ``jobs`` processes (default: as the build, one per CPU, at most 4, from 32
    documents on)."""
    target = out if out is not None else release / "site"
    temporary = target.parent / f".{target.name}.tmp-{os.getpid()}"
    with (
        tempfile.TemporaryDirectory(prefix="claimtrack-site-") as scratch,
        RowStore(Path(scratch) / "rows.sqlite") as store,
    ):
        data = load_release(release, store)  # raises SiteError before anything is written
        # the site it replaces is renamed aside, not deleted, until the new one is in place:
        # stopped anywhere (Ctrl-C), the target holds one whole site, the old or the new
        previous = target.parent / f".{target.name}.old-{os.getpid()}"
        for leftover in (temporary, previous):  # of a process of the same number, stopped
            shutil.rmtree(leftover, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if jobs is None:
                jobs = local_jobs(data.count("documents"))
            write_site(data, temporary, limits, jobs=jobs, progress=progress)
            if target.exists():
                os.rename(target, previous)
            os.rename(temporary, target)
        finally:
            if previous.exists() and not target.exists():
                os.rename(previous, target)  # stopped between the two renames
            shutil.rmtree(temporary, ignore_errors=True)
            shutil.rmtree(previous, ignore_errors=True)
    return target
