from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.history.store_services import Store, store_services


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    async with store_services(db_url) as ready:
        yield ready
