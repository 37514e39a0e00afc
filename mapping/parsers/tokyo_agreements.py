"""The agreements the Tokyo wards' project rows state or name.

A row of the wards' table is a **project** (an activity with participants). It
may also state an **agreement**: the row *is* the agreement (its title names
one: ``…に関する協定``, ``友好都市提携``), or the row speaks of one it rests on
(``防災協定を締結している宇都宮市と…マルシェを開催``). Only agreements make ties;
a project that names none yields no tie. Every agreement found keeps the rule
that found it and its lines (:class:`~mapping.records.AgreementRecord`).

Rules, in the order they are tried on a row:

``title-lists-agreements``
    A title cell listing several ``Xとの…協定`` is that many agreements, each
    with the partner it names and that partner's own start year.
``agreement-title``
    A title naming an agreement word (:data:`AGREEMENT`) after which no event
    word (:data:`EVENT`) follows is one agreement row.
``agreement-category``
    A row filed under a ``…協定`` category whose title was cut short by the
    PDF (``災害時における南魚沼市``) is an agreement row too.
``group:member-count``, ``group:mutual``, ``group:collective``, ``group:parties-in-title``, ``group:known-name``, ``group:reciprocal``, ``group:members-listed``
    An agreement row is bilateral (ward ↔ each partner) unless its agreement
    names a group: a member count (``22団体``, ``城南5区``, ``3者``), a mutual
    agreement among a collective (``相互間``), a collective party
    (``区市町村``, ``自治体``, ``特別区``), a title naming every partner
    (``森鷗外ゆかりの津和野町、北九州市及び文京``), a group name another row declared,
    two wards each listing the other under the same agreement, or a ward other
    rows list as a member listing :data:`MEMBERS_LISTED` or more members under
    an agreement of the same family (reported as uncertain). Then it is one
    agreement of the whole group, shared by every row naming that group, dated
    by :func:`_group_date`.
``group:collective-partner``
    A partner of a bilateral agreement row that names a collective of
    governments (``東京都、23区、都内26市及び都内13町村``, ``東京23区（特別区）``,
    ``都内23特別区``: every ward, city or town of a kind) is no bilateral tie:
    it is the group agreement another row states with the same collective
    (:func:`collective_key`), or, when none does, a group agreement of its own.
``refers-to-agreement``
    A project row (an event: market, drill, inspection, meeting, training,
    camp, anniversary) that names an agreement, or is filed under a
    ``…協定`` category, rests on the agreement the same ward's agreement row
    with that partner states; it adds no tie of its own.
``named-evidence``, ``quoted-agreement``, ``anniversary``
    A project row whose text names an agreement *with a listed partner*
    (``協定を締結している宇都宮市``, ``「…協定」に基づき``, ``友好都市提携40周年``)
    and that no agreement row states is evidence of that one tie: undated,
    since the event's date is no date of the tie.
``curated:group`` (applied in :mod:`kg.merge`)
    A row ``data/curated/tokyo-group-agreements.csv`` names is one group
    agreement of all its partners, for what no rule here can tell.
``collective-evidence-unmatched``
    Text speaking of agreements with unnamed governments
    (``協定を締結している自治体``) refers to agreement rows only; a partner
    without one is reported, never given a tie.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from mapping.dates import PartialDate, find_dates
from mapping.places import split_prefecture
from mapping.records import AgreementRecord, Decision, ProjectRecord
from mapping.text import clean, match_key, nfkc

AGREEMENT = re.compile(r"協定|覚書|盟約|提携")
"""Words that name an agreement."""
EVENT = re.compile(
    r"大会|まつり|祭|フェア|フェスタ|フェスティバル|マルシェ|訓練|視察|研修|会議|交流会|意見交換|講座|ツアー|"
    r"キャラバン|合宿|記念|周年|イベント|事業|交歓|展示|訪問|研究会|配備"
)
"""Words that make a title an event or activity, not an agreement (when they follow the agreement word)."""
CATEGORY_AGREEMENT = re.compile(r"協定")
TRUNCATED_TITLE = re.compile(r"^(?:災害時|震災|大規模災害|非常災害)|相互$")
"""Agreement titles the PDF cut short: they start like an agreement's name, or end on ``相互``."""
MEMBER_COUNT = re.compile(r"(\d+)\s*(?:団体|区市町村|市区町村|区市町|市区町|市区|市町村|自治体|都市|区|者)")
MEMBER_COUNT_TEXT = re.compile(r"\d+者")
MUTUAL = re.compile(r"相互間")
COLLECTIVE = re.compile(r"区市町村|市区町村|市町村|区市町|市区町|自治体|特別区")
_BOUNDARY = re.compile(r"における|に関する|に係る|協定書?|[、とのを（()「」\s]")
_PAREN = re.compile(r"[（(][^（()）]*[）)]")
_SPACE = re.compile(r"\s+")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
# An agreement concluded with the partner named next: 協定を締結している宇都宮市, 姉妹提携をしている田村市.
_CONCLUDED = r"(?:協定|提携|盟約|覚書)(?:書|等)?(?:を|の)?[^。]{0,6}?(?:締結|結|し)[^。、]{0,8}?(?:いる|した|ぶ|だ)"
_COLLECTIVE_AFTER = re.compile(_CONCLUDED + r"両?(?:自治体|都市|地方自治体)|協定等?(?:締結)?自治体")
# A row whose text is the act of concluding the agreement: 協定締結。, 友好都市として盟約を締結, 覚書を交わす。
_CONCLUDING_TEXT = re.compile(r"^[^。]*(?:(?:協定|覚書|盟約)(?:を)?(?:締結|交わす)|として提携)。?$")
_ANNIVERSARY = re.compile(r"(?:協定|提携|盟約)\s*\d+\s*周年")
_QUOTED = re.compile(r"「([^」]*(?:協定|覚書)[^」]*)」")
_DISASTER = re.compile(r"災害|防災")
_TWINNING = re.compile(r"姉妹|友好|縁組")


