"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright.

The server runs the graph built from the vendored sources on a free loopback
port. The browser opens the home page and a resource page, then the query
page: it loads an example, runs it and reads the results table the page's
script draws. Every request the browser makes must stay on the server: the
pages load nothing remote. Without ``chromium`` the test is skipped, unless
``KG_TEST_REQUIRE_TOOLS`` is set (CI), where it fails.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

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
    # A Japanese reader: the browser asks for Japanese (the English view is asked for by ?lang=en).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    opened = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # The console's errors too: a failed load (a missing icon or style) is one, as is a script's.
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.requests, opened.errors, opened.expected_errors = requests, errors, []
    yield opened
    context.close()
    assert all(url.startswith(site + "/") for url in requests), [u for u in requests if not u.startswith(site)]
    assert not [e for e in errors if not any(e.startswith(x) for x in opened.expected_errors)], errors


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
    figure = tab.locator("figure.map > svg")
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


EXPECTED_ERROR = "Failed to load resource: the server responded with a status of 400"
"""The query page's answer to a malformed query, which the page shows (its own test checks it)."""


def test_query_page_shows_errors_and_graphs(tab, site):
    tab.expected_errors.append(EXPECTED_ERROR)
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


SHOTS = Path(os.environ.get("KG_SCREENSHOTS") or tempfile.mkdtemp(prefix="kg-screenshots-"))
"""Where the browser test leaves its screenshots (``KG_SCREENSHOTS`` to keep them somewhere)."""


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)


def _overlapping(boxes: list[dict]) -> list[tuple[int, int]]:
    return [
        (a, b) for a in range(len(boxes)) for b in range(a + 1, len(boxes))
        if boxes[a]["x"] < boxes[b]["x"] + boxes[b]["width"] and boxes[b]["x"] < boxes[a]["x"] + boxes[a]["width"]
        and boxes[a]["y"] < boxes[b]["y"] + boxes[b]["height"] and boxes[b]["y"] < boxes[a]["y"] + boxes[a]["height"]
    ]


def _drawn_in_a_cjk_font(tab, selector: str) -> bool:
    """Whether the Japanese of the first element of ``selector`` is drawn with a font that has it:
    kana and kanji are a full em wide there, where the boxes of missing glyphs (tofu) are not."""
    return tab.evaluate("""selector => {
        const element = document.querySelector(selector);
        const text = element.textContent.trim();
        const canvas = document.createElement("canvas").getContext("2d");
        canvas.font = "100px " + getComputedStyle(element).fontFamily;
        const perCharacter = canvas.measureText(text).width / text.length;
        return perCharacter > 95 && perCharacter < 105;
    }""", selector)


def test_english_view_with_chart_and_map(tab, site):
    tab.goto(site + "/?lang=en")
    assert tab.locator("html").get_attribute("lang") == "en"
    chart = tab.locator("figure.chart svg")
    assert chart.is_visible() and chart.bounding_box()["height"] > 100
    assert tab.locator("figure.chart svg > title").text_content() == "Ties per decade and kind"
    assert tab.locator("figure.chart g.bar").count() >= 6
    # Every bar stands inside the chart, under its top grid line, and the decades' labels do not collide.
    frame = chart.bounding_box()
    bars = [tab.locator("figure.chart g.bar").nth(i).bounding_box() for i in range(tab.locator("figure.chart g.bar").count())]
    assert all(_inside(bar, frame) for bar in bars)
    labels = tab.locator("figure.chart text.label")
    assert not _overlapping([labels.nth(i).bounding_box() for i in range(labels.count())])
    # The text alternative has the chart's figures: the totals add up to the bars'.
    tab.locator("figure.chart details summary").click()
    totals = [int(t) for t in tab.locator("figure.chart table.decades tbody td:last-child").all_inner_texts()]
    drawn = [int(t) for t in tab.locator("figure.chart text.total").all_text_contents()]
    assert sum(totals) == sum(drawn) > 1000
    tab.locator("section.decades").screenshot(path=str(SHOTS / "home-chart-en.png"))
    # Search in English finds the Japanese government; its page stays in English.
    tab.fill("#home-q", "Maebashi")
    tab.locator("form.search.big button").click()
    tab.wait_for_url(re.compile(r"/search\?.*q=Maebashi"))
    tab.locator('ol.hits a[href^="/id/lg/102016"]').first.click()
    tab.wait_for_url(re.compile(r"/id/lg/102016\?lang=en$"))
    assert tab.locator("h1").inner_text() == "Maebashi City"
    assert tab.locator("html").get_attribute("lang") == "en"
    figure = tab.locator("figure.map > svg")
    assert figure.is_visible() and tab.locator("figure.map line.tie").count() >= 3
    assert tab.locator("figure.map .spot.subject text").text_content() == "Maebashi City"
    # The pictures' captions and titles are in English alone.
    for caption in [*tab.locator("figure figcaption").all_inner_texts(), *tab.locator("figure svg > title").all_text_contents()]:
        assert not JAPANESE.search(caption), caption
    # The network's names, in English, each stand clear of the others.
    names = tab.locator("figure.network .node text")
    assert "Takasaki City" in names.all_text_contents()
    assert not _overlapping([names.nth(i).bounding_box() for i in range(names.count())])
    tab.locator("figure.network").screenshot(path=str(SHOTS / "maebashi-network-en.png"))
    world = tab.locator("figure.world")
    assert "Countries: Natural Earth (public domain)" in world.locator("figcaption").inner_text()
    world.screenshot(path=str(SHOTS / "maebashi-world-en.png"))
    tab.screenshot(path=str(SHOTS / "maebashi-en.png"), full_page=False)
    # The switch leads back to the Japanese page.
    tab.locator('.language-switch a[hreflang="ja"]').click()
    tab.wait_for_url(re.compile(r"lang=ja"))
    assert tab.locator("h1").inner_text() == "前橋市" and tab.locator("html").get_attribute("lang") == "ja"


