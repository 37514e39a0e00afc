"""The web side of the graph: SPARQL 1.1 Protocol, Linked Data, pages for people and downloads.

``create_app(settings)`` in :mod:`endpoint.app` builds the ASGI application;
the commands that start it (``kg serve``, ``kg publish``, ``kg conformance``)
live above, in :mod:`cli`. Nothing heavy happens at import: the store is
opened when the app starts.

Feature packages, each importing only those listed after it (a layers
contract in ``pyproject.toml`` holds this):

- :mod:`endpoint.conformance`: the W3C protocol suite, its runner and the EARL report;
- :mod:`endpoint.catalog`: downloads of ``dist/``, the DCAT catalog and VoID;
- :mod:`endpoint.sparql`: the SPARQL 1.1 Protocol, queries and updates;
- :mod:`endpoint.linked_data`: descriptions of resources, resolved at their IRIs;
- :mod:`endpoint.pages`: pages for people (views, templates, maps, API docs);
- :mod:`endpoint.formats`: media types, the one negotiation policy, renderers by format;
- :mod:`endpoint.store`: the stores served from (embedded, remote) and publishing to one.

Beside them: :mod:`endpoint.app` (the wiring), :mod:`endpoint.deps` (typed
dependencies), :mod:`endpoint.errors` (problems as answers), :mod:`endpoint.runner`
(store work under a time limit) and :mod:`endpoint.settings` (the server's settings).
"""
