"""The intake commands' arguments and handlers (add-raw, new-document, find, locate,
release); cli.py adds them to its parser. Exit 0 ok, 1 problems in the data, 2 usage."""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable
from pathlib import Path

from claimtrack.anchoring import not_found_message
from claimtrack.intake.document import NewDocument, parse_lines, start_document
from claimtrack.intake.edits import EditError
from claimtrack.intake.find import find
from claimtrack.intake.locate import places, proposed_claim_id
from claimtrack.intake.raw import IntakeError, add_raw
from claimtrack.loading import load_corpus
from claimtrack.release.diff import ReleaseReadError
from claimtrack.report import render_issues
from claimtrack.vocab import AgentKind, DocumentType

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]


def _today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def _add_data(parser: argparse.ArgumentParser, data_dir: Callable[[str], Path]) -> None:
    parser.add_argument(
        "--data", type=data_dir, default="data", help="the data folder (default: data)"
    )


def add_intake_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    data_dir: Callable[[str], Path],
) -> None:
    """Add the intake subcommands to ``commands`` (their handlers: INTAKE_COMMANDS)."""
    add_raw_cmd = commands.add_parser(
        "add-raw", help="file a text or a saved HTML page under data/raw/ and pin it"
    )
    add_raw_cmd.add_argument("file", type=Path, help="a UTF-8 text file or an HTML page")
    add_raw_cmd.add_argument("--url", help="where the text was obtained (http or https)")
    add_raw_cmd.add_argument(
        "--received-from", required=True, help="who or what it came from, and in what shape"
    )
    add_raw_cmd.add_argument("--date", help="the date received, YYYY-MM-DD (default: today, UTC)")
    _add_data(add_raw_cmd, data_dir)

    new_cmd = commands.add_parser(
        "new-document", help="start data/documents/<id>.yaml for lines of a raw file"
    )
    new_cmd.add_argument("--raw", required=True, help="the raw file's name in data/raw/")
    new_cmd.add_argument("--lines", required=True, help="the lines it covers, A-B (1-based)")
    new_cmd.add_argument(
        "--author", action="append", required=True, help="an agent id, name or alias (repeat)"
    )
    new_cmd.add_argument("--type", required=True, choices=[item.value for item in DocumentType])
    new_cmd.add_argument("--rights", required=True, help="whose text it is")
    new_cmd.add_argument("--id", help="the document id (default: from the title)")
    new_cmd.add_argument("--title", help="the title (default: the first line of the range)")
    new_cmd.add_argument("--language", default="en", help="BCP 47 tag (default: en)")
    new_cmd.add_argument("--published", help="publication date, EDTF (e.g. 2019-03, 1925?)")
    new_cmd.add_argument("--url", help="the document's web address (default: the raw file's)")
    new_cmd.add_argument("--venue", help="where it appeared: journal, website, book, forum")
    new_cmd.add_argument(
        "--author-kind", default="person", choices=[item.value for item in AgentKind]
    )
    new_cmd.add_argument("--author-description", help="a new author's neutral description")
    _add_data(new_cmd, data_dir)

    find_cmd = commands.add_parser("find", help="agents, sources and topics by name, fuzzy")
    find_cmd.add_argument("text", help="a name, alias, title or label (or a part of one)")
    find_cmd.add_argument("--limit", type=int, default=10)
    _add_data(find_cmd, data_dir)

    locate_cmd = commands.add_parser("locate", help="where a quote stands in a document")
    locate_cmd.add_argument("document", help="a document id")
    locate_cmd.add_argument("quote", help="the quote, verbatim")
    _add_data(locate_cmd, data_dir)

    release_cmd = commands.add_parser(
        "release", help="set the version and date a release needs and refresh the cards"
    )
    release_cmd.add_argument(
        "--out", type=Path, default=Path("dist"), help="where releases are built (default: dist)"
    )
    release_cmd.add_argument("--previous", type=Path, help="the release to compare with")
    release_cmd.add_argument("--date", help="date_released, YYYY-MM-DD (default: today, UTC)")
    release_cmd.add_argument(
        "cards",
        nargs="*",
        type=Path,
        default=[Path("DATA_CARD.md"), Path("README.md")],
        help="Markdown files with generated sections (default: DATA_CARD.md README.md)",
    )
    _add_data(release_cmd, data_dir)


def _failed(command: str, error: Exception) -> int:
    sys.stderr.write(f"claimtrack {command}: {error}\n")
    return EXIT_PROBLEMS


