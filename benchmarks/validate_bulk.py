"""Validation speed near the parse floor: 200,000 claims, `claimtrack validate` vs orjson alone.

Builds the seed release, writes N claims derived from its records (new ids, same documents,
so every quote anchors), then measures in one run, alternating, R repetitions each:
  floor     - read the file and orjson.loads every line (in this process);
  validate  - `claimtrack validate FILE` as a user runs it (a fresh process: import and
              loading data/ included), with its peak RSS;
  pass      - the validation pass alone, in this process, data/ loaded once beforehand.
Prints the medians and their ratios (target: within 3x the floor, peak RSS under 500 MB).

    python benchmarks/validate_bulk.py [--claims 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

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
            claim["id"] = f"{claim['document_id']}/bulk-{index}"
            out.write(orjson.dumps(claim) + b"\n")
    return path


def parse_floor(path: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as stream:
        for line in stream:
            orjson.loads(line)
    return time.perf_counter() - started


def validate(path: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "claimtrack.cli",
            "validate",
            str(path),
            "--data",
            str(REPO / "data"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"validate failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return elapsed


def validation_pass(path: Path) -> float:
    from claimtrack.contributions import validate_contributions
    from claimtrack.loading import load_corpus

    corpus = load_corpus(REPO / "data")
    started = time.perf_counter()
    issues = validate_contributions([path], None, corpus)
    elapsed = time.perf_counter() - started
    if issues:
        raise SystemExit(f"unexpected problems: {[issue.as_text() for issue in issues[:5]]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = make_input(Path(folder), args.claims)
        size_mb = path.stat().st_size / 1e6
        floors, validations, passes = [], [], []
        for _ in range(args.repeat):
            floors.append(parse_floor(path))
            validations.append(validate(path))
            passes.append(validation_pass(path))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    floor, full, bulk = (
        statistics.median(floors),
        statistics.median(validations),
        statistics.median(passes),
    )
    print(f"input: {args.claims} claims, {size_mb:.0f} MB")
    print(f"orjson parse floor: median {floor:.2f} s ({args.claims / floor:,.0f} records/s)")
    print(
        f"claimtrack validate: median {full:.2f} s ({args.claims / full:,.0f} records/s), peak RSS {peak_mb:.0f} MB"
    )
    print(f"validation pass in process: median {bulk:.2f} s")
    print(
        f"ratio validate / floor: {full / floor:.2f}; validation pass / floor: {bulk / floor:.2f} (target <= 3)"
    )


if __name__ == "__main__":
    main()
