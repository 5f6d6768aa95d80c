"""post-purchase offers: the follow-up checkout, its conversion, the offer e-mail and unsubscribes

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 02:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import saleor_upsell_app.kit.db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("post_purchase_offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("checkout_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("converted_order_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("email_state", sa.String(length=16), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_post_purchase_offers_email_state"), ["email_state"], unique=False
        )
    op.create_table(
        "post_purchase_unsubscribes",
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", saleor_upsell_app.kit.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["installation_id"], ["installations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("installation_id", "email"),
    )


def downgrade() -> None:
    op.drop_table("post_purchase_unsubscribes")
    with op.batch_alter_table("post_purchase_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_purchase_offers_email_state"))
        batch_op.drop_column("email_state")
        batch_op.drop_column("converted_order_id")
        batch_op.drop_column("checkout_id")
        batch_op.drop_column("customer_email")
