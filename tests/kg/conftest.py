"""Fixtures of the kg tests: every mention of the real sources, resolved once per session."""

from __future__ import annotations

import pytest

from kg.resolve.resolver import Resolved, Resolver
from mapping.ingest import ingest


@pytest.fixture(scope="session")
def resolved(settings) -> Resolved:
    """Every resolution of every real source."""
    return Resolver.load(settings.curated).records(ingest(settings.manifest))
