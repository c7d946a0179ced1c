"""Command line: build | validate | schema | card | diff | cite | site | serve, and the intake
commands (add-raw | new-document | find | locate | release). Exit 0 ok, 1 problems in the data, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import NoReturn

import orjson

from claimtrack import __version__
from claimtrack.citation import CITE_FORMATS
from claimtrack.executors import EXECUTORS, DaskExecutor, Executor, ExecutorError, InProcess
from claimtrack.intake.commands import INTAKE_COMMANDS, add_intake_commands
from claimtrack.issues import Issue, has_errors
from claimtrack.loading import load_corpus
from claimtrack.memory import fixed_mmap_threshold
from claimtrack.progress import progress, wanted
from claimtrack.record_files import UsageError
from claimtrack.report import FORMATS, iter_rendered, render_issues
from claimtrack.schemas import drifted, write_schemas
from claimtrack.validation import run_checks, validate_contributions
from claimtrack.validation.annotation import split_annotation_files
from claimtrack.validation.streaming import validate_data

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
#: As a shell reports a command stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _data_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{value}: no such folder (give the data/ folder of a claimtrack checkout)"
        )
    return path


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(
            f"{value}: not a port number (0-65535; 0 picks a free one)"
        )
    return int(value)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value}: not a number of processes (1 or more)")
    return int(value)


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
    build_cmd.add_argument(
        "--no-progress",
        action="store_true",
        help="show no progress (it shows on a terminal, in text format, outside CI)",
    )
    build_cmd.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="where the annotation files are read and checked: here (local, the default) or "
        "on a Dask distributed cluster (dask); the release is the same bytes",
    )
    build_cmd.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="the Dask scheduler (e.g. tcp://host:8786) for --executor dask "
        "(default: a local cluster of 2 worker processes for the run)",
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
        type=_jobs,
        default=None,
        help="processes for a large JSONL file (default: one per CPU for files over 8 MB), or, "
        "without paths, for the annotation files of data/ (default: one per CPU from 32 files)",
    )
    validate_cmd.add_argument(
        "--no-progress",
        action="store_true",
        help="show no progress while checking all of data/ (shown on a terminal, in text "
        "format, outside CI)",
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
    add_intake_commands(commands, _data_dir)
    site_cmd = commands.add_parser("site", help="generate the claims explorer from a release")
    site_cmd.add_argument("release", type=Path, help="a release folder (dist/claimtrack-<version>)")
    site_cmd.add_argument(
        "--out", type=Path, default=None, help="output folder (default: RELEASE/site)"
    )
    site_cmd.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        help="processes writing the pages (default: one per CPU, at most 4, from 32 documents)",
    )
    site_cmd.add_argument(
        "--no-progress",
        action="store_true",
        help="show no progress (it shows on a terminal, outside CI)",
    )
    serve_cmd = commands.add_parser("serve", help="preview a release's site on 127.0.0.1")
    serve_cmd.add_argument(
        "release", type=Path, nargs="?", default=None, help="default: the newest under dist/"
    )
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    return parser


def _cmd_site(args: argparse.Namespace) -> int:
    from claimtrack.site.generate import generate_site
    from claimtrack.site.release_data import SiteError

    try:
        with progress(wanted(args.no_progress, "text")) as shown:
            target = generate_site(args.release, args.out, jobs=args.jobs, progress=shown)
    except SiteError as error:
        sys.stderr.write(f"claimtrack site: {error}\n")
        return EXIT_USAGE
    print(f"written: {target} (open {target / 'index.html'}, or `claimtrack serve`)")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from claimtrack.site.release_data import SiteError
    from claimtrack.site.serve import make_server, newest_release, site_folder

    try:
        release = args.release if args.release is not None else newest_release(Path("dist"))
        server = make_server(site_folder(release), args.port)
    except SiteError as error:
        sys.stderr.write(f"claimtrack serve: {error}\n")
        return EXIT_USAGE
    except OSError as error:
        sys.stderr.write(
            f"claimtrack serve: cannot listen on 127.0.0.1:{args.port} ({error.strerror}); "
            "choose another port with --port\n"
        )
        return EXIT_USAGE
    port = server.server_address[1]
    print(f"serving {release / 'site'} at http://127.0.0.1:{port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def _executor(name: str, scheduler: str | None) -> AbstractContextManager[Executor]:
    """The executor of ``--executor``, as a context: a Dask cluster is stopped after the run."""
    if name == "dask":
        return DaskExecutor(scheduler)
    return nullcontext(InProcess())


def _cmd_build(args: argparse.Namespace) -> int:
    from claimtrack.release.build import build  # imports datasets: only for the commands that write

    if args.scheduler is not None and args.executor != "dask":
        sys.stderr.write("claimtrack build: --scheduler needs --executor dask\n")
        return EXIT_USAGE
    show = wanted(args.no_progress, args.format)
    try:
        with _executor(args.executor, args.scheduler) as executor, progress(show) as shown:
            result = build(args.data, args.out, args.previous, executor=executor, progress=shown)
    except ExecutorError as error:
        sys.stderr.write(f"claimtrack build: {error}\n")
        return EXIT_USAGE
    if result.issues or result.status == "failed":
        sys.stderr.write(render_issues(result.issues, args.format))
    if result.status == "failed":
        sys.stderr.write("nothing was written\n")
        return EXIT_PROBLEMS
    counts = ", ".join(f"{table} {count}" for table, count in result.counts.items())
    print(f"{result.status}: {result.release_dir} ({counts})")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    # all of data/ is checked one file at a time; files of records against data/ loaded whole
    if args.paths:
        issues = _validate_paths(args)
    else:
        with progress(wanted(args.no_progress, args.format)) as shown:
            issues = validate_data(args.data, progress=shown, jobs=args.jobs)
    if issues is None:
        return EXIT_USAGE
    sys.stdout.writelines(iter_rendered(issues, args.format))
    return EXIT_PROBLEMS if has_errors(issues) else EXIT_OK


def _validate_paths(args: argparse.Namespace) -> list[Issue] | None:
    """The problems of the files of ``args.paths`` against data/; None after a usage error."""
    annotation, records = split_annotation_files(args.paths)
    corpus = load_corpus(args.data, annotation)
    try:
        # data/ is what the files are checked against: its own loading problems count
        # (the records they hit are missing there); an annotation file is checked as
        # part of data/, in place of the one of its name
        issues = run_checks(corpus) if annotation else list(corpus.issues)
        if records:
            issues += validate_contributions(records, args.table, corpus, args.jobs)
    except UsageError as error:
        sys.stderr.write(f"claimtrack validate: {error}\n")
        return None
    except OSError as error:
        sys.stderr.write(f"claimtrack validate: cannot read {error.filename}: {error.strerror}\n")
        return None
    return issues


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
    from claimtrack.intake.cards import refresh_cards

    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        sys.stderr.write(f"claimtrack card: no such file: {', '.join(missing)}\n")
        return EXIT_USAGE
    corpus = load_corpus(args.data)
    issues = run_checks(corpus)
    if has_errors(issues):
        sys.stderr.write(render_issues(issues, "text"))
        return EXIT_PROBLEMS
    result = refresh_cards(corpus, args.files, args.check)
    sys.stderr.write(render_issues(result.problems, "text") if result.problems else "")
    for path in result.stale:
        if not args.check:
            print(f"updated {path}")
        elif path.name == "CITATION.cff":
            print(f"{path}: differs from data/release.yaml; run `claimtrack card` and commit it")
        else:
            print(f"{path}: generated sections are stale; run `claimtrack card` and commit it")
    return EXIT_PROBLEMS if result.broken or (args.check and result.stale) else EXIT_OK


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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _cmd_build,
    "validate": _cmd_validate,
    "schema": _cmd_schema,
    "card": _cmd_card,
    "diff": _cmd_diff,
    "cite": _cmd_cite,
    **INTAKE_COMMANDS,
    "site": _cmd_site,
    "serve": _cmd_serve,
}


#: The commands that read all of data/ a file at a time (see ``memory.fixed_mmap_threshold``).
STREAMING_COMMANDS = frozenset({"build", "validate"})


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in STREAMING_COMMANDS:
        fixed_mmap_threshold()
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except OSError as error:  # an unreadable input or unwritable output (a full disk)
        sys.stderr.write(f"claimtrack {args.command}: {_os_problem(error)}{_left_after(args)}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C: the workers ignore it, and the writers clean up
        sys.stderr.write(f"claimtrack {args.command}: interrupted{_left_after(args)}\n")
        return EXIT_INTERRUPTED


def _left_after(args: argparse.Namespace) -> str:
    """What a command stopped by an error or Ctrl-C left: a release or a site is written
    beside its place and renamed into it, so either it is whole or it is gone."""
    if args.command == "build":
        return f"; {args.out} holds no unfinished release"
    if args.command == "site":
        return "; no unfinished site is left"
    return ""


def _os_problem(error: OSError) -> str:
    """What went wrong and on which file: a copy names the file it read first and the one
    it wrote second (a full disk fails on the second)."""
    files = " -> ".join(str(name) for name in (error.filename, error.filename2) if name)
    return f"{error.strerror or error}: {files}" if files else str(error.strerror or error)


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
