"""The result cap, for every results format: exact, whatever the literals hold."""

from __future__ import annotations

import pytest
from pyoxigraph import QueryResultsFormat, QuerySolutions, Store, parse_query_results

from endpoint.formats.media import CSV, JSON, RESULTS, TSV, XML
from endpoint.formats.results import write_capped, write_solutions

NATIVE = {JSON: QueryResultsFormat.JSON, XML: QueryResultsFormat.XML, CSV: QueryResultsFormat.CSV, TSV: QueryResultsFormat.TSV}
# Literals that look like row marks of one format or another.
TRICKY = 'SELECT ?x ?y WHERE { VALUES (?x ?y) { ("a},{b" 1) ("line\\nbreak" "<result>") ("c\\r\\nd" "},{\\"e") (<http://e.org/x> "\\t") } }'


def rows_of(body: bytes, fmt) -> list:
    if fmt is CSV:  # pyoxigraph reads no CSV; count the records instead
        import csv
        import io

        return list(csv.reader(io.StringIO(body.decode(), newline="")))[1:]
    results = parse_query_results(body, NATIVE[fmt])
    assert isinstance(results, QuerySolutions)
    return [tuple(row) for row in results]


@pytest.mark.parametrize("fmt", RESULTS)
@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 100])
def test_cap_is_exact(fmt, limit):
    store = Store()
    answer = write_solutions(store.query(TRICKY), fmt, limit=limit, rerun=lambda: store.query(TRICKY))
    assert len(rows_of(answer.body, fmt)) == min(limit, 4)
    assert answer.truncated is (limit < 4)


@pytest.mark.parametrize("fmt", [JSON, XML, TSV])
def test_both_paths_say_the_same(fmt):
    store = Store()
    fast = write_solutions(store.query(TRICKY), fmt, limit=100)
    slow = write_capped(store.query(TRICKY), fmt, limit=100)
    assert rows_of(fast.body, fmt) == rows_of(slow.body, fmt)
