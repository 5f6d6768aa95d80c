"""post-purchase offers: frozen page copy and the auto-confirm state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:46:23.158686
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("post_purchase_offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("presentation", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("confirm_state", sa.String(length=16), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_post_purchase_offers_confirm_state"), ["confirm_state"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("post_purchase_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_purchase_offers_confirm_state"))
        batch_op.drop_column("confirm_state")
        batch_op.drop_column("presentation")
