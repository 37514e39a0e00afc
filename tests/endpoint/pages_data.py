"""A small graph for the pages: the project's ontology and kinds, and a handful of hand-written ties.

Two prefectures, three Japanese governments with points, two foreign authorities,
four partnerships (one with two claims from two sources, one with a conflicting
date), a ward's project resting on a partnership, and an unresolved party.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

from endpoint.store.backends import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://localhost:8000/"
TAINAN = BASE + "id/place/TW/TW-TNN"
CHENGDE = BASE + "id/place/CN/CN-HE/%E6%89%BF%E5%BE%B3%E5%B8%82"
UNRESOLVED = BASE + "id/unresolved/foreign/%E9%87%9C%E5%B1%B1"

INSTANCES = f"""
@prefix lgp: <{BASE}def/lgp#> .
@prefix kind: <{BASE}def/kind/> .
@prefix precision: <{BASE}def/precision/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix sf: <http://www.opengis.net/ont/sf#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{BASE}id/country/JP> a lgp:Country ; rdfs:label "日本"@ja, "Japan"@en ; skos:notation "JP" .
<{BASE}id/country/TW> a lgp:Country ; rdfs:label "台湾"@ja, "Taiwan"@en ; skos:notation "TW" .
<{BASE}id/country/CN> a lgp:Country ; rdfs:label "中国"@ja, "China"@en ; skos:notation "CN" .
<{BASE}id/region/TW-TNN> a lgp:Region ; rdfs:label "台南市"@ja, "Tainan"@en ; skos:notation "TW-TNN" ;
    lgp:country <{BASE}id/country/TW> .
<{BASE}id/region/CN-HE> a lgp:Region ; rdfs:label "河北省"@ja, "Hebei"@en ; skos:notation "CN-HE" ;
    lgp:country <{BASE}id/country/CN> .

<{BASE}id/lg/100005> a lgp:Prefecture ; rdfs:label "群馬県"@ja ; skos:prefLabel "群馬県"@ja ;
    dcterms:identifier "100005" ; lgp:kana "ぐんまけん"@ja-Hira ; lgp:country <{BASE}id/country/JP> .
<{BASE}id/lg/130001> a lgp:Prefecture ; rdfs:label "東京都"@ja ; dcterms:identifier "130001" ;
    lgp:country <{BASE}id/country/JP> .

<{BASE}id/lg/104493> a lgp:Municipality ; rdfs:label "みなかみ町"@ja ; skos:altLabel "群馬県みなかみ町"@ja ;
    dcterms:identifier "104493" ; lgp:kana "みなかみまち"@ja-Hira ; lgp:prefecture <{BASE}id/lg/100005> ;
    lgp:country <{BASE}id/country/JP> ;
    lgp:writtenName "みなかみ町"@ja, "群馬縣水上町"@zh-Hant ;
    geo:hasGeometry <{BASE}id/lg/104493/point> .
<{BASE}id/lg/104493/point> a sf:Point ; geo:asWKT "POINT(138.9991667 36.67888889)"^^geo:wktLiteral .

<{BASE}id/lg/102016> a lgp:Municipality ; rdfs:label "前橋市"@ja ; dcterms:identifier "102016" ;
    lgp:kana "まえばしし"@ja-Hira ; lgp:prefecture <{BASE}id/lg/100005> ; lgp:country <{BASE}id/country/JP> ;
    geo:hasGeometry <{BASE}id/lg/102016/point> .
<{BASE}id/lg/102016/point> a sf:Point ; geo:asWKT "POINT(139.0608 36.3895)"^^geo:wktLiteral .

<{BASE}id/lg/104213> a lgp:Municipality ; rdfs:label "片品村"@ja ; dcterms:identifier "104213" ;
    lgp:prefecture <{BASE}id/lg/100005> ; lgp:country <{BASE}id/country/JP> ;
    geo:hasGeometry <{BASE}id/lg/104213/point> .
<{BASE}id/lg/104213/point> a sf:Point ; geo:asWKT "POINT(139.2256 36.7744)"^^geo:wktLiteral .

<{BASE}id/lg/131148> a lgp:SpecialWard ; rdfs:label "中野区"@ja ; dcterms:identifier "131148" ;
    lgp:prefecture <{BASE}id/lg/130001> ; lgp:country <{BASE}id/country/JP> ;
    geo:hasGeometry <{BASE}id/lg/131148/point> .
<{BASE}id/lg/131148/point> a sf:Point ; geo:asWKT "POINT(139.6638 35.7074)"^^geo:wktLiteral .

<{TAINAN}> a lgp:ForeignLocalAuthority ; rdfs:label "台南市"@ja ; lgp:country <{BASE}id/country/TW> ;
    lgp:region <{BASE}id/region/TW-TNN> ; lgp:writtenName "台南市"@zh-Hant, "台湾台南市"@ja .
