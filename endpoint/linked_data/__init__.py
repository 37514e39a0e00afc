"""Linked Data: every IRI under the base (``/id/…``, ``/def/…``) resolves to its description.

:mod:`~endpoint.linked_data.descriptions` gathers what is said about a resource;
:mod:`~endpoint.linked_data.resources` answers at its IRI in the negotiated format.
"""
