"""The stores the server answers from: pyoxigraph in memory or a remote SPARQL endpoint.

:mod:`~endpoint.store.backends` gives both one interface (query, update,
triple count); :mod:`~endpoint.store.publish` loads a dump into a store by the
Graph Store HTTP Protocol.
"""
