"""Creating and changing rules and channel settings: the one path used by the CLI, the GraphQL API and
suggestions. Each function works in the session it is given (one use case, one transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ..engine.spec import (
    BumpRuleSpec,
    ChannelSettingsSpec,
    UpgradeRuleSpec,
    describe_errors,
    parse_rule_spec,
)
from ..kit.errors import AppError
from .repository import RuleRepository
from .stored import AnyRuleSpec, StoredRule


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class InvalidRule(AppError):
    code = "INVALID"
    status = 400

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


def field_errors(error: ValidationError) -> list[FieldError]:
    return [FieldError(*line.split(": ", 1)) for line in describe_errors(error)]


def validate_rule(data: Any) -> AnyRuleSpec:
    try:
        return parse_rule_spec(data)
    except ValidationError as exc:
        raise InvalidRule(field_errors(exc)) from exc


def validate_channel_settings(data: Any) -> ChannelSettingsSpec:
    try:
        return ChannelSettingsSpec.model_validate(data)
    except ValidationError as exc:
        raise InvalidRule(field_errors(exc)) from exc


def _channels(stored: StoredRule) -> list[str]:
    spec = stored.spec
    return spec.channels if isinstance(spec, UpgradeRuleSpec) else spec.trigger.channels


def _matches_text(stored: StoredRule, text: str) -> bool:
    needle = text.casefold()
    return needle in stored.spec.name.casefold() or needle in stored.spec.copy_text.headline.casefold()


async def list_rules(
    session: AsyncSession,
    installation_id: int,
    *,
    kinds: tuple[str, ...] | None = None,
    enabled: bool | None = None,
    channel: str | None = None,
    search: str | None = None,
) -> list[StoredRule]:
    """Oldest first; ``channel``: rules that can apply there (rules for all channels included);
    ``search``: case-insensitive text in the name or headline."""
    stored = await RuleRepository(session).list(installation_id, kinds=kinds, enabled=enabled)
    if channel:
        stored = [r for r in stored if not _channels(r) or channel in _channels(r)]
    if search:
        stored = [r for r in stored if _matches_text(r, search)]
    return stored


async def get_rule(session: AsyncSession, installation_id: int, rule_id: int) -> StoredRule | None:
    return await RuleRepository(session).get(installation_id, rule_id)


async def rule_names(session: AsyncSession, installation_id: int) -> dict[int, str]:
    return {rule.id: rule.spec.name for rule in await RuleRepository(session).list(installation_id)}


async def create_rule(session: AsyncSession, installation_id: int, data: Any, now: datetime) -> StoredRule:
    return await store_rule(session, installation_id, validate_rule(data), now)


async def store_rule(
    session: AsyncSession, installation_id: int, spec: AnyRuleSpec, now: datetime
) -> StoredRule:
    """Store a rule that was validated already."""
    return await RuleRepository(session).create(installation_id, spec, now)


async def update_rule(
    session: AsyncSession, installation_id: int, rule_id: int, data: Any, now: datetime
) -> StoredRule | None:
    return await RuleRepository(session).update(installation_id, rule_id, validate_rule(data), now)


async def set_enabled(
    session: AsyncSession, installation_id: int, rule_id: int, enabled: bool, now: datetime
) -> StoredRule | None:
    stored = await RuleRepository(session).get(installation_id, rule_id)
    if stored is None:
        return None
    data = stored.spec.model_dump(mode="json", by_alias=True)
    data["enabled"] = enabled
    return await update_rule(session, installation_id, rule_id, data, now)


async def promote_variant(
    session: AsyncSession, installation_id: int, rule_id: int, variant: str, now: datetime
) -> StoredRule | None:
    """End a rule's A/B test with ``variant`` as the winner: its offer, price and copy become the rule's,
    the variants go (a changed rule is a new experiment against the holdout). None: no such rule."""
    stored = await RuleRepository(session).get(installation_id, rule_id)
    if stored is None:
        return None
    spec = stored.spec
    if not isinstance(spec, BumpRuleSpec) or variant not in {v.name for v in spec.variants}:
        names = ", ".join(v.name for v in spec.variants) if isinstance(spec, BumpRuleSpec) else ""
        known = f"; its variants: {names}" if names else "; it has no A/B variants"
        raise InvalidRule([FieldError("variant", f"the rule has no variant {variant!r}{known}")])
    winner = spec.with_variant(variant).model_dump(mode="json", by_alias=True)
    return await update_rule(session, installation_id, rule_id, winner, now)


async def delete_rule(session: AsyncSession, installation_id: int, rule_id: int) -> bool:
    return await RuleRepository(session).delete(installation_id, rule_id)


@dataclass(frozen=True, slots=True)
class ImportedRule:
    rule: StoredRule
    updated: bool  # an existing rule of the same name was updated (else: created)


def _import_key(name: str) -> str:
    """Rules are matched by name on import: the same file imported again updates, never duplicates."""
    return " ".join(name.split()).casefold()


async def import_rules(
    session: AsyncSession, installation_id: int, documents: Sequence[Any], now: datetime
) -> list[ImportedRule]:
    """All or nothing: every rule is validated before any is stored, so a typo never half-imports a file.

    The rule's ``name`` is its import key (spaces and case aside): a rule whose name an existing rule
    has updates that rule in place (its id, history and claims stay); a new name creates a rule. A name
    that appears twice in the file, or that several existing rules share, is refused with a message
    saying which, rather than guessed.
    """
    specs: list[AnyRuleSpec] = []
    errors: list[FieldError] = []
    for position, document in enumerate(documents):
        try:
            specs.append(validate_rule(document))
        except InvalidRule as exc:
            errors.extend(FieldError(f"[{position}].{e.field}", e.message) for e in exc.errors)
    rules = RuleRepository(session)
    existing: dict[str, list[StoredRule]] = {}
    for stored in await rules.list(installation_id):
        existing.setdefault(_import_key(stored.spec.name), []).append(stored)
    first_at: dict[str, int] = {}
    for position, spec in enumerate(specs):
        key = _import_key(spec.name)
        if key in first_at:
            errors.append(
                FieldError(
                    f"[{position}].name",
                    f"{spec.name!r} is also the name of rule [{first_at[key]}]: names are the import key, "
                    "so each must be unique in the file",
                )
            )
        first_at.setdefault(key, position)
        same = existing.get(key, [])
        if len(same) > 1:
            ids = ", ".join(f"#{stored.id}" for stored in same)
            errors.append(
                FieldError(
                    f"[{position}].name",
                    f"{len(same)} stored rules are named {spec.name!r} ({ids}): rename or delete all but "
                    "one, so the import knows which to update",
                )
            )
    if errors:
        raise InvalidRule(errors)
    imported: list[ImportedRule] = []
    for spec in specs:
        match = existing.get(_import_key(spec.name))
        if match:
            updated = await rules.update(installation_id, match[0].id, spec, now)
            assert updated is not None  # listed in this transaction
            imported.append(ImportedRule(updated, updated=True))
        else:
            imported.append(ImportedRule(await rules.create(installation_id, spec, now), updated=False))
    return imported


async def channel_settings(
    session: AsyncSession, installation_id: int, channel_slug: str, currency: str | None = None
) -> ChannelSettingsSpec:
    """Saved settings, or the defaults of a channel in `currency` (offer mode in EU/EEA currencies)."""
    return await RuleRepository(session).channel_settings(installation_id, channel_slug, currency)


async def all_channel_settings(session: AsyncSession, installation_id: int) -> dict[str, ChannelSettingsSpec]:
    return await RuleRepository(session).all_channel_settings(installation_id)


async def save_channel_settings(
    session: AsyncSession, installation_id: int, channel_slug: str, spec: ChannelSettingsSpec, now: datetime
) -> ChannelSettingsSpec:
    return await RuleRepository(session).save_channel_settings(installation_id, channel_slug, spec, now)


async def update_channel_settings(
    session: AsyncSession,
    installation_id: int,
    channel_slug: str,
    changes: dict[str, Any],
    now: datetime,
    currency: str | None = None,
) -> ChannelSettingsSpec:
    """Merge ``changes`` into the channel's current settings (or its defaults, for a channel in
    `currency` saved for the first time) and store them; InvalidRule when invalid."""
    rules = RuleRepository(session)
    current = await rules.channel_settings(installation_id, channel_slug, currency)
    spec = validate_channel_settings({**current.model_dump(mode="json"), **changes})
    return await rules.save_channel_settings(installation_id, channel_slug, spec, now)
