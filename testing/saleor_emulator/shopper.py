"""An anonymous storefront shopper: every step is a real GraphQL call without a token, so the same
events fire as for a real shopper (principal null)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .checkout import DUMMY_GATEWAY

if TYPE_CHECKING:
    from .emulator import SaleorEmulator

# Only fields an anonymous shopper may read (no priceOverrideReason, no channel.currencyCode).
CHECKOUT_FIELDS = """
  id token email quantity chargeStatus authorizeStatus
  channel { id slug }
  lines { id quantity variant { id } unitPrice { gross { amount currency } }
          undiscountedUnitPrice { amount currency } totalPrice { gross { amount currency } }
          metadata { key value } }
  subtotalPrice { gross { amount currency } }
  totalPrice { gross { amount currency } }
  shippingPrice { gross { amount currency } }
  shippingMethods { id name }
  deliveryMethod { ... on ShippingMethod { id name } }
"""
ERRORS = "errors { field message code }"
# What a storefront reads to show a voucher (public fields).
VOUCHER_FIELDS = "voucherCode discountName discount { amount currency }"
DEFAULT_ADDRESS = {
    "firstName": "Ada",
    "lastName": "Shopper",
    "streetAddress1": "1 Main Street",
    "city": "New York",
    "postalCode": "10001",
    "country": "US",
    "countryArea": "NY",
}

Line = tuple[str, int]


class ShopperError(AssertionError):
    pass


class Shopper:
    def __init__(self, emu: SaleorEmulator) -> None:
        self.emu = emu

    async def _mutate(self, name: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        result = await self.emu.graphql(query, variables)
        if result.get("errors"):
            raise ShopperError(f"{name}: {result['errors']}")
        payload: dict[str, Any] = result["data"][name]
        if payload.get("errors"):
            raise ShopperError(f"{name}: {payload['errors']}")
        return payload

    @staticmethod
    def _lines(lines: list[Line]) -> list[dict[str, Any]]:
        return [{"variantId": variant_id, "quantity": quantity} for variant_id, quantity in lines]

    async def create_checkout(
        self, lines: list[Line], channel: str = "default-channel", email: str | None = None
    ) -> dict[str, Any]:
        query = (
            f"mutation($input: CheckoutCreateInput!) {{ checkoutCreate(input: $input) "
            f"{{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"
        )
        data: dict[str, Any] = {"channel": channel, "lines": self._lines(lines)}
        if email is not None:
            data["email"] = email
        payload = await self._mutate("checkoutCreate", query, {"input": data})
        checkout: dict[str, Any] = payload["checkout"]
        return checkout

    async def add_lines(self, checkout_id: str, lines: list[Line]) -> dict[str, Any]:
        query = (
            f"mutation($id: ID!, $lines: [CheckoutLineInput!]!) {{ checkoutLinesAdd(id: $id, lines: $lines) "
            f"{{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"
        )
        payload = await self._mutate(
            "checkoutLinesAdd", query, {"id": checkout_id, "lines": self._lines(lines)}
        )
        return dict(payload["checkout"])

    async def remove_lines(self, checkout_id: str, line_ids: list[str]) -> dict[str, Any]:
        query = (
            f"mutation($id: ID!, $ids: [ID!]!) {{ checkoutLinesDelete(id: $id, linesIds: $ids) "
            f"{{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"
        )
        payload = await self._mutate("checkoutLinesDelete", query, {"id": checkout_id, "ids": line_ids})
        return dict(payload["checkout"])

    async def set_quantity(self, checkout_id: str, line_id: str, quantity: int) -> dict[str, Any]:
        query = (
            f"mutation($id: ID!, $lines: [CheckoutLineUpdateInput!]!) {{ checkoutLinesUpdate(id: $id, "
            f"lines: $lines) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"
        )
        lines = [{"lineId": line_id, "quantity": quantity}]
        payload = await self._mutate("checkoutLinesUpdate", query, {"id": checkout_id, "lines": lines})
        return dict(payload["checkout"])

    async def set_email(self, checkout_id: str, email: str) -> dict[str, Any]:
        query = (
            f"mutation($id: ID!, $email: String!) {{ checkoutEmailUpdate(id: $id, email: $email) "
            f"{{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"
        )
        payload = await self._mutate("checkoutEmailUpdate", query, {"id": checkout_id, "email": email})
        return dict(payload["checkout"])

    async def set_addresses(
        self, checkout_id: str, address: dict[str, Any] | None = None, *, shipping: bool = True
    ) -> dict[str, Any]:
        """Shipping (when needed) then billing: two mutations, two CHECKOUT_UPDATED (surprise 5)."""
        address = address or DEFAULT_ADDRESS
        checkout: dict[str, Any] = {}
        if shipping:
            query = (
                f"mutation($id: ID!, $a: AddressInput!) {{ checkoutShippingAddressUpdate(id: $id, "
                f"shippingAddress: $a) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"
            )
            payload = await self._mutate(
                "checkoutShippingAddressUpdate", query, {"id": checkout_id, "a": address}
            )
            checkout = payload["checkout"]
        query = (
            f"mutation($id: ID!, $a: AddressInput!) {{ checkoutBillingAddressUpdate(id: $id, "
            f"billingAddress: $a) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"
        )
        payload = await self._mutate("checkoutBillingAddressUpdate", query, {"id": checkout_id, "a": address})
        checkout = payload["checkout"]
        return checkout

    async def set_delivery_method(self, checkout_id: str, method_id: str | None = None) -> dict[str, Any]:
        """`method_id` defaults to the first shipping method offered to the checkout."""
        if method_id is None:
            found = await self.checkout(checkout_id)
            if not found["shippingMethods"]:
                raise ShopperError("no shipping method offered (set a shipping address first)")
            method_id = found["shippingMethods"][0]["id"]
        query = (
            f"mutation($id: ID!, $m: ID) {{ checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $m) "
            f"{{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"
        )
        payload = await self._mutate(
            "checkoutDeliveryMethodUpdate", query, {"id": checkout_id, "m": method_id}
        )
        return dict(payload["checkout"])

    async def checkout(self, checkout_id: str) -> dict[str, Any]:
        result = await self.emu.graphql(
            f"query($id: ID!) {{ checkout(id: $id) {{ {CHECKOUT_FIELDS} }} }}", {"id": checkout_id}
        )
        if result.get("errors") or result["data"]["checkout"] is None:
            raise ShopperError(f"checkout {checkout_id}: {result}")
        return dict(result["data"]["checkout"])

    def start_payment(self, checkout_id: str, *, charge: bool = True) -> None:
        self.emu.start_payment(checkout_id, charge=charge)

    async def add_promo_code(self, checkout_id: str, code: str) -> dict[str, Any]:
        """checkoutAddPromoCode; raises ShopperError with the payload errors (e.g. VOUCHER_NOT_APPLICABLE)."""
        return await self._promo_code("checkoutAddPromoCode", checkout_id, code)

    async def remove_promo_code(self, checkout_id: str, code: str) -> dict[str, Any]:
        return await self._promo_code("checkoutRemovePromoCode", checkout_id, code)

    async def _promo_code(self, mutation: str, checkout_id: str, code: str) -> dict[str, Any]:
        query = (
            f"mutation($id: ID!, $code: String!) {{ {mutation}(id: $id, promoCode: $code) "
            f"{{ checkout {{ {CHECKOUT_FIELDS} {VOUCHER_FIELDS} }} {ERRORS} }} }}"
        )
        payload = await self._mutate(mutation, query, {"id": checkout_id, "code": code})
        return dict(payload["checkout"])

    async def pay(
        self, checkout_id: str, *, token: str = "charged", amount: str | None = None
    ) -> dict[str, Any]:
        """checkoutPaymentCreate with Saleor's dummy gateway for the checkout's total (or `amount`), as in
        graphql-shopper-checkoutComplete-dummy.json; checkoutComplete then charges it ("not-charged":
        only authorizes)."""
        if amount is None:
            amount = str((await self.checkout(checkout_id))["totalPrice"]["gross"]["amount"])
        query = (
            "mutation($id: ID!, $input: PaymentInput!) { checkoutPaymentCreate(id: $id, input: $input) "
            f"{{ payment {{ id gateway total {{ amount currency }} }} {ERRORS} }} }}"
        )
        variables = {"id": checkout_id, "input": {"gateway": DUMMY_GATEWAY, "token": token, "amount": amount}}
        payload = await self._mutate("checkoutPaymentCreate", query, variables)
        return dict(payload["payment"])

    async def complete(self, checkout_id: str) -> dict[str, Any]:
        query = (
            "mutation($id: ID!) { checkoutComplete(id: $id) { order { id number status isPaid chargeStatus "
            "userEmail total { gross { amount currency } } lines { id productSku quantity "
            "unitPrice { gross { amount currency } } } } confirmationNeeded confirmationData "
            f"{ERRORS} }} }}"
        )
        payload = await self._mutate("checkoutComplete", query, {"id": checkout_id})
        return dict(payload["order"])

    async def ready_checkout(
        self, lines: list[Line], channel: str = "default-channel", email: str = "shopper@example.com"
    ) -> dict[str, Any]:
        """Create a checkout and fill in email, addresses and delivery: ready for payment."""
        checkout = await self.create_checkout(lines, channel)
        await self.set_email(checkout["id"], email)
        shipping = True
        try:
            await self.set_addresses(checkout["id"])
        except ShopperError as exc:
            if "SHIPPING_NOT_REQUIRED" not in str(exc):
                raise
            shipping = False
            await self.set_addresses(checkout["id"], shipping=False)
        if shipping:
            await self.set_delivery_method(checkout["id"])
        return await self.checkout(checkout["id"])

    async def buy(
        self,
        lines: list[Line],
        channel: str = "default-channel",
        email: str = "shopper@example.com",
        *,
        payment: str = "transaction",
    ) -> dict[str, Any]:
        """The whole journey: checkout, details, payment, completion. Returns the order. `payment`:
        "transaction" (the checkout becomes fully charged, CHECKOUT_FULLY_PAID fires) or "dummy" (the
        legacy dummy gateway through checkoutPaymentCreate, charged at completion)."""
        checkout = await self.ready_checkout(lines, channel, email)
        if payment == "dummy":
            await self.pay(checkout["id"])
        else:
            self.start_payment(checkout["id"])
        return await self.complete(checkout["id"])
