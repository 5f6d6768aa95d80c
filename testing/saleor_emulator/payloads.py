"""Webhook bodies built by executing the webhook's own subscription query (as Saleor does), with the
receiving app as requestor (PROTOCOL §3.5; captures README surprise 1)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graphql import DocumentNode, OperationDefinitionNode, execute, parse

from .auth import RequestContext, Requestor
from .executor import format_error
from .principals import App
from .schema import saleor_schema

if TYPE_CHECKING:
    from .emulator import SaleorEmulator

SALEOR_VERSION = "3.23.28"


def graphql_event_type(event_type: str) -> str:
    """CHECKOUT_UPDATED -> CheckoutUpdated (the Event implementation)."""
    return "".join(part.capitalize() for part in event_type.split("_"))


def subject_field(event_type: str) -> str:
    if event_type.startswith("CHECKOUT_"):
        return "checkout"
    if event_type.startswith(("ORDER_", "DRAFT_ORDER_")):
        return "order"
    if event_type.startswith("VOUCHER_"):
        return "voucher"
    return "app"


def required_permission(event_type: str) -> str | None:
    """Apps need the event's permission to receive it (PROTOCOL §3.4); app lifecycle: self-only."""
    if event_type.startswith("CHECKOUT_"):
        return "MANAGE_CHECKOUTS"
    if event_type.startswith(("ORDER_", "DRAFT_ORDER_")):
        return "MANAGE_ORDERS"
    if event_type.startswith("VOUCHER_"):
        return "MANAGE_DISCOUNTS"
    return None


def build_body(
    emu: SaleorEmulator,
    query: str,
    event_type: str,
    subject: Any,
    principal: Requestor,
    recipient: App,
    issued_at: datetime,
) -> bytes:
    """The exact bytes Saleor would POST: `json.dumps` with Python defaults (captures README)."""
    event = {
        "__typename": graphql_event_type(event_type),
        "issuedAt": issued_at.isoformat(),
        "version": SALEOR_VERSION,
        "issuingPrincipal": principal,
        "recipient": recipient,
        subject_field(event_type): subject,
    }
    document = _parsed(query)
    camel = event_type.lower().split("_")
    root = {"event": event, camel[0] + "".join(p.capitalize() for p in camel[1:]): event}
    ctx = RequestContext(emu=emu, requestor=recipient, for_webhook=True)
    result = execute(saleor_schema(), document, root_value=root, context_value=ctx)
    data = result.data or {}
    if _root_field(document) == "event":
        body: dict[str, Any] = dict(data.get("event") or {})
    else:
        body = {"data": data}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    return json.dumps(body).encode()


@lru_cache(maxsize=256)
def _parsed(query: str) -> DocumentNode:
    """A webhook's subscription query never changes after install: parse it once."""
    return parse(query)


def _root_field(document: Any) -> str | None:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            selection = definition.selection_set.selections[0]
            return getattr(getattr(selection, "name", None), "value", None)
    return None
