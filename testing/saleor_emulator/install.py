"""The app install handshake (PROTOCOL §2; captures register-manifest-fetch.json, register.json,
README surprises 25-26): GET manifest, validate, create App + token + webhooks, POST the token."""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import httpx

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, validate

from .principals import PERMISSION_NAMES, App, Webhook
from .schema import saleor_schema

if TYPE_CHECKING:
    from .emulator import SaleorEmulator

_TOKEN_ALPHABET = string.ascii_letters + string.digits


class InstallError(Exception):
    def __init__(self, code: str, message: str, body: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.body = code, message, body


@dataclass(frozen=True)
class InstalledApp:
    id: str
    token: str
    identifier: str
    name: str
    permissions: tuple[str, ...]
    app: App


def _base_headers(url: str) -> dict[str, str]:
    return {
        "User-Agent": "Saleor/3.23",
        "Accept-Encoding": "gzip, deflate",
        "Accept": "*/*",
        "Connection": "keep-alive",
    }


def new_app_token() -> str:
    """30 random characters, the length Saleor uses to tell app tokens from JWTs."""
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(30))


def validate_subscription(query: str) -> None:
    try:
        document = parse(query)
    except GraphQLError as exc:
        raise InstallError("INVALID", f"Subscription query is not valid: {exc.message}") from exc
    errors = validate(saleor_schema(), document)
    if errors:
        raise InstallError("INVALID", f"Subscription query is not valid: {errors[0].message}")
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(ops) != 1 or ops[0].operation != OperationType.SUBSCRIPTION:
        raise InstallError("INVALID", "Subscription query is not valid: expected one subscription operation")


def validate_manifest(manifest: Any, permissions: list[str]) -> None:
    if not isinstance(manifest, dict):
        raise InstallError("INVALID", "The manifest is not a JSON object.")
    for key in ("id", "name", "version", "tokenTargetUrl"):
        if not manifest.get(key):
            raise InstallError("REQUIRED", f"Field required: {key}")
    for perm in permissions:
        if perm not in PERMISSION_NAMES:
            raise InstallError("INVALID_PERMISSION", f"Given permission don't exist: {perm}")
        if perm == "MANAGE_APPS":
            raise InstallError("OUT_OF_SCOPE_PERMISSION", "Apps cannot request the MANAGE_APPS permission.")
    async_enum = saleor_schema().type_map["WebhookEventTypeAsyncEnum"].values  # type: ignore[attr-defined]
    sync_enum = saleor_schema().type_map["WebhookEventTypeSyncEnum"].values  # type: ignore[attr-defined]
    for hook in manifest.get("webhooks") or []:
        for key in ("name", "targetUrl", "query"):
            if not hook.get(key):
                raise InstallError("REQUIRED", f"Webhook field required: {key}")
        events = list(hook.get("asyncEvents") or []) + list(hook.get("syncEvents") or [])
        if not events:
            raise InstallError("INVALID", f"Webhook {hook['name']!r} has no events.")
        for event in hook.get("asyncEvents") or []:
            if event not in async_enum:
                raise InstallError("INVALID", f"Unknown async event: {event}")
        for event in hook.get("syncEvents") or []:
            if event not in sync_enum:
                raise InstallError("INVALID", f"Unknown sync event: {event}")
        validate_subscription(hook["query"])


async def install_app(
    emu: SaleorEmulator, manifest_url: str, permissions: list[str] | None = None, *, activate: bool = True
) -> InstalledApp:
    client = emu.http
    headers = {
        **_base_headers(manifest_url),
        "Saleor-Schema-Version": "3.23",
        "Host": urlsplit(manifest_url).hostname or "",
    }
    try:
        response = await client.get(manifest_url, headers=headers, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise InstallError("MANIFEST_URL_CANT_CONNECT", f"Can't connect to {manifest_url}: {exc!r}") from exc
    if response.status_code != 200:
        raise InstallError(
            "MANIFEST_URL_CANT_CONNECT", f"Manifest fetch answered {response.status_code}", response.text
        )
    try:
        manifest = response.json()
    except ValueError as exc:
        raise InstallError(
            "INVALID_MANIFEST_FORMAT", "Incorrect structure of manifest.", response.text
        ) from exc
    granted = list(permissions) if permissions is not None else list(manifest.get("permissions") or [])
    validate_manifest(manifest, granted)
    if any(a.identifier == manifest["id"] and not a.removed for a in emu.state.apps.values()):
        raise InstallError("UNIQUE", "App with the same identifier is already installed")

    app = App(
        pk=next(emu.state.app_pks),
        identifier=manifest["id"],
        name=manifest["name"],
        permission_codes=granted,
        token=new_app_token(),
        version=manifest.get("version"),
        about=manifest.get("about"),
        app_url=manifest.get("appUrl"),
        manifest_url=manifest_url,
        is_active=activate,
    )
    for hook in manifest.get("webhooks") or []:
        app.webhook_list.append(
            Webhook(
                pk=next(emu.state.webhook_pks),
                app=app,
                name=hook["name"],
                target_url=urljoin(manifest_url, hook["targetUrl"]),
                query=hook["query"],
                async_events=list(hook.get("asyncEvents") or []),
                sync_events=list(hook.get("syncEvents") or []),
                is_active=hook.get("isActive", True) is not False,
                custom_headers=dict(hook.get("customHeaders") or {}),
            )
        )
    emu.state.apps[app.pk] = app

    token_url = urljoin(manifest_url, manifest["tokenTargetUrl"])
    domain = urlsplit(emu.api_url).netloc
    register_headers = {
        **_base_headers(token_url),
        "Content-Type": "application/json",
        "X-Saleor-Domain": domain,
        "Saleor-Domain": domain,
        "Saleor-Api-Url": emu.api_url,
        "Saleor-Schema-Version": "3.23",
        "Host": urlsplit(token_url).hostname or "",
    }
    body = json.dumps({"auth_token": app.token}).encode()
    try:
        reply = await client.post(token_url, content=body, headers=register_headers, follow_redirects=False)
    except httpx.HTTPError as exc:
        del emu.state.apps[app.pk]
        raise InstallError("INSTALLATION_FAILED", f"Can't connect to {token_url}: {exc!r}") from exc
    if not 200 <= reply.status_code < 300:
        del emu.state.apps[app.pk]
        raise InstallError("INSTALLATION_FAILED", _app_message(reply), reply.text)
    emu.send_event("APP_INSTALLED", app, principal=None, self_only=True)
    return InstalledApp(app.id, app.token, app.identifier, app.name, tuple(granted), app)


def _app_message(reply: httpx.Response) -> str:
    """Saleor shows `error.message` from the app's JSON reply, else a generic text."""
    try:
        message = reply.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"App internal error ({reply.status_code}). Try later or contact with app support."
    return str(message)
