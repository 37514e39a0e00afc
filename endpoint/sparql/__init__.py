"""The SPARQL 1.1 Protocol at ``/sparql`` and ``/update``: requests, queries, updates.

:mod:`~endpoint.sparql.protocol` reads a request, :mod:`~endpoint.sparql.query`
answers queries and describes the service, :mod:`~endpoint.sparql.update` runs
updates when allowed, :mod:`~endpoint.sparql.text` scans query text (BASE,
PREFIX, SERVICE) and :mod:`~endpoint.sparql.fastpath` answers protocol requests
ahead of FastAPI's layers with the same functions.
"""
