"""Command line: build | validate | schema | card | diff | cite. Exit 0 ok, 1 problems in the data, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import orjson

from claimtrack import __version__
from claimtrack.checks import run_checks
from claimtrack.citation import CITE_FORMATS, render_cff
from claimtrack.contributions import validate_contributions
from claimtrack.issues import has_errors
from claimtrack.loading import load_corpus
from claimtrack.record_files import UsageError
from claimtrack.report import FORMATS, iter_rendered, render_issues
from claimtrack.schemas import drifted, write_schemas

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _data_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{value}: no such folder (give the data/ folder of a claimtrack checkout)"
        )
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimtrack", description=__doc__)
    parser.add_argument("--version", action="version", version=f"claimtrack {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    build_cmd = commands.add_parser("build", help="validate data/ and write a release folder")
    build_cmd.add_argument(
        "--data", type=_data_dir, default="data", help="the data folder (default: data)"
    )
    build_cmd.add_argument(
        "--out", type=Path, default=Path("dist"), help="output folder (default: dist)"
    )
    build_cmd.add_argument(
        "--previous",
        type=Path,
        default=None,
        help="the release to compare with (default: the newest other release under --out)",
    )
    build_cmd.add_argument(
        "--format", choices=FORMATS, default="text", help="how to print problems"
    )

    validate_cmd = commands.add_parser(
        "validate", help="check data/, or files of contributed records against it, writing nothing"
    )
    validate_cmd.add_argument(
        "paths", nargs="*", type=Path, help="JSONL or YAML files of records (default: all of data/)"
    )
    validate_cmd.add_argument(
        "--table", help="the table of every PATH (default: from each file name)"
    )
    validate_cmd.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes for a large JSONL file (default: one per CPU for files over 8 MB)",
    )
    validate_cmd.add_argument(
        "--data", type=_data_dir, default="data", help="the data folder (default: data)"
    )
    validate_cmd.add_argument(
        "--format", choices=FORMATS, default="text", help="how to print problems"
    )

    schema_cmd = commands.add_parser("schema", help="write the JSON Schemas from the models")
    schema_cmd.add_argument(
        "--out", type=Path, default=Path("schema"), help="schema folder (default: schema)"
    )
    schema_cmd.add_argument(
        "--check", action="store_true", help="exit 1 if the folder differs from the models"
    )

    card_cmd = commands.add_parser(
        "card", help="refresh the generated sections of DATA_CARD.md and README.md"
    )
    card_cmd.add_argument(
        "--data", type=_data_dir, default="data", help="the data folder (default: data)"
    )
    card_cmd.add_argument(
        "files",
        nargs="*",
        type=Path,
        default=[Path("DATA_CARD.md"), Path("README.md")],
        help="Markdown files with generated sections (default: DATA_CARD.md README.md)",
    )
    card_cmd.add_argument(
        "--check", action="store_true", help="exit 1 if the card's generated sections are stale"
    )
    diff_cmd = commands.add_parser("diff", help="compare two release folders")
    diff_cmd.add_argument("old", type=Path, help="the older release folder")
    diff_cmd.add_argument("new", type=Path, help="the newer release folder")
    diff_cmd.add_argument("--format", choices=("text", "json"), default="text")

    cite_cmd = commands.add_parser("cite", help="cite any record of a release, or the release")
    cite_cmd.add_argument(
        "id",
        help="a record id (claim, document, source, agent, historiography link, claim relation, "
        "topic, proposition), its persistent id claimtrack:<table>/<id>, or `release`",
    )
    cite_cmd.add_argument("--format", choices=CITE_FORMATS, default="text")
    where = cite_cmd.add_mutually_exclusive_group()
    where.add_argument(
        "--release",
        type=Path,
        default=None,
        help="a release folder (default: the newest under dist/, else --data)",
    )
    where.add_argument(
        "--data", type=_data_dir, default=None, help="the data folder of a checkout (default: data)"
    )
    return parser


def _cmd_build(args: argparse.Namespace) -> int:
    from claimtrack.release.build import build  # imports datasets: only for the commands that write

    result = build(args.data, args.out, args.previous)
    if result.issues or result.status == "failed":
        sys.stderr.write(render_issues(result.issues, args.format))
    if result.status == "failed":
        sys.stderr.write("nothing was written\n")
        return EXIT_PROBLEMS
    counts = ", ".join(f"{table} {count}" for table, count in result.counts.items())
    print(f"{result.status}: {result.release_dir} ({counts})")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    corpus = load_corpus(args.data)
    if args.paths:
        try:
            # data/ is what the files are checked against: its own loading problems count
            # (the records they hit are missing there); `validate` without paths runs the rest
            issues = [
                *corpus.issues,
                *validate_contributions(args.paths, args.table, corpus, args.jobs),
            ]
        except UsageError as error:
            sys.stderr.write(f"claimtrack validate: {error}\n")
            return EXIT_USAGE
        except OSError as error:
            sys.stderr.write(
                f"claimtrack validate: cannot read {error.filename}: {error.strerror}\n"
            )
            return EXIT_USAGE
    else:
        issues = run_checks(corpus)
    sys.stdout.writelines(iter_rendered(issues, args.format))
    return EXIT_PROBLEMS if has_errors(issues) else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.check:
        stale = drifted(args.out)
        for name in stale:
            print(
                f"{args.out / name}: differs from the models; run `claimtrack schema` and commit schema/"
            )
        return EXIT_PROBLEMS if stale else EXIT_OK
    for path in write_schemas(args.out):
        print(f"wrote {path}")
    return EXIT_OK


def _cmd_card(args: argparse.Namespace) -> int:
    from claimtrack.release.summary import fill, generated_sections, read_card

    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        sys.stderr.write(f"claimtrack card: no such file: {', '.join(missing)}\n")
        return EXIT_USAGE
    corpus = load_corpus(args.data)
    issues = run_checks(corpus)
    if has_errors(issues):
        sys.stderr.write(render_issues(issues, "text"))
        return EXIT_PROBLEMS
    sections = generated_sections(corpus)
    stale, broken = [], []
    if corpus.release is not None:
        cff_path = args.data.parent / "CITATION.cff"
        cff = render_cff(corpus.release)
        if not cff_path.is_file() or cff_path.read_text("utf-8", errors="replace") != cff:
            stale.append(cff_path)
            if args.check:
                print(
                    f"{cff_path}: differs from data/release.yaml; run `claimtrack card` and commit it"
                )
            else:
                cff_path.write_text(cff, encoding="utf-8")
                print(f"updated {cff_path}")
    for path in args.files:
        current, problems = read_card(path)
        if current is None or problems:
            sys.stderr.write(render_issues(problems, "text"))
            broken.append(path)
            continue
        refreshed = fill(current, sections)
        if refreshed == current:
            continue
        stale.append(path)
        if args.check:
            print(f"{path}: generated sections are stale; run `claimtrack card` and commit it")
        else:
            path.write_text(refreshed, encoding="utf-8")
            print(f"updated {path}")
    return EXIT_PROBLEMS if broken or (args.check and stale) else EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from claimtrack.release.diff import ReleaseReadError, diff_releases, render_changelog

    for folder in (args.old, args.new):
        if not (folder / "manifest.json").is_file():
            sys.stderr.write(
                f"claimtrack diff: {folder} is not a release folder (no manifest.json)\n"
            )
            return EXIT_USAGE
    try:
        diff = diff_releases(args.old, args.new)
    except ReleaseReadError as error:
        sys.stderr.write(f"claimtrack diff: {error}\n")
        return EXIT_USAGE
    if args.format == "json":
        sys.stdout.write(orjson.dumps(diff.as_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        sys.stdout.write(render_changelog(diff, diff.new_version, "compared", {}))
    return EXIT_OK


def _cmd_cite(args: argparse.Namespace) -> int:
    from claimtrack.cite_command import run_cite

    return run_cite(args.id, args.format, args.release, args.data)


COMMANDS = {
    "build": _cmd_build,
    "validate": _cmd_validate,
    "schema": _cmd_schema,
    "card": _cmd_card,
    "diff": _cmd_diff,
    "cite": _cmd_cite,
}


def main(argv: Sequence[str] | None = None) -> int:
    return _run(_parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except OSError as error:  # an unreadable input or unwritable output folder, not bad data
        sys.stderr.write(
            f"claimtrack {args.command}: {error.strerror or error}: {error.filename or ''}\n"
        )
        return EXIT_USAGE


def run() -> NoReturn:
    """The console command.

    ``validate`` leaves with a flush and a hard exit: freeing a large validation's objects
    one by one (hundreds of thousands of ids) costs a tenth of a second the operating
    system spends on nothing when it takes the memory back (mypy leaves the same way). It
    has closed its files and worker pool by then and registers no exit handler. The other
    commands exit normally, so the libraries they use can clean up.
    """
    args = _parser().parse_args()
    code = _run(args)
    if args.command == "validate":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