def kanji_number(text: str) -> str:
    """Kanji numerals up to 99 as digits, for comparing names (``五十三次`` → ``53次``).

    >>> kanji_number("東海道五十三次市区町"), kanji_number("城南五区")
    ('東海道53次市区町', '城南5区')
    """

    def convert(match: re.Match[str]) -> str:
        tens, _, ones = match.group(0).partition("十")
        if "十" not in match.group(0):
            return "".join(str(_KANJI_DIGITS[c]) for c in match.group(0))
        return str((_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0))

    counted = r"(?=次|区|市|町|村|団体|者|自治体|都市)"  # only numbers of something: not 一関, 二酸化炭素
    return re.sub(rf"(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九〇]+){counted}", convert, text)


@lru_cache(maxsize=1 << 16)
def compact(text: str) -> str:
    """A name for comparing: width-folded, without spaces."""
    return _SPACE.sub("", nfkc(text))


def group_key(name: str) -> str:
    """The key two wards' spellings of one group share.

    >>> group_key("東京都及び都内区市町村"), group_key("東海道五十三次市区町"), group_key("城南5 区")
    ('東京都及び区市町村', '東海道53次市区町', '城南5区')
    """
    return kanji_number(compact(name)).replace("都内", "")


def short_name(name: str) -> str:
    """A partner's name without its prefecture, brackets and spaces (``群馬県前橋市`` → ``前橋市``)."""
    text = _PAREN.sub("", compact(name))
    return split_prefecture(text)[1] or text


def is_agreement_title(title: str) -> bool:
    """Whether a title names an agreement, not an event held under one.

    >>> is_agreement_title("北区と酒田市との災害時における相互援助協定"), is_agreement_title("姉妹区提携交流ゲートボール大会")
    (True, False)
    >>> is_agreement_title("台東区・日光市友好都市提携40周年記念事業"), is_agreement_title("災害時相互協力協定義士親善友好都市")
    (False, True)
    """
    text = compact(title)
    found = list(AGREEMENT.finditer(text))
    return bool(found) and not EVENT.search(text[found[-1].end():])


def _last_piece(prefix: str) -> str:
    return _BOUNDARY.split(prefix.rstrip("（( "))[-1]


