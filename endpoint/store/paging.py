"""A CONSTRUCT query read in pages, for stores that cut long answers (Virtuoso's ``ResultSetMaxRows``).

Virtuoso answers at most ``ResultSetMaxRows`` triples to a CONSTRUCT, and says
nothing of the cut. :func:`pages_of` rewrites ``CONSTRUCT {T} WHERE {P}`` into
pages that each stay under the limit::

    CONSTRUCT {T} WHERE { { SELECT * WHERE {P} ORDER BY ?a ?b … } } LIMIT n OFFSET k

The solutions are ordered in a sub-select, by the query's own ``ORDER BY`` and
then every other variable of ``P`` (a total order), so the pages follow one order and together
hold every solution; Virtuoso sorts a sub-select of any length, where a sorted
``LIMIT``/``OFFSET`` of the query itself is refused past its ``MaxSortedTopRows``.
A page asks for at most ``n`` solutions, and each gives at most as many triples
as the template holds, so ``n`` is chosen to keep a page below the row limit.
How many solutions there are is asked first (``SELECT (COUNT(*) …)``).

A query this cannot page keeps its answer cut, and the caller says so: a
``DESCRIBE`` (the store picks the triples), a query with its own ``LIMIT``,
``OFFSET``, ``GROUP BY``, ``HAVING`` or trailing ``VALUES``, or a template with
blank nodes (each page would mint its own).

>>> paged = pages_of("PREFIX ex: <http://ex.org/> CONSTRUCT { ?s ex:p ?o ; ex:q ?o } WHERE { ?s ex:p ?o } ORDER BY ?o")
>>> paged.template_triples
2
>>> print(paged.page(100, 200))
PREFIX ex: <http://ex.org/> CONSTRUCT { ?s ex:p ?o ; ex:q ?o } WHERE { { SELECT * WHERE { ?s ex:p ?o } ORDER BY ?o ?s } } LIMIT 100 OFFSET 200
>>> print(pages_of("CONSTRUCT WHERE { ?s ?p ?o }").page(10, 0))
CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o } } LIMIT 10 OFFSET 0
>>> print(pages_of("CONSTRUCT FROM <http://g/> WHERE { ?s ?p ?o }").count())
SELECT (COUNT(*) AS ?solutions) FROM <http://g/> WHERE { ?s ?p ?o }
>>> pages_of("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5") is None, pages_of("DESCRIBE <http://ex.org/a>") is None
(True, True)
>>> pages_of("CONSTRUCT { [] ?p ?o } WHERE { ?s ?p ?o }") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

from endpoint.store.tokens import lex

_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_UNPAGEABLE = frozenset({"LIMIT", "OFFSET", "GROUP", "HAVING", "VALUES"})
_SEPARATORS = frozenset(".;,[")


@dataclass(frozen=True, slots=True)
class PagedConstruct:
    """A CONSTRUCT query taken apart: its prologue, template, dataset, pattern and order."""

    prologue: str
    template: str
    dataset: str
    pattern: str
    order: str
    template_triples: int
    """At most this many triples come of one solution."""

    def page(self, limit: int, offset: int) -> str:
        """The query for ``limit`` solutions from ``offset`` in the order of the pages."""
        select = f"SELECT * WHERE {self.pattern}{' ' + self.order if self.order else ''}"
        dataset = f" {self.dataset}" if self.dataset else ""
        return (f"{self.prologue}CONSTRUCT {{ {self.template} }}{dataset} WHERE {{ {{ {select} }} }} "
                f"LIMIT {limit} OFFSET {offset}")

    def count(self) -> str:
        """The query for how many solutions the pattern has."""
        dataset = f" {self.dataset}" if self.dataset else ""
        return f"{self.prologue}SELECT (COUNT(*) AS ?solutions){dataset} WHERE {self.pattern}"


def _group_end(tokens: list[tuple], start: int) -> int | None:
    """The index of the brace closing the group opened at ``tokens[start]``."""
    depth = 0
    for index in range(start, len(tokens)):
        kind, value, _ = tokens[index]
        if kind == "other" and value == "{":
            depth += 1
        elif kind == "other" and value == "}":
            depth -= 1
            if depth == 0:
                return index
    return None


def pages_of(text: str) -> PagedConstruct | None:
    """``text`` as a CONSTRUCT that can be read in pages, or None when it is not one (see the module)."""
    tokens = list(lex(text))
    form = next((i for i, (kind, value, _) in enumerate(tokens) if kind == "word" and value.upper() in _FORMS), None)
    if form is None or tokens[form][1].upper() != "CONSTRUCT":
        return None
    position = form + 1
    template_span = None
    if position < len(tokens) and tokens[position][1] == "{":
        end = _group_end(tokens, position)
        if end is None:
            return None
        template_span, position = (position, end), end + 1
    dataset_start = position
    while position < len(tokens) and tokens[position][0] == "word" and tokens[position][1].upper() in ("FROM", "NAMED"):
        position += 1
        if position < len(tokens) and tokens[position][0] in ("iri", "pname"):
            position += 1
    dataset_end = position
    if position < len(tokens) and tokens[position][0] == "word" and tokens[position][1].upper() == "WHERE":
        position += 1
    if position >= len(tokens) or tokens[position][1] != "{":
        return None
    pattern_end = _group_end(tokens, position)
    if pattern_end is None:
        return None
    pattern_span = (position, pattern_end)
    modifiers = tokens[pattern_end + 1:]
    if any(kind == "word" and value.upper() in _UNPAGEABLE for kind, value, _ in modifiers):
        return None
    if template_span is None:  # CONSTRUCT WHERE { … }: the pattern is the template
        template_span = pattern_span
    inside = tokens[template_span[0] + 1:template_span[1]]
    if any(value.startswith("_:") or value == "[" or value == "(" for _, value, _ in inside):
        return None

    def source(first: int, last: int) -> str:
        return text[tokens[first][2]:tokens[last][2] + len(tokens[last][1])]

    template = source(template_span[0] + 1, template_span[1] - 1) if len(inside) else ""
    dataset = source(dataset_start, dataset_end - 1) if dataset_end > dataset_start else ""
    pattern = source(*pattern_span)
    # The pages need one total order: the query's own ORDER BY, then every other variable of the
    # pattern to break its ties (rows equal under the query's order may come in any order per page).
    variables = dict.fromkeys(value for kind, value, _ in tokens[pattern_span[0]:pattern_span[1]] if kind == "var")
    own = text[modifiers[0][2]:].strip() if modifiers else ""
    ordered = {value for kind, value, _ in modifiers if kind == "var"}
    rest = " ".join(variable for variable in variables if variable not in ordered)
    order = f"{own} {rest}".strip() if own else (f"ORDER BY {rest}" if rest else "")
    triples = 1 + sum(1 for kind, value, _ in inside if kind == "other" and value in _SEPARATORS)
    return PagedConstruct(text[:tokens[form][2]], template.strip(), dataset, pattern, order, triples)