<{CHENGDE}> a lgp:ForeignLocalAuthority ; rdfs:label "承徳市"@ja ; lgp:country <{BASE}id/country/CN> ;
    lgp:region <{BASE}id/region/CN-HE> .
<{UNRESOLVED}> a lgp:UnresolvedParty ; rdfs:label "釜山"@ja ; lgp:writtenName "釜山"@ja ;
    lgp:unresolvedReason "country not stated"@en .

<{BASE}id/source/gunma-2021> a dcat:Dataset ; dcterms:title "姉妹都市等提携状況一覧表"@ja ;
    dcterms:identifier "gunma-2021" ; dcterms:temporal <{BASE}id/source/gunma-2021/as-of> ;
    dcterms:language <http://publications.europa.eu/resource/authority/language/JPN> ;
    dcterms:description "Gunma prefecture's list of ties."@en .
<{BASE}id/source/taiwan-japan> a dcat:Dataset ; dcterms:title "台灣地方政府與日本地方政府合作"@zh-Hant ;
    dcterms:identifier "taiwan-japan" ; dcterms:language <http://publications.europa.eu/resource/authority/language/ZHO> .
<{BASE}id/source/tokyo-wards-2026> a dcat:Dataset ; dcterms:title "各特別区と全国市町村等連携事業一覧"@ja ;
    dcterms:identifier "tokyo-wards-2026" ; dcterms:temporal <{BASE}id/source/tokyo-wards-2026/as-of> .
<{BASE}id/source/gunma-2021/as-of> a dcterms:PeriodOfTime ; dcat:endDate "2021-06-01"^^xsd:date .
<{BASE}id/source/tokyo-wards-2026/as-of> a dcterms:PeriodOfTime ; dcat:endDate "2026-03-31"^^xsd:date .

# みなかみ町 and 台南市: friendship city, told by two sources that disagree on nothing.
<{BASE}id/partnership/tainan> a lgp:Partnership ; rdfs:label "みなかみ町・台南市 友好都市"@ja ;
    dcterms:title "友好都市提携"@ja ;
    lgp:party <{BASE}id/lg/104493>, <{TAINAN}> ; lgp:kind kind:friendship-city ;
    lgp:date "2013-12-13"^^xsd:date ; lgp:datePrecision precision:day ;
    lgp:claim <{BASE}id/claim/gunma32>, <{BASE}id/claim/tw7> ;
    prov:wasDerivedFrom <{BASE}id/source/gunma-2021>, <{BASE}id/source/taiwan-japan> .
<{BASE}id/claim/gunma32> a lgp:Claim ; prov:wasDerivedFrom <{BASE}id/source/gunma-2021> ;
    lgp:sourceLine "32"^^xsd:positiveInteger ; lgp:wording "友好都市提携"@ja ;
    lgp:rawText "みなかみ町\\t台湾台南市\\t友好都市提携\\tH25.12.13"@ja ;
    lgp:statedDate "2013-12-13"^^xsd:date ; lgp:datePrecision precision:day ; lgp:statedDateText "H25.12.13"@ja ;
    lgp:statedKind kind:friendship-city ;
    lgp:statedParty <{BASE}id/claim/gunma32/party-1>, <{BASE}id/claim/gunma32/party-2> .
<{BASE}id/claim/gunma32/party-1> a lgp:StatedParty ; lgp:writtenName "みなかみ町"@ja ;
    lgp:resolvedTo <{BASE}id/lg/104493> ; lgp:resolutionMethod "exact" .
<{BASE}id/claim/gunma32/party-2> a lgp:StatedParty ; lgp:writtenName "台湾台南市"@ja ;
    lgp:resolvedTo <{TAINAN}> ; lgp:resolutionMethod "place" .
<{BASE}id/claim/tw7> a lgp:Claim ; prov:wasDerivedFrom <{BASE}id/source/taiwan-japan> ;
    lgp:sourceLine "7"^^xsd:positiveInteger ; lgp:wording "友好都市"@zh-Hant ;
    lgp:rawText "7\\t臺南市\\t群馬縣水上町\\t友好都市\\t2013/12/13"@zh-Hant ;
    lgp:statedDate "2013-12-13"^^xsd:date ; lgp:statedKind kind:friendship-city ;
    lgp:statedParty <{BASE}id/claim/tw7/party-1>, <{BASE}id/claim/tw7/party-2> .
<{BASE}id/claim/tw7/party-1> a lgp:StatedParty ; lgp:writtenName "臺南市"@zh-Hant ;
    lgp:resolvedTo <{TAINAN}> ; lgp:resolutionMethod "alias" .