def group_name(name: str, description: str = "") -> tuple[str, str] | None:
    """The group an agreement's name declares, and the rule that found it, or ``None``.

    >>> group_name("災害応急対策の相互応援に関する協定（義士親善友好都市（22団体））")
    ('義士親善友好都市', 'group:member-count')
    >>> group_name("災害時における城南5区相互応援協定")
    ('城南5区', 'group:member-count')
    >>> group_name("東京都及び区市町村相互間の災害時等協力協定")
    ('東京都及び区市町村', 'group:mutual')
    >>> group_name("災害時における足立区と秩父地域自治体との相互応援に関する協定")
    ('秩父地域自治体', 'group:collective')
    >>> group_name("災害時における葛飾区との相互応援に関する基本協定") is None
    True
    """
    text = compact(name)
    count = MEMBER_COUNT.search(text)
    if count:
        before = _last_piece(text[: count.start()])
        unit = text[count.start(): count.end()]
        label = before if unit.endswith(("団体", "者")) or not before else before + unit
        return group_key(label or text), "group:member-count"
    if MEMBER_COUNT_TEXT.search(compact(description)):
        return group_key(text), "group:member-count"
    mutual = MUTUAL.search(text)
    if mutual:
        return group_key(_last_piece(text[: mutual.start()]) or text), "group:mutual"
    collective = COLLECTIVE.search(text)
    if collective:
        label = _last_piece(text[: collective.start()]) + collective.group(0)
        return group_key(label), "group:collective"
    return None


_COLLECTIVE_PIECE = re.compile(
    r"^(?:東京|都内|全国|県内|道内|府内)?(?:(?:\d+|全)(?:特別区|区市町村|市区町村|区市町|市区町|市町村|町村|区|市|町|村)"
    r"|特別区|区市町村|市区町村|区市町|市区町|市町村)(?:\(特別区\))?$")
_PIECES = re.compile(r"、|，|,|・|及び|および|並びに|ならびに|\s+")


def collective_key(name: str) -> str | None:
    """The collective of governments a partner names, as a key two spellings share, or ``None``.

    A collective names every government of a kind (``23区``, ``都内26市``, ``区市町村``);
    a name with one such piece is a collective, whatever else it lists (東京都, a joint body).

    >>> collective_key("東京都、23区、都内 26市及び都内13町村") == collective_key("東京都、都内23特別区、都内26市、都内13町村")
    True
    >>> collective_key("東京23区（特別区）"), collective_key("東京都八王子市"), collective_key("城南5区"), collective_key("区")
    ('23区', None, None, None)
    """
    pieces = [piece for piece in _PIECES.split(kanji_number(compact(name))) if piece]
    if not any(_COLLECTIVE_PIECE.match(piece) for piece in pieces):
        return None

    def folded(piece: str) -> str:
        if not _COLLECTIVE_PIECE.match(piece):
            return piece
        piece = re.sub(r"^(?:東京|都内)", "", piece).replace("(特別区)", "")
        return re.sub(r"^(\d+)特別区$", r"\1区", piece)

    return "+".join(sorted({folded(piece) for piece in pieces}))


def _title_pieces(title: str) -> list[str]:
    """Agreements a title cell lists one after another (``塙町との災害協定 前橋市との災害協定 …``)."""
    pieces = [piece for piece in re.findall(r".+?(?:協定書?|覚書)", compact(title))]
    return pieces if len(pieces) > 1 and all("との" in piece for piece in pieces) else []


def _dates(record: ProjectRecord, decisions: list[Decision]) -> list[PartialDate | None]:
    """Each partner's agreement date: its own start year; else the row's one start year.

    A start cell listing several years that cannot be given to the partners
    one by one dates none of them: which year is whose is not known.
    """
    own = [partner.start for partner in record.partners]
    if any(own):
        return own
    years = find_dates(record.start_text)
    if len(years) > 1 and len(record.partners) > 1:
        decisions.append(Decision(
            record.provenance.source, record.provenance.lines, "start-years-not-aligned",
            f"{len(years)} start years for {len(record.partners)} partners: no agreement of the row is dated",
            certain=False))
        return [None] * len(record.partners)
    return [record.start] * len(record.partners)


