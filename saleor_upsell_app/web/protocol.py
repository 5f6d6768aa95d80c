"""Saleor-facing routes: manifest, register, webhooks. Thin: verify, hand over to the inbox, and map
errors to statuses (here, in one place: an AppError answers its status with its code)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.routing import Route

from ..inbox.types import NewInboxEvent
from ..inbox.writer import InboxWriter
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import DATABASE_ERRORS, DATABASE_UNAVAILABLE
from ..kit.metrics import WEBHOOKS_RECEIVED, WEBHOOKS_REFUSED
from ..saleor.client import SaleorClientFactory
from ..saleor.errors import ProtocolError
from ..saleor.jwks import KeySets
from ..saleor.manifest import build_manifest
from ..saleor.register import register_installation
from ..saleor.results import WebhookEvent
from ..saleor.webhook_validation import verify_webhook
from ..settings import Settings
from ..webhooks import Webhook
from .envelope import read_envelope
from .limits import read_capped

log = logging.getLogger("saleor_upsell.webhooks")


@dataclass(frozen=True, slots=True)
class ProtocolParts:
    """What the Saleor-facing routes use (built once by main.py)."""

    settings: Settings
    webhooks: Sequence[Webhook]
    installations: InstallationStore
    keys: KeySets
    http: httpx.AsyncClient
    saleor: SaleorClientFactory
    inbox: InboxWriter
    wake_workers: Callable[[], None]
    clock: Clock


def _is_own_event(envelope: WebhookEvent, app_id: str) -> bool:
    principal = envelope.issuing_principal
    return principal is not None and principal.typename == "App" and principal.id == app_id


def _refused(error: ProtocolError) -> JSONResponse:
    return JSONResponse(error.as_body(), status_code=error.status)


def _failed(event: str, code: str, status: int) -> JSONResponse:
    WEBHOOKS_REFUSED.labels(event, code, str(status)).inc()
    return JSONResponse({"success": False, "error": {"code": code}}, status_code=status)


def build_protocol_router(parts: ProtocolParts) -> APIRouter:
    router = APIRouter()
    settings = parts.settings

    @router.get("/api/manifest")
    async def manifest(request: Request) -> dict[str, Any]:
        # Built from APP_URL, never from the Host header (Saleor sends it without the port).
        return build_manifest(settings.app_url, parts.webhooks)

    @router.post("/api/register")
    async def register(request: Request) -> JSONResponse:
        try:
            await register_installation(
                headers=request.headers,
                body=await request.body(),
                allowed_saleor_urls=settings.allowed_saleor_url_pattern,
                allow_private_urls=settings.private_saleor_urls_allowed,
                http=parts.http,
                saleor=parts.saleor,
                apl=parts.installations,
                now=parts.clock(),
            )
        except ProtocolError as exc:
            log.warning("register refused", extra={"code": exc.code, "reason": exc.message})
            return _refused(exc)
        return JSONResponse({"success": True})

    for webhook in parts.webhooks:
        # A plain Starlette route: the hot path needs no FastAPI parameter solving or validation.
        router.routes.append(
            Route(webhook.path, _webhook_endpoint(webhook, parts), methods=["POST"], name=webhook.event)
        )
    return router


def _webhook_endpoint(webhook: Webhook, parts: ProtocolParts) -> Any:
    settings = parts.settings

    async def receive(request: Request) -> JSONResponse:
        api_url = request.headers.get("saleor-api-url")
        context = {"saleor_api_url": api_url, "event": webhook.event}
        try:
            verified = await verify_webhook(
                headers=request.headers,
                read_body=lambda: read_capped(request, settings.webhook_max_body_bytes),
                expected_event=webhook.header_event,
                lookup=parts.installations.get,
                refresh_jwks=parts.keys.refresh,
                limiter=parts.keys.limiter,
            )
            envelope = read_envelope(webhook, verified.payload, parts.clock())
        except ProtocolError as exc:
            log.warning("webhook refused", extra={**context, "code": exc.code, "reason": exc.message})
            WEBHOOKS_REFUSED.labels(webhook.event, exc.code, str(exc.status)).inc()
            return _refused(exc)
        except DATABASE_ERRORS as exc:
            log.error("database unavailable while verifying webhook", extra={**context, "error": repr(exc)})
            return _failed(webhook.event, "UNAVAILABLE", 503)

        if _is_own_event(envelope.event, verified.installation.app_id):
            # Our own mutations come back as webhooks; acting on them would loop.
            log.debug("own event ignored", extra=context)
            WEBHOOKS_RECEIVED.labels(webhook.event, "own_event").inc()
            return JSONResponse({"success": True, "ignored": "own event"})

        now = parts.clock()
        try:
            stored = await parts.inbox.store(
                NewInboxEvent(
                    installation_id=verified.installation.id,
                    event_type=webhook.event,
                    dedupe_key=hashlib.sha256(verified.raw_body).hexdigest(),
                    subject_key=envelope.subject_key,
                    issued_at=envelope.issued_at,
                    payload=verified.raw_body.decode(),
                    received_at=now,
                )
            )
        except DATABASE_UNAVAILABLE as exc:
            # 503: Saleor retries 5xx, so the event is not lost while the database is away.
            log.error("inbox write failed", extra={**context, "error": str(exc)})
            return _failed(webhook.event, "UNAVAILABLE", 503)
        except Exception as exc:  # this event alone could not be stored (the others in its commit were)
            log.exception("inbox write failed", extra={**context, "error": repr(exc)})
            return _failed(webhook.event, "NOT_STORED", 500)
        WEBHOOKS_RECEIVED.labels(webhook.event, "stored" if stored else "duplicate").inc()
        parts.wake_workers()
        log.info("webhook accepted" if stored else "duplicate webhook ignored", extra=context)
        return JSONResponse({"success": True, "duplicate": not stored})

    receive.__name__ = f"webhook_{webhook.event.lower()}"
    return receive
