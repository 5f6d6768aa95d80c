"""A bounded set of recently seen keys, for in-process memos of facts that never become false again
(e.g. "this offer was already logged as shown"), so a hot path can skip a database round trip."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


class RecentKeys:
    """At most `size` keys; the least recently added or checked is forgotten first."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._keys: OrderedDict[Hashable, None] = OrderedDict()

    def __contains__(self, key: Hashable) -> bool:
        if key in self._keys:
            self._keys.move_to_end(key)
            return True
        return False

    def add(self, key: Hashable) -> None:
        self._keys[key] = None
        self._keys.move_to_end(key)
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)

    def __len__(self) -> int:
        return len(self._keys)
