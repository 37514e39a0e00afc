"""The API docs, without any remote asset (the home page is in :mod:`endpoint.pages.routes`).

FastAPI's own ``/docs`` loads Swagger UI from a CDN; here its files come from
the ``swagger-ui-bundle-v2`` package (module ``swagger_ui_bundle``, Swagger UI 5,
which reads OpenAPI 3.1) and are served under ``/static/swagger/``. If the
package is missing, ``/docs`` says so instead of loading a blank page.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse

from endpoint.problem import Problem

router = APIRouter(include_in_schema=False)

SWAGGER_PREFIX = "/static/swagger"


def swagger_files() -> Path | None:
    """The folder of Swagger UI's files, from the installed bundle package."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    path = Path(str(swagger_ui_bundle.swagger_ui_path))
    return path if (path / "swagger-ui-bundle.js").is_file() else None


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    if swagger_files() is None:
        raise Problem(503, "API docs need the swagger-ui-bundle-v2 package; the API itself is at /openapi.json")
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title="自治体間連携 Linked Data – API",
        swagger_js_url=f"{SWAGGER_PREFIX}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER_PREFIX}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER_PREFIX}/favicon-32x32.png",
        oauth2_redirect_url="/docs/oauth2-redirect",
    )
    # The data's licence and citation, as on every other page.
    footer = request.app.state.pages.render("_credit.html")
    return HTMLResponse(page.body.decode("utf-8").replace("</body>", footer + "</body>", 1))


@router.get("/docs/oauth2-redirect")
async def oauth2_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()
