from __future__ import annotations

from saleor_upsell_app.kit.lru import RecentKeys


def test_recent_keys_forget_the_least_recently_used_first() -> None:
    keys = RecentKeys(size=2)
    keys.add("a")
    keys.add("b")
    assert "a" in keys  # a is now the most recent
    keys.add("c")  # forgets b
    assert "a" in keys and "c" in keys and "b" not in keys
    assert len(keys) == 2
    keys.add("a")
    assert len(keys) == 2