def _cmd_add_raw(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        sys.stderr.write(f"claimtrack add-raw: {args.file}: no such file\n")
        return EXIT_USAGE
    try:
        entry = add_raw(args.data, args.file, args.received_from, args.date or _today(), args.url)
    except (IntakeError, EditError) as error:
        return _failed("add-raw", error)
    lines = (args.data / "raw" / entry.file).read_text(encoding="utf-8").count("\n")
    conversion = (
        f", converted from {entry.converted_from.media_type} by {entry.converted_from.tool}"
        if entry.converted_from
        else ""
    )
    print(
        f"added {args.data / 'raw' / entry.file} ({entry.bytes} bytes, {lines} lines{conversion})"
    )
    print(f"pinned in {args.data / 'raw' / 'manifest.yaml'} (sha256 {entry.sha256})")
    print(
        f"next: read it and run `claimtrack new-document --raw {entry.file} --lines 1-{lines} ...`"
    )
    return EXIT_OK


def _cmd_new_document(args: argparse.Namespace) -> int:
    try:
        first, last = parse_lines(args.lines)
        started = start_document(
            args.data,
            NewDocument(
                raw_file=args.raw,
                first_line=first,
                last_line=last,
                document_type=args.type,
                rights=args.rights,
                authors=args.author,
                title=args.title,
                document_id=args.id,
                language=args.language,
                published=args.published,
                url=args.url,
                author_kind=args.author_kind,
                author_description=args.author_description,
                fields={"publication": {"venue": args.venue}} if args.venue else {},
            ),
        )
    except (IntakeError, EditError) as error:
        return _failed("new-document", error)
    print(f"wrote {started.path}")
    for agent_id in started.found_agents:
        print(f"author: {agent_id} (found in data/)")
    for agent_id in started.created_agents:
        print(
            f"author: {agent_id} (added to {args.data / 'agents' / (started.document_id + '.yaml')})"
        )
    for path in started.registry_files:
        print(f"started {path}")
    return EXIT_OK


def _cmd_find(args: argparse.Namespace) -> int:
    found = find(load_corpus(args.data), args.text, args.limit)
    if not found:
        print(f"nothing like {args.text!r} among agents, sources and topics")
        return EXIT_PROBLEMS
    for item in found:
        alias = (
            f"  (as {item.matched!r})" if item.matched not in (item.label, item.record_id) else ""
        )
        print(f"{item.table:8} {item.record_id:48} {item.score:5.1f}  {item.label}{alias}")
    return EXIT_OK


def _cmd_locate(args: argparse.Namespace) -> int:
    if not args.quote:
        sys.stderr.write("claimtrack locate: give a quote of at least one character\n")
        return EXIT_USAGE
    corpus = load_corpus(args.data)
    documents = {located.record.id: located.record for located in corpus.documents}
    document = documents.get(args.document)
    if document is None:
        sys.stderr.write(
            f"claimtrack locate: no document {args.document!r} loads from {args.data / 'documents'}"
            " (run `claimtrack validate` to see why)\n"
        )
        return EXIT_PROBLEMS
    found = places(document.text, args.quote)
    if not found:
        print(not_found_message(document.text, args.quote))
        return EXIT_PROBLEMS
    taken = {located.record.id for located in corpus.claims}
    print(
        f"{len(found)} occurrence(s) in {document.id}; proposed id: {proposed_claim_id(document.id, args.quote, taken)}"
    )
    for place in found:
        print(f"- start {place.start}, end {place.end} (line {place.line}, column {place.column})")
        before, after = (part.replace("\n", "\\n") for part in (place.before, place.after))
        print(f"  ...{before}[{args.quote}]{after}...")
        if place.prefix is not None:
            print(f"  prefix: {place.prefix!r}")
        if place.suffix is not None:
            print(f"  suffix: {place.suffix!r}")
    return EXIT_OK


def _cmd_release(args: argparse.Namespace) -> int:
    from claimtrack.intake.release import plan_release  # imports datasets (via the build)

    missing = [str(path) for path in args.cards if not path.is_file()]
    if missing:
        sys.stderr.write(f"claimtrack release: no such file: {', '.join(missing)}\n")
        return EXIT_USAGE
    try:
        plan = plan_release(args.data, args.out, args.previous, args.date or _today(), args.cards)
    except ReleaseReadError as error:
        sys.stderr.write(f"claimtrack release: {error}\n")
        return EXIT_USAGE
    except EditError as error:
        return _failed("release", error)
    if plan.blocked:
        sys.stderr.write(render_issues(plan.issues, "text"))
        sys.stderr.write("fix these first; nothing was written\n")
        return EXIT_PROBLEMS
    if plan.previous is None:
        print(f"no release under {args.out}: this is the first; version {plan.version}")
    else:
        need = (
            "nothing changed that needs a version bump"
            if plan.required == "none"
            else f"the changes need a {plan.required} bump"
        )
        print(
            f"since {plan.old_version} ({plan.previous}): {need}; "
            f"version {plan.version}, date_released {plan.date_released}"
        )
    for path in plan.cards.stale:
        print(f"updated {path}")
    if plan.cards.problems:
        sys.stderr.write(render_issues(plan.cards.problems, "text"))
    for path, line, phrase in plan.counted:
        print(f"{path}:{line}: hand-written text names a count, check it: {phrase!r}")
    print(f"next: claimtrack build --data {args.data} --out {args.out}")
    return EXIT_PROBLEMS if plan.cards.broken else EXIT_OK


INTAKE_COMMANDS: dict[str, Handler] = {
    "add-raw": _cmd_add_raw,
    "new-document": _cmd_new_document,
    "find": _cmd_find,
    "locate": _cmd_locate,
    "release": _cmd_release,
}
