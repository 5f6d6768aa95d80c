"""Timestamps as Saleor serialises them."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat()  # "+00:00", microseconds, like the captures
