"""Address input -> Address object (enough of Saleor's Address type for checkouts and orders)."""

from __future__ import annotations

import itertools
from typing import Any

from .countries import country_display
from .ids import to_global_id

_address_pks = itertools.count(1)
_FIELDS = (
    "firstName",
    "lastName",
    "companyName",
    "streetAddress1",
    "streetAddress2",
    "city",
    "cityArea",
    "postalCode",
    "countryArea",
    "phone",
)


def make_address(data: dict[str, Any]) -> dict[str, Any]:
    address: dict[str, Any] = {"__typename": "Address", "id": to_global_id("Address", next(_address_pks))}
    for name in _FIELDS:
        address[name] = data.get(name) or ""
    code = data.get("country") or "US"
    address["country"] = country_display(code)
    address["isDefaultShippingAddress"] = None
    address["isDefaultBillingAddress"] = None
    address["metadata"] = [{"key": m["key"], "value": m["value"]} for m in data.get("metadata") or []]
    address["privateMetadata"] = []
    return address
