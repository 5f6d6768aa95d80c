"""Creating and changing rules and channel settings: the one path used by the CLI and the GraphQL API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .offers.spec import ChannelSettingsSpec, describe_errors, parse_rule_spec
from .services import Services
from .store.rules import AnyRuleSpec, StoredRule


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class InvalidRule(Exception):
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


async def create_rule(services: Services, installation_id: int, data: Any) -> StoredRule:
    return await services.rules.create(installation_id, validate_rule(data), services.clock())


async def update_rule(services: Services, installation_id: int, rule_id: int, data: Any) -> StoredRule | None:
    return await services.rules.update(installation_id, rule_id, validate_rule(data), services.clock())


async def import_rules(
    services: Services, installation_id: int, documents: Sequence[Any]
) -> list[StoredRule]:
    """All or nothing: every rule is validated before any is stored, so a typo never half-imports a file."""
    specs: list[AnyRuleSpec] = []
    errors: list[FieldError] = []
    for position, document in enumerate(documents):
        try:
            specs.append(validate_rule(document))
        except InvalidRule as exc:
            errors.extend(FieldError(f"[{position}].{e.field}", e.message) for e in exc.errors)
    if errors:
        raise InvalidRule(errors)
    return [await services.rules.create(installation_id, spec, services.clock()) for spec in specs]
