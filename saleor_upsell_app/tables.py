"""Every feature's tables on one metadata (for alembic: kit/db/migrations/env.py), and the table
classes by name for code that reads across features' rows (tests, migrations)."""

from __future__ import annotations

from .bumps.models import CheckoutOffer
from .inbox.models import InboxEvent, SubjectLease
from .insights.models import Digest, OfferEvent, OrderRecord, RulePause, Suggestion, SyncState
from .installations.models import Installation
from .kit.db.types import Base
from .kit.scheduled_runs import ScheduledRun
from .postpurchase.models import PostPurchaseOffer, PostPurchaseUnsubscribe
from .rules.models import ChannelSettings, Rule

metadata = Base.metadata

__all__ = [
    "ChannelSettings",
    "CheckoutOffer",
    "Digest",
    "InboxEvent",
    "Installation",
    "OfferEvent",
    "OrderRecord",
    "PostPurchaseOffer",
    "PostPurchaseUnsubscribe",
    "Rule",
    "RulePause",
    "ScheduledRun",
    "SubjectLease",
    "Suggestion",
    "SyncState",
    "metadata",
]
