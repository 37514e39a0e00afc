"""The one scanner of SPARQL text: tokens, ``BASE`` and ``PREFIX``, the query form, ``SERVICE`` targets.

The embedded engine follows ``SERVICE`` to any host, and offers no hook to stop
it, so the protocol layer reads every request before it runs. A scanner rather
than a full parser keeps the check cheap on the hot path: it tokenises strings,
IRIs, comments, variables and prefixed names the way the SPARQL grammar does, so
the word ``SERVICE`` in a literal, an IRI, a comment or a name does not count,
and it resolves each target against ``BASE`` and ``PREFIX`` declarations.

>>> scan('PREFIX ex: <http://example.org/> SELECT * { SERVICE SILENT ex:sparql { ?s ?p ?o } }')
Scan(form='SELECT', services=('http://example.org/sparql',))
>>> scan('SELECT ("SERVICE <http://x/>" AS ?s) {} # SERVICE <http://y/>')
Scan(form='SELECT', services=())
>>> scan('INSERT DATA { <a:s> <a:p> <a:o> }').form
'UPDATE'
>>> host_allowed('https://query.wikidata.org/sparql', ('query.wikidata.org',))
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from endpoint.store.tokens import _tokens, lex  # noqa: F401  (lex is this module's too)

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _iri(token: str) -> str:
    # Oxigraph decodes \u escapes inside IRIs, so the scan must too.
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


@dataclass(frozen=True, slots=True)
class Scan:
    """What the text asks: its form and the IRIs its ``SERVICE`` clauses call."""

    form: str | None
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, ``UPDATE``, or None if unclear."""
    services: tuple[str | None, ...]
    """Each ``SERVICE`` target as an absolute IRI; None for a variable or an unresolved name."""


def resolve_iri(token: str, base: str) -> str:
    """An ``<…>`` token as an absolute IRI, against ``base``."""
    return urljoin(base, _iri(token))


@dataclass(slots=True)
class Prologue:
    """The ``BASE`` and ``PREFIX`` declarations a scan has met, and what names resolve to under them.

    >>> prologue, tokens = Prologue(), list(lex("BASE <http://x/> PREFIX e: <e/> LOAD e:a\\.b"))
    >>> prologue.declare("BASE", tokens, 1), prologue.declare("PREFIX", tokens, 3)
    (2, 5)
    >>> prologue.resolve(tokens[6]), prologue.resolve(("iri", "<y>"))
    ('http://x/e/a.b', 'http://x/y')
    """

    base: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)

    def declare(self, word: str, tokens: Sequence[tuple], position: int) -> int | None:
        """Record the declaration ``word`` (``BASE``, ``PREFIX``) opens before ``tokens[position]``.

        The position after it, or None when the tokens there declare nothing.
        """
        following = tokens[position] if position < len(tokens) else ("", "")
        if word == "BASE" and following[0] == "iri":
            self.base = resolve_iri(following[1], self.base)
            return position + 1
        if word == "PREFIX" and following[0] == "pname" and position + 1 < len(tokens):
            target = tokens[position + 1]
            if target[0] == "iri":
                self.prefixes[following[1].split(":", 1)[0]] = resolve_iri(target[1], self.base)
                return position + 2
        return None

    def resolve(self, token: tuple) -> str | None:
        """An IRI or prefixed-name token as an absolute IRI; None for anything else or an unknown prefix."""
        kind, value = token[0], token[1]
        if kind == "iri":
            return resolve_iri(value, self.base)
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local.rstrip("."))
        return None


def scan(text: str) -> Scan:
    """Read the form and the ``SERVICE`` targets of a query or update."""
    prologue = Prologue()
    form: str | None = None
    services: list[str | None] = []
    tokens = list(_tokens(text))
    position = 0
    while position < len(tokens):
        kind, value = tokens[position]
        position += 1
        if kind != "word":
            continue
        word = value.upper()
        following = tokens[position] if position < len(tokens) else ("", "")
        if word in ("BASE", "PREFIX"):
            position = prologue.declare(word, tokens, position) or position
        elif form is None and word in QUERY_FORMS:
            form = word
        elif form is None and word in UPDATE_WORDS:
            form = "UPDATE"
        elif word == "SERVICE":
            if following[0] == "word" and following[1].upper() == "SILENT":
                position += 1
                following = tokens[position] if position < len(tokens) else ("", "")
            services.append(prologue.resolve(following))
    return Scan(form, tuple(services))


def host_allowed(iri: str | None, allowed: tuple[str, ...]) -> bool:
    """Whether a ``SERVICE`` IRI points at an allowed host (``host`` or ``host:port``)."""
    if not iri or not allowed:
        return False
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    wanted = {entry.lower() for entry in allowed}
    return parts.hostname.lower() in wanted or parts.netloc.lower() in wanted


class TooComplex(ValueError):
    """The text is longer or nests deeper than the server's limits; the message says which."""


_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")
_OPERATORS = frozenset("!|&=<>+-*/^")
_NESTING_WORDS = frozenset({"UNION", "MINUS", "EXISTS", "OPTIONAL", "SELECT"})


def nesting(text: str, stop: int | None = None) -> int:
    """How deep the text's syntax tree can go: brackets, and each operator or ``UNION`` within them.

    A chain of operators builds a tree as deep as it is long, so each one counts
    as a level of its group. ``stop`` ends the count as soon as it passes ``stop``.

    >>> nesting("SELECT * WHERE { ?s ?p ?o }"), nesting("ASK { FILTER(!!true) }")
    (3, 4)
    >>> nesting("SELECT * WHERE " + "{" * 3000 + "}" * 3000, stop=100)
    101
    """
    levels = [0]
    depth = deepest = 0
    for kind, value in _tokens(text):
        if kind == "other":
            if value in _OPEN:
                levels.append(0)
                depth += 1
            elif value in _CLOSE:
                if len(levels) > 1:
                    depth -= 1 + levels.pop()
                continue
            elif value in _OPERATORS:
                levels[-1] += 1
                depth += 1
            else:
                continue
        elif kind == "word" and value.upper() in _NESTING_WORDS:
            levels[-1] += 1
            depth += 1
        else:
            continue
        if depth > deepest:
            deepest = depth
            if stop is not None and deepest > stop:
                break
    return deepest


def check_size(text: str, *, max_length: int, max_depth: int) -> None:
    """Raise :class:`TooComplex` when ``text`` passes the length or nesting limit.

    The engine parses and evaluates by recursion: text nested deep enough
    overflows its stack and ends the process, so no text that nests deeper than
    the limit reaches it.

    >>> check_size("ASK {}", max_length=100, max_depth=10)
    >>> check_size("ASK " + "{" * 20 + "}" * 20, max_length=100, max_depth=10)
    Traceback (most recent call last):
    ...
    endpoint.sparql.text.TooComplex: the query nests deeper than the limit of 10 levels (KG_QUERY_MAX_DEPTH): brackets, operators and UNIONs each count
    """
    length = len(text.encode("utf-8")) if len(text) * 4 > max_length else len(text)
    if length > max_length:
        raise TooComplex(f"the query is {length:,} bytes, more than the limit of {max_length:,} (KG_QUERY_MAX_LENGTH)")
    if nesting(text, stop=max_depth) > max_depth:
        raise TooComplex(
            f"the query nests deeper than the limit of {max_depth} levels (KG_QUERY_MAX_DEPTH):"
            " brackets, operators and UNIONs each count"
        )