<{BASE}id/claim/tw7/party-2> a lgp:StatedParty ; lgp:writtenName "群馬縣水上町"@zh-Hant ;
    lgp:resolvedTo <{BASE}id/lg/104493> ; lgp:resolutionMethod "alias" ; lgp:resolutionNote "old kanji"@en .

# みなかみ町 and 中野区: disaster aid, dated by fiscal year; a project of 中野区 rests on it.
<{BASE}id/partnership/nakano> a lgp:Partnership ; rdfs:label "みなかみ町・中野区 災害時相互応援"@ja ;
    dcterms:title "非常災害時における相互応援に関する協定"@ja ;
    lgp:party <{BASE}id/lg/104493>, <{BASE}id/lg/131148> ; lgp:kind kind:disaster-mutual-aid ;
    lgp:date "2017"^^xsd:gYear ; lgp:datePrecision precision:fiscal-year ;
    lgp:conflictingField "date" ;
    lgp:claim <{BASE}id/claim/wards1234> ; prov:wasDerivedFrom <{BASE}id/source/tokyo-wards-2026> .
<{BASE}id/claim/wards1234> a lgp:Claim ; prov:wasDerivedFrom <{BASE}id/source/tokyo-wards-2026> ;
    lgp:sourceLine "1234"^^xsd:positiveInteger ; lgp:wording "非常災害時における相互応援に関する協定"@ja ;
    lgp:rawText "中野\\t災害協定\\t非常災害時における相互応援に関する協定"@ja ; lgp:field "災害協定"@ja ;
    lgp:statedDate "2017"^^xsd:gYear ; lgp:datePrecision precision:fiscal-year ; lgp:statedDateText "平成29年度"@ja ;
    lgp:statedParty <{BASE}id/claim/wards1234/party-1>, <{BASE}id/claim/wards1234/party-2> .
<{BASE}id/claim/wards1234/party-1> a lgp:StatedParty ; lgp:writtenName "中野区"@ja ;
    lgp:resolvedTo <{BASE}id/lg/131148> ; lgp:resolutionMethod "exact" .
<{BASE}id/claim/wards1234/party-2> a lgp:StatedParty ; lgp:writtenName "群馬県みなかみ町"@ja ;
    lgp:resolvedTo <{BASE}id/lg/104493> ; lgp:resolutionMethod "exact" .
<{BASE}id/project/forest> a lgp:Project ; rdfs:label "中野区の森づくり"@ja ; dcterms:title "中野区の森づくり"@ja ;
    lgp:ward <{BASE}id/lg/131148> ; lgp:partner <{BASE}id/lg/104493> ; lgp:field "環境"@ja ;
    lgp:organizer "区"@ja ; lgp:startFiscalYear "2005"^^xsd:gYear ; lgp:startText "平成17年度"@ja ;
    lgp:restsOn <{BASE}id/partnership/nakano> ; lgp:sourceLine "1240"^^xsd:positiveInteger ;
    dcterms:description "植樹と交流。"@ja ; prov:wasDerivedFrom <{BASE}id/source/tokyo-wards-2026> .

# 前橋市 and 承徳市: sister cities since 1995, known to the year.
<{BASE}id/partnership/chengde> a lgp:Partnership ; rdfs:label "前橋市・承徳市 姉妹都市"@ja ;
    lgp:party <{BASE}id/lg/102016>, <{CHENGDE}> ; lgp:kind kind:sister-city ;
    lgp:date "1995"^^xsd:gYear ; lgp:datePrecision precision:year ; prov:wasDerivedFrom <{BASE}id/source/gunma-2021> .

# 前橋市, 片品村 and an unresolved party: a memorandum.
<{BASE}id/partnership/busan> a lgp:Partnership ; rdfs:label "前橋市・片品村・釜山 覚書"@ja ;
    lgp:party <{BASE}id/lg/102016>, <{BASE}id/lg/104213>, <{UNRESOLVED}> ; lgp:kind kind:memorandum ;
    prov:wasDerivedFrom <{BASE}id/source/gunma-2021> .
"""


def pages_store() -> EmbeddedStore:
    """The ontology, the kinds of tie and the instances above, in one embedded store."""
    store = EmbeddedStore.from_text(INSTANCES, RdfFormat.TURTLE)
    for name in ("lgp.ttl", "kinds.ttl"):
        store.store.load(path=ROOT / "ontology" / name, format=RdfFormat.TURTLE)
    return store


def write_dist(folder: Path) -> Path:
    """A ``dist/`` with a couple of (empty) dumps, for the home page's download links."""
    (folder / "kg.nt.gz").write_bytes(b"")
    (folder / "kg.ttl").write_text("", encoding="utf-8")
    return folder
