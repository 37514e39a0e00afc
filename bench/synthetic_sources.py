"""Synthetic sources in all five formats, at any scale, with a manifest ``kg build --manifest`` builds.

``write_sources(folder, scale)`` writes ``scale`` times as many rows of each
source as the vendored edition has (0.1×, 10×, 100×, 1000× …) and a
``manifest.toml`` pinning each file's digest and record count. Japanese
parties come from the code table the resolver uses (``japancode``: names that
are unique in Japan, with their prefecture); foreign parties, wordings,
fields, project titles and descriptions are drawn from what the vendored
sources state, so resolution and merging meet the same kinds of names. Each
format keeps its file's quirks:

- ``gunma-list``: 令和/平成/昭和 dates (``H14.12.18``), cells of several
  partners (``、``) and multilateral agreements (``水戸市・宇都宮市(…)``), three
  sections, district names carried down the first column;
- ``agreement-tsv``: the title, as-of line and header repeated at every page;
- ``japan-china-tsv``: numbered rows, a province column that sometimes holds
  a city too, the closing ``※…現在`` line;
- ``taiwan-japan-list``: Traditional Chinese (縣, 廣島, …), rows separated by
  blank lines, the header repeated at page breaks, region headings;
- ``tokyo-wards-projects``: continuation rows (partners, dates on lines of their
  own), several partners in one cell, the header repeated at page breaks with
  the PDF's stray spaces.

The same ``scale`` and ``seed`` give byte-identical files.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
...     one, two = write_sources(Path(a), 0.05), write_sources(Path(b), 0.05)
...     same = all((Path(a) / f).read_bytes() == (Path(b) / f).read_bytes() for f in FILES.values())
>>> same, sorted(one) == sorted(FORMATS), one == two
(True, True, True)
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from mapping.ingest import decode_lines, ingest
from mapping.parsers import PARSERS
from mapping.parsers.tokyo_agreements import group_name
from mapping.records import PartnershipRecord, ProjectRecord

ROOT = Path(__file__).resolve().parent.parent
REAL_MANIFEST = ROOT / "data" / "sources" / "manifest.toml"
FORMATS = {
    "gunma-2021": "gunma-list",
    "agreements-2016": "agreement-tsv",
    "japan-china-2024": "japan-china-tsv",
    "taiwan-japan": "taiwan-japan-list",
    "tokyo-wards-2026": "tokyo-wards-projects",
}
FILES = {source: f"{source}.txt" for source in FORMATS}


# --- what the generator draws from ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Government:
    prefecture: str
    name: str


@dataclass(frozen=True, slots=True)
class Pools:
    """Names and texts the generated rows are made of."""

    prefectures: list[str]
    municipalities: list[Government]
    gunma: list[tuple[str, str]]
    """Gunma's municipalities with the district column the list gives them (市 for a city)."""
    wards: list[str]
    china: list[tuple[str, str]]
    """(province column, city column) of the Japan–China list."""
    taiwan: list[str]
    taiwan_wordings: list[str]
    agreements: list[tuple[str, str, str]]
    """(partner cell 国/都市, field, title suffix) of the agreements list."""
    gunma_wordings: dict[str, list[str]]
    gunma_foreign: list[tuple[str, str]]
    """(name, location as written) of Gunma's foreign partners."""
    projects: list[tuple[str, str, str, str]]
    """(category, title, organiser, description) of the wards' projects."""
    traditional: dict[str, str]
    project_groups: dict[str, str]
    """Group agreement of a project's title, where the vendored table makes it one (by any of the parser's rules)."""


