"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright.

The server runs the graph built from the vendored sources on a free loopback
port. The browser opens the home page and a resource page, then the query
page: it loads an example, runs it and reads the results table the page's
script draws. Every request the browser makes must stay on the server: the
pages load nothing remote. Without ``chromium`` the test is skipped, unless
``KG_TEST_REQUIRE_TOOLS`` is set (CI), where it fails.
"""

from __future__ import annotations

import re

import pytest

from endpoint.app import create_app
from endpoint.server import BackgroundServer
from endpoint.settings import ServeSettings
from tests.conftest import require_tool

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def site(settings, built):
    with BackgroundServer(create_app(ServeSettings(dist=settings.dist))) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tab(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.requests, opened.errors = requests, errors
    yield opened
    context.close()
    assert all(url.startswith(site + "/") for url in requests), [u for u in requests if not u.startswith(site)]
    assert not errors, errors


def test_home_page(tab, site):
    tab.goto(site + "/")
    assert "自治体間連携" in tab.title()
    partnerships = tab.locator('[data-figure="partnerships"]').inner_text()
    assert int(partnerships.replace(",", "")) > 1000
    assert int(tab.locator('[data-figure="projects"]').inner_text().replace(",", "")) > 800
    for href in ("/query", "/sparql", "/catalog", "/docs", "/conformance", "/prefecture/100005", "/country/CN"):
        assert tab.locator(f'a[href="{href}"]').count() >= 1, href
    tab.fill("#home-q", "みなかみ")
    tab.locator("form.search.big button").click()
    tab.wait_for_url(re.compile(r"/search\?q="))
    tab.locator('ol.hits a[href="/id/lg/104493"]').first.click()
    tab.wait_for_url(re.compile(r"/id/lg/104493$"))
    assert tab.locator("h1").inner_text() == "みなかみ町"


def test_resource_page(tab, site):
    tab.goto(site + "/id/lg/104493")
    assert tab.title().startswith("みなかみ町")
    assert tab.locator("h1").inner_text() == "みなかみ町"
    assert tab.locator('a[href="/prefecture/100005"]').count() == 1
    assert tab.locator("section.ties table.ties tbody tr").count() >= 10
    # The map is drawn: a visible SVG with the subject, its partners and lines to them.
    figure = tab.locator("figure.map svg")
    assert figure.is_visible() and figure.bounding_box()["width"] > 200
    assert tab.locator("figure.map .spot.subject circle").count() == 1
    assert tab.locator("figure.map line.tie").count() >= 5
    jsonld = tab.locator('script[type="application/ld+json"]').text_content()
    assert "data:lg/104493" in jsonld
    # Follow a tie to its partnership page: claims with their source lines.
    tab.locator("section.ties table.ties a", has_text="友好都市提携").first.click()
    tab.wait_for_url(re.compile(r"/id/partnership/"))
    assert tab.locator("article.claim").count() >= 1
    assert tab.locator("article.claim figure.raw pre").first.inner_text().strip()


def test_query_page_runs_an_example(tab, site):
    tab.goto(site + "/query")
    assert tab.locator("textarea#query-text").is_visible()
    tab.locator('a.example[data-example="ties-of-a-municipality"]').click()
    assert '"104493"' in tab.locator("textarea#query-text").input_value()
    assert "example=ties-of-a-municipality" in tab.url
    tab.locator("button#run").click()
    tab.wait_for_selector("#results tbody tr")
    headers = tab.locator("#results thead th").all_inner_texts()
    assert headers[:3] == ["partnership", "partner", "partnerName"]
    rows = tab.locator("#results tbody tr")
    assert rows.count() > 10
    assert "rows" in tab.locator("#status").inner_text()
    # IRIs under the base link to this server's pages.
    assert tab.locator('#results tbody a[href^="/id/partnership/"]').count() > 0
    assert tab.locator("#results tbody td", has_text="台南市").count() >= 1


def test_query_page_shows_errors_and_graphs(tab, site):
    tab.goto(site + "/query")
    tab.fill("textarea#query-text", "SELECT * WHERE { ?s ?p")
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector("#status.error")
    assert "400" in tab.locator("#status").inner_text()
    tab.fill("textarea#query-text", "CONSTRUCT WHERE { <http://localhost:8000/id/lg/104493> ?p ?o }")
    tab.locator("button#run").click()
    tab.wait_for_selector("#status.done")
    assert tab.locator("#results thead th").all_inner_texts() == ["subject", "predicate", "object"]
    assert tab.locator("#results tbody tr").count() > 10
