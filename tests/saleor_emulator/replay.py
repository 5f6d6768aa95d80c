"""Replaying a capture against the emulator: the same operation with the capture's own variables, and
the answer compared with the captured one, ids included.

Ids the emulator makes up (checkouts, lines, orders, vouchers) differ from the captured ones, so an
`IdMap` learns which captured id is which of ours as the answers come in (walking both answers in
step), and translates the captured variables and expected answers. Only timestamps and order numbers
are left out of the comparison."""

from __future__ import annotations

import json
from typing import Any

from testing.saleor_emulator.emulator import SaleorEmulator

from .fake_app import FakeApp, capture

VOLATILE = {"created", "updatedAt", "issuedAt", "number"}


def stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


class IdMap:
    def __init__(self) -> None:
        self.ours: dict[str, str] = {}  # captured id or token -> ours

    def learn(self, captured: Any, ours: Any) -> None:
        if isinstance(captured, dict) and isinstance(ours, dict):
            for key, value in captured.items():
                mine = ours.get(key)
                if key in ("id", "token") and isinstance(value, str) and isinstance(mine, str):
                    self.pair(value, mine)
                else:
                    self.learn(value, mine)
        elif isinstance(captured, list) and isinstance(ours, list):
            for theirs, mine in zip(captured, ours, strict=False):
                self.learn(theirs, mine)

    def pair(self, captured: str, ours: str) -> None:
        known = self.ours.setdefault(captured, ours)
        assert known == ours, f"captured id {captured} is both {known} and {ours}"
        owners = [c for c, o in self.ours.items() if o == ours]
        assert len(owners) == 1, f"our id {ours} stands for {owners}"

    def translate(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.translate(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.translate(v) for v in value]
        if isinstance(value, str):
            return self.ours.get(value, value)
        return value

    def expect(self, captured: Any) -> Any:
        return stable(self.translate(captured))


async def replay(
    emu: SaleorEmulator, ids: IdMap, name: str, *, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    """Send the capture's request (its variables translated, `variables` on top) and check the answer's
    `errors` and `data` against the capture's."""
    pair = capture(name)
    body = pair["request"]["body"]
    sent = {**ids.translate(body.get("variables") or {}), **variables}
    result = await emu.graphql(body["query"], sent, token=token)
    expected = pair["response"]["body"]
    ids.learn(expected.get("data"), result.get("data"))
    assert stable(result.get("errors")) == ids.expect(expected.get("errors")), name
    assert stable(result["data"]) == ids.expect(expected["data"]), name
    return result


def assert_webhook(app: FakeApp, event: str, ids: IdMap, name: str, *, index: int = -1) -> dict[str, Any]:
    """The `index`-th `event` body the app received equals the captured webhook body."""
    body: dict[str, Any] = json.loads(app.events(event)[index].body)
    expected = capture(name)["body"]
    assert list(body) == list(expected), name
    assert stable(body) == ids.expect(expected), name
    return body


def hook_from(name: str, event: str, path: str) -> dict[str, Any]:
    """A manifest webhook with the subscription query a webhook capture was recorded with."""
    return {
        "name": f"capture-{event.lower()}",
        "asyncEvents": [event],
        "query": capture(name)["subscription_query"],
        "targetPath": path,
    }