@cache
def pools() -> Pools:
    """Everything drawn from the code table and the vendored sources (read once)."""
    data = files("japancode").joinpath("data")
    prefectures = json.loads(data.joinpath("prefectures.json").read_text(encoding="utf-8"))
    municipalities = json.loads(data.joinpath("municipalities.json").read_text(encoding="utf-8"))
    pref_name = {row["pid"]: row["pref"] for row in prefectures}
    counts: dict[str, int] = {}
    for row in municipalities:
        counts[row["city"]] = counts.get(row["city"], 0) + 1
    names = {row["pref"] for row in prefectures}
    unique = [Government(pref_name[row["pid"]], row["city"]) for row in municipalities
              if " " not in row["city"] and counts[row["city"]] == 1 and row["city"] not in names
              and not row["city"].startswith(pref_name[row["pid"]][:-1])]
    wards = [g.name.removesuffix("区") for g in unique if g.prefecture == "東京都" and g.name.endswith("区")]

    ingestion = ingest(REAL_MANIFEST)
    results = {result.source: result for result in ingestion.results}
    texts = ingestion.texts

    districts: dict[str, str] = {}
    current = ""
    for line in texts["gunma-2021"]:
        if line.startswith("(2)"):
            break
        cells = line.split("\t")
        if len(cells) >= 3 and re.fullmatch(r"\S+[市町村]", cells[1]):
            current = cells[0] or current
            districts[cells[1]] = current
    gunma = [(districts[g.name], g.name) for g in unique if g.prefecture == "群馬県" and g.name in districts]

    china = sorted({tuple(record.provenance.raw.split("\t")[3:5]) for record in results["japan-china-2024"].records
                    if len(record.provenance.raw.split("\t")) == 6})
    taiwan, taiwan_wordings = set(), set()
    for record in results["taiwan-japan"].records:
        parts = record.provenance.raw.split()
        if len(parts) == 5 and len(record.provenance.lines) == 1:
            taiwan.add(parts[1])
            taiwan_wordings.add(parts[3])
    agreements = set()
    for record in results["agreements-2016"].records:
        cells = record.provenance.raw.split("\t")
        if len(cells) >= 4 and cells[2].count("/") == 1 and " " not in cells[0] and cells[3]:
            agreements.add((cells[2], cells[3], _agreement_suffix(cells[1])))
    gunma_wordings: dict[str, set[str]] = {}
    gunma_foreign = set()
    for record in results["gunma-2021"].records:
        assert isinstance(record, PartnershipRecord)
        if record.wording and record.date and len(record.parties) == 2 and "(" not in record.wording:
            gunma_wordings.setdefault(record.section or "", set()).add(record.wording)
        partner = record.parties[-1]
        if (record.section == "international" and partner.foreign and partner.country and record.date
                and len(record.parties) == 2 and not re.search(r"[()（）・、\s]", partner.name + partner.country)):
            gunma_foreign.add((partner.name, partner.country))
    projects = set()
    project_groups: dict[str, str] = {}
    for record in results["tokyo-wards-2026"].records:
        assert isinstance(record, ProjectRecord)
        for agreement in record.agreements:
            if agreement.group is not None:
                project_groups.setdefault(record.title, agreement.group)
        if "\n" not in record.provenance.raw and "\t" not in record.title + record.description:
            projects.add((record.category, record.title, record.organizer, record.description))
    traditional: dict[str, str] = {}
    with (ROOT / "mapping" / "variant_characters.csv").open(encoding="utf-8") as table:
        for row in csv.DictReader(table):
            if len(row["variant"]) == 1 and len(row["standard"]) == 1:
                traditional.setdefault(row["standard"], row["variant"])
    return Pools(
        sorted(names, key=[row["pref"] for row in prefectures].index), unique, gunma, wards, china,
        sorted(taiwan), sorted(taiwan_wordings), sorted(agreements),
        {section: sorted(words) for section, words in gunma_wordings.items()}, sorted(gunma_foreign),
        sorted(projects), traditional, project_groups,
    )


def _agreement_suffix(title: str) -> str:
    """The generic end of an agreement's name (``交流に関する協定書``), to put after generated parties."""
    match = re.search(r"(?:の|との|に係る|における)?([^との・、\s]*(?:協定書?|覚書|合意書|協議書|趣意書|確認書|宣言))$", title)
    return match.group(1) if match and len(match.group(1)) > 2 else "友好交流協定"


# --- dates ---------------------------------------------------------------------------------------