def test_prefecture_map_and_long_list_pages(tab, site):
    tab.goto(site + "/prefecture/130001")
    assert tab.locator("figure.map > svg").is_visible()
    assert tab.locator("section.ties table.ties tbody tr").count() == 100
    tab.locator('nav.pager a[rel="next"]').first.click()
    tab.wait_for_url(re.compile(r"page=2"))
    assert tab.locator('nav.pager strong[aria-current="page"]').first.inner_text() == "2"
    tab.screenshot(path=str(SHOTS / "tokyo-page-2.png"), full_page=False)


def test_tokyos_map_frames_the_mainland_with_the_islands_in_insets(tab, site):
    tab.goto(site + "/prefecture/130001")
    figure = tab.locator("figure.map > svg")
    frame = figure.bounding_box()
    # The main frame's box (a nested SVG's own box is that of what it draws, clipped or not).
    width, height = (float(v) for v in figure.get_attribute("viewBox").split()[2:])
    units = frame["width"] / width
    main = {**frame, "height": float(tab.locator("figure.map > svg > svg.frame").get_attribute("height")) * units}
    assert frame["height"] == pytest.approx(height * units, abs=2) and main["height"] < 0.7 * frame["height"]
    insets = tab.locator("figure.map g.inset")
    # The Izu islands and Ogasawara each in a box under the main frame, labelled, with a scale.
    assert insets.count() == 2
    boxes = [insets.nth(i).locator("rect.inset-frame").bounding_box() for i in range(2)]
    assert all(_inside(box, frame) and box["y"] >= main["y"] + main["height"] - 1 for box in boxes)
    assert not _overlapping(boxes)
    assert [tab.locator("figure.map text.inset-label").nth(i).text_content() for i in range(2)] == ["南へ約 230 km", "南へ約 990 km"]
    assert all(insets.nth(i).locator(".scale text").text_content().endswith(" km") for i in range(2))
    labels = tab.locator("figure.map text.inset-label")
    assert all(_inside(labels.nth(i).bounding_box(), boxes[i]) for i in range(2))
    assert all(insets.nth(i).locator("path.outline").count() == 1 for i in range(2))
    # The mainland fills the main frame: its faint dots span most of its width.
    dots = tab.locator("figure.map > svg > svg.frame path.area").bounding_box()
    assert dots["width"] > 0.6 * main["width"] and dots["height"] > 0.3 * main["height"]
    # Every highlighted government lies in the main frame or in one inset; the islands' in an inset.
    spots = tab.locator("figure.map .spot")
    assert spots.count() >= 20
    for i in range(spots.count()):
        circle = spots.nth(i).locator("circle").bounding_box()
        assert sum(_inside(circle, box, 4.5) for box in [main, *boxes]) >= 1, spots.nth(i).get_attribute("href")
    ogasawara = tab.locator('figure.map .spot[href="/id/lg/134210"] circle')
    if ogasawara.count():
        assert _inside(ogasawara.bounding_box(), boxes[1], 4.5)
    assert "Natural Earth" in tab.locator("figure.map figcaption").inner_text()
    tab.locator("figure.map").screenshot(path=str(SHOTS / "tokyo-map.png"))


