"""A stored rule as the features read it (its spec validated by engine.spec)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..engine.spec import BumpRuleSpec, PostPurchaseRuleSpec, UpgradeRuleSpec, parse_rule_spec
from ..engine.types import Rule as EngineRule
from .models import Rule

AnyRuleSpec = BumpRuleSpec | UpgradeRuleSpec | PostPurchaseRuleSpec


@dataclass(frozen=True, slots=True)
class StoredRule:
    id: int
    kind: str
    spec: AnyRuleSpec
    created_at: datetime
    updated_at: datetime

    def for_engine(self) -> EngineRule:
        return EngineRule(id=self.id, spec=self.spec, created_at=self.created_at)


def stored_rule(row: Rule) -> StoredRule:
    return StoredRule(
        id=row.id,
        kind=row.kind,
        spec=parse_rule_spec(row.spec),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
