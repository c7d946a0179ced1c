"""Release.claim(id) on a large release reads what it needs, not the whole claims table.

Builds the seed release, then a copy whose claims table is the seed's claims repeated under
new document ids (``--claims`` rows in 100,000-row shards, as the builder writes them). In
fresh processes it measures resolving one claim with its context, and, for comparison,
loading the whole claims table; it prints both wall times and peak RSS and their ratios.

    python benchmarks/api_claim.py [--claims 300000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
ROWS_PER_SHARD = 100_000
# Peak RSS from VmHWM: it starts afresh at exec, while ru_maxrss keeps the forking parent's
MEASURE = """
import sys, time
started = time.perf_counter()
import claimtrack
release = claimtrack.open(sys.argv[1])
if sys.argv[2] == "claim":
    context = release.claim(sys.argv[3])
    assert context.claim.id == sys.argv[3]
else:
    assert release.table("claims").num_rows > 0
elapsed = time.perf_counter() - started
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(elapsed, status)
"""


def enlarge(seed: Path, target: Path, claims: int) -> str:
    """A copy of ``seed`` with ``claims`` claims; returns the id of one in the last shard."""
    shutil.copytree(seed, target)
    base = pq.read_table(seed / "data" / "claims" / "train-00000-of-00001.parquet")
    copies = -(-claims // base.num_rows)
    batches = []
    for copy in range(copies):
        prefix = pa.scalar(f"copy{copy:05d}-")
        batches.append(
            base.set_column(
                base.schema.get_field_index("id"),
                "id",
                pc.binary_join_element_wise(prefix, base.column("id"), ""),
            )
        )
    table = pa.concat_tables(batches).slice(0, claims)
    table = table.sort_by("id")
    for old in (target / "data" / "claims").glob("*.parquet"):
        old.unlink()
    shards = -(-claims // ROWS_PER_SHARD)
    for index in range(shards):
        shard = table.slice(index * ROWS_PER_SHARD, ROWS_PER_SHARD)
        pq.write_table(
            shard,
            target / "data" / "claims" / f"train-{index:05d}-of-{shards:05d}.parquet",
            compression="zstd",
            write_statistics=True,
        )
    # a claim of the seed (so its document, agents and sources exist), under a copy's id that
    # sorts into the last shard
    return str(table.column("id")[claims - 1].as_py())


def measure(release: Path, *args: str) -> tuple[float, int]:
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, str(release), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), int(output[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "claimtrack.cli", "build", "--out", str(Path(folder) / "dist")],
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seed = next((Path(folder) / "dist").glob("claimtrack-*"))
        large = Path(folder) / "large"
        claim_id = enlarge(seed, large, args.claims)
        claim_time, claim_rss = measure(large, "claim", claim_id)
        table_time, table_rss = measure(large, "table")
    print(f"{args.claims} claims in {-(-args.claims // ROWS_PER_SHARD)} shards")
    print(f"claim(id) with its context: {claim_time:.2f} s, peak RSS {claim_rss / 1024:.0f} MB")
    print(f"whole claims table:         {table_time:.2f} s, peak RSS {table_rss / 1024:.0f} MB")
    print(
        f"ratios (claim / table): time {claim_time / table_time:.2f}, memory {claim_rss / table_rss:.2f}"
    )


if __name__ == "__main__":
    main()