def _stated(record: ProjectRecord, decisions: list[Decision]) -> list[AgreementRecord]:
    """The agreements an agreement row states itself (before groups are joined across rows)."""
    title = clean(record.title)
    pieces = _title_pieces(record.title)
    if not (pieces or is_agreement_title(record.title) or CATEGORY_AGREEMENT.search(record.category)
            or _CONCLUDING_TEXT.search(compact(record.description))):
        return []
    dates = _dates(record, decisions)
    if pieces:
        found = []
        for piece in pieces:
            head = piece.split("との")[0]
            matched = [i for i, p in enumerate(record.partners) if head and head in compact(p.mention.name)]
            if not matched:
                continue
            index = matched[0]
            group = group_name(piece)
            lines = record.partners[index].lines
            found.append(AgreementRecord(piece, (index,), dates[index], lines, "title-lists-agreements",
                                         group[0] if group else None))
        return found
    if is_agreement_title(record.title):
        rule = "agreement-title"
    elif not EVENT.search(compact(record.title)) and _CONCLUDING_TEXT.search(compact(record.description)):
        rule = "agreement-description"
    elif CATEGORY_AGREEMENT.search(record.category) and TRUNCATED_TITLE.search(compact(record.title)) \
            and not EVENT.search(compact(record.title)):
        rule = "agreement-category"
    else:
        return []
    group = group_name(title, record.description)
    named = [i for i, p in enumerate(record.partners) if short_name(p.mention.name) in compact(record.title)]
    if not group and len(record.partners) > 1 and len(named) == len(record.partners):
        # The title names every partner with the ward (森鷗外ゆかりの津和野町、北九州市及び文京): one agreement of all.
        group = (group_key(title), "group:parties-in-title")
    if group:
        indexes = tuple(range(len(record.partners)))
        return [AgreementRecord(title, indexes, record.start, record.provenance.lines, group[1], group[0])]
    return [AgreementRecord(title, (index,), dates[index], partner.lines, "group:collective-partner",
                            f"{COLLECTIVE_GROUP}{key}")
            if (key := collective_key(partner.mention.name)) else
            AgreementRecord(title, (index,), dates[index], partner.lines, rule)
            for index, partner in enumerate(record.partners)]


COLLECTIVE_GROUP = "collective:"
"""Prefix of the provisional group of a collective partner, until :func:`_collectives` finds the group it is."""


def _collectives(stated: dict[int, tuple[ProjectRecord, list[AgreementRecord]]], decisions: list[Decision]) -> None:
    """A collective partner's agreement is the group agreement another row states with the same collective.

    杉並区's 災害時相互援助に関する協定 lists ``東京都、23区、都内26市及び都内13町村`` among its
    partners: 台東区's row states that collective's agreement, 東京都及び区市町村相互間の災害時等協力協定.
    A collective no group row names is a group agreement of its own, named after it.
    """
    groups: dict[str, str] = {}
    for line in sorted(stated):
        record, found = stated[line]
        for agreement in found:
            if agreement.group and not agreement.group.startswith(COLLECTIVE_GROUP):
                for index in agreement.partners:
                    key = collective_key(record.partners[index].mention.name)
                    if key:
                        groups.setdefault(key, agreement.group)
    for line, (record, found) in stated.items():
        for number, agreement in enumerate(found):
            if not (agreement.group or "").startswith(COLLECTIVE_GROUP):
                continue
            key = agreement.group.removeprefix(COLLECTIVE_GROUP)
            partner = record.partners[agreement.partners[0]].mention.name
            group = groups.get(key) or group_key(partner)
            found[number] = replace(agreement, group=group)
            outcome = (f"{clean(partner)} names a collective of governments: the group agreement {group} "
                       + ("another row states" if key in groups else "of its own") + ", not a bilateral tie")
            decisions.append(Decision(record.provenance.source, agreement.lines, "group:collective-partner", outcome))


def _hint(text: str) -> re.Pattern[str] | None:
    """The family an agreement phrase points to: disaster, twinning, or any."""
    if _DISASTER.search(text):
        return _DISASTER
    if _TWINNING.search(text):
        return _TWINNING
    return None


class _Index:
    """Agreement rows by ward and partner, to find the one an event row speaks of."""

    def __init__(self, stated: dict[int, tuple[ProjectRecord, list[AgreementRecord]]]):
        self.by_partner: dict[tuple[str, str], list[tuple[ProjectRecord, AgreementRecord]]] = defaultdict(list)
        for record, found in stated.values():
            for agreement in found:
                for index in agreement.partners:
                    key = (record.ward.name, match_key(short_name(record.partners[index].mention.name)))
                    self.by_partner[key].append((record, agreement))

    def find(self, ward: str, partner: str, phrase: str, exact_only: bool = False, exclude: int = 0
             ) -> tuple[ProjectRecord, AgreementRecord] | None:
        """The agreement row of ``ward`` with ``partner`` that ``phrase`` speaks of.

        The same name wins; else one of the phrase's family (a disaster phrase
        finds a disaster agreement, a twinning phrase a twinning one, any other
        phrase an agreement that is not a disaster agreement).
        """
        candidates = [c for c in self.by_partner.get((ward, match_key(short_name(partner))), [])
                      if c[0].provenance.first_line != exclude]
        exact = [c for c in candidates if compact(c[1].name) == compact(phrase)]
        if exact or exact_only:
            return exact[0] if exact else None
        hint = _hint(phrase)
        if hint is None:
            fitting = [c for c in candidates if not _DISASTER.search(c[1].name + c[0].category)]
        else:
            fitting = [c for c in candidates if hint.search(c[1].name + c[0].category)]
        return fitting[0] if fitting else None


