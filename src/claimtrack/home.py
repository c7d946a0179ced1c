"""Where a release lives: persistent record ids and the URLs derived from them and data/release.yaml."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from claimtrack.models import ReleaseInfo

#: The tables whose records have a page in the release's static site (``<site>/<table>/<id>.html``).
SITE_TABLES = (
    "documents",
    "claims",
    "agents",
    "sources",
    "topics",
    "propositions",
    "historiography",
)
#: The Hub's dataset viewer API: its /filter endpoint returns the rows matching a SQL-like
#: ``where`` clause (string values in single quotes, a quote doubled), as JSON.
HUB_FILTER_API = "https://datasets-server.huggingface.co/filter"
HUB_DATASETS = "https://huggingface.co/datasets"

UNKNOWN_HOME = (
    "This release has no public home yet: data/release.yaml names no Hub repository, "
    "homepage, site or DOI, so no URL is given."
)


def persistent_id(table: str, record_id: str) -> str:
    """``claimtrack:<table>/<id>``: the id a citation carries, stable across releases."""
    return f"claimtrack:{table}/{record_id}"


def hub_url(info: ReleaseInfo) -> str | None:
    """The dataset's page on the Hugging Face Hub, when it has a repository there."""
    return f"{HUB_DATASETS}/{info.hub_repository}" if info.hub_repository else None


def doi_url(info: ReleaseInfo) -> str | None:
    return f"https://doi.org/{info.doi}" if info.doi else None


def dataset_url(info: ReleaseInfo) -> str | None:
    """The release's own URL: its homepage, else its site, else its Hub page, else none."""
    site = info.site_url.rstrip("/") + "/" if info.site_url else None
    return info.homepage or site or hub_url(info)


def record_url(info: ReleaseInfo, table: str, record_id: str) -> str | None:
    """The URL of one record: its page in the hosted site, else its row on the Hub, else none.

    A claim id holds one slash (``<document-id>/<slug>``), so its page is
    ``<site>/claims/<document-id>/<slug>.html``. Tables the site has no page for, and every
    table when only the Hub is known, resolve to the Hub dataset viewer's /filter API for
    that table's config, which returns exactly the row with that id.
    """
    if info.site_url and table in SITE_TABLES:
        return f"{info.site_url.rstrip('/')}/{table}/{quote(record_id)}.html"
    if info.hub_repository:
        where = '"id"=\'' + record_id.replace("'", "''") + "'"
        query = urlencode(
            {"dataset": info.hub_repository, "config": table, "split": "train", "where": where}
        )
        return f"{HUB_FILTER_API}?{query}"
    return None


def home_statement(info: ReleaseInfo) -> str:
    """One sentence for readers: where the release lives, or plainly that it has no home yet."""
    places = [
        (label, value)
        for label, value in (
            ("Homepage", info.homepage),
            ("Site", info.site_url),
            ("Hugging Face Hub", hub_url(info)),
            ("DOI", doi_url(info)),
        )
        if value
    ]
    if not places:
        return UNKNOWN_HOME
    return "; ".join(f"{label}: {value}" for label, value in places) + "."
