"""Countries as Saleor's CountryDisplay shows them."""

from __future__ import annotations

from typing import Any

COUNTRY_NAMES = {
    "US": "United States of America",
    "PL": "Poland",
    "JP": "Japan",
    "DE": "Germany",
    "GB": "United Kingdom",
}


def country_display(code: str) -> dict[str, Any]:
    return {"code": code, "country": COUNTRY_NAMES.get(code, code), "vat": None}
