"""What goes into the inbox and what a worker is handed (the inbox's public values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# inbox_events.subject_key ("checkout:<id>"): ingest refuses a longer one at the door.
SUBJECT_KEY_MAX_LENGTH = 200


@dataclass(frozen=True, slots=True)
class NewInboxEvent:
    installation_id: int
    event_type: str
    dedupe_key: str
    subject_key: str
    issued_at: datetime
    payload: str
    received_at: datetime


def distinct_deliveries(events: list[NewInboxEvent]) -> list[NewInboxEvent]:
    """One event per (installation, dedupe key): a delivery repeated within one batch is written once."""
    return list({(e.installation_id, e.dedupe_key): e for e in events}.values())


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    id: int
    installation_id: int
    event_type: str
    subject_key: str
    issued_at: datetime
    payload: str  # the verified body, as Saleor sent it
    attempts: int
    superseded_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class InboxRow:
    id: int
    installation_id: int
    event_type: str
    subject_key: str
    status: str
    attempts: int
    issued_at: datetime
    received_at: datetime
    next_attempt_at: datetime
    last_error: str | None


@dataclass(frozen=True, slots=True)
class InboxDepth:
    """What an operator watches: events waiting, in progress and parked, and the oldest waiting one."""

    pending: int
    processing: int
    parked: int
    oldest_pending_received_at: datetime | None