def _evidence(record: ProjectRecord, index: _Index, decisions: list[Decision]) -> list[AgreementRecord]:
    """Agreements a project row (not itself an agreement) speaks of."""
    text = compact(record.description)
    title = compact(record.title)
    found: list[AgreementRecord] = []
    done: set[int] = set()

    def refer_or_state(i: int, phrase: str, rule: str, lines: tuple[int, ...], may_state: bool,
                       exact_only: bool = False) -> None:
        if i in done:
            return
        partner = record.partners[i]
        target = index.find(record.ward.name, partner.mention.name, phrase, exact_only,
                            exclude=record.provenance.first_line)
        if target is not None:
            agreement = target[1]
            found.append(AgreementRecord(agreement.name, (i,), None, lines, "refers-to-agreement",
                                         agreement.group, target[0].provenance.first_line))
            done.add(i)
        elif may_state:
            found.append(AgreementRecord(phrase, (i,), None, lines, rule))
            done.add(i)

    if not (AGREEMENT.search(text + title) or CATEGORY_AGREEMENT.search(record.category)):
        return found
    single = len(record.partners) == 1
    for i, partner in enumerate(record.partners):
        short = short_name(partner.mention.name)
        if not short:
            continue
        lines = record.provenance.lines
        for quoted in _QUOTED.findall(text):
            if not is_agreement_title(quoted):
                continue
            refer_or_state(i, quoted, "quoted-agreement", lines, True, exact_only=True)
        named = _names_partner(text, title, short)
        if named:
            phrase = _phrase(text + title, short, short_name(record.ward.name))
            rule = "anniversary" if _ANNIVERSARY.search(text + title) else "named-evidence"
            refer_or_state(i, phrase, rule, lines, True)
        elif single and (AGREEMENT.search(title) or _COLLECTIVE_AFTER.search(text)):
            # One partner: the text's 自治体 or 両自治体 is that partner.
            refer_or_state(i, _phrase(text + title, short, short_name(record.ward.name)), "named-evidence", lines,
                           True)
        elif _COLLECTIVE_AFTER.search(text) or AGREEMENT.search(title) or CATEGORY_AGREEMENT.search(record.category):
            phrase = _phrase(title + text, short)
            if _hint(phrase) is None and CATEGORY_AGREEMENT.search(record.category):
                phrase = clean(record.category)  # filed under 災害協定 or 観光協定: that family
            refer_or_state(i, phrase, "", lines, False)
            if i not in done and (_COLLECTIVE_AFTER.search(text) or AGREEMENT.search(title)):
                decisions.append(Decision(
                    record.provenance.source, partner.lines, "collective-evidence-unmatched",
                    f"{partner.mention.name}: the row speaks of agreements but no agreement row of "
                    f"{record.ward.name} names this partner; no tie", certain=False))
    return found


_VERB = re.compile(_CONCLUDED)
# Between the verb and the partner: its prefecture, or other names of a list (金沢市・日光市・大船渡市).
_BEFORE_NAME = re.compile(r"(?:[^。、・]{1,8}・){0,6}(?:\S{0,4}?[都道府県])?")
_AFTER_NAME = re.compile(r"(?:と|との)[^。]{0,20}?(?:協定|提携|盟約|覚書)")


def _names_partner(text: str, title: str, short: str) -> bool:
    """Whether the text names an agreement with this partner (``協定を締結している宇都宮市``, ``大船渡市との…協定``).

    >>> _names_partner("防災協定を締結している宇都宮市と交流", "", "宇都宮市")
    True
    >>> _names_partner("特別区長と連携協定を締結している北海道町村会の倶知安町の協力", "", "倶知安町")
    False
    """
    for verb in _VERB.finditer(text):
        rest = text[verb.end(): verb.end() + 80]
        at = rest.find(short)
        if at >= 0 and _BEFORE_NAME.fullmatch(rest[:at]):
            return True
    both = text + title
    start = both.find(short)
    while start >= 0:
        if _AFTER_NAME.match(both, start + len(short)):
            return True
        start = both.find(short, start + 1)
    return bool(AGREEMENT.search(title)) and short in title


