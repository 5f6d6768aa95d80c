"""PostgreSQL's per-event statements log events exactly as record() does inside a session."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from saleor_upsell_app.insights import events as event_log
from saleor_upsell_app.insights.events import EXPOSURE_KINDS, NewEvent
from saleor_upsell_app.insights.models import OfferEvent
from tests.store import Store

CHECKOUT = "Q2hlY2tvdXQ6MQ=="
EVENTS = [
    NewEvent(kind="eligible", offer_type="bump", checkout_id=CHECKOUT, channel_slug="default-channel",
             currency="USD", details={"rule_ids": ["3"], "arms": {"3": "b"}}),
    NewEvent(kind="offered", offer_type="bump", rule_id=3, checkout_id=CHECKOUT, variant_id="V1",
             amount=Decimal("1.19"), currency="USD", holdout=True),
]  # fmt: skip


def _columns(row: OfferEvent) -> tuple[object, ...]:
    return tuple(getattr(row, c) for c in OfferEvent.__table__.columns.keys() if c != "id")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_driver_statements_store_what_record_stores(store: Store) -> None:
    db, now = store.data.parts.db, store.clock()
    async with db.transaction() as session:
        await event_log.record(session, store.installation_id, EVENTS, now)
    async with db.driver() as connection:
        await event_log.pg_record(connection, store.installation_id, EVENTS, now)
    async with db.read() as session:
        rows = list(await session.scalars(select(OfferEvent).order_by(OfferEvent.id)))
    assert [_columns(r) for r in rows[2:]] == [_columns(r) for r in rows[:2]]
    assert rows[2].details == {"rule_ids": ["3"], "arms": {"3": "b"}} and rows[3].details is None


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_exposure_is_logged_once(store: Store) -> None:
    db, now = store.data.parts.db, store.clock()
    for _ in range(2):
        async with db.driver() as connection:
            await event_log.pg_record_unless_logged(
                connection, store.installation_id, EVENTS[:1], now, CHECKOUT, EXPOSURE_KINDS
            )
    async with db.read() as session:
        assert len(list(await session.scalars(select(OfferEvent.id)))) == 1
