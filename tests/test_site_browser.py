"""The claims explorer in a real browser: Debian's chromium driven by Playwright."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from claimtrack.release.build import BuildResult
from tests.site_browser import CHROMIUM_ARGS, require_chromium, serve_folder

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _rows(release: Path, table: str) -> list[dict[str, Any]]:
    return [
        orjson.loads(line)
        for line in (release / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
    ]


@pytest.fixture(scope="module")
def release(seed_release: BuildResult) -> Path:
    assert seed_release.release_dir is not None
    return seed_release.release_dir


@pytest.fixture(scope="module")
def base_url(release: Path) -> Iterator[str]:
    with serve_folder(release / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Page:
    """A browser page that records console errors and uncaught exceptions."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.page.on(
            "console", lambda message: message.type == "error" and self.errors.append(message.text)
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    opened = Page(browser)
    yield opened
    opened.page.close()
    assert opened.errors == [], f"console errors: {opened.errors}"


FRAGMENT_TEXTS = """() => {
  const texts = {};
  for (const mark of document.querySelectorAll('mark.claim')) {
    const slug = mark.dataset.claim;
    texts[slug] = (texts[slug] || '') + mark.textContent;
  }
  return texts;
}"""


def test_every_claim_has_a_highlight_equal_to_its_quote(
    release: Path, base_url: str, page: Page
) -> None:
    claims = _rows(release, "claims")
    for document in _rows(release, "documents"):
        page.page.goto(f"{base_url}documents/{document['id']}.html")
        texts = page.page.evaluate(FRAGMENT_TEXTS)
        expected = {
            claim["id"].split("/", 1)[1]: claim["span"]["exact"]
            for claim in claims
            if claim["document_id"] == document["id"]
        }
        assert texts == expected, document["id"]
        markers = page.page.eval_on_selector_all("a.cm", "nodes => nodes.map(n => n.dataset.claim)")
        assert sorted(markers) == sorted(expected), document["id"]


def _names(release: Path) -> dict[str, str]:
    return {agent["id"]: agent["name"] for agent in _rows(release, "agents")}


def _rich_claim(release: Path) -> dict[str, Any]:
    """A claim with a via chain, citations and a historiography link, to check the panel."""
    linked = {link["claim_id"] for link in _rows(release, "historiography")}
    return next(
        claim
        for claim in _rows(release, "claims")
        if claim["attribution"]["via"] and claim["citations"] and claim["id"] in linked
    )


def _check_panel(panel: Any, claim: dict[str, Any], release: Path) -> None:
    names = _names(release)
    assert panel.get_attribute("data-claim-id") == claim["id"]
    assert panel.locator(".statement").inner_text() == claim["statement"]
    assert (
        panel.locator(".claimant")
        .inner_text()
        .startswith(names[claim["attribution"]["claimant_id"]])
    )
    via = panel.locator(".via li").all_inner_texts()
    assert [text.split(" (")[0] for text in via] == [
        names[hop["agent_id"]] for hop in claim["attribution"]["via"]
    ]
    assert panel.locator(".citation").count() == len(claim["citations"])
    links = [link for link in _rows(release, "historiography") if link["claim_id"] == claim["id"]]
    summaries = panel.locator(".links li").all_inner_texts()
    assert len(summaries) == len(links)
    for link in links:
        assert any(link["summary"] in text for text in summaries)


def test_clicking_a_highlight_opens_its_panel(release: Path, base_url: str, page: Page) -> None:
    claim = _rich_claim(release)
    slug = claim["id"].split("/", 1)[1]
    page.page.goto(f"{base_url}documents/{claim['document_id']}.html")
    page.page.click(f'a.cm[data-claim="{slug}"]')
    _check_panel(page.page.locator("#panel .panel"), claim, release)
    assert page.page.evaluate("location.hash") == f"#claim-{slug}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "document-page.png"))
    # clicking the words of a highlight (a fragment with no claim nested in it) opens it too
    innermost = page.page.locator("mark.claim:not(:has(mark))").first
    innermost_slug = innermost.get_attribute("data-claim")
    innermost.click()
    assert (
        page.page.locator("#panel .panel").get_attribute("data-claim-id")
        == f"{claim['document_id']}/{innermost_slug}"
    )


def test_a_permalink_opens_the_same_claim(release: Path, base_url: str, page: Page) -> None:
    claim = _rich_claim(release)
    page.page.goto(f"{base_url}claims/{claim['id']}.html")
    _check_panel(page.page.locator(".single .panel"), claim, release)
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "claim-panel.png"), full_page=True)
    page.page.click(".crumbs a")  # back to the document, where the same claim opens
    _check_panel(page.page.locator("#panel .panel"), claim, release)


def _expected(claims: list[dict[str, Any]], contested: set[str], field: str, value: str) -> int:
    values = {
        "f-claimant": lambda claim: claim["attribution"]["claimant_id"] == value,
        "f-document": lambda claim: claim["document_id"] == value,
        "f-topic": lambda claim: value in claim["topics"],
        "f-type": lambda claim: claim["claim_type"] == value,
        "f-stance": lambda claim: claim["attribution"]["document_stance"] == value,
        "f-research": lambda claim: (claim.get("research") or {}).get("status", "pending") == value,
        "f-contested": lambda claim: claim["id"] in contested,
    }
    return sum(1 for claim in claims if values[field](claim))


