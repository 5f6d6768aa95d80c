"""What ingest reads of a verified webhook body, checked at the door: a body the inbox could not store
or a worker could not order is refused with 400 and a named code, never a 500 (and never stored).

- INVALID_ENVELOPE: `issuingPrincipal` is not an object or null, the subject (`checkout`, `order`) is
  not an object with a string `id` or null, or its id is longer than the inbox stores;
- INVALID_ISSUED_AT: `issuedAt` is not an ISO 8601 timestamp with a UTC offset between 2000 and a
  day after the app's clock (an event from the future would be processed after everything else).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from ..inbox.types import SUBJECT_KEY_MAX_LENGTH
from ..saleor.errors import ProtocolError
from ..saleor.results import WebhookEvent
from ..webhooks import Webhook

EARLIEST_ISSUED_AT = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Envelope:
    event: WebhookEvent
    issued_at: datetime  # aware, UTC
    subject_key: str


def read_envelope(webhook: Webhook, payload: dict[str, Any], now: datetime) -> Envelope:
    try:
        event = webhook.envelope.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        code = "INVALID_ISSUED_AT" if first["loc"][:1] == ("issuedAt",) else "INVALID_ENVELOPE"
        raise ProtocolError(code, f"Body is not a {webhook.event} payload: {where}: {first['msg']}") from exc
    subject_key = webhook.subject(event)
    if len(subject_key) > SUBJECT_KEY_MAX_LENGTH:
        raise ProtocolError("INVALID_ENVELOPE", "The subject's id is too long.")
    return Envelope(event, issued_at(event.issued_at, now), subject_key)


def issued_at(text: str | None, now: datetime) -> datetime:
    """`issuedAt` as aware UTC; ``now`` when Saleor sent none."""
    if text is None:
        return now
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ProtocolError("INVALID_ISSUED_AT", "issuedAt is not an ISO 8601 timestamp.") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ProtocolError("INVALID_ISSUED_AT", "issuedAt has no UTC offset.")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError as exc:
        raise ProtocolError("INVALID_ISSUED_AT", "issuedAt is out of range.") from exc
    if not EARLIEST_ISSUED_AT <= moment <= now + FUTURE_TOLERANCE:
        raise ProtocolError("INVALID_ISSUED_AT", "issuedAt is out of range.")
    return moment
