"""Validation speed near the parse floor: 200,000 claims, `claimtrack validate` vs orjson alone.

Builds the seed release, writes N claims derived from its records (new ids, same documents,
so every quote anchors), then measures in one run, alternating, R repetitions each:
  floor     - read the file and orjson.loads every line (in this process);
  validate  - `claimtrack validate FILE` as a user runs it (a fresh process: import and
              loading data/ included; one process per CPU, at most 4), with its peak RSS;
  pass      - the validation pass alone, in this process, data/ loaded once beforehand;
  pass, 1   - the same with --jobs 1 (one process), to show what the split contributes.
Prints the medians (with the range) and their ratios to the floor (target: validate within
3x the floor, peak RSS under 500 MB).

    python benchmarks/validate_bulk.py [--claims 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson
from runner import compile_package, measure

REPO = Path(__file__).resolve().parent.parent


def make_input(folder: Path, count: int) -> Path:
    from claimtrack.release.build import build

    result = build(REPO / "data", folder / "dist")
    assert result.release_dir is not None, [issue.as_text() for issue in result.issues]
    lines = (result.release_dir / "jsonl" / "claims.jsonl").read_bytes().splitlines()
    claims = [orjson.loads(line) for line in lines]
    path = folder / "bulk.claims.jsonl"
    with path.open("wb") as out:
        for index in range(count):
            claim = dict(claims[index % len(claims)])
            claim.pop("research", None)  # derived by the build, not a contributed field
            claim["id"] = f"{claim['document_id']}/bulk-{index}"
            out.write(orjson.dumps(claim) + b"\n")
    return path


def parse_floor(path: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as stream:
        for line in stream:
            orjson.loads(line)
    return time.perf_counter() - started


def validate(path: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `claimtrack validate` run (start to exit, as the
    runner times it), its worker included."""
    command = [sys.executable, "-m", "claimtrack.cli", "validate", str(path)]
    code, elapsed, peak_mb, printed = measure([*command, "--data", str(REPO / "data")])
    if code != 0:
        raise SystemExit(f"validate failed ({code}):\n{printed}")
    return elapsed, peak_mb


def validation_pass(path: Path, jobs: int | None = None) -> float:
    from claimtrack.loading import load_corpus
    from claimtrack.validation import validate_contributions

    corpus = load_corpus(REPO / "data")
    started = time.perf_counter()
    issues = validate_contributions([path], None, corpus, jobs)
    elapsed = time.perf_counter() - started
    if issues:
        raise SystemExit(f"unexpected problems: {[issue.as_text() for issue in issues[:5]]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as folder:
        path = make_input(Path(folder), args.claims)
        size_mb = path.stat().st_size / 1e6
        runs: dict[str, list[float]] = {"floor": [], "validate": [], "pass": [], "pass, 1": []}
        peaks: list[float] = []
        for _ in range(args.repeat):
            runs["floor"].append(parse_floor(path))
            seconds, megabytes = validate(path)
            runs["validate"].append(seconds)
            peaks.append(megabytes)
            runs["pass"].append(validation_pass(path))
            runs["pass, 1"].append(validation_pass(path, jobs=1))
    peak_mb = max(peaks)
    floor = statistics.median(runs["floor"])
    print(f"input: {args.claims} claims, {size_mb:.0f} MB; {args.repeat} runs each, alternating")
    labels = {
        "floor": "orjson parse floor",
        "validate": "claimtrack validate",
        "pass": "validation pass in process",
        "pass, 1": "validation pass, one process",
    }
    for key, label in labels.items():
        median = statistics.median(runs[key])
        line = (
            f"{label}: median {median:.2f} s (range {min(runs[key]):.2f}-{max(runs[key]):.2f}),"
            f" {args.claims / median:,.0f} records/s"
        )
        if key != "floor":
            line += f", {median / floor:.2f}x the floor"
        if key == "validate":
            line += f", peak RSS {peak_mb:.0f} MB"
        print(line)
    print(
        f"ratio validate / floor: {statistics.median(runs['validate']) / floor:.2f} (target <= 3)"
    )


if __name__ == "__main__":
    main()
