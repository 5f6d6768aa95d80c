"""Saleor global ids: base64("<Type>:<pk>") (captures README, surprise 4)."""

from __future__ import annotations

import base64
import binascii


def to_global_id(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, str] | None:
    """Return (type, pk), or None when the id is not a well-formed global id."""
    try:
        raw = base64.b64decode(global_id, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, sep, pk = raw.partition(":")
    if not sep or not type_name or not pk:
        return None
    return type_name, pk
