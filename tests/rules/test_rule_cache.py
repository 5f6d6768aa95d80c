"""The rule index cache under a burst: requests that find it cold or due share one reload."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event

from saleor_upsell_app.engine.spec import parse_rule_spec
from saleor_upsell_app.rules.cache import RuleIndexCache
from testing.sample_data import bump_rule
from tests.store import Store


async def test_a_burst_of_cold_requests_reads_the_rules_once(store: Store) -> None:
    data = store.data
    for n in range(3):
        await data.rules.create(
            store.installation_id, parse_rule_spec(bump_rule(name=f"rule {n}")), store.clock()
        )
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    cache = RuleIndexCache(check_seconds=60)
    engine = data.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:

        async def one() -> int:
            async with data.db.read() as session:
                return len(await cache.index(session, store.installation_id, ("bump",)))

        sizes = await asyncio.gather(*(one() for _ in range(10)))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert sizes == [3] * 10
    # One version check and one list of the rules for all ten (each used to run both: 20 reads).
    reads = [s for s in statements if "FROM rules" in s]
    assert len(reads) == 2, reads
