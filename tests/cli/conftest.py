"""Fixtures of the command tests: the small built folder the endpoint's tests use too."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))

from endpoint_data import write_dist  # noqa: E402


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """A built folder as ``kg build`` leaves it, small."""
    return write_dist(tmp_path_factory.mktemp("dist"))
