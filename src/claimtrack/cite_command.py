"""`claimtrack cite`: find the release to cite from (a release folder, the newest under dist/, or
a checkout's data/), then print the citation. Exit 0 cited, 1 unknown or removed id, 2 usage."""

from __future__ import annotations

import sys
from pathlib import Path

from claimtrack.citation import citable, render
from claimtrack.lookup import CiteError, CorpusLookup, RecordLookup
from claimtrack.release.folders import newest_release
from claimtrack.report import render_issues

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _lookup(release: Path | None, data: Path | None) -> RecordLookup | str:
    """The records to cite from, or a usage problem to print."""
    if data is None and release is None:
        release = newest_release(Path("dist"))
        if release is None:
            data = Path("data")
            if not (data / "release.yaml").is_file():
                return (
                    "no release to cite from: no release folder under dist/ and no data/ here; "
                    "give --release PATH (a release folder, e.g. a download of the Hub repository) "
                    "or --data DIR"
                )
    if release is not None:
        from claimtrack.api.release import Release, ReleaseOpenError

        if not (release / "manifest.json").is_file():
            return f"{release}: not a release folder (no manifest.json); give --data for a data/ folder"
        try:
            return Release(release)
        except ReleaseOpenError as error:
            return str(error)
    assert data is not None
    from claimtrack.loading import load_corpus

    corpus = load_corpus(data)
    if corpus.release is None:
        return render_issues(corpus.issues, "text").rstrip("\n")
    return CorpusLookup(corpus)


def run_cite(record_id: str, output_format: str, release: Path | None, data: Path | None) -> int:
    lookup = _lookup(release, data)
    if isinstance(lookup, str):
        sys.stderr.write(f"claimtrack cite: {lookup}\n")
        return EXIT_USAGE
    try:
        item, also_in = citable(lookup, record_id)
    except CiteError as error:
        sys.stderr.write(f"claimtrack cite: {error}\n")
        return EXIT_PROBLEMS
    sys.stdout.write(render(item, lookup.info, output_format))
    for table in also_in:
        sys.stderr.write(
            f"claimtrack cite: {record_id} is also a {table} id; cite "
            f"claimtrack:{table}/{record_id} for that record\n"
        )
    return EXIT_OK


__all__ = ["run_cite"]
