"""What the stand-in knows of Saleor, all taken from the captures: one channel, two variants (the
shopper's Monospace Tee S and the offer's Cubes Fountain Tee M), and checkouts shaped like the captured
CHECKOUT_UPDATED of the app's custom-priced line (webhook-checkout-updated-by-app-custom-price-force-
new-line.json, with the net prices, discount and voucher of its checkoutLinesAdd answer).

Objects are plain dicts holding every field any of the app's documents selects; `project` cuts one
down to a document's selection. Amounts are floats, as Saleor sends them.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

CAPTURES = Path(__file__).resolve().parents[2].parent / "shared" / "saleor" / "captures"
APP_LINE_ADD = "graphql-app-checkoutLinesAdd-custom-price-force-new-line.json"
APP_LINE_ECHO = "webhook-checkout-updated-by-app-custom-price-force-new-line.json"
VARIANTS = "graphql-app-productVariants.json"
APP_SELF = "graphql-app-self.json"

SALEOR_VERSION = "3.23.28"
# The capture says "default-channel: FLAT_RATES, no country rates (0% tax), pricesEnteredWithTax
# false"; chargeTaxes and displayGrossPrices as captured for channel-pln (both true).
TAX_CONFIGURATION = {"pricesEnteredWithTax": False, "chargeTaxes": True, "displayGrossPrices": True}


def capture(name: str) -> dict[str, Any]:
    return dict(json.loads((CAPTURES / name).read_text()))


def global_id(kind: str, key: str) -> str:
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


def money(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"amount": float(amount), "currency": currency}


class World:
    """The captured catalogue and the checkouts made from it, by id."""

    def __init__(self) -> None:
        echo = json.loads(capture(APP_LINE_ECHO)["raw_body"])["checkout"]
        answer = capture(APP_LINE_ADD)["response"]["body"]["data"]["checkoutLinesAdd"]["checkout"]
        self.currency = echo["channel"]["currencyCode"]
        self.channel = {**echo["channel"], "taxConfiguration": TAX_CONFIGURATION}
        self.created = echo["created"]
        self.email = echo["email"]
        self.discount = answer["discount"]
        self.voucher_code = answer["voucherCode"]
        # Variant and product as a checkout line shows them, by variant id.
        self.line_variants = {line["variant"]["id"]: line["variant"] for line in echo["lines"]}
        self.shopper_line = echo["lines"][0]
        catalogue = capture(VARIANTS)["response"]["body"]["data"]["productVariants"]["edges"]
        self.variants = {edge["node"]["id"]: edge["node"] for edge in catalogue}
        self.app = capture(APP_SELF)["response"]["body"]["data"]["app"]
        self.checkouts: dict[str, dict[str, Any]] = {}

    @property
    def shopper_variant_id(self) -> str:
        return str(self.shopper_line["variant"]["id"])

    @property
    def offer_variant_id(self) -> str:
        """The variant the app adds in the captures (list 30.00, added at 24.00)."""
        return str(next(v for v in self.line_variants if v != self.shopper_variant_id))

    def variant_node(self, variant_id: str) -> dict[str, Any]:
        """A productVariants node: the captured pricing (gross only) with net equal (0% tax)."""
        node = dict(self.variants[variant_id])
        node["pricing"] = {
            key: {"net": {**price["gross"]}, "gross": price["gross"]}
            for key, price in node["pricing"].items()
        }
        return node

    def new_checkout(self) -> dict[str, Any]:
        """A checkout holding the captured shopper line (a fresh id, token and line id)."""
        token = str(uuid.uuid4())
        checkout = {
            "id": global_id("Checkout", token),
            "token": token,
            "created": self.created,
            "updatedAt": self.created,
            "channel": self.channel,
            "email": self.email,
            "user": None,
            "voucherCode": self.voucher_code,
            "discount": self.discount,
            "discountName": None,
            "authorizeStatus": "NONE",
            "chargeStatus": "NONE",
            "deliveryMethod": None,
            "metadata": [],
            "privateMetadata": [],
            "lines": [],
        }
        price = Decimal(str(self.shopper_line["unitPrice"]["gross"]["amount"]))
        checkout["lines"].append(self._line(self.shopper_variant_id, 1, price, None, []))
        self._total(checkout)
        self.checkouts[checkout["id"]] = checkout
        return checkout

    def add_lines(self, checkout: dict[str, Any], lines: list[dict[str, Any]], now: datetime) -> None:
        """checkoutLinesAdd: every input is its own line (the app always sends forceNewLine)."""
        for line in lines:
            variant_id = line["variantId"]
            listed = self.variants[variant_id]["pricing"]["price"]["gross"]["amount"]
            price = Decimal(str(line.get("price") or listed))
            checkout["lines"].append(
                self._line(
                    variant_id,
                    int(line["quantity"]),
                    price,
                    line.get("priceOverrideReason"),
                    [{"key": m["key"], "value": m["value"]} for m in line.get("metadata") or []],
                )
            )
        checkout["updatedAt"] = now.astimezone(UTC).isoformat()
        self._total(checkout)

    def _line(
        self,
        variant_id: str,
        quantity: int,
        unit: Decimal,
        reason: str | None,
        metadata: list[dict[str, str]],
    ) -> dict[str, Any]:
        price = money(unit, self.currency)
        return {
            "id": global_id("CheckoutLine", str(uuid.uuid4())),
            "quantity": quantity,
            "metadata": metadata,
            "unitPrice": {"net": price, "gross": price},
            "undiscountedUnitPrice": price,
            "totalPrice": {"gross": money(unit * quantity, self.currency)},
            "isGift": False,
            "priceOverrideReason": reason,
            "variant": self.line_variants[variant_id],
        }

    def _total(self, checkout: dict[str, Any]) -> None:
        total = sum(
            (Decimal(str(line["totalPrice"]["gross"]["amount"])) for line in checkout["lines"]), Decimal()
        )
        price = money(total, self.currency)
        checkout["totalPrice"] = {"gross": price, "net": price}
        checkout["subtotalPrice"] = {"gross": price, "net": price}


def app_lines(checkout: dict[str, Any]) -> int:
    """Lines the app added (the captured shopper line carries no metadata; the app's always does)."""
    return sum(1 for line in checkout["lines"] if line["metadata"])
