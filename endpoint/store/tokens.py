"""SPARQL text as tokens: strings, IRIs, comments, variables and prefixed names the way the grammar reads them.

The one tokeniser of the server: the scanner of :mod:`endpoint.sparql.text` reads
requests with it, and the remote store rewrites queries into pages with it
(:mod:`endpoint.store.paging`), so a brace in a literal or a comment never counts.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w\-.:%\u00b7]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<word>[^\W\d][\w\-]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str):
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, match.group()


def lex(text: str):
    """``(kind, text, offset)`` of each token but spaces and comments, for tools that rewrite SPARQL.

    >>> [token[:2] for token in lex('CLEAR <g> # done')]
    [('word', 'CLEAR'), ('iri', '<g>')]
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, match.group(), match.start()
