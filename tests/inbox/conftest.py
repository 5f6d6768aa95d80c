"""The inbox on a real database, shared by the inbox tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from saleor_upsell_app.inbox.service import Inbox as InboxService
from saleor_upsell_app.kit.db import Database
from saleor_upsell_app.kit.db.migrate import upgrade_to_head
from saleor_upsell_app.tables import Installation

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
Inbox = tuple[InboxService, int]  # the inbox, and the id of the installation its events belong to


@pytest.fixture
async def inbox(db_url: str) -> AsyncIterator[Inbox]:
    """An inbox on a migrated database with one installation; yields (repository, installation id)."""
    await asyncio.to_thread(upgrade_to_head, db_url)
    db = Database(db_url)
    async with db.transaction() as session:
        installation = Installation(
            saleor_api_url="https://shop.example/graphql/",
            app_id="QXBwOjE=",
            domain="shop.example",
            token_encrypted="x",
            jwks="{}",
            jwks_fetched_at=T0,
            created_at=T0,
            updated_at=T0,
        )
        session.add(installation)
        await session.flush()
        installation_id = installation.id
    yield InboxService(db), installation_id
    await db.dispose()
