"""APP_DELETED: forget the installation (its token no longer works)."""

from __future__ import annotations

import logging

from ..inbox.repository import ClaimedEvent
from ..services import Services

log = logging.getLogger("saleor_upsell.webhooks.app_deleted")


async def handle_app_deleted(services: Services, event: ClaimedEvent) -> None:
    installation = await services.installations.get_by_id(event.installation_id)
    if installation is None:
        return
    deleted_app_id = (event.payload.get("app") or {}).get("id")
    if deleted_app_id and deleted_app_id != installation.app_id:
        # A late APP_DELETED of an earlier install must not remove the current one.
        log.info(
            "APP_DELETED for a previous install ignored",
            extra={"saleor_api_url": installation.saleor_api_url},
        )
        return
    await services.installations.delete(installation.saleor_api_url)
    log.info("installation removed", extra={"saleor_api_url": installation.saleor_api_url})
