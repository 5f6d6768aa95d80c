"""Saleor-facing routes: manifest, register, webhooks. Thin: verify, hand over, map errors to statuses."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.routing import Route

from ..inbox.repository import NewInboxEvent
from ..saleor.errors import ProtocolError
from ..saleor.manifest import build_manifest
from ..saleor.register import register_installation
from ..saleor.webhook_validation import verify_webhook
from ..services import Services
from ..webhooks.definitions import WEBHOOKS, WebhookDefinition

log = logging.getLogger("saleor_upsell.webhooks")


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _is_own_event(payload: dict[str, Any], app_id: str) -> bool:
    principal = payload.get("issuingPrincipal") or {}
    return principal.get("__typename") == "App" and principal.get("id") == app_id


def _issued_at(payload: dict[str, Any], fallback: datetime) -> datetime:
    try:
        return datetime.fromisoformat(str(payload["issuedAt"]))
    except (KeyError, ValueError):
        return fallback


def build_protocol_router() -> APIRouter:
    router = APIRouter()

    @router.get("/api/manifest")
    async def manifest(request: Request) -> dict[str, Any]:
        # Built from APP_URL, never from the Host header (Saleor sends it without the port).
        return build_manifest(_services(request).settings.app_url)

    @router.post("/api/register")
    async def register(request: Request) -> JSONResponse:
        services = _services(request)
        try:
            await register_installation(
                headers=request.headers,
                body=await request.body(),
                allowed_saleor_urls=services.settings.allowed_saleor_url_pattern,
                http=services.http,
                installations=services.installations,
                timeout_seconds=services.settings.saleor_timeout_seconds,
                now=services.clock(),
            )
        except ProtocolError as exc:
            log.warning("register refused", extra={"code": exc.code, "reason": exc.message})
            return JSONResponse(exc.as_body(), status_code=exc.status_code)
        return JSONResponse({"success": True})

    for webhook in WEBHOOKS:
        # A plain Starlette route: the hot path needs no FastAPI parameter solving or validation.
        router.routes.append(
            Route(webhook.path, _webhook_endpoint(webhook), methods=["POST"], name=webhook.event)
        )
    return router


def _webhook_endpoint(webhook: WebhookDefinition) -> Any:
    async def receive(request: Request) -> JSONResponse:
        services = _services(request)
        api_url = request.headers.get("saleor-api-url")
        context = {"saleor_api_url": api_url, "event": webhook.event}
        try:
            verified = await verify_webhook(
                headers=request.headers,
                body=await request.body(),
                expected_event=webhook.header_event,
                lookup=services.installations.get,
                refresh_jwks=services.refresh_jwks,
                limiter=services.jwks_limiter,
            )
        except ProtocolError as exc:
            log.warning("webhook refused", extra={**context, "code": exc.code, "reason": exc.message})
            return JSONResponse(exc.as_body(), status_code=exc.status_code)
        except (OperationalError, DBAPIError) as exc:
            log.error("database unavailable while verifying webhook", extra={**context, "error": str(exc)})
            return JSONResponse({"success": False, "error": {"code": "UNAVAILABLE"}}, status_code=503)

        if _is_own_event(verified.payload, verified.installation.app_id):
            # Our own mutations come back as webhooks; acting on them would loop.
            log.debug("own event ignored", extra=context)
            return JSONResponse({"success": True, "ignored": "own event"})

        now = services.clock()
        try:
            stored = await services.inbox_writer.store(
                NewInboxEvent(
                    installation_id=verified.installation.id,
                    event_type=webhook.event,
                    dedupe_key=hashlib.sha256(verified.raw_body).hexdigest(),
                    subject_key=webhook.subject(verified.payload),
                    issued_at=_issued_at(verified.payload, now),
                    payload=verified.raw_body.decode(),
                    received_at=now,
                )
            )
        except (OperationalError, DBAPIError, OSError) as exc:
            # 503: Saleor retries 5xx, so the event is not lost while the database is away.
            log.error("inbox write failed", extra={**context, "error": str(exc)})
            return JSONResponse({"success": False, "error": {"code": "UNAVAILABLE"}}, status_code=503)
        services.wake_workers()
        log.info("webhook accepted" if stored else "duplicate webhook ignored", extra=context)
        return JSONResponse({"success": True, "duplicate": not stored})

    receive.__name__ = f"webhook_{webhook.event.lower()}"
    return receive