def test_the_japan_map(tab, site):
    tab.goto(site + "/id/lg/104493")
    figure = tab.locator("figure.map > svg")
    frame = figure.bounding_box()
    outlines = tab.locator("figure.map path.outline")
    assert outlines.count() == 1 and len(outlines.get_attribute("d")) > 1000
    # The subject, every partner and every tie lie on the map, not beyond its edge.
    spots = tab.locator("figure.map .spot circle")
    assert spots.count() >= 10
    assert all(_inside(spots.nth(i).bounding_box(), frame) for i in range(spots.count()))
    ties = tab.locator("figure.map line.tie")
    assert all(_inside(ties.nth(i).bounding_box(), frame) for i in range(ties.count()))
    # The subject's name is written in a Japanese font, not as boxes.
    assert tab.locator("figure.map .spot.subject text").text_content() == "みなかみ町"
    assert _drawn_in_a_cjk_font(tab, "figure.map .spot.subject text")
    assert "japanmap (Apache-2.0)" in tab.locator("figure.map figcaption").inner_text()
    tab.locator("figure.map").screenshot(path=str(SHOTS / "minakami-map.png"))


def test_the_world_map(tab, site):
    tab.goto(site + "/id/lg/104493")
    world = tab.locator("figure.world svg")
    assert world.is_visible()
    frame = world.bounding_box()
    # Land is drawn (Japan apart), framed to East Asia for a partner in Taiwan.
    assert len(tab.locator("figure.world path.land.home").get_attribute("d")) > 200
    assert len(tab.locator("figure.world path.land:not(.home)").get_attribute("d")) > 1000
    assert frame["width"] >= 600
    # The partner in Tainan lies on the map, joined by a line that stays on it.
    spot = tab.locator("figure.world .spot", has_text="台南市")
    assert spot.count() == 1 and _inside(spot.locator("circle").bounding_box(), frame)
    assert tab.locator("figure.world line.tie").count() >= 1
    assert all(_inside(line.bounding_box(), frame) for line in tab.locator("figure.world line.tie").all())
    # Accessible: a title and a description, and the same places as a table with links.
    labelled_by = world.get_attribute("aria-labelledby").split()
    assert [tab.locator(f"#{i}").count() for i in labelled_by] == [1, 1]
    tab.locator("figure.world details summary").click()
    rows = tab.locator("figure.world table.places tbody tr")
    assert rows.count() == tab.locator("figure.world .spot").count() >= 1
    assert rows.first.locator("a").get_attribute("href").startswith("/id/")
    tab.locator("figure.world").screenshot(path=str(SHOTS / "minakami-world.png"))


def test_a_governments_partners_as_network(tab, site):
    tab.goto(site + "/id/lg/104493")
    network = tab.locator("figure.network svg")
    assert network.is_visible() and tab.locator("figure.network .node").count() >= 5
    names = tab.locator("figure.network .node text")
    assert not _overlapping([names.nth(i).bounding_box() for i in range(names.count())])
    frame = network.bounding_box()
    assert all(_inside(names.nth(i).bounding_box(), frame) for i in range(names.count()))
    tab.locator("div.pictures").screenshot(path=str(SHOTS / "minakami-network-world.png"))


def test_a_world_map_of_many_countries_in_english(tab, site):
    # Maebashi's partners are in Europe and America: the frame is the world, seamed in the Atlantic.
    tab.goto(site + "/id/lg/102016?lang=en")
    world = tab.locator("figure.world svg")
    frame = world.bounding_box()
    dots = tab.locator("figure.world .spot circle")
    assert dots.count() >= 3 and all(_inside(dots.nth(i).bounding_box(), frame) for i in range(dots.count()))
    xs = [dots.nth(i).bounding_box()["x"] for i in range(dots.count())]
    assert min(xs) < frame["x"] + frame["width"] * 0.3 and max(xs) > frame["x"] + frame["width"] * 0.7
    assert tab.locator("figure.world svg > title").text_content() == "Partners abroad"
