"""The APP_DELETED payload (graphql/saleor/subscriptions/app_deleted.graphql)."""

from __future__ import annotations

from ..saleor.results import AppDeletedEvent


def app_id_of(body: str) -> str | None:
    """The id of the app the event says was deleted (None when the payload does not name it)."""
    app = AppDeletedEvent.model_validate_json(body).app
    return app.id if app is not None else None
