"""Conformance to the W3C SPARQL 1.1 Protocol: the suite, its runner and the EARL report.

The suite's manifest and data (``sparql11-protocol/``, from w3c/rdf-tests) ship
as package data; :mod:`~endpoint.conformance.suite` replays it against this
server and :mod:`~endpoint.conformance.earl` writes and serves the report.
"""
