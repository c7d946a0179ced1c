"""Shared by the benchmarks: run a command as a fresh process and measure it whole.

The command is forked from a small runner process, not from the benchmark: a child
inherits the peak RSS of the process it was forked from, and a benchmark may hold a large
corpus or release. The runner reports the command's exit code, its peak RSS (os.wait4, the
largest of the command and its children) and its wall time.

Before each command the disks are synced (outside its time), so that no command's time
includes writing back what the one before wrote or deleted (a build writes 1.5 GB at 100,000
claims). Deleting is itself measurable here: this machine's ext4 has no journal, and its
inode allocator then skips every inode freed in the last 60 s (360 s while the freed inode's
table block is unwritten). A build of 100,000 claims right after the deletion of a release
took 68.2 s (system time 37.9 s) against 56.5 s (12.9 s) with no deletion in the 6.5
minutes before; that is why the build from JSON input, measured right after a build and
the deletion of its release, once took 75.5 s against 54.7 s from YAML. The scale benchmark
deletes nothing until a size is done.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

RUNNER = """
import os, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    started = time.perf_counter()
    child = subprocess.Popen(sys.argv[2:], stdout=out, stderr=out)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, elapsed)
"""


def measure(command: list[str]) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak RSS in MB, the last 4,000 characters it printed)."""
    os.sync()
    with tempfile.NamedTemporaryFile() as out:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, out.name, *command],
            capture_output=True,
            text=True,
            check=True,
        )
        code, peak_kb, elapsed = done.stdout.split()
        printed = Path(out.name).read_text(encoding="utf-8", errors="replace")[-4000:]
    return int(code), float(elapsed), int(peak_kb) / 1024, printed


def compile_package() -> None:
    """Compile claimtrack's bytecode, as pip does when it installs a package. An editable
    install writes it at the first import, unless PYTHONDONTWRITEBYTECODE is set (as on
    the development machine): then every run would compile the package again."""
    import compileall

    import claimtrack

    compileall.compile_dir(Path(claimtrack.__file__).parent, quiet=1)
