"""Dashboard: list, read, create, change, enable/disable and delete rules (every kind)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from .. import rule_service
from ..rule_service import InvalidRule
from . import conversions as convert
from . import types as t
from .context import ApiContext


def _rule_id(value: strawberry.ID) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _not_found(rule_id: strawberry.ID) -> list[t.UpsellError]:
    return convert.error(t.ErrorCode.NOT_FOUND, f"No rule {rule_id} in this shop.", "id")


async def rules(info: Info[ApiContext, None], filter: t.RuleFilterInput | None = None) -> list[t.Rule]:
    auth = await info.context.dashboard()
    wanted = filter or t.RuleFilterInput()
    kinds = tuple(kind.value for kind in wanted.kinds) if wanted.kinds else None
    stored = await info.context.services.rules.list(auth.installation_id, kinds=kinds, enabled=wanted.enabled)
    if wanted.channel:
        stored = [r for r in stored if convert.rule_matches_channel(r, wanted.channel)]
    if wanted.search:
        stored = [r for r in stored if convert.rule_matches_text(r, wanted.search)]
    return [convert.rule(r) for r in stored]


async def rule(info: Info[ApiContext, None], id: strawberry.ID) -> t.Rule | None:
    auth = await info.context.dashboard()
    rule_id = _rule_id(id)
    stored = None if rule_id is None else await info.context.services.rules.get(auth.installation_id, rule_id)
    return convert.rule(stored) if stored else None


async def rule_create(
    info: Info[ApiContext, None],
    spec: Annotated[
        JSON, strawberry.argument(description="The rule in the rule file format; `kind` is required.")
    ],
) -> t.RulePayload:
    auth = await info.context.dashboard(write=True)
    try:
        stored = await rule_service.create_rule(info.context.services, auth.installation_id, spec)
    except InvalidRule as exc:
        return t.RulePayload(rule=None, errors=convert.upsell_errors(exc.errors))
    return t.RulePayload(rule=convert.rule(stored), errors=[])


async def rule_update(
    info: Info[ApiContext, None],
    id: strawberry.ID,
    spec: Annotated[JSON, strawberry.argument(description="The whole new definition (not a patch).")],
) -> t.RulePayload:
    auth = await info.context.dashboard(write=True)
    rule_id = _rule_id(id)
    if rule_id is None:
        return t.RulePayload(rule=None, errors=_not_found(id))
    return await _update(info, auth.installation_id, rule_id, spec, id)


async def rule_set_enabled(info: Info[ApiContext, None], id: strawberry.ID, enabled: bool) -> t.RulePayload:
    auth = await info.context.dashboard(write=True)
    rule_id = _rule_id(id)
    stored = None if rule_id is None else await info.context.services.rules.get(auth.installation_id, rule_id)
    if stored is None or rule_id is None:
        return t.RulePayload(rule=None, errors=_not_found(id))
    data = stored.spec.model_dump(mode="json", by_alias=True)
    data["enabled"] = enabled
    return await _update(info, auth.installation_id, rule_id, data, id)


async def _update(
    info: Info[ApiContext, None], installation_id: int, rule_id: int, data: Any, id: strawberry.ID
) -> t.RulePayload:
    try:
        stored = await rule_service.update_rule(info.context.services, installation_id, rule_id, data)
    except InvalidRule as exc:
        return t.RulePayload(rule=None, errors=convert.upsell_errors(exc.errors))
    if stored is None:
        return t.RulePayload(rule=None, errors=_not_found(id))
    return t.RulePayload(rule=convert.rule(stored), errors=[])


async def rule_delete(info: Info[ApiContext, None], id: strawberry.ID) -> t.RuleDeletePayload:
    auth = await info.context.dashboard(write=True)
    rule_id = _rule_id(id)
    deleted = rule_id is not None and await info.context.services.rules.delete(auth.installation_id, rule_id)
    if not deleted:
        return t.RuleDeletePayload(deleted_id=None, errors=_not_found(id))
    return t.RuleDeletePayload(deleted_id=id, errors=[])
