"""Prefecture names, for parsers that must find where one name ends and the next begins.

The 47 names come from the code table shipped by ``japancode``; variant
spellings (``群馬縣``, ``鹿兒島縣``) are recognised through :func:`fold_variants`.

>>> split_prefecture("群馬縣水上町")
('群馬縣', '水上町')
>>> split_prefecture("京都市")
(None, '京都市')
>>> split_prefecture("東京都")
('東京都', '')
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib.resources import files

from mapping.text import fold_variants, nfkc


@cache
def prefectures() -> tuple[str, ...]:
    """The 47 prefecture names, longest first (so 神奈川県 is tried before shorter ones)."""
    data = json.loads(files("japancode").joinpath("data/prefectures.json").read_text(encoding="utf-8"))
    return tuple(sorted((row["pref"] for row in data), key=len, reverse=True))


@lru_cache(maxsize=1 << 16)
def split_prefecture(text: str) -> tuple[str | None, str]:
    """Split a leading prefecture name off ``text``, returning it as written.

    A bare ``京都`` or ``大阪`` is not taken for a prefecture: ``京都市`` is a city.
    """
    folded = fold_variants(nfkc(text))
    for name in prefectures():
        if folded.startswith(name) and len(folded) == len(text):
            return text[: len(name)], text[len(name) :]
        if folded.startswith(name):
            # NFKC changed the length (rare width forms): fall back to the folded text.
            return name, folded[len(name) :]
    return None, text


def starts_with_prefecture(text: str) -> bool:
    """Whether ``text`` begins with a prefecture name in any spelling."""
    return split_prefecture(text)[0] is not None
