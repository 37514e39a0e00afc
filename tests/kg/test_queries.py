"""The example queries of ``queries/``, each checked against what the sources say.

Expected answers are read from the source files by simple means (a column, a
row), independent of the pipeline that built the graph.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from mapping.text import match_key

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def store(request, settings, built):
    """The built dump in pyoxigraph, and in Virtuoso as ``kg publish`` loads it (its SPARQL dialect differs)."""
    if request.param == "virtuoso":
        from endpoint.store.backends import RemoteStore
        from tests.conftest import VIRTUOSO_GRAPH

        virtuoso = request.getfixturevalue("virtuoso_built")
        return RemoteStore(virtuoso.sparql, timeout=60, graph=VIRTUOSO_GRAPH)
    store = ox.Store()
    store.bulk_load(path=str(settings.dist / "kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def run(store, name: str) -> list[dict[str, str | None]]:
    query = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in solutions]


def test_every_query_has_a_title_and_a_description():
    for path in sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        assert re.search(r"^# title: \S", text, re.M) and re.search(r"^# description: \S", text, re.M), path.name


def test_ties_of_a_municipality(store):
    rows = run(store, "ties-of-a-municipality")
    partners = {row["partnerName"] for row in rows}
    # みなかみ町's own row of domestic ties in the Gunma list (line 32).
    assert {"取手市", "さいたま市", "川口市", "中野区", "三宅村", "伊奈町"} <= partners
    tainan = [row for row in rows if row["partnerName"] == "台南市"]
    assert len(tainan) == 1 and (tainan[0]["kind"], tainan[0]["date"]) == ("friendship-city", "2013-12-13")
    assert set(tainan[0]["sources"].split(";")) == {"gunma-2021", "taiwan-japan"}
    # さいたま市 appears twice in the same cell (a friendship tie and a facility): two partnerships.
    assert len({row["partnership"] for row in rows if row["partnerName"] == "さいたま市"}) == 2


def test_japanese_partners_in_a_chinese_province(store):
    rows = run(store, "japanese-partners-in-a-chinese-province")
    found = {(match_key(row["japaneseName"]), match_key(row["chineseName"])) for row in rows}
    expected = set()
    with (SOURCES / "japan-china-2024.txt").open(encoding="utf-8") as handle:
        for cells in csv.reader(handle, delimiter="\t"):
            if len(cells) == 6 and cells[3] == "河北省":
                expected.add((match_key(cells[2]), match_key(cells[4])))
            elif len(cells) == 6 and cells[4] == "河北省":  # a prefecture tied with the province itself
                expected.add((match_key(cells[2]), match_key("河北省")))
    assert len(expected) == 19
    # The 2016 agreement list adds 北九州市 with 唐山市 among other Chinese cities (環境, 2014).
    agreements = (SOURCES / "agreements-2016.txt").read_text(encoding="utf-8")
    assert re.search(r"^北九州市\t[^\t]*\t中国/[^\t]*唐山市", agreements, re.M)
    expected.add((match_key("北九州市"), match_key("唐山市")))
    assert found == expected
    assert {row["code"] for row in rows if row["japaneseName"] == "高崎市"} == {"102024"}


def test_ties_per_decade_and_kind(store, settings):
    rows = run(store, "ties-per-decade-and-kind")
    with (settings.dist / "csv" / "partnerships.csv").open(encoding="utf-8") as handle:
        dated = [row for row in csv.DictReader(handle) if row["date"]]
    expected = Counter((int(row["date"][:4]) // 10 * 10, row["kind"]) for row in dated)
    assert {(int(float(row["decade"])), row["kind"]): int(row["ties"]) for row in rows} == dict(expected)
    assert min(int(float(row["decade"])) for row in rows) == 1960  # 草津町 and ピーティヒハイム, S37


def test_ties_reported_by_several_sources(store, settings):
    rows = run(store, "ties-reported-by-several-sources")
    with (settings.dist / "csv" / "partnerships.csv").open(encoding="utf-8") as handle:
        several = {row["id"] for row in csv.DictReader(handle)
                   if len({ref.rsplit(":", 1)[0] for ref in row["sources"].split(";")}) > 1}
    assert {row["partnership"] for row in rows} == several
    labels = {row["label"]: row for row in rows}
    assert labels["みなかみ町・台南市 友好都市"]["disagreements"] in (None, "")
    assert any(row["disagreements"] for row in rows), "some multi-source ties disagree on a field"


def test_wards_cooperating_with_a_prefecture(store):
    rows = run(store, "wards-cooperating-with-a-prefecture")
    pairs = {(row["wardName"], row["municipalityName"]): row for row in rows}
    # From the wards' list: 千代田 with 嬬恋村 (written 嬭恋村 there), 世田谷 with 川場村, 中野 with みなかみ町.
    tokyo = (SOURCES / "tokyo-wards-2026.txt").read_text(encoding="utf-8")
    assert len(re.findall(r"^千代田\t.*群馬県(嬭|嬬)恋村", tokyo, re.M)) >= 10
    assert int(pairs[("千代田区", "嬬恋村")]["projects"]) >= 10
    assert int(pairs[("千代田区", "嬬恋村")]["partnerships"]) >= 1
    assert int(pairs[("世田谷区", "川場村")]["projects"]) >= 1
    assert ("中野区", "みなかみ町") in pairs
    assert all(name.endswith("区") for name, _ in pairs)


def test_disaster_aid_network(store):
    rows = run(store, "disaster-aid-network")
    direct = {row["name"] for row in rows if row["distance"] == "1"}
    # Named in 前橋市's own row of disaster agreements in the Gunma list (line 40).
    line = (SOURCES / "gunma-2021.txt").read_text(encoding="utf-8").splitlines()[39]
    assert line.split("\t")[1] == "前橋市"
    for name in ("水戸市", "宇都宮市", "吉岡町", "熊谷市", "湯沢町", "練馬区", "柏崎市", "北区", "新潟市"):
        assert name in line and name in direct, name
    assert "前橋市" not in {row["name"] for row in rows}
    assert {row["distance"] for row in rows} == {"1", "2"}
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names))
