"""Public/private metadata storage and its GraphQL shape: `metadata` lists are sorted by key (Saleor's
resolve_metadata; captures graphql-app-checkoutLinesAdd-upgrade-swap-add-premium.json,
graphql-app-updateMetadata-order.json); `metafields` keeps PostgreSQL jsonb's key order (shorter
keys first, then bytewise)."""

from __future__ import annotations

from typing import Any


class MetadataMixin:
    """Gives an entity `metadata`/`privateMetadata` lists and `metafield(key)` lookups."""

    @property
    def meta(self) -> dict[str, str]:
        store: dict[str, str] | None = self.__dict__.get("_meta")
        if store is None:
            store = self.__dict__["_meta"] = {}
        return store

    @property
    def private_meta(self) -> dict[str, str]:
        store: dict[str, str] | None = self.__dict__.get("_private_meta")
        if store is None:
            store = self.__dict__["_private_meta"] = {}
        return store

    @property
    def metadata(self) -> list[dict[str, str]]:
        return as_items(self.meta)

    @property
    def privateMetadata(self) -> list[dict[str, str]]:
        return as_items(self.private_meta)

    def metafield(self, info: Any, key: str) -> str | None:
        return self.meta.get(key)

    def privateMetafield(self, info: Any, key: str) -> str | None:
        return self.private_meta.get(key)

    def metafields(self, info: Any, keys: list[str] | None = None) -> dict[str, str]:
        return {k: self.meta[k] for k in sorted(self.meta, key=_jsonb_order) if keys is None or k in keys}


def _jsonb_order(key: str) -> tuple[int, bytes]:
    raw = key.encode()
    return len(raw), raw


def as_items(store: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": store[k]} for k in sorted(store)]


def apply_input(store: dict[str, str], items: list[dict[str, Any]] | None) -> None:
    for item in items or []:
        store[str(item["key"])] = str(item["value"])
