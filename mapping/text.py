"""Text clean-up shared by all parsers; the original string is always kept.

>>> clean("千代田区と智頭町との 森林整備事業")
'千代田区と智頭町との森林整備事業'
>>> clean("ＡＢＣ　市")
'ABC 市'
>>> clean("e. CYCLE CHIYODA")
'e. CYCLE CHIYODA'
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

# Characters NFKC would change in ways that lose meaning for these documents:
# the enclosed and parenthesised forms are kept as they are.
_KEEP = set("①②③④⑤⑥⑦⑧⑨⑩㈱㈲㈳")
_KEPT = re.compile("[" + "".join(sorted(_KEEP)) + "]")

_CJK = r"\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u30fc\uff5e々〆ヶ"
_CJK_PUNCT = r"「」『』（）()、。・【】"
# Whitespace between two CJK characters (or CJK punctuation) is a PDF line-break artefact.
_STRAY_SPACE = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \u3000\t]+(?=[{_CJK}{_CJK_PUNCT}])")
_SPACES = re.compile(r"[ \u3000\t]+")


@lru_cache(maxsize=1 << 16)
def nfkc(text: str) -> str:
    """NFKC where it is safe: width variants folded, enclosed numbers kept."""
    if not _KEPT.search(text):
        return unicodedata.normalize("NFKC", text)
    return "".join(ch if ch in _KEEP else unicodedata.normalize("NFKC", ch) for ch in text)


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """Width-folded, stray spaces between CJK characters removed, runs of space collapsed."""
    text = nfkc(text)
    text = _STRAY_SPACE.sub("", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A string as written next to its cleaned form."""

    original: str
    text: str

    @classmethod
    def of(cls, original: str) -> Cleaned:
        return cls(original, clean(original))


@cache
def _variant_table() -> dict[int, str]:
    path = Path(__file__).with_name("variant_characters.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {ord(row["variant"]): row["standard"] for row in csv.DictReader(handle)}


def fold_variants(text: str) -> str:
    """Map traditional and variant characters to the forms Japanese names use.

    For matching only: labels keep the source's characters.

    >>> fold_variants("鹿兒島縣南薩摩市")
    '鹿児島県南薩摩市'
    >>> fold_variants("龍ヶ崎")
    '龍ケ崎'
    """
    return text.translate(_variant_table())


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """Key under which two spellings of one name compare equal.

    >>> match_key(" 群馬縣 水上町 ") == match_key("群馬県水上町")
    True
    """
    return fold_variants(clean(text)).replace(" ", "")
