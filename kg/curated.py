"""The curated tables of ``data/curated/``: CSV with a header, a declared schema, a reason per row.

Each table is declared here as a pydantic model: its columns, which may be empty,
and what a cell must look like (a regular expression that compiles, a code with
the right shape, one of a few words). :func:`read_table` checks a file against its
model and reports the first bad cell as ``FILE:LINE: …``, one line, no traceback.

>>> read_table(Path("data/curated/lg-aliases.csv"), LgAlias)[0].alias
'水上町'
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError

from mapping.errors import InputError

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Optional = Annotated[str, StringConstraints(strip_whitespace=True)]


def _compiles(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"not a regular expression ({error})") from None
    return value


Pattern = Annotated[Text, AfterValidator(_compiles)]
Code = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
Alpha2 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Subdivision = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]


class Row(BaseModel):
    """A curated row: every table has a reason column, and no column it does not declare."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    reason: Text


class LgAlias(Row):
    """``lg-aliases.csv``: old names and misprints of Japanese governments."""

    alias: Text
    prefecture: Optional
    code: Code


class LgChange(Row):
    """``lg-changes.csv``: governments added or abolished after the code table's data."""

    code: Code
    name: Text
    kana: Optional
    prefecture: Text
    kind: Literal["prefecture", "municipality", "special-ward", "designated-city-ward"]
    parent: Optional
    status: Literal["added", "abolished"]
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    successor: Optional


class MentionDecision(Row):
    """``mention-decisions.csv``: one mention on one line, decided by hand."""

    source: Text
    line: int
    mention: Text
    code: Code


class CountryName(Row):
    """``countries.csv``: country names pycountry's translations lack."""

    name: Text
    alpha2: Alpha2
    label: Literal["", "yes"]


class RegionName(Row):
    """``regions.csv``: first-level region names pycountry's translations lack."""

    name: Text
    code: Subdivision


class WordingKind(Row):
    """``wording-kinds.csv``: source wording → kind of tie.

    ``lists`` is ``twinning`` for wording that names a twinning only inside a list
    of twinning ties (``交流`` in Gunma's 姉妹都市等提携 list), ``any`` otherwise.
    """

    pattern: Pattern
    kind: Text
    lists: Literal["any", "twinning"]


class WordingStatus(Row):
    """``wording-status.csv``: wording → status of a tie."""

    pattern: Pattern
    status: Literal["renewed", "suspended", "ended"]


class SourcePremise(Row):
    """``source-premises.csv``: what a whole document (or one of its sections) says of every row.

    ``lists``: ``twinning`` (a list of twinning ties), ``other`` (a list of ties
    that are not twinning: no row may be read as one), ``any``. ``default``: the
    kind of a row no column names.
    """

    source: Text
    section: Optional
    lists: Literal["twinning", "other", "any"]
    default: Text


class PartyWord(Row):
    """``party-words.csv``: words that make a name a body of some kind, not a local authority.

    ``where``: ``japan`` (a Japanese mention), ``abroad`` (a foreign one) or ``both``.
    ``type``: the kind of party (``national-body``, ``university``, ``group`` …),
    one of the classes the ontology declares (``ontology/lgp.ttl``).
    """

    pattern: Pattern
    type: Text
    where: Literal["japan", "abroad", "both"]


class RegionSuffix(Row):
    """``region-suffixes.csv``: suffixes a region is written with, and the subdivision types each may name."""

    suffix: Text
    types: Optional


class PlaceStatus(Row):
    """``place-statuses.csv``: suffixes of one country's local places that only say their status."""

    country: Alpha2
    suffix: Text
    rank: int


class MentionRemark(Row):
    """``mention-remarks.csv``: remarks written into a Japanese mention that are no part of the name.

    ``pattern`` is replaced by ``replacement`` (``re.sub``); the rest is resolved, and
    kept only if it is a government.
    """

    pattern: Pattern
    replacement: Optional


class PlaceVariant(Row):
    """``place-variants.csv``: foreign place (or body) names written differently that are one place (or body)."""

    country: Alpha2
    variant: Text
    name: Text


class PlaceRegion(Row):
    """``place-regions.csv``: the first-level region of a foreign place no source locates, from a gazetteer."""

    country: Alpha2
    name: Text
    region: Subdivision


class PartyDecision(Row):
    """``party-decisions.csv``: a foreign mention no rule can type (an acronym, a name without a country)."""

    mention: Text
    country: Alpha2
    type: Text
    name: Text
    within: Optional


class ListCountry(Row):
    """``list-countries.csv``: country names the agreements parser tells from partners' names."""

    name: Text


IsoDate = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]


class LgPredecessor(Row):
    """``lg-predecessors.csv``: governments that merged away or changed status, with their successors.

    ``successor`` is a 団体コード (Japan) or the successor's name (abroad); ``old_code``
    only where a vendored table states it.
    """

    name: Text
    country: Alpha2
    prefecture: Optional
    old_code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^([0-9]{6})?$")]
    start: IsoDate
    end: Annotated[IsoDate, StringConstraints(min_length=1)]
    successor: Text
    successor_name: Optional
    change: Text


class TokyoGroupAgreement(Row):
    """``tokyo-group-agreements.csv``: a Tokyo project row whose agreement is one group agreement no rule can tell."""

    source: Text
    line: int
    group: Text


TABLES: dict[str, type[Row]] = {
    "countries.csv": CountryName, "lg-aliases.csv": LgAlias, "lg-changes.csv": LgChange,
    "list-countries.csv": ListCountry, "mention-decisions.csv": MentionDecision,
    "mention-remarks.csv": MentionRemark, "party-decisions.csv": PartyDecision, "party-words.csv": PartyWord,
    "place-statuses.csv": PlaceStatus, "place-variants.csv": PlaceVariant, "place-regions.csv": PlaceRegion,
    "region-suffixes.csv": RegionSuffix,
    "regions.csv": RegionName, "source-premises.csv": SourcePremise, "wording-kinds.csv": WordingKind,
    "wording-status.csv": WordingStatus, "lg-predecessors.csv": LgPredecessor,
    "tokyo-group-agreements.csv": TokyoGroupAgreement,
}
"""Every table of ``data/curated/`` and its schema."""

M = TypeVar("M", bound=Row)


def read_table(path: Path, model: type[M]) -> list[M]:
    """Rows of a curated CSV as ``model``; a missing file, column or bad cell is an error naming file and line."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in model.model_fields if column not in header]
            if missing:
                raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}")
            unknown = [column for column in header if column not in model.model_fields]
            if unknown:
                raise InputError(f"{path}:1: unknown column(s) {', '.join(unknown)}")
            rows = []
            for row in reader:
                if None in row:
                    raise InputError(f"{path}:{reader.line_num}: more cells than the header's {len(header)}")
                try:
                    rows.append(model.model_validate({key: value or "" for key, value in row.items()}))
                except ValidationError as error:
                    first = error.errors()[0]
                    column = ".".join(str(part) for part in first["loc"])
                    value = row.get(column, "")
                    problem = "empty" if not (value or "").strip() else f"bad value {value!r}: {first['msg']}"
                    raise InputError(f"{path}:{reader.line_num}: {column}: {problem}") from None
            return rows
    except FileNotFoundError:
        raise InputError(f"{path}: curated table not found") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not valid UTF-8 ({error.reason})") from None
