"""Fixtures shared by the whole suite: one build of the vendored sources per session."""

from __future__ import annotations

import os
import shutil

import pytest

from kg.build import Build, build
from kg.config import Settings


def require_tool(name: str) -> str:
    """Path of a system tool, or skip; in CI (KG_TEST_REQUIRE_TOOLS=1) a missing tool fails."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("KG_TEST_REQUIRE_TOOLS"):
        pytest.fail(f"{name} is required in CI but not installed")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return Settings(dist=tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def built(settings) -> Build:
    """The vendored sources built once into a temporary dist/."""
    result = build(settings)
    assert result.ok, result.validation.violations[:5]
    return result
