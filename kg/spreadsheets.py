"""Tables for spreadsheets: the projects of Tokyo's wards, party names beside their codes, Excel copies.

``csv/projects.csv`` has one row per project: the ward (IRI, 団体コード, name),
title, field, organiser, partners (IRIs, and names with codes as
``name (code)``), start year and ``sources`` as ``SOURCE_ID:LINE;…`` like
``partnerships.csv``. ``csv/excel/`` holds the same tables with a byte-order mark,
which Excel on Japanese Windows needs to read UTF-8 (without it, it reads Shift_JIS).

>>> party_cell("前橋市", "102016"), party_cell("大連市", "CN"), party_cell("某協会", "")
('前橋市 (102016)', '大連市 (CN)', '某協会')
"""

from __future__ import annotations

import codecs
from pathlib import Path

from kg.iris import Iris
from kg.merge import Merged
from kg.model import ForeignAuthority, JapaneseGovernment, Organisation, Party
from mapping.text import clean

PROJECT_COLUMNS = (
    "id", "ward_id", "ward_code", "ward", "title", "field", "organizer", "partner_ids", "partners",
    "start_year", "sources",
)
EXCEL_FOLDER = "csv/excel"
IRI_DATATYPE = {"base": "string", "format": "^https?://\\S+$"}
"""Cells holding IRIs: strings of that form (the ``{+…}`` templates make them IRIs in the RDF)."""


def party_code(party: Party) -> str:
    """The 団体コード of a Japanese government, the ISO country of a foreign party, else nothing."""
    if isinstance(party, JapaneseGovernment):
        return party.government.code
    if isinstance(party, (ForeignAuthority, Organisation)):
        return party.country or ""
    return ""


def party_cell(name: str, code: str) -> str:
    """A party as a spreadsheet cell shows it: its name, and its code in brackets when it has one."""
    return f"{name} ({code})" if code else name


def project_rows(merged: Merged, iris: Iris) -> list[tuple[str, ...]]:
    """One row per project, by IRI."""
    rows = []
    for project in merged.projects:
        record = project.record
        ward = project.ward.party
        partners = [resolution.party for resolution, _ in project.partners]
        lines = sorted(set(record.provenance.lines))
        rows.append((
            str(iris.project(project.id)), str(iris.party(ward.key)), party_code(ward), ward.label,
            clean(record.title), clean(record.category), clean(record.organizer),
            ";".join(str(iris.party(p.key)) for p in partners),
            ";".join(party_cell(p.label, party_code(p)) for p in partners),
            f"{record.start.year:04d}" if record.start else "",
            ";".join(f"{record.provenance.source}:{line}" for line in lines),
        ))
    return sorted(rows)


def excel_copy(path: Path, dist: Path) -> Path:
    """``csv/NAME`` again under ``csv/excel/``, UTF-8 with a byte-order mark."""
    target = dist / EXCEL_FOLDER / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    return target


def projects_table(iris: Iris) -> dict:
    """The CSVW description of ``projects.csv``: its columns and the RDF each stands for."""
    lgp = str(iris.lgp)
    return {
        "url": "projects.csv",
        "dc:description": "One row per cooperation project of a Tokyo special ward: ward, title, field, organiser, "
                          "partners with their codes, start year and the source lines it was read from.",
        "tableSchema": {
            "aboutUrl": "{+id}",
            "primaryKey": "id",
            "columns": [
                {"name": "id", "titles": "id", "datatype": IRI_DATATYPE, "required": True, "suppressOutput": True},
                {"name": "ward_id", "titles": "ward_id", "datatype": IRI_DATATYPE, "required": True,
                 "propertyUrl": lgp + "ward", "valueUrl": "{+ward_id}"},
                {"name": "ward_code", "titles": "ward_code", "suppressOutput": True,
                 "datatype": {"base": "string", "format": "^(\\d{6})?$"},
                 "dc:description": "全国地方公共団体コード of the ward"},
                {"name": "ward", "titles": "ward", "suppressOutput": True, "lang": "ja"},
                {"name": "title", "titles": "title", "propertyUrl": "http://purl.org/dc/terms/title", "lang": "ja",
                 "required": True},
                {"name": "field", "titles": "field", "propertyUrl": lgp + "field", "lang": "ja"},
                {"name": "organizer", "titles": "organizer", "propertyUrl": lgp + "organizer", "lang": "ja"},
                {"name": "partner_ids", "titles": "partner_ids", "separator": ";", "suppressOutput": True,
                 "datatype": IRI_DATATYPE, "dc:description": "IRIs of the partners, in the order of partners"},
                {"name": "partners", "titles": "partners", "separator": ";", "suppressOutput": True, "lang": "ja",
                 "dc:description": "Each partner as name (団体コード, or ISO 3166-1 country of a foreign party)"},
                {"name": "start_year", "titles": "start_year", "propertyUrl": lgp + "startFiscalYear",
                 "datatype": "gYear"},
                {"name": "sources", "titles": "sources", "separator": ";", "suppressOutput": True,
                 "dc:description": "SOURCE_ID:LINE of each line of the source the project was read from"},
            ],
        },
    }
