"""Build and validate at scale, against the parse floor, on a synthetic corpus of N claims.

For each size, writes a corpus shaped like the seed (benchmarks/synthetic.py) into a
temporary folder, then, alternating, R repetitions of each measure, every one a fresh
process (benchmarks/runner.py gives its time and peak RSS):
  floor, 1 process   - parse every YAML file of data/ with claimtrack's own reader, nothing else;
  floor, 2 processes - the same, the files split over two processes;
  json floor         - orjson parsing the same records written as JSON (indented), the files
                       of the JSON input below (what YAML costs);
  validate           - `claimtrack validate --data DIR` (all of data/, no paths);
  build              - `claimtrack build --data DIR --out TMP/N` (skipped above --max-build);
  explorer alone     - `claimtrack site` on the release the build just wrote, into another
                       folder: the explorer's share of the build (its pages, as the build
                       writes them, after reading the release's JSONL back);
  ..., JSON input    - the same two on a copy whose annotation and registry files are JSON.
Prints a Markdown table per size: median time (range), peak RSS, RSS per claim, and each
command's median as a ratio to the floor medians (goal: within 3x of the floor), and to the
JSON floor.

    python benchmarks/scale.py [--claims 10000 100000] [--repeat 3] [--max-build 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from runner import compile_package, measure
from synthetic import write_corpus

FLOOR = """
import sys, time
from multiprocessing import Pool
from pathlib import Path
from claimtrack.yamlio import load_yaml

def parse(paths):
    for path in paths:
        load_yaml(Path(path).read_bytes().decode("utf-8"))

if __name__ == "__main__":
    processes = int(sys.argv[1])
    files = sorted(str(path) for path in Path(sys.argv[2]).rglob("*.yaml"))
    if processes == 1:
        parse(files)
    else:
        with Pool(processes) as pool:
            pool.map(parse, [files[i::processes] for i in range(processes)])
"""

JSON_FLOOR = """
import sys
from pathlib import Path
import orjson
for path in sorted(Path(sys.argv[1]).rglob("*.json")):
    orjson.loads(path.read_bytes())
