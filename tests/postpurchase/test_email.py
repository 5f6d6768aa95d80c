"""The offer e-mail through a real SMTP server (aiosmtpd, started by the test): one per order, with the
offer link and an unsubscribe link that is honoured per customer e-mail; a server that is down delays
the e-mail (the sweep sends it), never the offer."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from saleor_upsell_app.postpurchase import order_metadata as om
from tests.conftest import free_port
from tests.postpurchase.helpers import CHANNEL, CHECKOUT_URL, TEE_S, Shop, add_rule, buy_tee, offer_rows


class Inbox:
    """aiosmtpd handler keeping every message it was given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def shop_settings(smtp_port: int) -> dict[str, Any]:
    return {
        "post_purchase_checkout_urls": {CHANNEL: CHECKOUT_URL},
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "smtp_security": "none",
        "smtp_from": "Shop <shop@example.com>",
        "smtp_timeout_seconds": 5,
    }


def start_smtp(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[Inbox]:
    controller, inbox = start_smtp(smtp_port)
    try:
        yield inbox
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


async def test_one_email_per_order_with_the_offer_and_unsubscribe_links(shop: Shop, smtp: Inbox) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)

    [message] = smtp.to("shopper@example.com")
    assert message["Subject"] == "Thirsty? Add a cold apple juice"
    assert message["From"] == "Shop <shop@example.com>"
    text, html = text_of(message), html_of(message)
    assert order.meta[om.OFFER_URL] in text and order.meta[om.OFFER_URL] in html
    assert "Add Apple Juice for $1.19 (instead of $1.49)." in text
    assert "Ships in the same parcel" in text and "This offer ends at" in text
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{shop.app.base_url}/offers/unsubscribe/") and unsubscribe in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [row.email_state for row in await offer_rows(shop.app)] == ["sent"]

    # A redelivered ORDER_CREATED, and the sweep, send nothing more.
    [delivery] = shop.emulator.deliveries_for("ORDER_CREATED")
    await shop.emulator.redeliver(delivery)
    await shop.app.wait_idle(shop.emulator)
    await shop.app.parts.sweeper.sweep(shop.clock())
    assert len(smtp.messages) == 1


async def test_unsubscribe_is_honoured_per_customer_email(shop: Shop, smtp: Inbox) -> None:
    await add_rule(shop.app)
    await buy_tee(shop.app, shop.emulator)
    [message] = smtp.messages
    link = message["List-Unsubscribe"].strip("<>").removeprefix(shop.app.base_url)

    page = await shop.http.get(link)
    assert page.status_code == 200 and 'method="post"' in page.text  # a GET (link scanners) changes nothing
    assert (await shop.http.get(link[:-2] + "AA")).status_code == 404  # tampered
    done = await shop.http.post(link)
    assert done.status_code == 200 and "no more offer e-mails" in done.text

    await buy_tee(shop.app, shop.emulator)  # the same customer again: offer made, no e-mail
    placed = await shop.emulator.shopper.buy([(TEE_S, 1)], email="other@example.com")
    await shop.app.wait_idle(shop.emulator)
    assert len(smtp.to("shopper@example.com")) == 1
    assert len(smtp.to("other@example.com")) == 1  # another customer still gets theirs
    states = sorted(row.email_state or "" for row in await offer_rows(shop.app))
    assert states == ["sent", "sent", "skipped"]
    assert placed["userEmail"] == "other@example.com"


async def test_a_down_smtp_server_delays_the_email_not_the_offer(shop: Shop, smtp_port: int) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)  # nobody listens on the SMTP port yet
    assert om.OFFER_URL in order.meta
    assert [row.email_state for row in await offer_rows(shop.app)] == ["pending"]

    controller, inbox = start_smtp(smtp_port)
    try:
        report = await shop.app.parts.sweeper.sweep(shop.clock())
        assert report.emailed == 1
        await asyncio.sleep(0)
        assert len(inbox.to("shopper@example.com")) == 1
        assert (await shop.app.parts.sweeper.sweep(shop.clock())).emailed == 0
    finally:
        controller.stop()
    assert [row.email_state for row in await offer_rows(shop.app)] == ["sent"]
