"""The weekly digest the scheduler produces: stored once per week (downloadable through the API),
e-mailed through a real SMTP server when one is configured, with the guardrail's pauses of the week."""

from __future__ import annotations

import asyncio
import base64
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from saleor_upsell_app.insights.digest import list_digests
from saleor_upsell_app.insights.guardrail import PauseRepository
from saleor_upsell_app.insights.jobs import InsightJobs
from saleor_upsell_app.kit.mail import SmtpConfig
from tests.conftest import free_port
from tests.insights.analytics.events_data import MONDAY_W47, seed_week
from tests.store import Store

PNG = b"\x89PNG\r\n\x1a\n"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK"


async def test_digest_is_stored_once_and_emailed(store: Store) -> None:
    r1, _ = await seed_week(store)
    async with store.data.db.transaction() as session:
        reason = "Paused this rule: its checkouts completed less often."
        at = MONDAY_W47 + timedelta(days=3)
        await PauseRepository(session).add(store.installation_id, r1, "default-channel", reason, {}, at)
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        jobs = InsightJobs(
            store.data.db,
            store.data.parts.installations,
            SmtpConfig("127.0.0.1", port, "upsell@shop.test", security="none"),
            ("owner@shop.test", "team@shop.test"),
        )
        monday_w48 = MONDAY_W47 + timedelta(days=7)
        await jobs.digest(monday_w48)
        await jobs.digest(monday_w48 + timedelta(hours=1))  # again (another process, a retry): nothing new
        await asyncio.sleep(0.1)
    finally:
        controller.stop()

    [digest] = await list_digests(store.data.db, store.installation_id)
    assert digest.week == "2026-W47" and digest.emailed_to == "owner@shop.test, team@shop.test"
    assert digest.text.startswith("Upsell weekly report, week of 16 November 2026")
    assert "Paused by the completion guardrail: 1" in digest.text
    assert "Paused this rule: its checkouts completed less often." in digest.text
    assert digest.chart is not None and digest.chart.startswith(PNG)

    [mail] = inbox.messages
    assert inbox.envelopes == [["owner@shop.test", "team@shop.test"]]
    assert mail["Subject"].startswith("Upsell weekly report, week of 16 November 2026")
    assert mail["From"] == "upsell@shop.test"
    parts = list(mail.walk())
    body = next(p for p in parts if p.get_content_type() == "text/plain")
    assert "Offers: 4 shown, 2 accepted" in str(body.get_payload(decode=True).decode())
    [chart] = [p for p in parts if p.get_content_type() == "image/png"]
    assert chart.get_filename() == "upsell-2026-W47.png" and chart.get_payload(decode=True).startswith(PNG)


async def test_digest_without_smtp_is_only_stored(store: Store) -> None:
    await seed_week(store)
    jobs = InsightJobs(store.data.db, store.data.parts.installations)
    await jobs.digest(MONDAY_W47 + timedelta(days=8))
    [digest] = await list_digests(store.data.db, store.installation_id)
    assert digest.emailed_to is None and digest.week == "2026-W47"


async def test_digests_through_the_api(api: Any) -> None:
    from tests.api.client import Api

    assert isinstance(api, Api)
    own = await api.installation_id()
    store = Store(api.app.data, own)
    await seed_week(store)
    await InsightJobs(api.app.data.db, api.app.parts.installations).digest(MONDAY_W47 + timedelta(days=7))
    query = "{ digests { week weekStart emailedTo text chartPngBase64 } }"
    [digest] = (await api.data(query))["digests"]
    assert (digest["week"], digest["weekStart"], digest["emailedTo"]) == ("2026-W47", "2026-11-16", None)
    assert digest["text"].startswith("Upsell weekly report")
    assert base64.b64decode(digest["chartPngBase64"]).startswith(PNG)