"""


def json_corpus(data: Path, root: Path) -> Path:
    """A copy of the corpus whose annotation and registry files are JSON (what a program
    writing bulk contributions would give; release.yaml and data/raw/ stay): root/data."""
    import orjson

    from claimtrack.yamlio import load_yaml, to_plain

    shutil.copytree(data, root / "data")
    shutil.copy(data.parent / "DATA_CARD.md", root / "DATA_CARD.md")
    for path in (root / "data").glob("*/*.yaml"):
        if path.parent.name != "raw":
            value = to_plain(load_yaml(path.read_text(encoding="utf-8")))
            path.with_suffix(".json").write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2))
            path.unlink()
    return root / "data"


def _claimtrack(*arguments: str | Path) -> list[str]:
    return [sys.executable, "-m", "claimtrack.cli", *map(str, arguments)]


#: Measured whatever is asked: the ratios are to these.
FLOORS = ("floor, 1 process", "floor, 2 processes", "json floor")
#: Measured right after the build, on its release.
SITE = "explorer alone (site)"


#: Disk a release takes, and the explorer alone, a claim (a million-claim release: 15 GB,
#: the explorer 12 GB of it, on this machine's ext4).
RELEASE_BYTES, SITE_BYTES = 15_000, 12_000


def _measures(claims: int, max_build: int, only: list[str] | None) -> list[str]:
    """The measures taken at this size, in the order they run."""
    names = [*FLOORS, "validate", "validate, JSON input"]
    if claims <= max_build:
        names += ["build", SITE, "build, JSON input"]
    if not only:
        return names
    wanted = {name for name in names if any(word in name for word in only)}
    if SITE in wanted:
        wanted.add("build")  # the explorer is written from the build's release
    return [name for name in names if name in FLOORS or name in wanted]


def _check_room(folder: Path, claims: int, repeat: int, names: list[str]) -> None:
    """Stop before anything is written when the outputs, all kept to the end, would not fit."""
    builds = sum(name.startswith("build") for name in names)
    needed = claims * repeat * (builds * RELEASE_BYTES + (SITE in names) * SITE_BYTES)
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise SystemExit(
            f"{claims:,} claims, {repeat} run(s): the releases and sites need about "
            f"{needed / 1e9:.0f} GB under {folder}, {free / 1e9:.0f} GB are free; "
            "lower --repeat, use --only or --max-build, or set TMPDIR to a larger disk"
        )


def run_size(claims: int, repeat: int, max_build: int, only: list[str] | None = None) -> None:
    names = _measures(claims, max_build, only)
    _check_room(Path(tempfile.gettempdir()), claims, repeat, names)
    with tempfile.TemporaryDirectory(prefix="claimtrack-scale-") as folder:
        root = Path(folder)
        data = write_corpus(root / "corpus", claims)
        json_data = json_corpus(data, root / "json-input")
        out = root / "out"
        every: dict[str, list[str]] = {
            "floor, 1 process": [sys.executable, "-c", FLOOR, "1", str(data)],
            "floor, 2 processes": [sys.executable, "-c", FLOOR, "2", str(data)],
            "json floor": [sys.executable, "-c", JSON_FLOOR, str(json_data)],
            "validate": _claimtrack("validate", "--data", data),
            "validate, JSON input": _claimtrack("validate", "--data", json_data),
            "build": _claimtrack("build", "--data", data),
            SITE: [],  # made once the build has written its release
            "build, JSON input": _claimtrack("build", "--data", json_data),
        }
        commands = {name: every[name] for name in names}
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, list[float]] = {name: [] for name in commands}
        # Nothing written is deleted until the size is done: on ext4 without a journal (this
        # machine's) a file made within 60 s of a deletion (360 s while the deleted inode's
        # table block is unwritten) skips each recently freed inode, and a build right after
        # the deletion of a release spent ~30% of its CPU time in that search (perf)
        for run in range(repeat):
            for name, command in commands.items():
                if name.startswith("build"):
                    command = [*command, "--out", str(out / f"{name}-{run}")]
                if name == SITE:
                    (release,) = (out / f"build-{run}").glob("claimtrack-*")
                    command = _claimtrack("site", release, "--out", root / f"site-{run}")
                code, seconds, peak, printed = measure(command)
                if code != 0:
                    raise SystemExit(f"{name} failed ({code}) at {claims} claims:\n{printed}")
                times[name].append(seconds)
                peaks[name].append(peak)
        floor1 = statistics.median(times["floor, 1 process"])
        floor2 = statistics.median(times["floor, 2 processes"])
        json_floor = statistics.median(times["json floor"])
        print(
            f"\n{claims:,} claims ({len(list(data.rglob('*.yaml'))):,} YAML files, "
            f"{sum(p.stat().st_size for p in data.rglob('*.yaml')) / 1e6:.0f} MB); {repeat} runs each, alternating\n"
        )
        print(
            "| measure | median time (range) | peak RSS | RSS per claim | / floor (1 process) "
            "| / floor (2 processes) | / JSON floor |"
        )
        print("|---|---|---|---|---|---|---|")
        for name in commands:
            median = statistics.median(times[name])
            peak = max(peaks[name])
            print(
                f"| {name} | {median:.1f} s ({min(times[name]):.1f}-{max(times[name]):.1f}) | {peak:.0f} MB "
                f"| {peak * 1024 * 1024 / claims:,.0f} B | {median / floor1:.2f}x | {median / floor2:.2f}x "
                f"| {median / json_floor:.1f}x |"
            )
        if claims > max_build:
            print(f"| build | not run: above --max-build {max_build:,} claims | | | | | |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--max-build",
        type=int,
        default=1_000_000,
        help="largest corpus to build (its release, the explorer's pages included, takes about "
        "15 KB of disk a claim, the explorer alone 12 KB; every run's are kept until the size "
        "is done, and the benchmark stops first when they would not fit)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORD",
        help="measure (besides the floors) only the commands whose name has one of these words, "
        "for example: --only 'JSON input'",
    )
    args = parser.parse_args()
    compile_package()
    for claims in args.claims:
        run_size(claims, args.repeat, args.max_build, args.only)


if __name__ == "__main__":
    main()
