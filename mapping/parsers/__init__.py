"""One parser per source format, keyed by the ``format`` named in the manifest.

A parser is a function ``parse(lines, source_id) -> ParseResult`` where ``lines``
are the file's decoded lines without line ends (``lines[0]`` is line 1). It never
raises on bad content: what it cannot read becomes a :class:`Problem`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mapping.parsers import agreements, gunma, japan_china, taiwan_japan, tokyo_wards
from mapping.records import ParseResult

Parser = Callable[[Sequence[str], str], ParseResult]

PARSERS: dict[str, Parser] = {
    "gunma-list": gunma.parse,
    "agreement-tsv": agreements.parse,
    "japan-china-tsv": japan_china.parse,
    "taiwan-japan-list": taiwan_japan.parse,
    "tokyo-wards-projects": tokyo_wards.parse,
}
