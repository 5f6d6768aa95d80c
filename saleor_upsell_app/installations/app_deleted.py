"""APP_DELETED: forget the installation (its token no longer works)."""

from __future__ import annotations

import logging

from ..inbox.types import ClaimedEvent
from .apl import InstallationStore
from .gateway import app_id_of

log = logging.getLogger("saleor_upsell.webhooks.app_deleted")


async def handle_app_deleted(installations: InstallationStore, event: ClaimedEvent) -> None:
    installation = await installations.get_by_id(event.installation_id)
    if installation is None:
        return
    deleted_app_id = app_id_of(event.payload)
    if deleted_app_id and deleted_app_id != installation.app_id:
        # A late APP_DELETED of an earlier install must not remove the current one.
        log.info(
            "APP_DELETED for a previous install ignored",
            extra={"saleor_api_url": installation.saleor_api_url},
        )
        return
    await installations.delete(installation.saleor_api_url)
    log.info("installation removed", extra={"saleor_api_url": installation.saleor_api_url})
