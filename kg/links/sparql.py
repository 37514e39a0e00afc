"""The one way ``kg link`` asks a SPARQL endpoint: SPARQLWrapper, form-encoded POST, JSON by ``Accept``.

Form posts are what every store answers (Virtuoso hangs on ``application/sparql-query``
bodies); results are read in pages of ``page`` rows, ordered, so a store's silent
row cap cannot cut a table short.
"""

from __future__ import annotations

from collections.abc import Iterator

from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from mapping.errors import InputError

AGENT = "jp-lg-partnerships (kg link)"


def select(endpoint: str, query: str, *, what: str, timeout: float = 60.0, page: int = 5000) -> Iterator[dict[str, str]]:
    """Rows of a SELECT whose text ends with ``ORDER BY``: each a dict of the bound variables' values.

    ``query`` is completed page by page with ``LIMIT``/``OFFSET`` until a page comes back short.
    Any failure is one line naming the endpoint and what was asked.
    """
    client = SPARQLWrapper(endpoint, agent=AGENT)
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    offset = 0
    while True:
        client.setQuery(f"{query}\nLIMIT {page} OFFSET {offset}")
        try:
            bindings = client.queryAndConvert()["results"]["bindings"]
        except (SPARQLWrapperException, OSError, ValueError, KeyError, TypeError) as error:
            message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise InputError(f"{endpoint}: the SPARQL query for {what} failed: {message}") from None
        for binding in bindings:
            yield {name: value["value"] for name, value in binding.items()}
        if len(bindings) < page:
            return
        offset += page