def _phrase(text: str, *names: str) -> str:
    """The agreement a text speaks of: its agreement word and the words just before it.

    >>> _phrase("R7年5月10日で友好都市提携40周年を迎える", "日光市")
    '友好都市提携'
    >>> _phrase("区と大船渡市との連携協力協定10周年を記念し", "大船渡市")
    '連携協力協定'
    """
    match = re.search(r"([^。、「」・\s]{0,20}?(?:協定|提携|盟約|覚書))", text)
    if not match:
        return ""
    words = match.group(1)
    for name in names:
        if name and name in words:
            words = words[words.rindex(name) + len(name):]
    # Drop what comes before the agreement's own words: a subject, a date, a particle.
    return re.split(r"との|[でをがと]", words)[-1]


def _join_groups(stated: dict[int, tuple[ProjectRecord, list[AgreementRecord]]], decisions: list[Decision]) -> None:
    """Groups declared on one row apply to rows that name them; each group gets one date."""
    _collectives(stated, decisions)
    known = sorted({a.group for _, found in stated.values() for a in found if a.group}, key=lambda n: (len(n), n))
    # One spelling contained in another is one group (義士親善友好都市 ⊂ 赤穂義士親善友好都市).
    canonical = {}
    for name in known:
        canonical[name] = next((shorter for shorter in known if len(shorter) >= 4 and shorter != name
                                and shorter in name and canonical.get(shorter) == shorter), name)
    for line, (record, found) in stated.items():
        for number, agreement in enumerate(found):
            if agreement.group:
                found[number] = replace(agreement, group=canonical[agreement.group])
                continue
            named = next((name for name in known if len(name) >= 4 and name in compact(agreement.name)), None)
            if named and canonical[named] == named:
                found[number] = replace(agreement, group=named, rule="group:known-name")
    _reciprocal(stated)
    _members_listed(stated, decisions)
    members: dict[str, list[tuple[ProjectRecord, int]]] = defaultdict(list)
    for line, (record, found) in stated.items():
        for number, agreement in enumerate(found):
            if agreement.group:
                members[agreement.group].append((record, number))
    for group, rows in members.items():
        merged_partners: dict[int, set[int]] = defaultdict(set)
        for record, number in rows:
            merged_partners[record.provenance.first_line].update(stated[record.provenance.first_line][1][number].partners)
        # A group row lists the members: the whole row's partners belong to the one agreement.
        dates = [stated[r.provenance.first_line][1][n].date for r, n in rows]
        chosen = _group_date(rows, dates)
        for record, number in rows:
            found = stated[record.provenance.first_line][1]
            agreement = found[number]
            partners = tuple(sorted(merged_partners[record.provenance.first_line]))
            found[number] = replace(agreement, partners=partners, date=chosen)
        differing = sorted({f"{d.text.strip() if d.text else d.iso} (line {r.provenance.first_line})"
                            for (r, _), d in zip(rows, dates) if d is not None and chosen is not None
                            and not d.agrees_with(chosen)})
        if differing:
            decisions.append(Decision(rows[0][0].provenance.source, tuple(sorted({r.provenance.first_line for r, _ in rows})),
                                      "group-date", f"{group}: dated {chosen.iso} as most rows say; "
                                      f"{', '.join(differing)} read as a member's joining year", certain=False))
    # Bilateral agreements in one group row: the same agreement's several rows collapse to one.
    for line, (record, found) in stated.items():
        seen: set[str] = set()
        kept = []
        for agreement in found:
            if agreement.group:
                if agreement.group in seen:
                    continue
                seen.add(agreement.group)
            kept.append(agreement)
        found[:] = kept


MEMBERS_LISTED = 3
"""Members of a group a row must list, beside its own ward, to be read as that group's agreement."""


