"""Static files: the app's logo, the storefront widget (/storefront/upsell.js) and the built dashboard
extension (an SPA under /dashboard/)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

_NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>saleor-upsell</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem"><h1>Dashboard not built</h1>
<p>Run <code>make run</code> (it builds <code>dashboard_extension/</code>).</p></body></html>"""


WIDGET_PATH = "/storefront/upsell.js"
# Storefronts load the widget on every page: cached briefly, so a new version reaches shoppers quickly.
WIDGET_HEADERS = {"cache-control": "public, max-age=300", "x-content-type-options": "nosniff"}


def mount(app: FastAPI, static_dir: Path) -> None:
    app.mount("/static", StaticFiles(directory=static_dir, check_dir=False), name="static")
    widget = static_dir / "storefront" / "upsell.js"

    @app.get(WIDGET_PATH, include_in_schema=False)
    async def storefront_widget() -> FileResponse:
        return FileResponse(widget, media_type="text/javascript; charset=utf-8", headers=WIDGET_HEADERS)

    dashboard_dir = static_dir / "dashboard"

    @app.get("/dashboard/{path:path}", include_in_schema=False, response_model=None)
    async def dashboard(path: str) -> FileResponse | HTMLResponse:
        # An SPA: real files are served as they are, every other path gets index.html (client routing).
        candidate = (dashboard_dir / path).resolve()
        if path and candidate.is_file() and dashboard_dir.resolve() in candidate.parents:
            return FileResponse(candidate)
        index = dashboard_dir / "index.html"
        if not index.is_file():
            return HTMLResponse(_NOT_BUILT, status_code=503)
        return FileResponse(index)
