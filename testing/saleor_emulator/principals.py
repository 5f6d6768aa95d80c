"""Apps (with their webhooks and token) and staff users: the two kinds of requestor."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from .ids import to_global_id
from .metadata import MetadataMixin
from .times import iso, now

# PermissionEnum names and the `name` Saleor shows for them (the four captured in graphql-app-self.json
# are exact; the rest follow the same source table as best known).
PERMISSION_NAMES = {
    "MANAGE_USERS": "Manage customers.",
    "MANAGE_STAFF": "Manage staff.",
    "IMPERSONATE_USER": "Impersonate user.",
    "MANAGE_APPS": "Manage apps",
    "MANAGE_OBSERVABILITY": "Manage observability",
    "MANAGE_CHECKOUTS": "Manage checkouts",
    "HANDLE_CHECKOUTS": "Handle checkouts",
    "HANDLE_TAXES": "Handle taxes",
    "MANAGE_TAXES": "Manage taxes",
    "MANAGE_CHANNELS": "Manage channels.",
    "MANAGE_CUSTOMER_TYPES_AND_ATTRIBUTES": "Manage customer types and attributes.",
    "MANAGE_DISCOUNTS": "Manage sales and vouchers.",
    "MANAGE_GIFT_CARD": "Manage gift cards.",
    "MANAGE_MENUS": "Manage navigation.",
    "MANAGE_ORDERS": "Manage orders.",
    "MANAGE_ORDERS_IMPORT": "Manage orders import.",
    "MANAGE_PAGES": "Manage pages.",
    "MANAGE_PAGE_TYPES_AND_ATTRIBUTES": "Manage page types and attributes.",
    "HANDLE_PAYMENTS": "Handle payments",
    "MANAGE_PLUGINS": "Manage plugins",
    "MANAGE_PRODUCTS": "Manage products.",
    "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES": "Manage product types and attributes.",
    "MANAGE_SHIPPING": "Manage shipping.",
    "MANAGE_SETTINGS": "Manage settings.",
    "MANAGE_TRANSLATIONS": "Manage translations.",
}


def permission_views(codes: list[str]) -> list[dict[str, str]]:
    return [{"code": c, "name": PERMISSION_NAMES.get(c, c)} for c in sorted(codes)]


@dataclass(eq=False)
class Webhook:
    graphql_type: ClassVar[str] = "Webhook"
    pk: int
    app: App
    name: str
    target_url: str
    query: str
    async_events: list[str]
    sync_events: list[str] = field(default_factory=list)
    is_active: bool = True
    custom_headers: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return to_global_id("Webhook", self.pk)

    @property
    def targetUrl(self) -> str:
        return self.target_url

    @property
    def isActive(self) -> bool:
        return self.is_active

    @property
    def subscriptionQuery(self) -> str:
        return self.query

    @property
    def asyncEvents(self) -> list[dict[str, str]]:
        return [{"eventType": e, "name": e.replace("_", " ").capitalize()} for e in self.async_events]

    @property
    def syncEvents(self) -> list[dict[str, str]]:
        return [{"eventType": e, "name": e.replace("_", " ").capitalize()} for e in self.sync_events]

    @property
    def customHeaders(self) -> str:
        return json.dumps(self.custom_headers)

    secretKey = None
    events: ClassVar[list[Any]] = []
    eventDeliveries = None


@dataclass(eq=False)
class App(MetadataMixin):
    graphql_type: ClassVar[str] = "App"
    pk: int
    identifier: str
    name: str
    permission_codes: list[str]
    token: str
    version: str | None = None
    about: str | None = None
    app_url: str | None = None
    manifest_url: str | None = None
    is_active: bool = True
    removed: bool = False
    webhook_list: list[Webhook] = field(default_factory=list)
    created_at: datetime = field(default_factory=now)

    @property
    def id(self) -> str:
        return to_global_id("App", self.pk)

    @property
    def isActive(self) -> bool:
        return self.is_active

    @property
    def permissions(self) -> list[dict[str, str]]:
        return permission_views(self.permission_codes)

    @property
    def webhooks(self) -> list[Webhook]:
        return self.webhook_list

    @property
    def appUrl(self) -> str | None:
        return self.app_url

    @property
    def manifestUrl(self) -> str | None:
        return self.manifest_url

    @property
    def aboutApp(self) -> str | None:
        return self.about

    @property
    def created(self) -> str:
        return iso(self.created_at)

    @property
    def tokens(self) -> list[dict[str, Any]]:
        return [
            {"id": to_global_id("AppToken", self.pk), "name": "Default token", "authToken": self.token[-4:]}
        ]

    def accessToken(self, info: Any) -> str | None:
        """Dashboard token for this app; only staff users get one (PROTOCOL §4)."""
        requestor = info.context.requestor
        if not isinstance(requestor, StaffUser):
            return None
        perms = [p for p in self.permission_codes if p in requestor.user_permissions]
        return str(
            info.context.emu.dashboard_token(
                self.id, permissions=perms, user_permissions=requestor.user_permissions, email=requestor.email
            )
        )

    type = "THIRDPARTY"
    homepageUrl = None
    supportUrl = None
    configurationUrl = None
    dataPrivacy = None
    dataPrivacyUrl = None
    author = None
    brand = None
    audience = None
    extensions: ClassVar[list[Any]] = []


@dataclass(eq=False)
class StaffUser(MetadataMixin):
    """The staff user behind a dashboard JWT; effective permissions are the JWT's `permissions`."""

    graphql_type: ClassVar[str] = "User"
    global_id: str
    email: str
    permission_codes: list[str]
    user_permissions: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.global_id

    @property
    def userPermissions(self) -> list[dict[str, str]]:
        return permission_views(self.permission_codes)

    isStaff = True
    isActive = True
    firstName = ""
    lastName = ""
    isConfirmed = True