def _date(rng: random.Random, first: int = 1960, last: int = 2020) -> tuple[int, int, int]:
    return rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28)


def era(year: int, month: int, day: int) -> str:
    """A date as the Gunma list writes it.

    >>> era(1981, 7, 1), era(1989, 11, 9), era(2019, 8, 3)
    ('S56.7.1', 'H1.11.9', 'R1.8.3')
    """
    if (year, month, day) < (1989, 1, 8):
        return f"S{year - 1925}.{month}.{day}"
    if (year, month) < (2019, 5):
        return f"H{year - 1988}.{month}.{day}"
    return f"R{year - 2018}.{month}.{day}"


def era_year(year: int) -> str:
    """A fiscal year as the wards' list writes it (``平成15年度``, ``昭和63年``)."""
    if year < 1989:
        return f"昭和{year - 1925}年"
    if year < 2019:
        return f"平成{'元' if year == 1989 else year - 1988}年度"
    return f"令和{'元' if year == 2019 else year - 2018}年度"


# --- the five formats ----------------------------------------------------------------------------


def _count(real: int, scale: float) -> int:
    return max(1, round(real * scale))


def japan_china(rng: random.Random, scale: float) -> list[str]:
    p = pools()
    lines = ["", "No.\t都道府県名\t自治体名\t州・省・県等\t提携自治体名\t提携年月日"]
    for number in range(1, _count(381, scale) + 1):
        province, city = rng.choice(p.china)
        if rng.random() < 0.08:
            prefecture = rng.choice(p.prefectures)
            name = prefecture
        else:
            government = rng.choice(p.municipalities)
            prefecture, name = government.prefecture, government.name
        year, month, day = _date(rng, 1973, 2023)
        lines.append(f"{number}\t{prefecture}\t{name}\t{province}\t{city}\t{year}/{month}/{day}")
    return lines + ["", "※2024年3月末現在"]


