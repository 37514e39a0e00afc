"""The web side of the graph: SPARQL 1.1 Protocol, Linked Data pages and downloads.

``create_app(settings)`` in :mod:`endpoint.app` builds the ASGI application;
:mod:`endpoint.commands` holds the ``kg serve``, ``kg publish`` and ``kg conformance`` commands.
Nothing heavy happens at import: the store is opened when the app starts.
"""