def _members_listed(stated: dict[int, tuple[ProjectRecord, list[AgreementRecord]]], decisions: list[Decision]) -> None:
    """A ward another row lists as a member of a group, listing several members under an agreement of the same family.

    墨田区's 災害時における相互援助に関する協定 lists 砂川市, 一関市, … without naming the
    group; 千代田区's row lists 墨田区 among the 義士親善友好都市 (22団体): those partners
    are the group's agreement, the others (台東区, 鹿沼市) stay bilateral.
    """
    members: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for record, found in stated.values():
        for agreement in found:
            if agreement.group:
                members[agreement.group].add(short_name(record.ward.name))
                members[agreement.group].update(short_name(record.partners[i].mention.name) for i in agreement.partners)
                names.setdefault(agreement.group, agreement.name)
    for line, (record, found) in stated.items():
        ward = short_name(record.ward.name)
        bilateral = [a for a in found if a.group is None and a.rule == "agreement-title"]
        for group, listed in sorted(members.items()):
            if ward not in listed or bool(_DISASTER.search(record.title)) != bool(_DISASTER.search(names[group])):
                continue
            joining = [a for a in bilateral if short_name(record.partners[a.partners[0]].mention.name) in listed]
            if len(joining) < MEMBERS_LISTED:
                continue
            partners = tuple(i for a in joining for i in a.partners)
            found[:] = [a for a in found if a not in joining] + [AgreementRecord(
                clean(record.title), partners, None, record.provenance.lines, "group:members-listed", group)]
            decisions.append(Decision(
                record.provenance.source, record.provenance.lines, "group:members-listed",
                f"{record.ward.name} and {len(partners)} of its partners are members other rows list for {group}:"
                f" read as that agreement", certain=False))
            bilateral = [a for a in bilateral if a not in joining]


PRECISION = {"day": 0, "month": 1, "year": 2, "fiscal-year": 3}


def _group_date(rows: list[tuple[ProjectRecord, int]], dates: list[PartialDate | None]) -> PartialDate | None:
    """The group's date: the one the most wards agree with (then the earliest), at its finest precision.

    Dates of rows that disagree are the year a member joined, not the agreement's.
    """
    given = [(record.ward.name, date) for (record, _), date in zip(rows, dates) if date is not None]
    if not given:
        return None

    def support(date: PartialDate) -> int:
        return len({ward for ward, other in given if other.agrees_with(date)})

    best = max(support(date) for _, date in given)
    candidates = [date for _, date in given if support(date) == best]
    earliest = min(candidates, key=lambda d: d.interval()[0])
    agreeing = [d for d in candidates if d.agrees_with(earliest)]
    return min(agreeing, key=lambda d: (PRECISION[d.precision], d.interval()[0]))


def _reciprocal(stated: dict[int, tuple[ProjectRecord, list[AgreementRecord]]]) -> None:
    """Two wards each listing the other under one agreement name: one agreement of the group."""
    by_name: dict[str, list[tuple[ProjectRecord, list[AgreementRecord]]]] = defaultdict(list)
    for record, found in stated.values():
        for agreement in found:
            if not agreement.group and agreement.rule == "agreement-title":
                by_name[compact(agreement.name)].append((record, found))
                break
    for name, rows in by_name.items():
        wards = {record.ward.name for record, _ in rows}
        if len(wards) < 2:
            continue
        listed = {record.ward.name: {short_name(p.mention.name) for p in record.partners} for record, _ in rows}
        if not all(other in listed[ward] for ward in wards for other in wards if other != ward):
            continue
        for record, found in rows:
            indexes = tuple(range(len(record.partners)))
            first = next(a for a in found if compact(a.name) == name)
            found[:] = [a for a in found if compact(a.name) != name] + [
                replace(first, partners=indexes, date=record.start, lines=record.provenance.lines,
                        rule="group:reciprocal", group=group_key(name))]


def agreements(records: Iterable[ProjectRecord], decisions: list[Decision]) -> list[ProjectRecord]:
    """The records with the agreements each states or names; ambiguous choices go to ``decisions``."""
    records = list(records)
    stated = {record.provenance.first_line: (record, _stated(record, decisions)) for record in records}
    stated = {line: value for line, value in stated.items() if value[1]}
    _join_groups(stated, decisions)
    # Evidence in two passes: agreements that event rows state themselves (a quoted agreement)
    # can be what another row's collective wording speaks of.
    first: list[Decision] = []
    stated_only = _Index(stated)
    evidence = {record.provenance.first_line: (record, _evidence(record, stated_only, first))
                for record in records if record.provenance.first_line not in stated}
    known = {**stated, **{line: (record, [a for a in found if a.refers_to is None])
                          for line, (record, found) in evidence.items()}}
    index = _Index(known)
    out = []
    for record in records:
        line = record.provenance.first_line
        found = stated[line][1] if line in stated else _evidence(record, index, decisions)
        out.append(replace(record, agreements=tuple(found)))
    return out