def taiwan_japan(rng: random.Random, scale: float) -> list[str]:
    p = pools()
    header = " 台灣地方政府 日本地方政府 合作型態 締結年月日"
    regions = ["【北部】", "【中部】", "【南部】", "【東部】"]
    lines = [header, ""]
    total = _count(157, scale)
    for number in range(1, total + 1):
        if number % 40 == 0:
            lines += [header, ""]
        if number % 100 == 0:
            lines += [regions[(number // 100) % len(regions)], "", header, ""]
        government = rng.choice(p.municipalities)
        japanese = rng.choice((government.prefecture + government.name, government.prefecture)
                              if rng.random() < 0.1 else (government.prefecture + government.name,))
        year, month, day = _date(rng, 1980, 2025)
        lines += [f"{number} {rng.choice(p.taiwan)} {_traditional(japanese)} {rng.choice(p.taiwan_wordings)} "
                  f"{year}年{month}月{day}日", ""]
    return lines + ["", "【注意事項】　本資料以本協會藉由一般財團法人自治體國際化協會官網的「各自治體的姊妹都市合作對象」",
                    "及自治體官網等完成確認的範圍進行登載。"]


def _traditional(text: str) -> str:
    table = pools().traditional
    return "".join(table.get(char, char) for char in text)


def agreements(rng: random.Random, scale: float) -> list[str]:
    p = pools()
    page = ["", "姉妹友好都市以外の提携リスト", "", "平成28年9月現在 (地方自治体からの提供)", "",
            "自治体名\t協定名\t協定締結先(国・地域名/都市名)\t分野\t概要(骨子、締結年等)\tURL"]
    lines: list[str] = []
    for number in range(_count(174, scale)):
        if number % 13 == 0:
            lines += page
        japanese = rng.choice(p.prefectures) if rng.random() < 0.4 else rng.choice(p.municipalities).name
        partner, field, suffix = rng.choice(p.agreements)
        city = partner.split("/")[1]
        year, month, _ = _date(rng, 1990, 2016)
        summary = rng.choice((f"{field}分野における相互協力[{year}年]", f"[{year}年締結]",
                              f"{year}年{month}月、双方の交流の拡大について合意し協定を締結した。"))
        url = f"http://www.example.lg.jp/{number:05d}.html" if rng.random() < 0.4 else ""
        lines.append(f"{japanese}\t{japanese}と{city}との{suffix}\t{partner}\t{field}\t{summary}\t{url}")
    return lines


def gunma(rng: random.Random, scale: float) -> list[str]:
    p = pools()
    lines = ["", "", "1.5 姉妹都市等提携状況一覧表", "", "令和3年6月1日現在", ""]
    sections = (("domestic", "(1) 姉妹都市・友好都市等提携(国内)", "団体名及び交流施設", 96),
                ("disaster", "(2)災害・防災等に関する提携", "団体名等", 88),
                ("international", "(3) 姉妹都市等提携(国外)", "国際姉妹都市", 43))
    for section, heading, column, real in sections:
        lines += [heading, "", f"\t市町村名\t{column}"]
        wanted = _count(real, scale)
        made = 0
        while made < wanted:
            district = None
            for name_district, municipality in p.gunma:
                if made >= wanted:
                    break
                items, records = _gunma_cell(rng, section, min(wanted - made, rng.randint(1, 4)), municipality)
                made += records
                first = name_district if name_district != district else ""
                district = name_district
                lines.append(f"{first}\t{municipality}\t{'、'.join(items)}")
        lines.append("")
    return lines


def _other(rng: random.Random, name: str) -> Government:
    """A municipality other than ``name``: a government has no tie with itself."""
    while (government := rng.choice(pools().municipalities)).name == name:
        pass
    return government


def _gunma_cell(rng: random.Random, section: str, wanted: int, reporter: str) -> tuple[list[str], int]:
    p = pools()
    wordings = p.gunma_wordings[section]
    items: list[str] = []
    records = 0
    while records < wanted:
        when = era(*_date(rng, 1962, 2021))
        if section == "international":
            name, where = rng.choice(p.gunma_foreign)
            items.append(f"{name}({where}・{when}{rng.choice(wordings)})")
            records += 1
        elif section == "disaster" and rng.random() < 0.25 and wanted - records >= 1:
            count = rng.randint(2, 5)
            members = "・".join(g.name for g in rng.sample(p.municipalities, count))
            items.append(f"{members}({when} {rng.choice(wordings)})")
            records += 1
        else:
            partner = _other(rng, reporter)
            items.append(f"{partner.name}({partner.prefecture}・{when} {rng.choice(wordings)})")
            records += 1
    return items, records


def tokyo_wards(rng: random.Random, scale: float) -> list[str]:
    p = pools()
    header = "各特別区名\t連携カテゴリ\t事業名称等\t事業主体\t連携相手方\t事業内容\t事業開始年度"
    page_header = "各特別 区名\t連携カテ ゴリ\t事業名称等\t事業 主体\t連携相手方\t事業内容\t事業開始 年度"
    lines = ["", "", "各特別区と全国市町村等連携事業一覧", "", "令和8年3月31日現在", "", header]
    since_break = 0
    for number in range(_count(891, scale)):
        ward = p.wards[(number * len(p.wards)) // _count(891, scale)]
        category, title, organizer, description = rng.choice(p.projects)
        group = p.project_groups.get(title) or (group_name(title, description) or (None,))[0]
        partners = [_partner(rng, ward + "区", group) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        start = rng.choice((era_year(_date(rng, 1970, 2024)[0]), "—"))
        cell = " ".join(g.prefecture + g.name for g in partners[:2])
        block = [f"{ward}\t{category}\t{title}\t{organizer}\t{cell}\t{description}\t{start}"]
        for partner in partners[2:] + [_partner(rng, ward + "区", group)] * (rng.random() < 0.2):
            year = _date(rng, 1975, 2024)[0]
            block.append(f"\t\t\t\t{partner.prefecture}{partner.name}\t\t{era_year(year)}")
        if since_break + len(block) > 24:
            lines += ["", page_header]
            since_break = 0
        lines += block
        since_break += len(block)
    return lines


GROUP_MEMBERS = 24
"""Governments a synthetic group agreement draws its rows' partners from, at any scale."""


@cache
def _group_members(group: str) -> tuple[Government, ...]:
    """The fixed membership of a group agreement (seeded by its name).

    A group agreement has a fixed membership: a larger table (a national list, more editions) has
    more rows restating it, not more members. Drawing each row's partner afresh would grow one
    group with the scale (to hundreds of members at 100×, a group no table has).
    """
    return tuple(random.Random(f"group:{group}").sample(pools().municipalities, GROUP_MEMBERS))


def _partner(rng: random.Random, ward: str, group: str | None) -> Government:
    """A partner of a ward's row: any other government, or one of its group agreement's members."""
    if group is None:
        return _other(rng, ward)
    while (government := rng.choice(_group_members(group))).name == ward:
        pass
    return government


WRITERS: dict[str, Callable[[random.Random, float], list[str]]] = {
    "gunma-2021": gunma,
    "agreements-2016": agreements,
    "japan-china-2024": japan_china,
    "taiwan-japan": taiwan_japan,
    "tokyo-wards-2026": tokyo_wards,
}


EDITION_TABLES = ("tokyo-group-agreements.csv",)
"""Curated tables whose rows name lines of the vendored editions; the synthetic ``curated/`` keeps their header only."""


def write_curated(folder: Path) -> Path:
    """``folder/curated``: the curated tables for synthetic sources (build them with ``Settings(curated=…)``)."""
    target = folder / "curated"
    shutil.copytree(REAL_MANIFEST.parent.parent / "curated", target, dirs_exist_ok=True)
    for name in EDITION_TABLES:
        header = (target / name).read_text(encoding="utf-8").splitlines(keepends=True)[0]
        (target / name).write_text(header, encoding="utf-8")
    return target


def write_sources(folder: Path, scale: float, *, seed: int = 13, only: str | None = None) -> dict[str, int]:
    """Write the five sources at ``scale``, their ``manifest.toml`` and a ``curated/`` folder (:func:`write_curated`)
    into ``folder``; records per source. With ``only``, that source is at ``scale`` and the others at 1×."""
    if only is not None and only not in WRITERS:
        raise ValueError(f"no synthetic source {only!r} (one of {', '.join(WRITERS)})")
    folder.mkdir(parents=True, exist_ok=True)
    write_curated(folder)
    entries: list[str] = []
    counts: dict[str, int] = {}
    for source, writer in WRITERS.items():
        at = scale if only in (None, source) else 1
        rng = random.Random(f"{seed}:{source}:{at}")
        data = ("\n".join(writer(rng, at)) + "\n").encode("utf-8")
        path = folder / FILES[source]
        path.write_bytes(data)
        result = PARSERS[FORMATS[source]](decode_lines(data, path), source)
        counts[source] = len(result.records)
        entries.append(_entry(source, data, counts[source], at))
    which = "the vendored ones" if only is None else f"{only} (the others at 1×)"
    (folder / "manifest.toml").write_text(
        f"# Synthetic sources at {scale:g}× {which} (bench/synthetic_sources.py, seed {seed}).\n\n"
        + "\n".join(entries), encoding="utf-8")
    return counts


def _entry(source: str, data: bytes, records: int, scale: float) -> str:
    real = _real_entries()[source]
    values = {"id": source, "file": FILES[source], "format": FORMATS[source],
              "title": real["title"], "publisher": real.get("publisher", ""), "as_of": real.get("as_of", ""),
              "language": real["language"], "licence": "", "note": f"Synthetic, {scale:g}× the vendored edition."}
    if real.get("tie"):
        values["tie"] = real["tie"]
    body = "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items())
    return f"[[source]]\n{body}sha256 = \"{hashlib.sha256(data).hexdigest()}\"\nrecords = {records}\n"


@cache
def _real_entries() -> dict[str, dict]:
    import tomllib

    data = tomllib.loads(REAL_MANIFEST.read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data["source"]}
