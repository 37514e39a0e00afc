"""Nothing a page loads comes from elsewhere: no remote script, style, image, font or frame.

Two checks: the files themselves (every template and static file, read for
the places an asset can be named: ``src``, ``href`` of ``<link>``, CSS
``url()`` and ``@import``, script imports and fetches), and the pages as
served, for every kind of page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pages_data import TAINAN, pages_store, write_dist

from endpoint.app import create_app
from endpoint.pages.render import STATIC, TEMPLATES
from endpoint.settings import ServeSettings

REMOTE = r"""(?:https?:)?//"""
"""A URL that leaves the server: with a scheme, or protocol-relative."""
ASSET_PATTERNS = {
    "src attribute": re.compile(rf"""\b(?:src|srcset|poster|data)\s*=\s*["']?\s*{REMOTE}""", re.I),
    "link href": re.compile(rf"""<link\b[^>]*\bhref\s*=\s*["']?\s*{REMOTE}""", re.I),
    "css url()": re.compile(rf"""url\(\s*["']?\s*{REMOTE}""", re.I),
    "css @import": re.compile(rf"""@import\s+(?:url\()?\s*["']?\s*{REMOTE}""", re.I),
    "script import": re.compile(rf"""\bimport\b[^;\n]*?["']{REMOTE}|\bimport\(\s*["']{REMOTE}""", re.I),
    "script fetch": re.compile(rf"""\b(?:fetch|importScripts|XMLHttpRequest|EventSource|WebSocket)\s*\(\s*["'`]{REMOTE}""", re.I),
    "font face": re.compile(rf"""@font-face[^}}]*{REMOTE}""", re.I | re.S),
}


def asset_files() -> list[Path]:
    return sorted(p for folder in (TEMPLATES, STATIC) for p in folder.rglob("*") if p.is_file())


def test_there_are_files_to_check():
    names = {p.name for p in asset_files()}
    assert {"base.html", "resource.html", "query.html", "style.css", "query.js"} <= names


@pytest.mark.parametrize("path", asset_files(), ids=lambda p: p.name)
def test_no_file_names_a_remote_asset(path):
    text = path.read_text(encoding="utf-8")
    found = [(name, match.group(0)) for name, pattern in ASSET_PATTERNS.items() for match in pattern.finditer(text)]
    assert not found, found


def test_the_checks_catch_remote_assets():
    samples = [
        '<script src="https://cdn.example.org/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.example.org/css">',
        "body { background: url('http://example.org/a.png') }",
        '@import "https://example.org/a.css";',
        'import x from "https://esm.example.org/x.js";',
        'fetch("https://api.example.org/")',
        '<img srcset="https://example.org/a.png 2x">',
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern in ASSET_PATTERNS.values()), sample
    assert not any(pattern.search('<a href="https://example.org/">a link is not an asset</a>') for pattern in ASSET_PATTERNS.values())


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(ServeSettings(dist=write_dist(tmp_path_factory.mktemp("assets-dist"))), backend=pages_store())
    with TestClient(app) as test_client:
        yield test_client


PAGES = [
    "/", "/search?q=%E3%81%BF%E3%81%AA%E3%81%8B%E3%81%BF", "/query", "/prefecture/100005", "/country/TW",
    "/id/partnership/tainan", "/id/claim/gunma32", "/id/project/forest", "/id/lg/104493", "/id/lg/100005",
    TAINAN[len("http://localhost:8000"):], "/id/country/TW", "/id/region/TW-TNN", "/def/kind/", "/def/kind/sister-city",
    "/id/source/gunma-2021", "/def/lgp", "/sparql", "/download/", "/id/lg/000000",
]
ASSET = re.compile(r"""<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*"([^"]*)\"""", re.I)


@pytest.mark.parametrize("path", PAGES)
def test_served_pages_load_only_local_assets(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assets = [url for _, url in ASSET.findall(html)]
    assert assets, path  # at least the stylesheet
    assert all(url.startswith("/") and not url.startswith("//") for url in assets), assets
    assert not re.search(rf"url\(\s*['\"]?{REMOTE}", html, re.I)
    for url in {u for u in assets if u.startswith("/static/")}:
        assert client.get(url).status_code == 200, url
