"""Build the seed release several times and print wall time and peak RSS (target: under 10 s).

Each run is a fresh process (`claimtrack build` into a new temporary folder), so import time
counts, as it does for a user. Prints the median, the spread and the worst peak RSS.

    python benchmarks/build_seed.py [--runs 5]
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

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0


def one_build(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "claimtrack.cli",
            "build",
            "--data",
            str(REPO / "data"),
            "--out",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            times.append(one_build(Path(folder)))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    median = statistics.median(times)
    print(
        f"seed build: median {median:.2f} s over {args.runs} runs (min {min(times):.2f}, max {max(times):.2f})"
    )
    print(f"peak RSS of a build process: {peak_mb:.0f} MB")
    print(f"median / target ({TARGET_SECONDS:.0f} s): {median / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