def test_each_filter_narrows_the_list_as_the_data_says(
    release: Path, base_url: str, page: Page
) -> None:
    claims = _rows(release, "claims")
    contested = {
        link["claim_id"]
        for link in _rows(release, "historiography")
        if link["relation"] in {"contradicts", "qualifies"}
    }
    page.page.goto(f"{base_url}claims.html")
    assert page.page.inner_text("#count") == f"{len(claims)} of {len(claims)} claims"
    picks = {
        "f-claimant": claims[0]["attribution"]["claimant_id"],
        "f-document": claims[-1]["document_id"],
        "f-topic": claims[0]["topics"][0],
        "f-type": "quantitative",
        "f-stance": "disputes",
        "f-research": "pending",
    }
    for field, value in picks.items():
        page.page.select_option(f"#{field}", value)
        expected = _expected(claims, contested, field, value)
        assert page.page.inner_text("#count") == f"{expected} of {len(claims)} claims", field
        page.page.select_option(f"#{field}", "")
    page.page.check("#f-contested")
    expected = _expected(claims, contested, "f-contested", "")
    assert 0 < expected < len(claims)
    assert page.page.inner_text("#count") == f"{expected} of {len(claims)} claims"
    shown = page.page.eval_on_selector_all(
        "#results li", "nodes => nodes.map(n => n.dataset.claimId)"
    )
    assert set(shown) <= contested and len(shown) == min(expected, 100)


def test_search_finds_a_claim_by_a_word_of_its_quote(
    release: Path, base_url: str, page: Page
) -> None:
    claims = _rows(release, "claims")
    words: dict[str, set[str]] = {}
    for claim in claims:
        for word in re.findall(r"[A-Za-z]{6,}", claim["span"]["exact"] + " " + claim["statement"]):
            words.setdefault(word.lower(), set()).add(claim["id"])
    # a word found in one claim's quote only, so the result is that claim
    word, ids = min(
        ((word, ids) for word, ids in words.items() if len(ids) == 1), key=lambda item: item[0]
    )
    page.page.goto(f"{base_url}claims.html")
    page.page.fill("#q", word)
    shown = page.page.eval_on_selector_all(
        "#results li", "nodes => nodes.map(n => n.dataset.claimId)"
    )
    assert next(iter(ids)) in shown
    # every claim the search shows has a word of its statement or quote that begins with it
    text = {claim["id"]: claim["span"]["exact"] + " " + claim["statement"] for claim in claims}
    assert all(
        re.search(rf"(?<![A-Za-z]){word}", text[claim_id], re.IGNORECASE) for claim_id in shown
    )
    assert len(shown) < len(claims)


def test_keyboard_reaches_highlights_and_opens_them(
    release: Path, base_url: str, page: Page
) -> None:
    document = _rows(release, "documents")[0]
    page.page.goto(f"{base_url}documents/{document['id']}.html")
    for _ in range(40):
        page.page.keyboard.press("Tab")
        if page.page.evaluate("document.activeElement.matches('a.cm')"):
            break
    else:
        pytest.fail("40 Tab presses did not reach a claim marker")
    slug = page.page.evaluate("document.activeElement.dataset.claim")
    page.page.keyboard.press("Enter")
    assert (
        page.page.locator("#panel .panel").get_attribute("data-claim-id")
        == f"{document['id']}/{slug}"
    )
    assert page.page.evaluate("document.activeElement.classList.contains('statement')")


def test_pages_work_opened_from_disk(release: Path, page: Page) -> None:
    claim = _rich_claim(release)
    slug = claim["id"].split("/", 1)[1]
    site = release / "site"
    page.page.goto((site / "documents" / f"{claim['document_id']}.html").as_uri())
    page.page.click(f'a.cm[data-claim="{slug}"]')
    _check_panel(page.page.locator("#panel .panel"), claim, release)
    page.page.goto((site / "claims.html").as_uri())
    page.page.fill("#q", claim["span"]["exact"].split()[0])
    assert page.page.locator("#results li").count() > 0


def test_axe_finds_no_serious_violation(release: Path, base_url: str, page: Page) -> None:
    import axe_playwright_python

    axe = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    claim = _rich_claim(release)
    agent = claim["attribution"]["claimant_id"]
    source = claim["citations"][0]["source_id"]
    for path in (
        "index.html",
        f"documents/{claim['document_id']}.html#claim-{claim['id'].split('/', 1)[1]}",
        f"claims/{claim['id']}.html",
        "claims.html",
        f"agents/{agent}.html",
        f"sources/{source}.html",
        "works.html",
    ):
        page.page.goto(base_url + path)
        page.page.evaluate(axe)
        result = page.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [
            (
                violation["id"],
                violation["impact"],
                [node["target"] for node in violation["nodes"]][:3],
            )
            for violation in result["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert serious == [], path
