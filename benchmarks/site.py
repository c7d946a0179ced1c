"""Measure the claims explorer of a release: generation time, page weights, load-and-paint time.

Generation runs in-process (the tables read, every page rendered) several times; weights are
the files' sizes; the largest document page is opened in Debian's chromium through
Playwright from a local http.server, fresh context each run, and its navigation timing
(loadEventEnd) and first contentful paint are read. Targets: no file over 2 MB, the largest
document page loaded and painted in under 1 s.

    python benchmarks/site.py [RELEASE] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.site_browser import CHROMIUM_ARGS, require_chromium, serve_folder  # noqa: E402

from claimtrack.release.store import RowStore  # noqa: E402
from claimtrack.site.generate import write_site  # noqa: E402
from claimtrack.site.release_data import load_release  # noqa: E402

TWO_MB = 2 * 1024 * 1024
TIMING = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {load: nav.loadEventEnd, paint: paint ? paint.startTime : null, bytes: nav.transferSize};
}"""


def generation(release: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            with RowStore(Path(folder) / "rows.sqlite") as store:
                write_site(load_release(release, store), Path(folder) / "site")
            times.append(time.perf_counter() - started)
    return times


def load_times(site: Path, page: str, runs: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    results = []
    with serve_folder(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(require_chromium()), args=CHROMIUM_ARGS
        )
        for _ in range(runs):
            context = browser.new_context()  # a cold cache each run
            tab = context.new_page()
            tab.goto(base + page, wait_until="load")
            tab.wait_for_timeout(200)
            results.append(tab.evaluate(TIMING))
            context.close()
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("release", type=Path, nargs="?", default=REPO / "dist" / "claimtrack-0.1.0")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = args.release / "site"
    times = generation(args.release, args.runs)
    print(
        f"generation: median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)"
    )
    files = [path for path in site.rglob("*") if path.is_file()]
    sizes = {str(path.relative_to(site)): path.stat().st_size for path in files}
    largest = max(sizes, key=lambda name: sizes[name])
    total = sum(sizes.values())
    print(
        f"site: {len(files)} files, {total / 1e6:.2f} MB in all; largest file {largest} {sizes[largest] / 1e3:.0f} KB ({sizes[largest] / TWO_MB:.2f} of 2 MB)"
    )
    documents = {name: size for name, size in sizes.items() if name.startswith("documents/")}
    page = max(documents, key=lambda name: documents[name])
    timings = load_times(site, page, args.runs)
    load = statistics.median(result["load"] for result in timings)
    paint = statistics.median(result["paint"] for result in timings)
    print(
        f"largest document page {page} ({documents[page] / 1e3:.0f} KB): load {load:.0f} ms, first contentful paint {paint:.0f} ms (medians of {args.runs}; target under 1000 ms, ratio {max(load, paint) / 1000:.2f})"
    )


if __name__ == "__main__":
    main()
