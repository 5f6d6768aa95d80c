"""The legacy Payments API with Saleor's dummy gateway, as the shopper in
graphql-shopper-checkoutComplete-dummy.json used it: `checkoutPaymentCreate` (gateway
`mirumee.payments.dummy`, token "charged", amount = the checkout's total) and then `checkoutComplete`,
which processes the payment (saleor/payment/gateways/dummy: a token that names no charge status is
captured; "not-charged" is only authorized)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from .auth import RequestContext
from .checkout import DUMMY_GATEWAY, Checkout
from .checkout_mutations import find_checkout, unready
from .errors import Unsupported, payload_error
from .ids import to_global_id
from .inputs import decimal
from .metadata import MetadataMixin, apply_input
from .money import money
from .times import iso, now

# saleor.payment.ChargeStatus values a dummy token may name.
_CHARGE_STATUSES = {
    "not-charged",
    "pending",
    "partially-charged",
    "fully-charged",
    "partially-refunded",
    "fully-refunded",
    "refused",
    "cancelled",
}

Payload = dict[str, Any]


@dataclass(eq=False)
class Payment(MetadataMixin):
    graphql_type: ClassVar[str] = "Payment"
    pk: int
    gateway: str
    token: str
    amount: Decimal
    checkout: Checkout | None
    currency: str
    isActive: bool = True
    charge_status: str = "NOT_CHARGED"
    captured: Decimal = Decimal(0)
    order: Any = None
    created_at: datetime = field(default_factory=now)

    def process(self) -> str:
        """Run the dummy gateway at checkout completion: "charged" or "authorized"."""
        if self.token in ("fully-refunded", "partially-refunded", "refused", "cancelled"):
            raise Unsupported(f"Saleor emulator: dummy payment token {self.token!r} is not modelled")
        if self.token == "not-charged":
            return "authorized"
        self.captured, self.charge_status = self.amount, "FULLY_CHARGED"
        return "charged"

    # GraphQL fields
    @property
    def id(self) -> str:
        return to_global_id("Payment", self.pk)

    @property
    def created(self) -> str:
        return iso(self.created_at)

    @property
    def modified(self) -> str:
        return iso(self.created_at)

    @property
    def chargeStatus(self) -> str:
        return self.charge_status

    @property
    def total(self) -> dict[str, Any]:
        return money(self.amount, self.currency)

    @property
    def capturedAmount(self) -> dict[str, Any]:
        return money(self.captured, self.currency)

    @property
    def availableCaptureAmount(self) -> dict[str, Any]:
        return money(self.amount - self.captured, self.currency)

    @property
    def availableRefundAmount(self) -> dict[str, Any]:
        return money(self.captured, self.currency)

    @property
    def creditCard(self) -> dict[str, Any]:
        return {
            "brand": "dummy_visa",
            "firstDigits": None,
            "lastDigits": "1234",
            "expMonth": 12,
            "expYear": 2222,
        }

    paymentMethodType = "card"
    customerIpAddress = None
    pspReference = None
    actions: ClassVar[list[Any]] = []
    transactions: ClassVar[list[Any]] = []


def _error(code: str, message: str, field: str | None) -> Payload:
    errors = [payload_error(code, message, field, variants=None)]
    return {"checkout": None, "payment": None, "errors": errors, "paymentErrors": errors}


def checkout_payment_create(
    _: Any, info: Any, input: Payload, id: str | None = None, checkoutId: str | None = None, token: Any = None
) -> Payload:
    """No webhook fires (the schema lists none for it)."""
    ctx: RequestContext = info.context
    checkout = find_checkout(info, id, token, checkoutId)
    if checkout is None:
        return _error("NOT_FOUND", f"Couldn't resolve to a node: {id or checkoutId}", "id")
    if not checkout.email:
        return _error("CHECKOUT_EMAIL_NOT_SET", "Checkout email must be set.", None)
    gateway = input["gateway"]
    if gateway != DUMMY_GATEWAY:
        return _error(
            "NOT_SUPPORTED_GATEWAY", f"The gateway {gateway} is not available for this checkout.", "gateway"
        )
    if not checkout.lines:
        return _error("NO_CHECKOUT_LINES", "Cannot create payment for checkout without lines.", "lines")
    missing = unready(checkout)
    if missing is not None:
        return _error(*missing)
    total = checkout.prices(info).total_gross
    amount = decimal(input["amount"]) if input.get("amount") is not None else total
    if amount != total:
        message = "Partial payments are not allowed, amount should be equal checkout's total."
        return _error("PARTIAL_PAYMENT_NOT_ALLOWED", message, "amount")
    if checkout.payment is not None:
        checkout.payment.isActive = False  # cancel_active_payments
    payment = None
    if amount != 0:
        payment = Payment(
            pk=next(ctx.state.pks),
            gateway=gateway,
            token=input.get("token") or "",
            amount=amount,
            checkout=checkout,
            currency=checkout.currency,
        )
        apply_input(payment.meta, input.get("metadata"))
    checkout.payment = payment
    return {"checkout": checkout, "payment": payment, "errors": [], "paymentErrors": []}


RESOLVERS: dict[str, dict[str, Any]] = {
    "Mutation": {"checkoutPaymentCreate": checkout_payment_create},
}
