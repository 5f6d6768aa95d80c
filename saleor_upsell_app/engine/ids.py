"""Saleor global ids: base64 of ``"<Type>:<pk>"`` (``UHJvZHVjdFZhcmlhbnQ6MzQ4`` is ``ProductVariant:348``)."""

from __future__ import annotations

import base64
import binascii


def encode_global_id(type_name: str, pk: str | int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode("ascii")


def global_id_type(global_id: str) -> str | None:
    """The type name inside a global id, or None when it is not one."""
    try:
        decoded = base64.b64decode(global_id, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, sep, pk = decoded.partition(":")
    if not sep or not type_name or not pk:
        return None
    return type_name


def digits_of(text: str) -> int | None:
    """A non-negative integer written in ASCII digits; None otherwise (``str.isdigit`` alone also takes
    '³' or '٣', which ``int`` then refuses or reads)."""
    return int(text) if text.isascii() and text.isdigit() else None


def rule_id_of(text: str) -> int | None:
    """A rule id as the app writes it (``str(int)``: ASCII digits, no leading zero); None otherwise."""
    value = digits_of(text)
    return value if value is not None and str(value) == text else None
