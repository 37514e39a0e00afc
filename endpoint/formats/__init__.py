"""Formats: what a response can be written in, and how one is chosen.

Owns the one table of media types (:mod:`endpoint.formats.media`, built on
pyoxigraph's ``RdfFormat`` and ``QueryResultsFormat``), the one negotiation
policy every response follows (:mod:`endpoint.formats.negotiation`: a suffix,
else ``format=``, else ``Accept``; ``Vary: Accept`` when negotiated; 404 for an
unknown suffix, 406 when nothing offered is acceptable), the renderers keyed by
format (:mod:`endpoint.formats.renderers`) and the writers of triples
(:mod:`endpoint.formats.graphs`) and of SPARQL results (:mod:`endpoint.formats.results`).
"""
