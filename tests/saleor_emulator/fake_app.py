"""A minimal recording app for the emulator's own tests: serves a manifest, accepts the token and
records every webhook request exactly as received."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CAPTURES = Path(__file__).resolve().parents[3] / "shared" / "saleor" / "captures"


def capture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CAPTURES / name).read_text())
    return data


def capture_webhooks() -> list[dict[str, Any]]:
    """The seven subscription queries used for the captures."""
    hooks: list[dict[str, Any]] = capture("subscription-queries.json")["webhooks"]
    return hooks


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeApp:
    identifier: str = "fake.local.app"
    permissions: list[str] = field(
        default_factory=lambda: ["HANDLE_CHECKOUTS", "MANAGE_CHECKOUTS", "MANAGE_ORDERS", "MANAGE_PRODUCTS"]
    )
    register_status: int = 200
    webhook_statuses: list[int] = field(default_factory=list)  # consumed per request; then 200
    base_url: str = ""
    token: str | None = None
    register_headers: dict[str, str] = field(default_factory=dict)
    register_body: bytes = b""
    manifest_headers: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    extra_manifest: dict[str, Any] = field(default_factory=dict)
    hooks: list[dict[str, Any]] | None = None  # default: the seven of subscription-queries.json

    def manifest(self) -> dict[str, Any]:
        hooks = [
            {
                "name": h["name"],
                "asyncEvents": h["asyncEvents"],
                "query": h["query"],
                "targetUrl": f"{self.base_url}{h['targetPath']}",
                "isActive": True,
            }
            for h in (self.hooks if self.hooks is not None else capture_webhooks())
        ]
        return {
            "id": self.identifier,
            "version": "0.0.1",
            "name": "Fake Local App",
            "permissions": self.permissions,
            "appUrl": f"{self.base_url}/app",
            "tokenTargetUrl": f"{self.base_url}/api/register",
            "webhooks": hooks,
            **self.extra_manifest,
        }

    def events(self, event: str) -> list[Received]:
        return [r for r in self.received if r.headers.get("saleor-event") == event]

    def asgi(self) -> Starlette:
        async def manifest(request: Request) -> Response:
            self.manifest_headers = dict(request.headers)
            return JSONResponse(self.manifest())

        async def register(request: Request) -> Response:
            self.register_headers = dict(request.headers)
            self.register_body = await request.body()
            if self.register_status != 200:
                return JSONResponse(
                    {"success": False, "error": {"code": "NOPE", "message": "refused"}},
                    status_code=self.register_status,
                )
            self.token = json.loads(self.register_body)["auth_token"]
            return JSONResponse({"success": True})

        async def webhook(request: Request) -> Response:
            self.received.append(Received(request.url.path, dict(request.headers), await request.body()))
            status = self.webhook_statuses.pop(0) if self.webhook_statuses else 200
            if 300 <= status < 400:
                return Response(status_code=status, headers={"location": f"{self.base_url}/elsewhere"})
            return Response('{"ok": true}', status_code=status, media_type="application/json")

        return Starlette(
            routes=[
                Route("/api/manifest", manifest, methods=["GET"]),
                Route("/api/register", register, methods=["POST"]),
                Route("/api/webhooks/{event}", webhook, methods=["POST"]),
                Route("/elsewhere", webhook, methods=["POST"]),
            ]
        )
