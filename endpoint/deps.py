"""Typed dependencies the routers share: settings, store, query runner, pages.

Everything lives on ``app.state``, set by the app's lifespan, so tests can build
an app around any settings and store. The getters are ``async`` because FastAPI
runs plain functions in its thread pool: a thread hop per dependency per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from endpoint.runner import Runner
from endpoint.settings import ServeSettings
from endpoint.store.backends import Backend

if TYPE_CHECKING:  # the pages sit above: their routes take these dependencies
    from endpoint.pages.render import Pages


async def get_settings(request: Request) -> ServeSettings:
    return request.app.state.settings


async def get_backend(request: Request) -> Backend:
    return request.app.state.backend


async def get_runner(request: Request) -> Runner:
    return request.app.state.runner


async def get_pages(request: Request) -> Pages:
    return request.app.state.pages


async def get_prefixes(request: Request) -> dict[str, str]:
    return request.app.state.prefixes


SettingsDep = Annotated[ServeSettings, Depends(get_settings)]
BackendDep = Annotated[Backend, Depends(get_backend)]
RunnerDep = Annotated[Runner, Depends(get_runner)]
PagesDep = Annotated["Pages", Depends(get_pages)]
PrefixesDep = Annotated[dict[str, str], Depends(get_prefixes)]
