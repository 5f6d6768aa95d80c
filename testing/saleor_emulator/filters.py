"""`where` / deprecated `filter` inputs for orders, products and variants.

Only the keys listed here are modelled; any other key raises `Unsupported` so that a test never
passes because the emulator silently ignored a filter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from .errors import SaleorError, Unsupported
from .orders import Order


def parse_datetime(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SaleorError(f"Invalid DateTime: {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _in_range(moment: datetime, rng: dict[str, Any]) -> bool:
    if rng.get("gte") is not None and moment < parse_datetime(rng["gte"]):
        return False
    return not (rng.get("lte") is not None and moment > parse_datetime(rng["lte"]))


def _one(value: Any, flt: dict[str, Any] | None) -> bool:
    if not flt:
        return True
    if flt.get("eq") is not None and value != flt["eq"]:
        return False
    if flt.get("oneOf") is not None and value not in flt["oneOf"]:
        return False
    rng = flt.get("range")
    if rng:
        if rng.get("gte") is not None and value < rng["gte"]:
            return False
        if rng.get("lte") is not None and value > rng["lte"]:
            return False
    return True


def metadata_matches(store: dict[str, str], flt: dict[str, Any]) -> bool:
    """`MetadataFilter` (value: String, the deprecated filters) or `MetadataFilterInput` of a `where`
    (value: {eq, oneOf}); no value: the key is present."""
    if flt["key"] not in store:
        return False
    value = flt.get("value")
    if isinstance(value, str):
        return store[flt["key"]] == value
    return _one(store[flt["key"]], value)


def order_where(where: dict[str, Any]) -> Callable[[Order], bool]:
    checks: list[Callable[[Order], bool]] = []
    for key, value in where.items():
        if value is None:
            continue
        if key == "createdAt":
            checks.append(lambda o, r=value: _in_range(o.created_at, r))
        elif key == "updatedAt":
            checks.append(lambda o, r=value: _in_range(o.updated_at, r))
        elif key == "channelId":
            checks.append(lambda o, f=value: _one(o.channel.id, f))
        elif key == "status":
            checks.append(lambda o, f=value: _one(o.status, f))
        elif key == "ids":
            checks.append(lambda o, ids=value: o.id in ids)
        elif key == "userEmail":
            checks.append(lambda o, f=value: _one(o.user_email, f))
        elif key == "number":
            checks.append(lambda o, f=value: _one(o.number, f))
        elif key == "checkoutId":
            checks.append(lambda o, f=value: _one(o.checkoutId, f))
        elif key == "chargeStatus":
            checks.append(lambda o, f=value: _one(o.chargeStatus, f))
        elif key == "metadata":
            checks.append(lambda o, f=value: metadata_matches(o.meta, f))
        elif key == "lines":
            checks.append(
                lambda o, fs=value: all(
                    any(metadata_matches(line.meta, f["metadata"]) for line in o.lines)
                    for f in fs
                    if f.get("metadata")
                )
            )
        elif key == "AND":
            subs = [order_where(w) for w in value]
            checks.append(lambda o, s=subs: all(c(o) for c in s))
        elif key == "OR":
            subs = [order_where(w) for w in value]
            checks.append(lambda o, s=subs: any(c(o) for c in s))
        else:
            raise Unsupported(f"Saleor emulator: orders(where: {{{key}: ...}}) is not modelled")
    return lambda o: all(c(o) for c in checks)


def order_filter(flt: dict[str, Any]) -> Callable[[Order], bool]:
    """The deprecated OrderFilterInput; `created` takes Dates (capture: orders-filter-created-date)."""
    checks: list[Callable[[Order], bool]] = []
    for key, value in flt.items():
        if value is None:
            continue
        if key == "created":
            lo = date.fromisoformat(value["gte"]) if value.get("gte") else None
            hi = date.fromisoformat(value["lte"]) if value.get("lte") else None
            checks.append(
                lambda o, lo=lo, hi=hi: (
                    (lo is None or o.created_at.date() >= lo) and (hi is None or o.created_at.date() <= hi)
                )
            )
        elif key == "channels":
            checks.append(lambda o, ids=value: o.channel.id in ids)
        elif key == "ids":
            checks.append(lambda o, ids=value: o.id in ids)
        elif key == "updatedAt":
            checks.append(lambda o, r=value: _in_range(o.updated_at, r))
        else:
            raise Unsupported(f"Saleor emulator: orders(filter: {{{key}: ...}}) is not modelled")
    return lambda o: all(c(o) for c in checks)


def _in_dates(moment: datetime, rng: dict[str, Any]) -> bool:
    day = moment.date()
    if rng.get("gte") is not None and day < date.fromisoformat(rng["gte"]):
        return False
    return not (rng.get("lte") is not None and day > date.fromisoformat(rng["lte"]))


def checkout_filter(flt: dict[str, Any]) -> Callable[[Any], bool]:
    """CheckoutFilterInput (what `checkouts(filter:)` takes; an app finds a checkout it made by metadata)."""
    checks: list[Callable[[Any], bool]] = []
    for key, value in flt.items():
        if value is None:
            continue
        if key == "metadata":
            checks.append(lambda c, fs=value: all(metadata_matches(c.meta, f) for f in fs))
        elif key == "channels":
            checks.append(lambda c, ids=value: c.channel.id in ids)
        elif key == "customer":
            checks.append(lambda c, text=value.lower(): text in (c.email or "").lower())
        elif key == "created":
            checks.append(lambda c, r=value: _in_dates(c.created_at, r))
        elif key == "updatedAt":
            checks.append(lambda c, r=value: _in_dates(c.updated_at, r))
        elif key == "authorizeStatus":
            checks.append(lambda c, s=value: c.authorize_status in s)
        elif key == "chargeStatus":
            checks.append(lambda c, s=value: c.charge_status in s)
        else:
            raise Unsupported(f"Saleor emulator: checkouts(filter: {{{key}: ...}}) is not modelled")
    return lambda c: all(check(c) for check in checks)


def variant_where(where: dict[str, Any]) -> Callable[[Any], bool]:
    checks: list[Callable[[Any], bool]] = []
    for key, value in where.items():
        if value is None:
            continue
        if key == "ids":
            checks.append(lambda v, ids=value: v.id in ids)
        elif key == "sku":
            checks.append(lambda v, f=value: _one(v.sku, f))
        elif key == "metadata":
            checks.append(lambda v, fs=value: all(metadata_matches(v.meta, f) for f in fs))
        else:
            raise Unsupported(f"Saleor emulator: productVariants(where: {{{key}: ...}}) is not modelled")
    return lambda v: all(c(v) for c in checks)


def product_where(where: dict[str, Any]) -> Callable[[Any], bool]:
    checks: list[Callable[[Any], bool]] = []
    for key, value in where.items():
        if value is None:
            continue
        if key == "ids":
            checks.append(lambda p, ids=value: p.id in ids)
        elif key == "name":
            checks.append(lambda p, f=value: _one(p.name, f))
        elif key == "slug":
            checks.append(lambda p, f=value: _one(p.slug, f))
        elif key == "category":
            checks.append(lambda p, f=value: p.category is not None and _one(p.category.id, f))
        elif key == "collection":
            checks.append(lambda p, f=value: any(_one(c.id, f) for c in p.collections))
        elif key == "productType":
            checks.append(lambda p, f=value: _one(p.product_type.id, f))
        else:
            raise Unsupported(f"Saleor emulator: products(where: {{{key}: ...}}) is not modelled")
    return lambda p: all(c(p) for c in checks)
